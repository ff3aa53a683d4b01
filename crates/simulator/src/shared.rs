//! The state shared by the server, the control API, the timers and the demo.

use std::sync::{Mutex, MutexGuard};

use crate::state::SimState;

/// One mutex around the whole simulator state.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<SimState>,
}

impl Shared {
    /// Wraps a state.
    pub fn new(state: SimState) -> Shared {
        Shared {
            state: Mutex::new(state),
        }
    }

    /// Locks the state (a poisoned lock is taken over: the state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
