//! The client against the simulator over loopback: every method, with quirks on and with
//! `always_arrays: true`.

use crate::common::sim::{configs, login, start};
use chat_agent_api::retry::{Decision, RequestKind, RetryContext, decide};
use chat_agent_api::*;
use simulator::StartChat;
use std::time::Duration;
use url::Url;

fn vera(text: &str) -> StartChat {
    StartChat {
        skill: Some("Sales".into()),
        visitor_name: "Vera".into(),
        text: Some(text.into()),
    }
}

fn lines(events: &[Event]) -> Vec<(String, Source)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line(l) => Some((l.text.clone(), l.source.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn domain_lookup_all_three_forms() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let want = Url::parse(&format!("{}/", sim.base_url())).unwrap();
        for form in [
            LookupForm::DomainApi,
            LookupForm::Csdr,
            LookupForm::AllServices,
        ] {
            let c = crate::common::sim::client(&sim, Duration::from_secs(5));
            let got = c.lookup_domain_with(form).await.unwrap();
            assert_eq!(got, want, "{form:?}");
            let scheme = if sim.is_tls() { "https" } else { "http" };
            assert_eq!(got.scheme(), scheme, "loopback keeps the lookup scheme");
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn login_refresh_logout_user_and_app_key() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let c = crate::common::sim::client(&sim, Duration::from_secs(5));
        let login = c
            .login(&Credentials::user("ann", "ann-pass"))
            .await
            .unwrap();
        assert!(!login.bearer().expose().is_empty());
        assert_eq!(login.session_ttl(), Some(Duration::from_secs(8 * 3600)));
        assert!(
            login.has_session_cookie(),
            "Session_id cookie kept in the login's jar"
        );
        c.refresh(&login).await.unwrap();
        c.logout(&login).await.unwrap();
        let after = c.refresh(&login).await.unwrap_err();
        assert!(after.status().is_some_and(|s| s >= 400), "{after:?}");

        let bad = c
            .login(&Credentials::user("ann", "wrong"))
            .await
            .unwrap_err();
        assert_eq!(bad.status(), Some(401), "{bad:?}");
        assert!(bad.is_auth());

        let bot = Credentials::AppKey {
            username: "bot".into(),
            app_key: "demo-app-key".into(),
            secret: Password::new("demo-secret"),
            access_token: "demo-access-token".into(),
            access_token_secret: Password::new("demo-access-secret"),
        };
        let login = c.login(&bot).await.unwrap();
        let s = c.start_agent_session(&login).await.unwrap();
        let info = s.info().await.unwrap();
        assert_eq!(info.id, Some(5009));
        assert_eq!(info.max_chats, Some(Limit::Unlimited));
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn agent_level_methods() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _login, s) = login(&sim, "ann").await;
        assert!(!s.id().is_empty() && s.id().chars().all(|c| c.is_ascii_digit()));
        let res = s.resource().await.unwrap();
        assert!(res.agent_session.link.rel("self").is_some());

        s.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        assert_eq!(
            s.availability().await.unwrap().chat,
            AvailabilityState::Online
        );
        s.set_availability(&AvailabilityState::Away, Some("123"))
            .await
            .unwrap();
        let a = s.availability().await.unwrap();
        assert_eq!(a.chat, AvailabilityState::Away);
        assert_eq!(sim.agent_availability("ann").await.unwrap(), "Away");
        s.set_availability(&AvailabilityState::Occupied, None)
            .await
            .unwrap();
        assert_eq!(sim.agent_availability("ann").await.unwrap(), "Occupied");
        s.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();

        let info = s.info().await.unwrap();
        assert_eq!(info.id, Some(5001));
        assert_eq!(info.login_name.as_deref(), Some("ann"));
        assert_eq!(info.max_chats, Some(Limit::Max(4)));
        let skills: Vec<String> = info
            .skills_info
            .unwrap()
            .skill_info
            .iter()
            .map(|s| s.name.clone())
            .collect();
        assert_eq!(skills, ["Sales", "Billing"]);

        let all = s.available_agents(&AgentsQuery::default()).await.unwrap();
        let by_name = |n: &str| {
            all.list()
                .iter()
                .find(|a| a.user_name.as_deref() == Some(n))
                .cloned()
                .unwrap_or_else(|| panic!("{n} listed"))
        };
        assert_eq!(by_name("cho").max_chats, Some(Limit::Unlimited));
        assert_eq!(by_name("dee").max_chats, Some(Limit::Max(0)));
        assert_eq!(by_name("ann").chat_state, Some(AvailabilityState::Online));
        assert_eq!(by_name("ben").chat_state, Some(AvailabilityState::Offline));
        assert_eq!(by_name("ben").skills.unwrap().skill.len(), 1);
        let online = s
            .available_agents(&AgentsQuery {
                chat_state: Some(AvailabilityState::Online),
                ..AgentsQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(online.list().len(), 1, "only ann is online");

        let slots = s
            .available_slots(&SlotsQuery::Skill {
                name: "Sales".into(),
                max_wait_time: 60,
            })
            .await
            .unwrap();
        assert!(matches!(slots, Limit::Max(n) if n >= 1), "{slots:?}");
        let slots = s
            .available_slots(&SlotsQuery::Agent("ann".into()))
            .await
            .unwrap();
        assert_eq!(slots, Limit::Max(4));

        let ring = s.incoming_requests().await.unwrap();
        assert_eq!(ring.ringing_count, 0);
        assert_eq!(s.take_chat().await.unwrap(), None, "nothing to take");
        assert!(s.chat_sessions().await.unwrap().chat_session.is_empty());

        let p = s.participant_info("no-such-participant").await.unwrap_err();
        assert_eq!(p.status(), Some(404));
        s.close().await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn chat_flow_every_chat_method() {
    for cfg in configs() {
        let arrays = cfg.always_arrays;
        let sim = start(cfg).await;
        let (_c, _login, s) = login(&sim, "ann").await;
        s.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        let key = sim.start_chat(vera("hi there")).await.unwrap();

        let ring = s.incoming_requests().await.unwrap();
        assert_eq!(ring.ringing_count, 1, "arrays={arrays}");
        let chat = s.take_chat().await.unwrap().expect("a chat to take");
        assert_eq!(chat.key, key);
        assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");

        let full = s.chat(&chat).await.unwrap();
        let ev = full.events.event.as_slice();
        assert_eq!(ev[0].id, 0);
        assert_eq!(ev[0].kind, EventKind::State(ChatState::Waiting));
        assert!(
            ev.iter()
                .any(|e| e.kind == EventKind::State(ChatState::Chatting))
        );
        assert!(lines(ev).contains(&("hi there".into(), Source::Visitor)));
        assert!(ev.iter().all(|e| e.time.is_some()));
        assert!(
            ev.windows(2).all(|w| w[1].id == w[0].id + 1),
            "ids consecutive"
        );
        let next = full.events.next().expect("events next link").to_string();
        let info = full.info.clone().unwrap();
        assert_eq!(info.state, Some(ChatState::Chatting));
        assert_eq!(info.chat_session_key.as_deref(), Some(key.as_str()));

        // nothing new yet: `event` absent (or an empty list)
        let none = s.follow_events(&next).await.unwrap();
        assert!(none.event.is_empty());

        // one new event: a bare object under quirks, a one-element array otherwise
        sim.visitor_line(&key, "one more").await.unwrap();
        let page = s.follow_events(&next).await.unwrap();
        assert_eq!(
            lines(page.event.as_slice()),
            [("one more".to_string(), Source::Visitor)]
        );
        let next = page.next().unwrap().to_string();

        let l1 = s
            .add_line(&chat, &NewLine::plain("Hello Vera"))
            .await
            .unwrap();
        let l2 = s
            .add_line(
                &chat,
                &NewLine::html("<div dir='ltr'>bold <b>move</b></div>"),
            )
            .await
            .unwrap();
        let rich = serde_json::json!({"type":"vertical","elements":[{"type":"text","text":"Hi"}]});
        let l3 = s
            .add_line(&chat, &NewLine::rich("Hi", rich.clone()))
            .await
            .unwrap();
        let l4 = s
            .add_line(&chat, &NewLine::plain("private note").agent_only())
            .await
            .unwrap();
        let ids: Vec<i64> = [&l1, &l2, &l3, &l4]
            .iter()
            .map(|l| l.event_id.unwrap())
            .collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");

        let page = s.follow_events(&next).await.unwrap();
        let got = page.event.as_slice();
        assert_eq!(got.len(), 4, "{got:?}");
        let EventKind::Line(h) = &got[1].kind else {
            panic!("line")
        };
        assert_eq!(h.text_type, TextType::Html);
        let EventKind::Line(r) = &got[2].kind else {
            panic!("line")
        };
        assert_eq!(r.text_type, TextType::RichContent);
        assert_eq!(r.json.as_ref(), Some(&rich));
        let EventKind::Line(p) = &got[3].kind else {
            panic!("line")
        };
        assert_eq!(p.sub_type, Some(SubType::OnlyToRep));
        assert_eq!(p.source, Source::Agent);
        let visitor_sees = serde_json::to_string(&sim.visitor_view(&key).await.unwrap()).unwrap();
        assert!(visitor_sees.contains("Hello Vera"));
        assert!(
            !visitor_sees.contains("private note"),
            "agent-only line hidden"
        );

        // chat_events with `from`
        let from = s.chat_events(&chat, Some(ids[2])).await.unwrap();
        assert_eq!(
            from.event.iter().map(|e| e.id).collect::<Vec<_>>(),
            ids[2..].to_vec()
        );
        let all = s.chat_events(&chat, None).await.unwrap();
        assert_eq!(all.event.as_slice()[0].id, 0);

        // multi-chat: one chat (bare object under quirks), from the last id
        let multi = s.chats_data(&[(key.as_str(), ids[2])]).await.unwrap();
        assert_eq!(multi.len(), 1);
        assert_eq!(multi[0].key.as_deref(), Some(key.as_str()));
        assert!(multi[0].bad_events.is_empty());
        // `fromEventIds` is read either way by servers (spec §4.13): from the id, or after it.
        let got: Vec<i64> = multi[0]
            .chat
            .as_ref()
            .unwrap()
            .events
            .event
            .iter()
            .map(|e| e.id)
            .collect();
        assert!(
            got == ids[2..] || got == ids[3..],
            "{got:?} from {}",
            ids[2]
        );
        // the same chat through the chat resource, as a slot
        let slot = s.chat_resource(&chat).await.unwrap();
        assert_eq!(slot.key.as_deref(), Some(key.as_str()));
        assert_eq!(
            slot.chat.unwrap().events.last_id(),
            Some(ids[3]),
            "whole history"
        );

        // info, name, typing
        let info = s.chat_info(&chat).await.unwrap();
        assert_eq!(info.visitor_name.as_deref(), Some("Vera"));
        assert_eq!(info.agent_id, Some(5001));
        assert_eq!(s.visitor_name(&chat).await.unwrap(), "Vera");
        assert_eq!(s.visitor_typing(&chat).await.unwrap(), Typing::NotTyping);
        sim.visitor_typing(&key, true).await.unwrap();
        assert_eq!(s.visitor_typing(&chat).await.unwrap(), Typing::Typing);
        s.set_agent_typing(&chat, true).await.unwrap();
        assert_eq!(s.agent_typing(&chat).await.unwrap(), Typing::Typing);
        s.set_agent_typing(&chat, false).await.unwrap();
        assert_eq!(s.agent_typing(&chat).await.unwrap(), Typing::NotTyping);

        // survey
        let survey = s
            .survey(&chat, &SurveyQuery::default())
            .await
            .unwrap()
            .unwrap();
        let qs = survey.all_questions();
        assert!(!qs.is_empty());
        // the mandatory questions shown before any answer, each with its first choice
        let answers: Vec<SurveyAnswer> = survey
            .shown_questions(&[])
            .into_iter()
            .filter(|q| q.is_mandatory())
            .map(|q| {
                let first = q.entry.iter().find_map(|e| e.value.clone());
                SurveyAnswer::one(q.id.clone(), first.unwrap_or_else(|| "x".into()))
            })
            .collect();
        s.submit_survey(&chat, &answers).await.unwrap();

        // end
        let end = s.end_chat(&chat).await.unwrap();
        assert!(end.event_id.is_some());
        assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
        let after = s.chat_info(&chat).await.unwrap();
        assert_eq!(after.state, Some(ChatState::Ended), "chat still readable");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn transfer_to_skill_and_agent() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _l, ann) = login(&sim, "ann").await;
        let (_c2, _l2, cho) = login(&sim, "cho").await;
        cho.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        ann.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();

        let key = sim.start_chat(vera("help")).await.unwrap();
        let chat = ann.take_chat().await.unwrap().expect("ann takes");
        assert_eq!(chat.key, key);
        let skills = ann.transfer_skills(&chat).await.unwrap();
        let billing = skills
            .iter()
            .find(|s| s.name == "Billing")
            .expect("Billing offered");
        assert_eq!(billing.id, 1002);
        assert!(billing.online_agents.unwrap_or(0) >= 1);
        ann.transfer(
            &chat,
            TransferTarget::Skill(billing.id),
            Some("needs billing"),
        )
        .await
        .unwrap();
        let ring = cho.incoming_requests().await.unwrap();
        assert_eq!(ring.ringing_count, 1);
        let taken = cho.take_chat().await.unwrap().expect("cho takes");
        assert_eq!(taken.key, key);

        // back to ann by agent id, without text
        cho.transfer(&taken, TransferTarget::Agent(5001), None)
            .await
            .unwrap();
        let back = ann.take_chat().await.unwrap().expect("ann takes it back");
        assert_eq!(back.key, key);
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn chat_sessions_continuity_on_a_second_device() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (c, login1, first) = login(&sim, "ann").await;
        first
            .set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        let key = sim.start_chat(vera("continuity")).await.unwrap();
        first.take_chat().await.unwrap().expect("taken");

        let second = c.start_agent_session(&login1).await.unwrap();
        assert_ne!(second.id(), first.id());
        let list = second.chat_sessions().await.unwrap();
        let entry = list
            .chat_session
            .iter()
            .find(|e| e.chat_session_key.as_deref() == Some(key.as_str()))
            .expect("chat carried over");
        assert!(entry.start_time.is_some());
        let href = entry.link.rel("chat-session").expect("chat-session link");
        let chat = ChatRef::from_href(href).unwrap();
        assert_eq!(chat.key, key);
        second
            .add_line(&chat, &NewLine::plain("from device 2"))
            .await
            .unwrap();
        let view = serde_json::to_string(&sim.visitor_view(&key).await.unwrap()).unwrap();
        assert!(view.contains("from device 2"));
        // the key-built ref addresses the same chat
        let by_key = second.chat_ref(&key).unwrap();
        assert_eq!(
            second
                .chat(&by_key)
                .await
                .unwrap()
                .info
                .unwrap()
                .chat_session_key,
            Some(key)
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn transport_conventions_on_the_wire() {
    let sim = start(configs()[0].clone()).await;
    let (_c, _l, s) = login(&sim, "ann").await;
    s.set_availability(&AvailabilityState::Online, None)
        .await
        .unwrap();
    let key = sim.start_chat(vera("wire")).await.unwrap();
    let chat = s.take_chat().await.unwrap().unwrap();
    let page = s.chat_events(&chat, Some(0)).await.unwrap();
    s.follow_events(page.next().unwrap()).await.unwrap();
    s.set_agent_typing(&chat, true).await.unwrap();
    s.end_chat(&chat).await.unwrap();
    let _ = key;
    let reqs = sim.requests().await;
    assert!(reqs.len() >= 8);
    for r in &reqs {
        assert!(r.method == "GET" || r.method == "POST", "{r:?}");
        if r.path.contains("baseURI") {
            continue;
        }
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(r.query.as_bytes())
            .into_owned()
            .collect();
        assert!(pairs.iter().any(|(k, _)| k == "v"), "{r:?}");
        assert!(pairs.contains(&("NC".into(), "true".into())), "{r:?}");
        if !r.path.ends_with("/login") {
            assert!(pairs.contains(&("v".into(), "1".into())), "{r:?}");
        }
    }
    let puts: Vec<_> = reqs
        .iter()
        .filter(|r| r.override_method.is_some())
        .collect();
    assert!(
        puts.len() >= 2,
        "availability + typing are PUT via override"
    );
    assert!(
        puts.iter()
            .all(|r| r.method == "POST" && r.override_method.as_deref() == Some("PUT"))
    );
    let next_follow = reqs.iter().filter(|r| r.path.ends_with("/events")).count();
    assert!(next_follow >= 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn scheme_rule_refuses_plain_http_elsewhere() {
    let e = ApiClient::new(Url::parse("http://adminlogin.example.com/").unwrap(), "1").unwrap_err();
    assert!(matches!(e, ApiError::InsecureUrl { .. }), "{e:?}");
    assert!(ApiClient::new(Url::parse("https://adminlogin.example.com/").unwrap(), "1").is_ok());
    let sim = start(configs()[0].clone()).await;
    let (_c, _l, s) = login(&sim, "ann").await;
    let e = s
        .follow_events("http://va.example.com/api/x/events?from=1")
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::InsecureUrl { .. }), "{e:?}");
    assert_eq!(
        decide(
            &e,
            RetryContext {
                kind: RequestKind::Read,
                attempt: 1,
                jitter: 0.0
            }
        ),
        Decision::Stop
    );
    let e = ChatRef::from_href("http://10.1.2.3/api/chat/K1").unwrap_err();
    assert!(matches!(e, ApiError::InsecureUrl { .. }));
    sim.shutdown().await;
}

#[tokio::test]
async fn links_are_followed_as_returned_other_host_and_json_suffix() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _l, s) = login(&sim, "ann").await;
        s.set_availability(&AvailabilityState::Online, None)
            .await
            .unwrap();
        let key = sim.start_chat(vera("links")).await.unwrap();
        let chat = s.take_chat().await.unwrap().unwrap();
        let next = s
            .chat(&chat)
            .await
            .unwrap()
            .events
            .next()
            .unwrap()
            .to_string();
        // same server under another host name (spec §9 quirk 11), and the `.json` form
        let other_host = next.replace("127.0.0.1", "localhost");
        let json_form = next.replace("/events?", "/events.json?");
        sim.visitor_line(&key, "after").await.unwrap();
        for href in [&next, &other_host, &json_form] {
            let page = s.follow_events(href).await.unwrap();
            assert_eq!(
                lines(page.event.as_slice()),
                [("after".to_string(), Source::Visitor)],
                "{href}"
            );
            assert!(page.next().is_some());
        }
        // a chat-level `next` link ({C}?from=N) gives the same events
        let chat_next = s
            .chat(&chat)
            .await
            .unwrap()
            .link
            .rel("next")
            .unwrap()
            .to_string();
        let via_chat = s.follow_events(&chat_next).await.unwrap();
        assert!(via_chat.event.is_empty(), "nothing after the last event");
        let c_from = format!("{}?from=0", chat.url);
        assert_eq!(
            s.follow_events(&c_from).await.unwrap().event.as_slice()[0].id,
            0
        );
        sim.shutdown().await;
    }
}
