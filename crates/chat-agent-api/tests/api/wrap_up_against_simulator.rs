//! An agent's wrap-up against the simulator: the survey (both flavours, both list shapes, none,
//! malformed), submitting it (good, refused, after the end), an authenticated visitor's
//! extended info, and rich-content lines both ways.

use crate::common::sim::{login, start};
use chat_agent_api::*;
use serde_json::json;
use simulator::{ChatExtras, NoSurvey, SimConfig, StartChat, SurveyMode, SurveyValues};

fn vera() -> StartChat {
    StartChat {
        skill: Some("Sales".into()),
        visitor_name: "Vera".into(),
        text: Some("hi".into()),
    }
}

fn cfg(values: SurveyValues, arrays: bool, no_survey: NoSurvey) -> SimConfig {
    SimConfig {
        background_timers: false,
        always_arrays: arrays,
        survey_values: values,
        no_survey,
        ..SimConfig::default()
    }
}

/// ann's session and a taken chat (key, ref).
async fn taken(sim: &simulator::Simulator, extras: ChatExtras) -> (AgentSession, String, ChatRef) {
    let (_c, _l, s) = login(sim, "ann").await;
    // starting a session leaves the agent Offline: go Online as the documented flow does
    s.set_availability(&chat_agent_api::AvailabilityState::Online, None)
        .await
        .unwrap();
    let key = sim.start_chat_with(vera(), extras).await.unwrap();
    let chat = s.take_chat().await.unwrap().expect("a chat to take");
    (s, key, chat)
}

