//! Typed, quirk-tolerant client for LivePerson's legacy Chat Agent API ("agentVep", `v=1`).
//!
//! Flow: [`ApiClient::new`] → [`ApiClient::lookup_domain`] → [`ApiClient::login`] →
//! [`ApiClient::start_agent_session`] → [`AgentSession`] methods; [`ApiClient::refresh`] every
//! 3–5 minutes; [`ApiClient::logout`] at the end.
//!
//! Every reply is decoded tolerantly (see [`decode`]): one-or-many lists, `@`-prefixed or plain
//! keys, numbers as strings, `-1` = unlimited, several timestamp forms, unknown enum values kept
//! as `Other`, lone UTF-16 surrogate escapes (half an emoji cut by the server) read as U+FFFD.
//! The multi-chat poll ([`AgentSession::chats_data`]) and [`AgentSession::chat_resource`] decode
//! each chat and each event on its own ([`ChatSlot`]), so one bad chat or event never costs the
//! others. Every failure is an [`ApiError`]; [`retry::decide`] says what to do about it (a
//! server's `Retry-After` included).
//! `http` URLs are accepted only for loopback hosts.
//!
//! ```no_run
//! use chat_agent_api::{ApiClient, AvailabilityState, Credentials, NewLine};
//! use url::Url;
//!
//! # async fn run() -> Result<(), chat_agent_api::ApiError> {
//! let client = ApiClient::new(Url::parse("http://127.0.0.1:8787").unwrap(), "90412345")?;
//! let login = client.login(&Credentials::user("ann", "ann-pass")).await?; // looks the domain up
//! let session = client.start_agent_session(&login).await?;
//! session.set_availability(&AvailabilityState::Online, None).await?;
//! if session.incoming_requests().await?.ringing_count > 0 {
//!     if let Some(chat) = session.take_chat().await? {
//!         let first = session.chat(&chat).await?;
//!         let mut next = first.events.next().map(str::to_owned);
//!         session.add_line(&chat, &NewLine::plain("Hello!")).await?;
//!         if let Some(href) = next.take() {
//!             let page = session.follow_events(&href).await?; // only newer events
//!             next = page.next().map(str::to_owned);
//!         }
//!         let _ = next;
//!         session.end_chat(&chat).await?;
//!     }
//! }
//! client.logout(&login).await?;
//! # Ok(()) }
//! ```

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
pub use client::{
    AGENT_VEP, ApiClient, ApiClientBuilder, Credentials, DEFAULT_TIMEOUT, LoginParts, LoginSession,
    LookupForm,
};
pub use decode::{
    AvailabilityState, ChatState, Limit, Link, OneOrMany, QuestionType, Source, SubType,
    SystemMessage, TextType, Timestamp, Typing, ValidationType,
};
pub use error::{ApiError, ErrorBody, JsonError, TlsKind, TransportKind};
pub use model::{BadEvent, ChatSlot, Event, EventKind, Line};
pub use secret::{Bearer, Csrf, Password, SessionCookie};
pub use session::{AgentSession, AgentsQuery, ChatRef, SlotsQuery};
