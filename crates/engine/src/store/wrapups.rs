//! Wrap-ups waiting for the agent or for the server, kept until done or skipped.

use super::{Store, json_err};
use crate::error::EngineError;
use crate::wrapup::WrapUp;
use rusqlite::{Connection, params};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS wrapups (
  chat TEXT PRIMARY KEY, owner TEXT NOT NULL, wrapup TEXT NOT NULL);
";

pub(super) fn init(db: &Connection) -> Result<(), EngineError> {
    db.execute_batch(SCHEMA)?;
    Ok(())
}

impl Store {
    /// Stores (or replaces) a chat's wrap-up.
    pub fn put_wrap_up(&self, owner: &str, w: &WrapUp) -> Result<(), EngineError> {
        let json = serde_json::to_string(w).map_err(json_err)?;
        self.db.execute(
            "INSERT INTO wrapups (chat, owner, wrapup) VALUES (?1, ?2, ?3)
             ON CONFLICT(chat) DO UPDATE SET owner = ?2, wrapup = ?3",
            params![w.chat, owner, json],
        )?;
        Ok(())
    }

    /// Forgets a chat's wrap-up.
    pub fn delete_wrap_up(&self, chat: &str) -> Result<(), EngineError> {
        self.db
            .execute("DELETE FROM wrapups WHERE chat = ?1", params![chat])?;
        Ok(())
    }

    /// `owner`'s stored wrap-ups, oldest first. A row that no longer reads is dropped with a
    /// warning rather than blocking the others.
    pub fn wrap_ups(&self, owner: &str) -> Result<Vec<WrapUp>, EngineError> {
        let mut st = self
            .db
            .prepare("SELECT wrapup FROM wrapups WHERE owner = ?1 ORDER BY rowid")?;
        let rows = st.query_map(params![owner], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            match serde_json::from_str::<WrapUp>(&json?) {
                Ok(w) => out.push(w),
                Err(e) => tracing::warn!(error = %e, "a stored wrap-up cannot be read; dropped"),
            }
        }
        Ok(out)
    }
}
