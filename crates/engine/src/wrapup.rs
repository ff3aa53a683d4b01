//! Wrap-up after a chat: the account's agent survey (spec §4.25/§4.26) in the engine's own terms,
//! and the pure rules a submission must follow (which questions are shown, what each accepts).
//!
//! The wire's survey comes in several flavours (strings or real booleans, one question or a list,
//! unknown widget types); [`AgentSurvey::from_wire`] reads them all into one shape front ends can
//! draw, and [`validate`] is what the engine checks before it queues a submission.

use chat_agent_api::decode::{QuestionType, ValidationType};
use chat_agent_api::model::{Survey, SurveyQuestion as WireQuestion};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

use crate::events::ChatKey;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum QuestionKind {
    /// One value from a list.
    Dropdown,
    /// Any number of values from a list.
    Checkbox,
    /// One value, shown as radio buttons.
    Radio,
    /// One value, radio buttons side by side.
    RadioSideBySide,
    /// Free text.
    Text,
    /// A widget this desk does not know: shown, never answered.
    Other,
}

impl QuestionKind {
    fn from_wire(t: Option<&QuestionType>) -> Self {
        match t {
            Some(QuestionType::DropdownBox) => Self::Dropdown,
            Some(QuestionType::Checkbox) => Self::Checkbox,
            Some(QuestionType::RadioButton) => Self::Radio,
            Some(QuestionType::RadioButtonSideBySide) => Self::RadioSideBySide,
            Some(QuestionType::TextField | QuestionType::TextArea) => Self::Text,
            Some(QuestionType::Other(_)) | None => Self::Other,
        }
    }

    /// Takes exactly one value when answered.
    fn single(self) -> bool {
        matches!(self, Self::Dropdown | Self::Radio | Self::RadioSideBySide)
    }
}

/// What a free-text answer must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Validation {
    AlphaNumeric,
    Numeric,
    Email,
    None,
}

impl Validation {
    fn from_wire(t: Option<&ValidationType>) -> Self {
        match t {
            Some(ValidationType::AlphaNumeric) => Self::AlphaNumeric,
            Some(ValidationType::Numeric) => Self::Numeric,
            Some(ValidationType::Email) => Self::Email,
            Some(ValidationType::Other(_)) | None => Self::None,
        }
    }
}

/// One choice of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SurveyEntry {
    pub value: String,
    /// Chosen before the agent touches it.
    pub checked: bool,
    /// Choosing this entry shows the question whose `logicId` is this.
    pub show_logic_id: Option<String>,
}

/// One question of the survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SurveyQuestion {
    pub id: String,
    pub logic_id: Option<String>,
    pub order: i64,
    pub mandatory: bool,
    pub kind: QuestionKind,
    pub validation: Validation,
    pub label: String,
    pub last_known_value: Option<String>,
    pub entries: Vec<SurveyEntry>,
}

/// An agent survey as the desk shows it: questions in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AgentSurvey {
    pub title: Option<String>,
    pub header: Option<String>,
    pub questions: Vec<SurveyQuestion>,
}

/// The agent's answer to one question (several values for a checkbox question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SurveyAnswer {
    pub question_id: String,
    pub values: Vec<String>,
}

/// Where a chat's wrap-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum WrapUpState {
    /// Waiting for the agent.
    Open,
    /// Answers are queued or on their way to the server.
    Submitting,
    /// The server refused the answers, or gave up for now; `error` says why.
    Failed,
    /// The server has the answers.
    Done,
    /// The agent skipped it (only possible with no mandatory question shown).
    Skipped,
}

/// A chat waiting for (or done with) its wrap-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct WrapUp {
    pub chat: ChatKey,
    pub visitor_name: String,
    pub survey: AgentSurvey,
    pub state: WrapUpState,
    /// The answers last submitted (kept when the server refuses them, so nothing is retyped).
    pub answers: Vec<SurveyAnswer>,
    pub error: Option<String>,
}

/// What is wrong with one answer. (Not exported to the UI: no command or event carries it, and
/// `ui/src/bindings` holds only the IPC contract's types.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerProblem {
    pub question_id: String,
    pub message: String,
}

/// At most this many questions and entries per question are read (a hostile survey stays small).
const MAX_QUESTIONS: usize = 200;
const MAX_ENTRIES: usize = 500;

