// The only door to the Tauri shell. Everything that talks to the engine goes through `commands`
// and `onEngineEvent`; tests swap the transport with `setTransport`.
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { emit as tauriEmit, listen as tauriListen } from "@tauri-apps/api/event";
import type { ChatKey, EngineEvent, EngineLagged, IpcError, Json, LeaveRequested, OpenChat, UnreadCounts } from "./types";
import type { Availability, TextType, TransferTarget, LoginForm } from "./types";
import type { SurveyAnswer } from "./bindings/SurveyAnswer";
import type { ResponseInput } from "./bindings/ResponseInput";
import type { ImportMode } from "./bindings/ImportMode";
import type { HistoryQuery } from "./bindings/HistoryQuery";
import type { AlertSettings } from "./bindings/AlertSettings";
import type { RingTone } from "./bindings/RingTone";
import type { ViewMemory } from "./bindings/ViewMemory";
import type { SpellCheck } from "./bindings/SpellCheck";
import { EVENTS, type CommandName, type Commands, type EventPayloads } from "./bindings/commands";
import { toIpcError } from "./lib/errors";

export { EVENTS };
export const ENGINE_EVENT = EVENTS.engineEvent;

export interface Transport {
  invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void>;
}

/** True when the page runs inside the Tauri webview (or a test stub of it). */
export function hasShell(): boolean {
  return typeof window !== "undefined" && typeof (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__ === "object";
}

const NO_SHELL: IpcError = {
  code: "internal",
  message: "Agent Desk's window is not connected to its engine (the page runs outside the desktop app).",
  retryable: false,
};

const tauriTransport: Transport = {
  invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
    if (!hasShell()) return Promise.reject(NO_SHELL);
    return tauriInvoke<T>(cmd, args);
  },
  async listen(event, handler) {
    if (!hasShell()) return () => {};
    return tauriListen(event, (e) => handler(e.payload));
  },
};

let transport: Transport = tauriTransport;

export function setTransport(t: Transport | null): void {
  transport = t ?? tauriTransport;
}

/** The command's `args` struct (generated from its Rust function), or `null` when it takes none. */
export type Args<C extends CommandName> = Commands[C]["args"];
/** What the command resolves to, as JSON delivers it (ids and times are numbers). */
export type Returns<C extends CommandName> = Json<Commands[C]["returns"]>;

/**
 * Invokes a shell command as `invoke(cmd, { args })`, typed by the generated `Commands` map: the
 * argument and return types are read off the Rust functions, so a renamed command, argument field
 * or return type fails the UI's type check. Failures always reject with an `IpcError`.
 */
export async function call<C extends CommandName>(
  cmd: C,
  ...args: Args<C> extends null ? [] : [Args<C>]
): Promise<Returns<C>> {
  try {
    return await transport.invoke<Returns<C>>(cmd, args.length ? { args: args[0] } : undefined);
  } catch (err) {
    throw toIpcError(err);
  }
}

export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<() => void> {
  return transport.listen(ENGINE_EVENT, (payload) => {
    if (payload && typeof payload === "object" && "type" in payload) handler(payload as EngineEvent);
  });
}

function isObject(p: unknown): p is Record<string, unknown> {
  return p != null && typeof p === "object";
}

/** An event's payload as JSON delivers it (typed by the generated `EventPayloads`). */
type Payload<E extends keyof EventPayloads> = Json<EventPayloads[E]>;

/**
 * The shell's other events: a notification asked for a chat, the tray asks to confirm leaving, lag,
 * and the unread counts (the shell owns them; the page only shows them).
 */
