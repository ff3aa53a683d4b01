//! Desktop notifications, sent from Rust with notify-rust (a hidden webview throttles its timers, so
//! alerting does not live in the UI). On Linux the notification carries an "Open" action (and the
//! default action, a click) that brings the window up on the chat; a ring also plays the
//! freedesktop `message-new-instant` sound unless the agent muted it.

use crate::indicators::Alert;

/// The id of the last ring notification, so the next ring replaces it instead of stacking.
#[cfg(all(unix, not(target_os = "macos")))]
static RING_NOTIFICATION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The sound theme name played with a ring.
pub const RING_SOUND: &str = "message-new-instant";

/// The text of one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationText {
    pub summary: String,
    pub body: String,
    /// The chat the "Open" action shows (`None`: just the window).
    pub chat: Option<String>,
    /// Play the ring sound (only rings, only when not muted).
    pub sound: bool,
    /// How long the notification stays, in milliseconds (a ring lasts as long as its offer window).
    pub timeout_ms: u32,
    /// A ring replaces the previous ring's notification.
    pub ring: bool,
}

/// The notification for an alert.
pub fn notification_text(alert: &Alert, muted: bool) -> NotificationText {
    match alert {
        Alert::Ringing {
            count,
            seconds_left,
        } => NotificationText {
            summary: if *count == 1 {
                "A chat is ringing".to_owned()
            } else {
                format!("{count} chats are ringing")
            },
            body: format!("{seconds_left} s left to accept"),
            chat: None,
            sound: !muted,
            timeout_ms: seconds_left.saturating_mul(1000).max(1000),
            ring: true,
        },
        Alert::ChatStarted { chat, visitor } => {
            let visitor = visitor_label(visitor);
            NotificationText {
                summary: format!("Chat with {visitor} started"),
                // Notification servers read the body as markup (<b>, <a>, <img>…): escape it.
                body: format!("{} is now chatting with you.", escape_markup(&visitor)),
                chat: Some(chat.clone()),
                sound: false,
                timeout_ms: 8000,
                ring: false,
            }
        }
    }
}

/// A visitor's name as a notification may show it: no control characters (no line breaks), at
/// most 60 characters. The name comes from the visitor and is untrusted.
fn visitor_label(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() > 60 {
        let cut: String = clean.chars().take(59).collect();
        format!("{cut}…")
    } else if clean.is_empty() {
        "a visitor".to_owned()
    } else {
        clean.to_owned()
    }
}

/// Escapes text for a notification body, which servers interpret as a small markup language.
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shows a notification without blocking the caller. `on_open` runs (on a background thread) when
/// the agent clicks it or its "Open" action, with the notification's chat.
pub fn show(text: NotificationText, on_open: impl FnOnce(Option<String>) + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || show_blocking(text, on_open));
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not start the notification thread");
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn show_blocking(text: NotificationText, on_open: impl FnOnce(Option<String>)) {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Agent Desk")
        .summary(&text.summary)
        .body(&text.body)
        .icon("agent-desk")
        .action("default", "Open")
        .action("open", "Open")
        .timeout(notify_rust::Timeout::Milliseconds(text.timeout_ms));
    if text.sound {
        notification.sound_name(RING_SOUND);
    }
    let ordering = std::sync::atomic::Ordering::SeqCst;
    let previous_ring = RING_NOTIFICATION.load(ordering);
    if text.ring && previous_ring != 0 {
        notification.id(previous_ring);
    }
    match notification.show() {
        Ok(handle) => {
            if text.ring {
                RING_NOTIFICATION.store(handle.id(), ordering);
            }
            let chat = text.chat;
            handle.wait_for_action(move |action| {
                if action == "default" || action == "open" {
                    on_open(chat);
                }
            });
        }
        Err(error) => tracing::warn!(%error, "notification not shown"),
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_blocking(text: NotificationText, _on_open: impl FnOnce(Option<String>)) {
    let mut notification = notify_rust::Notification::new();
    notification.summary(&text.summary).body(&text.body);
    if text.sound {
        notification.sound_name("Default");
    }
    if let Err(error) = notification.show() {
        tracing::warn!(%error, "notification not shown");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_says_seconds_left_and_plays_sound_unless_muted() {
        let alert = Alert::Ringing {
            count: 1,
            seconds_left: 17,
        };
        let text = notification_text(&alert, false);
        assert_eq!(text.summary, "A chat is ringing");
        assert_eq!(text.body, "17 s left to accept");
        assert!(text.sound);
        assert_eq!(text.timeout_ms, 17_000);
        assert_eq!(text.chat, None);
        assert!(!notification_text(&alert, true).sound);
    }

    #[test]
    fn several_rings_are_counted() {
        let text = notification_text(
            &Alert::Ringing {
                count: 3,
                seconds_left: 0,
            },
            false,
        );
        assert_eq!(text.summary, "3 chats are ringing");
        assert_eq!(text.timeout_ms, 1000);
    }

    #[test]
    fn chat_start_names_the_visitor_and_opens_the_chat() {
        let alert = Alert::ChatStarted {
            chat: "H1-K2".into(),
            visitor: "Vera".into(),
        };
        let text = notification_text(&alert, false);
        assert_eq!(text.summary, "Chat with Vera started");
        assert_eq!(text.chat.as_deref(), Some("H1-K2"));
        assert!(!text.sound);
    }

    #[test]
    fn visitor_names_are_escaped_and_tamed() {
        let alert = Alert::ChatStarted {
            chat: "K1".into(),
            visitor: "<b>Eve</b> & <img src=x>\nline2".into(),
        };
        let text = notification_text(&alert, false);
        assert!(!text.body.contains('<'), "{}", text.body);
        assert!(
            text.body
                .contains("&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;img src=x&gt;"),
            "{}",
            text.body
        );
        assert!(!text.summary.contains('\n'), "{}", text.summary);
        let long = Alert::ChatStarted {
            chat: "K1".into(),
            visitor: "x".repeat(500),
        };
        assert!(notification_text(&long, false).summary.chars().count() < 90);
    }
}
