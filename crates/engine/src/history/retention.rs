//! Forgetting old chats: by age (the retention setting) or all at once. Only chats that are off
//! the desk are ever removed; a chat still on the desk keeps its lines and index rows.

use super::HID_SHIFT;
use super::reader::HistoryReader;
use crate::error::EngineError;
use crate::events::EpochMs;
use rusqlite::{OptionalExtension, params};

/// The setting (in the `settings` table) holding how many days of history to keep; `0` = forever.
pub const RETENTION_SETTING: &str = "history.retentionDays";
/// Days kept when the setting is absent or does not read as a number.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

const DAY_MS: i64 = 86_400_000;

impl HistoryReader {
    /// Removes the chats (record, lines, index rows, draft, sent outbox rows) that are off the
    /// desk and whose last activity (end, else last line, else start) is more than `days` days
    /// before `now_ms`. Returns how many chats went.
    pub fn purge_older_than(&self, days: u32, now_ms: EpochMs) -> Result<usize, EngineError> {
        let cutoff = now_ms.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
        self.purge(Some(cutoff))
    }

    /// Removes every chat that is off the desk. Returns how many chats went.
    pub fn clear(&self) -> Result<usize, EngineError> {
        self.purge(None)
    }

    /// The retention setting (days; `0` = keep forever).
    pub fn retention_days(&self) -> Result<u32, EngineError> {
        let value: Option<String> = self
            .db
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![RETENTION_SETTING],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Applies the retention setting (call at start and, say, hourly). Returns how many chats went.
    pub fn apply_retention(&self, now_ms: EpochMs) -> Result<usize, EngineError> {
        match self.retention_days()? {
            0 => Ok(0),
            days => self.purge_older_than(days, now_ms),
        }
    }

    fn purge(&self, cutoff: Option<EpochMs>) -> Result<usize, EngineError> {
        let tx = self.db.unchecked_transaction()?;
        let doomed: Vec<(i64, String)> = {
            let mut st = tx.prepare(
                "SELECT id, chat FROM history h
                 WHERE NOT EXISTS (SELECT 1 FROM chats c WHERE c.chat = h.chat AND c.active = 1)
                   AND (?1 IS NULL OR COALESCE(ended_at, last_at, started_at) < ?1)",
            )?;
            st.query_map(params![cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        for (id, chat) in &doomed {
            tx.execute(
                "DELETE FROM history_fts WHERE rowid >= ?1 AND rowid < ?2",
                params![id << HID_SHIFT, (id + 1) << HID_SHIFT],
            )?;
            tx.execute("DELETE FROM lines WHERE chat = ?1", params![chat])?;
            tx.execute("DELETE FROM drafts WHERE chat = ?1", params![chat])?;
            tx.execute(
                "DELETE FROM outbox WHERE chat = ?1 AND state IN ('sent', 'failed')",
                params![chat],
            )?;
            tx.execute(
                "DELETE FROM chats WHERE chat = ?1 AND active = 0",
                params![chat],
            )?;
            tx.execute("DELETE FROM history WHERE id = ?1", params![id])?;
        }
        tx.commit()?;
        Ok(doomed.len())
    }
}
