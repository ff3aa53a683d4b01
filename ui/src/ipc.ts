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
  IpcError,
  TextType,
  TransferOptions,
  TransferTarget,
} from "./types";
import { toIpcError } from "./lib/errors";

export const ENGINE_EVENT = "engine-event";

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

export const commands = {
  login: (server: string, account: string, user: string, password: string) =>
    call<AgentProfile>("login", { server, account, user, password }),
  /** A remembered token logs in without the form; resolves `null` (or rejects) when there is none. */
  tryResume: () => call<AgentProfile | null>("try_resume"),
  startDemo: () => call<AgentProfile | null>("start_demo"),
  logout: () => call<void>("logout"),
  /** Asks the shell to stop the engine and exit (the shell owns the window's lifetime). */
  quit: () => call<void>("quit"),
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
  setMuted: (muted: boolean) => call<void>("set_muted", { muted }),
};
