//! `agent-desk-cli history` over a store written through the engine's `Store` API: no login, no
//! server, JSON lines, filters, a clear error for a bad date.

use crate::common::BIN;
use engine::{
    ChatLine, ChatOrigin, ChatState, ChatSummary, EndReason, LineSource, Store, TextType,
};
use serde_json::Value;
use tokio::process::Command;

const T0: i64 = 1_714_550_400_000; // 2024-05-01T08:00:00Z
const DAY: i64 = 86_400_000;

fn line(chat: &str, id: u64, time: i64, source: LineSource, by: &str, text: &str) -> ChatLine {
    ChatLine {
        chat: chat.into(),
        id,
        time: Some(time),
        source,
        by: by.into(),
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

/// Vera on 1 May (a parcel), Bob on 3 May (a refund, in HTML), both ann's.
fn populate(dir: &std::path::Path) {
    let mut store = Store::open(dir).unwrap();
    for (key, visitor, start, text, html) in [
        ("K1", "Vera", T0, "my parcel never arrived", false),
        (
            "K2",
            "Bob",
            T0 + 2 * DAY,
            "<p>a <b>refund</b> &amp; more</p>",
            true,
        ),
    ] {
        let summary = ChatSummary {
            chat: key.into(),
            state: ChatState::Chatting,
            visitor_name: visitor.into(),
            agent_name: Some("Ann".into()),
            skill: Some("Sales".into()),
            start_time: Some(start),
            origin: ChatOrigin::Accepted,
            accepted_at: None,
            chat_timeout: None,
            participant_id: None,
            agents: Vec::new(),
        };
        store.history_chat_seen("ann", &summary, start).unwrap();
        store.history_chat_accepted(key, start + 1_000).unwrap();
        let mut v = line(key, 1, start + 2_000, LineSource::Visitor, "visitor", text);
        if html {
            v.text_type = TextType::Html;
        }
        let a = line(
            key,
            2,
            start + 3_500,
            LineSource::Agent,
            "Ann",
            "Let me check",
        );
        store.add_lines(&[v, a]).unwrap();
        store
            .history_chat_ended(key, start + 60_000, EndReason::Visitor)
            .unwrap();
    }
}

async fn history(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .arg("history")
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (
        out.status.code(),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn keys(chats: &[Value]) -> Vec<&str> {
    chats.iter().map(|c| c["key"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn history_prints_past_chats_as_json_lines() {
    let data = tempfile::tempdir().unwrap();
    populate(data.path());

    let (code, chats, err) = history(data.path(), &[]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(keys(&chats), ["K2", "K1"], "newest first");
    assert_eq!(
        chats[1],
        serde_json::json!({
            "key": "K1", "visitor": "Vera", "skill": "Sales",
            "start": "2024-05-01T08:00:00Z", "end": "2024-05-01T08:01:00Z",
            "lines": [
                {"time": "2024-05-01T08:00:02Z", "by": "Vera", "text": "my parcel never arrived"},
                {"time": "2024-05-01T08:00:03.5Z", "by": "Ann", "text": "Let me check"},
            ]
        })
    );
    assert_eq!(
        chats[0]["lines"][0]["text"], "a refund & more",
        "HTML stripped"
    );

    let (_, chats, _) = history(data.path(), &["--search", "refu"]).await;
    assert_eq!(keys(&chats), ["K2"]);
    let (_, chats, _) = history(data.path(), &["--search", "\"NEAR( parcel"]).await;
    assert!(chats.is_empty());
    let (_, chats, _) = history(data.path(), &["--visitor", "ver"]).await;
    assert_eq!(keys(&chats), ["K1"]);
    let (_, chats, _) = history(data.path(), &["--since", "2024-05-02"]).await;
    assert_eq!(keys(&chats), ["K2"]);
    let (_, chats, _) = history(data.path(), &["--until", "2024-05-01"]).await;
    assert_eq!(keys(&chats), ["K1"], "--until includes its day");
    let (_, chats, _) = history(data.path(), &["--limit", "1"]).await;
    assert_eq!(keys(&chats), ["K2"]);
    let (code, chats, _) = Command::new(BIN)
        .arg("--data-dir")
        .arg(data.path())
        .args(["--user", "ben", "history"])
        .output()
        .await
        .map(|o| (o.status.code(), o.stdout, ()))
        .unwrap();
    assert_eq!(
        (code, chats.len()),
        (Some(0), 0),
        "--user: only that agent's chats"
    );
}

#[tokio::test]
async fn history_refuses_a_bad_date_or_a_folder_without_data() {
    let data = tempfile::tempdir().unwrap();
    populate(data.path());
    let (code, chats, err) = history(data.path(), &["--since", "2024-13-01"]).await;
    assert_eq!(code, Some(2));
    assert!(chats.is_empty());
    assert!(
        err.contains("agent-desk-cli: error: --since: \"2024-13-01\" is not a date YYYY-MM-DD"),
        "{err}"
    );
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = history(&empty.path().join("nothing"), &[]).await;
    assert_eq!(code, Some(2));
    assert!(err.contains("no Agent Desk data in"), "{err}");
    assert!(!empty.path().join("nothing").exists(), "nothing created");
}
