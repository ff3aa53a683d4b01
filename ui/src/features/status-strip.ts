// The agent's own numbers for today, on one line: chats handled, average handle time, average
// first reply, current load against the maximum, lines sent. Each figure has a spoken label.
import { h } from "../lib/dom";
import type { AgentNumbers, LoadFigures } from "./types";

/** "mm:ss" (minutes keep counting past 59: "75:03"); "—" when unknown. */
export function formatMmSs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "—";
  const total = Math.round(ms / 1000);
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

function spoken(ms: number | null): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "not known yet";
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m ? `${m} minute${m === 1 ? "" : "s"} ${s} second${s === 1 ? "" : "s"}` : `${s} second${s === 1 ? "" : "s"}`;
}

export function loadText(load: LoadFigures): string {
  const base = load.maxChats != null ? `${load.activeChats} / ${load.maxChats} chats` : `${load.activeChats} chat${load.activeChats === 1 ? "" : "s"}`;
  return load.availableSlots != null ? `${base} · ${load.availableSlots} free` : base;
}

function item(testid: string, label: string, value: string, aria: string): HTMLElement {
  return h(
    "span",
    { class: "strip-item", "data-testid": testid },
    h("span", { class: "strip-label", "aria-hidden": "true", text: label }),
    h("span", { class: "strip-value", "aria-hidden": "true", text: value }),
    h("span", { class: "sr-only", text: aria }),
  );
}

export function renderStatusStrip(n: AgentNumbers, load: LoadFigures): HTMLElement {
  const slots = load.availableSlots != null ? `, ${load.availableSlots} slot${load.availableSlots === 1 ? "" : "s"} available` : "";
  return h(
    "div",
    { class: "status-strip", role: "group", "aria-label": "Your numbers today", "data-testid": "status-strip" },
    item("strip-handled", "Today", String(n.chatsHandled), `Chats handled today: ${n.chatsHandled}`),
    item("strip-handle-time", "Avg handle", formatMmSs(n.avgHandleMs), `Average handle time: ${spoken(n.avgHandleMs)}`),
    item("strip-first-reply", "First reply", formatMmSs(n.avgFirstReplyMs), `Average time to first reply: ${spoken(n.avgFirstReplyMs)}`),
    item(
      "strip-load",
      "Load",
      loadText(load),
      `Load: ${load.activeChats} chat${load.activeChats === 1 ? "" : "s"}${load.maxChats != null ? ` of ${load.maxChats}` : ""}${slots}`,
    ),
    item("strip-lines", "Lines", String(n.linesSent), `Lines sent today: ${n.linesSent}`),
  );
}
