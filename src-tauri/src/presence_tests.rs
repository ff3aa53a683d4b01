use super::*;
use Availability::{Away, Occupied, Online};
use Cause::{Idle, Locked, Suspended};
use Signal::{Began, Ended};

fn on() -> PresenceSettings {
    PresenceSettings::default()
}

/// Runs signals through one `Presence`, each with the availability the server has then; returns
/// the actions of each step.
fn steps(
    settings: &PresenceSettings,
    script: &[(Signal, Option<Availability>)],
) -> Vec<Vec<Action>> {
    let mut presence = Presence::default();
    script
        .iter()
        .map(|(signal, current)| presence.decide(*signal, *current, settings))
        .collect()
}

#[test]
fn lock_sets_away_and_unlock_restores() {
    assert_eq!(
        steps(
            &on(),
            &[(Began(Locked), Some(Online)), (Ended(Locked), Some(Away))]
        ),
        [
            vec![Action::SetAway { cause: Locked }],
            vec![Action::Restore(Online)]
        ]
    );
    // Occupied comes back as Occupied.
    assert_eq!(
        steps(
            &on(),
            &[(Began(Idle), Some(Occupied)), (Ended(Idle), Some(Away))]
        ),
        [
            vec![Action::SetAway { cause: Idle }],
            vec![Action::Restore(Occupied)]
        ]
    );
}

#[test]
fn an_away_the_agent_chose_survives_lock_and_unlock() {
    assert_eq!(
        steps(
            &on(),
            &[(Began(Locked), Some(Away)), (Ended(Locked), Some(Away))]
        ),
        [vec![], vec![]]
    );
}

#[test]
fn suspend_resume_resyncs_and_restores() {
    assert_eq!(
        steps(
            &on(),
            &[
                (Began(Suspended), Some(Online)),
                (Ended(Suspended), Some(Away))
            ]
        ),
        [
            vec![Action::SetAway { cause: Suspended }],
            vec![Action::ResyncNow, Action::Restore(Online)]
        ]
    );
    // Resume always resyncs, even when suspend does not set Away.
    let off = PresenceSettings {
        away_on_suspend: false,
        ..on()
    };
    assert_eq!(
        steps(
            &off,
            &[
                (Began(Suspended), Some(Online)),
                (Ended(Suspended), Some(Online))
            ]
        ),
        [vec![], vec![Action::ResyncNow]]
    );
}

#[test]
fn away_lasts_until_every_cause_ended() {
    // Suspend locks the screen too; resume with the screen still locked keeps Away.
    assert_eq!(
        steps(
            &on(),
            &[
                (Began(Locked), Some(Online)),
                (Began(Suspended), Some(Away)),
                (Ended(Suspended), Some(Away)),
                (Ended(Locked), Some(Away)),
            ]
        ),
        [
            vec![Action::SetAway { cause: Locked }],
            vec![],
            vec![Action::ResyncNow],
            vec![Action::Restore(Online)],
        ]
    );
}

#[test]
fn an_agent_who_changed_availability_meanwhile_keeps_it() {
    // The desk set Away; before unlock the agent (another device) went Occupied: no restore.
    assert_eq!(
        steps(
            &on(),
            &[
                (Began(Locked), Some(Online)),
                (Ended(Locked), Some(Occupied))
            ]
        ),
        [vec![Action::SetAway { cause: Locked }], vec![]]
    );
    // Logged out meanwhile: nothing to restore.
    assert_eq!(
        steps(
            &on(),
            &[(Began(Locked), Some(Online)), (Ended(Locked), None)]
        ),
        [vec![Action::SetAway { cause: Locked }], vec![]]
    );
}

#[test]
fn switched_off_causes_and_logged_out_do_nothing() {
    let off = PresenceSettings {
        away_on_lock: false,
        idle_minutes: None,
        ..on()
    };
    assert_eq!(
        steps(
            &off,
            &[(Began(Locked), Some(Online)), (Ended(Locked), Some(Online))]
        ),
        [vec![], vec![]]
    );
    assert_eq!(
        steps(&off, &[(Began(Idle), Some(Online))]),
        [Vec::<Action>::new()]
    );
    assert_eq!(
        steps(&on(), &[(Began(Locked), None), (Ended(Locked), None)]),
        [vec![], vec![]]
    );
    // An unlock without a lock seen (the desk started while locked) changes nothing.
    assert_eq!(steps(&on(), &[(Ended(Locked), Some(Away))]), [vec![]]);
}
