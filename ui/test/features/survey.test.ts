// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { answersToSubmit, initialAnswers, renderSurvey, validateAnswers, visibleQuestions } from "../../src/features/survey-form";
import type { AgentSurvey, SurveyAnswer, SurveyQuestion, WrapUp } from "../../src/features/types";

const Q = (id: string, extra: Partial<SurveyQuestion> = {}): SurveyQuestion => ({
  id,
  logicId: null,
  order: 0,
  mandatory: false,
  kind: "text",
  validation: "none",
  label: `Question ${id}`,
  lastKnownValue: null,
  entries: [],
  ...extra,
});
const E = (value: string, checked = false, showLogicId: string | null = null) => ({ value, checked, showLogicId });

// q1 (dropdown, mandatory) CATS reveals logic 5 (q2, text, mandatory); q2's "x" reveals nothing.
// q3 radio: "yes" reveals logic 7 (q4 email). q5 checkbox optional. q6 other.
const SURVEY: AgentSurvey = {
  title: "Wrap-up",
  header: "Tell us <b>about</b> it",
  questions: [
    Q("q2", { logicId: "5", order: 1, mandatory: true, label: "What is your name?", validation: "alphaNumeric" }),
    Q("q1", { logicId: "4", order: 0, mandatory: true, kind: "dropdown", label: "With whom?", entries: [E("CATS", false, "5"), E("DOGS")] }),
    Q("q3", { logicId: "6", order: 2, kind: "radio", entries: [E("yes", false, "7"), E("no", true)] }),
    Q("q4", { logicId: "7", order: 3, validation: "email", label: "Email" }),
    Q("q5", { order: 4, kind: "checkbox", entries: [E("a", true), E("b"), E("c", true)] }),
    Q("q6", { order: 5, kind: "other", label: "Matrix" }),
  ],
};
const A = (pairs: Record<string, string[]>): SurveyAnswer[] => Object.entries(pairs).map(([questionId, values]) => ({ questionId, values }));
const ids = (qs: SurveyQuestion[]) => qs.map((q) => q.id);

