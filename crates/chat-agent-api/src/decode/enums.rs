//! Open enums: known values get a variant, anything else lands in `Other(String)`.

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Reads any scalar as text without building a `serde_json::Value`; a list or object (never
/// sent for these fields) gives `"[…]"` / `"{…}"`, null gives `""`.
pub(crate) struct WireText;

impl<'de> Visitor<'de> for WireText {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok("".into())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok("".into())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok("[…]".into())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok("{…}".into())
    }
}

/// Defines an enum of known wire strings plus `Other(String)`; decodes from a string or a number
/// and never fails on an unknown value.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $($wire:literal)|+),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this client does not know; kept verbatim.
            Other(String),
        }

        impl $name {
            /// Maps wire text to a variant (unknown text gives `Other`).
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($($wire)|+ => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }

            /// The wire text of this value (the first spelling for known variants).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => open_enum!(@first $($wire)+),)+
                    Self::Other(s) => s,
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($crate::decode::enums::WireText)
                    .map(|t| Self::from_wire(&t))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@first $first:literal $($rest:literal)*) => { $first };
}

open_enum!(
    /// State of a chat (`state` events and `info.state`).
    ChatState {
        /// Waiting for an agent.
        Waiting => "waiting",
        /// An agent is chatting.
        Chatting => "chatting",
        /// Ended (terminal).
        Ended => "ended",
    }
);

open_enum!(
    /// Agent availability. Agent lists send codes `"1"`–`"4"`; these map to the same variants.
    AvailabilityState {
        /// Receives new chats.
        Online => "Online" | "2",
        /// Receives no chats.
        Away => "Away" | "4",
        /// Receives only transfers.
        Occupied => "Occupied" | "3",
        /// Logged out.
        Offline => "Offline" | "1",
    }
);

open_enum!(
    /// `textType` of a line.
    TextType {
        /// Plain text.
        Plain => "plain",
        /// Restricted HTML.
        Html => "html",
        /// Structured content in the event's `json`.
        RichContent => "rich-content",
    }
);

open_enum!(
    /// Who produced a line (`source`). Use this, not `by`, to tell visitor from agent.
    Source {
        /// The system (routing messages etc.).
        System => "system",
        /// An agent.
        Agent => "agent",
        /// The visitor.
        Visitor => "visitor",
    }
);

open_enum!(
    /// `subType` of a line.
    SubType {
        /// Visible to everyone.
        Regular => "REGULAR",
        /// Visible to agents only.
        OnlyToRep => "ONLY_TO_REP",
    }
);

open_enum!(
    /// Typing state of the visitor or the agent.
    Typing {
        /// Typing now.
        Typing => "typing",
        /// Not typing.
        NotTyping => "not-typing",
        /// The server does not know.
        Unknown => "unknown",
    }
);

open_enum!(
    /// System message ids (spec §5); unknown ids keep their text in `Other`.
    SystemMessage {
        /// 2: all site operators busy.
        AllBusy => "2",
        /// 3: operator accepted the chat.
        Accepted => "3",
        /// 4: routing the chat to an agent.
        Routing => "4",
        /// 5: operator ended the chat.
        OperatorEnded => "5",
        /// 6: chat unexpectedly disconnected.
        Disconnected => "6",
        /// 13: transferred to an operator.
        TransferredToAgent => "13",
        /// 15: transferred to another skill group.
        TransferredToSkill => "15",
        /// 22: ticket id associated (deprecated).
        Ticket => "22",
        /// 23: chat requeued by the system.
        Requeued => "23",
    }
);

open_enum!(
    /// The `@type` of an event.
    EventType {
        /// A change of chat state.
        State => "state",
        /// A text line.
        Line => "line",
        /// Named by the docs, never described.
        Resource => "resource",
    }
);

open_enum!(
    /// The widget of an agent survey question (`type`, spec §4.25).
    QuestionType {
        /// A drop-down list: one of the entries.
        DropdownBox => "Dropdown Box" | "Dropdown" | "DropDown Box" | "dropdown",
        /// Check boxes: any number of the entries.
        Checkbox => "Checkbox" | "CheckBox" | "checkbox",
        /// Radio buttons: one of the entries.
        RadioButton => "Radio Button" | "radio",
        /// Radio buttons laid out side by side: one of the entries.
        RadioButtonSideBySide => "Radio Button (side by side)",
        /// Free text (checked by its `validationType`).
        TextField => "Text Field" | "TextField" | "text",
        /// Free text over several lines.
        TextArea => "Text Area" | "TextArea" | "textarea",
    }
);

impl QuestionType {
    /// True for widgets whose answers are entry values.
    pub fn is_choice(&self) -> bool {
        matches!(
            self,
            Self::DropdownBox | Self::Checkbox | Self::RadioButton | Self::RadioButtonSideBySide
        )
    }

    /// True when the question takes several answers (check boxes).
    pub fn allows_many(&self) -> bool {
        matches!(self, Self::Checkbox)
    }
}

open_enum!(
    /// How a text answer is checked (`validationType`, spec §4.25).
    ValidationType {
        /// Free text.
        AlphaNumeric => "alpha_numeric" | "alphanumeric" | "alphaNumeric",
        /// A number.
        Numeric => "numeric",
        /// An email address.
        Email => "email",
    }
);
