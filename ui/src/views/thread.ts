// One open chat: header with actions, the windowed list of lines, typing indicator and composer.
import type { ChatView, ThreadItem } from "../store/state";
import type { ChatKey } from "../types";
import { h, setText, show } from "../lib/dom";
import { VirtualList, type ScrollPosition } from "../virtual/list";
import { renderLine } from "./line";
import { Composer, cssId, type ComposerActions } from "./composer";
import { linkTarget } from "../lib/html";
import { renderCustomerPanel, updateDurations } from "../features/customer-panel";
import { customerPanelData } from "../store/selectors";

export interface ThreadActions extends ComposerActions {
  retry(localId: string): void;
  loadImage(url: string): Promise<string>;
  openLink(url: string): void;
  /** Shows or collapses the customer panel beside this chat's pane. */
  togglePanel(chat: ChatKey): void;
  /** Copies the chat's whole transcript as plain text. */
  copyTranscript(chat: ChatKey): void;
  end(chat: ChatKey): void;
  transfer(chat: ChatKey): void;
  close(chat: ChatKey): void;
  activate(chat: ChatKey): void;
}

const STATE_LABEL = { waiting: "Waiting", chatting: "Chatting", ended: "Ended" } as const;

export class ThreadPane {
  readonly el: HTMLElement;
  readonly composer: Composer;
  private list: VirtualList<ThreadItem>;
  private title: HTMLElement;
  private sub: HTMLElement;
  private badge: HTMLElement;
  private typing: HTMLElement;
  private endBtn: HTMLButtonElement;
  private transferBtn: HTMLButtonElement;
  private view: ChatView | null = null;
  private jump: HTMLButtonElement;
  private visitorName = "";
  private panelToggle: HTMLButtonElement;
  private panelSlot: HTMLElement;
  private panel: HTMLElement | null = null;
  private panelShown = false;

  constructor(
    readonly chat: ChatKey,
    initial: ChatView,
    actions: ThreadActions,
  ) {
    this.visitorName = initial.summary.visitorName;
    const titleId = `thread-title-${cssId(chat)}`;
    this.title = h("h2", { id: titleId, class: "thread-title", "data-testid": "thread-title" });
    this.sub = h("div", { class: "thread-sub" });
    this.badge = h("span", { class: "state-badge" });
    this.transferBtn = h("button", { type: "button", class: "btn", "data-testid": "transfer-button", title: "Transfer (Ctrl+Shift+T)", text: "Transfer" });
    this.endBtn = h("button", { type: "button", class: "btn btn--danger", "data-testid": "end-button", title: "End chat (Ctrl+Shift+E)", text: "End chat" });
    const panelId = `customer-panel-${cssId(chat)}`;
    this.panelToggle = h("button", {
      type: "button",
      class: "btn btn--icon cp-toggle",
      "data-testid": "customer-toggle",
      "aria-controls": panelId,
      "aria-pressed": "false",
      "aria-label": "Customer panel",
      title: "Show or hide the customer panel (Ctrl+I)",
      text: "i",
    });
    this.panelSlot = h("div", { id: panelId, class: "cp-slot", hidden: true });
    const copyBtn = h("button", { type: "button", class: "btn", "data-testid": "copy-transcript", title: "Copy the whole chat as plain text", text: "Copy" });
    copyBtn.addEventListener("click", () => actions.copyTranscript(chat));
    const closeBtn = h("button", { type: "button", class: "btn btn--icon", "data-testid": "close-pane", "aria-label": "Close this pane", title: "Close pane (Ctrl+Shift+X)", text: "×" });
    const viewport = h("div", { class: "thread-lines", role: "list", "data-testid": "thread-lines", tabindex: 0 });
    this.typing = h("div", { class: "typing", "data-testid": "typing-indicator", role: "status", hidden: true });
    this.composer = new Composer(chat, this.visitorName, actions);
    this.jump = h("button", { type: "button", class: "jump", "data-testid": "jump-to-latest", hidden: true, text: "↓ New messages" });
    this.jump.addEventListener("click", () => this.list.scrollToBottom());

    this.el = h(
      "section",
      { class: "thread", role: "region", "aria-labelledby": titleId, "data-testid": "thread-pane", "data-chat": chat },
      h(
        "header",
        { class: "thread-head" },
        h("div", { class: "thread-who" }, h("div", { class: "thread-title-row" }, this.title, this.badge), this.sub),
        h("div", { class: "thread-actions" }, this.panelToggle, copyBtn, this.transferBtn, this.endBtn, closeBtn),
      ),
      h(
        "div",
        { class: "thread-content" },
        h("div", { class: "thread-main" }, h("div", { class: "thread-body" }, viewport, this.jump), this.typing, this.composer.el),
        this.panelSlot,
      ),
    );

    this.list = new VirtualList<ThreadItem>(viewport, {
      key: (it) => it.key,
      render: (it) => renderLine(it, this.visitorName, actions),
      estimate: 64,
      overscan: 6,
      onStick: (on) => {
        if (on) this.jump.hidden = true;
      },
    });
    this.panelToggle.addEventListener("click", () => actions.togglePanel(chat));
    // Links inside visitor HTML lines never navigate the webview: http(s) ones open in the browser.
    const onLink = (e: MouseEvent) => {
      const hit = linkTarget(e.target);
      if (!hit) return;
      e.preventDefault();
      if (e.type === "click" && hit.url) actions.openLink(hit.url);
    };
    viewport.addEventListener("click", onLink);
    viewport.addEventListener("auxclick", onLink);
    this.transferBtn.addEventListener("click", () => actions.transfer(chat));
    this.endBtn.addEventListener("click", () => actions.end(chat));
    closeBtn.addEventListener("click", () => actions.close(chat));
    this.el.addEventListener("focusin", () => actions.activate(chat));
    this.el.addEventListener("pointerdown", () => actions.activate(chat));
    this.composer.setDraft(initial.draft);
    this.update(initial, false, false);
  }

