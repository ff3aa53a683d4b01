// The `/` response picker of the composer. Typing `/` at the start of the box or after whitespace
// opens a listbox above the composer, filtered by what follows the slash (debounced; an answer to
// an older query is dropped). ↑/↓ move, Enter/Tab insert, Esc closes (and goes no further), a click
// inserts. Inserting replaces the `/query` token with the filled text, which stays editable; any
// placeholder the engine could not fill is flagged next to the composer until it is edited away.
import { h } from "../lib/dom";
import type { CannedResponse, FilledResponse } from "./types";
import { errorMessage, uid } from "./util";

export const PICKER_DEBOUNCE_MS = 120;
export const PICKER_MAX_ITEMS = 50;

export interface PickerOptions {
  search(query: string): Promise<CannedResponse[]>;
  fill(id: number): Promise<FilledResponse>;
  onInsert(filled: FilledResponse): void;
}

export interface Picker {
  /** The popup (inserted right after the textarea; the caller may move it). */
  readonly popup: HTMLElement;
  /** The "Fill in … before sending" warning (inserted after the popup). */
  readonly warning: HTMLElement;
  readonly isOpen: boolean;
  /** Placeholders from inserted responses still in the text: send must wait while non-empty. */
  pending(): string[];
  /** Re-checks the warning after the caller changed the text (e.g. cleared it on send). */
  refresh(): void;
  /** Flags placeholders of a response the caller inserted itself (a hotkey, a suggestion). */
  flag(unknown: string[]): void;
  close(): void;
  destroy(): void;
}

export interface SlashToken {
  /** Index of the `/`. */
  start: number;
  /** End of the token (the first whitespace at or after the caret, or the end of the text). */
  end: number;
  /** What is typed between the `/` and the caret. */
  query: string;
}

/** The `/query` token the caret is in, if any: the slash starts the text or follows whitespace. */
export function slashToken(text: string, caret: number): SlashToken | null {
  if (caret < 1 || caret > text.length) return null;
  let i = caret - 1;
  while (i >= 0 && !/\s/.test(text[i]!) && text[i] !== "/") i--;
  if (i < 0 || text[i] !== "/") return null;
  if (i > 0 && !/\s/.test(text[i - 1]!)) return null;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { start: i, end, query: text.slice(i + 1, caret) };
}

/** `text` with `[start, end)` replaced by `insert`, and where the caret goes after it. */
export function replaceRange(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/** Placeholders such as `{orderId}` still in `text` (each once, in order of appearance). */
export function unfilledPlaceholders(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\{[A-Za-z_][A-Za-z0-9_.-]{0,63}\}/g)) if (!out.includes(m[0])) out.push(m[0]);
  return out;
}

/**
 * Alt+1…9 → 1…9 (the response hotkeys), else null. Physical digit keys (and the numeric keypad), so
 * layouts where the digits need Shift still work; AltGr combinations (AltGraph state, or Ctrl+Alt as
 * Windows reports AltGr) and keys during IME composition are not hotkeys.
 */
export function hotkeyIndex(e: KeyboardEvent): number | null {
  return altDigit(e, 1);
}

/** Alt+digit, digit ≥ `min`, under the rules of `hotkeyIndex`. */
export function altDigit(e: KeyboardEvent, min: number): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  if (e.isComposing || e.keyCode === 229) return null;
  if (typeof e.getModifierState === "function" && e.getModifierState("AltGraph")) return null;
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code ?? "") ?? (e.code ? null : /^([0-9])$/.exec(e.key));
  if (!m) return null;
  const n = Number(m[1]);
  return n >= min ? n : null;
}

