//! Predefined ("canned") responses: the agent's library of replies, searched as they type,
//! suggested from what the visitor wrote, shared as a JSON file (`docs/responses-format.md`).
//!
//! [`ResponseLibrary`] opens its own connection to the data folder's `engine.sqlite3`, so the
//! UI's searches never wait on the engine's poll loop. Nothing here leaves the machine.

mod fill;
mod import;
mod starter;
mod validate;

pub use fill::{Filled, PlaceholderValues, fill};
pub use import::{ImportMode, ImportReport};

use crate::error::EngineError;
use crate::events::{ErrorCode, TextType};
use crate::fts::{all_prefixes_query, any_word_query, salient_words};
use crate::history::line_plain_text;
use crate::store::{parse_text_type, text_type_str};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;
use validate::{Valid, bad};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS responses (
  id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, text TEXT NOT NULL,
  text_type TEXT NOT NULL, card TEXT, category TEXT NOT NULL, hotkey INTEGER UNIQUE,
  position INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS responses_fts USING fts5(
  title, category, text, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '1 2 3');
";

/// The setting that says the starter set was offered once (so deleting every response does not
/// bring it back).
pub const INITIALISED_SETTING: &str = "responses.initialised";

/// bm25 weights of the index's columns: a title match counts most, then the category.
const RANK: &str = "bm25(responses_fts, 10.0, 4.0, 1.0)";

/// One predefined response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CannedResponse {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    /// The line to send: plain text, sanitised HTML, or for `rich-content` the fallback text.
    pub text: String,
    pub text_type: TextType,
    /// The structured content of a `rich-content` response (a JSON object with a `type`).
    #[ts(type = "Record<string, unknown> | null")]
    pub card: Option<serde_json::Value>,
    pub category: String,
    /// Ctrl/Cmd + this digit inserts it (1–9, unique).
    pub hotkey: Option<u8>,
    /// Order within its category.
    #[ts(type = "number")]
    pub position: i64,
}

/// What the agent gives to add or change a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ResponseInput {
    pub title: String,
    pub text: String,
    #[serde(default = "plain")]
    pub text_type: TextType,
    #[serde(default)]
    #[ts(optional, type = "Record<string, unknown>")]
    pub card: Option<serde_json::Value>,
    /// Empty = `General`.
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    #[ts(optional)]
    pub hotkey: Option<u8>,
}

fn plain() -> TextType {
    TextType::Plain
}

/// The agent's library of predefined responses.
pub struct ResponseLibrary {
    db: Connection,
}

impl std::fmt::Debug for ResponseLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseLibrary")
    }
}

const COLUMNS: &str =
    "r.id, r.title, r.text, r.text_type, r.card, r.category, r.hotkey, r.position";

fn response_of(r: &Row<'_>) -> rusqlite::Result<CannedResponse> {
    Ok(CannedResponse {
        id: r.get(0)?,
        title: r.get(1)?,
        text: r.get(2)?,
        text_type: parse_text_type(&r.get::<_, String>(3)?),
        // A card that no longer reads as JSON is dropped rather than failing the whole list.
        card: r
            .get::<_, Option<String>>(4)?
            .and_then(|s| serde_json::from_str(&s).ok()),
        category: r.get(5)?,
        hotkey: r
            .get::<_, Option<i64>>(6)?
            .and_then(|h| u8::try_from(h).ok())
            .filter(|h| (1..=9).contains(h)),
        position: r.get(7)?,
    })
}

fn not_found(id: i64) -> EngineError {
    EngineError::new(ErrorCode::NotFound, format!("no response with id {id}"))
}

impl ResponseLibrary {
    /// Opens the library of the data folder `dir`. The first time any library is opened there,
    /// the starter set is put in.
    pub fn open(dir: &Path) -> Result<Self, EngineError> {
        let mut db = crate::store::open_db(dir)?;
        starter::seed_once(&mut db)?;
        Ok(Self { db })
    }

