//! Typing, visitor name, transfer skills, surveys and participant info.

use super::agent::SkillInfo;
use crate::SurveyAnswer;
use crate::decode::{
    OneOrMany, QuestionType, Typing, ValidationType, opt_bool_flex, opt_f64_flex, opt_i64_flex,
    opt_text, text_or_empty,
};
use serde::Deserialize;

/// Body of `GET {C}/info/visitorName`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitorNameResponse {
    /// The name.
    #[serde(default)]
    pub visitor_name: String,
}

/// Body of the typing resources: `{"agentTyping": …}` or `{"visitorTyping": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypingResponse {
    /// Present on agent typing.
    #[serde(default)]
    pub agent_typing: Option<Typing>,
    /// Present on visitor typing.
    #[serde(default)]
    pub visitor_typing: Option<Typing>,
}

/// `transfer` element of `GET {C}/transfer`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct TransferSkills {
    /// Skills with an online agent not already in the chat.
    #[serde(default)]
    pub skill: OneOrMany<SkillInfo>,
}

/// Body of `GET {C}/transfer`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TransferSkillsResponse {
    /// The element.
    #[serde(default)]
    pub transfer: Option<TransferSkills>,
}

/// One choice of a survey question.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SurveyEntry {
    /// Value (what an answer gives).
    #[serde(default, deserialize_with = "opt_text")]
    pub value: Option<String>,
    /// Pre-checked (`"true"`/`"false"`, `true`/`false`, `1`/`0`).
    #[serde(default, deserialize_with = "opt_bool_flex")]
    pub checked: Option<bool>,
    /// Show-logic: choosing this entry shows another question.
    #[serde(default)]
    pub logic: Option<SurveyLogic>,
}

impl SurveyEntry {
    /// The `logicId` of the question this entry shows, if any.
    pub fn show_logic_id(&self) -> Option<&str> {
        self.logic.as_ref().and_then(|l| l.show_logic_id.as_deref())
    }
}

/// `logic` of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyLogic {
    /// `logicId` of the question shown while this entry is chosen (text or number on the wire).
    #[serde(default, deserialize_with = "opt_text")]
    pub show_logic_id: Option<String>,
}

/// One survey question (spec §4.25). Every field may be missing; scalars come as text or as
/// JSON booleans/numbers; an unknown `type` is [`QuestionType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyQuestion {
    /// Question id, named when submitting (`""` when the server sent none).
    #[serde(
        default,
        rename = "id",
        alias = "@id",
        deserialize_with = "text_or_empty"
    )]
    pub id: String,
    /// Logic id: entries' `showLogicId` point at it.
    #[serde(default, deserialize_with = "opt_text")]
    pub logic_id: Option<String>,
    /// Display order.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub order: Option<i64>,
    /// Must be answered (when shown).
    #[serde(default, deserialize_with = "opt_bool_flex")]
    pub mandatory: Option<bool>,
    /// Widget (`Dropdown Box`, `Checkbox`, `Radio Button`, `Text Field`, …).
    #[serde(default, rename = "type")]
    pub question_type: Option<QuestionType>,
    /// `alpha_numeric`, `numeric`, `email`.
    #[serde(default)]
    pub validation_type: Option<ValidationType>,
    /// Label.
    #[serde(default, deserialize_with = "opt_text")]
    pub label: Option<String>,
    /// Previously given value, to prefill.
    #[serde(default, deserialize_with = "opt_text")]
    pub last_known_value: Option<String>,
    /// Choices (one or many).
    #[serde(default)]
    pub entry: OneOrMany<SurveyEntry>,
}

impl SurveyQuestion {
    /// True when the question must be answered while shown.
    pub fn is_mandatory(&self) -> bool {
        self.mandatory == Some(true)
    }
}

/// `questions` wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SurveyQuestions {
    /// Questions.
    #[serde(default)]
    pub question: OneOrMany<SurveyQuestion>,
}

/// Agent survey structure (spec §4.25 [INF] shape, either flavour).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Survey {
    /// Survey id.
    #[serde(default, deserialize_with = "opt_text")]
    pub id: Option<String>,
    /// Title.
    #[serde(default, deserialize_with = "opt_text")]
    pub title: Option<String>,
    /// Header text.
    #[serde(default, deserialize_with = "opt_text")]
    pub header: Option<String>,
    /// Questions (`questions.question`), or a bare `question` list.
    #[serde(default)]
    pub questions: Option<SurveyQuestions>,
    /// Bare `question` list, when not wrapped in `questions`.
    #[serde(default)]
    pub question: OneOrMany<SurveyQuestion>,
}

