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
  | "escape"
  | "openResponses"
  | "openHistory"
  | "openAlerts"
  | "openDiagnostics"
  | "insertResponse"
  | "insertSuggestion";

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
  B("openResponses", "Alt+KeyR"),
  B("openHistory", "Alt+KeyH"),
  B("openAlerts", "Alt+KeyA"),
  B("openDiagnostics", "Alt+KeyD"),
];

/**
 * Keys that mean something else while the focus is in a message box (checked before `BINDINGS`):
 * Alt+1…9 insert the predefined response with that hotkey (outside the box Alt+1/2/3 still set the
 * availability), Alt+0 the first suggestion.
 */
export const COMPOSER_BINDINGS: Binding[] = [
  ...Array.from({ length: 9 }, (_, i) => B("insertResponse", `Alt+Digit${i + 1}`)),
  B("insertSuggestion", "Alt+Digit0"),
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
  openResponses: "Predefined responses (settings)",
  openHistory: "History of past chats",
  openAlerts: "Alerts and presence (settings)",
  openDiagnostics: "Diagnostics: today's alert latency",
  insertResponse: "In the message box: insert the predefined response with that hotkey",
  insertSuggestion: "In the message box: insert the first suggested response",
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

/**
 * The command a key press means, or null. `inField`: focus is in a text input; `inComposer`: it is
 * in a chat's message box (where `COMPOSER_BINDINGS` come first).
 */
export function commandFor(e: KeyLike, inField: boolean, inComposer = false): Command | null {
  const chords = chordOf(e);
  if (inComposer) for (const b of COMPOSER_BINDINGS) if (chords.includes(b.chord)) return b.command;
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
  const inComposer = new Set(COMPOSER_BINDINGS.map((b) => b.chord));
  for (const b of [...BINDINGS, ...COMPOSER_BINDINGS]) {
    const list = rows.get(b.command) ?? [];
    // A key the message box takes for itself works everywhere else.
    const shadowed = BINDINGS.includes(b) && inComposer.has(b.chord);
    list.push(displayChord(b.chord) + (shadowed ? " (outside the message box)" : ""));
    rows.set(b.command, list);
  }
  return [...rows].map(([command, keys]) => ({ command, description: DESCRIPTIONS[command], keys: collapseDigits(keys) }));
}

/** ["Alt+1", "Alt+2", …, "Alt+9"] → ["Alt+1…9"]: a run of three or more digit keys as one range. */
function collapseDigits(keys: string[]): string[] {
  const m = keys.map((k) => /^(.*\+)(\d)$/.exec(k));
  if (keys.length < 3 || m.some((x) => !x || x[1] !== m[0]![1])) return keys;
  const digits = m.map((x) => Number(x![2]));
  if (!digits.every((d, i) => i === 0 || d === digits[i - 1]! + 1)) return keys;
  return [`${m[0]![1]}${digits[0]}…${digits.at(-1)}`];
}
