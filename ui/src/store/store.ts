// A tiny observable store: dispatch runs the reducer; subscribers run once per animation frame.
import { reduce, type Action } from "./ui";
import { initialState, type DeskState } from "./state";

export type Listener = (state: DeskState, prev: DeskState) => void;

export class Store {
  private state: DeskState;
  private rendered: DeskState;
  private listeners = new Set<Listener>();
  private scheduled = false;

  constructor(
    initial: DeskState = initialState(),
    private schedule: (cb: () => void) => void = (cb) => requestAnimationFrame(() => cb()),
  ) {
    this.state = initial;
    this.rendered = initial;
  }

  get(): DeskState {
    return this.state;
  }

  dispatch(action: Action): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Runs the subscribers now (tests, and before reading the DOM right after a dispatch). */
  flush(): void {
    this.scheduled = false;
    const prev = this.rendered;
    this.rendered = this.state;
    if (prev === this.state) return;
    for (const l of this.listeners) l(this.state, prev);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
