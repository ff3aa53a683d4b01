// The desk's header: who is logged in, availability, and the session's buttons.
import type { DeskState } from "../store/state";
import type { Availability, Settings } from "../types";
import { h, setText } from "../lib/dom";

export interface TopbarActions {
  setAvailability(a: Availability): void;
  help(): void;
  logout(): void;
  quit(): void;
  mute(muted: boolean): void;
  autoAccept(on: boolean): void;
  /** The predefined-response library (settings), as a dialog over the desk. */
  openResponses?(): void;
  /** Past chats, as a dialog over the desk. */
  openHistory?(): void;
  /** Alert and presence preferences, as a dialog over the desk. */
  openAlerts?(): void;
}

const CHOICES: Availability[] = ["Online", "Away", "Occupied"];

export class Topbar {
  readonly el: HTMLElement;
  readonly select: HTMLSelectElement;
  private who: HTMLElement;
  private offline: HTMLOptionElement;
  private muted = false;
  private muteBtn: HTMLButtonElement;
  private auto: HTMLInputElement;

  constructor(actions: TopbarActions) {
    this.who = h("span", { class: "who", "data-testid": "agent-name" });
    this.select = h("select", { id: "availability", class: "availability", "data-testid": "availability-select" });
    for (const a of CHOICES) this.select.append(h("option", { value: a, text: a }));
    this.offline = h("option", { value: "Offline", text: "Offline", disabled: true, hidden: true });
    this.select.append(this.offline);
    this.select.addEventListener("change", () => actions.setAvailability(this.select.value as Availability));
    const mute = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "mute-button", "aria-pressed": "false", title: "Mute the ringing sound and notifications", text: "Mute" });
    this.muteBtn = mute;
    mute.addEventListener("click", () => {
      this.showMuted(!this.muted);
      actions.mute(this.muted);
    });
    this.auto = h("input", { type: "checkbox", "data-testid": "auto-accept" });
    this.auto.addEventListener("change", () => actions.autoAccept(this.auto.checked));
    const autoLabel = h("label", { class: "auto-accept", title: "Take ringing chats without pressing Accept" }, this.auto, " Auto-accept");
    const help = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "help-button", title: "Keyboard shortcuts (? or F1)", text: "Shortcuts" });
    help.addEventListener("click", () => actions.help());
    const logout = h("button", { type: "button", class: "btn", "data-testid": "logout-button", text: "Log out" });
    logout.addEventListener("click", () => actions.logout());
    const quit = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "quit-button", text: "Quit" });
    quit.addEventListener("click", () => actions.quit());
    const responses = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "responses-button", title: "Predefined responses (Alt+R)", text: "Responses" });
    responses.addEventListener("click", () => actions.openResponses?.());
    const history = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "history-button", title: "History of past chats (Alt+H)", text: "History" });
    history.addEventListener("click", () => actions.openHistory?.());
    const alerts = h("button", { type: "button", class: "btn btn--ghost", "data-testid": "alerts-button", title: "Alerts and presence (Alt+A)", text: "Alerts" });
    alerts.addEventListener("click", () => actions.openAlerts?.());

    this.el = h(
      "header",
      { class: "topbar" },
      h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true", text: "AD" }), h("span", { class: "brand-name", text: "Agent Desk" })),
      h("div", { class: "topbar-mid" }, h("label", { class: "availability-label", for: "availability" }, this.who, " is"), this.select),
      h("div", { class: "topbar-actions" }, autoLabel, mute, alerts, responses, history, help, logout, quit),
    );
  }

  setSettings(s: Settings): void {
    this.showMuted(s.muted);
    this.auto.checked = s.autoAccept;
  }

  private showMuted(muted: boolean): void {
    this.muted = muted;
    this.muteBtn.setAttribute("aria-pressed", String(muted));
    this.muteBtn.textContent = muted ? "Unmute" : "Mute";
  }

  update(state: DeskState): void {
    const a = state.agent;
    setText(this.who, a ? a.nickname || a.loginName : "You");
    const value = state.availability.value;
    this.offline.hidden = value !== "Offline";
    if (value && this.select.value !== value) this.select.value = value;
    this.select.dataset.value = value ?? "";
    this.select.className = `availability is-${(value ?? "unknown").toLowerCase()}`;
  }
}
