#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::events::{ChatOrigin, ChatState, LineSource, TextType};
use crate::store::{ChatRow, Store};

pub(crate) fn summary(chat: &str, visitor: &str, skill: &str, start: i64) -> ChatSummary {
    ChatSummary {
        chat: chat.into(),
        state: ChatState::Chatting,
        visitor_name: visitor.into(),
        agent_name: Some("Ann".into()),
        skill: Some(skill.into()),
        start_time: Some(start),
        origin: ChatOrigin::Accepted,
        accepted_at: None,
        chat_timeout: None,
        participant_id: None,
        agents: Vec::new(),
    }
}

pub(crate) fn line(chat: &str, id: u64, time: i64, source: LineSource, text: &str) -> ChatLine {
    ChatLine {
        chat: chat.into(),
        id,
        time: Some(time),
        source,
        by: match source {
            LineSource::Visitor => "visitor".into(),
            LineSource::Agent => "Ann".into(),
            _ => "info".into(),
        },
        text: text.into(),
        text_type: TextType::Plain,
        system_message_id: None,
        agent_only: false,
        local_id: None,
        card: None,
        seen_at: None,
        latency_ms: None,
    }
}

const T0: i64 = 1_714_550_400_000; // 2024-05-01T08:00:00Z

/// Three ended chats of ann (Vera, Bob, Zoë) and one of ben, an hour apart.
fn filled() -> (tempfile::TempDir, Store, HistoryReader) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let chats = [
        (
            "K1",
            "ann",
            "Vera",
            "my parcel never arrived",
            "I will check the parcel",
        ),
        (
            "K2",
            "ann",
            "Bob",
            "refund for order 1234 please",
            "The refund is on its way",
        ),
        ("K3", "ann", "Zoë", "parcels and refunds", "Both are sorted"),
        ("K4", "ben", "Vera Two", "my parcel again", "Checking"),
    ];
    for (i, (key, owner, visitor, v, a)) in chats.iter().enumerate() {
        let start = T0 + i as i64 * 3_600_000;
        store
            .history_chat_seen(owner, &summary(key, visitor, "Sales", start), start)
            .unwrap();
        store.history_chat_accepted(key, start + 1_000).unwrap();
        store
            .add_lines(&[
                line(key, 1, start + 2_000, LineSource::Visitor, v),
                line(key, 2, start + 31_000, LineSource::Agent, a),
            ])
            .unwrap();
        store
            .history_chat_ended(key, start + 601_000, EndReason::Agent)
            .unwrap();
    }
    let reader = HistoryReader::open(dir.path()).unwrap();
    (dir, store, reader)
}

fn keys(hits: &[HistoryHit]) -> Vec<&str> {
    hits.iter().map(|h| h.record.key.as_str()).collect()
}

fn text(q: &str) -> HistoryQuery {
    HistoryQuery {
        text: Some(q.into()),
        ..HistoryQuery::default()
    }
}

#[test]
fn fts5_is_compiled_into_the_bundled_sqlite() {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    let on: bool = db
        .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(on);
    db.execute_batch("CREATE VIRTUAL TABLE t USING fts5(x)")
        .unwrap();
}

#[test]
fn search_finds_words_newest_first_with_marked_snippets() {
    let (_dir, _store, reader) = filled();
    let hits = reader.search(&text("parc")).unwrap();
    assert_eq!(keys(&hits), ["K4", "K3", "K1"]);
    assert_eq!(
        hits[2].snippet.as_deref(),
        Some("my \u{E000}parcel\u{E001} never arrived")
    );
    // The last word is a prefix: "parcel" also finds "parcels"; the other words are whole.
    assert_eq!(
        keys(&reader.search(&text("parcel")).unwrap()),
        ["K4", "K3", "K1"]
    );
    assert_eq!(
        keys(&reader.search(&text("parc again")).unwrap()),
        Vec::<&str>::new()
    );
    assert_eq!(keys(&reader.search(&text("parcel again")).unwrap()), ["K4"]);
    // Every word must occur in the same line.
    assert_eq!(keys(&reader.search(&text("refund order")).unwrap()), ["K2"]);
    assert!(reader.search(&text("refund arrived")).unwrap().is_empty());
    // Diacritics fold, case does not matter.
    assert_eq!(keys(&reader.search(&text("SORTÉD")).unwrap()), ["K3"]);
    // No text: every chat, newest first; the record is complete.
    let all = reader.search(&HistoryQuery::default()).unwrap();
    assert_eq!(keys(&all), ["K4", "K3", "K2", "K1"]);
    let r = &all[3].record;
    assert_eq!(
        (
            r.owner.as_str(),
            r.visitor_name.as_str(),
            r.skill.as_deref()
        ),
        ("ann", "Vera", Some("Sales"))
    );
    assert_eq!(r.started_at, T0);
    assert_eq!(r.accepted_at, Some(T0 + 1_000));
    assert_eq!(r.first_reply_at, Some(T0 + 31_000));
    assert_eq!(r.ended_at, Some(T0 + 601_000));
    assert_eq!(r.end_reason, Some(EndReason::Agent));
    assert_eq!(r.line_count, 2);
    assert!(all.iter().all(|h| h.snippet.is_none()));
}

