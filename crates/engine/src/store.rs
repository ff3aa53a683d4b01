//! Local state that must survive a crash, in one SQLite file: the outbox of lines the agent wrote,
//! per-chat cursors, the transcript cache, drafts and settings. Never the bearer or the password.
//!
//! The same file holds the chat history (`crate::history`: records, a full-text index of every
//! line) and the predefined responses (`crate::responses`). The engine's actor owns one [`Store`];
//! the history reader and the response library open their own connections to the same file (WAL),
//! so a search in the UI never waits on the poll loop.

use crate::error::EngineError;
use crate::events::{ChatKey, ChatLine, ChatSummary, TextType};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

mod wrapups;

/// Where a line in the outbox stands (finer than the `OutboxState` front ends see).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// Not sent yet, or sent and known to have failed before reaching the server.
    Pending,
    /// A send is under way (if we crash now, the server may or may not have it).
    InFlight,
    /// The last send failed in a way that may have reached the server: check the chat first.
    Check,
    /// The server has it.
    Sent,
    /// Given up until the agent retries.
    Failed,
}

impl RowState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::InFlight => "inflight",
            Self::Check => "check",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "inflight" => Self::InFlight,
            "check" => Self::Check,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

/// One line in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub local_id: String,
    pub chat: ChatKey,
    pub text: String,
    pub text_type: TextType,
    pub agent_only: bool,
    pub state: RowState,
    /// The chat's last seen event id when the line was (last) sent: a match must be newer.
    pub cursor_at_send: Option<u64>,
    pub event_id: Option<u64>,
    pub attempts: u32,
    pub error: Option<String>,
    /// A `rich-content` line's structured content (sent as `json`, spec §4.15).
    pub card: Option<serde_json::Value>,
}

/// A chat as stored: its summary, whether it is still on the desk, and the next event id to ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRow {
    pub summary: ChatSummary,
    pub next_event: u64,
    pub active: bool,
}

/// The SQLite database of one data folder.
pub struct Store {
    pub(crate) db: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

const SCHEMA: &str = "
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS chats (
  owner TEXT NOT NULL, chat TEXT NOT NULL, summary TEXT NOT NULL,
  next_event INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (owner, chat));
CREATE TABLE IF NOT EXISTS lines (
  chat TEXT NOT NULL, id INTEGER NOT NULL, line TEXT NOT NULL, PRIMARY KEY (chat, id));
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, local_id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,
  chat TEXT NOT NULL, text TEXT NOT NULL, text_type TEXT NOT NULL, agent_only INTEGER NOT NULL,
  state TEXT NOT NULL, cursor_at_send INTEGER, event_id INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT);
CREATE TABLE IF NOT EXISTS drafts (chat TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "engine.sqlite3";

/// Opens (creating if needed) the database of `dir` with every table in place: the one way any
/// part of the engine connects to it.
pub(crate) fn open_db(dir: &Path) -> Result<Connection, EngineError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        EngineError::new(
            crate::events::ErrorCode::Storage,
            format!("data folder: {e}"),
        )
    })?;
    let mut db = Connection::open(dir.join(DB_FILE))?;
    db.busy_timeout(std::time::Duration::from_secs(5))?;
    db.execute_batch(SCHEMA)?;
    db.execute_batch(crate::history::SCHEMA)?;
    db.execute_batch(crate::responses::SCHEMA)?;
    crate::history::migrate(&mut db)?;
    wrapups::init(&db)?;
    // Databases from before rich content lack the outbox's `card` column.
    let has_card: bool = db
        .prepare("SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'card'")?
        .exists([])?;
    if !has_card {
        db.execute_batch("ALTER TABLE outbox ADD COLUMN card TEXT")?;
    }
    Ok(db)
}

pub(crate) fn text_type_str(t: TextType) -> &'static str {
    match t {
        TextType::Plain => "plain",
        TextType::Html => "html",
        TextType::RichContent => "rich-content",
    }
}

