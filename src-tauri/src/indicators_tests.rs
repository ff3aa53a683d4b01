use super::*;
use engine::events::{ChatLine, ChatOrigin, ChatSummary, TextType};

fn line(chat: &str, id: u64, source: LineSource) -> EngineEvent {
    EngineEvent::Line(ChatLine {
        chat: chat.into(),
        id,
        time: None,
        source,
        by: "visitor".into(),
        text: "hi".into(),
        text_type: TextType::Plain,
        system_message_id: None,
        agent_only: false,
        local_id: None,
        card: None,
        seen_at: None,
        latency_ms: None,
    })
}

fn logged_in() -> Indicators {
    let mut desk = Indicators::default();
    desk.apply(&EngineEvent::Session {
        state: SessionState::LoggedIn,
        agent: None,
    });
    desk.apply(&EngineEvent::Availability {
        availability: Availability::Online,
        reason_id: None,
        by_server: false,
    });
    desk
}

#[test]
fn quiet_desk_has_plain_title() {
    let desk = logged_in();
    assert_eq!(desk.title(), "Agent Desk");
    assert_eq!(desk.tooltip(), "Agent Desk — Online");
    assert_eq!(
        desk.tray_look(),
        TrayLook {
            availability: Availability::Online,
            alert: false
        }
    );
}

#[test]
fn logged_out_desk_shows_offline() {
    let desk = Indicators::default();
    assert_eq!(desk.tooltip(), "Agent Desk — Logged out");
    assert_eq!(desk.tray_look().availability, Availability::Offline);
}

#[test]
fn ringing_and_unread_reach_title_and_tooltip() {
    let mut desk = logged_in();
    let alert = desk.apply(&EngineEvent::Ringing {
        count: 1,
        deadline: 0,
        seconds_left: 18,
        seen_at: None,
    });
    assert_eq!(
        alert,
        Some(Alert::Ringing {
            count: 1,
            seconds_left: 18,
        })
    );
    for id in 1..=3 {
        desk.apply(&line("K1", id, LineSource::Visitor));
    }
    desk.apply(&line("K1", 4, LineSource::Agent));
    assert_eq!(desk.title(), "Agent Desk — 1 ringing, 3 unread");
    assert_eq!(desk.tooltip(), "Agent Desk — Online — 1 ringing, 3 unread");
    assert!(desk.tray_look().alert);
}

#[test]
fn repeated_ringing_notifies_only_when_more_ring() {
    let mut desk = logged_in();
    assert!(
        desk.apply(&EngineEvent::Ringing {
            count: 1,
            deadline: 0,
            seconds_left: 19,
            seen_at: None,
        })
        .is_some()
    );
    assert!(
        desk.apply(&EngineEvent::Ringing {
            count: 1,
            deadline: 0,
            seconds_left: 15,
            seen_at: None,
        })
        .is_none()
    );
    assert!(
        desk.apply(&EngineEvent::Ringing {
            count: 2,
            deadline: 0,
            seconds_left: 14,
            seen_at: None,
        })
        .is_some()
    );
    desk.apply(&EngineEvent::RingingStopped);
    assert_eq!(desk.ringing(), 0);
    assert!(
        desk.apply(&EngineEvent::Ringing {
            count: 1,
            deadline: 0,
            seconds_left: 20,
            seen_at: None,
        })
        .is_some()
    );
}

#[test]
fn lines_in_shown_chats_are_read_while_the_window_has_focus() {
    let mut desk = logged_in();
    desk.show(["K1".into()]);
    desk.set_window_focused(true);
    desk.apply(&line("K1", 1, LineSource::Visitor));
    desk.apply(&line("K2", 1, LineSource::Visitor));
    assert_eq!(desk.unread(), 1);
    desk.set_window_focused(false);
    desk.apply(&line("K1", 2, LineSource::Visitor));
    assert_eq!(desk.unread(), 2);
    desk.set_window_focused(true);
    assert_eq!(desk.unread(), 1);
    desk.show(["K2".into()]);
    assert_eq!(desk.unread(), 0);
}

#[test]
fn every_shown_pane_counts_not_only_the_active_one() {
    let mut desk = logged_in();
    desk.set_window_focused(true);
    desk.show(["K1".into(), "K2".into()]);
    desk.apply(&line("K1", 1, LineSource::Visitor));
    desk.apply(&line("K2", 1, LineSource::Visitor));
    desk.apply(&line("K3", 1, LineSource::Visitor));
    assert_eq!(desk.unread_counts().chats, [("K3".into(), 1)].into());
}

#[test]
fn opening_a_chat_reads_it_even_without_focus() {
    let mut desk = logged_in();
    desk.apply(&line("K1", 1, LineSource::Visitor));
    desk.apply(&line("K2", 1, LineSource::Visitor));
    // The agent opened K1 (a newly shown chat is read) ...
    desk.show(["K1".into()]);
    assert_eq!(desk.unread_counts().chats, [("K2".into(), 1)].into());
    // ... but a line arriving while the window is unfocused waits, also when the panes change.
    desk.apply(&line("K1", 2, LineSource::Visitor));
    desk.show(["K1".into(), "K2".into()]);
    assert_eq!(desk.unread_counts().chats, [("K1".into(), 1)].into());
}

