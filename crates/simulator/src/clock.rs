//! The simulator's clock: real time plus an offset that tests may advance.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Simulator time = real time + `offset`.
#[derive(Debug, Default, Clone)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    /// Current simulator time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from((real + self.offset).as_millis()).unwrap_or(i64::MAX)
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}
