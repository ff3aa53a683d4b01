// The logged-in screen: header, banners, chat list and the thread area side by side.
import type { DeskState } from "../store/state";
import { h } from "../lib/dom";
import { Topbar, type TopbarActions } from "./topbar";
import { AwayBanner, ConnectionBanner, RingingBanner } from "./banners";
import { ChatList } from "./chatlist";
import { ThreadArea } from "./threads";
import type { ThreadActions } from "./thread";
import { Notices } from "./notices";
import { WrapUpArea, type WrapUpActions } from "./wrapups";
import type { ChatKey } from "../types";
import type { OpenMode } from "../store/panes";

export interface DeskActions extends TopbarActions, ThreadActions, WrapUpActions {
  accept(): void;
  open(chat: ChatKey, mode: OpenMode, focusComposer?: boolean): void;
  dismiss(id: number): void;
}

export class DeskView {
  readonly el: HTMLElement;
  readonly topbar: Topbar;
  readonly ringing: RingingBanner;
  readonly connection: ConnectionBanner;
  readonly away: AwayBanner;
  readonly chatList: ChatList;
  readonly threads: ThreadArea;
  readonly notices: Notices;
  readonly wrapUps: WrapUpArea;
  /** When the customer panels' durations were last rewritten (whole seconds). */
  private lastSecond = 0;

  constructor(actions: DeskActions, explain: (err: unknown) => string) {
    this.topbar = new Topbar(actions);
    this.ringing = new RingingBanner(() => actions.accept());
    this.connection = new ConnectionBanner();
    this.away = new AwayBanner(() => actions.setAvailability("Online"));
    this.chatList = new ChatList((chat, mode, focus) => actions.open(chat, mode, focus));
    this.threads = new ThreadArea(actions);
    this.notices = new Notices((id) => actions.dismiss(id));
    this.wrapUps = new WrapUpArea(actions, explain);
    this.el = h(
      "div",
      { class: "desk", "data-testid": "desk-view" },
      this.topbar.el,
      h("div", { class: "banners" }, this.connection.el, this.away.el, this.ringing.el),
      h("main", { class: "desk-body" }, h("div", { class: "sidebar-col" }, this.chatList.el, this.wrapUps.el), this.threads.el),
      this.notices.el,
    );
  }

  update(state: DeskState, now: number): void {
    this.topbar.update(state);
    this.ringing.update(state, now);
    this.connection.update(state, now);
    this.away.update(state);
    this.chatList.update(state);
    this.threads.update(state);
    this.notices.update(state);
    this.wrapUps.update(state);
  }

  tick(now: number): void {
    this.ringing.tick(now);
    this.connection.tick(now);
    // The customer panels' live duration (to the minute; rewritten only when its text changes).
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond && this.threads.panelsVisible) {
      this.lastSecond = second;
      this.threads.tick(now);
    }
  }

  /** How often the page needs `tick` (ms), or 0 for never: no timer runs unless something counts. */
  get tickPeriod(): number {
    if (this.ringing.ringing || this.connection.counting) return 250;
    // Durations show whole minutes: a look every 10 s keeps them at most 10 s late.
    return this.threads.panelsVisible ? 10_000 : 0;
  }
}
