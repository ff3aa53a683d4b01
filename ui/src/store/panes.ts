import type { ChatKey } from "../types";

export type OpenMode = "replace" | "split";

export interface Panes {
  open: ChatKey[];
  active: ChatKey | null;
}

/**
 * Where a chat goes when the agent opens it. An open chat just gets the focus. `split` adds a pane
 * while there is room (else it takes the place of the leftmost pane that is not active);
 * `replace` shows the chat in the active pane.
 */
export function openPane(p: Panes, chat: ChatKey, mode: OpenMode, max: number): Panes {
  if (p.open.includes(chat)) return { open: p.open, active: chat };
  const limit = Math.max(1, max);
  if (p.open.length === 0) return { open: [chat], active: chat };
  if (mode === "split" && p.open.length < limit) return { open: [...p.open, chat], active: chat };
  let victim = p.open.indexOf(p.active ?? "");
  if (mode === "split" || victim < 0) {
    victim = p.open.findIndex((k) => k !== p.active);
    if (victim < 0) victim = 0;
  }
  const open = p.open.slice(0, limit);
  if (victim >= open.length) victim = open.length - 1;
  open[victim] = chat;
  return { open, active: chat };
}

export function closePane(p: Panes, chat: ChatKey): Panes {
  const i = p.open.indexOf(chat);
  if (i < 0) return p;
  const open = p.open.filter((k) => k !== chat);
  const active = p.active === chat ? (open[Math.min(i, open.length - 1)] ?? null) : p.active;
  return { open, active };
}

/** Fewer panes on narrow windows: each thread needs about `minWidth` pixels. */
export function panesForWidth(width: number, sidebar = 300, minWidth = 380): number {
  return Math.max(1, Math.min(3, Math.floor((width - sidebar) / minWidth)));
}
