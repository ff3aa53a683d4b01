use super::*;
use crate::alert_settings::{AlertPrefs, RingTone};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn plan() -> RingPlan {
    RingPlan {
        ring: RingSettings::default(),
        choice: AlertPrefs::default().ring,
        muted: false,
        quiet: false,
    }
}

#[test]
fn escalation_table() {
    let d = RingSettings::default();
    let no_repeat = RingSettings {
        repeat_sound: false,
        ..RingSettings::default()
    };
    let no_attention = RingSettings {
        attention_after_secs: None,
        ..RingSettings::default()
    };
    let no_final = RingSettings {
        final_after_secs: None,
        ..RingSettings::default()
    };
    use Stage::{Attention, Final, Ring};
    // (time left, settings, focused) → (stage, critical, sound, attention)
    let cases: &[(u64, &RingSettings, bool, Stage, bool, bool, bool)] = &[
        (20, &d, false, Ring, false, true, false),
        (13, &d, false, Ring, false, true, false),
        (12, &d, false, Attention, false, true, true),
        (12, &d, true, Attention, false, true, false),
        (6, &d, false, Attention, false, true, true),
        (5, &d, false, Final, true, true, true),
        (5, &d, true, Final, true, true, false),
        (0, &d, false, Final, true, true, true),
        (12, &no_repeat, false, Attention, false, false, true),
        (5, &no_repeat, false, Final, true, false, true),
        (20, &no_repeat, false, Ring, false, true, false),
        (10, &no_attention, false, Ring, false, true, false),
        (5, &no_attention, false, Final, true, true, false),
        (1, &no_final, false, Attention, false, true, true),
        // More time left than the window (a clock step): the first step.
        (25, &d, false, Ring, false, true, false),
    ];
    for (i, &(left, settings, focused, stage, critical, sound, attention)) in
        cases.iter().enumerate()
    {
        let step = escalation(secs(left), settings, focused);
        assert_eq!(
            step,
            Step {
                stage,
                critical,
                sound,
                request_attention: attention
            },
            "case {i}: {left} s left"
        );
    }
}

#[test]
fn next_step_times() {
    let d = RingSettings::default();
    assert_eq!(next_step_in(secs(20), &d), Some(secs(8)));
    assert_eq!(next_step_in(secs(13), &d), Some(secs(1)));
    assert_eq!(next_step_in(secs(12), &d), Some(secs(7)));
    assert_eq!(next_step_in(secs(5), &d), None);
    let none = RingSettings {
        attention_after_secs: None,
        final_after_secs: None,
        ..d.clone()
    };
    assert_eq!(next_step_in(secs(20), &none), None);
    // A step set past the window never comes.
    let late = RingSettings {
        attention_after_secs: Some(30),
        final_after_secs: None,
        ..d
    };
    assert_eq!(next_step_in(secs(20), &late), None);
}

