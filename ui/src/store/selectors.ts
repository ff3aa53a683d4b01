import type { ChatKey } from "../types";
import type { ChatView, DeskState } from "./state";
import type { CustomerPanelData } from "../features/types";

const STATE_RANK = { waiting: 0, chatting: 0, ended: 1 } as const;

/** The chat list's order: live chats before ended ones, then in the order the desk saw them. */
export function chatOrder(state: DeskState): ChatKey[] {
  return Object.values(state.chats)
    .sort((a, b) => STATE_RANK[a.summary.state] - STATE_RANK[b.summary.state] || a.seq - b.seq)
    .map((c) => c.key);
}

/** The chat after (or before, `step` = -1) the active one in list order, wrapping around. */
export function neighbourChat(state: DeskState, step: 1 | -1): ChatKey | null {
  const order = chatOrder(state);
  if (order.length === 0) return null;
  const i = state.active ? order.indexOf(state.active) : -1;
  if (i < 0) return step === 1 ? order[0] : order[order.length - 1];
  return order[(i + step + order.length) % order.length];
}

/** The live chat whose visitor has waited longest for an answer. */
export function longestWaiting(state: DeskState): ChatKey | null {
  let best: ChatView | null = null;
  let bestSince = Infinity;
  for (const c of Object.values(state.chats)) {
    if (c.summary.state === "ended") continue;
    const since = c.waitingSince ?? (c.summary.state === "waiting" ? (c.summary.startTime ?? Infinity) : Infinity);
    if (since < bestSince) {
      best = c;
      bestSince = since;
    }
  }
  return best?.key ?? null;
}

export function liveChatCount(state: DeskState): number {
  return Object.values(state.chats).filter((c) => c.summary.state !== "ended").length;
}

/** What the customer panel beside a chat's pane shows (summary, typing and the customer details). */
export function customerPanelData(view: ChatView): CustomerPanelData {
  const s = view.summary;
  const info = view.customer;
  let customerState: CustomerPanelData["customerState"];
  if (info) customerState = info.state;
  else customerState = s.participantId ? "loading" : "none";
  return {
    visitorName: s.visitorName,
    startTime: s.startTime,
    acceptedAt: s.acceptedAt,
    skill: s.skill,
    chatTimeout: s.chatTimeout,
    agents: s.agents ?? [],
    visitorTyping: view.visitorTyping,
    customer: info?.state === "loaded" ? info.profile : null,
    customerState,
  };
}
