// The only door to the Tauri shell. Everything that talks to the engine goes through `commands`
// and `onEngineEvent`; tests swap the transport with `setTransport`.
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import type { ChatKey, EngineEvent, EngineLagged, IpcError, Json, LeaveRequested, OpenChat } from "./types";
import type { Availability, TextType, TransferTarget, LoginForm } from "./types";
import { EVENTS, type CommandName, type Commands } from "./bindings/commands";
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

type Args<C extends CommandName> = Commands[C]["args"];
/** What the command resolves to, as JSON delivers it (ids and times are numbers). */
type Returns<C extends CommandName> = Json<Commands[C]["returns"]>;

/**
 * Invokes a shell command, typed by the generated `Commands` map (a renamed command or changed
 * argument fails the UI's type check). Failures always reject with an `IpcError`.
 */
async function call<C extends CommandName>(
  cmd: C,
  ...args: Args<C> extends Record<string, never> ? [] : [Args<C>]
): Promise<Returns<C>> {
  try {
    return await transport.invoke<Returns<C>>(cmd, args[0] as Record<string, unknown> | undefined);
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

/** The shell's other events: a notification asked for a chat, the tray asks to confirm leaving, lag. */
export async function onShellEvents(h: {
  openChat(p: OpenChat): void;
  quitRequested(p: LeaveRequested): void;
  logoutRequested(p: LeaveRequested): void;
  engineLagged(p: EngineLagged): void;
}): Promise<() => void> {
  const offs = await Promise.all([
    transport.listen(EVENTS.openChat, (p) => isObject(p) && h.openChat(p as unknown as OpenChat)),
    transport.listen(EVENTS.quitRequested, (p) => isObject(p) && h.quitRequested(p as unknown as LeaveRequested)),
    transport.listen(EVENTS.logoutRequested, (p) => isObject(p) && h.logoutRequested(p as unknown as LeaveRequested)),
    transport.listen(EVENTS.engineLagged, (p) => h.engineLagged((isObject(p) ? p : { missed: 0 }) as unknown as EngineLagged)),
  ]);
  return () => offs.forEach((off) => off());
}

export const commands = {
  login: (form: LoginForm) => call("login", { form }),
  /** Logs in with the remembered token (`agent` set), or says what to fill the form with. */
  tryResume: () => call("try_resume"),
  startDemo: () => call("start_demo"),
  /** With open chats and `confirmed: false` the shell only reports the count to warn about. */
  logout: (confirmed: boolean) => call("logout", { confirmed }),
  /** Same for quitting: `mustWarn` until confirmed; the shell flushes the outbox and exits. */
  quit: (confirmed: boolean) => call("quit", { confirmed }),
  settings: () => call("settings"),
  setAutoAccept: (on: boolean) => call("set_auto_accept", { on }),
  /** Tells the shell which chat the agent is looking at (its lines count as read; no notification). */
  openChat: (chat: ChatKey | null) => call("open_chat", { chat }),
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
};
