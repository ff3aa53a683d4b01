// Builds desk state from the engine's `snapshot` in one pass (threads may hold thousands of lines).
import type { ChatSnapshot, DeskSnapshot } from "../types";
import { previewText } from "../lib/text";
import { wrapUpFinished } from "./reducer";
import { emptyChat, initialState, type ChatView, type DeskState, type ThreadItem } from "./state";

export function chatFromSnapshot(snap: ChatSnapshot, seq: number): ChatView {
  const items: ThreadItem[] = [];
  const byLocal = new Map<string, number>();
  const byId = new Map<number, number>();
  let waitingSince: number | null = null;
  for (const line of snap.lines ?? []) {
    if (byId.has(line.id)) continue;
    byId.set(line.id, items.length);
    if (line.localId) byLocal.set(line.localId, items.length);
    items.push({ key: `l:${line.id}`, line, outbox: null });
    if (line.source === "visitor") waitingSince ??= line.time;
    else if (line.source === "agent" && !line.agentOnly) waitingSince = null;
  }
  for (const o of snap.outbox ?? []) {
    const info = { localId: o.localId, text: o.text, state: o.state, eventId: null, error: o.error ?? null, agentOnly: o.agentOnly };
    const at = byLocal.get(o.localId);
    if (at !== undefined) items[at] = { ...items[at], outbox: info };
    else items.push({ key: `o:${o.localId}`, line: null, outbox: info });
  }
  const last = [...items].reverse().find((it) => it.line?.source !== "system");
  const lastLine = last
    ? last.line
      ? previewText(last.line.text, last.line.textType === "html")
      : previewText(last.outbox?.text ?? "", false)
    : "";
  const lastTime = snap.lines?.length ? snap.lines[snap.lines.length - 1].time : null;
  return {
    ...emptyChat(snap.summary, seq),
    items,
    visitorTyping: Boolean(snap.visitorTyping),
    draft: snap.draft ?? "",
    lastLine,
    lastActivity: lastTime ?? snap.summary.startTime,
    waitingSince,
    customer: snap.customer ?? null,
  };
}

/** Replaces the engine-owned part of the state, keeping the agent's panes where the chats still exist. */
export function applySnapshot(prev: DeskState, snap: DeskSnapshot, now: number = Date.now()): DeskState {
  const base = initialState();
  const chats: DeskState["chats"] = {};
  let seq = 1;
  for (const c of snap.chats ?? []) {
    const old = prev.chats[c.summary.chat];
    const view = chatFromSnapshot(c, old?.seq ?? seq);
    view.unread = prev.unread.chats[c.summary.chat] ?? 0;
    chats[c.summary.chat] = view;
    seq = Math.max(seq, view.seq) + 1;
  }
  const open = prev.open.filter((k) => chats[k]);
  return {
    ...base,
    session: snap.session ?? prev.session,
    agent: snap.agent ?? prev.agent,
    // The snapshot has no retry time or server-flip flag; the next events bring them.
    connection: { state: snap.connection, retryAt: null, detail: null },
    availability: snap.availability ? { value: snap.availability, byServer: prev.availability.byServer && prev.availability.value === snap.availability, reasonId: null } : base.availability,
    ringing: snap.ringing
      ? {
          count: snap.ringing.count,
          deadline: snap.ringing.deadline,
          secondsLeft: Math.max(0, Math.ceil((snap.ringing.deadline - now) / 1000)),
          receivedAt: now,
        }
      : null,
    chats,
    nextSeq: seq,
    open,
    active: prev.active && chats[prev.active] ? prev.active : (open[0] ?? null),
    maxPanes: prev.maxPanes,
    notices: prev.notices,
    nextNoticeId: prev.nextNoticeId,
    unread: prev.unread,
    wrapUps: (snap.wrapUps ?? []).filter((w) => !wrapUpFinished(w)),
    panels: prev.panels,
  };
}
