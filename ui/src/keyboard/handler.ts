// The document-wide key handler: maps keys to commands (shortcuts.ts) and runs them on the app.
import type { App } from "../app";
import { isTextField } from "../lib/dom";
import { longestWaiting, neighbourChat } from "../store/selectors";
import { commandFor, type Command, type KeyLike } from "./shortcuts";
import { hotkeyIndex } from "../features/picker";

/** The message box the focus is in, by its chat (null elsewhere). */
export function composerChat(el: Element | null): string | null {
  return el instanceof HTMLTextAreaElement && el.dataset.testid === "composer-input" ? (el.dataset.chat ?? null) : null;
}

export function runCommand(app: App, cmd: Command, e?: KeyLike): boolean {
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
    case "openResponses":
      app.tools.openResponses();
      return true;
    case "openHistory":
      void app.tools.openHistory();
      return true;
    case "openAlerts":
      app.tools.openAlerts();
      return true;
    case "openDiagnostics":
      app.tools.openDiagnostics();
      return true;
    case "insertResponse": {
      const chat = composerChat(document.activeElement);
      const n = e ? hotkeyIndex(e as KeyboardEvent) : null;
      if (!chat || n == null) return false;
      void app.tools.insertHotkey(chat, n);
      return true;
    }
    case "insertSuggestion": {
      const chat = composerChat(document.activeElement);
      if (!chat) return false;
      void app.tools.insertSuggestion(chat);
      return true;
    }
  }
}

export function installKeyboard(app: App): void {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const cmd = commandFor(e, isTextField(document.activeElement), composerChat(document.activeElement) != null);
    if (!cmd) return;
    // With a dialog open only the help toggle works; the dialog owns Escape and Tab.
    if (app.dialogOpen && cmd !== "help") return;
    if (runCommand(app, cmd, e)) e.preventDefault();
  });
}
