//! What rings: the pure core of the ring check. The server only says how many chats ring
//! (`ringingCount`); the desk adds the 20 s offer window (spec §4.10) and a countdown.

use crate::events::EpochMs;

/// The offer window before an untaken chat flips the agent to Away (spec §4.10).
pub(crate) const OFFER_WINDOW_MS: i64 = 20_000;

/// What rings, as last seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ring {
    pub count: u32,
    pub deadline: EpochMs,
    pub last_seconds_left: u32,
}

/// What a ring check changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RingChange {
    /// Nothing to tell.
    Same,
    /// Ringing (started, another count, or one second less left): tell the front ends.
    Ringing {
        count: u32,
        deadline: EpochMs,
        seconds_left: u32,
    },
    /// Nothing rings any more (taken, gone to someone else, or the window closed).
    Stopped,
}

impl Ring {
    /// Takes the count of a ring check made at `now`.
    pub fn observe(&mut self, count: u32, now: EpochMs) -> RingChange {
        if count == 0 {
            if self.count > 0 {
                *self = Ring::default();
                return RingChange::Stopped;
            }
            return RingChange::Same;
        }
        if self.count == 0 {
            self.deadline = now + OFFER_WINDOW_MS;
        }
        let left = ((self.deadline - now).max(0) / 1000) as u32;
        if count == self.count && left == self.last_seconds_left {
            return RingChange::Same;
        }
        self.count = count;
        self.last_seconds_left = left;
        RingChange::Ringing {
            count,
            deadline: self.deadline,
            seconds_left: left,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn left(c: &RingChange) -> Option<(u32, u32)> {
        match c {
            RingChange::Ringing {
                count,
                seconds_left,
                ..
            } => Some((*count, *seconds_left)),
            _ => None,
        }
    }

    #[test]
    fn counts_down_once_a_second_and_stops() {
        let mut r = Ring::default();
        assert_eq!(r.observe(0, 1_000), RingChange::Same);
        assert_eq!(left(&r.observe(1, 1_000)), Some((1, 20)));
        assert_eq!(r.deadline, 21_000);
        assert_eq!(left(&r.observe(1, 1_200)), Some((1, 19)));
        assert_eq!(r.observe(1, 1_800), RingChange::Same, "same second");
        assert_eq!(left(&r.observe(1, 2_100)), Some((1, 18)));
        assert_eq!(left(&r.observe(2, 2_200)), Some((2, 18)), "a second chat");
        assert_eq!(r.deadline, 21_000, "the window is the first chat's");
        assert_eq!(left(&r.observe(2, 30_000)), Some((2, 0)), "never below 0");
        assert_eq!(r.observe(0, 30_500), RingChange::Stopped);
        assert_eq!(r, Ring::default());
        assert_eq!(left(&r.observe(1, 40_000)), Some((1, 20)), "a new window");
    }
}