#[test]
fn search_filters_page_and_survive_hostile_input() {
    let (_dir, _store, reader) = filled();
    let q = HistoryQuery {
        since_ms: Some(T0 + 3_600_000),
        until_ms: Some(T0 + 3 * 3_600_000),
        ..HistoryQuery::default()
    };
    assert_eq!(keys(&reader.search(&q).unwrap()), ["K3", "K2"]);
    let q = HistoryQuery {
        visitor: Some("vera".into()),
        ..HistoryQuery::default()
    };
    assert_eq!(keys(&reader.search(&q).unwrap()), ["K4", "K1"]);
    let q = HistoryQuery {
        visitor: Some("%".into()),
        ..HistoryQuery::default()
    };
    assert!(reader.search(&q).unwrap().is_empty(), "% is a literal");
    let q = HistoryQuery {
        owner: Some("ann".into()),
        text: Some("parcel".into()),
        ..HistoryQuery::default()
    };
    assert_eq!(keys(&reader.search(&q).unwrap()), ["K3", "K1"]);
    let q = HistoryQuery {
        limit: Some(1),
        offset: Some(1),
        text: Some("parc".into()),
        ..HistoryQuery::default()
    };
    assert_eq!(keys(&reader.search(&q).unwrap()), ["K3"]);
    for hostile in [
        "\"",
        "*",
        "NEAR(",
        ")",
        "parcel\" OR \"",
        "^parcel",
        "text:parcel",
        "a AND",
        "-",
        "''",
        "\u{E000}",
    ] {
        let hits = reader.search(&text(hostile));
        assert!(hits.is_ok(), "{hostile}: {hits:?}");
    }
    // Words inside hostile input are still found.
    assert_eq!(
        keys(&reader.search(&text("NEAR(parcel")).unwrap()),
        Vec::<&str>::new()
    );
    assert_eq!(
        keys(&reader.search(&text("(refund)")).unwrap()),
        ["K3", "K2"]
    );
}

#[test]
fn hostile_html_is_only_ever_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .history_chat_seen("ann", &summary("H", "<b>Mallory</b>", "Sales", T0), T0)
        .unwrap();
    let mut html = line("H", 1, T0, LineSource::Visitor, "");
    html.text_type = TextType::Html;
    // As stored (already sanitised), plus what a hostile page would try.
    html.text = crate::sanitize::clean_html(
        "<p onclick=x>click <a href='javascript:alert(1)'>here</a><img src=x onerror=alert(2)>&lt;script&gt;alert(3)&lt;/script&gt;</p>",
    );
    let plain = line(
        "H",
        2,
        T0 + 1,
        LineSource::Visitor,
        "<script>alert(4)</script> plainword",
    );
    store.add_lines(&[html.clone(), plain]).unwrap();
    let reader = HistoryReader::open(dir.path()).unwrap();
    let hits = reader.search(&text("script")).unwrap();
    assert_eq!(hits.len(), 1);
    let snippet = hits[0].snippet.clone().unwrap();
    // The first matching line is the HTML one: its text, with entities decoded, and no markup.
    assert_eq!(
        snippet,
        "click here<\u{E000}script\u{E001}>alert(3)</\u{E000}script\u{E001}>"
    );
    assert!(!snippet.contains("onerror") && !snippet.contains("href"));
    // The transcript gives back exactly what was stored (sanitised HTML / literal text).
    let t = reader.transcript("H").unwrap();
    assert_eq!(t[0].text, html.text);
    assert!(!t[0].text.contains("javascript") && !t[0].text.contains("onerror"));
    assert_eq!(t[1].text, "<script>alert(4)</script> plainword");
    let p = reader.plain_text("H", 0).unwrap();
    assert!(
        p.contains("<b>Mallory</b>: click here<script>alert(3)</script>"),
        "{p}"
    );
}