  update(view: ChatView, active: boolean, panelShown: boolean, now: number = Date.now()): void {
    this.el.classList.toggle("is-active", active);
    this.setPanel(view, panelShown, now);
    if (view === this.view) return;
    const prev = this.view;
    this.view = view;
    const s = view.summary;
    if (s.visitorName !== this.visitorName) this.visitorName = s.visitorName;
    setText(this.title, s.visitorName || "Visitor");
    setText(this.badge, STATE_LABEL[s.state]);
    this.badge.className = `state-badge is-${s.state}`;
    const sub = [s.skill ? `Skill: ${s.skill}` : "", s.agentName ? `Agent: ${s.agentName}` : ""].filter(Boolean).join(" · ");
    setText(this.sub, sub);
    this.list.viewport.setAttribute("aria-label", `Messages with ${s.visitorName || "the visitor"}`);
    show(this.typing, view.visitorTyping);
    setText(this.typing, view.visitorTyping ? `${s.visitorName || "The visitor"} is typing…` : "");
    const ended = s.state === "ended";
    this.endBtn.disabled = ended;
    this.transferBtn.disabled = ended;
    this.composer.setEnabled(!ended);
    if (!prev || prev.draft !== view.draft) this.composer.setDraft(view.draft);
    if (!prev || prev.items !== view.items) {
      this.list.setItems(view.items);
      // Scrolled up reading history while lines arrive: offer a way down instead of yanking the view.
      if (prev && view.items.length > prev.items.length && !this.list.following) this.jump.hidden = false;
    }
  }

  /** Draws the customer panel again when it is shown and its data changed (or hides it). */
  private setPanel(view: ChatView, shown: boolean, now: number): void {
    const changed =
      !this.view || this.view.summary !== view.summary || this.view.visitorTyping !== view.visitorTyping || this.view.customer !== view.customer;
    if (shown !== this.panelShown) {
      this.panelShown = shown;
      this.panelSlot.hidden = !shown;
      this.panelToggle.setAttribute("aria-pressed", String(shown));
      this.el.classList.toggle("has-panel", shown);
    }
    if (!shown) {
      this.panel = null;
      this.panelSlot.replaceChildren();
      return;
    }
    if (this.panel && !changed) return;
    const panel = renderCustomerPanel(customerPanelData(view), now);
    this.panelSlot.replaceChildren(panel);
    this.panel = panel;
  }

  /** Whether the live duration needs ticking. */
  get panelVisible(): boolean {
    return this.panelShown && this.panel != null;
  }

  /** Rewrites the panel's live duration (called at most once a second while it is shown). */
  tick(now: number): void {
    if (this.panelShown && this.panel) updateDurations(this.panel, now);
  }

  /** Where the lines are scrolled (null: following the newest line). */
  scrollPosition(): ScrollPosition | null {
    return this.list.position();
  }

  /** Scrolls back to a saved position (a line no longer in the thread: stays at the newest). */
  restoreScroll(p: ScrollPosition): void {
    this.list.restore(p);
  }

  get renderedRows(): number {
    return this.list.renderedCount;
  }

  destroy(): void {
    this.composer.destroy();
    this.list.destroy();
    this.el.remove();
  }
}
