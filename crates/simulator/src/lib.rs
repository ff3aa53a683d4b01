//! A faithful local simulator of LivePerson's legacy Chat Agent API server (spec
//! `chat-agent-api.md`), with a typed control API and the same controls over HTTP under `/_sim/`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), simulator::SimError> {
//! use simulator::{SimConfig, Simulator, StartChat};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! let key = sim
//!     .start_chat(StartChat { skill: Some("Sales".into()), visitor_name: "Vera".into(), text: Some("hi".into()) })
//!     .await?;
//! println!("{} {key}", sim.base_url());
//! # Ok(()) }
//! ```
//!
//! Fault body of `POST /_sim/faults`: `{"kind": "status"|"delay"|"drop"|"malformed"|"expireBearer",
//! "status": 503, "ms": 3000, "count": 1, "pathContains": "/events"}` (see the crate README).

#![warn(missing_docs)]

pub mod accounts;
mod api;
mod clock;
pub mod config;
mod control;
mod control_http;
pub mod customer;
mod demo;
mod dispatch;
pub mod error;
pub mod faults;
mod handlers;
pub mod model;
mod reply;
mod request;
pub mod requests;
mod routing;
mod shapes;
mod shared;
mod state;
pub mod survey;
pub mod tls;
mod visitor;

pub use config::{FromEventIds, NoSurvey, SimConfig, SurveyValues, TransferredChats};
pub use control::Simulator;
pub use customer::demo_customer;
pub use error::SimError;
pub use faults::{Fault, FaultKind};
pub use requests::RequestRecord;
pub use survey::{SubmittedSurvey, SurveyMode};
pub use tls::{TlsCert, unrelated_ca_pem};
pub use visitor::{ChatExtras, StartChat};
