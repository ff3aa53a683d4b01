//! Every JSON sample of the spec and the seeds, decoded as sent, with one-element lists as bare
//! objects, and with every list as an array (`always_arrays`).

use crate::common::{always_arrays, bare_singletons, fixture};
use chat_agent_api::decode::{FlexI64, Limit, OneOrMany};
use chat_agent_api::model::*;
use chat_agent_api::{
    AvailabilityState, ChatState, EventKind, QuestionType, Source, SubType, SurveyAnswer,
    SystemMessage, TextType, Typing, ValidationType,
};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// Decodes a fixture in its own shape and both list shapes; all three must agree.
fn all_shapes<T: DeserializeOwned + PartialEq + Debug>(name: &str) -> T {
    let raw = fixture(name);
    let as_sent: T = chat_agent_api::decode::decode_json(&raw, 200)
        .unwrap_or_else(|e| panic!("{name} as sent: {e}"));
    let value: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let bare: T = serde_json::from_value(bare_singletons(&value))
        .unwrap_or_else(|e| panic!("{name} bare: {e}"));
    let arrays: T = serde_json::from_value(always_arrays(&value))
        .unwrap_or_else(|e| panic!("{name} arrays: {e}"));
    assert_eq!(as_sent, bare, "{name}: bare-object shape differs");
    assert_eq!(as_sent, arrays, "{name}: always-arrays shape differs");
    as_sent
}

#[test]
fn seed_000_multi_chat() {
    let r: ChatsResponse = all_shapes("seed_000_multi_chat.json");
    let chats = r.chats.unwrap().chat.into_vec();
    assert_eq!(chats.len(), 1);
    let c = &chats[0];
    assert_eq!(c.link.len(), 8);
    assert!(c.link.rel("next").unwrap().ends_with("?from=214"));
    assert!(c.link.rel("agent-survey").unwrap().ends_with("/survey"));
    let ev = c.events.event.as_slice();
    assert_eq!(
        ev.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    assert_eq!(ev[0].kind, EventKind::State(ChatState::Waiting));
    assert_eq!(ev[0].time.unwrap().epoch_ms(), 1_440_947_162_000);
    assert_eq!(ev[1].time.unwrap().epoch_ms(), 1_440_947_162_001);
    let EventKind::Line(l3) = &ev[3].kind else {
        panic!("line")
    };
    assert_eq!(l3.text, "You are now chatting with Agent Nick.");
    assert_eq!(l3.system_message, Some(SystemMessage::Accepted));
    assert_eq!(l3.source, Source::System);
    assert_eq!(l3.sub_type, Some(SubType::Regular));
    assert_eq!(l3.text_type, TextType::Plain);
    let EventKind::Line(l4) = &ev[4].kind else {
        panic!("line")
    };
    assert_eq!(l4.text, "", "empty system line kept");
    assert_eq!(l4.system_message, Some(SystemMessage::Routing));
    let info = c.info.as_ref().unwrap();
    assert_eq!(info.state, Some(ChatState::Chatting));
    assert_eq!(info.agent_id, Some(2));
    assert_eq!(info.visitor_id, Some(1_222_309_710_121));
    assert_eq!(info.rt_session_id, Some(4_294_992_744));
    assert_eq!(info.chat_timeout, Some(40));
    assert_eq!(info.agent_typing, Some(Typing::NotTyping));
    assert_eq!(
        info.link
            .rel("visitor-name")
            .map(|h| h.ends_with("/info/visitorName")),
        Some(true)
    );
    assert_eq!(
        info.chat_session_key.as_deref(),
        Some("H4709474615328845423-2767456311409308813K8414056")
    );
}

#[test]
fn seed_003_chat_sessions() {
    let r: ChatSessionsResponse = all_shapes("seed_003_chat_sessions.json");
    let list = r.chat_sessions.unwrap().chat_session.into_vec();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].start_time.unwrap().epoch_ms(), 1_440_934_609_097);
    assert!(list[0].link.rel("chat-session").is_some());
    assert_eq!(
        list[0].chat_session_key.as_deref(),
        Some("H31879676690579736-632532233958645150K8414055")
    );
}