pub(crate) fn parse_text_type(s: &str) -> TextType {
    match s {
        "html" => TextType::Html,
        "rich-content" => TextType::RichContent,
        _ => TextType::Plain,
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> EngineError {
    EngineError::new(
        crate::events::ErrorCode::Storage,
        format!("local storage: {e}"),
    )
}

impl Store {
    /// Opens (creating if needed) `engine.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> Result<Self, EngineError> {
        Ok(Self { db: open_db(dir)? })
    }

    /// The chats stored for `owner`.
    pub fn chats(&self, owner: &str) -> Result<Vec<ChatRow>, EngineError> {
        let mut st = self.db.prepare(
            "SELECT summary, next_event, active FROM chats WHERE owner = ?1 ORDER BY rowid",
        )?;
        let rows = st.query_map(params![owner], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (summary, next, active) = row?;
            let summary: ChatSummary = serde_json::from_str(&summary).map_err(json_err)?;
            out.push(ChatRow {
                summary,
                next_event: u64::try_from(next).unwrap_or(0),
                active,
            });
        }
        Ok(out)
    }

    /// Stores a chat's summary, cursor and presence.
    pub fn put_chat(&self, owner: &str, row: &ChatRow) -> Result<(), EngineError> {
        let summary = serde_json::to_string(&row.summary).map_err(json_err)?;
        self.db
            .prepare_cached(
                "INSERT INTO chats (owner, chat, summary, next_event, active) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (owner, chat) DO UPDATE SET summary = ?3, next_event = ?4, active = ?5",
            )?
            .execute(params![owner, row.summary.chat, summary, row.next_event as i64, row.active])?;
        Ok(())
    }

    /// Marks every chat of `owner` as off the desk (after logout).
    pub fn deactivate_all(&self, owner: &str) -> Result<(), EngineError> {
        self.db.execute(
            "UPDATE chats SET active = 0 WHERE owner = ?1",
            params![owner],
        )?;
        Ok(())
    }

    /// Adds lines to the transcript cache (a line already there is kept as is). Each new line's
    /// plain text also goes into the history's search index, and counts towards its chat's record
    /// (see `crate::history`).
    pub fn add_lines(&mut self, lines: &[ChatLine]) -> Result<(), EngineError> {
        let tx = self.db.transaction()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO lines (chat, id, line) VALUES (?1, ?2, ?3)",
            )?;
            for l in lines {
                let json = serde_json::to_string(l).map_err(json_err)?;
                if st.execute(params![l.chat, l.id as i64, json])? == 1 {
                    crate::history::index_line(&tx, l)?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The cached transcript of a chat, in event order.
    pub fn lines(&self, chat: &str) -> Result<Vec<ChatLine>, EngineError> {
        let mut st = self
            .db
            .prepare("SELECT line FROM lines WHERE chat = ?1 ORDER BY id")?;
        let rows = st.query_map(params![chat], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(json_err)?);
        }
        Ok(out)
    }

    /// The newest `n` cached lines of a chat, in event order.
    pub fn last_lines(&self, chat: &str, n: usize) -> Result<Vec<ChatLine>, EngineError> {
        let mut st = self.db.prepare_cached(
            "SELECT line FROM (SELECT id, line FROM lines WHERE chat = ?1 ORDER BY id DESC LIMIT ?2)
             ORDER BY id",
        )?;
        let rows = st.query_map(params![chat, n as i64], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(json_err)?);
        }
        Ok(out)
    }

    /// The cached lines of a chat from event id `from` on, in event order: what an ambiguous send
    /// is checked against (memory keeps only a chat's newest few lines).
    pub fn lines_from(&self, chat: &str, from: u64) -> Result<Vec<ChatLine>, EngineError> {
        let mut st = self
            .db
            .prepare_cached("SELECT line FROM lines WHERE chat = ?1 AND id >= ?2 ORDER BY id")?;
        let rows = st.query_map(params![chat, from as i64], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(json_err)?);
        }
        Ok(out)
    }

    /// Adds a line to the outbox.
    pub fn outbox_add(&self, owner: &str, row: &OutboxRow) -> Result<(), EngineError> {
        self.db.execute(
            "INSERT INTO outbox (local_id, owner, chat, text, text_type, agent_only, state, cursor_at_send,
             event_id, attempts, error, card) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                row.local_id,
                owner,
                row.chat,
                row.text,
                text_type_str(row.text_type),
                row.agent_only,
                row.state.as_str(),
                row.cursor_at_send.map(|c| c as i64),
                row.event_id.map(|c| c as i64),
                row.attempts,
                row.error,
                row.card.as_ref().map(|c| c.to_string())
            ],
        )?;
        Ok(())
    }

    /// Writes a line's progress.
    pub fn outbox_update(&self, row: &OutboxRow) -> Result<(), EngineError> {
        self.db.execute(
            "UPDATE outbox SET state = ?2, cursor_at_send = ?3, event_id = ?4, attempts = ?5, error = ?6
             WHERE local_id = ?1",
            params![
                row.local_id,
                row.state.as_str(),
                row.cursor_at_send.map(|c| c as i64),
                row.event_id.map(|c| c as i64),
                row.attempts,
                row.error
            ],
        )?;
        Ok(())
    }

    /// The outbox of `owner`, oldest first (sent lines included, so ids map back to local ids).
    pub fn outbox(&self, owner: &str) -> Result<Vec<OutboxRow>, EngineError> {
        let mut st = self.db.prepare(
            "SELECT local_id, chat, text, text_type, agent_only, state, cursor_at_send, event_id, attempts, error,
             card FROM outbox WHERE owner = ?1 ORDER BY seq",
        )?;
        let rows = st.query_map(params![owner], |r| {
            Ok(OutboxRow {
                local_id: r.get(0)?,
                chat: r.get(1)?,
                text: r.get(2)?,
                text_type: parse_text_type(&r.get::<_, String>(3)?),
                agent_only: r.get(4)?,
                state: RowState::parse(&r.get::<_, String>(5)?),
                cursor_at_send: r.get::<_, Option<i64>>(6)?.map(|c| c.max(0) as u64),
                event_id: r.get::<_, Option<i64>>(7)?.map(|c| c.max(0) as u64),
                attempts: r.get(8)?,
                error: r.get(9)?,
                card: r
                    .get::<_, Option<String>>(10)?
                    .and_then(|c| serde_json::from_str(&c).ok()),
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>().map_err(Into::into)
    }

    /// Saves (or with an empty text, clears) a draft.
    pub fn save_draft(&self, chat: &str, text: &str) -> Result<(), EngineError> {
        if text.is_empty() {
            self.db
                .execute("DELETE FROM drafts WHERE chat = ?1", params![chat])?;
        } else {
            self.db.execute(
                "INSERT INTO drafts (chat, text) VALUES (?1, ?2) ON CONFLICT (chat) DO UPDATE SET text = ?2",
                params![chat, text],
            )?;
        }
        Ok(())
    }

    /// The draft of a chat.
    pub fn draft(&self, chat: &str) -> Result<Option<String>, EngineError> {
        Ok(self
            .db
            .query_row(
                "SELECT text FROM drafts WHERE chat = ?1",
                params![chat],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, EngineError> {
        Ok(self
            .db
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Stores a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), EngineError> {
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, value],
        )?;
        Ok(())
    }
}
