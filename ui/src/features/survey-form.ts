// Wrap-up: the agent survey (§4.25) of an ended chat. The pure functions hold the rules (what is
// preselected, which questions show, what is valid); the form only draws them. Show-logic: an entry
// with `showLogicId` reveals the question whose `logicId` equals it, only while that entry is
// selected in a visible question; questions some entry refers to start hidden. Hidden questions are
// neither validated nor submitted.
import { append, h } from "../lib/dom";
import type { AgentSurvey, SurveyAnswer, SurveyQuestion, WrapUp } from "./types";
import { uid } from "./util";

export interface SurveyOptions {
  submit(answers: SurveyAnswer[]): void;
  skip(): void;
}

export interface SurveyForm {
  readonly el: HTMLFormElement;
  /** New state from the engine (submitting / failed / done) without losing what was entered. */
  update(wrapUp: WrapUp): void;
  /** The visible questions' answers as they stand. */
  answers(): SurveyAnswer[];
  /** Shows a failure of the submit call itself (null clears it); the next `update` replaces it. */
  setError(message: string | null): void;
}

export interface SurveyProblem {
  questionId: string;
  message: string;
}

const CHOICE = new Set(["dropdown", "checkbox", "radio", "radioSideBySide"]);
const SINGLE = new Set(["dropdown", "radio", "radioSideBySide"]);

function sorted(survey: AgentSurvey): SurveyQuestion[] {
  return survey.questions.map((q, i) => ({ q, i })).sort((a, b) => a.q.order - b.q.order || a.i - b.i).map((x) => x.q);
}

function valuesOf(answers: SurveyAnswer[], id: string): string[] {
  return answers.find((a) => a.questionId === id)?.values ?? [];
}

/** What the form starts with: the visitor's last known value where it fits, else the `checked` entries. */
export function initialAnswers(survey: AgentSurvey): SurveyAnswer[] {
  const out: SurveyAnswer[] = [];
  for (const q of sorted(survey)) {
    let values: string[] = [];
    const known = q.lastKnownValue;
    if (q.kind === "text") {
      values = known ? [known] : [];
    } else if (CHOICE.has(q.kind)) {
      const entryValues = q.entries.map((e) => e.value);
      if (known) {
        const wanted = q.kind === "checkbox" ? known.split(",").map((s) => s.trim()) : [known];
        values = wanted.filter((v) => entryValues.includes(v));
      }
      if (!values.length) values = q.entries.filter((e) => e.checked).map((e) => e.value);
      if (SINGLE.has(q.kind)) values = values.slice(0, 1);
    }
    out.push({ questionId: q.id, values });
  }
  return out;
}

/** The questions shown for these answers, in order. */
export function visibleQuestions(survey: AgentSurvey, answers: SurveyAnswer[]): SurveyQuestion[] {
  const qs = sorted(survey);
  const gated = new Set<string>();
  for (const q of qs) for (const e of q.entries) if (e.showLogicId) gated.add(e.showLogicId);
  const visible = new Set(qs.filter((q) => q.logicId == null || !gated.has(q.logicId)).map((q) => q.id));
  // Reveal in rounds (a revealed question may reveal another), until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const q of qs) {
      if (!visible.has(q.id)) continue;
      const selected = valuesOf(answers, q.id);
      for (const e of q.entries) {
        if (!e.showLogicId || !selected.includes(e.value)) continue;
        for (const t of qs) {
          if (t.logicId === e.showLogicId && !visible.has(t.id)) {
            visible.add(t.id);
            changed = true;
          }
        }
      }
    }
  }
  return qs.filter((q) => visible.has(q.id));
}

/** The longest free-text answer the engine (and the server) take. */
export const MAX_TEXT_CHARS = 1000;

// The same rules as the engine's `wrapup::validate` (and the simulator's): numeric is `-?digits(.digits)?`
// with a dot only; alphaNumeric takes any text without control characters; email is local@domain.tld
// without spaces.
const PATTERNS: Record<string, { test(v: string): boolean; message: string }> = {
  numeric: { test: (v) => /^-?[0-9]+(?:\.[0-9]+)?$/.test(v), message: "Enter a number (digits, optionally with - and a decimal point)." },
  email: { test: validEmail, message: "Enter an email address." },
  alphaNumeric: { test: (v) => !/\p{Cc}/u.test(v), message: "Remove the control characters (tabs, line breaks…)." },
};

function validEmail(v: string): boolean {
  if (/\s/u.test(v)) return false;
  const at = v.indexOf("@");
  if (at <= 0) return false;
  const domain = v.slice(at + 1);
  return !domain.includes("@") && domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".");
}

