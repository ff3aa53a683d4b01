import { describe, expect, it } from "vitest";
import { effectiveDeadline, fractionLeft, remainingMs, secondsToShow } from "../src/lib/countdown";

describe("ringing countdown", () => {
  const r = { deadline: 120_000, secondsLeft: 20, receivedAt: 100_000 };

  it("counts whole seconds up, down to zero", () => {
    expect(secondsToShow(r, 100_000)).toBe(20);
    expect(secondsToShow(r, 100_800)).toBe(20);
    expect(secondsToShow(r, 101_000)).toBe(19);
    expect(secondsToShow(r, 119_900)).toBe(1);
    expect(secondsToShow(r, 120_000)).toBe(0);
    expect(secondsToShow(r, 130_000)).toBe(0);
  });

  it("gives the share of the 20 s window left", () => {
    expect(fractionLeft(r, 100_000)).toBe(1);
    expect(fractionLeft(r, 110_000)).toBeCloseTo(0.5);
    expect(fractionLeft(r, 125_000)).toBe(0);
  });

  it("trusts secondsLeft when the clocks disagree", () => {
    const skewed = { deadline: 500_000, secondsLeft: 15, receivedAt: 100_000 };
    expect(effectiveDeadline(skewed)).toBe(115_000);
    expect(secondsToShow(skewed, 105_000)).toBe(10);
    // Within tolerance the engine's deadline stands.
    expect(effectiveDeadline({ deadline: 121_000, secondsLeft: 20, receivedAt: 100_000 })).toBe(121_000);
    expect(remainingMs(r, 90_000)).toBe(30_000);
  });
});