    /// Every response, by category (A–Z) then position.
    pub fn list(&self) -> Result<Vec<CannedResponse>, EngineError> {
        let mut st = self.db.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM responses r ORDER BY r.category COLLATE NOCASE, r.category, r.position, r.id"
        ))?;
        let rows = st.query_map([], response_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The categories in use, A–Z.
    pub fn categories(&self) -> Result<Vec<String>, EngineError> {
        let mut st = self.db.prepare_cached(
            "SELECT DISTINCT category FROM responses ORDER BY category COLLATE NOCASE, category",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One response.
    pub fn get(&self, id: i64) -> Result<Option<CannedResponse>, EngineError> {
        Ok(self
            .db
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM responses r WHERE r.id = ?1"
            ))?
            .query_row(params![id], response_of)
            .optional()?)
    }

    /// Adds a response at the end of its category.
    pub fn add(&mut self, input: &ResponseInput) -> Result<CannedResponse, EngineError> {
        let valid = validate::input(input).map_err(bad)?;
        let tx = self.db.transaction()?;
        validate::hotkey_free(&tx, valid.hotkey, None)?;
        let id = insert(&tx, &valid)?;
        tx.commit()?;
        self.get(id)?.ok_or_else(|| not_found(id))
    }

    /// Changes a response; moving it to another category puts it at that category's end.
    pub fn update(
        &mut self,
        id: i64,
        input: &ResponseInput,
    ) -> Result<CannedResponse, EngineError> {
        let valid = validate::input(input).map_err(bad)?;
        let tx = self.db.transaction()?;
        let category: Option<String> = tx
            .query_row(
                "SELECT category FROM responses WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(category) = category else {
            return Err(not_found(id));
        };
        validate::hotkey_free(&tx, valid.hotkey, Some(id))?;
        let position = if category == valid.category {
            None
        } else {
            Some(next_position(&tx, &valid.category)?)
        };
        write(&tx, id, &valid, position)?;
        tx.commit()?;
        self.get(id)?.ok_or_else(|| not_found(id))
    }

    /// Deletes a response.
    pub fn delete(&mut self, id: i64) -> Result<(), EngineError> {
        let tx = self.db.transaction()?;
        if tx.execute("DELETE FROM responses WHERE id = ?1", params![id])? == 0 {
            return Err(not_found(id));
        }
        tx.execute("DELETE FROM responses_fts WHERE rowid = ?1", params![id])?;
        tx.commit()?;
        Ok(())
    }

    /// Puts a category's responses in this order; `ids` must name each of them exactly once.
    pub fn reorder(&mut self, category: &str, ids: &[i64]) -> Result<(), EngineError> {
        let tx = self.db.transaction()?;
        let mut current: Vec<i64> = {
            let mut st = tx.prepare("SELECT id FROM responses WHERE category = ?1")?;
            st.query_map(params![category], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut wanted = ids.to_vec();
        current.sort_unstable();
        wanted.sort_unstable();
        if current != wanted {
            return Err(bad(format!(
                "reorder: the list must name each of the {} responses of \"{category}\" exactly once",
                current.len()
            )));
        }
        for (pos, id) in ids.iter().enumerate() {
            tx.execute(
                "UPDATE responses SET position = ?2 WHERE id = ?1",
                params![id, pos as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Responses matching what the agent typed, best first: every word must occur (as a prefix)
    /// in the title, category or text; a title match ranks highest. Any input is safe (it is
    /// searched for as plain words). An input without words lists the library in order.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<CannedResponse>, EngineError> {
        let limit = limit.clamp(1, 1000);
        match all_prefixes_query(query) {
            None => Ok(self.list()?.into_iter().take(limit).collect()),
            Some(m) => self.ranked(&m, limit),
        }
    }

    /// The responses that best fit what the visitor wrote lately (their last lines, latest last):
    /// the lines' telling words (no stopwords, none under 3 letters) ranked against the library.
    /// Empty when nothing fits.
    pub fn suggest(
        &self,
        visitor_lines: &[String],
        limit: usize,
    ) -> Result<Vec<CannedResponse>, EngineError> {
        match any_word_query(&salient_words(visitor_lines, 24)) {
            None => Ok(Vec::new()),
            Some(m) => self.ranked(&m, limit.clamp(1, 50)),
        }
    }

    fn ranked(&self, fts_query: &str, limit: usize) -> Result<Vec<CannedResponse>, EngineError> {
        let mut st = self.db.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM responses_fts JOIN responses r ON r.id = responses_fts.rowid
             WHERE responses_fts MATCH ?1
             ORDER BY {RANK}, r.category COLLATE NOCASE, r.position, r.id LIMIT ?2"
        ))?;
        let rows = st.query_map(params![fts_query, limit as i64], response_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn next_position(db: &Connection, category: &str) -> Result<i64, EngineError> {
    Ok(db.query_row(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM responses WHERE category = ?1",
        params![category],
        |r| r.get(0),
    )?)
}

/// Inserts a validated response at the end of its category; returns its id.
fn insert(db: &Connection, v: &Valid) -> Result<i64, EngineError> {
    let position = next_position(db, &v.category)?;
    db.execute(
        "INSERT INTO responses (title, text, text_type, card, category, hotkey, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            v.title,
            v.text,
            text_type_str(v.text_type),
            v.card,
            v.category,
            v.hotkey,
            position
        ],
    )?;
    let id = db.last_insert_rowid();
    index(db, id, v)?;
    Ok(id)
}

/// Rewrites a response (and its position when given).
fn write(db: &Connection, id: i64, v: &Valid, position: Option<i64>) -> Result<(), EngineError> {
    db.execute(
        "UPDATE responses SET title = ?2, text = ?3, text_type = ?4, card = ?5, category = ?6,
           hotkey = ?7, position = COALESCE(?8, position) WHERE id = ?1",
        params![
            id,
            v.title,
            v.text,
            text_type_str(v.text_type),
            v.card,
            v.category,
            v.hotkey,
            position
        ],
    )?;
    index(db, id, v)
}

fn index(db: &Connection, id: i64, v: &Valid) -> Result<(), EngineError> {
    db.execute("DELETE FROM responses_fts WHERE rowid = ?1", params![id])?;
    db.execute(
        "INSERT INTO responses_fts (rowid, title, category, text) VALUES (?1, ?2, ?3, ?4)",
        params![
            id,
            v.title,
            v.category,
            line_plain_text(&v.text, v.text_type)
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