#[test]
fn spec_3_1_lookups() {
    let one: LookupResponse = all_shapes("spec_3_1_domain_api.json");
    assert_eq!(
        one.base_uri_of("agentVep"),
        Some("exampleDomain.liveperson.net")
    );
    let many: LookupResponse = all_shapes("spec_3_1_all_services.json");
    assert_eq!(many.base_uri_of("agentVep"), Some("x.liveperson.net"));
    assert_eq!(many.base_uri_of("other"), None);
}

#[test]
fn spec_3_2_login() {
    let raw = fixture("spec_3_2_login.json");
    let r: LoginResponse = chat_agent_api::decode::decode_json(&raw, 200).unwrap();
    assert_eq!(r.bearer.expose(), "9cf6ee24…");
    assert_eq!(r.csrf.expose(), "d5d07326…");
    assert_eq!(r.session_ttl_ms, Some(28_800_000));
    assert_eq!(r.config.user_id.as_deref(), Some("3705342610"));
    assert_eq!(r.config.server_current_time, Some(1_474_549_184_722));
    let csds = r.csds.unwrap();
    assert_eq!(csds.base_uris.len(), 1);
    assert_eq!(csds.base_uris.as_slice()[0].base_uri, "domain.domain.net");
    let dbg = format!("{:?}", {
        let r2: LoginResponse = serde_json::from_str(&raw).unwrap();
        r2
    });
    assert!(!dbg.contains("9cf6ee24"), "{dbg}");
    // bare-singleton shape too
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let bare: LoginResponse = serde_json::from_value(bare_singletons(&v)).unwrap();
    assert_eq!(bare.csds.unwrap().base_uris.len(), 1);
}

#[test]
fn spec_4_1_and_4_10_and_4_15_and_4_16_locations() {
    let r: AgentSessionLocationResponse = all_shapes("spec_4_1_agent_session_location.json");
    assert!(
        r.agent_session_location
            .href()
            .unwrap()
            .ends_with("/agentSession/1027882276")
    );
    let r: LocationResponse = all_shapes("spec_4_10_chat_location.json");
    assert!(r.href().unwrap().ends_with("K8457415"));
    let r: LocationResponse = all_shapes("spec_4_15_chat_event_location.json");
    assert!(r.chat_event_location.is_some() && r.href().unwrap().ends_with("/events/5"));
    let r: LocationResponse = all_shapes("spec_4_16_end_chat_location.json");
    assert!(r.chat_location.is_some() && r.href().unwrap().ends_with("/events/{n}"));
}

#[test]
fn spec_4_2_agent_session_resource() {
    let r: AgentSessionResource = all_shapes("spec_4_2_agent_session_inf.json");
    assert_eq!(
        r.agent_session.link.rel("chat-sessions"),
        Some("{S}/chatSessions")
    );
    assert_eq!(r.agent_session.link.len(), 6);
}

#[test]
fn spec_4_4_and_4_5_availability() {
    let r: AvailabilityResponse = all_shapes("spec_4_4_availability.json");
    assert_eq!(r.availability.chat, AvailabilityState::Online);
    assert_eq!(r.availability.voice, Some(AvailabilityState::Offline));
    let r: AvailabilityResponse = all_shapes("spec_4_5_set_availability_echo_inf.json");
    assert_eq!(r.availability.chat, AvailabilityState::Online);
    let r: AvailabilityResponse = all_shapes("spec_4_5_set_availability_request_2.json");
    assert_eq!(r.availability.chat, AvailabilityState::Away);
    assert_eq!(r.availability.chat_reason_id.as_deref(), Some("123"));
}

#[test]
fn spec_4_6_agent_info() {
    let r: AgentInfoResponse = all_shapes("spec_4_6_agent_info.json");
    let i = r.info;
    assert_eq!(i.id, Some(25_025_413));
    assert_eq!(i.max_chats, Some(Limit::Unlimited));
    assert_eq!(i.login_name.as_deref(), Some("John@company.com"));
    let skills = i.skills_info.unwrap().skill_info.into_vec();
    assert_eq!(
        skills.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Sales", "Billing"]
    );
    assert_eq!(skills[1].id, 26_060_413);
    assert_eq!(i.link.rel("self"), Some("{S}/info"));
}

