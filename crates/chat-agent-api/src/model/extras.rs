//! Typing, visitor name, transfer skills, surveys and participant info.

use super::agent::SkillInfo;
use crate::decode::{OneOrMany, Typing, opt_bool_flex, opt_i64_flex, opt_text};
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SurveyEntry {
    /// Value.
    #[serde(default, deserialize_with = "opt_text")]
    pub value: Option<String>,
    /// Pre-checked.
    #[serde(default, deserialize_with = "opt_bool_flex")]
    pub checked: Option<bool>,
    /// Logic hook.
    #[serde(default)]
    pub logic: Option<SurveyLogic>,
}

/// `logic` of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyLogic {
    /// Question logic id shown when this entry is chosen.
    #[serde(default, deserialize_with = "opt_text")]
    pub show_logic_id: Option<String>,
}

/// One survey question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyQuestion {
    /// Question id (used when submitting).
    #[serde(
        rename = "id",
        alias = "@id",
        deserialize_with = "crate::decode::i64_flex"
    )]
    pub id: i64,
    /// Logic id.
    #[serde(default, deserialize_with = "opt_text")]
    pub logic_id: Option<String>,
    /// Display order.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub order: Option<i64>,
    /// Must be answered.
    #[serde(default, deserialize_with = "opt_bool_flex")]
    pub mandatory: Option<bool>,
    /// Widget type (`Dropdown Box`, `Text Field`, …).
    #[serde(default, rename = "type")]
    pub question_type: Option<String>,
    /// `alpha_numeric`, `numeric`, `email`.
    #[serde(default)]
    pub validation_type: Option<String>,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
    /// Previously given value.
    #[serde(default, deserialize_with = "opt_text")]
    pub last_known_value: Option<String>,
    /// Choices.
    #[serde(default)]
    pub entry: OneOrMany<SurveyEntry>,
}

/// `questions` wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SurveyQuestions {
    /// Questions.
    #[serde(default)]
    pub question: OneOrMany<SurveyQuestion>,
}

/// Agent survey structure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Survey {
    /// Survey id.
    #[serde(default, deserialize_with = "opt_text")]
    pub id: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Header text.
    #[serde(default)]
    pub header: Option<String>,
    /// Questions (`questions.question`), or a bare `question` list.
    #[serde(default)]
    pub questions: Option<SurveyQuestions>,
    /// Bare `question` list, when not wrapped in `questions`.
    #[serde(default)]
    pub question: OneOrMany<SurveyQuestion>,
}

impl Survey {
    /// All questions whichever wrapping the server used.
    pub fn all_questions(&self) -> Vec<&SurveyQuestion> {
        let wrapped = self.questions.iter().flat_map(|q| q.question.iter());
        wrapped.chain(self.question.iter()).collect()
    }
}

/// Body of `GET {C}/survey`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SurveyResponse {
    /// The survey (`null` = none configured).
    #[serde(default)]
    pub survey: Option<Survey>,
}

/// `{"year","month","day"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SimpleDate {
    /// Year.
    #[serde(deserialize_with = "crate::decode::i64_flex")]
    pub year: i64,
    /// Month 1–12.
    #[serde(deserialize_with = "crate::decode::i64_flex")]
    pub month: i64,
    /// Day.
    #[serde(deserialize_with = "crate::decode::i64_flex")]
    pub day: i64,
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
    /// Balance.
    #[serde(default)]
    pub balance: Option<f64>,
    /// Registration date.
    #[serde(default)]
    pub registration_date: Option<SimpleDate>,
    /// Status.
    #[serde(default)]
    pub customer_status: Option<String>,
    /// Type.
    #[serde(default)]
    pub customer_type: Option<String>,
}

/// One contact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Contact {
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// `authenticatedPersonalInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct AuthenticatedPersonalInfo {
    /// First name.
    #[serde(default)]
    pub name: Option<String>,
    /// Surname.
    #[serde(default)]
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
