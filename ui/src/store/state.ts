import type {
  AgentProfile,
  Availability,
  ChatKey,
  ChatLine,
  ChatSummary,
  ConnectionState,
  CustomerInfo,
  EpochMs,
  OutboxState,
  SessionState,
  UnreadCounts,
  WrapUp,
} from "../types";

/** Progress of one line the agent wrote (from `outbox` events). */
export interface OutboxInfo {
  localId: string;
  text: string;
  state: OutboxState;
  eventId: number | null;
  error: string | null;
  /** Known when this desk sent it (or from the snapshot); outbox events do not carry it. */
  agentOnly?: boolean;
}

/**
 * One row of a thread. A server line, an agent's line still in the outbox, or both once the
 * server's echo of an outbox line has arrived (matched by `localId` or by event id).
 */
export interface ThreadItem {
  key: string;
  line: ChatLine | null;
  outbox: OutboxInfo | null;
}

export interface ChatView {
  key: ChatKey;
  summary: ChatSummary;
  items: ThreadItem[];
  /** The shell's count of unread visitor lines (`DeskState.unread`); the page never counts them. */
  unread: number;
  visitorTyping: boolean;
  draft: string;
  /** Preview text for the chat list (tags stripped; always shown as text). */
  lastLine: string;
  lastActivity: EpochMs | null;
  /** When the visitor's oldest unanswered line arrived; null when the agent has answered. */
  waitingSince: EpochMs | null;
  /** Order in which the desk first saw the chat (stable list order). */
  seq: number;
  /** An authenticated visitor's customer details (`customer` events; null until asked for). */
  customer: CustomerInfo | null;
}

export interface RingingInfo {
  count: number;
  deadline: EpochMs;
  secondsLeft: number;
  /** Local time the event arrived; used when the engine's clock and ours disagree. */
  receivedAt: EpochMs;
}

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
  chat: ChatKey | null;
}

export interface DeskState {
  session: SessionState;
  agent: AgentProfile | null;
  connection: { state: ConnectionState; retryAt: EpochMs | null; detail: string | null };
  availability: { value: Availability | null; byServer: boolean; reasonId: string | null };
  ringing: RingingInfo | null;
  chats: Record<ChatKey, ChatView>;
  nextSeq: number;
  /** Chats shown in thread panes, left to right. */
  open: ChatKey[];
  /** The pane with the keyboard's attention. */
  active: ChatKey | null;
  maxPanes: number;
  notices: Notice[];
  nextNoticeId: number;
  /** Unread lines per chat as the shell counts them (`unread` event, `show_chats` reply). */
  unread: UnreadCounts;
  /** Ended chats waiting for their wrap-up survey (open, submitting or refused), oldest first. */
  wrapUps: WrapUp[];
  /** The customer panel beside each pane: shown or collapsed per chat, for this session. */
  panels: PanelPrefs;
}

/** Which chats' customer panels are shown; a chat not listed follows `shown` (the last choice). */
export interface PanelPrefs {
  shown: boolean;
  chats: Record<ChatKey, boolean>;
}

export function panelShown(state: Pick<DeskState, "panels">, chat: ChatKey): boolean {
  return state.panels.chats[chat] ?? state.panels.shown;
}

export function initialState(): DeskState {
  return {
    session: "loggedOut",
    agent: null,
    connection: { state: "offline", retryAt: null, detail: null },
    availability: { value: null, byServer: false, reasonId: null },
    ringing: null,
    chats: {},
    nextSeq: 1,
    open: [],
    active: null,
    maxPanes: 3,
    notices: [],
    nextNoticeId: 1,
    unread: { seq: -1, chats: {} },
    wrapUps: [],
    panels: { shown: true, chats: {} },
  };
}

export function placeholderSummary(chat: ChatKey): ChatSummary {
  return {
    chat,
    state: "chatting",
    visitorName: "Visitor",
    agentName: null,
    skill: null,
    startTime: null,
    origin: "resumed",
    acceptedAt: null,
    chatTimeout: null,
    participantId: null,
    agents: [],
  };
}

export function emptyChat(summary: ChatSummary, seq: number): ChatView {
  return {
    key: summary.chat,
    summary,
    items: [],
    unread: 0,
    visitorTyping: false,
    draft: "",
    lastLine: "",
    lastActivity: summary.startTime,
    waitingSince: null,
    seq,
    customer: null,
  };
}
