//! Typed, quirk-tolerant client for LivePerson's legacy Chat Agent API ("agentVep", `v=1`).
//!
//! Flow: [`ApiClient::new`] → [`ApiClient::lookup_domain`] → [`ApiClient::login`] →
//! [`ApiClient::start_agent_session`] → [`AgentSession`] methods; [`ApiClient::refresh`] every
//! 3–5 minutes; [`ApiClient::logout`] at the end.
//!
//! Every reply is decoded tolerantly (see [`decode`]): one-or-many lists, `@`-prefixed or plain
//! keys, numbers as strings, `-1` = unlimited, several timestamp forms, unknown enum values kept
//! as `Other`. Every failure is an [`ApiError`]; [`retry::decide`] says what to do about it.
//! `http` URLs are accepted only for loopback hosts.

#![warn(missing_docs)]

mod bodies;
mod chat_ops;
mod client;
pub mod decode;
mod error;
pub mod model;
pub mod retry;
mod secret;
mod session;
mod transport;
pub mod url_rules;

pub use bodies::{NewLine, SurveyAnswer, SurveyQuery, TransferTarget};
pub use chat_ops::EventLocation;
pub use client::{AGENT_VEP, ApiClient, Credentials, DEFAULT_TIMEOUT, LoginSession, LookupForm};
pub use decode::{
    AvailabilityState, ChatState, Limit, Link, OneOrMany, Source, SubType, SystemMessage, TextType,
    Timestamp, Typing,
};
pub use error::{ApiError, ErrorBody, JsonError, TransportKind};
pub use model::{Event, EventKind, Line};
pub use secret::{Bearer, Csrf, Password};
pub use session::{AgentSession, AgentsQuery, ChatRef, SlotsQuery};
