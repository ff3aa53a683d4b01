// Wrap-up: the agent surveys of ended chats, listed under the chat list. Several can wait at once and
// none blocks the desk. Each is a `renderSurvey` form kept across engine updates (what the agent
// typed stays); `done` / `skipped` ones leave the store, and so the list.
import type { DeskState } from "../store/state";
import type { ChatKey, IpcError, SurveyAnswer, WrapUp } from "../types";
import { h, setText } from "../lib/dom";
import { renderSurvey, type SurveyForm } from "../features/survey-form";

export interface WrapUpActions {
  submitWrapUp(chat: ChatKey, answers: SurveyAnswer[]): Promise<void>;
  skipWrapUp(chat: ChatKey): Promise<void>;
}

interface Entry {
  wrapUp: WrapUp;
  form: SurveyForm;
  box: HTMLElement;
}

export class WrapUpArea {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private count: HTMLElement;
  private entries = new Map<ChatKey, Entry>();

  constructor(
    private actions: WrapUpActions,
    private explain: (err: unknown) => string,
  ) {
    this.count = h("span", { class: "count", "data-testid": "wrapup-count" });
    this.list = h("div", { class: "wrapup-list" });
    this.el = h(
      "section",
      { class: "wrapups", "aria-label": "Wrap-up", "data-testid": "wrapup-area", hidden: true },
      h("h2", { class: "sidebar-title" }, "Wrap-up ", this.count),
      this.list,
    );
  }

  update(state: DeskState): void {
    const keep = new Set(state.wrapUps.map((w) => w.chat));
    for (const [chat, e] of this.entries) {
      if (!keep.has(chat)) {
        e.box.remove();
        this.entries.delete(chat);
      }
    }
    for (const w of state.wrapUps) {
      const e = this.entries.get(w.chat);
      if (!e) this.add(w);
      else if (e.wrapUp !== w) {
        e.wrapUp = w;
        e.form.update(w);
      }
    }
    this.el.hidden = this.entries.size === 0;
    setText(this.count, String(this.entries.size));
  }

  /** The form of a chat's wrap-up, if it is listed. */
  form(chat: ChatKey): SurveyForm | undefined {
    return this.entries.get(chat)?.form;
  }

  private add(w: WrapUp): void {
    // A refused submission comes back with the answers it had: the form starts from them.
    const start = w.answers.length ? w.answers : undefined;
    const form = renderSurvey(
      w,
      {
        submit: (answers) => this.run(w.chat, () => this.actions.submitWrapUp(w.chat, answers), true),
        skip: () => this.run(w.chat, () => this.actions.skipWrapUp(w.chat), false),
      },
      start,
    );
    const box = h("div", { class: "wrapup", "data-testid": "wrapup", "data-chat": w.chat }, form.el);
    this.list.append(box);
    this.entries.set(w.chat, { wrapUp: w, form, box });
  }

  /** Runs a submit or skip call; shows a refusal of the call itself inside the form. */
  private run(chat: ChatKey, call: () => Promise<void>, submitting: boolean): void {
    const e = this.entries.get(chat);
    if (!e) return;
    // Busy at once (no second click); the engine's `wrapUp` events take it from here.
    if (submitting) e.form.update({ ...e.wrapUp, state: "submitting", error: null });
    e.form.setError(null);
    call().catch((err: unknown) => {
      const now = this.entries.get(chat);
      if (!now) return;
      now.form.update(now.wrapUp);
      now.form.setError(this.explain(err as IpcError));
    });
  }
}