#[test]
fn the_unread_seq_grows_with_every_change_and_only_then() {
    let mut desk = logged_in();
    assert_eq!(desk.unread_counts().seq, 0);
    desk.apply(&line("K1", 1, LineSource::Visitor));
    assert_eq!(desk.unread_counts().seq, 1);
    desk.apply(&line("K1", 2, LineSource::Agent));
    desk.set_window_focused(true);
    desk.show(Vec::<ChatKey>::new());
    assert_eq!(desk.unread_counts().seq, 1);
    desk.show(["K1".into()]);
    assert_eq!(desk.unread_counts().seq, 2);
    desk.apply(&line("K2", 1, LineSource::Visitor));
    desk.apply(&EngineEvent::Session {
        state: SessionState::LoggedOut,
        agent: None,
    });
    // Logging out clears the counts without going back to an older seq.
    assert_eq!(desk.unread_counts().seq, 4);
    assert!(desk.unread_counts().chats.is_empty());
}

#[test]
fn waiting_to_chatting_alerts_with_visitor_name() {
    let mut desk = logged_in();
    desk.apply(&EngineEvent::ChatUpdated {
        summary: ChatSummary {
            chat: "K1".into(),
            state: ChatState::Waiting,
            visitor_name: "Vera".into(),
            agent_name: None,
            skill: Some("Sales".into()),
            start_time: None,
            origin: ChatOrigin::Accepted,
            accepted_at: None,
            chat_timeout: None,
            participant_id: None,
            agents: Vec::new(),
        },
    });
    let first = EngineEvent::ChatStateChanged {
        chat: "K1".into(),
        from: None,
        to: ChatState::Waiting,
    };
    assert_eq!(desk.apply(&first), None);
    let started = EngineEvent::ChatStateChanged {
        chat: "K1".into(),
        from: Some(ChatState::Waiting),
        to: ChatState::Chatting,
    };
    assert_eq!(
        desk.apply(&started),
        Some(Alert::ChatStarted {
            chat: "K1".into(),
            visitor: "Vera".into()
        })
    );
}

#[test]
fn removed_chat_and_logout_clear_counts() {
    let mut desk = logged_in();
    desk.apply(&line("K1", 1, LineSource::Visitor));
    desk.apply(&line("K2", 1, LineSource::Visitor));
    desk.apply(&EngineEvent::ChatRemoved {
        chat: "K1".into(),
        reason: "ended".into(),
    });
    assert_eq!(desk.unread(), 1);
    desk.apply(&EngineEvent::Session {
        state: SessionState::LoggedOut,
        agent: None,
    });
    assert_eq!(desk.unread(), 0);
    assert_eq!(desk.title(), "Agent Desk");
}

#[test]
fn a_visitor_line_the_agent_cannot_see_alerts_even_while_hidden() {
    let mut desk = logged_in();
    desk.show(["K1".to_string()]);
    // Hidden to the tray (never focused): the line alerts.
    let alert = desk.apply(&line("K1", 1, LineSource::Visitor));
    assert!(
        matches!(&alert, Some(Alert::VisitorLine { chat, text, .. }) if chat == "K1" && text == "hi"),
        "{alert:?}"
    );
    // Focused on that chat: read as it comes, no alert.
    desk.set_window_focused(true);
    assert_eq!(desk.apply(&line("K1", 2, LineSource::Visitor)), None);
    // Focused but another chat: alerts.
    assert!(matches!(
        desk.apply(&line("K2", 3, LineSource::Visitor)),
        Some(Alert::VisitorLine { .. })
    ));
    // The agent's own lines never alert.
    desk.set_window_focused(false);
    assert_eq!(desk.apply(&line("K1", 4, LineSource::Agent)), None);
}

#[test]
fn endings_alert_only_while_unfocused_and_connection_alerts_once_each_way() {
    let mut desk = logged_in();
    let ended = EngineEvent::ChatStateChanged {
        chat: "K1".into(),
        from: Some(ChatState::Chatting),
        to: ChatState::Ended,
    };
    assert!(matches!(
        desk.apply(&ended),
        Some(Alert::ChatEnded {
            transferred: false,
            ..
        })
    ));
    let away = EngineEvent::ChatRemoved {
        chat: "K2".into(),
        reason: "transferred".into(),
    };
    assert!(matches!(
        desk.apply(&away),
        Some(Alert::ChatEnded {
            transferred: true,
            ..
        })
    ));
    desk.set_window_focused(true);
    assert_eq!(desk.apply(&ended), None, "with focus the agent sees it");

    let conn = |state| EngineEvent::Connection {
        state,
        retry_at: None,
        detail: None,
    };
    assert_eq!(desk.apply(&conn(ConnectionState::Online)), None);
    assert_eq!(
        desk.apply(&conn(ConnectionState::Retrying)),
        Some(Alert::Connection { lost: true })
    );
    assert_eq!(desk.apply(&conn(ConnectionState::Retrying)), None);
    assert_eq!(
        desk.apply(&conn(ConnectionState::Online)),
        Some(Alert::Connection { lost: false })
    );
    assert_eq!(desk.apply(&conn(ConnectionState::Online)), None);
}
