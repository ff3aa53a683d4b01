//! The agent's own numbers for a day, from the history.

use super::reader::HistoryReader;
use crate::error::EngineError;
use crate::events::EpochMs;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const DAY_MS: i64 = 86_400_000;

/// How the agent's day went: chats that ended within it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AgentNumbers {
    /// Chats of this agent that ended within the day.
    #[ts(type = "number")]
    pub chats_handled: i64,
    /// Mean time from accept (else start) to end, in ms; `None` without chats.
    #[ts(type = "number | null")]
    pub avg_handle_ms: Option<i64>,
    /// Mean time from accept to the first line the agent sent, in ms; `None` without replies.
    #[ts(type = "number | null")]
    pub avg_first_reply_ms: Option<i64>,
    /// Lines the agent sent to visitors in those chats (notes to agents excluded).
    #[ts(type = "number")]
    pub lines_sent: i64,
}

impl HistoryReader {
    /// The numbers of `owner` for the chats that ended in `[day_start_ms, day_end_ms)` (see
    /// [`local_day_bounds`]).
    pub fn day_numbers(
        &self,
        owner: &str,
        day_start_ms: EpochMs,
        day_end_ms: EpochMs,
    ) -> Result<AgentNumbers, EngineError> {
        Ok(self.db.query_row(
            "SELECT COUNT(*),
                    AVG(MAX(0, ended_at - COALESCE(accepted_at, started_at))),
                    AVG(CASE WHEN accepted_at IS NOT NULL AND first_reply_at IS NOT NULL
                             THEN MAX(0, first_reply_at - accepted_at) END),
                    COALESCE(SUM(agent_lines), 0)
             FROM history WHERE owner = ?1 AND ended_at >= ?2 AND ended_at < ?3",
            params![owner, day_start_ms, day_end_ms],
            |r| {
                Ok(AgentNumbers {
                    chats_handled: r.get(0)?,
                    avg_handle_ms: r.get::<_, Option<f64>>(1)?.map(|v| v.round() as i64),
                    avg_first_reply_ms: r.get::<_, Option<f64>>(2)?.map(|v| v.round() as i64),
                    lines_sent: r.get(3)?,
                })
            },
        )?)
    }
}

/// The local day around `now_ms` as epoch-ms bounds `[start, end)`, for a desk whose clock is
/// `utc_offset_minutes` ahead of UTC (JavaScript: `-new Date().getTimezoneOffset()`). The offset
/// of `now` is used for the whole day, so on a day when daylight saving time starts or ends the
/// bounds are off by that hour.
pub fn local_day_bounds(now_ms: EpochMs, utc_offset_minutes: i32) -> (EpochMs, EpochMs) {
    let offset = i64::from(utc_offset_minutes) * 60_000;
    let local = now_ms.saturating_add(offset);
    let start = local.div_euclid(DAY_MS) * DAY_MS - offset;
    (start, start + DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bounds_follow_the_offset() {
        // 2024-05-01T23:30:00Z
        let now = 1_714_606_200_000;
        assert_eq!(
            local_day_bounds(now, 0),
            (1_714_521_600_000, 1_714_608_000_000)
        );
        // At UTC+2 it is already 01:30 on 2 May: the day began at 2024-05-01T22:00Z.
        assert_eq!(
            local_day_bounds(now, 120),
            (1_714_600_800_000, 1_714_687_200_000)
        );
        // At UTC-5 it is 18:30 on 1 May: the day began at 2024-05-01T05:00Z.
        assert_eq!(
            local_day_bounds(now, -300),
            (1_714_539_600_000, 1_714_626_000_000)
        );
        // Before 1970 too.
        assert_eq!(local_day_bounds(-1, 0), (-DAY_MS, 0));
    }
}