function previewLine(text: string, max = 90): string {
  const t = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function attachPicker(textarea: HTMLTextAreaElement, opts: PickerOptions): Picker {
  const listId = uid("picker-list");
  const list = h("ul", { id: listId, class: "picker-list", role: "listbox", "aria-label": "Predefined responses", "data-testid": "picker-list" });
  const status = h("p", { class: "picker-status", role: "status", "data-testid": "picker-status" });
  const popup = h(
    "div",
    { class: "picker", "data-testid": "picker", hidden: true },
    list,
    status,
    h("p", { class: "picker-hint", "aria-hidden": "true", text: "↑↓ choose · Enter or Tab insert · Esc close" }),
  );
  const warning = h("p", { class: "picker-warning", role: "status", "aria-live": "polite", "data-testid": "picker-warning", hidden: true });
  textarea.after(popup, warning);
  // Clicks inside the popup (options, its scrollbar) must not take the focus from the textarea.
  popup.addEventListener("mousedown", (e) => e.preventDefault());
  textarea.parentElement?.classList.add("has-picker");
  textarea.setAttribute("aria-haspopup", "listbox");
  textarea.setAttribute("aria-expanded", "false");
  textarea.setAttribute("aria-autocomplete", "list");

  let open = false;
  let items: CannedResponse[] = [];
  let active = -1;
  let token: SlashToken | null = null;
  let dismissedAt = -1; // the start of a token the agent closed with Esc: it stays closed
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0; // latest search issued
  let shownQuery: string | null = null;
  let inserting = false;
  let flagged: string[] = [];

  const setOpen = (on: boolean) => {
    open = on;
    popup.hidden = !on;
    textarea.setAttribute("aria-expanded", String(on));
    if (on) textarea.setAttribute("aria-controls", listId);
    else {
      textarea.removeAttribute("aria-controls");
      textarea.removeAttribute("aria-activedescendant");
    }
  };

  const close = () => {
    clearTimeout(timer);
    seq++; // anything in flight is now stale
    token = null;
    items = [];
    active = -1;
    shownQuery = null;
    list.replaceChildren();
    status.textContent = "";
    setOpen(false);
  };

  const setActive = (i: number) => {
    active = items.length ? (i + items.length) % items.length : -1;
    list.querySelectorAll<HTMLElement>("[role=option]").forEach((o, j) => {
      o.setAttribute("aria-selected", String(j === active));
      o.classList.toggle("is-active", j === active);
      if (j === active) {
        textarea.setAttribute("aria-activedescendant", o.id);
        o.scrollIntoView?.({ block: "nearest" });
      }
    });
    if (active < 0) textarea.removeAttribute("aria-activedescendant");
  };

  const renderItems = () => {
    list.replaceChildren(
      ...items.map((r, i) => {
        const o = h(
          "li",
          { id: `${listId}-${i}`, class: "picker-item", role: "option", "aria-selected": "false", "data-testid": "picker-item", "data-response-id": r.id },
          h(
            "span",
            { class: "picker-item-head" },
            h("span", { class: "picker-item-title", text: r.title }),
            r.category ? h("span", { class: "picker-item-cat", text: r.category }) : null,
            r.hotkey != null ? h("kbd", { class: "picker-item-key", text: `Alt+${r.hotkey}` }) : null,
            r.card != null ? h("span", { class: "picker-item-card", text: "card" }) : null,
          ),
          h("span", { class: "picker-item-text", text: previewLine(r.text) }),
        );
        o.addEventListener("click", () => void insert(i));
        return o;
      }),
    );
    status.textContent = items.length ? `${items.length} response${items.length === 1 ? "" : "s"}` : "No matching responses";
    setActive(items.length ? 0 : -1);
  };

  const runSearch = (query: string) => {
    const mine = ++seq;
    let p: Promise<CannedResponse[]>;
    try {
      p = Promise.resolve(opts.search(query));
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (res) => {
        if (mine !== seq || !open) return;
        items = Array.isArray(res) ? res.slice(0, PICKER_MAX_ITEMS) : [];
        shownQuery = query;
        renderItems();
      },
      (err) => {
        if (mine !== seq || !open) return;
        items = [];
        list.replaceChildren();
        active = -1;
        status.textContent = `Search failed: ${errorMessage(err)}`;
      },
    );
  };

  const onInput = () => {
    if (inserting) return;
    updateWarning();
    const t = textarea.selectionStart === textarea.selectionEnd ? slashToken(textarea.value, textarea.selectionStart ?? 0) : null;
    if (!t) {
      dismissedAt = -1;
      if (open) close();
      return;
    }
    if (t.start === dismissedAt) return;
    token = t;
    if (!open) {
      setOpen(true);
      status.textContent = "Searching…";
    }
    if (t.query === shownQuery) return;
    clearTimeout(timer);
    timer = setTimeout(() => runSearch(t.query), PICKER_DEBOUNCE_MS);
  };

  const updateWarning = () => {
    if (!flagged.length) {
      warning.hidden = true;
      return;
    }
    const left = unfilledPlaceholders(textarea.value).filter((p) => flagged.includes(p));
    flagged = left;
    warning.hidden = left.length === 0;
    warning.textContent = left.length ? `Fill in ${left.join(", ")} before sending` : "";
  };

  const insert = async (i: number) => {
    const r = items[i];
    const t = token;
    if (!r || !t) return;
    const before = textarea.value;
    close();
    let filled: FilledResponse;
    try {
      filled = await opts.fill(r.id);
    } catch (err) {
      warning.hidden = false;
      warning.textContent = `Could not insert "${r.title}": ${errorMessage(err)}`;
      return;
    }
    // Where to put it: the same token if the text did not change meanwhile, else the token now at
    // the caret, else the caret.
    let range: { start: number; end: number };
    if (textarea.value === before) range = t;
    else {
      const caret = textarea.selectionStart ?? textarea.value.length;
      range = slashToken(textarea.value, caret) ?? { start: caret, end: textarea.selectionEnd ?? caret };
    }
    const next = replaceRange(textarea.value, range.start, range.end, filled.text);
    inserting = true;
    try {
      textarea.value = next.text;
      textarea.setSelectionRange(next.caret, next.caret);
      textarea.focus();
      // Let the composer see the change (draft, typing) without the picker reopening on it.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    } finally {
      inserting = false;
    }
    for (const u of filled.unknown ?? []) if (!flagged.includes(u)) flagged.push(u);
    updateWarning();
    opts.onInsert(filled);
  };

  const onKey = (e: KeyboardEvent) => {
    if (!open || e.isComposing) return;
    const stop = () => {
      e.preventDefault();
      e.stopPropagation();
      e.stopImmediatePropagation();
    };
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        stop();
        if (items.length) setActive(active + (e.key === "ArrowDown" ? 1 : -1));
        return;
      case "Enter":
      case "Tab":
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || active < 0) return;
        stop();
        void insert(active);
        return;
      case "Escape":
        stop();
        dismissedAt = token?.start ?? -1;
        close();
        return;
    }
  };

  const onBlur = () => {
    // A click on an option keeps the focus (mousedown is prevented), so a blur means "elsewhere".
    if (open) close();
  };

  textarea.addEventListener("keydown", onKey, { capture: true });
  textarea.addEventListener("input", onInput);
  textarea.addEventListener("blur", onBlur);

  return {
    popup,
    warning,
    get isOpen() {
      return open;
    },
    pending: () => unfilledPlaceholders(textarea.value).filter((p) => flagged.includes(p)),
    refresh: updateWarning,
    flag(unknown: string[]) {
      for (const u of unknown) if (!flagged.includes(u)) flagged.push(u);
      updateWarning();
    },
    close,
    destroy() {
      close();
      textarea.removeEventListener("keydown", onKey, { capture: true });
      textarea.removeEventListener("input", onInput);
      textarea.removeEventListener("blur", onBlur);
      for (const a of ["aria-haspopup", "aria-expanded", "aria-autocomplete"]) textarea.removeAttribute(a);
      popup.remove();
      warning.remove();
    },
  };
}
