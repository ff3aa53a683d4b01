//! The writer side of the history: what the engine's actor records as chats come and go. Every
//! method is one small statement on the actor's own connection; none reads chat text back.

use super::plain::line_plain_text;
use super::{EndReason, HID_SHIFT, MAX_INDEXED_LINES};
use crate::error::EngineError;
use crate::events::{ChatLine, ChatSummary, EpochMs, LineSource};
use crate::store::Store;
use rusqlite::{Connection, params};

/// Makes sure `chat` has a history record (an empty one until `history_chat_seen` fills it).
fn ensure_record(db: &Connection, chat: &str, at: EpochMs) -> Result<(), EngineError> {
    db.prepare_cached(
        "INSERT INTO history (chat, started_at) VALUES (?1, ?2) ON CONFLICT (chat) DO NOTHING",
    )?
    .execute(params![chat, at])?;
    Ok(())
}

/// Indexes one line that has just been added to the `lines` table and counts it in its chat's
/// record. Called inside the caller's transaction.
pub(crate) fn index_line(db: &Connection, line: &ChatLine) -> Result<(), EngineError> {
    ensure_record(db, &line.chat, line.time.unwrap_or(0))?;
    let (hid, count, accepted_at): (i64, i64, Option<i64>) = db
        .prepare_cached("SELECT id, line_count, accepted_at FROM history WHERE chat = ?1")?
        .query_row(params![line.chat], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    if (0..MAX_INDEXED_LINES).contains(&count) {
        let plain = line_plain_text(&line.text, line.text_type);
        db.prepare_cached("INSERT INTO history_fts (rowid, text) VALUES (?1, ?2)")?
            .execute(params![(hid << HID_SHIFT) | count, plain])?;
    }
    let to_visitor = line.source == LineSource::Agent && !line.agent_only;
    // The first line the agent sends after accepting is the first reply, unless the actor has
    // already said when that was (`history_first_reply`). A line stamped before the accept (clock
    // skew between server and desk) counts as at the accept.
    let first_reply = match (to_visitor, accepted_at) {
        (true, Some(acc)) => Some(line.time.map_or(acc, |t| t.max(acc))),
        _ => None,
    };
    db.prepare_cached(
        "UPDATE history SET line_count = line_count + 1, agent_lines = agent_lines + ?2,
           last_at = MAX(COALESCE(last_at, 0), COALESCE(?3, 0)),
           first_reply_at = COALESCE(first_reply_at, ?4)
         WHERE id = ?1",
    )?
    .execute(params![hid, i64::from(to_visitor), line.time, first_reply])?;
    Ok(())
}

impl Store {
    /// Records that a chat is on this agent's desk (call whenever its summary is new or changes):
    /// creates the history record or refreshes its visitor name, skill and start time.
    /// `now_ms` stands in for the start time when the server gave none.
    pub fn history_chat_seen(
        &self,
        owner: &str,
        summary: &ChatSummary,
        now_ms: EpochMs,
    ) -> Result<(), EngineError> {
        self.db.execute(
            "INSERT INTO history (chat, owner, visitor_name, skill, started_at)
             VALUES (?1, ?2, ?3, ?4, COALESCE(?5, ?6))
             ON CONFLICT (chat) DO UPDATE SET owner = ?2,
               visitor_name = CASE WHEN ?3 = '' THEN visitor_name ELSE ?3 END,
               skill = COALESCE(?4, skill),
               started_at = COALESCE(?5, CASE WHEN started_at > 0 THEN started_at ELSE ?6 END)",
            params![
                summary.chat,
                owner,
                summary.visitor_name,
                summary.skill,
                summary.start_time,
                now_ms
            ],
        )?;
        Ok(())
    }

    /// Records when the agent took the chat (the first call counts).
    pub fn history_chat_accepted(&self, chat: &str, at_ms: EpochMs) -> Result<(), EngineError> {
        ensure_record(&self.db, chat, at_ms)?;
        self.db.execute(
            "UPDATE history SET accepted_at = COALESCE(accepted_at, ?2) WHERE chat = ?1",
            params![chat, at_ms],
        )?;
        Ok(())
    }

    /// Records the agent's first reply (only the first one counts; `add_lines` also sets it from
    /// the first agent line after the accept, whichever comes first).
    pub fn history_first_reply(&self, chat: &str, at_ms: EpochMs) -> Result<(), EngineError> {
        self.db.execute(
            "UPDATE history SET first_reply_at = COALESCE(first_reply_at, ?2) WHERE chat = ?1",
            params![chat, at_ms],
        )?;
        Ok(())
    }

    /// Records that the chat ended and why (the first call counts).
    pub fn history_chat_ended(
        &self,
        chat: &str,
        at_ms: EpochMs,
        reason: EndReason,
    ) -> Result<(), EngineError> {
        ensure_record(&self.db, chat, at_ms)?;
        self.db.execute(
            "UPDATE history SET ended_at = COALESCE(ended_at, ?2), end_reason = COALESCE(end_reason, ?3)
             WHERE chat = ?1",
            params![chat, at_ms, reason.as_str()],
        )?;
        Ok(())
    }

    /// Keeps the visitor's survey answers (any JSON; the last call wins).
    pub fn history_survey(
        &self,
        chat: &str,
        answers: &serde_json::Value,
    ) -> Result<(), EngineError> {
        ensure_record(&self.db, chat, 0)?;
        let json = serde_json::to_string(answers).map_err(crate::store::json_err)?;
        self.db.execute(
            "UPDATE history SET survey = ?2 WHERE chat = ?1",
            params![chat, json],
        )?;
        Ok(())
    }
}
