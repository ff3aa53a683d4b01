// The message box under a thread: Enter sends, Shift+Enter breaks the line. Drafts are saved per
// chat (debounced) and the agent's typing is signalled to the visitor (debounced).
import { h } from "../lib/dom";
import type { ChatKey } from "../types";

export const DRAFT_DELAY_MS = 600;
export const TYPING_IDLE_MS = 3000;

export interface ComposerActions {
  send(chat: ChatKey, text: string, agentOnly: boolean): void;
  draft(chat: ChatKey, text: string): void;
  typing(chat: ChatKey, typing: boolean): void;
}

export class Composer {
  readonly el: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly note: HTMLInputElement;
  private readonly sendBtn: HTMLButtonElement;
  private draftTimer = 0;
  private typingTimer = 0;
  private typing = false;

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
      placeholder: "Write a reply… (Enter sends, Shift+Enter for a new line)",
      "aria-label": `Reply to ${visitorName}`,
    });
    this.note = h("input", { type: "checkbox", "data-testid": "composer-agent-only" });
    this.sendBtn = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "send-button", text: "Send" });
    this.el = h(
      "form",
      { class: "composer", "data-testid": "composer" },
      this.input,
      h(
        "div",
        { class: "composer-bar" },
        h("label", { class: "composer-note", title: "Only agents see this line" }, this.note, " Agent-only note"),
        this.sendBtn,
      ),
    );
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        this.submit();
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

  destroy(): void {
    this.flushDraft();
    if (this.typing) this.actions.typing(this.chat, false);
    clearTimeout(this.typingTimer);
  }

  private onInput(): void {
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
    this.actions.send(this.chat, text, this.note.checked);
    this.input.value = "";
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
