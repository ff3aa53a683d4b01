import { describe, expect, it } from "vitest";
import { anchoredScrollTop, prefixOffsets, rowAt, visibleRange } from "../src/virtual/window";

describe("virtual list window math", () => {
  const offsets = prefixOffsets(new Array(10_000).fill(50));

  it("prefix offsets", () => {
    expect(Array.from(prefixOffsets([10, 20, 30]))).toEqual([0, 10, 30, 60]);
    expect(offsets[10_000]).toBe(500_000);
  });

  it("finds the row at a position", () => {
    const o = prefixOffsets([10, 20, 30]);
    expect(rowAt(o, 0)).toBe(0);
    expect(rowAt(o, 9.9)).toBe(0);
    expect(rowAt(o, 10)).toBe(1);
    expect(rowAt(o, 59)).toBe(2);
    expect(rowAt(o, 1000)).toBe(2);
    expect(rowAt(o, -5)).toBe(0);
    expect(rowAt(prefixOffsets([]), 0)).toBe(0);
  });

  it("renders the rows in view plus overscan", () => {
    expect(visibleRange(offsets, 0, 500, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(offsets, 1000, 500, 5)).toEqual({ start: 15, end: 35 });
    expect(visibleRange(offsets, 499_500, 500, 5)).toEqual({ start: 9985, end: 10_000 });
  });

  it("stays bounded anywhere in a 10 000-row list", () => {
    for (let top = 0; top < 500_000; top += 12_345) {
      const r = visibleRange(offsets, top, 700, 8);
      expect(r.end - r.start).toBeLessThanOrEqual(15 + 16 + 1);
      expect(r.start).toBeGreaterThanOrEqual(0);
      expect(r.end).toBeLessThanOrEqual(10_000);
    }
  });

  it("handles variable heights", () => {
    const o = prefixOffsets([100, 20, 20, 20, 300, 20]);
    expect(visibleRange(o, 110, 50, 0)).toEqual({ start: 1, end: 4 });
    expect(visibleRange(o, 170, 10, 1)).toEqual({ start: 3, end: 6 });
  });

  it("handles an empty list and a zero viewport", () => {
    expect(visibleRange(prefixOffsets([]), 0, 500, 5)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(prefixOffsets([10, 10]), 0, 0, 5)).toEqual({ start: 0, end: 2 });
  });

  it("keeps content in place when rows above change height", () => {
    const before = prefixOffsets([50, 50, 50, 50]);
    const after = prefixOffsets([80, 50, 50, 50]);
    expect(anchoredScrollTop(120, 2, before, after)).toBe(150);
    expect(anchoredScrollTop(120, -1, before, after)).toBe(120);
  });
});
