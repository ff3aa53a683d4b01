// A windowed list: only rows in view (plus overscan) exist in the DOM. Row heights start at an
// estimate and are corrected by measuring rows as they render; the list sticks to the bottom while
// the agent is reading the newest lines.
import { anchoredScrollTop, prefixOffsets, rowAt, visibleRange } from "./window";

export interface VirtualListOptions<T> {
  key(item: T): string;
  render(item: T): HTMLElement;
  estimate: number;
  overscan?: number;
  /** Told when the list starts or stops following the newest row. */
  onStick?(sticking: boolean): void;
}

/** A scroll position that survives a new page: a row's key and the pixels of it above the top. */
export interface ScrollPosition {
  key: string;
  offset: number;
}

interface Rendered<T> {
  el: HTMLElement;
  item: T;
}

export class VirtualList<T> {
  readonly viewport: HTMLElement;
  private readonly canvas: HTMLElement;
  private items: T[] = [];
  private heights = new Map<string, number>();
  private offsets: Float64Array = new Float64Array(1);
  private rows = new Map<string, Rendered<T>>();
  private frame = 0;
  private stick = true;
  private width = 0;
  private resize: ResizeObserver | null = null;
  /** A `restore` asked for before the viewport had a size. */
  private pending: ScrollPosition | null = null;

  constructor(
    viewport: HTMLElement,
    private opts: VirtualListOptions<T>,
  ) {
    this.viewport = viewport;
    this.viewport.classList.add("vlist");
    this.canvas = document.createElement("div");
    this.canvas.className = "vlist-canvas";
    this.canvas.setAttribute("role", "presentation");
    this.viewport.append(this.canvas);
    this.viewport.addEventListener("scroll", () => this.onScroll(), { passive: true });
    if (typeof ResizeObserver !== "undefined") {
      this.resize = new ResizeObserver(() => {
        const w = this.viewport.clientWidth;
        if (w !== this.width) {
          // Text reflows: measured heights no longer hold.
          this.width = w;
          this.heights.clear();
          this.recompute();
        }
        if (this.pending && this.viewport.clientHeight > 0) this.restore(this.pending);
        else this.schedule();
      });
      this.resize.observe(this.viewport);
    }
  }

  destroy(): void {
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  /** Number of row elements currently in the DOM (the test's bound). */
  get renderedCount(): number {
    return this.rows.size;
  }

  setItems(items: T[]): void {
    if (items === this.items) return;
    const atBottom = this.isAtBottom();
    this.items = items;
    this.recompute();
    if (atBottom && !this.pending) this.setStick(true);
    this.renderNow();
  }

  scrollToBottom(): void {
    this.pending = null;
    this.setStick(true);
    this.renderNow();
  }

  private isAtBottom(): boolean {
    const v = this.viewport;
    return v.scrollTop + v.clientHeight >= v.scrollHeight - 8;
  }

  private onScroll(): void {
    if (this.pending) return;
    this.setStick(this.isAtBottom());
    this.schedule();
  }

  private setStick(on: boolean): void {
    if (on === this.stick) return;
    this.stick = on;
    this.opts.onStick?.(on);
  }

  get following(): boolean {
    return this.stick;
  }

  /** Where the list is scrolled: the first row in view and how far into it; null while it follows
   * the newest row. */
  position(): ScrollPosition | null {
    if (this.stick || this.items.length === 0) return null;
    const top = this.viewport.scrollTop;
    const i = rowAt(this.offsets, top);
    return { key: this.opts.key(this.items[i]), offset: Math.max(0, top - this.offsets[i]) };
  }

  /** Scrolls back to a `position()`; false when its row is not in the list any more. */
  restore(p: ScrollPosition): boolean {
    const i = this.items.findIndex((it) => this.opts.key(it) === p.key);
    if (i < 0) return false;
    this.setStick(false);
    if (this.viewport.clientHeight <= 0) {
      // Not laid out yet (a window not shown yet): done once the viewport has a size.
      this.pending = p;
      return true;
    }
    this.pending = null;
    // Twice: the first render measures the rows around the target, which can move it.
    for (let pass = 0; pass < 2; pass++) {
      this.viewport.scrollTop = this.offsets[i] + p.offset;
      this.renderNow();
    }
    this.setStick(this.isAtBottom());
    return true;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  private heightOf(item: T): number {
    return this.heights.get(this.opts.key(item)) ?? this.opts.estimate;
  }

  private recompute(): void {
    const hs = new Float64Array(this.items.length);
    for (let i = 0; i < this.items.length; i++) hs[i] = this.heightOf(this.items[i]);
    this.offsets = prefixOffsets(hs);
    this.canvas.style.height = `${this.offsets[this.items.length]}px`;
  }

  private renderNow(): void {
    for (let pass = 0; pass < 3; pass++) {
      if (this.stick) this.viewport.scrollTop = this.viewport.scrollHeight;
      if (!this.renderPass()) break;
    }
    if (this.stick) this.viewport.scrollTop = this.viewport.scrollHeight;
  }

  /** Renders the window and measures it; true when measured heights moved rows (another pass needed). */
  private renderPass(): boolean {
    const { key, render } = this.opts;
    const range = visibleRange(this.offsets, this.viewport.scrollTop, this.viewport.clientHeight || 600, this.opts.overscan ?? 8);
    const wanted = new Set<string>();
    const fresh: Rendered<T>[] = [];
    for (let i = range.start; i < range.end; i++) {
      const item = this.items[i];
      const k = key(item);
      wanted.add(k);
      let r = this.rows.get(k);
      if (r && r.item !== item) {
        const el = render(item);
        r.el.replaceWith(el);
        r = { el, item };
        this.rows.set(k, r);
        fresh.push(r);
      } else if (!r) {
        r = { el: render(item), item };
        r.el.classList.add("vlist-row");
        this.canvas.append(r.el);
        this.rows.set(k, r);
        fresh.push(r);
      }
      r.el.classList.add("vlist-row");
      r.el.style.transform = `translateY(${this.offsets[i]}px)`;
    }
    for (const [k, r] of this.rows) {
      if (!wanted.has(k)) {
        r.el.remove();
        this.rows.delete(k);
      }
    }
    // Measure the rows that are new, changed, or not measured at this width; correct the cache.
    let changed = false;
    for (let i = range.start; i < range.end; i++) {
      const r = this.rows.get(key(this.items[i]));
      if (r && !this.heights.has(key(r.item))) fresh.push(r);
    }
    for (const r of new Set(fresh)) {
      const h = r.el.offsetHeight;
      if (h > 0 && h !== this.heights.get(key(r.item))) {
        if (h !== this.heightOf(r.item)) changed = true;
        this.heights.set(key(r.item), h);
      }
    }
    if (!changed) return false;
    const before = this.offsets;
    const anchor = rowAt(before, this.viewport.scrollTop);
    this.recompute();
    if (!this.stick) this.viewport.scrollTop = anchoredScrollTop(this.viewport.scrollTop, anchor, before, this.offsets);
    for (let i = range.start; i < range.end; i++) {
      const r = this.rows.get(key(this.items[i]));
      if (r) r.el.style.transform = `translateY(${this.offsets[i]}px)`;
    }
    return true;
  }
}
