//! Checks a survey submission (spec §4.26 [INF] body) against the survey's questions.

use std::collections::BTreeMap;

use serde_json::Value;

use super::defs::{QuestionDef, SurveyDef};
use crate::request::scalar;

/// Why a submission was refused; `question_id` names the question when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The question at fault.
    pub question_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

fn reject(q: Option<&str>, message: impl Into<String>) -> Rejection {
    Rejection {
        question_id: q.map(str::to_string),
        message: message.into(),
    }
}

fn about(q: &QuestionDef, what: &str) -> Rejection {
    reject(
        Some(&q.id.to_string()),
        format!("question {} ({:?}): {what}", q.id, q.label),
    )
}

/// The answer values of one submitted question: a scalar, a list of scalars, or none.
fn answer_values(id: &str, v: Option<&Value>) -> Result<Vec<String>, Rejection> {
    let bad = || {
        reject(
            Some(id),
            format!("question {id}: answer must be text or a list of text"),
        )
    };
    let raw: Vec<String> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| scalar(i).ok_or_else(bad))
            .collect::<Result<_, _>>()?,
        Some(other) => vec![scalar(other).ok_or_else(bad)?],
    };
    Ok(raw
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// The submitted `question` elements by id: `@id` or `id` (text or number), one object or a
/// list (quirk §9.1), each with `answer` as text or a list.
fn parse(body: &Value) -> Result<BTreeMap<String, Vec<String>>, Rejection> {
    let Some(survey) = body.get("survey").filter(|s| s.is_object()) else {
        return Err(reject(None, "survey is required"));
    };
    let items: Vec<&Value> = match survey.get("question") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    };
    let mut out = BTreeMap::new();
    for item in items {
        let id = item
            .get("@id")
            .or_else(|| item.get("id"))
            .and_then(scalar)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| reject(None, "every question needs an @id"))?;
        let values = answer_values(&id, item.get("answer"))?;
        if out.insert(id.clone(), values).is_some() {
            return Err(reject(
                Some(&id),
                format!("question {id} is answered twice"),
            ));
        }
    }
    Ok(out)
}

/// True when the question is shown given the answers: a question that an entry's
/// `showLogicId` points at is shown only while that entry is chosen (and its own question is
/// shown); every other question is always shown.
fn shown(def: &SurveyDef, q: &QuestionDef, answers: &BTreeMap<String, Vec<String>>) -> bool {
    let mut current = q;
    // The chain of show-logic is short; the bound keeps a cyclic definition from looping.
    for _ in 0..def.questions.len() + 1 {
        match def.shown_by(current.logic_id) {
            None => return true,
            Some((parent, value)) => {
                let chosen = answers
                    .get(&parent.id.to_string())
                    .is_some_and(|v| v.iter().any(|a| a == value));
                if !chosen {
                    return false;
                }
                current = parent;
            }
        }
    }
    false
}

fn numeric(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty() && all_digits(whole) && frac.is_none_or(|f| !f.is_empty() && all_digits(f))
}

fn email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
}

/// `alpha_numeric`: free text without control characters, at most 1 000 characters.
fn alpha_numeric(s: &str) -> bool {
    !s.chars().any(char::is_control) && s.chars().count() <= 1000
}

fn valid_text(q: &QuestionDef, value: &str) -> Result<(), Rejection> {
    let ok = match q.validation {
        "numeric" => numeric(value),
        "email" => email(value),
        "alpha_numeric" | "alphanumeric" => alpha_numeric(value),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(about(q, &format!("not a valid {} value", q.validation)))
    }
}

/// Checks a submission; on success the answers to keep (shown questions with an answer).
/// Rules: no unknown question ids; every shown mandatory question answered; one answer except
/// for checkboxes; choice answers one of the entries; text answers pass the `validationType`.
pub fn check(def: &SurveyDef, body: &Value) -> Result<BTreeMap<String, Vec<String>>, Rejection> {
    let answers = parse(body)?;
    if let Some(id) = answers.keys().find(|id| def.question(id).is_none()) {
        return Err(reject(
            Some(id),
            format!("question {id} is not in survey {}", def.id),
        ));
    }
    let mut kept = BTreeMap::new();
    for q in def.questions {
        if !shown(def, q, &answers) {
            continue;
        }
        let id = q.id.to_string();
        let values = answers.get(&id).cloned().unwrap_or_default();
        if values.is_empty() {
            if q.mandatory {
                return Err(about(q, "an answer is required"));
            }
            continue;
        }
        if values.len() > 1 && !q.is_multi() {
            return Err(about(q, "takes one answer"));
        }
        for v in &values {
            if q.is_choice() {
                if !q.entries.iter().any(|e| e.value == v) {
                    return Err(about(q, &format!("{v:?} is not one of the choices")));
                }
            } else {
                valid_text(q, v)?;
            }
        }
        kept.insert(id, values);
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::super::defs::SURVEYS;
    use super::*;
    use serde_json::json;

    /// The question a refusal names (`None` when accepted or unnamed).
    fn culprit(r: Result<BTreeMap<String, Vec<String>>, Rejection>) -> Option<String> {
        r.err().and_then(|e| e.question_id)
    }

    fn body(qs: Value) -> Value {
        json!({"survey": {"question": qs}})
    }

    #[test]
    fn rules() {
        let s = &SURVEYS[0];
        let ok = check(
            s,
            &body(json!([
                {"@id": "12786270", "answer": "Pricing"},
                {"id": 12786271, "answer": ["No"]},
                {"@id": "12786274", "answer": "42"}
            ])),
        )
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(ok.len(), 3);
        // a single object, not a list
        let one = check(
            s,
            &json!({"survey": {"question": {"@id": "12786270", "answer": "x"}}}),
        );
        assert_eq!(culprit(one).as_deref(), Some("12786270"));
        // show-logic: the email is mandatory once follow-up is ticked
        let follow = body(json!([
            {"@id": "12786270", "answer": "Pricing"},
            {"@id": "12786271", "answer": "Yes"},
            {"@id": "12786272", "answer": ["Yes"]}
        ]));
        assert_eq!(culprit(check(s, &follow)).as_deref(), Some("12786273"));
        // hidden answers are dropped
        let hidden = body(json!([
            {"@id": "12786270", "answer": "Pricing"},
            {"@id": "12786271", "answer": "Yes"},
            {"@id": "12786273", "answer": "not checked"}
        ]));
        let kept = check(s, &hidden).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert!(!kept.contains_key("12786273"));
        let unknown = check(s, &body(json!({"@id": "1", "answer": "x"})));
        assert_eq!(culprit(unknown).as_deref(), Some("1"));
        assert!(check(s, &json!({})).is_err());
        assert!(check(s, &json!({"survey": {"question": [{"answer": "x"}]}})).is_err());
    }

    #[test]
    fn validation_types() {
        assert!(numeric("100245") && numeric("-3.5") && !numeric("12a") && !numeric(""));
        assert!(!numeric("1.") && !numeric("NaN"));
        assert!(email("a.b@example.com") && !email("a@b") && !email("a b@c.de"));
        assert!(!email("@x.com") && !email("a@@x.com"));
        assert!(alpha_numeric("Order #12, ok?") && !alpha_numeric("a\u{7}b"));
    }
}
