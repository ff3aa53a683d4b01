// Pure window math for the virtual list: which rows to render for a scroll position.

/** offsets[i] = top of row i; offsets[n] = total height. */
export function prefixOffsets(heights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) out[i + 1] = out[i] + heights[i];
  return out;
}

/** Index of the row containing `y` (the last row whose top is <= y), clamped to [0, n-1]. */
export function rowAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

/** The rows overlapping [scrollTop, scrollTop + viewport), widened by `overscan` rows each side. */
export function visibleRange(offsets: Float64Array, scrollTop: number, viewport: number, overscan: number): Range {
  const n = offsets.length - 1;
  if (n <= 0 || viewport <= 0) return { start: 0, end: Math.min(n, Math.max(0, overscan)) };
  const top = Math.max(0, scrollTop);
  const first = rowAt(offsets, top);
  const last = rowAt(offsets, Math.max(top, top + viewport - 1));
  return { start: Math.max(0, first - overscan), end: Math.min(n, last + 1 + overscan) };
}

/** Scroll position that keeps the same content in view after rows above it changed height. */
export function anchoredScrollTop(
  scrollTop: number,
  anchorIndex: number,
  before: Float64Array,
  after: Float64Array,
): number {
  if (anchorIndex < 0 || anchorIndex >= before.length || anchorIndex >= after.length) return scrollTop;
  return scrollTop + (after[anchorIndex] - before[anchorIndex]);
}