export async function onShellEvents(h: {
  openChat(p: Payload<typeof EVENTS.openChat>): void;
  quitRequested(p: Payload<typeof EVENTS.quitRequested>): void;
  logoutRequested(p: Payload<typeof EVENTS.logoutRequested>): void;
  engineLagged(p: Payload<typeof EVENTS.engineLagged>): void;
  unread(p: Payload<typeof EVENTS.unread>): void;
  /** The window went to the tray: save the view and drafts now (the page may be released). */
  windowHidden?(): void;
}): Promise<() => void> {
  const offs = await Promise.all([
    transport.listen(EVENTS.openChat, (p) => isObject(p) && h.openChat(p as unknown as OpenChat)),
    transport.listen(EVENTS.quitRequested, (p) => isObject(p) && h.quitRequested(p as unknown as LeaveRequested)),
    transport.listen(EVENTS.logoutRequested, (p) => isObject(p) && h.logoutRequested(p as unknown as LeaveRequested)),
    transport.listen(EVENTS.engineLagged, (p) => h.engineLagged((isObject(p) ? p : { missed: 0 }) as unknown as EngineLagged)),
    transport.listen(EVENTS.unread, (p) => isObject(p) && isObject(p.chats) && h.unread(p as unknown as UnreadCounts)),
    transport.listen(EVENTS.windowHidden, () => h.windowHidden?.()),
  ]);
  return () => offs.forEach((off) => off());
}

export const commands = {
  login: (form: LoginForm) => call("login", form),
  /** Logs in with the remembered token (`agent` set), or says what to fill the form with. */
  tryResume: () => call("try_resume"),
  startDemo: () => call("start_demo"),
  /** With open chats and `confirmed: false` the shell only reports the count to warn about. */
  logout: (confirmed: boolean) => call("logout", { confirmed }),
  /** Same for quitting: `mustWarn` until confirmed; the shell flushes the outbox and exits. */
  quit: (confirmed: boolean) => call("quit", { confirmed }),
  settings: () => call("settings"),
  setAutoAccept: (on: boolean) => call("set_auto_accept", { on }),
  /**
   * Tells the shell which chats the panes show: a newly shown chat is read, and so are lines in
   * shown chats while the window has focus. Resolves to the shell's unread counts.
   */
  showChats: (chats: ChatKey[]) => call("show_chats", { chats }),
  /** Leaves what the page shows (panes, scroll positions) with the shell, for the next page. */
  saveView: (view: ViewMemory) => call("save_view", { view }),
  /** The view an earlier page left, and a chat asked for while there was no page. */
  viewState: () => call("view_state"),
  /** Spell checking as stored, the dictionaries installed and the system's language. */
  spellLanguages: () => call("spell_languages"),
  /** Stores spell checking (a language must be installed) and applies it at once. */
  setSpellCheck: (setting: SpellCheck) => call("set_spell_check", { setting }),
  activeChatCount: () => call("active_chat_count"),
  setAvailability: (availability: Availability, reasonId: string | null = null) =>
    call("set_availability", { availability, reasonId }),
  accept: () => call("accept"),
  sendLine: (chat: ChatKey, text: string, textType: TextType = "plain", agentOnly = false) =>
    call("send_line", { chat, text, textType, agentOnly }),
  retryLine: (localId: string) => call("retry_line", { localId }),
  endChat: (chat: ChatKey) => call("end_chat", { chat }),
  transferOptions: (chat: ChatKey) => call("transfer_options", { chat }),
  transfer: (chat: ChatKey, target: TransferTarget, note: string | null) =>
    call("transfer", { chat, target, note }),
  setTyping: (chat: ChatKey, typing: boolean) => call("set_typing", { chat, typing }),
  saveDraft: (chat: ChatKey, text: string) => call("save_draft", { chat, text }),
  snapshot: () => call("snapshot"),
  setMuted: (muted: boolean) => call("set_muted", { muted }),
  submitWrapUp: (chat: ChatKey, answers: SurveyAnswer[]) => call("submit_wrap_up", { chat, answers }),
  skipWrapUp: (chat: ChatKey) => call("skip_wrap_up", { chat }),
  /** Sends a structured-content card; `text` is shown by clients that cannot draw cards. */
  sendCard: (chat: ChatKey, text: string, card: unknown) => call("send_card", { chat, text, card }),
  // The response library (local; nothing leaves the machine).
  responsesList: () => call("responses_list"),
  responsesSearch: (query: string, limit: number | null = null) => call("responses_search", { query, limit }),
  responsesSave: (id: number | null, input: ResponseInput) => call("responses_save", { id, input }),
  responsesDelete: (id: number) => call("responses_delete", { id }),
  responsesReorder: (category: string, ids: number[]) => call("responses_reorder", { category, ids }),
  responsesImport: (json: string, mode: ImportMode) => call("responses_import", { json, mode }),
  responsesExport: () => call("responses_export"),
  /** A response filled for a chat (`time` as the agent's clock shows it). */
  responsesFill: (id: number, chat: ChatKey, time: string) => call("responses_fill", { id, chat, time }),
  responsesSuggest: (chat: ChatKey) => call("responses_suggest", { chat }),
  // History and the agent's own numbers.
  historySearch: (query: HistoryQuery) => call("history_search", { query }),
  historyTranscript: (chat: ChatKey) => call("history_transcript", { chat, utcOffsetMinutes: utcOffsetMinutes() }),
  historyPlainText: (chat: ChatKey) => call("history_plain_text", { chat, utcOffsetMinutes: utcOffsetMinutes() }),
  historyRetention: () => call("history_retention"),
  historySetRetention: (days: number) => call("history_set_retention", { days }),
  historyClear: () => call("history_clear"),
  agentNumbers: () => call("agent_numbers", { utcOffsetMinutes: utcOffsetMinutes() }),
  /** A card's image, fetched by the shell (http/https, ≤ 2 MiB, PNG/JPEG/GIF/WebP) as a `data:` URL. */
  fetchImage: (url: string) => call("fetch_image", { url }),
  /** Opens an http(s) address in the system browser (other schemes are refused). */
  openLink: (url: string) => call("open_link", { url }),
  /** Ring escalation, per-event alerts and presence preferences (stored by the shell). */
  alertSettings: () => call("alert_settings"),
  setAlertSettings: (settings: AlertSettings) => call("set_alert_settings", { settings }),
  /** Today's alert latency: p50/p95/max per kind (the agent's local day). */
  alertLatency: () => call("alert_latency", { utcOffsetMinutes: utcOffsetMinutes() }),
  /** Plays a tone once at a volume (0–100), even while muted: the settings' preview. */
  playTone: (tone: RingTone, volume: number) => call("play_tone", { tone, volume }),
  /** Saves an export into the Downloads folder (never overwriting); resolves to the path written. */
  saveExport: (fileName: string, text: string) => call("save_export", { fileName, text }),
};

