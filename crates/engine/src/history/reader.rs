//! The reader side of the history: search, one record, a transcript, "copy as plain text".

use super::plain::{MARK_END, MARK_START, line_plain_text};
use super::{ChatRecord, EndReason, HID_SHIFT, HistoryHit, HistoryQuery};
use crate::error::EngineError;
use crate::events::{ChatLine, EpochMs, ErrorCode, LineSource};
use crate::fts::all_words_query;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use std::collections::{HashMap, HashSet};
use std::path::Path;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

/// Reads the history with a connection of its own (the UI's searches never wait on the engine's
/// poll loop). Cheap to open; not `Sync`: open one per thread that needs it.
pub struct HistoryReader {
    pub(crate) db: Connection,
}

impl std::fmt::Debug for HistoryReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryReader")
    }
}

const RECORD_COLUMNS: &str = "chat, owner, visitor_name, skill, started_at, accepted_at, \
    first_reply_at, ended_at, end_reason, line_count, survey";

fn record_of(r: &Row<'_>) -> rusqlite::Result<ChatRecord> {
    Ok(ChatRecord {
        key: r.get(0)?,
        owner: r.get(1)?,
        visitor_name: r.get(2)?,
        skill: r.get(3)?,
        started_at: r.get(4)?,
        accepted_at: r.get(5)?,
        first_reply_at: r.get(6)?,
        ended_at: r.get(7)?,
        end_reason: r.get::<_, Option<String>>(8)?.map(|s| EndReason::parse(&s)),
        line_count: r.get(9)?,
        // Answers that no longer read as JSON are left out rather than failing the record.
        survey: r
            .get::<_, Option<String>>(10)?
            .and_then(|s| serde_json::from_str(&s).ok()),
    })
}

impl HistoryReader {
    /// Opens the history of the data folder `dir` (creating the database if needed).
    pub fn open(dir: &Path) -> Result<Self, EngineError> {
        Ok(Self {
            db: crate::store::open_db(dir)?,
        })
    }

    /// Chats matching `query`, newest first (in the order they reached the desk, which is the
    /// order they started in). With words to look for, each hit carries a snippet of its first
    /// matching line.
    pub fn search(&self, query: &HistoryQuery) -> Result<Vec<HistoryHit>, EngineError> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
        let offset = query.offset.unwrap_or(0) as usize;
        let fts = query.text.as_deref().and_then(all_words_query);

        let mut filters = String::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(owner) = &query.owner {
            args.push(owner.clone().into());
            filters.push_str(&format!(" AND owner = ?{}", args.len()));
        }
        if let Some(since) = query.since_ms {
            args.push(since.into());
            filters.push_str(&format!(" AND started_at >= ?{}", args.len()));
        }
        if let Some(until) = query.until_ms {
            args.push(until.into());
            filters.push_str(&format!(" AND started_at < ?{}", args.len()));
        }
        if let Some(visitor) = query.visitor.as_deref().filter(|v| !v.trim().is_empty()) {
            args.push(format!("%{}%", like_escape(visitor.trim())).into());
            filters.push_str(&format!(
                " AND visitor_name LIKE ?{} ESCAPE '\\'",
                args.len()
            ));
        }

        let ids = match &fts {
            None => {
                let sql = format!(
                    "SELECT id FROM history WHERE 1 = 1{filters} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
                );
                let mut st = self.db.prepare(&sql)?;
                let rows = st.query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?;
                rows.map(|id| id.map(|id| (id, None)))
                    .collect::<Result<Vec<_>, _>>()?
            }
            Some(m) => self
                .matching(m, &filters, &args, query, offset + limit)?
                .into_iter()
                .skip(offset)
                .map(|(id, line)| (id, Some(line)))
                .collect(),
        };

