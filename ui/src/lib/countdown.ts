// The ringing offer window: the engine gives a deadline (epoch ms) and the seconds left when it sent
// the event. If our clock disagrees with the engine's by more than a little, trust `secondsLeft`
// counted from when the event arrived.

export const OFFER_WINDOW_MS = 20_000;
const SKEW_TOLERANCE_MS = 2_000;

export interface RingClock {
  deadline: number;
  secondsLeft: number;
  receivedAt: number;
}

export function effectiveDeadline(r: RingClock): number {
  const byEngine = r.deadline;
  const byArrival = r.receivedAt + r.secondsLeft * 1000;
  return Math.abs(byEngine - byArrival) > SKEW_TOLERANCE_MS ? byArrival : byEngine;
}

export function remainingMs(r: RingClock, now: number): number {
  return Math.max(0, effectiveDeadline(r) - now);
}

/** Whole seconds to show: 19.2 s left shows as 20, 0.1 s as 1, and 0 once the window closed. */
export function secondsToShow(r: RingClock, now: number): number {
  return Math.ceil(remainingMs(r, now) / 1000);
}

/** Share of the window still open, 1 → 0, for the progress bar. */
export function fractionLeft(r: RingClock, now: number): number {
  return Math.min(1, Math.max(0, remainingMs(r, now) / OFFER_WINDOW_MS));
}
