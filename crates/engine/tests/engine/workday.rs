//! The agent's day around the chats, against the simulator: the wrap-up survey when a chat ends
//! (checked, durable, refusals kept), the customer details of an authenticated visitor, and
//! structured-content cards both ways.

use crate::common::*;
use engine::customer::CustomerInfo;
use engine::wrapup::{QuestionKind, SurveyAnswer, WrapUpState};
use engine::{Engine, EngineEvent, ErrorCode, LineSource};
use serde_json::json;
use simulator::{ChatExtras, Fault, FaultKind, SurveyMode, demo_customer};

fn answer(id: &str, values: &[&str]) -> SurveyAnswer {
    SurveyAnswer {
        question_id: id.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

/// Goes Online, starts a visitor chat with `extras`, takes it when it rings (a ring after this
/// call, not an earlier one) and waits for its first line; returns its key.
async fn take_chat_with(
    sim: &simulator::Simulator,
    engine: &engine::EngineHandle,
    rec: &Recorder,
    name: &str,
    first: &str,
    extras: ChatExtras,
) -> String {
    engine
        .set_availability(engine::Availability::Online, None)
        .await
        .unwrap();
    let before = rec.all().len();
    let key = sim
        .start_chat_with(start_chat("Sales", name, first), extras)
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !rec.all()[before..]
        .iter()
        .any(|e| matches!(e, EngineEvent::Ringing { .. }))
    {
        assert!(tokio::time::Instant::now() < deadline, "no ring for {name}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(engine.accept().await.unwrap(), key);
    rec.wait_line(&key, LineSource::Visitor, first).await;
    key
}

fn wrap_up_in(state: WrapUpState) -> impl Fn(&EngineEvent) -> bool {
    move |e| matches!(e, EngineEvent::WrapUp { wrap_up } if wrap_up.state == state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_follows_the_end_of_a_chat_and_reaches_the_server_once_valid() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "a price question").await;

    sim.visitor_leave(&key).await.unwrap();
    let EngineEvent::WrapUp { wrap_up } = rec
        .wait_for("the survey", wrap_up_in(WrapUpState::Open))
        .await
    else {
        unreachable!()
    };
    assert_eq!(wrap_up.chat, key);
    assert_eq!(wrap_up.visitor_name, "Vera");
    let qs = &wrap_up.survey.questions;
    assert_eq!(qs.len(), 5, "{qs:?}");
    assert_eq!(qs[0].kind, QuestionKind::Dropdown);
    assert!(qs[0].mandatory);
    let (reason, resolved, follow_up, email) = (
        qs[0].id.clone(),
        qs[1].id.clone(),
        qs[2].id.clone(),
        qs[3].id.clone(),
    );
    let pricing = qs[0].entries[0].value.clone();
    // The snapshot has it too (a window opened now draws it).
    assert_eq!(engine.snapshot().await.wrap_ups.len(), 1);

    // Mandatory questions: no skipping, no empty submission; nothing goes to the server.
    let err = engine.skip_wrap_up(key.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = engine
        .submit_wrap_up(key.clone(), vec![answer(&resolved, &["Yes"])])
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("Contact reason"), "{}", err.message);
    // Ticking follow-up shows the email question, which is then mandatory and checked.
    let err = engine
        .submit_wrap_up(
            key.clone(),
            vec![
                answer(&reason, &[&pricing]),
                answer(&resolved, &["Yes"]),
                answer(&follow_up, &["Yes"]),
                answer(&email, &["not an address"]),
            ],
        )
        .await
        .unwrap_err();
    assert!(err.message.contains("email"), "{}", err.message);
    assert_eq!(sim.survey_answers(&key).await.unwrap(), None);

    // The first try meets a 503: the same answers go again by themselves.
    sim.inject_fault(Fault {
        kind: FaultKind::Status(503),
        count: 1,
        path_contains: Some("/survey".into()),
    })
    .await;
    engine
        .submit_wrap_up(
            key.clone(),
            vec![
                answer(&reason, &[&pricing]),
                answer(&resolved, &["Yes"]),
                answer(&follow_up, &["Yes"]),
                answer(&email, &["vera@example.com"]),
            ],
        )
        .await
        .unwrap();
    rec.wait_for("submitting", wrap_up_in(WrapUpState::Submitting))
        .await;
    // A second submit while the first is out is refused (no double submit).
    let err = engine
        .submit_wrap_up(key.clone(), vec![answer(&reason, &[&pricing])])
        .await;
    assert!(err.is_err() || rec.all().iter().any(wrap_up_in(WrapUpState::Done)));
    rec.wait_for("done", wrap_up_in(WrapUpState::Done)).await;
    let got = sim.survey_answers(&key).await.unwrap().expect("submitted");
    assert_eq!(got.submissions, 1, "sent once after the 503");
    assert_eq!(got.answers[&email], vec!["vera@example.com"]);
    assert_eq!(got.answers[&reason], vec![pricing]);
    assert!(engine.snapshot().await.wrap_ups.is_empty());

    // History has the whole chat: accepted, ended by the visitor, the answers, findable.
    let history = engine::HistoryReader::open(dir.path()).unwrap();
    let record = history.record(&key).unwrap().expect("in history");
    assert!(record.accepted_at.is_some() && record.ended_at.is_some());
    assert_eq!(record.end_reason, Some(engine::history::EndReason::Visitor));
    assert_eq!(record.survey.as_ref().map(|s| s.is_array()), Some(true));
    let hits = history
        .search(&engine::HistoryQuery {
            text: Some("pric".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].record.key, key);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_survey_keeps_the_answers_and_a_chat_without_survey_gets_no_wrap_up() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Billing", "an invoice").await;
    engine.end_chat(key.clone()).await.unwrap();
    let EngineEvent::WrapUp { wrap_up } = rec
        .wait_for("the survey", wrap_up_in(WrapUpState::Open))
        .await
    else {
        unreachable!()
    };
    let qs = &wrap_up.survey.questions;
    let good = vec![
        answer(&qs[0].id, &[&qs[0].entries[0].value]),
        answer(&qs[1].id, &["No"]),
    ];
    sim.inject_fault(Fault {
        kind: FaultKind::Status(400),
        count: 1,
        path_contains: Some("/survey".into()),
    })
    .await;
    engine
        .submit_wrap_up(key.clone(), good.clone())
        .await
        .unwrap();
    let EngineEvent::WrapUp { wrap_up: failed } = rec
        .wait_for("refused", wrap_up_in(WrapUpState::Failed))
        .await
    else {
        unreachable!()
    };
    assert!(failed.error.as_deref().unwrap_or("").contains("refused"));
    assert_eq!(failed.answers, good, "what the agent chose is kept");
    // Stored: a restart of the engine shows the same refused wrap-up.
    drop(engine);
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    let restored = engine.snapshot().await.wrap_ups;
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].state, WrapUpState::Failed);
    engine.submit_wrap_up(key.clone(), good).await.unwrap();
    rec.wait_for("done", wrap_up_in(WrapUpState::Done)).await;
    assert!(sim.survey_answers(&key).await.unwrap().is_some());

    // A chat without a survey gets no wrap-up at all.
    let plain = take_chat_with(
        &sim,
        &engine,
        &rec,
        "Nora",
        "no survey here",
        ChatExtras {
            survey: SurveyMode::None,
            ..Default::default()
        },
    )
    .await;
    let mark = log_mark(&sim).await;
    sim.visitor_leave(&plain).await.unwrap();
    let log = wait_requests(&sim, "the survey asked for", mark, 1, |r| {
        r.method == "GET" && r.path.ends_with("/survey")
    })
    .await;
    // Ring checks the actor started after the survey's answer came back: it has been applied.
    wait_requests(&sim, "ring checks", mark + log.len(), 3, is_ring_check).await;
    rec.assert_never(
        "a wrap-up for a chat without survey",
        |e| matches!(e, EngineEvent::WrapUp { wrap_up } if wrap_up.chat == plain),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_of_an_authenticated_visitor_is_fetched_once() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    let customer = demo_customer(1);
    let key = take_chat_with(
        &sim,
        &engine,
        &rec,
        "Pat",
        "hello",
        ChatExtras {
            customer: Some(customer.clone()),
            ..Default::default()
        },
    )
    .await;
    let participant = sim
        .participant_id(&key)
        .await
        .unwrap()
        .expect("authenticated");
    let EngineEvent::Customer { info, .. } = rec
        .wait_for("customer loaded", |e| {
            matches!(e, EngineEvent::Customer { chat, info: CustomerInfo::Loaded { .. } } if *chat == key)
        })
        .await
    else {
        unreachable!()
    };
    let CustomerInfo::Loaded { profile } = info else {
        unreachable!()
    };
    assert_eq!(profile.participant_id, participant);
    let want_name = customer["authenticatedPersonalInfo"]["name"].as_str();
    assert_eq!(profile.name.as_deref(), want_name);
    assert!(profile.customer_id.is_some());
    let snap = engine.snapshot().await;
    let chat = snap.chats.iter().find(|c| c.summary.chat == key).unwrap();
    assert_eq!(
        chat.summary.participant_id.as_deref(),
        Some(participant.as_str())
    );
    assert!(chat.summary.accepted_at.is_some());
    assert!(chat.summary.chat_timeout.is_some());
    assert!(matches!(chat.customer, Some(CustomerInfo::Loaded { .. })));

    // More lines and polls: still one request for the customer.
    sim.visitor_line(&key, "one more").await.unwrap();
    rec.wait_line(&key, LineSource::Visitor, "one more").await;
    settle(&sim).await;
    let fetched = sim
        .requests()
        .await
        .iter()
        .filter(|r| r.path.contains("participantExtendedInfo"))
        .count();
    assert_eq!(fetched, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_arrive_and_go_out_as_structured_content() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hi").await;

    let card = json!({"type": "vertical", "elements": [
        {"type": "text", "text": "Your order"},
        {"type": "button", "title": "Track", "click": {"actions": [{"type": "link", "uri": "https://example.com/t"}]}}
    ]});
    sim.visitor_rich_line(&key, "Your order", card.clone())
        .await
        .unwrap();
    // A malformed card still arrives as a line (the front end shows a placeholder).
    sim.visitor_rich_line(&key, "broken", json!("not a card"))
        .await
        .unwrap();
    rec.wait_line(&key, LineSource::Visitor, "broken").await;
    let lines = rec.lines(&key);
    let got = lines.iter().find(|l| l.text == "Your order").unwrap();
    assert_eq!(got.card.as_ref(), Some(&card));
    assert_eq!(got.text_type, engine::TextType::RichContent);

    // Out: checked, then sent through the outbox with its card.
    let err = engine
        .send_card(key.clone(), "x".into(), json!(["no", "type"]))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let reply = json!({"type": "vertical", "elements": [{"type": "text", "text": "Refund sent"}]});
    let id = engine
        .send_card(key.clone(), "Refund sent".into(), reply.clone())
        .await
        .unwrap();
    rec.wait_sent(&id).await;
    let events = sim.visitor_view(&key).await.unwrap();
    let sent = events
        .iter()
        .find(|e| e["text"] == "Refund sent")
        .expect("the server has the card");
    assert_eq!(sent["textType"], "rich-content");
    assert_eq!(sent["json"], reply);
    // The echo carries the card back onto the desk.
    rec.wait_line(&key, LineSource::Agent, "Refund sent").await;
    let echo = rec
        .lines(&key)
        .into_iter()
        .find(|l| l.text == "Refund sent")
        .unwrap();
    assert_eq!(echo.card, Some(reply));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_survey_is_reported_and_blocks_nothing() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    let bad = take_chat_with(
        &sim,
        &engine,
        &rec,
        "Mo",
        "hi",
        ChatExtras {
            survey: SurveyMode::Malformed,
            ..Default::default()
        },
    )
    .await;
    sim.visitor_leave(&bad).await.unwrap();
    rec.wait_for("a clear error naming the chat", |e| {
        matches!(e, EngineEvent::Error { chat: Some(c), message, .. }
            if *c == bad && message.contains("survey"))
    })
    .await;
    assert!(engine.snapshot().await.wrap_ups.is_empty());
    // The desk goes on: the next chat is taken and talked to as usual.
    take_chat_with(&sim, &engine, &rec, "Lu", "next", ChatExtras::default()).await;
}