        let snippets = match &fts {
            Some(m) => self.snippets(m, ids.iter().filter_map(|(_, line)| *line))?,
            None => HashMap::new(),
        };
        let mut hits = Vec::with_capacity(ids.len());
        let mut by_id = self.db.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM history WHERE id = ?1"
        ))?;
        for (id, line) in ids {
            let Some(record) = by_id.query_row(params![id], record_of).optional()? else {
                continue;
            };
            let snippet = line.and_then(|l| snippets.get(&l).cloned());
            hits.push(HistoryHit { record, snippet });
        }
        Ok(hits)
    }

    /// The newest `want` chats that pass `filters` and have a line matching `fts_query`, each with
    /// its first matching line's index rowid. The index is read newest first and the read stops
    /// as soon as there are enough, so a common word costs no more than a rare one; a time window
    /// narrows the index range to the records that started within it.
    fn matching(
        &self,
        fts_query: &str,
        filters: &str,
        args: &[SqlValue],
        query: &HistoryQuery,
        want: usize,
    ) -> Result<Vec<(i64, i64)>, EngineError> {
        let (mut lo, mut hi) = (0_i64, i64::MAX);
        if query.since_ms.is_some() || query.until_ms.is_some() {
            let bounds: (Option<i64>, Option<i64>) = self.db.query_row(
                "SELECT MIN(id), MAX(id) FROM history WHERE started_at >= ?1 AND started_at < ?2",
                params![
                    query.since_ms.unwrap_or(i64::MIN),
                    query.until_ms.unwrap_or(i64::MAX)
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (Some(min), Some(max)) = bounds else {
                return Ok(Vec::new());
            };
            lo = min << HID_SHIFT;
            hi = (max + 1).checked_shl(HID_SHIFT).unwrap_or(i64::MAX);
        }
        // The records that pass the filters, read once (a set in memory is far cheaper than a
        // query per matching chat when the filters leave few).
        let passing: Option<HashSet<i64>> = if filters.is_empty() {
            None
        } else {
            let mut st = self
                .db
                .prepare(&format!("SELECT id FROM history WHERE 1 = 1{filters}"))?;
            let ids = st.query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?;
            let set = ids.collect::<Result<HashSet<i64>, _>>()?;
            if set.is_empty() {
                return Ok(Vec::new());
            }
            Some(set)
        };
        let check = |hid: i64| -> Result<bool, EngineError> {
            Ok(passing.as_ref().is_none_or(|set| set.contains(&hid)))
        };
        let mut st = self.db.prepare_cached(
            "SELECT rowid FROM history_fts WHERE history_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3
             ORDER BY rowid DESC",
        )?;
        let mut rows = st.query(params![fts_query, lo, hi])?;
        let mut out: Vec<(i64, i64)> = Vec::new();
        // The chat being read (rows come newest chat first, and within it last line first).
        let mut current: Option<(i64, i64)> = None;
        while let Some(r) = rows.next()? {
            let rowid: i64 = r.get(0)?;
            let hid = rowid >> HID_SHIFT;
            match current {
                Some((h, _)) if h == hid => current = Some((hid, rowid)),
                _ => {
                    if let Some((h, line)) = current.take()
                        && check(h)?
                    {
                        out.push((h, line));
                        if out.len() >= want {
                            return Ok(out);
                        }
                    }
                    current = Some((hid, rowid));
                }
            }
        }
        if let Some((h, line)) = current
            && out.len() < want
            && check(h)?
        {
            out.push((h, line));
        }
        Ok(out)
    }

    /// The snippets of these index rows, in one pass over the span they cover: opening the
    /// query once per row would expand a prefix term (`deliv*`) once per row.
    fn snippets(
        &self,
        fts_query: &str,
        rowids: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, String>, EngineError> {
        let wanted: Vec<i64> = rowids.collect();
        let (Some(&lo), Some(&hi)) = (wanted.iter().min(), wanted.iter().max()) else {
            return Ok(HashMap::new());
        };
        let list = serde_json::to_string(&wanted).map_err(crate::store::json_err)?;
        // `CASE` is lazy: the snippet is only made for the rows asked for.
        let sql = format!(
            "SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?4))
               THEN snippet(history_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16) END
             FROM history_fts WHERE history_fts MATCH ?1 AND rowid >= ?2 AND rowid <= ?3"
        );
        let mut st = self.db.prepare_cached(&sql)?;
        let rows = st.query_map(params![fts_query, lo, hi, list], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut out = HashMap::with_capacity(wanted.len());
        for row in rows {
            if let (rowid, Some(snippet)) = row? {
                out.insert(rowid, snippet);
            }
        }
        Ok(out)
    }

    /// One chat's record.
    pub fn record(&self, key: &str) -> Result<Option<ChatRecord>, EngineError> {
        Ok(self
            .db
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM history WHERE chat = ?1"
            ))?
            .query_row(params![key], record_of)
            .optional()?)
    }

    /// A chat's lines in event order, as the desk showed them (`html` text is the sanitised HTML;
    /// show it as such, or use [`line_plain_text`]). A stored line that no longer reads is skipped.
    pub fn transcript(&self, key: &str) -> Result<Vec<ChatLine>, EngineError> {
        let mut st = self
            .db
            .prepare_cached("SELECT line FROM lines WHERE chat = ?1 ORDER BY id")?;
        let rows = st.query_map(params![key], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            if let Ok(line) = serde_json::from_str::<ChatLine>(&row?) {
                out.push(line);
            }
        }
        Ok(out)
    }

    /// "Copy transcript as plain text": a header (visitor, skill, start, end) and one
    /// `[HH:MM:SS] Name: text` line per line, HTML stripped. Times are shown at `utc_offset_minutes`
    /// from UTC (the desk's local offset).
    pub fn plain_text(&self, key: &str, utc_offset_minutes: i32) -> Result<String, EngineError> {
        let Some(rec) = self.record(key)? else {
            return Err(EngineError::new(
                ErrorCode::NotFound,
                "no such chat in the history",
            ));
        };
        let when = |ms: Option<EpochMs>| match ms {
            Some(ms) if ms > 0 => format_local(ms, utc_offset_minutes, true),
            _ => "—".to_string(),
        };
        let visitor = if rec.visitor_name.is_empty() {
            "Visitor"
        } else {
            rec.visitor_name.as_str()
        };
        let mut out = format!(
            "Chat with {visitor}\nSkill: {}\nStarted: {}\nEnded: {}\n\n",
            rec.skill.as_deref().unwrap_or("—"),
            when(Some(rec.started_at)),
            when(rec.ended_at),
        );
        for line in self.transcript(key)? {
            let time = match line.time {
                Some(ms) => format_local(ms, utc_offset_minutes, false),
                None => "--:--:--".to_string(),
            };
            let name = speaker(&line, visitor);
            let note = if line.agent_only {
                " (agents only)"
            } else {
                ""
            };
            let text = line_plain_text(&line.text, line.text_type);
            out.push_str(&format!("[{time}] {name}{note}: {text}\n"));
        }
        Ok(out)
    }
}

/// Who a line is from, as a transcript names them (`visitor` = the visitor's name to show).
pub fn speaker(line: &ChatLine, visitor: &str) -> String {
    match line.source {
        LineSource::Visitor => visitor.to_string(),
        LineSource::Agent if line.by.is_empty() || line.by == "agent" => "Agent".to_string(),
        LineSource::Agent => line.by.clone(),
        LineSource::System => "System".to_string(),
        LineSource::Other if line.by.is_empty() => "Other".to_string(),
        LineSource::Other => line.by.clone(),
    }
}

/// `YYYY-MM-DD HH:MM:SS ±HH:MM` (with `date`) or `HH:MM:SS` at a fixed offset from UTC
/// (`?` for a time out of range).
pub(crate) fn format_local(ms: EpochMs, utc_offset_minutes: i32, date: bool) -> String {
    use time::macros::format_description;
    let Ok(offset) = time::UtcOffset::from_whole_seconds(utc_offset_minutes.saturating_mul(60))
    else {
        return "?".to_string();
    };
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return "?".to_string();
    };
    let at = at.to_offset(offset);
    let formatted = if date {
        at.format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
        ))
    } else {
        at.format(format_description!("[hour]:[minute]:[second]"))
    };
    formatted.unwrap_or_else(|_| "?".to_string())
}

fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
