//! The agent's desk: session, keychain, one-request poll loop, continuity, durable outbox, typed events.
//!
//! ```no_run
//! # async fn demo() -> Result<(), engine::EngineError> {
//! use engine::{Engine, EngineConfig, LoginRequest};
//! let (desk, mut events) = Engine::spawn(EngineConfig::default())?;
//! let url = url::Url::parse("http://127.0.0.1:8787").map_err(|e| engine::EngineError::new(engine::ErrorCode::InvalidInput, e.to_string()))?;
//! desk.login(LoginRequest { server: url, account: "90412345".into(), user: "ann".into(), password: Some("ann-pass".into()), extra_ca_pem: None }).await?;
//! while let Ok(event) = events.recv().await {
//!     println!("{}", serde_json::to_string(&event).unwrap_or_default());
//! }
//! # Ok(()) }
//! ```

mod actor;
pub mod config;
mod convert;
pub mod customer;
pub mod error;
pub mod events;
mod fts;
mod handle;
pub mod history;
pub mod responses;
pub mod sanitize;
pub mod secrets;
pub mod store;
pub mod types;
pub mod wrapup;

pub use config::{EngineConfig, LoginRequest};
pub use error::EngineError;
pub use events::*;
pub use handle::EngineHandle;
pub use history::{
    AgentNumbers, ChatRecord, EndReason, HistoryHit, HistoryQuery, HistoryReader, local_day_bounds,
};
pub use responses::{
    CannedResponse, Filled, ImportMode, ImportReport, PlaceholderValues, ResponseInput,
    ResponseLibrary, fill,
};
pub use secrets::{
    KeyringBackend, KeyringStore, MemoryStore, SecretError, SecretStore, SecretStoreKind,
};
pub use store::Store;
pub use types::*;

use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

/// Starts engines.
#[derive(Debug)]
pub struct Engine;

impl Engine {
    /// Opens the local database and starts the engine task (call inside a Tokio runtime).
    /// Returns the handle and a first event receiver.
    pub fn spawn(
        config: EngineConfig,
    ) -> Result<(EngineHandle, broadcast::Receiver<EngineEvent>), EngineError> {
        let dir = config.resolved_data_dir().ok_or_else(|| {
            EngineError::new(ErrorCode::Storage, "no data folder on this platform")
        })?;
        let store = store::Store::open(&dir)?;
        let secrets = config.secrets.build();
        let (tx, rx) = broadcast::channel(config.event_capacity.max(16));
        let (cmd_tx, cmd_rx) = mpsc::channel(64);
        let cancel = CancellationToken::new();
        let actor = actor::Actor::new(config, tx.clone(), store, secrets);
        tokio::spawn(actor.run(cmd_rx, cancel.clone()));
        Ok((EngineHandle::new(cmd_tx, tx, cancel), rx))
    }
}