describe("survey rules", () => {
  it("initial answers from checked entries, last known values win where they fit", () => {
    const s: AgentSurvey = {
      title: null,
      header: null,
      questions: [
        Q("d", { kind: "dropdown", entries: [E("x", true), E("y")], lastKnownValue: "y" }),
        Q("r", { kind: "radio", entries: [E("x", true), E("y", true)], lastKnownValue: "nope" }),
        Q("c", { kind: "checkbox", entries: [E("x"), E("y"), E("z", true)], lastKnownValue: "x, y" }),
        Q("t", { lastKnownValue: "John" }),
        Q("t2"),
        Q("o", { kind: "other", lastKnownValue: "?" }),
      ],
    };
    expect(initialAnswers(s)).toEqual(A({ d: ["y"], r: ["x"], c: ["x", "y"], t: ["John"], t2: [], o: [] }));
  });

  it("show-logic: referenced questions start hidden and show while the entry is selected", () => {
    expect(ids(visibleQuestions(SURVEY, initialAnswers(SURVEY)))).toEqual(["q1", "q3", "q5", "q6"]);
    expect(ids(visibleQuestions(SURVEY, A({ q1: ["CATS"] })))).toEqual(["q1", "q2", "q3", "q5", "q6"]);
    expect(ids(visibleQuestions(SURVEY, A({ q1: ["DOGS"], q3: ["yes"] })))).toEqual(["q1", "q3", "q4", "q5", "q6"]);
  });

  it("show-logic chains, and a hidden question reveals nothing", () => {
    const s: AgentSurvey = {
      title: null,
      header: null,
      questions: [
        Q("a", { kind: "radio", order: 0, entries: [E("go", false, "B")] }),
        Q("b", { kind: "radio", order: 1, logicId: "B", entries: [E("go", false, "C")] }),
        Q("c", { order: 2, logicId: "C" }),
      ],
    };
    expect(ids(visibleQuestions(s, A({ a: ["go"], b: ["go"] })))).toEqual(["a", "b", "c"]);
    expect(ids(visibleQuestions(s, A({ a: [], b: ["go"] })))).toEqual(["a"]);
  });

  it("validates mandatory and validation types, visible questions only", () => {
    expect(validateAnswers(SURVEY, A({}))).toEqual([{ questionId: "q1", message: "This question needs an answer." }]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"] })).map((p) => p.questionId)).toEqual(["q2"]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"], q2: ["John O'Brien"] }))).toEqual([]);
    // alphaNumeric is the engine's rule: any text without control characters.
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"], q2: ["<script> & ümlaut #1 😀"] }))).toEqual([]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"], q2: ["tab\there"] })).map((p) => p.questionId)).toEqual(["q2"]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"], q2: ["x".repeat(1001)] })).map((p) => p.questionId)).toEqual(["q2"]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS"], q2: ["x".repeat(1000)] }))).toEqual([]);
    expect(validateAnswers(SURVEY, A({ q1: ["DOGS"], q2: ["<script>"] }))).toEqual([]); // q2 hidden
    expect(validateAnswers(SURVEY, A({ q1: ["DOGS"], q3: ["yes"], q4: ["not-an-email"] })).map((p) => p.questionId)).toEqual(["q4"]);
    expect(validateAnswers(SURVEY, A({ q1: ["DOGS"], q3: ["yes"], q4: ["a@b.co"] }))).toEqual([]);
    expect(validateAnswers(SURVEY, A({ q1: ["DOGS"], q3: ["yes"], q4: ["a@b.co."] })).map((p) => p.questionId)).toEqual(["q4"]);
    expect(validateAnswers(SURVEY, A({ q1: ["DOGS"], q3: ["yes"], q4: ["a@.b.co"] })).map((p) => p.questionId)).toEqual(["q4"]);
    expect(validateAnswers(SURVEY, A({ q1: ["FISH"] })).map((p) => p.message)).toEqual(["Choose one of the listed answers."]);
    expect(validateAnswers(SURVEY, A({ q1: ["CATS", "DOGS"] })).map((p) => p.message)).toContain("Choose only one answer.");
    const num: AgentSurvey = { title: null, header: null, questions: [Q("n", { validation: "numeric" })] };
    expect(validateAnswers(num, A({ n: ["12.5"] }))).toEqual([]);
    expect(validateAnswers(num, A({ n: ["-3"] }))).toEqual([]);
    expect(validateAnswers(num, A({ n: ["12a"] }))).toHaveLength(1);
    expect(validateAnswers(num, A({ n: ["12,5"] }))).toHaveLength(1); // a dot only, as the engine
    expect(validateAnswers(num, A({ n: ["+3"] }))).toHaveLength(1);
    expect(validateAnswers(num, A({ n: ["3."] }))).toHaveLength(1);
    expect(validateAnswers(num, A({ n: [] }))).toEqual([]); // optional and empty
  });

  it("submits visible, supported, answered questions", () => {
    expect(answersToSubmit(SURVEY, A({ q1: ["DOGS"], q2: ["hidden"], q3: ["no"], q5: [], q6: ["x"] }))).toEqual(A({ q1: ["DOGS"], q3: ["no"] }));
  });
});

