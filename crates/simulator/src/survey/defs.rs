//! The wrap-up surveys of the account's skills (spec §4.25): one per skill.

/// A choice of a question.
#[derive(Debug, Clone, Copy)]
pub struct EntryDef {
    /// The value an answer gives.
    pub value: &'static str,
    /// Pre-checked.
    pub checked: bool,
    /// `logic.showLogicId`: choosing this entry shows the question with that `logicId`.
    pub show_logic_id: Option<u32>,
}

/// A survey question.
#[derive(Debug, Clone, Copy)]
pub struct QuestionDef {
    /// Question id (answers name it).
    pub id: u64,
    /// `logicId`: entries' `showLogicId` point at it.
    pub logic_id: u32,
    /// Must be answered when shown.
    pub mandatory: bool,
    /// `Dropdown Box`, `Radio Button`, `Checkbox`, `Text Field`.
    pub kind: &'static str,
    /// `alpha_numeric`, `numeric` or `email`.
    pub validation: &'static str,
    /// Label.
    pub label: &'static str,
    /// `lastKnownValue`, if any.
    pub last_known_value: Option<&'static str>,
    /// Choices (none for text fields).
    pub entries: &'static [EntryDef],
}

impl QuestionDef {
    /// True for the widgets whose answers must be one of the entries.
    pub fn is_choice(&self) -> bool {
        !self.entries.is_empty()
    }

    /// True when the question takes several answers.
    pub fn is_multi(&self) -> bool {
        self.kind == "Checkbox"
    }
}

/// An agent survey.
#[derive(Debug, Clone, Copy)]
pub struct SurveyDef {
    /// Survey id.
    pub id: u64,
    /// Skill id it belongs to.
    pub skill_id: u32,
    /// Header text.
    pub header: &'static str,
    /// Questions in display order.
    pub questions: &'static [QuestionDef],
}

impl SurveyDef {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&QuestionDef> {
        self.questions.iter().find(|q| q.id.to_string() == id)
    }

    /// The entry (question, value) that shows the question with `logic_id`, if any: questions
    /// that no entry points at are always shown.
    pub fn shown_by(&self, logic_id: u32) -> Option<(&QuestionDef, &'static str)> {
        self.questions.iter().find_map(|q| {
            q.entries
                .iter()
                .find(|e| e.show_logic_id == Some(logic_id))
                .map(|e| (q, e.value))
        })
    }
}

const fn entry(value: &'static str) -> EntryDef {
    EntryDef {
        value,
        checked: false,
        show_logic_id: None,
    }
}

const RESOLVED: [EntryDef; 3] = [
    EntryDef {
        value: "Yes",
        checked: true,
        show_logic_id: None,
    },
    entry("No"),
    entry("Partly"),
];

const FOLLOW_UP: [EntryDef; 1] = [EntryDef {
    value: "Yes",
    checked: false,
    show_logic_id: Some(4),
}];

/// The five questions of a wrap-up survey, numbered from `base`.
macro_rules! wrap_up {
    ($base:expr, $reasons:expr, $number_label:expr, $last_known:expr) => {
        [
            QuestionDef {
                id: $base,
                logic_id: 1,
                mandatory: true,
                kind: "Dropdown Box",
                validation: "alpha_numeric",
                label: "Contact reason",
                last_known_value: None,
                entries: $reasons,
            },
            QuestionDef {
                id: $base + 1,
                logic_id: 2,
                mandatory: true,
                kind: "Radio Button",
                validation: "alpha_numeric",
                label: "Resolved?",
                last_known_value: None,
                entries: &RESOLVED,
            },
            QuestionDef {
                id: $base + 2,
                logic_id: 3,
                mandatory: false,
                kind: "Checkbox",
                validation: "alpha_numeric",
                label: "Follow-up needed",
                last_known_value: None,
                entries: &FOLLOW_UP,
            },
            QuestionDef {
                id: $base + 3,
                logic_id: 4,
                mandatory: true,
                kind: "Text Field",
                validation: "email",
                label: "Follow-up email",
                last_known_value: None,
                entries: &[],
            },
            QuestionDef {
                id: $base + 4,
                logic_id: 5,
                mandatory: false,
                kind: "Text Field",
                validation: "numeric",
                label: $number_label,
                last_known_value: $last_known,
                entries: &[],
            },
        ]
    };
}

const SALES_REASONS: [EntryDef; 5] = [
    entry("Product question"),
    entry("Pricing"),
    entry("Order status"),
    entry("Delivery"),
    entry("Other"),
];
const BILLING_REASONS: [EntryDef; 5] = [
    entry("Double charge"),
    entry("Refund"),
    entry("Change card"),
    entry("Invoice copy"),
    entry("Other"),
];
const SUPPORT_REASONS: [EntryDef; 5] = [
    entry("Login problem"),
    entry("App crash"),
    entry("How-to question"),
    entry("Bug report"),
    entry("Other"),
];

const SALES_QUESTIONS: [QuestionDef; 5] =
    wrap_up!(12_786_270, &SALES_REASONS, "Order number", Some("100245"));
const BILLING_QUESTIONS: [QuestionDef; 5] =
    wrap_up!(12_786_280, &BILLING_REASONS, "Invoice number", None);
const SUPPORT_QUESTIONS: [QuestionDef; 5] =
    wrap_up!(12_786_290, &SUPPORT_REASONS, "Ticket number", None);

/// The surveys of the account (docs/contracts.md §1 skills): Sales, Billing, Support.
pub const SURVEYS: [SurveyDef; 3] = [
    SurveyDef {
        id: 40_216,
        skill_id: 1001,
        header: "Sales wrap-up",
        questions: &SALES_QUESTIONS,
    },
    SurveyDef {
        id: 40_217,
        skill_id: 1002,
        header: "Billing wrap-up",
        questions: &BILLING_QUESTIONS,
    },
    SurveyDef {
        id: 40_218,
        skill_id: 1003,
        header: "Support wrap-up",
        questions: &SUPPORT_QUESTIONS,
    },
];

/// The survey of a skill, if it has one.
pub fn for_skill(skill_id: u32) -> Option<&'static SurveyDef> {
    SURVEYS.iter().find(|s| s.skill_id == skill_id)
}
