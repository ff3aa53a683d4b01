// The message box under a thread: Enter sends, Shift+Enter breaks the line. Drafts are saved per
// chat (debounced) and the agent's typing is signalled to the visitor (debounced).
// With the response actions it also has the `/` picker, a response's card (sent with `sendCard`,
// shown as a chip until sent or removed with Esc/✕), the suggestions strip, and it refuses to send
// while placeholders of an inserted response are still unfilled.
import { h } from "../lib/dom";
import type { ChatKey, TextType } from "../types";
import { attachPicker, type Picker } from "../features/picker";
import { renderSuggestions } from "../features/suggestions";
import type { CannedResponse, FilledResponse } from "../features/types";

export const DRAFT_DELAY_MS = 600;
export const TYPING_IDLE_MS = 3000;

export interface ComposerActions {
  send(chat: ChatKey, text: string, agentOnly: boolean, textType?: TextType): void;
  draft(chat: ChatKey, text: string): void;
  typing(chat: ChatKey, typing: boolean): void;
  /** Sends `text` with a structured-content card (a response's card). */
  sendCard?(chat: ChatKey, text: string, card: unknown): void;
  /** The `/` picker's search; without it the composer has no picker. */
  searchResponses?(query: string): Promise<CannedResponse[]>;
  /** A response filled for this chat. */
  fillResponse?(chat: ChatKey, id: number): Promise<FilledResponse>;
}

export class Composer {
  readonly el: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly note: HTMLInputElement;
  private readonly sendBtn: HTMLButtonElement;
  private draftTimer = 0;
  private typingTimer = 0;
  private typing = false;
  /** The `/` picker (when the response actions are given). */
  readonly picker: Picker | null = null;
  /** The card of an inserted rich-content response, sent with the text; null for none. */
  private card: unknown = null;
  private cardChip: HTMLElement;
  /** `html` after an HTML response was inserted (until sent or cleared). */
  private textType: TextType = "plain";
  private blocked: HTMLElement;
  private suggestionSlot: HTMLElement;
  private suggested: CannedResponse[] = [];