/** Problems with the visible questions' answers (empty: the survey can be submitted). */
export function validateAnswers(survey: AgentSurvey, answers: SurveyAnswer[]): SurveyProblem[] {
  const out: SurveyProblem[] = [];
  for (const q of visibleQuestions(survey, answers)) {
    if (q.kind === "other") continue;
    const values = valuesOf(answers, q.id).filter((v) => v.trim() !== "");
    if (!values.length) {
      if (q.mandatory) out.push({ questionId: q.id, message: "This question needs an answer." });
      continue;
    }
    if (CHOICE.has(q.kind)) {
      const allowed = q.entries.map((e) => e.value);
      if (values.some((v) => !allowed.includes(v))) out.push({ questionId: q.id, message: "Choose one of the listed answers." });
      else if (SINGLE.has(q.kind) && values.length > 1) out.push({ questionId: q.id, message: "Choose only one answer." });
      continue;
    }
    const value = values[0]!.trim();
    const rule = PATTERNS[q.validation];
    if (rule && !rule.test(value)) out.push({ questionId: q.id, message: rule.message });
    else if ([...value].length > MAX_TEXT_CHARS) out.push({ questionId: q.id, message: `Keep it under ${MAX_TEXT_CHARS} characters.` });
  }
  return out;
}

/** What is sent: visible, supported questions with an answer. */
export function answersToSubmit(survey: AgentSurvey, answers: SurveyAnswer[]): SurveyAnswer[] {
  return visibleQuestions(survey, answers)
    .filter((q) => q.kind !== "other")
    .map((q) => ({ questionId: q.id, values: valuesOf(answers, q.id).map((v) => (q.kind === "text" ? v.trim() : v)).filter((v) => v !== "") }))
    .filter((a) => a.values.length > 0);
}

interface QuestionUi {
  q: SurveyQuestion;
  box: HTMLElement;
  error: HTMLElement;
  read(): string[];
  controls: (HTMLInputElement | HTMLSelectElement)[];
}

export function renderSurvey(wrapUp: WrapUp, opts: SurveyOptions, start?: SurveyAnswer[]): SurveyForm {
  const survey = wrapUp.survey;
  const initial = start ?? initialAnswers(survey);
  const titleId = uid("survey-title");
  const form = h("form", { class: "survey", "aria-labelledby": titleId, "data-testid": "survey-form", "data-chat": wrapUp.chat, novalidate: true });
  append(
    form,
    h("h3", { id: titleId, class: "survey-title", "data-testid": "survey-title", text: `Wrap-up: ${wrapUp.visitorName || "Visitor"}` }),
    survey.title ? h("p", { class: "survey-name", text: survey.title }) : null,
    survey.header ? h("p", { class: "survey-header", text: survey.header }) : null,
  );

  const uis: QuestionUi[] = sorted(survey).map((q) => buildQuestion(q, valuesOf(initial, q.id)));
  for (const ui of uis) form.append(ui.box);

  const status = h("p", { class: "form-error", role: "alert", "data-testid": "survey-error", hidden: true });
  const done = h("p", { class: "survey-done", role: "status", "data-testid": "survey-done", hidden: true, text: "Survey sent." });
  const submitBtn = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "survey-submit", text: "Submit" });
  const skipBtn = h("button", { type: "button", class: "btn", "data-testid": "survey-skip", text: "Skip" });
  form.append(status, done, h("div", { class: "survey-buttons" }, skipBtn, submitBtn));

  let state = wrapUp.state;
  const current = (): SurveyAnswer[] => uis.map((u) => ({ questionId: u.q.id, values: u.read() }));

  const refresh = () => {
    const answers = current();
    const visible = new Set(visibleQuestions(survey, answers).map((q) => q.id));
    for (const u of uis) u.box.hidden = !visible.has(u.q.id);
    skipBtn.hidden = uis.some((u) => visible.has(u.q.id) && u.q.mandatory && u.q.kind !== "other");
  };

  const showProblems = (problems: SurveyProblem[]) => {
    for (const u of uis) {
      const p = problems.find((x) => x.questionId === u.q.id);
      u.error.hidden = !p;
      u.error.textContent = p?.message ?? "";
      for (const c of u.controls) {
        if (p) c.setAttribute("aria-invalid", "true");
        else c.removeAttribute("aria-invalid");
      }
    }
  };

  const applyState = (w: WrapUp) => {
    state = w.state;
    const finished = state === "done" || state === "skipped";
    const busy = state === "submitting" || finished;
    submitBtn.disabled = busy;
    skipBtn.disabled = busy;
    submitBtn.textContent = state === "submitting" ? "Submitting…" : "Submit";
    for (const u of uis) for (const c of u.controls) c.disabled = finished;
    form.setAttribute("aria-busy", String(state === "submitting"));
    form.dataset.state = state;
    const err = state === "failed" ? w.error || "The survey could not be submitted." : null;
    status.hidden = !err;
    status.textContent = err ?? "";
    done.hidden = !finished;
    done.textContent = state === "skipped" ? "Survey skipped." : "Survey sent.";
  };

  form.addEventListener("change", () => {
    refresh();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (state === "submitting" || state === "done" || state === "skipped") return;
    const answers = current();
    const problems = validateAnswers(survey, answers);
    showProblems(problems);
    if (problems.length) {
      const first = uis.find((u) => u.q.id === problems[0]!.questionId);
      first?.controls[0]?.focus();
      return;
    }
    opts.submit(answersToSubmit(survey, answers));
  });
  skipBtn.addEventListener("click", () => {
    if (!skipBtn.hidden && !skipBtn.disabled) opts.skip();
  });

  refresh();
  applyState(wrapUp);
  return {
    el: form,
    update: applyState,
    answers: () => answersToSubmit(survey, current()),
    setError: (message) => {
      status.hidden = !message;
      status.textContent = message ?? "";
    },
  };
}

