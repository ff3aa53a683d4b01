// The document-wide key handler: maps keys to commands (shortcuts.ts) and runs them on the app.
import type { App } from "../app";
import { isTextField } from "../lib/dom";
import { longestWaiting, neighbourChat } from "../store/selectors";
import { commandFor, type Command } from "./shortcuts";

export function runCommand(app: App, cmd: Command): boolean {
  const s = app.state;
  if (s.session !== "loggedIn") return cmd === "help" ? (app.toggleHelp(), true) : false;
  switch (cmd) {
    case "accept":
      void app.accept();
      return true;
    case "nextChat":
    case "prevChat": {
      const k = neighbourChat(s, cmd === "nextChat" ? 1 : -1);
      if (k) app.open(k, "replace", isTextField(document.activeElement));
      return true;
    }
    case "longestWaiting": {
      const k = longestWaiting(s);
      if (k) app.open(k, "replace", true);
      return true;
    }
    case "endChat":
      void app.endChat();
      return true;
    case "transfer":
      app.transfer();
      return true;
    case "focusComposer":
      app.focusComposer();
      return true;
    case "focusChatList":
      app.focusChatList();
      return true;
    case "closePane":
      if (s.active) app.dispatch({ type: "ui/close", chat: s.active });
      return true;
    case "toggleCustomerPanel":
      app.togglePanel();
      return true;
    case "setOnline":
      void app.setAvailability("Online");
      return true;
    case "setAway":
      void app.setAvailability("Away");
      return true;
    case "setOccupied":
      void app.setAvailability("Occupied");
      return true;
    case "help":
      app.toggleHelp();
      return true;
    case "escape":
      return false;
  }
}

export function installKeyboard(app: App): void {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const cmd = commandFor(e, isTextField(document.activeElement));
    if (!cmd) return;
    // With a dialog open only the help toggle works; the dialog owns Escape and Tab.
    if (app.dialogOpen && cmd !== "help") return;
    if (runCommand(app, cmd)) e.preventDefault();
  });
}
