//! Request bodies, built in one place and checked against the spec's samples.

use crate::decode::{AvailabilityState, Typing};
use serde_json::{Value, json};

/// A line to send (`POST {C}/events`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine {
    text: String,
    text_type: &'static str,
    json: Option<Value>,
    agent_only: bool,
}

impl NewLine {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            text_type: "plain",
            json: None,
            agent_only: false,
        }
    }

    /// HTML (no scripts, iframes or DOM actions; the server rewrites link targets).
    pub fn html(html: impl Into<String>) -> Self {
        Self {
            text_type: "html",
            ..Self::plain(html)
        }
    }

    /// Rich content: `json` is the structured content; `fallback_text` is required by the
    /// server and shown where rich content is not supported.
    pub fn rich(fallback_text: impl Into<String>, json: Value) -> Self {
        Self {
            text_type: "rich-content",
            json: Some(json),
            ..Self::plain(fallback_text)
        }
    }

    /// Makes the line visible to agents only (`subType: ONLY_TO_REP`).
    pub fn agent_only(mut self) -> Self {
        self.agent_only = true;
        self
    }
}

/// Where to transfer a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTarget {
    /// To a skill (by id).
    Skill(i64),
    /// To an agent (by id).
    Agent(i64),
}

/// Optional inputs of `GET {C}/survey`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyQuery {
    /// `windowSurveyEnabled`.
    pub window_survey_enabled: Option<bool>,
    /// `surveyApiId`.
    pub survey_api_id: Option<String>,
    /// `engSkillId`.
    pub eng_skill_id: Option<String>,
}

/// One answered question for [`crate::AgentSession::submit_survey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    /// Question id ([`crate::model::SurveyQuestion::id`]).
    pub question_id: String,
    /// One or more values: entry values for choice questions (several for check boxes), the
    /// text for text fields.
    pub answers: Vec<String>,
}

impl SurveyAnswer {
    /// An answer with one value.
    pub fn one(question_id: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            question_id: question_id.into(),
            answers: vec![value.into()],
        }
    }
}

/// `POST agentSession`.
pub(crate) fn start_session() -> Value {
    json!({"loginData": ""})
}

/// `PUT {S}/availability`.
pub(crate) fn availability(state: &AvailabilityState, reason_id: Option<&str>) -> Value {
    let mut inner = json!({"chat": state.as_str()});
    if let (Some(r), Some(obj)) = (reason_id, inner.as_object_mut()) {
        obj.insert("chatReasonId".into(), json!(r));
    }
    json!({ "availability": inner })
}

/// `POST {C}/events` with a line.
pub(crate) fn line(l: &NewLine) -> Value {
    let mut ev = json!({"@type": "line", "text": l.text, "textType": l.text_type});
    if let Some(obj) = ev.as_object_mut() {
        if let Some(j) = &l.json {
            obj.insert("json".into(), j.clone());
        }
        if l.agent_only {
            obj.insert("subType".into(), json!("ONLY_TO_REP"));
        }
    }
    json!({ "event": ev })
}

/// `POST {C}/events` ending the chat.
pub(crate) fn end_chat() -> Value {
    json!({"event": {"@type": "state", "state": "ended"}})
}

/// `PUT {C}/info/agentTyping`.
pub(crate) fn agent_typing(typing: bool) -> Value {
    let value = if typing {
        Typing::Typing
    } else {
        Typing::NotTyping
    };
    json!({"agentTyping": value.as_str()})
}

/// `POST {C}/transfer`.
pub(crate) fn transfer(target: TransferTarget, text: Option<&str>) -> Value {
    let mut transfer = match target {
        TransferTarget::Skill(id) => json!({"skill": {"id": id}}),
        TransferTarget::Agent(id) => json!({"agent": {"id": id}}),
    };
    if let (Some(t), Some(obj)) = (text, transfer.as_object_mut()) {
        obj.insert("text".into(), json!(t));
    }
    json!({ "transfer": transfer })
}

/// `PUT {C}/survey`.
pub(crate) fn survey_answers(answers: &[SurveyAnswer]) -> Value {
    let questions: Vec<Value> = answers
        .iter()
        .map(|a| {
            let answer = match a.answers.as_slice() {
                [one] => json!(one),
                many => json!(many),
            };
            json!({"@id": a.question_id, "answer": answer})
        })
        .collect();
    json!({"survey": {"question": questions}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn bodies_match_the_spec_samples() {
        assert_eq!(
            start_session(),
            sample(include_str!(
                "../tests/fixtures/spec_4_1_start_session_request.json"
            ))
        );
        assert_eq!(
            availability(&AvailabilityState::Online, None),
            sample(include_str!(
                "../tests/fixtures/spec_4_5_set_availability_request_1.json"
            ))
        );
        assert_eq!(
            availability(&AvailabilityState::Away, Some("123")),
            sample(include_str!(
                "../tests/fixtures/spec_4_5_set_availability_request_2.json"
            ))
        );
        assert_eq!(
            line(&NewLine::html(
                "<div dir='ltr' style='direction:ltr;text-align:left;'>hi</div>"
            )),
            sample(include_str!(
                "../tests/fixtures/spec_4_15_add_line_request_1.json"
            ))
        );
        assert_eq!(
            line(&NewLine::plain("private note").agent_only()),
            sample(include_str!(
                "../tests/fixtures/spec_4_15_add_line_request_2.json"
            ))
        );
        let rich = json!({"type":"vertical","elements":[{"type":"text","text":"Hi"}]});
        assert_eq!(
            line(&NewLine::rich("ignored", rich)),
            sample(include_str!(
                "../tests/fixtures/spec_4_15_add_line_request_3.json"
            ))
        );
        assert_eq!(
            end_chat(),
            sample(include_str!(
                "../tests/fixtures/spec_4_16_end_chat_request.json"
            ))
        );
        assert_eq!(
            agent_typing(true),
            sample(include_str!(
                "../tests/fixtures/spec_4_20_set_agent_typing.json"
            ))
        );
        assert_eq!(agent_typing(false), json!({"agentTyping": "not-typing"}));
        assert_eq!(
            transfer(
                TransferTarget::Skill(2),
                Some("I think this person needs some help from you.")
            ),
            sample(include_str!(
                "../tests/fixtures/spec_4_23_transfer_request_1.json"
            ))
        );
        assert_eq!(
            transfer(TransferTarget::Agent(6), Some("…")),
            sample(include_str!(
                "../tests/fixtures/spec_4_23_transfer_request_2.json"
            ))
        );
        assert_eq!(
            transfer(TransferTarget::Agent(6), None),
            json!({"transfer": {"agent": {"id": 6}}})
        );
        let answers = [
            SurveyAnswer {
                question_id: "12786273".into(),
                answers: vec!["CATS".into()],
            },
            SurveyAnswer {
                question_id: "16314710".into(),
                answers: vec!["a".into(), "b".into()],
            },
        ];
        assert_eq!(
            survey_answers(&answers),
            sample(include_str!(
                "../tests/fixtures/spec_4_26_submit_survey_request_inf.json"
            ))
        );
    }
}