function wrap(state: WrapUp["state"] = "open", error: string | null = null): WrapUp {
  return { chat: "H1-K1", visitorName: "Vera", survey: SURVEY, state, answers: [], error };
}
const qs = (el: Element, id: string) => Array.from(el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
const question = (el: Element, id: string) => el.querySelector<HTMLElement>(`[data-question-id="${id}"]`)!;

describe("survey form", () => {
  afterEach(() => document.body.replaceChildren());

  function setup(w = wrap()) {
    const submit = vi.fn();
    const skip = vi.fn();
    const form = renderSurvey(w, { submit, skip });
    document.body.append(form.el);
    return { form, submit, skip };
  }

  it("draws each kind, preselected, with mandatory marks, header as text", () => {
    const { form } = setup();
    const el = form.el;
    expect(el.querySelector("b")).toBeNull();
    expect(el.textContent).toContain("Tell us <b>about</b> it");
    expect(question(el, "q1").querySelector("select")!.getAttribute("aria-required")).toBe("true");
    expect(question(el, "q1").textContent).toContain("*");
    expect(question(el, "q2").hidden).toBe(true);
    expect(question(el, "q4").hidden).toBe(true);
    const radios = question(el, "q3").querySelectorAll<HTMLInputElement>("input[type=radio]");
    expect([...radios].map((r) => r.checked)).toEqual([false, true]);
    expect(question(el, "q3").getAttribute("role")).toBe("radiogroup");
    const boxes = question(el, "q5").querySelectorAll<HTMLInputElement>("input[type=checkbox]");
    expect([...boxes].map((r) => r.checked)).toEqual([true, false, true]);
    expect(qs(el, "survey-unsupported")).toHaveLength(1);
    expect(qs(el, "survey-skip")[0]!.hidden).toBe(true); // q1 is mandatory
  });

  it("side-by-side radios get the horizontal layout", () => {
    const s: AgentSurvey = { title: null, header: null, questions: [Q("r", { kind: "radioSideBySide", entries: [E("1"), E("2")] })] };
    const f = renderSurvey({ ...wrap(), survey: s }, { submit: () => {}, skip: () => {} });
    expect(f.el.querySelector(".survey-options--row")).not.toBeNull();
    expect(qs(f.el, "survey-skip")[0]!.hidden).toBe(false);
  });

  it("reveals a question on selection, validates, and submits", () => {
    const { form, submit } = setup();
    const el = form.el;
    const sel = question(el, "q1").querySelector("select")!;
    el.requestSubmit();
    expect(submit).not.toHaveBeenCalled();
    expect(question(el, "q1").querySelector<HTMLElement>('[data-testid="survey-q-error"]')!.hidden).toBe(false);
    expect(sel.getAttribute("aria-invalid")).toBe("true");
    sel.value = "CATS";
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    expect(question(el, "q2").hidden).toBe(false);
    const name = question(el, "q2").querySelector("input")!;
    name.value = "Jo";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    el.requestSubmit();
    expect(submit).toHaveBeenCalledWith(A({ q1: ["CATS"], q2: ["Jo"], q3: ["no"], q5: ["a", "c"] }));
  });

  it("skip shows only when no visible question is mandatory", () => {
    const s: AgentSurvey = {
      title: null,
      header: null,
      questions: [Q("a", { kind: "radio", entries: [E("more", false, "M"), E("no")] }), Q("m", { logicId: "M", mandatory: true })],
    };
    const skip = vi.fn();
    const f = renderSurvey({ ...wrap(), survey: s }, { submit: () => {}, skip });
    document.body.append(f.el);
    const btn = qs(f.el, "survey-skip")[0]! as HTMLButtonElement;
    expect(btn.hidden).toBe(false);
    const more = f.el.querySelector<HTMLInputElement>("input[value=more]")!;
    more.click();
    expect(btn.hidden).toBe(true);
    f.el.querySelector<HTMLInputElement>("input[value=no]")!.click();
    expect(btn.hidden).toBe(false);
    btn.click();
    expect(skip).toHaveBeenCalledOnce();
  });

  it("submitting disables, failed shows the error and keeps the answers, done locks", () => {
    const { form, submit } = setup();
    const el = form.el;
    const sel = question(el, "q1").querySelector("select")!;
    sel.value = "DOGS";
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    form.update(wrap("submitting"));
    const btn = qs(el, "survey-submit")[0] as HTMLButtonElement;
    expect(btn.disabled).toBe(true);
    el.requestSubmit();
    expect(submit).not.toHaveBeenCalled();
    form.update(wrap("failed", "Answer 'q1' refused by the server"));
    expect(btn.disabled).toBe(false);
    expect(qs(el, "survey-error")[0]!.textContent).toBe("Answer 'q1' refused by the server");
    expect(sel.value).toBe("DOGS");
    expect(form.answers()).toEqual(A({ q1: ["DOGS"], q3: ["no"], q5: ["a", "c"] }));
    form.update(wrap("done"));
    expect(qs(el, "survey-done")[0]!.hidden).toBe(false);
    expect(sel.disabled).toBe(true);
  });

  it("a failed state on first render shows the error", () => {
    const { form } = setup(wrap("failed", "boom"));
    expect(qs(form.el, "survey-error")[0]!.hidden).toBe(false);
  });
});