impl AgentSurvey {
    /// Reads the wire's survey. Questions without an id are dropped (they could not be answered).
    pub fn from_wire(s: &Survey) -> Self {
        let mut questions: Vec<SurveyQuestion> = s
            .all_questions()
            .into_iter()
            .take(MAX_QUESTIONS)
            .map(question)
            .collect();
        // Display order: `order`, then as sent.
        questions.sort_by_key(|q| q.order);
        Self {
            title: s.title.clone().filter(|t| !t.trim().is_empty()),
            header: s.header.clone().filter(|t| !t.trim().is_empty()),
            questions,
        }
    }

    /// Whether the agent may skip it: nothing shown before any answer is mandatory.
    pub fn skippable(&self) -> bool {
        visible(self, &initial_answers(self))
            .iter()
            .all(|q| !q.mandatory)
    }
}

fn question(q: &WireQuestion) -> SurveyQuestion {
    let kind = QuestionKind::from_wire(q.question_type.as_ref());
    SurveyQuestion {
        id: q.id.clone(),
        logic_id: q.logic_id.clone().filter(|s| !s.is_empty()),
        order: q.order.unwrap_or(i64::MAX),
        mandatory: q.mandatory.unwrap_or(false),
        kind,
        validation: Validation::from_wire(q.validation_type.as_ref()),
        label: q.label.clone().unwrap_or_default(),
        last_known_value: q.last_known_value.clone().filter(|s| !s.is_empty()),
        entries: q
            .entry
            .iter()
            .take(MAX_ENTRIES)
            .filter_map(|e| {
                Some(SurveyEntry {
                    value: e.value.clone()?,
                    checked: e.checked.unwrap_or(false),
                    show_logic_id: e
                        .logic
                        .as_ref()
                        .and_then(|l| l.show_logic_id.clone())
                        .filter(|s| !s.is_empty()),
                })
            })
            .collect(),
    }
}

/// The answers a form starts with: checked entries, else the last known value.
pub fn initial_answers(s: &AgentSurvey) -> Vec<SurveyAnswer> {
    s.questions
        .iter()
        .filter_map(|q| {
            let mut values: Vec<String> = q
                .entries
                .iter()
                .filter(|e| e.checked)
                .map(|e| e.value.clone())
                .collect();
            if q.kind.single() {
                values.truncate(1);
            }
            if values.is_empty()
                && let Some(v) = &q.last_known_value
                && (q.kind == QuestionKind::Text || q.entries.iter().any(|e| &e.value == v))
            {
                values.push(v.clone());
            }
            (!values.is_empty()).then(|| SurveyAnswer {
                question_id: q.id.clone(),
                values,
            })
        })
        .collect()
}

fn values_of<'a>(answers: &'a [SurveyAnswer], id: &str) -> &'a [String] {
    answers
        .iter()
        .find(|a| a.question_id == id)
        .map_or(&[], |a| a.values.as_slice())
}

/// The questions shown for these answers. A question whose `logicId` some entry names in its
/// `showLogicId` is shown only while such an entry is chosen on a shown question; every other
/// question is always shown.
pub fn visible<'a>(s: &'a AgentSurvey, answers: &[SurveyAnswer]) -> Vec<&'a SurveyQuestion> {
    let gated: HashSet<&str> = s
        .questions
        .iter()
        .flat_map(|q| q.entries.iter())
        .filter_map(|e| e.show_logic_id.as_deref())
        .collect();
    let mut shown: HashSet<&str> = HashSet::new();
    // Reveals can chain (a revealed question reveals another); each pass adds at least one
    // question or stops, so this ends within as many passes as there are questions.
    loop {
        let before = shown.len();
        for q in &s.questions {
            let open = q
                .logic_id
                .as_deref()
                .is_none_or(|l| !gated.contains(l) || shown.contains(l));
            if !open {
                continue;
            }
            let chosen = values_of(answers, &q.id);
            for e in &q.entries {
                if let Some(target) = e.show_logic_id.as_deref()
                    && chosen.contains(&e.value)
                {
                    shown.insert(target);
                }
            }
        }
        if shown.len() == before {
            break;
        }
    }
    s.questions
        .iter()
        .filter(|q| {
            q.logic_id
                .as_deref()
                .is_none_or(|l| !gated.contains(l) || shown.contains(l))
        })
        .collect()
}

fn valid_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.chars().any(char::is_whitespace)
}

