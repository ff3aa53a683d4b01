//! When the agent quits or logs out: may we go now, must we warn first, or must we flush the outbox?
//!
//! The server returns an agent's active chats to the queue when the session ends (logout, or the
//! chat timeout after the app is gone), so leaving with chats open is confirmed by the agent first.
//! Unsent lines are flushed before the engine stops.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the shell does with a request to quit or log out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ExitDecision {
    /// Nothing is open and nothing is unsent: go now.
    MayQuitNow,
    /// Chats are open and the agent has not confirmed: show the warning, do nothing yet.
    MustWarn { active_chats: u32 },
    /// Confirmed (or no chats), but lines are still in the outbox: flush, then go.
    MustFlushOutbox { pending_lines: u32 },
}

/// The decision, from what is open, what is unsent and whether the agent already confirmed.
pub fn decide_exit(active_chats: u32, pending_lines: u32, confirmed: bool) -> ExitDecision {
    if active_chats > 0 && !confirmed {
        ExitDecision::MustWarn { active_chats }
    } else if pending_lines > 0 {
        ExitDecision::MustFlushOutbox { pending_lines }
    } else {
        ExitDecision::MayQuitNow
    }
}

/// The text of the warning shown before chats go back to the queue.
pub fn warning_text(active_chats: u32) -> String {
    match active_chats {
        0 => "No chats are open.".to_owned(),
        1 => "1 chat is open. The server returns it to the queue when you leave.".to_owned(),
        n => format!("{n} chats are open. The server returns them to the queue when you leave."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_open_nothing_unsent_quits_now() {
        assert_eq!(decide_exit(0, 0, false), ExitDecision::MayQuitNow);
        assert_eq!(decide_exit(0, 0, true), ExitDecision::MayQuitNow);
    }

    #[test]
    fn open_chats_warn_until_confirmed() {
        assert_eq!(
            decide_exit(2, 0, false),
            ExitDecision::MustWarn { active_chats: 2 }
        );
        assert_eq!(
            decide_exit(2, 5, false),
            ExitDecision::MustWarn { active_chats: 2 }
        );
        assert_eq!(decide_exit(2, 0, true), ExitDecision::MayQuitNow);
    }

    #[test]
    fn unsent_lines_are_flushed_first() {
        assert_eq!(
            decide_exit(0, 3, false),
            ExitDecision::MustFlushOutbox { pending_lines: 3 }
        );
        assert_eq!(
            decide_exit(1, 3, true),
            ExitDecision::MustFlushOutbox { pending_lines: 3 }
        );
    }

    #[test]
    fn decision_json_is_tagged() {
        let json = serde_json::to_value(ExitDecision::MustWarn { active_chats: 1 }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "mustWarn", "activeChats": 1})
        );
        let json = serde_json::to_value(ExitDecision::MayQuitNow).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "mayQuitNow"}));
    }

    #[test]
    fn warning_counts_chats() {
        assert!(warning_text(1).starts_with("1 chat is open"));
        assert!(warning_text(3).starts_with("3 chats are open"));
    }
}
