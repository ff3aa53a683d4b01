// Up to three suggested responses for the focused chat, as buttons. Alt+0 inserts the first: the
// response hotkeys take Alt+1…9, so the key beside them is the one left free, and it matches by
// physical key (like the hotkeys), so layouts that print something else on Alt+0 still work.
import { h } from "../lib/dom";
import { altDigit } from "./picker";
import type { CannedResponse } from "./types";

export const MAX_SUGGESTIONS = 3;

/** The strip, or null for an empty list (render nothing). */
export function renderSuggestions(list: CannedResponse[], onPick: (r: CannedResponse) => void): HTMLElement | null {
  const shown = list.slice(0, MAX_SUGGESTIONS);
  if (!shown.length) return null;
  return h(
    "div",
    { class: "suggestions", role: "group", "aria-label": "Suggested responses", "data-testid": "suggestions" },
    h("span", { class: "suggestions-label", "aria-hidden": "true", text: "Suggested" }),
    ...shown.map((r, i) => {
      const b = h(
        "button",
        {
          type: "button",
          class: "btn btn--small suggestion",
          title: r.text,
          "aria-keyshortcuts": i === 0 ? "Alt+0" : undefined,
          "data-testid": "suggestion",
          "data-response-id": r.id,
        },
        h("span", { class: "suggestion-title", text: r.title }),
        i === 0 ? h("kbd", { class: "suggestion-key", text: "Alt+0" }) : null,
      );
      b.addEventListener("click", () => onPick(r));
      return b;
    }),
  );
}

/** True for the key that inserts the first suggestion (Alt+0; not AltGr, not while composing). */
export function isSuggestionKey(e: KeyboardEvent): boolean {
  return altDigit(e, 0) === 0;
}
