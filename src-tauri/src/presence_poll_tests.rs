use super::*;
use Cause::{Idle, Locked, Suspended};
use Signal::{Began, Ended};

const TEN_MIN: Option<Duration> = Some(Duration::from_secs(600));

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A poll that came on time, with this idle time and lock state.
fn on_time(idle_for: Option<u64>, locked: Option<bool>) -> Sample {
    Sample {
        wall_elapsed: Some(POLL),
        idle_for: idle_for.map(secs),
        locked,
    }
}

/// Runs samples through one `PollState` with the ten-minute idle setting.
fn run(samples: &[Sample]) -> Vec<Vec<Signal>> {
    let mut state = PollState::default();
    samples
        .iter()
        .map(|sample| state.step(sample, POLL, TEN_MIN))
        .collect()
}

#[test]
fn nothing_happens_while_the_agent_works() {
    let quiet = on_time(Some(3), Some(false));
    assert_eq!(run(&[quiet, quiet, quiet]), [vec![], vec![], vec![]]);
}

#[test]
fn idle_begins_at_the_threshold_and_ends_at_the_next_input() {
    assert_eq!(
        run(&[
            on_time(Some(599), Some(false)),
            on_time(Some(600), Some(false)),
            on_time(Some(605), Some(false)),
            on_time(Some(1), Some(false)),
        ]),
        [vec![], vec![Began(Idle)], vec![], vec![Ended(Idle)]]
    );
}

#[test]
fn lock_and_unlock_are_reported_once_each() {
    assert_eq!(
        run(&[
            on_time(Some(0), Some(true)),
            on_time(Some(5), Some(true)),
            on_time(Some(0), Some(false)),
        ]),
        [vec![Began(Locked)], vec![], vec![Ended(Locked)]]
    );
}

#[test]
fn an_unreadable_value_keeps_the_last_state() {
    assert_eq!(
        run(&[
            on_time(Some(700), Some(true)),
            on_time(None, None),
            on_time(Some(0), Some(false)),
        ]),
        [
            vec![Began(Locked), Began(Idle)],
            vec![],
            vec![Ended(Locked), Ended(Idle)]
        ]
    );
}

#[test]
fn a_wall_clock_jump_is_a_suspend_that_ended() {
    let woke = Sample {
        wall_elapsed: Some(secs(3600)),
        idle_for: Some(secs(3600)),
        locked: Some(true),
    };
    // Resync first, then what the machine woke up to: a locked screen, nobody at the keyboard.
    assert_eq!(
        run(&[on_time(Some(1), Some(false)), woke]),
        [vec![], vec![Ended(Suspended), Began(Locked), Began(Idle)]]
    );
}

#[test]
fn late_polls_and_clock_corrections_are_not_suspends() {
    for elapsed in [Some(POLL + SUSPEND_SLACK), Some(secs(1)), None] {
        let sample = Sample {
            wall_elapsed: elapsed,
            ..on_time(Some(1), Some(false))
        };
        assert_eq!(run(&[sample]), [vec![]], "{elapsed:?}");
    }
    let just_over = Sample {
        wall_elapsed: Some(POLL + SUSPEND_SLACK + secs(1)),
        ..on_time(Some(1), Some(false))
    };
    assert_eq!(run(&[just_over]), [vec![Ended(Suspended)]]);
}

#[test]
fn idle_detection_off_ends_a_reported_idle_and_reports_no_new_one() {
    let mut state = PollState::default();
    let idle = on_time(Some(700), Some(false));
    assert_eq!(state.step(&idle, POLL, TEN_MIN), [Began(Idle)]);
    assert_eq!(state.step(&idle, POLL, None), [Ended(Idle)]);
    assert_eq!(state.step(&idle, POLL, None), []);
    // Not even a missing idle time matters while it is off.
    assert_eq!(state.step(&on_time(None, Some(false)), POLL, None), []);
}

#[test]
fn a_suspend_seen_afterwards_only_resyncs() {
    // No Away is set after the fact (it would be undone at once); the engine resyncs.
    use crate::presence::{Action, Presence};
    use engine::events::Availability;
    let settings = crate::alert_settings::PresenceSettings::default();
    let mut presence = Presence::default();
    assert_eq!(
        presence.decide(Ended(Suspended), Some(Availability::Online), &settings),
        [Action::ResyncNow]
    );
}
