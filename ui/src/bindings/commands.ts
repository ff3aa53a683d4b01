// Generated from src-tauri (cargo test -p agent-desk export_bindings). Do not edit.
import type { AgentNumbers } from "./AgentNumbers";
import type { AgentNumbersArgs } from "./AgentNumbersArgs";
import type { AgentProfile } from "./AgentProfile";
import type { AlertLatency } from "./AlertLatency";
import type { AlertLatencyArgs } from "./AlertLatencyArgs";
import type { AlertSettings } from "./AlertSettings";
import type { CannedResponse } from "./CannedResponse";
import type { ChatLine } from "./ChatLine";
import type { DeskSnapshot } from "./DeskSnapshot";
import type { EndChatArgs } from "./EndChatArgs";
import type { EngineError } from "./EngineError";
import type { EngineEvent } from "./EngineEvent";
import type { EngineLagged } from "./EngineLagged";
import type { ExitDecision } from "./ExitDecision";
import type { FetchImageArgs } from "./FetchImageArgs";
import type { FilledResponse } from "./FilledResponse";
import type { HistoryChatArgs } from "./HistoryChatArgs";
import type { HistoryHit } from "./HistoryHit";
import type { HistorySearchArgs } from "./HistorySearchArgs";
import type { HistorySetRetentionArgs } from "./HistorySetRetentionArgs";
import type { ImportReport } from "./ImportReport";
import type { LeaveRequested } from "./LeaveRequested";
import type { LoginForm } from "./LoginForm";
import type { LogoutArgs } from "./LogoutArgs";
import type { LogoutOutcome } from "./LogoutOutcome";
import type { OpenChat } from "./OpenChat";
import type { OpenLinkArgs } from "./OpenLinkArgs";
import type { PlayToneArgs } from "./PlayToneArgs";
import type { QuitArgs } from "./QuitArgs";
import type { ResponsesDeleteArgs } from "./ResponsesDeleteArgs";
import type { ResponsesFillArgs } from "./ResponsesFillArgs";
import type { ResponsesImportArgs } from "./ResponsesImportArgs";
import type { ResponsesReorderArgs } from "./ResponsesReorderArgs";
import type { ResponsesSaveArgs } from "./ResponsesSaveArgs";
import type { ResponsesSearchArgs } from "./ResponsesSearchArgs";
import type { ResponsesSuggestArgs } from "./ResponsesSuggestArgs";
import type { ResumeOutcome } from "./ResumeOutcome";
import type { RetryLineArgs } from "./RetryLineArgs";
import type { SaveDraftArgs } from "./SaveDraftArgs";
import type { SaveExportArgs } from "./SaveExportArgs";
import type { SaveViewArgs } from "./SaveViewArgs";
import type { SendCardArgs } from "./SendCardArgs";
import type { SendLineArgs } from "./SendLineArgs";
import type { SetAlertSettingsArgs } from "./SetAlertSettingsArgs";
import type { SetAutoAcceptArgs } from "./SetAutoAcceptArgs";
import type { SetAvailabilityArgs } from "./SetAvailabilityArgs";
import type { SetMutedArgs } from "./SetMutedArgs";
import type { SetSpellCheckArgs } from "./SetSpellCheckArgs";
import type { SetTypingArgs } from "./SetTypingArgs";
import type { Settings } from "./Settings";
import type { ShowChatsArgs } from "./ShowChatsArgs";
import type { SkipWrapUpArgs } from "./SkipWrapUpArgs";
import type { SpellCheck } from "./SpellCheck";
import type { SpellLanguages } from "./SpellLanguages";
import type { SubmitWrapUpArgs } from "./SubmitWrapUpArgs";
import type { TransferArgs } from "./TransferArgs";
import type { TransferOptions } from "./TransferOptions";
import type { TransferOptionsArgs } from "./TransferOptionsArgs";
import type { UnreadCounts } from "./UnreadCounts";
import type { ViewState } from "./ViewState";

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
  save_view: { args: SaveViewArgs; returns: null };
  view_state: { args: null; returns: ViewState };
  spell_languages: { args: null; returns: SpellLanguages };
  set_spell_check: { args: SetSpellCheckArgs; returns: SpellCheck };
  submit_wrap_up: { args: SubmitWrapUpArgs; returns: null };
  skip_wrap_up: { args: SkipWrapUpArgs; returns: null };
  send_card: { args: SendCardArgs; returns: string };
  responses_list: { args: null; returns: Array<CannedResponse> };
  responses_search: { args: ResponsesSearchArgs; returns: Array<CannedResponse> };
  responses_save: { args: ResponsesSaveArgs; returns: CannedResponse };
  responses_delete: { args: ResponsesDeleteArgs; returns: null };
  responses_reorder: { args: ResponsesReorderArgs; returns: null };
  responses_import: { args: ResponsesImportArgs; returns: ImportReport };
  responses_export: { args: null; returns: string };
  responses_fill: { args: ResponsesFillArgs; returns: FilledResponse };
  responses_suggest: { args: ResponsesSuggestArgs; returns: Array<CannedResponse> };
  history_search: { args: HistorySearchArgs; returns: Array<HistoryHit> };
  history_transcript: { args: HistoryChatArgs; returns: Array<ChatLine> };
  history_plain_text: { args: HistoryChatArgs; returns: string };
  history_retention: { args: null; returns: number };
  history_set_retention: { args: HistorySetRetentionArgs; returns: number };
  history_clear: { args: null; returns: number };
  agent_numbers: { args: AgentNumbersArgs; returns: AgentNumbers };
  fetch_image: { args: FetchImageArgs; returns: string };
  open_link: { args: OpenLinkArgs; returns: null };
  alert_settings: { args: null; returns: AlertSettings };
  set_alert_settings: { args: SetAlertSettingsArgs; returns: AlertSettings };
  alert_latency: { args: AlertLatencyArgs; returns: AlertLatency };
  play_tone: { args: PlayToneArgs; returns: null };
  save_export: { args: SaveExportArgs; returns: string };
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
  "save_view",
  "view_state",
  "spell_languages",
  "set_spell_check",
  "submit_wrap_up",
  "skip_wrap_up",
  "send_card",
  "responses_list",
  "responses_search",
  "responses_save",
  "responses_delete",
  "responses_reorder",
  "responses_import",
  "responses_export",
  "responses_fill",
  "responses_suggest",
  "history_search",
  "history_transcript",
  "history_plain_text",
  "history_retention",
  "history_set_retention",
  "history_clear",
  "agent_numbers",
  "fetch_image",
  "open_link",
  "alert_settings",
  "set_alert_settings",
  "alert_latency",
  "play_tone",
  "save_export",
];

/** The events the shell emits (`listen(EVENTS.engineEvent, ...)`). */
export const EVENTS = {
  engineEvent: "engine-event",
  engineLagged: "engine-lagged",
  openChat: "open-chat",
  quitRequested: "quit-requested",
  logoutRequested: "logout-requested",
  unread: "unread",
  windowHidden: "window-hidden",
} as const;

/** What each event carries. */
export type EventPayloads = {
  "engine-event": EngineEvent;
  "engine-lagged": EngineLagged;
  "open-chat": OpenChat;
  "quit-requested": LeaveRequested;
  "logout-requested": LeaveRequested;
  "unread": UnreadCounts;
  "window-hidden": null;
};
