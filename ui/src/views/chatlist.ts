// The agent's chats: a listbox with state, visitor name, last line and unread count.
import type { ChatView, DeskState } from "../store/state";
import { chatOrder } from "../store/selectors";
import type { ChatKey } from "../types";
import { h, setText } from "../lib/dom";
import { clockTime } from "../lib/time";
import type { OpenMode } from "../store/panes";

const STATE_LABEL = { waiting: "Waiting", chatting: "Chatting", ended: "Ended" } as const;

interface Item {
  el: HTMLLIElement;
  name: HTMLElement;
  state: HTMLElement;
  time: HTMLElement;
  last: HTMLElement;
  unread: HTMLElement;
  view: ChatView | null;
}

export class ChatList {
  readonly el: HTMLElement;
  readonly list: HTMLUListElement;
  private count: HTMLElement;
  private empty: HTMLElement;
  private items = new Map<ChatKey, Item>();
  private order: ChatKey[] = [];
  private focusKey: ChatKey | null = null;

  constructor(private open: (chat: ChatKey, mode: OpenMode, focusComposer: boolean) => void) {
    this.count = h("span", { class: "count", "data-testid": "chat-count" });
    this.list = h("ul", { class: "chat-list", role: "listbox", "aria-label": "Chats", "data-testid": "chat-list", tabindex: 0 });
    this.empty = h("p", { class: "chat-list-empty", text: "No chats yet. Ringing chats appear above; accept with Ctrl+Shift+A." });
    this.el = h("aside", { class: "sidebar", "aria-label": "Chat list" }, h("h2", { class: "sidebar-title" }, "Chats ", this.count), this.list, this.empty);
    this.list.addEventListener("keydown", (e) => this.onKey(e));
    this.list.addEventListener("focus", () => {
      if (!this.focusKey && this.order.length) this.moveFocus(this.order[0]);
    });
  }

  update(state: DeskState): void {
    const order = chatOrder(state);
    for (const [k, it] of this.items) {
      if (!state.chats[k]) {
        it.el.remove();
        this.items.delete(k);
      }
    }
    let prev: Element | null = null;
    for (const k of order) {
      const view = state.chats[k];
      let it = this.items.get(k);
      if (!it) {
        it = this.create(k);
        this.items.set(k, it);
      }
      this.fill(it, view, state);
      const want: Element | null = prev ? prev.nextElementSibling : this.list.firstElementChild;
      if (want !== it.el) {
        if (prev) prev.after(it.el);
        else this.list.prepend(it.el);
      }
      prev = it.el;
    }
    this.order = order;
    const live = order.filter((k) => state.chats[k].summary.state !== "ended").length;
    setText(this.count, String(live));
    this.count.setAttribute("aria-label", `${live} active`);
    this.empty.hidden = order.length > 0;
    if (this.focusKey && !this.items.has(this.focusKey)) this.focusKey = null;
    const active = state.active;
    if (active && this.items.has(active)) this.list.setAttribute("aria-activedescendant", this.items.get(active)!.el.id);
  }

  focus(): void {
    this.list.focus();
  }

  private create(k: ChatKey): Item {
    const name = h("span", { class: "chat-name", "data-testid": "chat-item-name" });
    const state = h("span", { class: "state-badge" });
    const time = h("span", { class: "chat-time" });
    const last = h("span", { class: "chat-last", "data-testid": "chat-item-last" });
    const unread = h("span", { class: "unread", "data-testid": "chat-item-unread" });
    const el = h(
      "li",
      { id: `chat-${k.replace(/[^A-Za-z0-9_-]/g, "_")}`, class: "chat-item", role: "option", "data-testid": "chat-item", "data-chat": k, tabindex: -1 },
      h("div", { class: "chat-row" }, name, time),
      h("div", { class: "chat-row" }, last, unread),
      h("div", { class: "chat-row chat-row--meta" }, state),
    );
    el.addEventListener("click", (e) => this.open(k, e.altKey ? "replace" : "split", false));
    return { el, name, state, time, last, unread, view: null };
  }

  private fill(it: Item, view: ChatView, state: DeskState): void {
    const isOpen = state.open.includes(view.key);
    it.el.setAttribute("aria-selected", String(state.active === view.key));
    it.el.classList.toggle("is-open", isOpen);
    it.el.classList.toggle("is-active", state.active === view.key);
    if (it.view === view) return;
    it.view = view;
    const s = view.summary;
    setText(it.name, s.visitorName || "Visitor");
    setText(it.state, view.visitorTyping ? "Typing…" : STATE_LABEL[s.state]);
    it.state.className = `state-badge is-${view.visitorTyping ? "typing" : s.state}`;
    setText(it.time, clockTime(view.lastActivity));
    setText(it.last, view.lastLine);
    setText(it.unread, view.unread ? String(view.unread) : "");
    it.unread.hidden = view.unread === 0;
    it.unread.setAttribute("aria-label", `${view.unread} unread`);
    it.el.classList.toggle("has-unread", view.unread > 0);
    it.el.dataset.state = s.state;
    it.el.setAttribute(
      "aria-label",
      `${s.visitorName || "Visitor"}, ${STATE_LABEL[s.state]}${view.unread ? `, ${view.unread} unread` : ""}${view.lastLine ? `: ${view.lastLine}` : ""}`,
    );
  }

  private moveFocus(k: ChatKey): void {
    const prev = this.focusKey ? this.items.get(this.focusKey) : undefined;
    prev?.el.classList.remove("is-focus");
    this.focusKey = k;
    const it = this.items.get(k);
    if (!it) return;
    it.el.classList.add("is-focus");
    this.list.setAttribute("aria-activedescendant", it.el.id);
    it.el.scrollIntoView({ block: "nearest" });
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.order.length || e.ctrlKey || e.altKey || e.metaKey) return;
    const i = this.focusKey ? this.order.indexOf(this.focusKey) : -1;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = e.key === "ArrowDown" ? Math.min(this.order.length - 1, i + 1) : Math.max(0, i - 1);
      this.moveFocus(this.order[next]);
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      this.moveFocus(this.order[e.key === "Home" ? 0 : this.order.length - 1]);
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      if (this.focusKey) this.open(this.focusKey, e.shiftKey ? "split" : "replace", true);
    }
  }
}
