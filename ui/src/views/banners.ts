// Banners above the desk: the ringing offer with its live countdown, and the connection state.
import type { DeskState } from "../store/state";
import { h, setText } from "../lib/dom";
import { fractionLeft, secondsToShow } from "../lib/countdown";
import { relativeIn } from "../lib/time";

export class RingingBanner {
  readonly el: HTMLElement;
  private text: HTMLElement;
  private secs: HTMLElement;
  private bar: HTMLElement;
  private state: DeskState["ringing"] = null;

  constructor(accept: () => void) {
    this.text = h("span", { class: "ring-text", "data-testid": "ringing-text" });
    this.secs = h("span", { class: "ring-secs", "data-testid": "ringing-countdown" });
    this.bar = h("div", { class: "ring-bar-fill" });
    const btn = h("button", { type: "button", class: "btn btn--accept", "data-testid": "accept-button", title: "Accept (Ctrl+Shift+A)", text: "Accept" });
    btn.addEventListener("click", accept);
    this.el = h(
      "div",
      { class: "banner banner--ring", role: "region", "aria-label": "Ringing chat", "data-testid": "ringing-banner", hidden: true },
      h("span", { class: "ring-dot", "aria-hidden": "true" }),
      h("div", { class: "ring-main" }, h("div", {}, this.text, " ", this.secs), h("div", { class: "ring-bar", "aria-hidden": "true" }, this.bar)),
      btn,
    );
  }

  update(state: DeskState, now: number): void {
    this.state = state.ringing;
    this.tick(now);
  }

  /** Called on a timer while ringing: only the countdown changes. */
  tick(now: number): void {
    const r = this.state;
    this.el.hidden = !r;
    if (!r) return;
    const s = secondsToShow(r, now);
    setText(this.text, r.count === 1 ? "A chat is waiting for you" : `${r.count} chats are waiting`);
    setText(this.secs, s > 0 ? `— ${s} s left to accept` : "— offer window closed");
    this.secs.dataset.seconds = String(s);
    this.bar.style.width = `${(fractionLeft(r, now) * 100).toFixed(1)}%`;
    this.el.classList.toggle("is-urgent", s <= 5);
  }

  get ringing(): boolean {
    return this.state != null;
  }
}

export class ConnectionBanner {
  readonly el: HTMLElement;
  private text: HTMLElement;
  private conn: DeskState["connection"] | null = null;
  private loggedIn = false;

  constructor() {
    this.text = h("span", { "data-testid": "connection-text" });
    this.el = h("div", { class: "banner banner--conn", role: "region", "aria-label": "Connection", "data-testid": "connection-banner", hidden: true }, h("span", { class: "conn-dot", "aria-hidden": "true" }), this.text);
  }

  update(state: DeskState, now: number): void {
    this.conn = state.connection;
    this.loggedIn = state.session === "loggedIn";
    this.tick(now);
  }

  tick(now: number): void {
    const c = this.conn;
    const visible = !!c && this.loggedIn && c.state !== "online";
    this.el.hidden = !visible;
    if (!c || !visible) return;
    this.el.dataset.state = c.state;
    let msg: string;
    if (c.state === "retrying") {
      msg = "Cannot reach the server.";
      msg += c.retryAt ? ` Retrying ${relativeIn(c.retryAt, now)} (at ${new Date(c.retryAt).toLocaleTimeString()}).` : " Retrying…";
    } else if (c.state === "reauthenticating") {
      msg = "Signing in to the server again…";
    } else {
      msg = "Offline: not connected to the server.";
    }
    if (c.detail) msg += ` ${c.detail}`;
    setText(this.text, msg);
  }

  get counting(): boolean {
    return !this.el.hidden && this.conn?.retryAt != null;
  }
}

/** Shown when the server flipped the agent to Away (an offer went unanswered), with a way back. */
export class AwayBanner {
  readonly el: HTMLElement;

  constructor(goOnline: () => void) {
    const btn = h("button", { type: "button", class: "btn btn--small", "data-testid": "go-online", text: "Go Online" });
    btn.addEventListener("click", goOnline);
    this.el = h(
      "div",
      { class: "banner banner--away", role: "region", "aria-label": "Availability", "data-testid": "availability-server-note", hidden: true },
      h("span", { class: "away-dot", "aria-hidden": "true" }),
      h("span", { class: "away-text", text: "The server set you to Away because a chat offer went unanswered." }),
      btn,
    );
  }

  update(state: DeskState): void {
    this.el.hidden = !(state.availability.byServer && state.availability.value === "Away");
  }
}
