//! Open enums: known values get a variant, anything else lands in `Other(String)`.

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
                let v = serde_json::Value::deserialize(d)?;
                Ok(match v {
                    serde_json::Value::String(s) => Self::from_wire(&s),
                    serde_json::Value::Null => Self::Other(String::new()),
                    other => Self::from_wire(&other.to_string()),
                })
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
