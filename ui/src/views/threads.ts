// The thread area: the open chats side by side, in the order of `state.open`.
import { panelShown, type DeskState } from "../store/state";
import type { ChatKey } from "../types";
import { h } from "../lib/dom";
import { ThreadPane, type ThreadActions } from "./thread";

export class ThreadArea {
  readonly el: HTMLElement;
  private panes = new Map<ChatKey, ThreadPane>();
  private empty: HTMLElement;

  constructor(private actions: ThreadActions) {
    this.empty = h(
      "div",
      { class: "threads-empty", "data-testid": "threads-empty" },
      h("p", { class: "empty-title", text: "No chat open" }),
      h("p", { text: "Pick a chat from the list, or accept a ringing one (Ctrl+Shift+A). Open up to three chats side by side." }),
    );
    this.el = h("section", { class: "threads", "data-testid": "thread-area", "aria-label": "Open chats" }, this.empty);
  }

  update(state: DeskState): void {
    for (const [k, pane] of this.panes) {
      if (!state.open.includes(k) || !state.chats[k]) {
        pane.destroy();
        this.panes.delete(k);
      }
    }
    let prev: Element | null = null;
    for (const k of state.open) {
      const view = state.chats[k];
      if (!view) continue;
      let pane = this.panes.get(k);
      if (!pane) {
        pane = new ThreadPane(k, view, this.actions);
        this.panes.set(k, pane);
      }
      const want: Element | null = prev ? prev.nextElementSibling : this.el.firstElementChild;
      if (want !== pane.el) {
        if (prev) prev.after(pane.el);
        else this.el.prepend(pane.el);
      }
      pane.update(view, state.active === k, panelShown(state, k));
      prev = pane.el;
    }
    this.empty.hidden = this.panes.size > 0;
    this.el.dataset.panes = String(this.panes.size);
  }

  /** A customer panel is on screen (its live duration ticks once a second). */
  get panelsVisible(): boolean {
    for (const p of this.panes.values()) if (p.panelVisible) return true;
    return false;
  }

  tick(now: number): void {
    for (const p of this.panes.values()) p.tick(now);
  }

  pane(chat: ChatKey | null): ThreadPane | undefined {
    return chat ? this.panes.get(chat) : undefined;
  }
}