  constructor(
    private chat: ChatKey,
    visitorName: string,
    private actions: ComposerActions,
  ) {
    const id = `composer-${cssId(chat)}`;
    this.input = h("textarea", {
      id,
      class: "composer-input",
      rows: 2,
      "data-testid": "composer-input",
      "data-chat": chat,
      // WebKitGTK's checker with the system's dictionaries (the shell sets the language).
      spellcheck: "true",
      placeholder: "Write a reply… (Enter sends, Shift+Enter for a new line)",
      "aria-label": `Reply to ${visitorName}`,
    });
    this.note = h("input", { type: "checkbox", "data-testid": "composer-agent-only" });
    this.sendBtn = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "send-button", text: "Send" });
    const removeCard = h("button", { type: "button", class: "composer-card-remove", "aria-label": "Remove the card (Esc)", title: "Remove the card (Esc)", "data-testid": "composer-card-remove", text: "✕" });
    removeCard.addEventListener("click", () => {
      this.setCard(null);
      this.input.focus();
    });
    this.cardChip = h("span", { class: "composer-card", "data-testid": "composer-card", hidden: true }, h("span", { class: "composer-card-label", text: "card" }), removeCard);
    this.blocked = h("p", { class: "composer-blocked", role: "alert", "data-testid": "composer-blocked", hidden: true });
    this.suggestionSlot = h("div", { class: "composer-suggestions" });
    this.el = h(
      "form",
      { class: "composer", "data-testid": "composer" },
      this.suggestionSlot,
      this.input,
      this.blocked,
      h(
        "div",
        { class: "composer-bar" },
        h("label", { class: "composer-note", title: "Only agents see this line" }, this.note, " Agent-only note"),
        this.cardChip,
        this.sendBtn,
      ),
    );
    const { searchResponses, fillResponse } = actions;
    if (searchResponses && fillResponse) {
      this.picker = attachPicker(this.input, {
        search: (q) => searchResponses(q),
        fill: (id) => fillResponse(chat, id),
        onInsert: (filled) => this.inserted(filled),
      });
    }
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        this.submit();
      } else if (e.key === "Escape" && this.card != null && !e.isComposing) {
        // (An open picker takes Esc first.)
        e.preventDefault();
        e.stopPropagation();
        this.setCard(null);
      }
    });
    this.input.addEventListener("input", () => this.onInput());
    this.note.addEventListener("change", () => this.el.classList.toggle("is-note", this.note.checked));
  }

  setDraft(text: string): void {
    // Never overwrite what the agent is typing right now.
    if (document.activeElement === this.input || this.draftTimer) return;
    if (this.input.value !== text) this.input.value = text;
  }

  setEnabled(on: boolean): void {
    this.input.disabled = !on;
    this.sendBtn.disabled = !on;
  }

  focus(): void {
    this.input.focus();
  }

  /** Inserts a filled response at the caret (a hotkey or a suggestion), editable before sending. */
  insertResponse(filled: FilledResponse): void {
    if (this.input.disabled) return;
    const v = this.input.value;
    const start = this.input.selectionStart ?? v.length;
    const end = this.input.selectionEnd ?? start;
    this.input.value = v.slice(0, start) + filled.text + v.slice(end);
    const caret = start + filled.text.length;
    this.input.setSelectionRange(caret, caret);
    this.input.focus();
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
    this.picker?.flag(filled.unknown ?? []);
    this.inserted(filled);
  }

  /** Placeholders of inserted responses still in the text (sending waits for them). */
  pending(): string[] {
    return this.picker?.pending() ?? [];
  }

  /** The card that goes with the next send, if any. */
  get attachedCard(): unknown {
    return this.card;
  }

  /** The suggestions strip above the box (an empty list hides it). */
  setSuggestions(list: CannedResponse[], pick: (r: CannedResponse) => void): void {
    this.suggested = list;
    const strip = renderSuggestions(list, pick);
    this.suggestionSlot.replaceChildren(...(strip ? [strip] : []));
  }

  get suggestions(): CannedResponse[] {
    return this.suggested;
  }

  private inserted(filled: FilledResponse): void {
    if (filled.card != null) this.setCard(filled.card);
    if (filled.textType === "html") this.textType = "html";
  }

  private setCard(card: unknown): void {
    this.card = card ?? null;
    this.cardChip.hidden = this.card == null;
    this.el.classList.toggle("has-card", this.card != null);
    if (this.card == null) this.showBlocked(null);
  }

  private showBlocked(msg: string | null): void {
    this.blocked.hidden = !msg;
    this.blocked.textContent = msg ?? "";
    if (msg) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
  }

  destroy(): void {
    this.picker?.destroy();
    this.flushDraft();
    if (this.typing) this.actions.typing(this.chat, false);
    clearTimeout(this.typingTimer);
  }

  private onInput(): void {
    if (!this.blocked.hidden) this.showBlocked(null);
    if (!this.input.value.trim()) this.textType = "plain";
    clearTimeout(this.draftTimer);
    this.draftTimer = window.setTimeout(() => this.flushDraft(), DRAFT_DELAY_MS);
    const hasText = this.input.value.trim().length > 0;
    if (hasText && !this.typing) {
      this.typing = true;
      this.actions.typing(this.chat, true);
    }
    clearTimeout(this.typingTimer);
    if (hasText) this.typingTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    else this.stopTyping();
  }

  /** Saves a draft still waiting for its delay now (the window is going away). */
  saveDraft(): void {
    this.flushDraft();
  }

  private flushDraft(): void {
    if (!this.draftTimer) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = 0;
    this.actions.draft(this.chat, this.input.value);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (!this.typing) return;
    this.typing = false;
    this.actions.typing(this.chat, false);
  }

  private submit(): void {
    const text = this.input.value;
    if (!text.trim() || this.input.disabled) return;
    const pending = this.pending();
    if (pending.length) {
      // Never send a placeholder the engine could not fill: select the first one to type over.
      this.showBlocked(`Not sent: fill in ${pending.join(", ")} first.`);
      const at = text.indexOf(pending[0]!);
      this.input.focus();
      if (at >= 0) this.input.setSelectionRange(at, at + pending[0]!.length);
      return;
    }
    if (this.card != null) {
      if (this.note.checked) {
        this.showBlocked("Not sent: a card cannot be an agent-only note. Untick the note or remove the card.");
        return;
      }
      if (!this.actions.sendCard) return;
      this.actions.sendCard(this.chat, text, this.card);
    } else this.actions.send(this.chat, text, this.note.checked, this.textType);
    this.setCard(null);
    this.textType = "plain";
    this.showBlocked(null);
    this.input.value = "";
    this.picker?.refresh();
    clearTimeout(this.draftTimer);
    this.draftTimer = 1; // force the flush below to save the now-empty draft
    this.flushDraft();
    this.stopTyping();
    this.note.checked = false;
    this.el.classList.remove("is-note");
  }
}

export function cssId(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, "_");
}
