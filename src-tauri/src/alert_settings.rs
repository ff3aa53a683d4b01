//! How the desk alerts the agent and follows their presence: the escalating ring, which events
//! notify / sound / ask for the window's attention, and what lock, suspend, idle and quit do.
//! Stored with the shell's settings (`shell-settings.json`); every field has a default, so an older
//! file (or one missing a field) still loads; unknown fields are ignored (a newer version may add
//! some). Defaults are listed in `src-tauri/README.md`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Everything the agent can choose about alerts and presence (part of `Settings`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct AlertSettings {
    pub ring: RingSettings,
    pub events: AlertPrefs,
    pub presence: PresenceSettings,
    /// Starting with the desktop session and starting hidden in the tray.
    pub startup: StartupSettings,
}

/// How the desk starts (issue 9 §5). Both off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct StartupSettings {
    /// Start when the agent logs in to the computer (an XDG autostart entry on Linux, a Launch Agent
    /// on macOS, the `Run` key on Windows). The entry starts the desk with `--hidden`: at login it
    /// waits in the tray instead of taking the screen.
    pub at_login: bool,
    /// Every start (not only at login) shows only the tray icon; the window comes up from the
    /// tray, a notification, or launching the app again.
    pub hidden: bool,
}

/// The escalating ring inside the server's 20 s offer window (spec §4.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct RingSettings {
    /// Seconds after the ring starts when the window asks for attention and the sound repeats
    /// (`null`: no such step).
    pub attention_after_secs: Option<u32>,
    /// Seconds after the ring starts when the final, critical notification says how little time is
    /// left before the server sets the agent Away (`null`: no such step).
    pub final_after_secs: Option<u32>,
    /// The tone played with the ring.
    pub tone: RingTone,
    /// The later steps play the tone again.
    pub repeat_sound: bool,
    /// How loud the desk's tones play, in percent (0–100; 0 is silent). Every alert's sound.
    pub volume: u8,
}

/// The volume of the desk's tones unless the agent chooses another.
pub const DEFAULT_VOLUME: u8 = 70;

impl Default for RingSettings {
    fn default() -> Self {
        Self {
            attention_after_secs: Some(8),
            final_after_secs: Some(15),
            tone: RingTone::default(),
            repeat_sound: true,
            volume: DEFAULT_VOLUME,
        }
    }
}

/// A tone: one of the desk's own, bundled into the binary and played from Rust (`sound.rs`), so it
/// sounds while the window is hidden to the tray. Each also has a freedesktop sound theme name,
/// sent as the notification's `sound-name` hint when the desk has no audio output of its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase")]
pub enum RingTone {
    /// Two rising notes.
    #[default]
    MessageNewInstant,
    /// Two short warbling bursts.
    PhoneIncomingCall,
    /// One struck note with a long decay.
    Bell,
    /// Three rising notes ("Chime").
    Complete,
}

impl RingTone {
    /// The sound theme's name for the tone.
    pub fn sound_name(self) -> &'static str {
        match self {
            RingTone::MessageNewInstant => "message-new-instant",
            RingTone::PhoneIncomingCall => "phone-incoming-call",
            RingTone::Bell => "bell",
            RingTone::Complete => "complete",
        }
    }
}

/// What one kind of event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase")]
pub struct AlertChoice {
    /// A desktop notification.
    pub notification: bool,
    /// A sound: one of the desk's tones, played from Rust with or without a notification
    /// (`muted` silences every sound at once; the ring's `volume` sets how loud).
    pub sound: bool,
    /// The window asks for attention (taskbar flash / urgency hint) unless it has focus.
    pub attention: bool,
}

impl AlertChoice {
    const fn new(notification: bool, sound: bool, attention: bool) -> Self {
        Self {
            notification,
            sound,
            attention,
        }
    }
}

