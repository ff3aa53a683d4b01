// Generated from src-tauri (cargo test -p agent-desk export_bindings). Do not edit.
import type { AgentProfile } from "./AgentProfile";
import type { Availability } from "./Availability";
import type { DeskSnapshot } from "./DeskSnapshot";
import type { ExitDecision } from "./ExitDecision";
import type { LoginForm } from "./LoginForm";
import type { LogoutOutcome } from "./LogoutOutcome";
import type { ResumeOutcome } from "./ResumeOutcome";
import type { Settings } from "./Settings";
import type { TextType } from "./TextType";
import type { TransferOptions } from "./TransferOptions";
import type { TransferTarget } from "./TransferTarget";

/** Every command of the shell: `invoke(name, args)` resolves to `returns`, or rejects with an `IpcError`. */
export type Commands = {
  login: { args: { form: LoginForm }; returns: AgentProfile };
  try_resume: { args: Record<string, never>; returns: ResumeOutcome };
  start_demo: { args: Record<string, never>; returns: AgentProfile };
  active_chat_count: { args: Record<string, never>; returns: number };
  logout: { args: { confirmed: boolean }; returns: LogoutOutcome };
  quit: { args: { confirmed: boolean }; returns: ExitDecision };
  set_availability: { args: { availability: Availability; reasonId?: string | null }; returns: null };
  accept: { args: Record<string, never>; returns: string };
  send_line: { args: { chat: string; text: string; textType?: TextType | null; agentOnly?: boolean | null }; returns: string };
  retry_line: { args: { localId: string }; returns: null };
  end_chat: { args: { chat: string }; returns: null };
  transfer_options: { args: { chat: string }; returns: TransferOptions };
  transfer: { args: { chat: string; target: TransferTarget; note?: string | null }; returns: null };
  set_typing: { args: { chat: string; typing: boolean }; returns: null };
  save_draft: { args: { chat: string; text: string }; returns: null };
  snapshot: { args: Record<string, never>; returns: DeskSnapshot };
  settings: { args: Record<string, never>; returns: Settings };
  set_muted: { args: { muted: boolean }; returns: Settings };
  set_auto_accept: { args: { on: boolean }; returns: Settings };
  open_chat: { args: { chat: string | null }; returns: null };
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
  "open_chat",
];

/** The events the shell emits (`listen(EVENTS.engineEvent, ...)`). */
export const EVENTS = {
  engineEvent: "engine-event",
  engineLagged: "engine-lagged",
  openChat: "open-chat",
  quitRequested: "quit-requested",
  logoutRequested: "logout-requested",
} as const;
