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
        i64::try_from(real.saturating_add(self.offset).as_millis()).unwrap_or(i64::MAX)
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.offset = self.offset.saturating_add(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_time_and_never_overflows() {
        let mut c = Clock::default();
        let before = c.now_ms();
        c.advance(Duration::from_secs(21));
        assert!(c.now_ms() - before >= 21_000);
        c.advance(Duration::MAX);
        c.advance(Duration::MAX);
        assert!(c.now_ms() > before);
    }
}