fn shown(effects: &[Effect]) -> Vec<(&str, bool, Option<&str>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Show(t) => Some((t.summary.as_str(), t.critical, t.sound.as_deref())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_ring_escalates_then_accepting_closes_its_notification() {
    let plan = plan();
    let mut r = RingAlerts::default();
    let t0 = 1_000_000;
    let deadline = t0 + 20_000;
    let e = r.input(RingInput::Ringing { count: 1, deadline }, t0, &plan);
    assert_eq!(
        shown(&e),
        [("A chat is ringing", false, Some("message-new-instant"))]
    );
    let Effect::Show(first) = &e[0] else {
        panic!("{e:?}")
    };
    assert_eq!(first.body, "20 s left to accept");
    assert!(first.timeout_ms > 20_000, "outlives the server's deadline");
    r.shown(41);
    assert_eq!(r.next_wake(t0, &plan), Some(t0 + 8_000));
    // The engine's countdown ticks change nothing until the next step.
    assert!(
        r.input(RingInput::Ringing { count: 1, deadline }, t0 + 1_000, &plan)
            .is_empty()
    );
    assert!(r.due(t0 + 7_000, &plan).is_empty());
    // t = 8 s: the tone again and the window's attention.
    let e = r.due(t0 + 8_000, &plan);
    assert_eq!(
        shown(&e),
        [("A chat is ringing", false, Some("message-new-instant"))]
    );
    assert!(e.contains(&Effect::Attention(true)), "{e:?}");
    assert_eq!(r.notification(), Some(41), "replaced, not stacked");
    assert!(r.due(t0 + 9_000, &plan).is_empty(), "once per step");
    // Accepted at t = 10 s: the notification closes and the attention request ends.
    let e = r.input(RingInput::Stopped, t0 + 10_000, &plan);
    assert_eq!(
        e,
        [Effect::Silence, Effect::Close(41), Effect::Attention(false)]
    );
    assert!(!r.ringing());
    assert_eq!(r.next_wake(t0 + 10_000, &plan), None);
    assert!(r.input(RingInput::Stopped, t0 + 11_000, &plan).is_empty());
}

#[test]
fn the_final_step_is_critical_and_says_away() {
    let plan = plan();
    let mut r = RingAlerts::default();
    let t0 = 0;
    r.input(
        RingInput::Ringing {
            count: 2,
            deadline: 20_000,
        },
        t0,
        &plan,
    );
    r.shown(7);
    r.due(8_000, &plan);
    let e = r.due(15_000, &plan);
    assert_eq!(
        shown(&e),
        [(
            "5 s left — you will be set Away",
            true,
            Some("message-new-instant")
        )]
    );
    let Effect::Show(text) = &e[0] else {
        panic!("{e:?}")
    };
    assert_eq!(text.body, "2 chats are ringing. Accept now to stay Online.");
    // The window closed and the server moved on: the count goes to 0.
    let e = r.input(
        RingInput::Ringing {
            count: 0,
            deadline: 20_000,
        },
        21_000,
        &plan,
    );
    assert_eq!(
        e,
        [Effect::Silence, Effect::Close(7), Effect::Attention(false)]
    );
}

#[test]
fn a_second_chat_rings_the_tone_again_and_a_late_start_skips_steps() {
    let plan = plan();
    let mut r = RingAlerts::default();
    r.input(
        RingInput::Ringing {
            count: 1,
            deadline: 20_000,
        },
        0,
        &plan,
    );
    r.shown(3);
    let e = r.input(
        RingInput::Ringing {
            count: 2,
            deadline: 20_000,
        },
        2_000,
        &plan,
    );
    assert_eq!(
        shown(&e),
        [("2 chats are ringing", false, Some("message-new-instant"))]
    );
    let e = r.input(
        RingInput::Ringing {
            count: 1,
            deadline: 20_000,
        },
        3_000,
        &plan,
    );
    assert_eq!(
        shown(&e),
        [("A chat is ringing", false, None)],
        "fewer: silent"
    );

    // Seen only 16 s into the window (e.g. after a restart): straight to the final step.
    let mut late = RingAlerts::default();
    let e = late.input(
        RingInput::Ringing {
            count: 1,
            deadline: 20_000,
        },
        16_000,
        &plan,
    );
    assert_eq!(shown(&e).len(), 1);
    assert!(shown(&e)[0].1, "critical");
    assert!(e.contains(&Effect::Attention(true)));
    assert!(late.due(19_000, &plan).is_empty());
}

#[test]
fn mute_quiet_focus_and_choices() {
    let mut muted = plan();
    muted.muted = true;
    let mut r = RingAlerts::default();
    let ring = RingInput::Ringing {
        count: 1,
        deadline: 20_000,
    };
    assert_eq!(shown(&r.input(ring, 0, &muted))[0].2, None);

    let mut quiet = plan();
    quiet.quiet = true;
    let mut r = RingAlerts::default();
    assert_eq!(shown(&r.input(ring, 0, &quiet))[0].2, None);

    // Another tone.
    let mut bell = plan();
    bell.ring.tone = RingTone::Bell;
    let mut r = RingAlerts::default();
    assert_eq!(shown(&r.input(ring, 0, &bell))[0].2, Some("bell"));

    // Focused: no attention request at 8 s.
    let mut r = RingAlerts::default();
    r.input(RingInput::Focus(true), 0, &plan());
    r.input(ring, 0, &plan());
    let e = r.due(8_000, &plan());
    assert!(
        !e.iter().any(|e| matches!(e, Effect::Attention(_))),
        "{e:?}"
    );

    // Notifications off: the tone (played by the desk, not the notification server) and
    // attention; nothing to close at the end.
    let mut off = plan();
    off.choice.notification = false;
    let mut r = RingAlerts::default();
    assert_eq!(
        r.input(ring, 0, &off),
        [Effect::Sound(RingTone::MessageNewInstant)]
    );
    assert_eq!(
        r.due(8_000, &off),
        [
            Effect::Sound(RingTone::MessageNewInstant),
            Effect::Attention(true)
        ]
    );
    assert_eq!(
        r.input(RingInput::Stopped, 9_000, &off),
        [Effect::Silence, Effect::Attention(false)]
    );

    // Sound off for rings: no tone, nothing to stop.
    let mut silent = plan();
    silent.choice.sound = false;
    let mut r = RingAlerts::default();
    assert!(
        !r.input(ring, 0, &silent)
            .contains(&Effect::Sound(RingTone::MessageNewInstant))
    );
    assert!(
        !r.input(RingInput::Stopped, 1_000, &silent)
            .contains(&Effect::Silence)
    );
}

fn tones(effects: &[Effect]) -> Vec<RingTone> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Sound(tone) => Some(*tone),
            _ => None,
        })
        .collect()
}

/// The tone at each step (t = 0, 8 s, 15 s) and at the end, for the sound choices.
#[test]
fn the_tone_plays_at_each_step_and_stops_with_the_ring() {
    use RingTone::{Bell, MessageNewInstant};
    let mut muted = plan();
    muted.muted = true;
    let mut quiet = plan();
    quiet.quiet = true;
    let mut no_repeat = plan();
    no_repeat.ring.repeat_sound = false;
    let mut bell = plan();
    bell.ring.tone = Bell;
    // (plan, tones at 0 / 8 / 15 s, a Silence when accepted at 16 s)
    let m = MessageNewInstant;
    let cases: [(RingPlan, [Vec<RingTone>; 3], bool); 5] = [
        (plan(), [vec![m], vec![m], vec![m]], true),
        (bell, [vec![Bell], vec![Bell], vec![Bell]], true),
        (no_repeat, [vec![m], vec![], vec![]], true),
        (muted, [vec![], vec![], vec![]], false),
        (quiet, [vec![], vec![], vec![]], false),
    ];
    for (i, (plan, want, silence)) in cases.into_iter().enumerate() {
        let mut r = RingAlerts::default();
        let ring = RingInput::Ringing {
            count: 1,
            deadline: 20_000,
        };
        assert_eq!(tones(&r.input(ring, 0, &plan)), want[0], "case {i} at 0 s");
        assert_eq!(tones(&r.due(8_000, &plan)), want[1], "case {i} at 8 s");
        assert_eq!(tones(&r.due(15_000, &plan)), want[2], "case {i} at 15 s");
        let end = r.input(RingInput::Stopped, 16_000, &plan);
        assert_eq!(end.contains(&Effect::Silence), silence, "case {i}: {end:?}");
        assert_eq!(
            end.first() == Some(&Effect::Silence),
            silence,
            "the tone stops first"
        );
    }
}
