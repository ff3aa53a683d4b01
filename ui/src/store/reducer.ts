// The desk's state as a pure function of the engine's events: (state, EngineEvent) -> state.
import type { ChatKey, ChatLine, EngineEvent, OutboxState, UnreadCounts, WrapUp } from "../types";
import { previewText } from "../lib/text";
import {
  emptyChat,
  placeholderSummary,
  type ChatView,
  type DeskState,
  type Notice,
  type OutboxInfo,
  type ThreadItem,
} from "./state";

export function reduceEngine(state: DeskState, ev: EngineEvent, now: number = Date.now()): DeskState {
  switch (ev.type) {
    case "session":
      if (ev.state === "loggedOut") return loggedOut(state);
      return { ...state, session: ev.state, agent: ev.agent ?? state.agent };
    case "connection":
      return { ...state, connection: { state: ev.state, retryAt: ev.retryAt ?? null, detail: ev.detail ?? null } };
    case "availability":
      return {
        ...state,
        availability: { value: ev.availability, byServer: ev.byServer, reasonId: ev.reasonId ?? null },
      };
    case "ringing":
      return {
        ...state,
        ringing: { count: ev.count, deadline: ev.deadline, secondsLeft: ev.secondsLeft, receivedAt: now },
      };
    case "ringingStopped":
      return state.ringing ? { ...state, ringing: null } : state;
    case "chatAccepted":
      return ensureChat(state, ev.chat);
    case "chatUpdated": {
      const s = ensureChat(state, ev.summary.chat);
      const c = s.chats[ev.summary.chat];
      return putChat(s, { ...c, summary: ev.summary, lastActivity: c.lastActivity ?? ev.summary.startTime });
    }
    case "chatStateChanged": {
      const s = ensureChat(state, ev.chat);
      const c = s.chats[ev.chat];
      const ended = ev.to === "ended";
      return putChat(s, {
        ...c,
        summary: { ...c.summary, state: ev.to },
        visitorTyping: ended ? false : c.visitorTyping,
        waitingSince: ended ? null : c.waitingSince,
      });
    }
    case "chatRemoved":
      return removeChat(state, ev.chat);
    case "line":
      return addLine(state, lineOf(ev), now);
    case "visitorTyping": {
      const c = state.chats[ev.chat];
      if (!c || c.visitorTyping === ev.typing) return state;
      return putChat(state, { ...c, visitorTyping: ev.typing });
    }
    case "visitorName": {
      const s = ensureChat(state, ev.chat);
      const c = s.chats[ev.chat];
      return putChat(s, { ...c, summary: { ...c.summary, visitorName: ev.name } });
    }
    case "outbox":
      return applyOutbox(state, ev.chat, {
        localId: ev.localId,
        text: ev.text,
        state: ev.state,
        eventId: ev.eventId ?? null,
        error: ev.error ?? null,
      });
    case "transferResult": {
      const name = state.chats[ev.chat]?.summary.visitorName ?? "the visitor";
      const text = ev.ok
        ? `Chat with ${name} transferred.`
        : `Transfer of the chat with ${name} failed${ev.message ? `: ${ev.message}` : "."}`;
      return addNotice(state, ev.ok ? "info" : "error", text, ev.chat);
    }
    case "chatsReturnedToQueue":
      return ev.count > 0
        ? addNotice(state, "info", `${ev.count === 1 ? "1 chat was" : `${ev.count} chats were`} returned to the queue.`, null)
        : state;
    case "customer": {
      const c = state.chats[ev.chat];
      return c ? putChat(state, { ...c, customer: ev.info }) : state;
    }
    case "wrapUp":
      return applyWrapUp(state, ev.wrapUp);
    case "error":
      return addNotice(state, "error", ev.message || ev.code, ev.chat ?? null);
    default:
      return state;
  }
}

/** `done` and `skipped` wrap-ups are finished: they leave the list. */
export function wrapUpFinished(w: Pick<WrapUp, "state">): boolean {
  return w.state === "done" || w.state === "skipped";
}

/** A wrap-up appeared or moved on: replaced in place (order kept), added at the end, or removed when finished. */
export function applyWrapUp(state: DeskState, w: WrapUp): DeskState {
  const i = state.wrapUps.findIndex((x) => x.chat === w.chat);
  if (wrapUpFinished(w)) return i < 0 ? state : { ...state, wrapUps: state.wrapUps.filter((x) => x.chat !== w.chat) };
  const wrapUps = state.wrapUps.slice();
  if (i < 0) wrapUps.push(w);
  else wrapUps[i] = w;
  return { ...state, wrapUps };
}

function lineOf(ev: ChatLine & { type?: string }): ChatLine {
  const { type: _type, ...line } = ev;
  return line as ChatLine;
}

function loggedOut(state: DeskState): DeskState {
  return {
    ...state,
    session: "loggedOut",
    agent: null,
    ringing: null,
    chats: {},
    open: [],
    active: null,
    availability: { value: null, byServer: false, reasonId: null },
    wrapUps: [],
  };
}

