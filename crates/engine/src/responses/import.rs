//! The library as a JSON file (format: `docs/responses-format.md`): export, and an import that
//! checks every entry first and then takes all of them or none.

use super::validate::{self, Valid, bad};
use super::{ResponseInput, ResponseLibrary, insert, write};
use crate::error::EngineError;
use crate::events::TextType;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

/// The format version this desk writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// What an import does with the responses already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum ImportMode {
    /// The file's responses take the place of the whole library.
    Replace,
    /// The file's responses are added; one with the title and category of a response already
    /// there replaces that response's text, type, card and hotkey.
    Merge,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ImportReport {
    pub added: u32,
    pub updated: u32,
    /// Responses removed first (`replace`).
    pub removed: u32,
}

const FIELDS: &[&str] = &["title", "text", "textType", "category", "hotkey", "card"];

/// Reads one entry of the file into an input, naming the field that is wrong.
fn entry_input(entry: &Value) -> Result<ResponseInput, String> {
    let Some(obj) = entry.as_object() else {
        return Err("is not a JSON object".into());
    };
    if let Some(k) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field \"{k}\" (fields: {})",
            FIELDS.join(", ")
        ));
    }
    let string = |field: &str, required: bool| -> Result<String, String> {
        match obj.get(field) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) if !required => Ok(String::new()),
            None | Some(Value::Null) => Err(format!("{field} is missing")),
            Some(_) => Err(format!("{field} is not a string")),
        }
    };
    let title = string("title", true)?;
    let text = string("text", true)?;
    let category = string("category", false)?;
    let text_type = match string("textType", false)?.as_str() {
        "" | "plain" => TextType::Plain,
        "html" => TextType::Html,
        "rich-content" => TextType::RichContent,
        other => {
            return Err(format!(
                "textType \"{other}\" is not plain, html or rich-content"
            ));
        }
    };
    let hotkey = match obj.get("hotkey") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(h @ 1..=9) => u8::try_from(h).ok(),
            _ => return Err(format!("hotkey {n} is not 1-9")),
        },
        Some(other) => return Err(format!("hotkey {other} is not a number 1-9")),
    };
    Ok(ResponseInput {
        title,
        text,
        text_type,
        card: obj.get("card").cloned(),
        category,
        hotkey,
    })
}

/// Checks the whole file; the first problem is reported as `entry N ("title"): …` (N from 1).
fn parse_file(json: &str) -> Result<Vec<Valid>, EngineError> {
    let top: Value = serde_json::from_str(json).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Some(top) = top.as_object() else {
        return Err(bad(
            "the file is not a JSON object with \"version\" and \"responses\"",
        ));
    };
    match top.get("version") {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "version {v} is not supported (this desk reads version {FORMAT_VERSION})"
            )));
        }
        None => return Err(bad("version is missing")),
    }
    let Some(entries) = top.get("responses").and_then(Value::as_array) else {
        return Err(bad("responses is missing or not a list"));
    };
    let mut out: Vec<Valid> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let label = match entry.get("title").and_then(Value::as_str) {
            Some(t) => format!("entry {} (\"{}\")", i + 1, short(t)),
            None => format!("entry {}", i + 1),
        };
        let valid = entry_input(entry)
            .and_then(|input| validate::input(&input))
            .map_err(|e| bad(format!("{label}: {e}")))?;
        if let Some(h) = valid.hotkey
            && let Some(j) = out.iter().position(|o| o.hotkey == Some(h))
        {
            return Err(bad(format!(
                "{label}: hotkey {h} is also used by entry {} (\"{}\")",
                j + 1,
                short(&out[j].title)
            )));
        }
        out.push(valid);
    }
    Ok(out)
}

fn short(s: &str) -> String {
    let mut t: String = s.trim().chars().take(60).collect();
    if s.trim().chars().count() > 60 {
        t.push('…');
    }
    t
}

impl ResponseLibrary {
    /// The whole library as a version-1 JSON file, in list order.
    pub fn export_json(&self) -> Result<String, EngineError> {
        let entries: Vec<Value> = self
            .list()?
            .into_iter()
            .map(|r| {
                let mut e = Map::new();
                e.insert("title".into(), json!(r.title));
                e.insert("text".into(), json!(r.text));
                e.insert("textType".into(), json!(r.text_type));
                e.insert("category".into(), json!(r.category));
                if let Some(h) = r.hotkey {
                    e.insert("hotkey".into(), json!(h));
                }
                if let Some(c) = r.card {
                    e.insert("card".into(), c);
                }
                Value::Object(e)
            })
            .collect();
        serde_json::to_string_pretty(&json!({ "version": FORMAT_VERSION, "responses": entries }))
            .map_err(crate::store::json_err)
    }

    /// Imports a JSON file. Every entry is checked first: a bad file is refused with the entry
    /// and field at fault (`entry 3 ("Refund policy"): hotkey 12 is not 1-9`) and changes nothing.
    pub fn import_json(
        &mut self,
        json: &str,
        mode: ImportMode,
    ) -> Result<ImportReport, EngineError> {
        let entries = parse_file(json)?;
        let tx = self.db.transaction()?;
        let mut report = ImportReport {
            added: 0,
            updated: 0,
            removed: 0,
        };
        if mode == ImportMode::Replace {
            report.removed = tx.execute("DELETE FROM responses", [])? as u32;
            tx.execute("DELETE FROM responses_fts", [])?;
        }
        // Which existing response each entry replaces (merge: same category and title).
        let mut targets: Vec<Option<i64>> = Vec::with_capacity(entries.len());
        for v in &entries {
            let id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM responses WHERE category = ?1 AND title = ?2 COLLATE NOCASE
                     ORDER BY id LIMIT 1",
                    params![v.category, v.title],
                    |r| r.get(0),
                )
                .optional()?;
            targets.push(id);
        }
        // The entries' hotkeys may move between the responses they replace: free those first,
        // then each hotkey must not belong to a response the file leaves alone.
        for id in targets.iter().flatten() {
            tx.execute(
                "UPDATE responses SET hotkey = NULL WHERE id = ?1",
                params![id],
            )?;
        }
        for (i, (v, target)) in entries.iter().zip(&targets).enumerate() {
            if let (Some(h), Some(holder)) =
                (v.hotkey, validate::hotkey_holder(&tx, v.hotkey, *target)?)
            {
                return Err(bad(format!(
                    "entry {} (\"{}\"): hotkey {h} is already used by \"{}\"",
                    i + 1,
                    short(&v.title),
                    short(&holder)
                )));
            }
            match target {
                Some(id) => {
                    write(&tx, *id, v, None)?;
                    report.updated += 1;
                }
                None => {
                    insert(&tx, v)?;
                    report.added += 1;
                }
            }
        }
        tx.commit()?;
        Ok(report)
    }
}
