//! How one alert reaches the agent under their preferences: a pure decision (notification, which
//! tone, window attention), applied by the bridge. Rings go through the escalation instead
//! (`ring.rs`); this covers the other events.

use engine::events::Availability;

use crate::alert_settings::{AlertPrefs, RingTone};
use crate::indicators::Alert;

/// What to do for one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub notification: bool,
    /// The sound theme name the notification names as its `sound-name` hint (the second path
    /// for the tone, used when the desk has no audio output of its own).
    pub sound: Option<&'static str>,
    /// The desk's own tone, played from Rust (with or without a notification).
    pub tone: Option<RingTone>,
    /// The window asks for attention.
    pub attention: bool,
}

/// What the desk is doing when the alert comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub availability: Option<Availability>,
    pub window_focused: bool,
    /// Every sound off (the one-click mute, or the volume at 0).
    pub muted: bool,
}

/// The decision: the agent's choice for the event, minus sound when muted, minus everything but
/// a ring's notification while Away with do-not-disturb, minus attention while focused.
pub fn delivery(alert: &Alert, prefs: &AlertPrefs, context: Context) -> Delivery {
    let choice = alert.choice(prefs);
    let ring = matches!(alert, Alert::Ringing { .. });
    let quiet = prefs.quiet_while_away && context.availability == Some(Availability::Away);
    let notification = choice.notification && (ring || !quiet);
    let audible = choice.sound && !context.muted && !quiet;
    let sound = (notification && audible).then(|| sound_of(alert));
    Delivery {
        notification,
        sound,
        tone: audible.then(|| tone_of(alert)),
        attention: choice.attention && !context.window_focused && !quiet,
    }
}

/// The desk's tone for an event (a ring's is the agent's choice, played by the ring driver).
fn tone_of(alert: &Alert) -> RingTone {
    match alert {
        Alert::Ringing { .. } | Alert::VisitorLine { .. } => RingTone::MessageNewInstant,
        Alert::ChatStarted { .. } | Alert::ChatEnded { .. } => RingTone::Complete,
        Alert::Connection { .. } => RingTone::Bell,
    }
}

/// The freedesktop sound theme name for an event (a ring's tone is the agent's choice instead).
fn sound_of(alert: &Alert) -> &'static str {
    match alert {
        Alert::Ringing { .. } => crate::notify::RING_SOUND,
        Alert::ChatStarted { .. } => "message",
        Alert::VisitorLine { .. } => "message-new-instant",
        Alert::ChatEnded { .. } => "complete",
        Alert::Connection { lost: true } => "network-connectivity-lost",
        Alert::Connection { lost: false } => "network-connectivity-established",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert_settings::AlertChoice;

    fn line() -> Alert {
        Alert::VisitorLine {
            chat: "K1".into(),
            visitor: "Vera".into(),
            text: "hi".into(),
        }
    }

    fn ctx(availability: Availability, window_focused: bool, muted: bool) -> Context {
        Context {
            availability: Some(availability),
            window_focused,
            muted,
        }
    }

    #[test]
    fn table() {
        let all = AlertChoice {
            notification: true,
            sound: true,
            attention: true,
        };
        let prefs = AlertPrefs {
            visitor_line: all,
            ring: all,
            ..AlertPrefs::default()
        };
        let ring = Alert::Ringing {
            count: 1,
            seconds_left: 20,
        };
        use Availability::{Away, Online};
        // (alert, availability, focused, muted) → (notification, sound hint, attention); the
        // tone follows the hint here (every case has the notification on).
        type Case<'a> = (
            &'a Alert,
            Availability,
            bool,
            bool,
            bool,
            Option<&'static str>,
            bool,
        );
        let l = line();
        let cases: &[Case<'_>] = &[
            (
                &l,
                Online,
                false,
                false,
                true,
                Some("message-new-instant"),
                true,
            ),
            (
                &l,
                Online,
                true,
                false,
                true,
                Some("message-new-instant"),
                false,
            ),
            (&l, Online, false, true, true, None, true),
            // Do-not-disturb while Away: nothing for a line…
            (&l, Away, false, false, false, None, false),
            // …but a ring still shows, silently.
            (&ring, Away, false, false, true, None, false),
            (
                &ring,
                Online,
                false,
                false,
                true,
                Some("message-new-instant"),
                true,
            ),
        ];
        for (i, (alert, availability, focused, muted, n, s, a)) in cases.iter().enumerate() {
            let got = delivery(alert, &prefs, ctx(*availability, *focused, *muted));
            assert_eq!(
                got,
                Delivery {
                    notification: *n,
                    sound: *s,
                    tone: s.map(|_| RingTone::MessageNewInstant),
                    attention: *a
                },
                "case {i}"
            );
        }
    }

    #[test]
    fn defaults_and_switches() {
        let prefs = AlertPrefs::default();
        let online = ctx(Availability::Online, false, false);
        // Default: a hidden line notifies and asks for attention, silently.
        assert_eq!(
            delivery(&line(), &prefs, online),
            Delivery {
                notification: true,
                sound: None,
                tone: None,
                attention: true
            }
        );
        // The tone plays without a notification (the desk plays it, not the notification
        // server); there is no hint then, as there is no notification to carry it.
        let prefs = AlertPrefs {
            visitor_line: AlertChoice {
                notification: false,
                sound: true,
                attention: false,
            },
            ..AlertPrefs::default()
        };
        let got = delivery(&line(), &prefs, online);
        assert_eq!(got.sound, None);
        assert_eq!(got.tone, Some(RingTone::MessageNewInstant));
        let muted = Context {
            muted: true,
            ..online
        };
        assert_eq!(delivery(&line(), &prefs, muted).tone, None);
        // Quiet while Away can be turned off.
        let mut prefs = AlertPrefs {
            quiet_while_away: false,
            ..AlertPrefs::default()
        };
        let away = ctx(Availability::Away, false, false);
        assert!(delivery(&line(), &prefs, away).notification);
        // Connection lost and restored have their own sounds.
        prefs.connection.sound = true;
        assert_eq!(
            delivery(&Alert::Connection { lost: true }, &prefs, online).sound,
            Some("network-connectivity-lost")
        );
        assert_eq!(
            delivery(&Alert::Connection { lost: false }, &prefs, online).tone,
            Some(RingTone::Bell)
        );
    }
}