/** The agent's clock's offset from UTC, in minutes (east positive). */
export function utcOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}

/**
 * Tells the shell the page has drawn what it restores at start (the desk with its chats, or the
 * login form), two frames later as for `reportFirstRender`: a window built again after tray mode is
 * shown then, so the agent never sees it blank.
 */
export function reportReady(): void {
  if (!hasShell()) return;
  // A hidden window draws no frames (no animation frame comes): say it at once; showing the
  // window paints what the DOM holds.
  if (document.visibilityState === "hidden" || typeof requestAnimationFrame !== "function") {
    tauriEmit("ui-ready").catch(() => {});
    return;
  }
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      tauriEmit("ui-ready").catch(() => {});
    }),
  );
}

/** Wall-clock milliseconds (fractional) of a moment on the page's clock. */
function wallMs(pageMs: number): number {
  return performance.timeOrigin + pageMs;
}

/**
 * Tells the shell the first frame with content is on screen (it logs a timing mark, read by
 * `scripts/bench-desktop.sh`). Two animation frames after the first render: the first callback runs
 * before that frame is drawn, the second once it has been. The event carries the page's own marks
 * (wall-clock ms): navigation start, the document parsed, the script started, the first view built,
 * the two frames; the shell logs each, so the time between "page load" and "first render" can be
 * told apart. Outside the shell: nothing.
 */
export function reportFirstRender(marks: Array<[string, number]>): void {
  if (!hasShell() || typeof requestAnimationFrame !== "function") return;
  requestAnimationFrame((first) =>
    requestAnimationFrame((second) => {
      const nav = performance.getEntriesByType?.("navigation")[0] as PerformanceNavigationTiming | undefined;
      const all: Array<[string, number]> = [["navigation start", wallMs(0)]];
      if (nav) all.push(["document parsed", wallMs(nav.domInteractive)]);
      all.push(...marks, ["frame 1 (callback)", wallMs(first)], ["frame 2 (callback)", wallMs(second)]);
      tauriEmit("ui-first-render", { marks: all }).catch(() => {});
    }),
  );
}

/** A page mark for `reportFirstRender`: now, on the wall clock. */
export function pageMark(name: string): [string, number] {
  return [name, wallMs(performance.now())];
}