#[test]
fn spec_4_7_available_agents() {
    let r: AvailableAgentsResponse = all_shapes("spec_4_7_available_agents.json");
    let a = r.available_agents.list();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0].chat_state, Some(AvailabilityState::Online));
    assert_eq!(a[1].chat_state, Some(AvailabilityState::Offline));
    assert_eq!(a[0].max_chats, Some(Limit::Unlimited));
    assert_eq!(a[1].max_chats, Some(Limit::Max(4)));
    assert_eq!(a[2].max_chats, Some(Limit::Max(0)));
    assert_eq!(
        a[0].skills.as_ref().unwrap().skill,
        OneOrMany(vec![FlexI64(25_975_313), FlexI64(26_060_413)])
    );
    assert_eq!(
        a[1].skills.as_ref().unwrap().skill,
        OneOrMany(vec![FlexI64(25_975_313)])
    );
    assert_eq!(a[1].skills_info.as_ref().unwrap().skill_info.len(), 1);
    assert_eq!(a[2].skills, None, "null skills");
    assert_eq!(a[2].skills_info, None);
    assert_eq!(a[0].chats, Some(1));
    assert_eq!(a[1].chats, None, "missing chats = none");
    assert_eq!(a[0].elapsed_time_in_state, Some(908_445));
    assert_eq!(a[0].agent_group_id, Some(-1));
    assert!(
        r.available_agents
            .link
            .rel("next")
            .unwrap()
            .contains("timeStamp=1331544926464")
    );
}

#[test]
fn spec_4_8_and_4_9_counts() {
    let r: AvailableSlotsResponse = all_shapes("spec_4_8_available_slots.json");
    assert_eq!(r.available_slots, Limit::Max(1));
    let r: IncomingRequestsResponse = all_shapes("spec_4_9_incoming_requests.json");
    assert_eq!(r.incoming_requests.ringing_count, 0);
    assert!(r.incoming_requests.link.is_empty());
    let r: IncomingRequestsResponse = all_shapes("spec_4_9_incoming_requests_ringing_inf.json");
    assert_eq!(r.incoming_requests.ringing_count, 1);
    assert_eq!(
        r.incoming_requests.link.first_href(),
        Some("{S}/incomingRequests")
    );
}

#[test]
fn spec_4_11_chat_sessions() {
    let r: ChatSessionsResponse = all_shapes("spec_4_11_chat_sessions.json");
    let l = r.chat_sessions.unwrap().chat_session.into_vec();
    assert_eq!(l[0].start_time.unwrap().epoch_ms(), 1_440_934_609_097);
    assert_eq!(l[0].link.rel("chat-session"), Some("{S}/chat/{chatId}"));
}

#[test]
fn spec_4_12_chat_resource() {
    let r: ChatResponse = all_shapes("spec_4_12_chat_repaired.json");
    let c = r.chat;
    assert_eq!(c.link.len(), 9);
    assert_eq!(c.events.next(), Some("{C}/events?from=4"));
    assert_eq!(c.link.rel("next"), Some("{C}?from=4"));
    assert_eq!(c.events.event.len(), 4);
    assert_eq!(c.events.last_id(), Some(3));
    let EventKind::Line(l) = &c.events.event.as_slice()[1].kind else {
        panic!("line")
    };
    assert_eq!(l.system_message, Some(SystemMessage::Routing));
    assert_eq!(l.by, "info");
    assert_eq!(
        c.events.event.as_slice()[2].kind,
        EventKind::State(ChatState::Chatting)
    );
    let t = c.events.event.as_slice()[0].time.unwrap();
    assert_eq!(t.epoch_ms(), 1_517_231_983_963);
    let info = c.info.unwrap();
    assert_eq!(info.rt_session_id, Some(4_295_036_103));
    assert_eq!(info.visitor_id, Some(1_215_602_164_887_992));
    assert_eq!(info.agent_name.as_deref(), Some("Barber"));
    assert_eq!(c.error, None);
}

#[test]
fn spec_4_13_multi_chat() {
    let r: ChatsResponse = all_shapes("spec_4_13_chats_repaired.json");
    let c = &r.chats.unwrap().chat.into_vec()[0];
    assert_eq!(
        c.events.event.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![0, 3, 4]
    );
    assert_eq!(c.info.as_ref().unwrap().link.len(), 0);
    assert_eq!(c.info.as_ref().unwrap().rt_session_id, Some(4_294_992_744));
}