export function addNotice(state: DeskState, kind: Notice["kind"], text: string, chat: ChatKey | null): DeskState {
  const notice: Notice = { id: state.nextNoticeId, kind, text, chat };
  // Keep the last few only; older ones have been seen or are stale.
  const notices = [...state.notices, notice].slice(-4);
  return { ...state, notices, nextNoticeId: state.nextNoticeId + 1 };
}

export function ensureChat(state: DeskState, chat: ChatKey): DeskState {
  if (state.chats[chat]) return state;
  const view = { ...emptyChat(placeholderSummary(chat), state.nextSeq), unread: state.unread.chats[chat] ?? 0 };
  return { ...state, chats: { ...state.chats, [chat]: view }, nextSeq: state.nextSeq + 1 };
}

/**
 * The shell's unread counts (it owns them: the tray and title use the same ones). Counts older than
 * the ones applied are dropped; chats the shell does not list have none.
 */
export function applyUnread(state: DeskState, counts: UnreadCounts): DeskState {
  if (counts.seq <= state.unread.seq) return state;
  let chats = state.chats;
  for (const c of Object.values(state.chats)) {
    const unread = counts.chats[c.key] ?? 0;
    if (c.unread !== unread) chats = { ...chats, [c.key]: { ...c, unread } };
  }
  return { ...state, chats, unread: counts };
}

export function putChat(state: DeskState, chat: ChatView): DeskState {
  return { ...state, chats: { ...state.chats, [chat.key]: chat } };
}

function removeChat(state: DeskState, chat: ChatKey): DeskState {
  if (!state.chats[chat]) return state;
  const chats = { ...state.chats };
  delete chats[chat];
  const open = state.open.filter((k) => k !== chat);
  const active = state.active === chat ? (open[open.length - 1] ?? null) : state.active;
  return { ...state, chats, open, active };
}

function findIndexFromEnd(items: ThreadItem[], pred: (it: ThreadItem) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i])) return i;
  return -1;
}

function replaceAt(items: ThreadItem[], i: number, item: ThreadItem): ThreadItem[] {
  const next = items.slice();
  next[i] = item;
  return next;
}

export function addLine(state: DeskState, line: ChatLine, now: number): DeskState {
  const s = ensureChat(state, line.chat);
  const c = s.chats[line.chat];
  // The engine never repeats chat+id, but a snapshot and a live event may overlap.
  if (findIndexFromEnd(c.items, (it) => it.line?.id === line.id) >= 0) return state;

  let items: ThreadItem[];
  const mine =
    line.localId != null
      ? findIndexFromEnd(c.items, (it) => it.line == null && it.outbox?.localId === line.localId)
      : findIndexFromEnd(c.items, (it) => it.line == null && it.outbox?.eventId === line.id);
  if (mine >= 0) {
    const it = c.items[mine];
    const outbox = it.outbox ? { ...it.outbox, state: "sent" as OutboxState, eventId: line.id, error: null } : null;
    items = replaceAt(c.items, mine, { ...it, line, outbox });
  } else {
    items = [...c.items, { key: `l:${line.id}`, line, outbox: null }];
  }

  const isVisitor = line.source === "visitor";
  const answers = line.source === "agent" && !line.agentOnly;
  const when = line.time ?? now;
  return putChat(s, {
    ...c,
    items,
    lastLine: line.source === "system" && c.lastLine ? c.lastLine : previewText(line.text, line.textType === "html"),
    lastActivity: Math.max(c.lastActivity ?? 0, when),
    waitingSince: isVisitor ? (c.waitingSince ?? when) : answers ? null : c.waitingSince,
    visitorTyping: isVisitor ? false : c.visitorTyping,
  });
}

const RANK: Record<OutboxState, number> = { pending: 0, failed: 1, sent: 2 };

function mergeOutbox(prev: OutboxInfo | null, next: OutboxInfo): OutboxInfo {
  if (!prev) return next;
  // A late "pending" must not undo "sent"; "failed" -> "pending" is a retry and is allowed.
  if (prev.state === "sent" && RANK[next.state] < RANK.sent) return prev;
  return { ...prev, ...next, eventId: next.eventId ?? prev.eventId, agentOnly: next.agentOnly ?? prev.agentOnly };
}

export function applyOutbox(state: DeskState, chat: ChatKey, info: OutboxInfo): DeskState {
  const s = ensureChat(state, chat);
  const c = s.chats[chat];
  let i = findIndexFromEnd(c.items, (it) => it.outbox?.localId === info.localId || it.line?.localId === info.localId);
  if (i < 0 && info.eventId != null) i = findIndexFromEnd(c.items, (it) => it.line?.id === info.eventId);
  let items: ThreadItem[];
  if (i >= 0) {
    const it = c.items[i];
    const merged = mergeOutbox(it.outbox, info);
    if (merged === it.outbox) return state;
    items = replaceAt(c.items, i, { ...it, outbox: merged });
  } else {
    items = [...c.items, { key: `o:${info.localId}`, line: null, outbox: info }];
  }
  const fresh = i < 0;
  return putChat(s, {
    ...c,
    items,
    lastLine: fresh ? previewText(info.text, false) : c.lastLine,
    waitingSince: fresh ? null : c.waitingSince,
  });
}