fn valid_numeric(v: &str) -> bool {
    let t = v.strip_prefix('-').unwrap_or(v);
    let mut parts = t.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// What is wrong with these answers: a mandatory shown question left empty, a value that is not
/// one of the entries, a text that fails its validation type, an answer to an unknown question.
/// Answers to hidden questions are not checked (they are dropped by [`answers_to_send`]).
pub fn validate(s: &AgentSurvey, answers: &[SurveyAnswer]) -> Vec<AnswerProblem> {
    let mut out = Vec::new();
    let problem = |q: &str, m: String| AnswerProblem {
        question_id: q.to_string(),
        message: m,
    };
    for a in answers {
        if !s.questions.iter().any(|q| q.id == a.question_id) {
            out.push(problem(&a.question_id, "no such question".into()));
        }
    }
    for q in visible(s, answers) {
        let values: Vec<&str> = values_of(answers, &q.id)
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            if q.mandatory && q.kind != QuestionKind::Other {
                out.push(problem(&q.id, format!("“{}” must be answered", q.label)));
            }
            continue;
        }
        match q.kind {
            QuestionKind::Other => {
                out.push(problem(
                    &q.id,
                    "this question cannot be answered here".into(),
                ));
            }
            QuestionKind::Text => {
                if values.len() > 1 {
                    out.push(problem(&q.id, "takes one answer".into()));
                }
                let v = values[0];
                let bad = match q.validation {
                    Validation::Numeric => !valid_numeric(v),
                    Validation::Email => !valid_email(v),
                    Validation::AlphaNumeric => v.chars().any(char::is_control),
                    Validation::None => false,
                };
                if bad {
                    let what = match q.validation {
                        Validation::Numeric => "a number",
                        Validation::Email => "an email address",
                        _ => "text without control characters",
                    };
                    out.push(problem(&q.id, format!("“{}” must be {what}", q.label)));
                }
                if v.chars().count() > 1000 {
                    out.push(problem(&q.id, "is longer than 1000 characters".into()));
                }
            }
            kind => {
                if kind.single() && values.len() > 1 {
                    out.push(problem(&q.id, "takes one answer".into()));
                }
                for v in &values {
                    if !q.entries.iter().any(|e| e.value == *v) {
                        out.push(problem(&q.id, format!("“{v}” is not one of the choices")));
                    }
                }
            }
        }
    }
    out
}