impl Survey {
    /// All questions whichever wrapping the server used, in display order (`order`, then as
    /// sent).
    pub fn all_questions(&self) -> Vec<&SurveyQuestion> {
        let wrapped = self.questions.iter().flat_map(|q| q.question.iter());
        let mut all: Vec<&SurveyQuestion> = wrapped.chain(self.question.iter()).collect();
        all.sort_by_key(|q| q.order.unwrap_or(i64::MAX));
        all
    }

    /// The question and entry value that show the question with `logic_id`: `None` when no
    /// entry points at it (the question is always shown).
    pub fn shown_by(&self, logic_id: &str) -> Option<(&SurveyQuestion, &str)> {
        self.all_questions().into_iter().find_map(|q| {
            q.entry
                .iter()
                .find(|e| e.show_logic_id() == Some(logic_id))
                .and_then(|e| e.value.as_deref())
                .map(|v| (q, v))
        })
    }

    /// True when `question` is shown given these answers: a question that an entry's
    /// `showLogicId` points at is shown only while that entry is chosen (and its own question
    /// is shown); every other question always is.
    pub fn is_shown(&self, question: &SurveyQuestion, answers: &[SurveyAnswer]) -> bool {
        let mut current = question;
        for _ in 0..=self.all_questions().len() {
            let Some(logic) = current.logic_id.as_deref() else {
                return true;
            };
            let Some((parent, value)) = self.shown_by(logic) else {
                return true;
            };
            let chosen = answers
                .iter()
                .any(|a| a.question_id == parent.id && a.answers.iter().any(|v| v == value));
            if !chosen {
                return false;
            }
            current = parent;
        }
        false // a cycle of show-logic
    }

    /// The questions shown given these answers, in display order.
    pub fn shown_questions(&self, answers: &[SurveyAnswer]) -> Vec<&SurveyQuestion> {
        self.all_questions()
            .into_iter()
            .filter(|q| self.is_shown(q, answers))
            .collect()
    }
}

/// Body of `GET {C}/survey`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SurveyResponse {
    /// The survey (`null` = none configured).
    #[serde(default)]
    pub survey: Option<Survey>,
}

/// `{"year","month","day"}` (numbers or numeric strings; a missing part is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SimpleDate {
    /// Year.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub year: Option<i64>,
    /// Month 1–12.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub month: Option<i64>,
    /// Day.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub day: Option<i64>,
}

/// `authenticatedParticipantInfo`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatedParticipantInfo {
    /// Authenticated by SSO.
    #[serde(default, deserialize_with = "opt_bool_flex")]
    pub is_user_authenticated: Option<bool>,
    /// Participant id.
    #[serde(default, deserialize_with = "opt_text")]
    pub participant_id: Option<String>,
    /// Customer id.
    #[serde(default, deserialize_with = "opt_text")]
    pub customer_id: Option<String>,
    /// Balance (a number or a numeric string).
    #[serde(default, deserialize_with = "opt_f64_flex")]
    pub balance: Option<f64>,
    /// Registration date.
    #[serde(default)]
    pub registration_date: Option<SimpleDate>,
    /// Status (e.g. `active`, `cancelled`).
    #[serde(default, deserialize_with = "opt_text")]
    pub customer_status: Option<String>,
    /// Type (e.g. `vip`, `regular`).
    #[serde(default, deserialize_with = "opt_text")]
    pub customer_type: Option<String>,
}

/// One contact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Contact {
    /// Email.
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
    /// Phone (text or a number).
    #[serde(default, deserialize_with = "opt_text")]
    pub phone: Option<String>,
}

/// `authenticatedPersonalInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct AuthenticatedPersonalInfo {
    /// First name.
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
    /// Surname.
    #[serde(default, deserialize_with = "opt_text")]
    pub surname: Option<String>,
    /// Contacts.
    #[serde(default)]
    pub contacts: OneOrMany<Contact>,
}

/// Body of `GET {S}/participantExtendedInfo/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantInfo {
    /// Participant part.
    #[serde(default)]
    pub authenticated_participant_info: Option<AuthenticatedParticipantInfo>,
    /// Personal part (optional).
    #[serde(default)]
    pub authenticated_personal_info: Option<AuthenticatedPersonalInfo>,
}