function buildQuestion(q: SurveyQuestion, values: string[]): QuestionUi {
  const id = uid("sq");
  const errorId = `${id}-err`;
  const error = h("p", { id: errorId, class: "survey-q-error", "data-testid": "survey-q-error", hidden: true });
  const mark = q.mandatory
    ? h("span", { class: "survey-required" }, h("span", { "aria-hidden": "true", text: " *" }), h("span", { class: "sr-only", text: " (required)" }))
    : null;
  const labelText = q.label || "(no label)";
  const attrs = { class: `survey-q survey-q--${q.kind}`, "data-testid": "survey-question", "data-question-id": q.id, "data-kind": q.kind };

  if (q.kind === "other") {
    const box = h(
      "div",
      attrs,
      h("p", { class: "survey-label" }, labelText, mark),
      h("p", { class: "survey-unsupported", "data-testid": "survey-unsupported", text: "Unsupported question: answer it in the LivePerson console if needed." }),
      error,
    );
    return { q, box, error, read: () => [], controls: [] };
  }

  if (q.kind === "dropdown") {
    const select = h(
      "select",
      { id, "aria-required": q.mandatory ? "true" : undefined, "aria-describedby": errorId, "data-testid": "survey-select" },
      h("option", { value: "", text: "Choose…" }),
      ...q.entries.map((e) => h("option", { value: e.value, text: e.value })),
    );
    select.value = values[0] && q.entries.some((e) => e.value === values[0]) ? values[0] : "";
    const box = h("div", attrs, h("label", { class: "survey-label", for: id }, labelText, mark), select, error);
    return { q, box, error, read: () => (select.value ? [select.value] : []), controls: [select] };
  }

  if (q.kind === "text") {
    const input = h("input", {
      id,
      type: "text",
      inputmode: q.validation === "numeric" ? "decimal" : q.validation === "email" ? "email" : undefined,
      autocomplete: "off",
      "aria-required": q.mandatory ? "true" : undefined,
      "aria-describedby": errorId,
      "data-testid": "survey-text",
    });
    input.value = values[0] ?? "";
    const box = h("div", attrs, h("label", { class: "survey-label", for: id }, labelText, mark), input, error);
    return { q, box, error, read: () => (input.value.trim() ? [input.value] : []), controls: [input] };
  }

  // checkbox / radio groups
  const type = q.kind === "checkbox" ? "checkbox" : "radio";
  const inputs = q.entries.map((e, i) =>
    h("input", { type, id: `${id}-${i}`, name: id, value: e.value, checked: values.includes(e.value), "data-testid": `survey-${type}` }),
  );
  const legendId = `${id}-legend`;
  const box = h(
    "fieldset",
    {
      ...attrs,
      role: type === "radio" ? "radiogroup" : "group",
      "aria-labelledby": legendId,
      // aria-required is defined for radiogroup, not for group (checkboxes): the legend says it there.
      "aria-required": q.mandatory && type === "radio" ? "true" : undefined,
      "aria-describedby": errorId,
    },
    h("legend", { id: legendId, class: "survey-label" }, labelText, mark),
    h(
      "div",
      { class: `survey-options${q.kind === "radioSideBySide" ? " survey-options--row" : ""}` },
      ...inputs.map((input, i) => h("label", { class: "survey-option", for: input.id }, input, ` ${q.entries[i]!.value}`)),
    ),
    error,
  );
  return { q, box, error, read: () => inputs.filter((x) => x.checked).map((x) => x.value), controls: inputs };
}