#[test]
fn plain_text_has_a_header_and_one_line_per_line() {
    let (_dir, mut store, reader) = filled();
    let mut note = line("K1", 3, T0 + 40_000, LineSource::Agent, "<i>vip</i>");
    note.agent_only = true;
    note.text_type = TextType::Html;
    let system = line("K1", 4, T0 + 50_000, LineSource::System, "Visitor left");
    store.add_lines(&[note, system]).unwrap();
    assert_eq!(
        reader.plain_text("K1", 120).unwrap(),
        "Chat with Vera\nSkill: Sales\nStarted: 2024-05-01 10:00:00 +02:00\n\
         Ended: 2024-05-01 10:10:01 +02:00\n\n\
         [10:00:02] Vera: my parcel never arrived\n\
         [10:00:31] Ann: I will check the parcel\n\
         [10:00:40] Ann (agents only): vip\n\
         [10:00:50] System: Visitor left\n"
    );
    let err = reader.plain_text("nope", 0).unwrap_err();
    assert_eq!(err.code, crate::ErrorCode::NotFound);
}

#[test]
fn retention_and_clear_spare_chats_on_the_desk() {
    let (dir, store, reader) = filled();
    // K1 is back on the desk (say, resumed): never purged.
    store
        .put_chat(
            "ann",
            &ChatRow {
                summary: summary("K1", "Vera", "Sales", T0),
                next_event: 3,
                active: true,
            },
        )
        .unwrap();
    // K1..K4 ended at T0 + 0, 1, 2, 3 h + 10 min: 30 days after T0 + 2 h, K1 and K2 are older.
    let day = 86_400_000;
    let now = T0 + 30 * day + 2 * 3_600_000;
    assert_eq!(reader.retention_days().unwrap(), 30);
    let gone = reader.apply_retention(now).unwrap();
    assert_eq!(gone, 1, "K2 only (K1 is on the desk)");
    assert!(reader.record("K2").unwrap().is_none());
    assert!(reader.transcript("K2").unwrap().is_empty());
    assert!(reader.search(&text("refund order")).unwrap().is_empty());
    assert_eq!(reader.transcript("K1").unwrap().len(), 2);
    // The setting: 0 keeps everything, a number is days.
    store.set_setting(RETENTION_SETTING, "0").unwrap();
    assert_eq!(reader.apply_retention(now + 100 * day).unwrap(), 0);
    store.set_setting(RETENTION_SETTING, "7").unwrap();
    assert_eq!(reader.retention_days().unwrap(), 7);
    store.set_setting(RETENTION_SETTING, "soon").unwrap();
    assert_eq!(reader.retention_days().unwrap(), DEFAULT_RETENTION_DAYS);
    // Clear takes every chat off the desk, and its index rows with it.
    assert_eq!(reader.clear().unwrap(), 2);
    assert_eq!(
        keys(&reader.search(&HistoryQuery::default()).unwrap()),
        ["K1"]
    );
    assert_eq!(keys(&reader.search(&text("parc")).unwrap()), ["K1"]);
    let fts_rows: i64 = reader
        .db
        .query_row("SELECT COUNT(*) FROM history_fts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fts_rows, 2);
    drop(dir);
}

#[test]
fn a_ten_thousand_line_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .history_chat_seen("ann", &summary("BIG", "Long Talker", "Support", T0), T0)
        .unwrap();
    let lines: Vec<ChatLine> = (1..=10_000u64)
        .map(|i| {
            let source = if i % 2 == 0 {
                LineSource::Agent
            } else {
                LineSource::Visitor
            };
            let word = if i == 7_777 { " zanzibar" } else { "" };
            line(
                "BIG",
                i,
                T0 + i as i64 * 1000,
                source,
                &format!("line number {i}{word}"),
            )
        })
        .collect();
    for chunk in lines.chunks(500) {
        store.add_lines(chunk).unwrap();
    }
    // Lines added twice are neither stored nor indexed twice.
    store.add_lines(&lines[..10]).unwrap();
    let reader = HistoryReader::open(dir.path()).unwrap();
    assert_eq!(reader.transcript("BIG").unwrap().len(), 10_000);
    assert_eq!(reader.record("BIG").unwrap().unwrap().line_count, 10_000);
    let hits = reader.search(&text("zanzibar")).unwrap();
    assert_eq!(
        hits[0].snippet.as_deref(),
        Some("line number 7777 \u{E000}zanzibar\u{E001}")
    );
    let hits = reader.search(&text("number 9999")).unwrap();
    assert_eq!(hits.len(), 1);
    let plain = reader.plain_text("BIG", 0).unwrap();
    assert_eq!(plain.lines().count(), 5 + 10_000);
}

