// The only door to the Tauri shell. Everything that talks to the engine goes through `commands`
// and `onEngineEvent`; tests swap the transport with `setTransport`.
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import type {
  AgentProfile,
  Availability,
  ChatKey,
  DeskSnapshot,
  EngineEvent,
  EngineLagged,
  ExitDecision,
  IpcError,
  LeaveRequested,
  LoginForm,
  LogoutOutcome,
  OpenChat,
  ResumeOutcome,
  Settings,
  TextType,
  TransferOptions,
  TransferTarget,
} from "./types";
import { toIpcError } from "./lib/errors";

/** The shell's event channels (src-tauri/src/ui_events.rs). */
export const EVENTS = {
  engineEvent: "engine-event",
  engineLagged: "engine-lagged",
  openChat: "open-chat",
  quitRequested: "quit-requested",
  logoutRequested: "logout-requested",
} as const;
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

/** Invoke a shell command; failures always reject with an `IpcError`. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await transport.invoke<T>(cmd, args);
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
  login: (form: LoginForm) => call<AgentProfile>("login", { form }),
  /** Logs in with the remembered token (`agent` set), or says what to fill the form with. */
  tryResume: () => call<ResumeOutcome>("try_resume"),
  startDemo: () => call<AgentProfile>("start_demo"),
  /** With open chats and `confirmed: false` the shell only reports the count to warn about. */
  logout: (confirmed: boolean) => call<LogoutOutcome>("logout", { confirmed }),
  /** Same for quitting: `mustWarn` until confirmed; the shell flushes the outbox and exits. */
  quit: (confirmed: boolean) => call<ExitDecision>("quit", { confirmed }),
  settings: () => call<Settings>("settings"),
  setAutoAccept: (on: boolean) => call<Settings>("set_auto_accept", { on }),
  /** Tells the shell which chat the agent is looking at (its lines count as read; no notification). */
  openChat: (chat: ChatKey | null) => call<void>("open_chat", { chat }),
  activeChatCount: () => call<number>("active_chat_count"),
  setAvailability: (availability: Availability, reasonId: string | null = null) =>
    call<void>("set_availability", { availability, reasonId }),
  accept: () => call<ChatKey>("accept"),
  sendLine: (chat: ChatKey, text: string, textType: TextType = "plain", agentOnly = false) =>
    call<string>("send_line", { chat, text, textType, agentOnly }),
  retryLine: (localId: string) => call<void>("retry_line", { localId }),
  endChat: (chat: ChatKey) => call<void>("end_chat", { chat }),
  transferOptions: (chat: ChatKey) => call<TransferOptions>("transfer_options", { chat }),
  transfer: (chat: ChatKey, target: TransferTarget, note: string | null) =>
    call<void>("transfer", { chat, target, note }),
  setTyping: (chat: ChatKey, typing: boolean) => call<void>("set_typing", { chat, typing }),
  saveDraft: (chat: ChatKey, text: string) => call<void>("save_draft", { chat, text }),
  snapshot: () => call<DeskSnapshot>("snapshot"),
  setMuted: (muted: boolean) => call<Settings>("set_muted", { muted }),
};
