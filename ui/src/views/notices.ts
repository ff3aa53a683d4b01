// Short messages for the agent (errors, transfer results). Errors stay until dismissed.
import type { DeskState, Notice } from "../store/state";
import { h } from "../lib/dom";

export class Notices {
  readonly el: HTMLElement;
  private shown = new Map<number, HTMLElement>();

  constructor(private dismiss: (id: number) => void) {
    this.el = h("div", { class: "notices", role: "status", "aria-live": "polite", "data-testid": "notices" });
  }

  update(state: DeskState): void {
    const ids = new Set(state.notices.map((n) => n.id));
    for (const [id, el] of this.shown) {
      if (!ids.has(id)) {
        el.remove();
        this.shown.delete(id);
      }
    }
    for (const n of state.notices) if (!this.shown.has(n.id)) this.add(n);
  }

  private add(n: Notice): void {
    const close = h("button", { type: "button", class: "btn btn--icon", "aria-label": "Dismiss", text: "×" });
    const el = h("div", { class: `notice notice--${n.kind}`, "data-testid": "notice", "data-kind": n.kind }, h("span", { text: n.text }), close);
    close.addEventListener("click", () => this.dismiss(n.id));
    if (n.kind === "info") window.setTimeout(() => this.dismiss(n.id), 6000);
    this.shown.set(n.id, el);
    this.el.append(el);
  }
}
