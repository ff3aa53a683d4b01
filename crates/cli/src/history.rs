//! `history`: the local chat history as JSON lines, read straight from the data folder's
//! database (no login, no server, no engine task).

use crate::args::{Action, Cli};
use crate::fail::Failure;
use engine::history::{HistoryReader, line_plain_text, speaker};
use engine::{EngineConfig, EpochMs, HistoryQuery};
use serde_json::{Value, json};
use std::io::Write;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// The most chats asked of the history at once.
const PAGE: usize = 500;

/// Midnight UTC of a `YYYY-MM-DD` day, in epoch ms.
pub fn day_start_ms(flag: &str, day: &str) -> Result<EpochMs, Failure> {
    let date = time::Date::parse(day.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| Failure::usage(format!("{flag}: \"{day}\" is not a date YYYY-MM-DD")))?;
    Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
}

fn iso(ms: Option<EpochMs>) -> Value {
    ms.and_then(|ms| {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
    })
    .and_then(|t| t.format(&Rfc3339).ok())
    .map_or(Value::Null, Value::String)
}

/// Runs `history`.
pub fn run(cli: &Cli) -> Result<(), Failure> {
    let Action::History {
        search,
        since,
        until,
        visitor,
        limit,
    } = &cli.command
    else {
        return Ok(());
    };
    let since_ms = since
        .as_deref()
        .map(|d| day_start_ms("--since", d))
        .transpose()?;
    // `--until` names the last day included.
    let until_ms = until
        .as_deref()
        .map(|d| day_start_ms("--until", d).map(|ms| ms + 86_400_000))
        .transpose()?;
    let config = EngineConfig {
        data_dir: cli.data_dir.clone(),
        ..EngineConfig::default()
    };
    let dir = config
        .resolved_data_dir()
        .ok_or_else(|| Failure::other("no data folder on this platform"))?;
    if !dir.join(engine::store::DB_FILE).is_file() {
        return Err(Failure::usage(format!(
            "no Agent Desk data in {} (no {})",
            dir.display(),
            engine::store::DB_FILE
        )));
    }
    let reader = HistoryReader::open(&dir)?;
    let mut out = std::io::stdout().lock();
    let wanted = limit.unwrap_or(usize::MAX);
    let mut printed = 0usize;
    while printed < wanted {
        let page = (wanted - printed).min(PAGE);
        let hits = reader.search(&HistoryQuery {
            text: search.clone(),
            since_ms,
            until_ms,
            visitor: visitor.clone(),
            owner: cli.user.clone(),
            limit: Some(page as u32),
            offset: Some(printed as u32),
        })?;
        for hit in &hits {
            let r = &hit.record;
            let name = if r.visitor_name.is_empty() {
                "Visitor"
            } else {
                r.visitor_name.as_str()
            };
            let lines: Vec<Value> = reader
                .transcript(&r.key)?
                .iter()
                .map(|l| {
                    json!({
                        "time": iso(l.time),
                        "by": speaker(l, name),
                        "text": line_plain_text(&l.text, l.text_type),
                    })
                })
                .collect();
            let chat = json!({
                "key": r.key,
                "visitor": r.visitor_name,
                "skill": r.skill,
                "start": iso(Some(r.started_at).filter(|&s| s > 0)),
                "end": iso(r.ended_at),
                "lines": lines,
            });
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{chat}").is_err() {
                return Ok(());
            }
        }
        printed += hits.len();
        if hits.len() < page {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_to_utc_midnight() {
        assert_eq!(
            day_start_ms("--since", "2024-05-01").ok(),
            Some(1_714_521_600_000)
        );
        for bad in [
            "2024-13-01",
            "2024-02-30",
            "yesterday",
            "",
            "2024/05/01",
            "01-05-2024",
        ] {
            let err = day_start_ms("--since", bad)
                .err()
                .map(|f| (f.code, f.message));
            assert_eq!(
                err,
                Some((2, format!("--since: \"{bad}\" is not a date YYYY-MM-DD"))),
                "{bad}"
            );
        }
    }

    #[test]
    fn times_print_as_iso_8601_utc() {
        assert_eq!(iso(Some(1_714_521_600_000)), json!("2024-05-01T00:00:00Z"));
        assert_eq!(
            iso(Some(1_714_521_600_123)),
            json!("2024-05-01T00:00:00.123Z")
        );
        assert_eq!(iso(None), Value::Null);
        assert_eq!(iso(Some(i64::MAX)), Value::Null);
    }
}