/// Per event: notification, sound, window attention. While Away (and `quietWhileAway`), nothing
/// sounds and nothing but a ring notifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct AlertPrefs {
    /// A chat rings (the escalation's steps follow `RingSettings`).
    pub ring: AlertChoice,
    /// A chat moved from waiting to chatting.
    pub chat_started: AlertChoice,
    /// A visitor wrote while the window is unfocused or hidden, or the chat is not shown.
    pub visitor_line: AlertChoice,
    /// A chat ended or was transferred away from this desk.
    pub chat_ended: AlertChoice,
    /// The connection to the server was lost or came back.
    pub connection: AlertChoice,
    /// Do not disturb while Away: no sounds, no notifications but rings.
    pub quiet_while_away: bool,
}

impl Default for AlertPrefs {
    fn default() -> Self {
        Self {
            ring: AlertChoice::new(true, true, true),
            chat_started: AlertChoice::new(true, false, false),
            visitor_line: AlertChoice::new(true, false, true),
            chat_ended: AlertChoice::new(true, false, false),
            connection: AlertChoice::new(true, false, false),
            quiet_while_away: true,
        }
    }
}

/// What lock, suspend, idle and quitting do to the agent's availability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct PresenceSettings {
    /// Locking the screen (or the screen saver starting) sets Away.
    pub away_on_lock: bool,
    /// Suspending the computer sets Away; resuming resyncs at once.
    pub away_on_suspend: bool,
    /// No keyboard or mouse input for this many minutes sets Away (`null`: never).
    pub idle_minutes: Option<u32>,
    /// The account's reason id sent with an automatic Away (`null`: none; reason ids are defined
    /// per account, so the desk invents none).
    pub away_reason_id: Option<String>,
    /// What quitting the app does on the server.
    pub on_quit: QuitPresence,
}

impl Default for PresenceSettings {
    fn default() -> Self {
        Self {
            away_on_lock: true,
            away_on_suspend: true,
            idle_minutes: Some(10),
            away_reason_id: None,
            on_quit: QuitPresence::default(),
        }
    }
}

/// What quitting does, so the agent is never left Online with nobody polling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase")]
pub enum QuitPresence {
    /// Set Away and keep the login (the next start resumes it).
    #[default]
    Away,
    /// Log out (open chats go back to the queue; the agent confirmed that first).
    LogOut,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let s = AlertSettings::default();
        assert_eq!(s.ring.attention_after_secs, Some(8));
        assert_eq!(s.ring.final_after_secs, Some(15));
        assert_eq!(s.ring.tone.sound_name(), "message-new-instant");
        assert_eq!(s.ring.volume, 70);
        assert!(s.events.ring.sound && s.events.ring.notification);
        assert!(s.events.visitor_line.notification && !s.events.visitor_line.sound);
        assert!(s.events.quiet_while_away);
        assert_eq!(s.presence.idle_minutes, Some(10));
        assert_eq!(s.presence.on_quit, QuitPresence::Away);
        assert!(!s.startup.at_login && !s.startup.hidden);
    }

    #[test]
    fn missing_fields_take_defaults_and_json_is_camel_case() {
        let s: AlertSettings =
            serde_json::from_str(r#"{"ring": {"tone": "bell"}, "presence": {"onQuit": "logOut"}}"#)
                .unwrap();
        assert_eq!(s.ring.tone, RingTone::Bell);
        assert_eq!(s.ring.attention_after_secs, Some(8));
        assert_eq!(s.presence.on_quit, QuitPresence::LogOut);
        assert!(s.presence.away_on_lock);
        let json = serde_json::to_value(AlertSettings::default()).unwrap();
        assert_eq!(json["ring"]["finalAfterSecs"], 15);
        assert_eq!(json["ring"]["volume"], 70);
        assert_eq!(
            s.ring.volume, 70,
            "an older file without a volume takes the default"
        );
        assert_eq!(json["events"]["visitorLine"]["attention"], true);
        assert_eq!(json["presence"]["idleMinutes"], 10);
        assert_eq!(json["startup"]["atLogin"], false);
        let s: AlertSettings = serde_json::from_str(r#"{"startup": {"hidden": true}}"#).unwrap();
        assert!(s.startup.hidden && !s.startup.at_login);
    }
}
