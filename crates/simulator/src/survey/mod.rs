//! Agent surveys (spec §4.25/4.26): the structure a chat's skill has, its two wire flavours, and
//! the submitted answers.

mod check;
pub mod defs;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::config::SurveyValues;
use crate::shapes::put_list;
use defs::{QuestionDef, SurveyDef};

pub use check::{Rejection, check};

/// Which survey a chat serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SurveyMode {
    /// The survey of the chat's skill (every skill of the account has one).
    #[default]
    Skill,
    /// No survey for this chat (`GET {C}/survey` answers as `SimConfig::no_survey` says).
    None,
    /// `GET {C}/survey` answers 200 with a body in the wrong shape (for bad-input tests):
    /// [`malformed`].
    Malformed,
}

impl SurveyMode {
    /// Parses the control API's `"survey"` value: `"skill"`, `"none"`, `"malformed"`.
    pub fn parse(s: &str) -> Option<SurveyMode> {
        match s {
            "skill" | "default" => Some(SurveyMode::Skill),
            "none" => Some(SurveyMode::None),
            "malformed" => Some(SurveyMode::Malformed),
            _ => None,
        }
    }
}

/// The agent's accepted survey submission, as the control API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedSurvey {
    /// Survey id.
    pub survey_id: String,
    /// Simulator time of the last accepted submission, epoch ms.
    pub submitted_at: i64,
    /// Accepted submissions so far (a later one replaces the answers of the earlier).
    pub submissions: u32,
    /// Question id → answer values, for the questions answered and shown (answers to questions
    /// hidden by show-logic are dropped).
    pub answers: BTreeMap<String, Vec<String>>,
}

/// A scalar in the chosen flavour.
fn num(values: SurveyValues, n: u64) -> Value {
    match values {
        SurveyValues::Strings => json!(n.to_string()),
        SurveyValues::Typed => json!(n),
    }
}

fn flag(values: SurveyValues, b: bool) -> Value {
    match values {
        SurveyValues::Strings => json!(b.to_string()),
        SurveyValues::Typed => json!(b),
    }
}

fn question_json(q: &QuestionDef, order: usize, values: SurveyValues, arrays: bool) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), num(values, q.id));
    m.insert("logicId".into(), num(values, u64::from(q.logic_id)));
    m.insert("order".into(), num(values, order as u64));
    m.insert("mandatory".into(), flag(values, q.mandatory));
    m.insert("type".into(), json!(q.kind));
    m.insert("validationType".into(), json!(q.validation));
    m.insert("label".into(), json!(q.label));
    if let Some(v) = q.last_known_value {
        m.insert("lastKnownValue".into(), json!(v));
    }
    let entries = q
        .entries
        .iter()
        .map(|e| {
            let mut em = Map::new();
            em.insert("checked".into(), flag(values, e.checked));
            em.insert("value".into(), json!(e.value));
            if let Some(l) = e.show_logic_id {
                em.insert(
                    "logic".into(),
                    json!({"showLogicId": num(values, u64::from(l))}),
                );
            }
            Value::Object(em)
        })
        .collect();
    // Quirk §9.1: `entry` is a list like any other (one member → bare object).
    put_list(&mut m, "entry", entries, arrays);
    Value::Object(m)
}

/// `{"survey":{…}}` in the [INF] shape of spec §4.25.
pub fn structure(def: &SurveyDef, values: SurveyValues, arrays: bool) -> Value {
    let questions = def
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_json(q, i, values, arrays))
        .collect();
    let mut qs = Map::new();
    put_list(&mut qs, "question", questions, arrays);
    json!({"survey": {
        "id": num(values, def.id),
        "title": "",
        "header": def.header,
        "questions": Value::Object(qs),
    }})
}

/// A survey body a client cannot use: ids that are lists, a `mandatory` that is no boolean, an
/// `order` that is no number, `entry` a number.
pub fn malformed() -> Value {
    json!({"survey": {"id": "40299", "questions": {"question": [
        {"id": ["not", "an", "id"], "order": "first", "mandatory": "perhaps",
         "type": "Dropdown Box", "label": "Contact reason", "entry": 7}
    ]}}})
}