#[test]
fn day_numbers_count_the_agents_ended_chats() {
    let (_dir, mut store, reader) = filled();
    // A note to agents is not a line sent.
    let mut note = line("K1", 3, T0 + 40_000, LineSource::Agent, "note");
    note.agent_only = true;
    store.add_lines(&[note]).unwrap();
    // An explicit first reply after the derived one does not move it.
    store.history_first_reply("K1", T0 + 90_000).unwrap();
    let (start, end) = local_day_bounds(T0, 0);
    let n = reader.day_numbers("ann", start, end).unwrap();
    assert_eq!(
        n,
        AgentNumbers {
            chats_handled: 3,
            avg_handle_ms: Some(600_000),
            avg_first_reply_ms: Some(30_000),
            lines_sent: 3,
        }
    );
    assert_eq!(
        reader.day_numbers("ann", end, end + 86_400_000).unwrap(),
        AgentNumbers::default()
    );
    assert_eq!(
        reader.day_numbers("ben", start, end).unwrap().chats_handled,
        1
    );
}

#[test]
fn seen_keeps_what_it_knew_and_survey_is_kept() {
    let (_dir, store, reader) = filled();
    let mut s = summary("K1", "", "Sales", T0);
    s.skill = None;
    s.start_time = None;
    store.history_chat_seen("ann", &s, T0 + 999_999).unwrap();
    store
        .history_chat_ended("K1", T0 + 999_999, EndReason::Visitor)
        .unwrap();
    store
        .history_survey("K1", &serde_json::json!({"rating": 5}))
        .unwrap();
    let r = reader.record("K1").unwrap().unwrap();
    assert_eq!(r.visitor_name, "Vera");
    assert_eq!(r.skill.as_deref(), Some("Sales"));
    assert_eq!(r.started_at, T0);
    assert_eq!(r.ended_at, Some(T0 + 601_000), "the first end counts");
    assert_eq!(r.end_reason, Some(EndReason::Agent));
    assert_eq!(r.survey, Some(serde_json::json!({"rating": 5})));
    // Bad data in the database is skipped, not a panic.
    reader
        .db
        .execute("UPDATE history SET survey = '{nope' WHERE chat = 'K1'", [])
        .unwrap();
    reader
        .db
        .execute(
            "INSERT INTO lines (chat, id, line) VALUES ('K1', 99, 'not json')",
            [],
        )
        .unwrap();
    assert_eq!(reader.record("K1").unwrap().unwrap().survey, None);
    assert_eq!(reader.transcript("K1").unwrap().len(), 2);
}

#[test]
fn a_database_from_before_the_history_is_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join(crate::store::DB_FILE)).unwrap();
        db.execute_batch(
            "CREATE TABLE chats (owner TEXT NOT NULL, chat TEXT NOT NULL, summary TEXT NOT NULL,
               next_event INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,
               PRIMARY KEY (owner, chat));
             CREATE TABLE lines (chat TEXT NOT NULL, id INTEGER NOT NULL, line TEXT NOT NULL,
               PRIMARY KEY (chat, id));",
        )
        .unwrap();
        let s = serde_json::to_string(&summary("OLD", "Olga", "Billing", T0)).unwrap();
        db.execute(
            "INSERT INTO chats (owner, chat, summary, active) VALUES ('ann', 'OLD', ?1, 0)",
            [s],
        )
        .unwrap();
        let l = serde_json::to_string(&line("OLD", 1, T0, LineSource::Visitor, "invoice missing"))
            .unwrap();
        db.execute(
            "INSERT INTO lines (chat, id, line) VALUES ('OLD', 1, ?1)",
            [l],
        )
        .unwrap();
        db.execute(
            "INSERT INTO lines (chat, id, line) VALUES ('OLD', 2, 'garbage')",
            [],
        )
        .unwrap();
    }
    let _store = Store::open(dir.path()).unwrap();
    let reader = HistoryReader::open(dir.path()).unwrap();
    let hits = reader.search(&text("invoice")).unwrap();
    assert_eq!(keys(&hits), ["OLD"]);
    assert_eq!(hits[0].record.visitor_name, "Olga");
    assert_eq!(hits[0].record.line_count, 1);
}
