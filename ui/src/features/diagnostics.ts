// Diagnostics: how fast alerts reached the agent today (issue 9 §4). A table of p50/p95/max for a
// visitor line (server → desk, server → notification) and a ring (→ notification, → accept),
// read from the shell (`alert_latency`) each time the view is opened or refreshed.
import { h } from "../lib/dom";
import type { AlertLatency } from "../bindings/AlertLatency";
import type { LatencyStats } from "../bindings/LatencyStats";
import { errorMessage } from "./util";

export interface DiagnosticsApi {
  load(): Promise<AlertLatency>;
}

export const LATENCY_ROWS: { key: Exclude<keyof AlertLatency, "since">; label: string }[] = [
  { key: "lineSeen", label: "Visitor line: server → this desk" },
  { key: "lineNotified", label: "Visitor line: server → notification on screen" },
  { key: "ringNotified", label: "Ring: seen → notification on screen" },
  { key: "ringAccepted", label: "Ring: seen → chat accepted" },
];

/** "850 ms", "2.4 s", "1 min 05 s"; "—" when there is no figure. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "−" : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  return `${sign}${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function row(label: string, key: string, stats: LatencyStats): HTMLElement {
  return h(
    "tr",
    { "data-testid": `latency-${key}` },
    h("th", { scope: "row", text: label }),
    h("td", { text: String(stats.count) }),
    h("td", { text: formatLatency(stats.p50Ms) }),
    h("td", { text: formatLatency(stats.p95Ms) }),
    h("td", { text: formatLatency(stats.maxMs) }),
  );
}

/** The figures as a table (pure: no I/O). */
export function renderLatencyTable(latency: AlertLatency): HTMLElement {
  return h(
    "table",
    { class: "latency-table", "data-testid": "latency-table" },
    h("caption", { text: `Alert latency since ${new Date(latency.since).toLocaleString()}` }),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col", text: "What" }), h("th", { scope: "col", text: "Count" }), h("th", { scope: "col", text: "p50" }), h("th", { scope: "col", text: "p95" }), h("th", { scope: "col", text: "Max" })),
    ),
    h("tbody", {}, ...LATENCY_ROWS.map(({ key, label }) => row(label, key, latency[key]))),
  );
}

export interface DiagnosticsView {
  el: HTMLElement;
  refresh(): Promise<void>;
}

export function renderDiagnostics(api: DiagnosticsApi): DiagnosticsView {
  const slot = h("div", { class: "latency-slot" });
  const status = h("p", { class: "form-status", role: "status", "data-testid": "diagnostics-status" });
  const again = h("button", { type: "button", class: "btn", "data-testid": "diagnostics-refresh", text: "Refresh" });
  const note = h("p", {
    class: "form-hint",
    text: "Server times come from the server's clock: a desk clock that runs behind it makes the first row small or negative. Auto-accepted rings count as accepted.",
  });
  const el = h("div", { class: "diagnostics", "data-testid": "diagnostics" }, slot, note, status, again);
  const refresh = async () => {
    status.textContent = "Loading…";
    try {
      const latency = await api.load();
      slot.replaceChildren(renderLatencyTable(latency));
      status.textContent = "";
    } catch (err) {
      status.textContent = `Could not read the figures: ${errorMessage(err)}`;
    }
  };
  again.addEventListener("click", () => void refresh());
  return { el, refresh };
}
