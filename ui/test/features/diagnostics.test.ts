// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { formatLatency, renderDiagnostics, renderLatencyTable } from "../../src/features/diagnostics";
import type { AlertLatency } from "../../src/bindings/AlertLatency";

const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const none = { count: 0, p50Ms: null, p95Ms: null, maxMs: null };
const today: AlertLatency = {
  lineSeen: { count: 40, p50Ms: 512, p95Ms: 980, maxMs: 1_204 },
  lineNotified: { count: 12, p50Ms: 540, p95Ms: 1_010, maxMs: 65_400 },
  ringNotified: { count: 3, p50Ms: 31, p95Ms: 48, maxMs: 48 },
  ringAccepted: none,
  since: Date.UTC(2026, 11, 3),
};

describe("diagnostics", () => {
  it("formats latencies for people", () => {
    expect(formatLatency(null)).toBe("—");
    expect(formatLatency(Number.NaN)).toBe("—");
    expect(formatLatency(0)).toBe("0 ms");
    expect(formatLatency(999.4)).toBe("999 ms");
    expect(formatLatency(2_449)).toBe("2.4 s");
    expect(formatLatency(65_400)).toBe("1 min 05 s");
    expect(formatLatency(-30)).toBe("−30 ms");
  });

  it("shows one row per kind with count, p50, p95 and max", () => {
    const table = renderLatencyTable(today);
    const cells = (id: string) => [...q(table, id).querySelectorAll("td")].map((td) => td.textContent);
    expect(cells("latency-lineSeen")).toEqual(["40", "512 ms", "980 ms", "1.2 s"]);
    expect(cells("latency-lineNotified")).toEqual(["12", "540 ms", "1.0 s", "1 min 05 s"]);
    expect(cells("latency-ringNotified")).toEqual(["3", "31 ms", "48 ms", "48 ms"]);
    expect(cells("latency-ringAccepted")).toEqual(["0", "—", "—", "—"]);
    expect(table.querySelectorAll("tbody tr")).toHaveLength(4);
  });

  it("loads on refresh and says so when the shell refuses", async () => {
    let fail = true;
    const view = renderDiagnostics({
      load: async () => {
        if (fail) throw { code: "internal", message: "engine gone", retryable: false };
        return today;
      },
    });
    await view.refresh();
    expect(q(view.el, "diagnostics-status").textContent).toContain("engine gone");
    expect(q(view.el, "latency-table")).toBeNull();
    fail = false;
    q(view.el, "diagnostics-refresh").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(q(view.el, "latency-table")).not.toBeNull();
    expect(q(view.el, "diagnostics-status").textContent).toBe("");
  });
});
