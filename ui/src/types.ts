// Mirror of crates/engine/src/events.rs (EngineEvent and friends) and of the shell's command
// payloads. The generated ts-rs bindings (ui/src/bindings/) replace these names when they land;
// everything else in the UI imports from here only, so the switch happens in this one file.

export type ChatKey = string;
export type EpochMs = number;

export type SessionState = "loggedOut" | "loggingIn" | "loggedIn" | "loggingOut";
export type ConnectionState = "online" | "retrying" | "reauthenticating" | "offline";
export type Availability = "Online" | "Away" | "Occupied" | "Offline";
export type ChatState = "waiting" | "chatting" | "ended";
export type LineSource = "visitor" | "agent" | "system" | "other";
export type TextType = "plain" | "html" | "rich-content";
export type OutboxState = "pending" | "sent" | "failed";
export type ChatOrigin = "accepted" | "resumed";

export type ErrorCode =
  | "badCredentials"
  | "authExpired"
  | "keychainUnavailable"
  | "network"
  | "server"
  | "rateLimited"
  | "blocked"
  | "malformedResponse"
  | "notFound"
  | "invalidInput"
  | "transferFailed"
  | "nothingToAccept"
  | "storage"
  | "notLoggedIn"
  | "internal";

export interface SkillRef {
  id: string;
  name: string;
}

export interface AgentProfile {
  account: string;
  loginName: string;
  nickname: string;
  agentId: string;
  maxChats: number | null;
  skills: SkillRef[];
}

export type TransferTarget = { kind: "skill"; id: string } | { kind: "agent"; id: string };

export interface ChatLine {
  chat: ChatKey;
  id: number;
  time: EpochMs | null;
  source: LineSource;
  by: string;
  text: string;
  textType: TextType;
  systemMessageId: number | null;
  agentOnly: boolean;
  localId: string | null;
}

export interface ChatSummary {
  chat: ChatKey;
  state: ChatState;
  visitorName: string;
  agentName: string | null;
  skill: string | null;
  startTime: EpochMs | null;
  origin: ChatOrigin;
}

export type EngineEvent =
  | { type: "session"; state: SessionState; agent: AgentProfile | null }
  | { type: "connection"; state: ConnectionState; retryAt: EpochMs | null; detail: string | null }
  | { type: "availability"; availability: Availability; reasonId: string | null; byServer: boolean }
  | { type: "ringing"; count: number; deadline: EpochMs; secondsLeft: number }
  | { type: "ringingStopped" }
  | { type: "chatAccepted"; chat: ChatKey }
  | { type: "chatUpdated"; summary: ChatSummary }
  | { type: "chatStateChanged"; chat: ChatKey; from: ChatState | null; to: ChatState }
  | { type: "chatRemoved"; chat: ChatKey; reason: string }
  | ({ type: "line" } & ChatLine)
  | { type: "visitorTyping"; chat: ChatKey; typing: boolean }
  | { type: "visitorName"; chat: ChatKey; name: string }
  | {
      type: "outbox";
      chat: ChatKey;
      localId: string;
      text: string;
      state: OutboxState;
      eventId: number | null;
      error: string | null;
    }
  | { type: "transferResult"; chat: ChatKey; target: TransferTarget; ok: boolean; message: string | null }
  | { type: "error"; code: ErrorCode; message: string; chat: ChatKey | null };

/** `{code, message, retryable}`: what every failed command rejects with. */
export interface IpcError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

export interface TransferSkill {
  id: string;
  name: string;
  onlineAgents: number;
}

export interface TransferAgent {
  id: string;
  name: string;
  availability: Availability;
  chats: number;
  maxChats: number | null;
}

export interface TransferOptions {
  skills: TransferSkill[];
  agents: TransferAgent[];
}

export interface OutboxEntrySnapshot {
  chat?: ChatKey;
  localId: string;
  text: string;
  state: OutboxState;
  eventId?: number | null;
  error?: string | null;
  textType?: TextType;
  agentOnly?: boolean;
}

export interface ChatSnapshot {
  summary: ChatSummary;
  lines: ChatLine[];
  outbox: OutboxEntrySnapshot[];
  visitorTyping: boolean;
  draft: string | null;
}

export interface RingingSnapshot {
  count: number;
  deadline: EpochMs;
  secondsLeft?: number;
}

export interface ConnectionSnapshot {
  state: ConnectionState;
  retryAt?: EpochMs | null;
  detail?: string | null;
}

export interface AvailabilitySnapshot {
  availability: Availability;
  reasonId?: string | null;
  byServer?: boolean;
}

/** The engine's `DeskSnapshot`. Some fields are accepted in either a bare or an object form. */
export interface DeskSnapshot {
  session: SessionState;
  connection: ConnectionState | ConnectionSnapshot;
  availability: Availability | AvailabilitySnapshot | null;
  agent: AgentProfile | null;
  ringing: RingingSnapshot | null;
  chats: ChatSnapshot[];
}

// ---- the shell's own types (src-tauri) ----

export interface LoginForm {
  server: string;
  account: string;
  user: string;
  password: string;
}

export interface RememberedLogin {
  server: string;
  account: string;
  user: string;
}

/** What `try_resume` found: `agent` set = logged in with the remembered token. */
export interface ResumeOutcome {
  agent: AgentProfile | null;
  remembered: RememberedLogin | null;
}

/** `loggedOut: false` = chats are open and the agent has not confirmed yet. */
export interface LogoutOutcome {
  loggedOut: boolean;
  activeChatCount: number;
}

export type ExitDecision =
  | { kind: "mayQuitNow" }
  | { kind: "mustWarn"; activeChats: number }
  | { kind: "mustFlushOutbox"; pendingLines: number };

export interface Settings {
  muted: boolean;
  autoAccept: boolean;
  remembered: RememberedLogin | null;
}

/** Payload of `open-chat`. */
export interface OpenChat {
  chat: ChatKey | null;
}

/** Payload of `quit-requested` / `logout-requested`. */
export interface LeaveRequested {
  activeChatCount: number;
  message: string;
}

/** Payload of `engine-lagged`. */
export interface EngineLagged {
  missed: number;
}
