import type { ChatLine, ChatSummary, EngineEvent } from "../src/types";

export const K = "H1-K1";
export const K2 = "H2-K2";

export function summary(chat = K, name = "Vera", extra: Partial<ChatSummary> = {}): ChatSummary {
  return { chat, state: "chatting", visitorName: name, agentName: "Ann", skill: "Sales", startTime: 1000, origin: "accepted", acceptedAt: 2000, chatTimeout: 40, participantId: null, agents: ["Ann"], ...extra };
}

export function line(id: number, source: ChatLine["source"] = "visitor", text = `line ${id}`, extra: Partial<ChatLine> = {}): ChatLine {
  return { chat: K, id, time: 10_000 + id, source, by: source, text, textType: "plain", systemMessageId: null, agentOnly: false, localId: null, card: null, ...extra };
}

export const lineEv = (l: ChatLine): EngineEvent => ({ type: "line", ...l });
