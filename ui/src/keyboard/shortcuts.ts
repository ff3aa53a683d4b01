// The keyboard map: one table drives both the handler and the help overlay.

export type Command =
  | "accept"
  | "nextChat"
  | "prevChat"
  | "longestWaiting"
  | "endChat"
  | "transfer"
  | "focusComposer"
  | "focusChatList"
  | "closePane"
  | "toggleCustomerPanel"
  | "setOnline"
  | "setAway"
  | "setOccupied"
  | "help"
  | "escape";

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

interface Binding {
  command: Command;
  /** e.g. "Ctrl+Shift+KeyA", "Alt+KeyJ", "Ctrl+ArrowDown", "F1", "?" */
  chord: string;
  /** Also fires while typing in a text field. */
  inFields: boolean;
}

const B = (command: Command, chord: string, inFields = true): Binding => ({ command, chord, inFields });

export const BINDINGS: Binding[] = [
  B("accept", "Ctrl+Shift+KeyA"),
  B("nextChat", "Ctrl+ArrowDown"),
  B("nextChat", "Alt+KeyJ"),
  B("prevChat", "Ctrl+ArrowUp"),
  B("prevChat", "Alt+KeyK"),
  B("longestWaiting", "Alt+KeyW"),
  B("endChat", "Ctrl+Shift+KeyE"),
  B("transfer", "Ctrl+Shift+KeyT"),
  B("focusComposer", "Ctrl+Shift+KeyM"),
  B("focusComposer", "Alt+KeyC"),
  B("focusChatList", "Alt+KeyL"),
  B("closePane", "Ctrl+Shift+KeyX"),
  B("toggleCustomerPanel", "Ctrl+KeyI"),
  B("setOnline", "Alt+Digit1"),
  B("setAway", "Alt+Digit2"),
  B("setOccupied", "Alt+Digit3"),
  B("help", "F1"),
  B("help", "?", false),
  B("escape", "Escape"),
];

export const DESCRIPTIONS: Record<Command, string> = {
  accept: "Accept the ringing chat",
  nextChat: "Next chat",
  prevChat: "Previous chat",
  longestWaiting: "Jump to the chat waiting longest",
  endChat: "End the active chat",
  transfer: "Transfer the active chat",
  focusComposer: "Focus the message box",
  focusChatList: "Focus the chat list",
  closePane: "Close the active thread pane",
  toggleCustomerPanel: "Show or hide the customer panel of the active chat",
  setOnline: "Set availability: Online",
  setAway: "Set availability: Away",
  setOccupied: "Set availability: Occupied",
  help: "Show or hide this help",
  escape: "Close dialog or help",
};

function chordOf(e: KeyLike): string[] {
  const mods = [e.ctrlKey || e.metaKey ? "Ctrl+" : "", e.shiftKey ? "Shift+" : "", e.altKey ? "Alt+" : ""];
  const prefix = mods.join("");
  // Physical keys for letters and digits, so Alt/Shift layouts (Alt+J → "∆") still match.
  const out = new Set<string>();
  if (e.code) out.add(prefix + e.code);
  out.add(prefix + e.key);
  // A typed "?" carries Shift on most layouts; match it by the character alone.
  if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey) out.add("?");
  return [...out];
}

/** The command a key press means, or null. `inField`: focus is in a text input. */
export function commandFor(e: KeyLike, inField: boolean): Command | null {
  const chords = chordOf(e);
  for (const b of BINDINGS) {
    if (!b.inFields && inField) continue;
    if (chords.includes(b.chord)) return b.command;
  }
  return null;
}

/** "Ctrl+Shift+KeyA" → "Ctrl+Shift+A" for people. */
export function displayChord(chord: string): string {
  return chord
    .replace(/Key([A-Z])/, "$1")
    .replace(/Digit(\d)/, "$1")
    .replace("ArrowDown", "↓")
    .replace("ArrowUp", "↑");
}

export function helpRows(): { command: Command; description: string; keys: string[] }[] {
  const rows = new Map<Command, string[]>();
  for (const b of BINDINGS) {
    const list = rows.get(b.command) ?? [];
    list.push(displayChord(b.chord));
    rows.set(b.command, list);
  }
  return [...rows].map(([command, keys]) => ({ command, description: DESCRIPTIONS[command], keys }));
}
