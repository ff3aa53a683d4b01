//! Agent survey (spec §4.25/4.26): both flavours, the list quirk, no survey, submissions.

use crate::common::*;
use serde_json::{Value, json};
use simulator::{ChatExtras, NoSurvey, SimConfig, SurveyMode, SurveyValues};

fn cfg(values: SurveyValues, arrays: bool, no_survey: NoSurvey) -> SimConfig {
    SimConfig {
        background_timers: false,
        always_arrays: arrays,
        survey_values: values,
        no_survey,
        ..SimConfig::default()
    }
}

/// ann takes a Sales chat; returns (agent, chat url, key).
async fn taken(sim: &simulator::Simulator, extras: ChatExtras) -> (Agent, String, String) {
    let ann = Agent::start(sim, "ann").await;
    let key = sim
        .start_chat_with(chat_req("Sales", "Vera"), extras)
        .await
        .unwrap();
    let chat = ann.take().await;
    (ann, chat, key)
}

fn questions(v: &Value) -> Vec<Value> {
    many(&v["survey"]["questions"]["question"])
}

#[tokio::test]
async fn structure_in_both_flavours_and_list_shapes() {
    for (values, arrays) in [
        (SurveyValues::Strings, false),
        (SurveyValues::Typed, false),
        (SurveyValues::Strings, true),
    ] {
        let sim = sim_with(cfg(values, arrays, NoSurvey::Null)).await;
        let (ann, chat, _) = taken(&sim, ChatExtras::default()).await;
        let (s, v) = ann.get(&format!("{chat}/survey")).await;
        assert_eq!(s, 200, "{v}");
        let qs = questions(&v);
        assert_eq!(qs.len(), 5, "{v}");
        let reason = &qs[0];
        assert_eq!(reason["label"], "Contact reason");
        assert_eq!(reason["type"], "Dropdown Box");
        let follow = &qs[2];
        assert_eq!(follow["type"], "Checkbox");
        // the checkbox has one entry: a bare object under the quirk, an array without it
        assert_eq!(follow["entry"].is_array(), arrays, "{follow}");
        let email = &qs[3];
        assert_eq!(email["validationType"], "email");
        assert_eq!(qs[4]["validationType"], "numeric");
        assert_eq!(qs[4]["lastKnownValue"], "100245");
        let show = &many(&follow["entry"])[0]["logic"]["showLogicId"];
        match values {
            SurveyValues::Strings => {
                assert_eq!(reason["mandatory"], "true");
                assert_eq!(reason["order"], "0");
                assert_eq!(reason["id"], "12786270");
                assert_eq!(many(&reason["entry"])[0]["checked"], "false");
                assert_eq!(*show, json!("4"));
                assert_eq!(email["logicId"], "4");
            }
            SurveyValues::Typed => {
                assert_eq!(reason["mandatory"], true);
                assert_eq!(reason["order"], 0);
                assert_eq!(reason["id"], 12786270);
                assert_eq!(many(&reason["entry"])[0]["checked"], false);
                assert_eq!(*show, json!(4));
                assert_eq!(email["logicId"], 4);
            }
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn no_survey_is_null_or_404_and_malformed_on_request() {
    for (mode, want) in [(NoSurvey::Null, 200), (NoSurvey::NotFound, 404)] {
        let sim = sim_with(cfg(SurveyValues::Strings, false, mode)).await;
        let extras = ChatExtras {
            survey: SurveyMode::None,
            ..ChatExtras::default()
        };
        let (ann, chat, _) = taken(&sim, extras).await;
        let (s, v) = ann.get(&format!("{chat}/survey")).await;
        assert_eq!(s, want, "{v}");
        if want == 200 {
            assert_eq!(v, json!({"survey": null}));
        } else {
            assert_eq!(v["error"]["responseStatus"], "NOT_FOUND");
        }
        sim.shutdown().await;
    }
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let ann = Agent::start(&sim, "ann").await;
    let r: Value = reqwest::Client::new()
        .post(format!("{b}/_sim/chats"))
        .json(&json!({"visitorName": "Vera", "survey": "malformed"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r["chatSessionKey"].is_string(), "{r}");
    let chat = ann.take().await;
    let (s, v) = ann.get(&format!("{chat}/survey")).await;
    assert_eq!(s, 200);
    assert!(questions(&v)[0]["id"].is_array(), "{v}");
    let bad = reqwest::Client::new()
        .post(format!("{b}/_sim/chats"))
        .json(&json!({"survey": "sometimes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn submissions_are_checked_and_kept_after_the_chat_ended() {
    let sim = sim().await;
    let (ann, chat, key) = taken(&sim, ChatExtras::default()).await;
    let url = format!("{chat}/survey");
    assert_eq!(sim.survey_answers(&key).await.unwrap(), None);
    // the chat ends first: the survey is the wrap-up
    let (s, _) = ann
        .post(
            &format!("{chat}/events"),
            json!({"event": {"@type": "state", "state": "ended"}}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(ann.get(&url).await.0, 200, "readable after the end");

    let bad_cases = [
        // mandatory "Resolved?" missing
        (
            json!([{"@id": "12786270", "answer": "Pricing"}]),
            "12786271",
        ),
        // not one of the entries
        (
            json!([{"@id": "12786270", "answer": "Cats"}, {"@id": "12786271", "answer": "Yes"}]),
            "12786270",
        ),
        // show-logic: follow-up ticked, so the email is mandatory
        (
            json!([{"@id": "12786270", "answer": "Pricing"}, {"@id": "12786271", "answer": "No"},
                   {"@id": "12786272", "answer": "Yes"}]),
            "12786273",
        ),
        // bad email
        (
            json!([{"@id": "12786270", "answer": "Pricing"}, {"@id": "12786271", "answer": "No"},
                   {"@id": "12786272", "answer": ["Yes"]}, {"@id": "12786273", "answer": "vera at x"}]),
            "12786273",
        ),
        // not numeric
        (
            json!([{"@id": "12786270", "answer": "Pricing"}, {"@id": "12786271", "answer": "No"},
                   {"@id": "12786274", "answer": "A-100"}]),
            "12786274",
        ),
        // unknown question
        (json!({"id": 999, "answer": "x"}), "999"),
        // two answers to a radio button
        (
            json!([{"@id": "12786270", "answer": "Pricing"}, {"@id": "12786271", "answer": ["Yes", "No"]}]),
            "12786271",
        ),
    ];
    for (qs, culprit) in bad_cases {
        let (s, v) = ann.put(&url, json!({"survey": {"question": qs}})).await;
        assert_eq!(s, 400, "{qs}: {v}");
        assert_eq!(v["error"]["questionId"], culprit, "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(culprit),
            "{v}"
        );
        assert_eq!(
            sim.survey_answers(&key).await.unwrap(),
            None,
            "nothing kept"
        );
    }
    let (s, _) = ann.put(&url, json!({"nothing": 1})).await;
    assert_eq!(s, 400);

    // good: plain `id`, a number, one answer as a list
    let good = json!({"survey": {"question": [
        {"id": 12786270, "answer": "Pricing"},
        {"@id": "12786271", "answer": ["Yes"]},
        {"@id": "12786272", "answer": "Yes"},
        {"@id": "12786273", "answer": "vera@example.com"},
        {"@id": "12786274", "answer": 100245}
    ]}});
    let (s, v) = ann.put(&url, good).await;
    assert_eq!(s, 200, "{v}");
    let kept = sim.survey_answers(&key).await.unwrap().unwrap();
    assert_eq!(kept.survey_id, "40216");
    assert_eq!(kept.submissions, 1);
    assert_eq!(kept.answers["12786273"], vec!["vera@example.com"]);
    assert_eq!(kept.answers["12786274"], vec!["100245"]);

    // a second submission replaces the first; the control route shows it
    let (s, _) = ann
        .put(
            &url,
            json!({"survey": {"question": {"@id": "12786270", "answer": "Delivery"}}}),
        )
        .await;
    assert_eq!(s, 400, "one object: still needs the mandatory radio");
    let second = json!({"survey": {"question": [
        {"@id": "12786270", "answer": "Delivery"}, {"@id": "12786271", "answer": "Partly"}
    ]}});
    assert_eq!(ann.put(&url, second).await.0, 200);
    let v: Value = reqwest::get(format!("{}/_sim/chats/{key}/survey", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["submissions"], 2);
    assert_eq!(
        v["answers"],
        json!({"12786270": ["Delivery"], "12786271": ["Partly"]})
    );
    assert!(v["submittedAt"].is_i64());
    assert_eq!(v["surveyId"], "40216");
    let none: Value = reqwest::get(format!("{}/_sim/chats/nope/survey", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(none["error"].is_string());
}

#[tokio::test]
async fn each_skill_has_its_own_survey_and_the_control_route_starts_null() {
    let sim = sim().await;
    let cho = Agent::start(&sim, "cho").await;
    let key = sim.start_chat(chat_req("Support", "Omar")).await.unwrap();
    let chat = cho.take().await;
    let (_, v) = cho.get(&format!("{chat}/survey")).await;
    assert_eq!(v["survey"]["header"], "Support wrap-up");
    assert_eq!(questions(&v)[4]["label"], "Ticket number");
    let r = reqwest::get(format!("{}/_sim/chats/{key}/survey", sim.base_url()))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), Value::Null);
}