/// The answers as they go to the server: shown questions only, blanks dropped, ids as numbers.
pub fn answers_to_send(
    s: &AgentSurvey,
    answers: &[SurveyAnswer],
) -> Vec<chat_agent_api::SurveyAnswer> {
    visible(s, answers)
        .into_iter()
        .filter_map(|q| {
            let values: Vec<String> = values_of(answers, &q.id)
                .iter()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            (!values.is_empty()).then(|| chat_agent_api::SurveyAnswer {
                question_id: q.id.clone(),
                answers: values,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(json: &str) -> AgentSurvey {
        let r: chat_agent_api::model::SurveyResponse =
            serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
        AgentSurvey::from_wire(&r.survey.unwrap_or_default())
    }

    /// The spec's §4.25 sample, strings for everything.
    const SPEC: &str = r#"{"survey":{"id":"40216","title":"","header":"Wrap-up","questions":{"question":[
      {"id":"12786273","logicId":"4","order":"0","mandatory":"true","type":"Dropdown Box","validationType":"alpha_numeric",
       "label":"With whom?","entry":[{"checked":"false","value":"CATS","logic":{"showLogicId":"5"}},{"checked":"false","value":"DOGS"}]},
      {"id":"16314710","logicId":"5","order":"1","mandatory":"true","type":"Text Field","validationType":"alpha_numeric",
       "label":"What is your name?","lastKnownValue":"John"}]}}}"#;

    fn ans(id: &str, v: &[&str]) -> SurveyAnswer {
        SurveyAnswer {
            question_id: id.into(),
            values: v.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn reads_the_spec_sample() {
        let s = wire(SPEC);
        assert_eq!(s.title, None);
        assert_eq!(s.header.as_deref(), Some("Wrap-up"));
        assert_eq!(s.questions.len(), 2);
        let q = &s.questions[0];
        assert_eq!(q.kind, QuestionKind::Dropdown);
        assert!(q.mandatory);
        assert_eq!(q.entries[0].show_logic_id.as_deref(), Some("5"));
        assert_eq!(s.questions[1].kind, QuestionKind::Text);
        assert_eq!(s.questions[1].last_known_value.as_deref(), Some("John"));
    }

    #[test]
    fn reads_real_booleans_numbers_and_a_single_question() {
        let s = wire(
            r#"{"survey":{"question":{"id":7,"order":2,"mandatory":false,"type":"Radio Button (side by side)",
              "label":"Resolved?","entry":[{"value":"Yes","checked":true},{"value":"No","checked":false}]}}}"#,
        );
        assert_eq!(s.questions.len(), 1);
        assert_eq!(s.questions[0].kind, QuestionKind::RadioSideBySide);
        assert!(!s.questions[0].mandatory);
        assert_eq!(initial_answers(&s), vec![ans("7", &["Yes"])]);
        assert!(s.skippable());
    }

    #[test]
    fn unknown_widgets_are_other_and_never_block() {
        let s = wire(
            r#"{"survey":{"question":[{"id":1,"mandatory":"true","type":"Star Rating","label":"Stars"}]}}"#,
        );
        assert_eq!(s.questions[0].kind, QuestionKind::Other);
        assert!(validate(&s, &[]).is_empty());
    }

    #[test]
    fn show_logic_reveals_only_while_the_entry_is_chosen() {
        let s = wire(SPEC);
        let ids = |a: &[SurveyAnswer]| -> Vec<String> {
            visible(&s, a).iter().map(|q| q.id.clone()).collect()
        };
        assert_eq!(ids(&[]), vec!["12786273"]);
        assert_eq!(ids(&[ans("12786273", &["DOGS"])]), vec!["12786273"]);
        assert_eq!(
            ids(&[ans("12786273", &["CATS"])]),
            vec!["12786273", "16314710"]
        );
        // Not skippable: the dropdown is mandatory.
        assert!(!s.skippable());
    }

    #[test]
    fn validation_table() {
        let s = wire(SPEC);
        let problems = |a: &[SurveyAnswer]| -> Vec<String> {
            validate(&s, a).into_iter().map(|p| p.message).collect()
        };
        assert_eq!(problems(&[]), vec!["“With whom?” must be answered"]);
        assert_eq!(
            problems(&[ans("12786273", &["CATS"])]),
            vec!["“What is your name?” must be answered"]
        );
        assert!(problems(&[ans("12786273", &["CATS"]), ans("16314710", &["Ann"])]).is_empty());
        // a hidden question's answer is neither checked nor sent
        let hidden = [ans("12786273", &["DOGS"]), ans("16314710", &[""])];
        assert!(problems(&hidden).is_empty());
        assert_eq!(answers_to_send(&s, &hidden).len(), 1);
        assert_eq!(
            problems(&[ans("12786273", &["BIRDS"])]),
            vec!["“BIRDS” is not one of the choices"]
        );
        assert_eq!(
            problems(&[ans("12786273", &["DOGS", "CATS"])]),
            vec!["takes one answer", "“What is your name?” must be answered"]
        );
        assert_eq!(
            problems(&[ans("12786273", &["DOGS"]), ans("99", &["x"])]),
            vec!["no such question"]
        );
    }

    #[test]
    fn validation_types() {
        let s = wire(
            r#"{"survey":{"question":[
              {"id":1,"type":"Text Field","validationType":"numeric","label":"Order"},
              {"id":2,"type":"Text Field","validationType":"email","label":"Email"}]}}"#,
        );
        for (v, ok) in [
            ("42", true),
            ("-3.5", true),
            ("4,2", false),
            ("4x", false),
            ("", true),
            ("1.", false),
        ] {
            assert_eq!(validate(&s, &[ans("1", &[v])]).is_empty(), ok, "{v}");
        }
        for (v, ok) in [
            ("a@b.co", true),
            ("a@b", false),
            ("@b.co", false),
            ("a b@c.de", false),
            ("a@@b.de", false),
        ] {
            assert_eq!(validate(&s, &[ans("2", &[v])]).is_empty(), ok, "{v}");
        }
    }

    #[test]
    fn chained_reveals_and_checkboxes() {
        let s = wire(
            r#"{"survey":{"question":[
              {"id":1,"logicId":"a","type":"Checkbox","label":"Needs","entry":[{"value":"Call","logic":{"showLogicId":"b"}},{"value":"Mail"}]},
              {"id":2,"logicId":"b","type":"Radio Button","label":"When","entry":[{"value":"Today","logic":{"showLogicId":"c"}},{"value":"Later"}]},
              {"id":3,"logicId":"c","mandatory":true,"type":"Text Field","label":"Time"}]}}"#,
        );
        let a = [ans("1", &["Call", "Mail"]), ans("2", &["Today"])];
        assert_eq!(visible(&s, &a).len(), 3);
        assert_eq!(validate(&s, &a).len(), 1);
        let sent = answers_to_send(&s, &[ans("1", &["Call", "Mail"])]);
        assert_eq!(sent[0].answers, vec!["Call", "Mail"]);
    }
}
