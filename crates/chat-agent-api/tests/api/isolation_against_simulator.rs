//! Lenient decoding against the simulator: a visitor line cut in half an emoji (spec §9 quirk 16)
//! in one chat of a multi-chat reply, and `Retry-After` on status faults (spec §8).

use crate::common::sim::{configs, login, start};
use chat_agent_api::model::Chat;
use chat_agent_api::retry::{Decision, RequestKind, RetryContext, decide};
use chat_agent_api::*;
use simulator::{Fault, FaultKind, StartChat};
use std::time::Duration;

fn visitor(name: &str) -> StartChat {
    StartChat {
        skill: Some("Sales".into()),
        visitor_name: name.into(),
        text: Some(format!("hello from {name}")),
    }
}

fn texts(chat: &Chat) -> Vec<String> {
    chat.events
        .event
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line(l) => Some(l.text.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn multi_chat_with_a_truncated_emoji_returns_every_chat() {
    for cfg in configs() {
        let arrays = cfg.always_arrays;
        let sim = start(cfg).await;
        let (_c, _l, s) = login(&sim, "ann").await;
        s.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        let mut chats = Vec::new();
        for name in ["Vera", "Vic", "Val"] {
            sim.start_chat(visitor(name)).await.unwrap();
            let chat = s.take_chat().await.unwrap().expect("a chat to take");
            let first = s.chat(&chat).await.unwrap();
            let last = first.events.last_id().unwrap();
            chats.push((chat, last));
        }
        sim.visitor_line(&chats[0].0.key, "first chat, new line")
            .await
            .unwrap();
        sim.visitor_line_truncated(&chats[1].0.key, "I love it ")
            .await
            .unwrap();
        sim.visitor_line(&chats[2].0.key, "third chat 😀")
            .await
            .unwrap();

        let pairs: Vec<(&str, i64)> = chats.iter().map(|(c, l)| (c.key.as_str(), *l)).collect();
        let slots = s.chats_data(&pairs).await.unwrap();
        assert_eq!(slots.len(), 3, "arrays={arrays}");
        let want = [
            "first chat, new line",
            "I love it \u{FFFD}",
            "third chat 😀",
        ];
        for ((slot, (chat, _)), text) in slots.iter().zip(&chats).zip(want) {
            assert_eq!(slot.key.as_deref(), Some(chat.key.as_str()));
            assert!(slot.bad_events.is_empty(), "{:?}", slot.bad_events);
            let c = slot.chat.as_ref().unwrap();
            assert_eq!(texts(c).last().map(String::as_str), Some(text), "{slot:?}");
            assert_eq!(
                c.info.as_ref().unwrap().chat_session_key.as_deref(),
                Some(chat.key.as_str())
            );
        }

        // the other reads of the same chat decode the line the same way
        let cut = &chats[1].0;
        let whole = s.chat(cut).await.unwrap();
        assert_eq!(texts(&whole).last().unwrap(), "I love it \u{FFFD}");
        let slot = s.chat_resource(cut).await.unwrap();
        assert!(slot.bad_events.is_empty());
        assert_eq!(
            texts(slot.chat.as_ref().unwrap()).last().unwrap(),
            "I love it \u{FFFD}"
        );
        let page = s.chat_events(cut, Some(chats[1].1 + 1)).await.unwrap();
        assert_eq!(
            page.event
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Line(l) => Some(l.text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            ["I love it \u{FFFD}"]
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn retry_after_reaches_the_error_and_the_decision() {
    let sim = start(configs()[0].clone()).await;
    let (_c, _l, s) = login(&sim, "ann").await;
    let ctx = |attempt| RetryContext {
        kind: RequestKind::Read,
        attempt,
        jitter: 0.0,
    };
    for (status, secs, want) in [
        (429u16, 3u64, 3u64),
        (503, 60, 60),
        (503, 1, 5),
        (429, 0, 1),
    ] {
        sim.inject_fault(Fault {
            kind: FaultKind::StatusWithRetryAfter(status, secs),
            count: 1,
            path_contains: Some("/incomingRequests".into()),
        })
        .await;
        let e = s.incoming_requests().await.unwrap_err();
        match &e {
            ApiError::Http {
                status: got,
                retry_after,
                body: ErrorBody::Json(_),
            } => {
                assert_eq!(*got, status);
                assert_eq!(*retry_after, Some(Duration::from_secs(secs)));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decide(&e, ctx(1)),
            Decision::RetryAfter(Duration::from_secs(want)),
            "{status} Retry-After {secs}"
        );
        s.incoming_requests().await.unwrap();
    }
    // without the header: none
    sim.inject_fault(Fault {
        kind: FaultKind::Status(429),
        count: 1,
        path_contains: Some("/incomingRequests".into()),
    })
    .await;
    let e = s.incoming_requests().await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Http {
                retry_after: None,
                ..
            }
        ),
        "{e:?}"
    );
    sim.shutdown().await;
}