#[tokio::test]
async fn survey_in_every_flavour_and_shape_then_submitted_after_the_end() {
    for (values, arrays) in [
        (SurveyValues::Strings, false),
        (SurveyValues::Typed, false),
        (SurveyValues::Strings, true),
        (SurveyValues::Typed, true),
    ] {
        let sim = start(cfg(values, arrays, NoSurvey::Null)).await;
        let (s, key, chat) = taken(&sim, ChatExtras::default()).await;
        s.end_chat(&chat).await.unwrap();
        let survey = s
            .survey(&chat, &SurveyQuery::default())
            .await
            .unwrap()
            .expect("Sales has a survey");
        assert_eq!(survey.id.as_deref(), Some("40216"));
        let qs = survey.all_questions();
        assert_eq!(qs.len(), 5, "{values:?} {arrays}");
        assert_eq!(qs[0].question_type, Some(QuestionType::DropdownBox));
        assert!(qs[0].is_mandatory());
        assert_eq!(qs[1].question_type, Some(QuestionType::RadioButton));
        assert_eq!(qs[1].entry.as_slice()[0].checked, Some(true));
        assert_eq!(qs[2].question_type, Some(QuestionType::Checkbox));
        assert_eq!(qs[2].entry.len(), 1);
        assert_eq!(qs[3].validation_type, Some(ValidationType::Email));
        assert_eq!(qs[3].logic_id.as_deref(), Some("4"));
        assert_eq!(qs[2].entry.as_slice()[0].show_logic_id(), Some("4"));
        assert_eq!(qs[4].last_known_value.as_deref(), Some("100245"));
        assert_eq!(survey.shown_questions(&[]).len(), 4, "email hidden");

        let answers = vec![
            SurveyAnswer::one(&qs[0].id, "Delivery"),
            SurveyAnswer::one(&qs[1].id, "No"),
            SurveyAnswer::one(&qs[2].id, "Yes"),
            SurveyAnswer::one(&qs[3].id, "vera@example.com"),
            SurveyAnswer::one(&qs[4].id, "100245"),
        ];
        assert_eq!(survey.shown_questions(&answers).len(), 5);
        s.submit_survey(&chat, &answers).await.unwrap();
        let kept = sim.survey_answers(&key).await.unwrap().unwrap();
        assert_eq!(kept.answers.len(), 5);
        assert_eq!(kept.answers[&qs[3].id], ["vera@example.com"]);
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_refused_submission_names_the_question_and_keeps_nothing() {
    let sim = start(cfg(SurveyValues::Strings, false, NoSurvey::Null)).await;
    let (s, key, chat) = taken(&sim, ChatExtras::default()).await;
    let bad = [
        // follow-up ticked without the email it shows
        vec![
            SurveyAnswer::one("12786270", "Pricing"),
            SurveyAnswer::one("12786271", "Yes"),
            SurveyAnswer::one("12786272", "Yes"),
        ],
        // not an email
        vec![
            SurveyAnswer::one("12786270", "Pricing"),
            SurveyAnswer::one("12786271", "Yes"),
            SurveyAnswer {
                question_id: "12786272".into(),
                answers: vec!["Yes".into()],
            },
            SurveyAnswer::one("12786273", "vera-at-example"),
        ],
    ];
    for answers in bad {
        let e = s.submit_survey(&chat, &answers).await.unwrap_err();
        assert_eq!(e.status(), Some(400), "{e}");
        assert!(!e.is_retryable());
        let ApiError::Http {
            body: ErrorBody::Json(j),
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(j.question_id.as_deref(), Some("12786273"), "{j:?}");
        assert!(j.message.as_deref().unwrap().contains("Follow-up email"));
    }
    assert_eq!(sim.survey_answers(&key).await.unwrap(), None);
    // a second good submission replaces the first
    for reason in ["Pricing", "Other"] {
        let answers = [
            SurveyAnswer::one("12786270", reason),
            SurveyAnswer::one("12786271", "Partly"),
        ];
        s.submit_survey(&chat, &answers).await.unwrap();
    }
    let kept = sim.survey_answers(&key).await.unwrap().unwrap();
    assert_eq!(kept.submissions, 2);
    assert_eq!(kept.answers["12786270"], ["Other"]);
}

#[tokio::test]
async fn no_survey_is_none_both_ways_and_a_malformed_one_is_a_decode_error() {
    for mode in [NoSurvey::Null, NoSurvey::NotFound] {
        let sim = start(cfg(SurveyValues::Strings, false, mode)).await;
        let extras = ChatExtras {
            survey: SurveyMode::None,
            ..ChatExtras::default()
        };
        let (s, _key, chat) = taken(&sim, extras).await;
        let got = s.survey(&chat, &SurveyQuery::default()).await.unwrap();
        assert_eq!(got, None, "{mode:?}");
        sim.shutdown().await;
    }
    let sim = start(cfg(SurveyValues::Strings, false, NoSurvey::Null)).await;
    let extras = ChatExtras {
        survey: SurveyMode::Malformed,
        ..ChatExtras::default()
    };
    let (s, _key, chat) = taken(&sim, extras).await;
    let e = s.survey(&chat, &SurveyQuery::default()).await.unwrap_err();
    assert!(matches!(e, ApiError::Decode { status: 200, .. }), "{e:?}");
}

#[tokio::test]
async fn authenticated_visitor_extended_info_found_and_unknown() {
    let sim = start(cfg(SurveyValues::Strings, false, NoSurvey::Null)).await;
    let extras = ChatExtras {
        customer: Some(simulator::demo_customer(0)),
        ..ChatExtras::default()
    };
    let (s, key, chat) = taken(&sim, extras).await;
    let info = s.chat_info(&chat).await.unwrap();
    let pid = info.participant_id.expect("an SSO visitor");
    assert_eq!(Some(pid.clone()), sim.participant_id(&key).await.unwrap());
    let from_chat = s.chat(&chat).await.unwrap().info.unwrap().participant_id;
    assert_eq!(from_chat.as_deref(), Some(pid.as_str()));
    let p = s.participant_info(&pid).await.unwrap();
    let a = p.authenticated_participant_info.unwrap();
    assert_eq!(a.participant_id.as_deref(), Some(pid.as_str()));
    assert_eq!(a.is_user_authenticated, Some(true));
    assert_eq!(a.customer_type.as_deref(), Some("vip"));
    assert!(a.balance.is_some());
    assert!(a.registration_date.unwrap().year.is_some());
    let personal = p.authenticated_personal_info.unwrap();
    assert!(personal.name.is_some());
    assert!(personal.contacts.iter().any(|c| c.email.is_some()));
    let e = s.participant_info("no-such-participant").await.unwrap_err();
    assert_eq!(e.status(), Some(404));
}

#[tokio::test]
async fn rich_content_both_ways() {
    let sim = start(cfg(SurveyValues::Strings, false, NoSurvey::Null)).await;
    let (s, key, chat) = taken(&sim, ChatExtras::default()).await;
    let card = json!({"type": "vertical", "elements": [{"type": "text", "text": "Your order"},
        {"type": "button", "title": "Track", "click": {"actions": [{"type": "link", "uri": "https://example.com/t"}]}}]});
    let sent = s
        .add_line(&chat, &NewLine::rich("Your order", card.clone()))
        .await
        .unwrap();
    sim.visitor_rich_line(&key, "Pick one", json!({"type": "hologram"}))
        .await
        .unwrap();
    sim.visitor_rich_line(&key, "odd", json!("not a card"))
        .await
        .unwrap();
    let full = s.chat(&chat).await.unwrap();
    let rich: Vec<(i64, Line)> = full
        .events
        .event
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line(l) if l.text_type == TextType::RichContent => Some((e.id, l.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(rich.len(), 3);
    assert_eq!(Some(rich[0].0), sent.event_id);
    assert_eq!(rich[0].1.json, Some(card));
    assert_eq!(rich[0].1.source, Source::Agent);
    assert_eq!(rich[1].1.source, Source::Visitor);
    assert_eq!(rich[1].1.json, Some(json!({"type": "hologram"})));
    assert_eq!(rich[2].1.json, Some(json!("not a card")));
    // the multi-chat poll carries the cards too
    let slots = s.chats_data(&[(key.as_str(), 0)]).await.unwrap();
    let polled = slots[0].chat.as_ref().unwrap();
    let cards = polled
        .events
        .event
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Line(l) if l.json.is_some()))
        .count();
    assert_eq!(cards, 3);
}
