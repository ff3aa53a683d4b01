//! Chats that left the desk (ended, transferred away, lost) are forgotten by memory once nothing
//! of them is pending: the local database keeps their transcript and history record, so memory
//! holds the chats on the desk and a few recent ones, however long the engine runs.

use super::Actor;
use super::chats::ChatEntry;
use crate::store::RowState;
use std::time::{Duration, Instant};

/// How often the sweep looks (it walks every chat; once in a while is enough).
const EVERY: Duration = Duration::from_secs(5);

/// Whether a chat off the desk can leave memory: it has been off for `keep`, and nothing of it
/// is pending (`pending`: an unsent line, an open or submitting wrap-up).
pub(crate) fn forgettable(entry: &ChatEntry, now: Instant, keep: Duration, pending: bool) -> bool {
    !entry.active
        && !pending
        && entry
            .inactive_since
            .is_some_and(|since| now.saturating_duration_since(since) >= keep)
}

impl Actor {
    /// Marks when each chat was first seen off the desk, and drops from memory those that have
    /// been off for `ended_chat_memory` with nothing pending.
    pub(crate) fn forget_chats_off_the_desk(&mut self, now: Instant) {
        if now.saturating_duration_since(self.forget_checked) < EVERY {
            return;
        }
        self.forget_checked = now;
        let keep = self.cfg.ended_chat_memory;
        let mut gone = Vec::new();
        for (key, entry) in &mut self.chats {
            if entry.active {
                entry.inactive_since = None;
                continue;
            }
            entry.inactive_since.get_or_insert(now);
            let pending =
                self.outbox.rows.iter().any(|r| {
                    r.chat == *key && !matches!(r.state, RowState::Sent | RowState::Failed)
                }) || self.wrap.open.contains_key(key)
                    || self.wrap.submitting.contains_key(key)
                    || self.wrap.fetching.contains_key(key);
            if forgettable(entry, now, keep, pending) {
                gone.push(key.clone());
            }
        }
        for key in gone {
            tracing::debug!(chat = %key, "chat off the desk forgotten by memory");
            self.chats.remove(&key);
            self.wrap.customers.remove(&key);
            self.wrap.backoff.remove(&key);
            self.outbox.rows.retain(|r| r.chat != key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::ChatOrigin;

    #[test]
    fn a_chat_is_forgotten_only_off_the_desk_after_the_delay_with_nothing_pending() {
        let keep = Duration::from_secs(600);
        let t0 = Instant::now();
        let later = t0 + keep;
        let mut e = ChatEntry::new("K1", ChatOrigin::Accepted, 5);
        e.inactive_since = Some(t0);
        // still on the desk
        assert!(!forgettable(&e, later, keep, false));
        e.active = false;
        assert!(forgettable(&e, later, keep, false));
        // too soon
        assert!(!forgettable(&e, t0 + keep / 2, keep, false));
        // a line still to send or a wrap-up still open keeps it
        assert!(!forgettable(&e, later, keep, true));
        // never seen off the desk by the sweep yet
        e.inactive_since = None;
        assert!(!forgettable(&e, later, keep, false));
    }
}
