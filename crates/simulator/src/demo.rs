//! The demo script: visitors arrive, type, write, wait and leave, forever.

use std::sync::Arc;

use crate::shared::Shared;

/// Runs the demo until the task is aborted. `speed` > 1 makes it faster.
pub async fn run(_shared: Arc<Shared>, _speed: f64) {}