#[test]
fn spec_4_17_to_4_21_info_and_typing() {
    let r: ChatInfoResponse = all_shapes("spec_4_17_chat_info.json");
    assert_eq!(r.info.link.len(), 4);
    assert_eq!(r.info.agent_id, Some(311_098_910));
    assert_eq!(r.info.duration, Some(0));
    assert!(r.info.last_update > r.info.start_time);
    let r: VisitorNameResponse = all_shapes("spec_4_18_visitor_name_inf.json");
    assert_eq!(r.visitor_name, "visitor");
    let r: TypingResponse = all_shapes("spec_4_19_agent_typing_inf.json");
    assert_eq!(r.agent_typing, Some(Typing::NotTyping));
    let r: TypingResponse = all_shapes("spec_4_20_set_agent_typing.json");
    assert_eq!(r.agent_typing, Some(Typing::Typing));
    let r: TypingResponse = all_shapes("spec_4_21_visitor_typing.json");
    assert_eq!(r.visitor_typing, Some(Typing::Typing));
}

#[test]
fn spec_4_22_transfer_skills() {
    let r: TransferSkillsResponse = all_shapes("spec_4_22_transfer_skills.json");
    let s = r.transfer.unwrap().skill.into_vec();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].id, 25_975_313);
    assert_eq!(s[0].online_agents, Some(1));
    assert_eq!(s[1].name, "Billing");
}

#[test]
fn spec_4_25_survey() {
    let r: SurveyResponse = all_shapes("spec_4_25_survey.json");
    let s = r.survey.unwrap();
    let q = s.all_questions();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].id, "12786273");
    assert_eq!(q[0].question_type, Some(QuestionType::DropdownBox));
    assert_eq!(q[0].validation_type, Some(ValidationType::AlphaNumeric));
    assert_eq!(q[1].logic_id.as_deref(), Some("5"));
    assert_eq!(q[0].mandatory, Some(true));
    assert_eq!(q[0].order, Some(0));
    assert_eq!(q[0].entry.len(), 2);
    assert_eq!(q[0].entry.as_slice()[0].checked, Some(false));
    assert_eq!(
        q[0].entry.as_slice()[0]
            .logic
            .as_ref()
            .unwrap()
            .show_logic_id
            .as_deref(),
        Some("5")
    );
    assert_eq!(q[1].last_known_value.as_deref(), Some("John"));
    assert_eq!(q[1].question_type, Some(QuestionType::TextField));
    // show-logic: DOGS hides "What is your name?", CATS shows it
    assert_eq!(s.shown_questions(&[]).len(), 1);
    let cats = [SurveyAnswer::one("12786273", "CATS")];
    assert_eq!(s.shown_questions(&cats).len(), 2);
}

#[test]
fn spec_4_27_participant_info() {
    let r: ParticipantInfo = all_shapes("spec_4_27_participant_info.json");
    let p = r.authenticated_participant_info.unwrap();
    assert_eq!(p.is_user_authenticated, Some(true));
    assert_eq!(p.balance, Some(-400.99));
    assert_eq!(p.registration_date.unwrap().month, Some(5));
    let pi = r.authenticated_personal_info.unwrap();
    assert_eq!(pi.contacts.len(), 1);
    assert_eq!(
        pi.contacts.as_slice()[0].phone.as_deref(),
        Some("+1-10-344")
    );
}

#[test]
fn spec_error_bodies() {
    use chat_agent_api::ErrorBody;
    let ErrorBody::Json(j) = ErrorBody::parse(&fixture("spec_3_2_error.json")) else {
        panic!("json")
    };
    assert_eq!(j.internal_code, Some(10));
    assert_eq!(j.response_status.as_deref(), Some("UNAUTHORIZED"));
    assert!(j.message.unwrap().starts_with("CSRF token invalid!"));
    for (name, problem) in [
        ("spec_4_9_oauth_error.txt", "token_rejected"),
        ("spec_4_1_oauth_error.txt", "signature_invalid"),
    ] {
        match ErrorBody::parse(&fixture(name)) {
            ErrorBody::OAuth { problem: p, advice } => {
                assert_eq!(p, problem);
                assert!(advice.unwrap().starts_with("the oauth_"));
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}
