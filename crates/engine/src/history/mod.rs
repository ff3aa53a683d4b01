//! Every chat the agent handles, kept as a transcript that can be searched, copied and counted.
//!
//! Writer side: methods on [`Store`](crate::store::Store) that the engine's actor calls
//! (`history_chat_seen`, `history_chat_accepted`, `history_first_reply`, `history_chat_ended`,
//! `history_survey`; `add_lines` indexes each new line). Reader side: [`HistoryReader`], with a
//! connection of its own, for the UI and the CLI.
//!
//! Tables (in `engine.sqlite3`): `history` (one record per chat key) and `history_fts` (FTS5, one
//! row per line holding its plain text). A line's index rowid is `record id << 24 | ordinal`, so
//! the chats matching a query come straight from the index without reading any text, and a
//! chat's rows are one rowid range to delete.

mod numbers;
pub(crate) mod plain;
mod reader;
mod retention;
mod writer;

pub(crate) use writer::index_line;

pub use numbers::{AgentNumbers, local_day_bounds};
pub use plain::{line_plain_text, strip_html};
pub use reader::{HistoryReader, speaker};
pub use retention::{DEFAULT_RETENTION_DAYS, RETENTION_SETTING};

use crate::error::EngineError;
use crate::events::{ChatKey, ChatLine, ChatSummary, EpochMs};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Bits of a line's index rowid that hold its ordinal within the chat.
pub(crate) const HID_SHIFT: u32 = 24;
/// Lines of one chat beyond this many are kept but not indexed.
pub(crate) const MAX_INDEXED_LINES: i64 = 1 << HID_SHIFT;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, chat TEXT NOT NULL UNIQUE, owner TEXT NOT NULL DEFAULT '',
  visitor_name TEXT NOT NULL DEFAULT '', skill TEXT, started_at INTEGER NOT NULL DEFAULT 0,
  accepted_at INTEGER, first_reply_at INTEGER, ended_at INTEGER, end_reason TEXT, last_at INTEGER,
  line_count INTEGER NOT NULL DEFAULT 0, agent_lines INTEGER NOT NULL DEFAULT 0, survey TEXT);
CREATE INDEX IF NOT EXISTS history_started ON history (started_at);
CREATE INDEX IF NOT EXISTS history_ended ON history (owner, ended_at);
CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5(
  text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
";

/// Why a chat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum EndReason {
    /// The agent ended it.
    Agent,
    /// The visitor left.
    Visitor,
    /// The server closed it (chat timeout).
    Timeout,
    /// It went to another skill or agent.
    Transferred,
    /// Anything else (lost, logged out, …).
    Other,
}

impl EndReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Visitor => "visitor",
            Self::Timeout => "timeout",
            Self::Transferred => "transferred",
            Self::Other => "other",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "agent" => Self::Agent,
            "visitor" => Self::Visitor,
            "timeout" => Self::Timeout,
            "transferred" => Self::Transferred,
            _ => Self::Other,
        }
    }
}

/// One chat of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ChatRecord {
    pub key: ChatKey,
    /// The agent (login name) whose desk it was on; empty if never known.
    pub owner: String,
    pub visitor_name: String,
    pub skill: Option<String>,
    /// Epoch ms: the server's start time, else when the desk first saw the chat.
    #[ts(type = "number")]
    pub started_at: EpochMs,
    #[ts(type = "number | null")]
    pub accepted_at: Option<EpochMs>,
    #[ts(type = "number | null")]
    pub first_reply_at: Option<EpochMs>,
    #[ts(type = "number | null")]
    pub ended_at: Option<EpochMs>,
    pub end_reason: Option<EndReason>,
    #[ts(type = "number")]
    pub line_count: i64,
    /// The visitor's survey answers as the server gave them.
    #[ts(type = "unknown")]
    pub survey: Option<serde_json::Value>,
}

/// What to look for in the history. Every field may be left out (`{}` = the newest chats).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct HistoryQuery {
    /// Words that must all occur in one line of the chat (the last one as a prefix). Any text is
    /// safe: it is searched for as plain words.
    #[ts(optional)]
    pub text: Option<String>,
    /// Chats that started at or after this (epoch ms).
    #[ts(optional, type = "number")]
    pub since_ms: Option<EpochMs>,
    /// Chats that started before this (epoch ms).
    #[ts(optional, type = "number")]
    pub until_ms: Option<EpochMs>,
    /// Part of the visitor's name (case-insensitive for ASCII letters).
    #[ts(optional)]
    pub visitor: Option<String>,
    /// Only this agent's chats.
    #[ts(optional)]
    pub owner: Option<String>,
    /// Most hits to return (default 50, at most 500).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Hits to skip (paging).
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A chat found by a search. `snippet` (with a text query) is the first matching line's plain
/// text around the match, each match wrapped in U+E000 … U+E001. It is text, never HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct HistoryHit {
    pub record: ChatRecord,
    pub snippet: Option<String>,
}

/// Brings a database written before the history existed up to date (once): a record for every
/// stored chat, and every stored line indexed.
pub(crate) fn migrate(db: &mut Connection) -> Result<(), EngineError> {
    let version = |db: &Connection| -> Result<i64, EngineError> {
        Ok(db.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    };
    if version(db)? >= 1 {
        return Ok(());
    }
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if version(&tx)? >= 1 {
        return Ok(());
    }
    {
        let mut chats = tx.prepare("SELECT owner, summary FROM chats ORDER BY rowid")?;
        let rows = chats.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut put = tx.prepare(
            "INSERT INTO history (chat, owner, visitor_name, skill, started_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (chat) DO NOTHING",
        )?;
        for row in rows {
            let (owner, json) = row?;
            // A summary that does not read is skipped, not fatal: its lines still get a record.
            if let Ok(s) = serde_json::from_str::<ChatSummary>(&json) {
                put.execute(params![
                    s.chat,
                    owner,
                    s.visitor_name,
                    s.skill,
                    s.start_time.unwrap_or(0)
                ])?;
            }
        }
        let mut lines = tx.prepare("SELECT line FROM lines ORDER BY chat, id")?;
        let rows = lines.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            if let Ok(line) = serde_json::from_str::<ChatLine>(&row?) {
                index_line(&tx, &line)?;
            }
        }
    }
    tx.pragma_update(None, "user_version", 1)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests;
