// Actions that come from the agent rather than the engine, and the combined reducer.
import type { AgentProfile, ChatKey, DeskSnapshot, EngineEvent, UnreadCounts } from "../types";
import { addNotice, applyOutbox, applyUnread, ensureChat, putChat, reduceEngine } from "./reducer";
import { applySnapshot } from "./snapshot";
import { closePane, openPane, type OpenMode } from "./panes";
import { initialState, panelShown, type DeskState, type Notice } from "./state";

export type UiAction =
  | { type: "ui/open"; chat: ChatKey; mode: OpenMode }
  | { type: "ui/close"; chat: ChatKey }
  | { type: "ui/maxPanes"; n: number }
  | { type: "ui/draft"; chat: ChatKey; text: string }
  | { type: "ui/sent"; chat: ChatKey; localId: string; text: string; agentOnly?: boolean }
  | { type: "ui/loggedIn"; agent: AgentProfile | null }
  | { type: "ui/snapshot"; snapshot: DeskSnapshot }
  | { type: "ui/unread"; counts: UnreadCounts }
  | { type: "ui/notice"; kind: Notice["kind"]; text: string; chat?: ChatKey | null }
  | { type: "ui/dismiss"; id: number }
  | { type: "ui/togglePanel"; chat: ChatKey; shown?: boolean }
  | { type: "ui/panels"; panels: DeskState["panels"] }
  | { type: "ui/reset" };

export type Action = EngineEvent | UiAction;

function isUi(a: Action): a is UiAction {
  return a.type.startsWith("ui/");
}

export function reduce(state: DeskState, action: Action, now: number = Date.now()): DeskState {
  return isUi(action) ? reduceUi(state, action, now) : reduceEngine(state, action, now);
}

function withPanes(state: DeskState, p: { open: ChatKey[]; active: ChatKey | null }): DeskState {
  if (p.open === state.open && p.active === state.active) return state;
  // Opening a chat reads it: the page tells the shell (`show_chats`), whose counts come back.
  return { ...state, open: p.open, active: p.active };
}

export function reduceUi(state: DeskState, a: UiAction, now: number): DeskState {
  switch (a.type) {
    case "ui/open": {
      // An accepted chat may be opened before its summary arrives: a placeholder stands in.
      const s = ensureChat(state, a.chat);
      return withPanes(s, openPane(s, a.chat, a.mode, s.maxPanes));
    }
    case "ui/close":
      return withPanes(state, closePane(state, a.chat));
    case "ui/maxPanes": {
      const n = Math.max(1, a.n);
      if (n === state.maxPanes) return state;
      const open = state.open.length > n ? keepActive(state.open, state.active, n) : state.open;
      return { ...state, maxPanes: n, open };
    }
    case "ui/draft": {
      const c = state.chats[a.chat];
      if (!c || c.draft === a.text) return state;
      return putChat(state, { ...c, draft: a.text });
    }
    case "ui/sent": {
      const c = state.chats[a.chat];
      if (!c) return state;
      const known = c.items.some((it) => it.outbox?.localId === a.localId || it.line?.localId === a.localId);
      if (known) return state;
      return applyOutbox(state, a.chat, { localId: a.localId, text: a.text, state: "pending", eventId: null, error: null, agentOnly: a.agentOnly ?? false });
    }
    case "ui/loggedIn":
      return { ...state, session: "loggedIn", agent: a.agent ?? state.agent };
    case "ui/snapshot":
      return applySnapshot(state, a.snapshot, now);
    case "ui/unread":
      return applyUnread(state, a.counts);
    case "ui/notice":
      return addNotice(state, a.kind, a.text, a.chat ?? null);
    case "ui/dismiss":
      return { ...state, notices: state.notices.filter((n) => n.id !== a.id) };
    case "ui/togglePanel": {
      // The choice is remembered for this chat, and becomes the default for chats opened later.
      const shown = a.shown ?? !panelShown(state, a.chat);
      if (shown === panelShown(state, a.chat) && state.panels.shown === shown) return state;
      return { ...state, panels: { shown, chats: { ...state.panels.chats, [a.chat]: shown } } };
    }
    case "ui/panels":
      return { ...state, panels: a.panels };
    case "ui/reset":
      // The shell's unread counts stay: it clears them itself on logout (with a newer `seq`).
      // The panel choices are the agent's for the whole session.
      return { ...initialState(), maxPanes: state.maxPanes, unread: state.unread, panels: state.panels };
  }
}

function keepActive(open: ChatKey[], active: ChatKey | null, n: number): ChatKey[] {
  const kept = open.slice(0, n);
  if (active && !kept.includes(active)) kept[n - 1] = active;
  return kept;
}
