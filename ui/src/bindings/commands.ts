// Generated from src-tauri (cargo test -p agent-desk export_bindings). Do not edit.
import type { AgentProfile } from "./AgentProfile";
import type { DeskSnapshot } from "./DeskSnapshot";
import type { EndChatArgs } from "./EndChatArgs";
import type { EngineError } from "./EngineError";
import type { EngineEvent } from "./EngineEvent";
import type { EngineLagged } from "./EngineLagged";
import type { ExitDecision } from "./ExitDecision";
import type { FetchImageArgs } from "./FetchImageArgs";
import type { LeaveRequested } from "./LeaveRequested";
import type { LoginForm } from "./LoginForm";
import type { LogoutArgs } from "./LogoutArgs";
import type { LogoutOutcome } from "./LogoutOutcome";
import type { OpenChat } from "./OpenChat";
import type { OpenLinkArgs } from "./OpenLinkArgs";
import type { QuitArgs } from "./QuitArgs";
import type { ResumeOutcome } from "./ResumeOutcome";
import type { RetryLineArgs } from "./RetryLineArgs";
import type { SaveDraftArgs } from "./SaveDraftArgs";
import type { SendCardArgs } from "./SendCardArgs";
import type { SendLineArgs } from "./SendLineArgs";
import type { SetAutoAcceptArgs } from "./SetAutoAcceptArgs";
import type { SetAvailabilityArgs } from "./SetAvailabilityArgs";
import type { SetMutedArgs } from "./SetMutedArgs";
import type { SetTypingArgs } from "./SetTypingArgs";
import type { Settings } from "./Settings";
import type { ShowChatsArgs } from "./ShowChatsArgs";
import type { SkipWrapUpArgs } from "./SkipWrapUpArgs";
import type { SubmitWrapUpArgs } from "./SubmitWrapUpArgs";
import type { TransferArgs } from "./TransferArgs";
import type { TransferOptions } from "./TransferOptions";
import type { TransferOptionsArgs } from "./TransferOptionsArgs";
import type { UnreadCounts } from "./UnreadCounts";

/** What every command rejects with: `{ code, message, retryable }`, the engine's error type. */
export type CommandError = EngineError;

/**
 * Every command of the shell, read off its Rust function (src-tauri/src/commands): call it as
 * `invoke(name, { args })` with `args` of the given type (no payload when `args` is `null`);
 * it resolves to `returns` or rejects with a `CommandError`.
 */
export type Commands = {
  login: { args: LoginForm; returns: AgentProfile };
  try_resume: { args: null; returns: ResumeOutcome };
  start_demo: { args: null; returns: AgentProfile };
  active_chat_count: { args: null; returns: number };
  logout: { args: LogoutArgs; returns: LogoutOutcome };
  quit: { args: QuitArgs; returns: ExitDecision };
  set_availability: { args: SetAvailabilityArgs; returns: null };
  accept: { args: null; returns: string };
  send_line: { args: SendLineArgs; returns: string };
  retry_line: { args: RetryLineArgs; returns: null };
  end_chat: { args: EndChatArgs; returns: null };
  transfer_options: { args: TransferOptionsArgs; returns: TransferOptions };
  transfer: { args: TransferArgs; returns: null };
  set_typing: { args: SetTypingArgs; returns: null };
  save_draft: { args: SaveDraftArgs; returns: null };
  snapshot: { args: null; returns: DeskSnapshot };
  settings: { args: null; returns: Settings };
  set_muted: { args: SetMutedArgs; returns: Settings };
  set_auto_accept: { args: SetAutoAcceptArgs; returns: Settings };
  show_chats: { args: ShowChatsArgs; returns: UnreadCounts };
  submit_wrap_up: { args: SubmitWrapUpArgs; returns: null };
  skip_wrap_up: { args: SkipWrapUpArgs; returns: null };
  send_card: { args: SendCardArgs; returns: string };
  fetch_image: { args: FetchImageArgs; returns: string };
  open_link: { args: OpenLinkArgs; returns: null };
};

export type CommandName = keyof Commands;

export const COMMANDS: readonly CommandName[] = [
  "login",
  "try_resume",
  "start_demo",
  "active_chat_count",
  "logout",
  "quit",
  "set_availability",
  "accept",
  "send_line",
  "retry_line",
  "end_chat",
  "transfer_options",
  "transfer",
  "set_typing",
  "save_draft",
  "snapshot",
  "settings",
  "set_muted",
  "set_auto_accept",
  "show_chats",
  "submit_wrap_up",
  "skip_wrap_up",
  "send_card",
  "fetch_image",
  "open_link",
];

/** The events the shell emits (`listen(EVENTS.engineEvent, ...)`). */
export const EVENTS = {
  engineEvent: "engine-event",
  engineLagged: "engine-lagged",
  openChat: "open-chat",
  quitRequested: "quit-requested",
  logoutRequested: "logout-requested",
  unread: "unread",
} as const;

/** What each event carries. */
export type EventPayloads = {
  "engine-event": EngineEvent;
  "engine-lagged": EngineLagged;
  "open-chat": OpenChat;
  "quit-requested": LeaveRequested;
  "logout-requested": LeaveRequested;
  "unread": UnreadCounts;
};
