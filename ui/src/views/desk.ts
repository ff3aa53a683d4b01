// The logged-in screen: header, banners, chat list and the thread area side by side.
import type { DeskState } from "../store/state";
import { h } from "../lib/dom";
import { Topbar, type TopbarActions } from "./topbar";
import { AwayBanner, ConnectionBanner, RingingBanner } from "./banners";
import { ChatList } from "./chatlist";
import { ThreadArea } from "./threads";
import type { ThreadActions } from "./thread";
import { Notices } from "./notices";
import type { ChatKey } from "../types";
import type { OpenMode } from "../store/panes";

export interface DeskActions extends TopbarActions, ThreadActions {
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

  constructor(actions: DeskActions) {
    this.topbar = new Topbar(actions);
    this.ringing = new RingingBanner(() => actions.accept());
    this.connection = new ConnectionBanner();
    this.away = new AwayBanner(() => actions.setAvailability("Online"));
    this.chatList = new ChatList((chat, mode, focus) => actions.open(chat, mode, focus));
    this.threads = new ThreadArea(actions);
    this.notices = new Notices((id) => actions.dismiss(id));
    this.el = h(
      "div",
      { class: "desk", "data-testid": "desk-view" },
      this.topbar.el,
      h("div", { class: "banners" }, this.connection.el, this.away.el, this.ringing.el),
      h("main", { class: "desk-body" }, this.chatList.el, this.threads.el),
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
  }

  tick(now: number): void {
    this.ringing.tick(now);
    this.connection.tick(now);
  }

  get needsTicks(): boolean {
    return this.ringing.ringing || this.connection.counting;
  }
}
