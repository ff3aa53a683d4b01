//! Desktop notifications, sent from Rust with notify-rust (a hidden webview throttles its timers, so
//! alerting does not live in the UI). On Linux the notification carries an "Open" action (and the
//! default action, a click) that brings the window up on the chat; a sound is the `sound-name`
//! hint (a freedesktop sound theme name the notification server plays), so it sounds while the
//! window is hidden to the tray. A ring's notification is shown, replaced and closed by id
//! (`ring_driver.rs`); the others replace the previous one of the same chat, so a chatty visitor
//! leaves one toast, not a stack.

use crate::indicators::Alert;

/// The sound theme name played with a ring by default.
pub const RING_SOUND: &str = "message-new-instant";

/// The text of one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationText {
    pub summary: String,
    pub body: String,
    /// The chat the "Open" action shows (`None`: just the window).
    pub chat: Option<String>,
    /// The sound theme name to play (`None`: silent).
    pub sound: Option<String>,
    /// How long the notification stays, in milliseconds.
    pub timeout_ms: u32,
    /// A ring's notification (replaced and closed by the ring driver).
    pub ring: bool,
    /// Critical urgency (the ring's last warning).
    pub critical: bool,
}

/// The notification for an alert (`sound`: the theme sound to play with it, if any).
pub fn notification_text(alert: &Alert, sound: Option<&str>) -> NotificationText {
    let plain = |summary: String, body: String, chat: Option<String>| NotificationText {
        summary,
        body,
        chat,
        sound: sound.map(str::to_owned),
        timeout_ms: 8000,
        ring: false,
        critical: false,
    };
    match alert {
        Alert::Ringing {
            count,
            seconds_left,
        } => {
            // The first step of a ring (the ring driver takes it from there).
            let step = crate::ring::Step {
                stage: crate::ring::Stage::Ring,
                critical: false,
                sound: sound.is_some(),
                request_attention: false,
            };
            let left = std::time::Duration::from_secs((*seconds_left).into());
            crate::ring::ring_text(*count, left, step, sound)
        }
        Alert::ChatStarted { chat, visitor } => {
            let visitor = visitor_label(visitor);
            // Notification servers read the body as markup (<b>, <a>, <img>…): escape it.
            let body = format!(
                "{} is now chatting with you.",
                engine::sanitize::escape_text(&visitor)
            );
            plain(
                format!("Chat with {visitor} started"),
                body,
                Some(chat.clone()),
            )
        }
        Alert::VisitorLine {
            chat,
            visitor,
            text,
        } => plain(
            format!("{} wrote", visitor_label(visitor)),
            engine::sanitize::escape_text(&line_preview(text)),
            Some(chat.clone()),
        ),
        Alert::ChatEnded {
            chat,
            visitor,
            transferred,
        } => {
            let visitor = visitor_label(visitor);
            let summary = if *transferred {
                format!("Chat with {visitor} was transferred away")
            } else {
                format!("Chat with {visitor} ended")
            };
            plain(summary, String::new(), Some(chat.clone()))
        }
        Alert::Connection { lost } => {
            if *lost {
                plain(
                    "Connection to the server lost".to_owned(),
                    "The desk keeps retrying; chats cannot ring until it is back.".to_owned(),
                    None,
                )
            } else {
                plain(
                    "Connection to the server restored".to_owned(),
                    String::new(),
                    None,
                )
            }
        }
    }
}

/// A visitor's line as a notification shows it: tags dropped (HTML lines), whitespace folded, at
/// most 120 characters. Escaped by the caller.
fn line_preview(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if in_tag => {
                let _ = c;
            }
            c if c.is_whitespace() || c.is_control() => {
                if !plain.ends_with(' ') {
                    plain.push(' ');
                }
            }
            c => plain.push(c),
        }
    }
    let plain = plain.trim();
    if plain.chars().count() > 120 {
        let cut: String = plain.chars().take(119).collect();
        format!("{cut}…")
    } else {
        plain.to_owned()
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

/// Shows a notification without blocking the caller. `on_open` runs (on a background thread) when
/// the agent clicks it or its "Open" action, with the notification's chat.
/// `on_shown` runs once the notification server has taken it.
pub fn show(
    text: NotificationText,
    on_open: impl FnOnce(Option<String>) + Send + 'static,
    on_shown: impl FnOnce() + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            let replaces = text.chat.as_deref().and_then(last_of_chat);
            let chat = text.chat.clone();
            let shown = show_blocking(text, replaces, on_open);
            if shown.is_some() {
                on_shown();
            }
            if let Some(id) = shown
                && let Some(chat) = chat
            {
                remember_for_chat(chat, id);
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not start the notification thread");
    }
}

/// The last notification id per chat (a new one for the chat replaces it).
#[cfg(all(unix, not(target_os = "macos")))]
static BY_CHAT: std::sync::Mutex<Vec<(String, u32)>> = std::sync::Mutex::new(Vec::new());

#[cfg(all(unix, not(target_os = "macos")))]
fn last_of_chat(chat: &str) -> Option<u32> {
    let ids = BY_CHAT.lock().unwrap_or_else(|p| p.into_inner());
    ids.iter().find(|(c, _)| c == chat).map(|(_, id)| *id)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn remember_for_chat(chat: String, id: u32) {
    let mut ids = BY_CHAT.lock().unwrap_or_else(|p| p.into_inner());
    ids.retain(|(c, _)| *c != chat);
    ids.push((chat, id));
    // Bounded: only recent chats matter.
    if ids.len() > 64 {
        ids.remove(0);
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn last_of_chat(_chat: &str) -> Option<u32> {
    None
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn remember_for_chat(_chat: String, _id: u32) {}

/// Shows (or, with `replaces`, replaces) a notification and returns the id the server gave it.
/// Blocks for the D-Bus round trip: call it off the async threads. A new notification gets a
/// thread that waits for its click; a replaced one keeps the thread it has.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn show_blocking(
    text: NotificationText,
    replaces: Option<u32>,
    on_open: impl FnOnce(Option<String>) + Send + 'static,
) -> Option<u32> {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Agent Desk")
        .summary(&text.summary)
        .body(&text.body)
        .icon("agent-desk")
        .action("default", "Open")
        .action("open", "Open")
        .urgency(if text.critical {
            notify_rust::Urgency::Critical
        } else {
            notify_rust::Urgency::Normal
        })
        .timeout(notify_rust::Timeout::Milliseconds(text.timeout_ms));
    if let Some(sound) = &text.sound {
        notification.sound_name(sound);
    }
    if let Some(id) = replaces {
        notification.id(id);
    }
    match notification.show() {
        Ok(handle) => {
            let id = handle.id();
            if replaces != Some(id) {
                let chat = text.chat;
                let waiter = std::thread::Builder::new()
                    .name("notification-action".into())
                    .spawn(move || {
                        // Returns when the notification is clicked or closed (also by us).
                        handle.wait_for_action(move |action| {
                            if action == "default" || action == "open" {
                                on_open(chat);
                            }
                        });
                    });
                if let Err(error) = waiter {
                    tracing::warn!(%error, "could not wait for the notification's action");
                }
            }
            Some(id)
        }
        Err(error) => {
            tracing::warn!(%error, "notification not shown");
            None
        }
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn show_blocking(
    text: NotificationText,
    _replaces: Option<u32>,
    _on_open: impl FnOnce(Option<String>) + Send + 'static,
) -> Option<u32> {
    let mut notification = notify_rust::Notification::new();
    notification.summary(&text.summary).body(&text.body);
    if text.sound.is_some() {
        notification.sound_name("Default");
    }
    if let Err(error) = notification.show() {
        tracing::warn!(%error, "notification not shown");
    }
    None
}

/// Closes a notification by id (`CloseNotification` on the session bus). Blocks for the round
/// trip: call it off the async threads. A server that already dropped it answers with an error,
/// which is fine.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn close_blocking(id: u32) {
    let closed = zbus::block_on(async {
        let bus = zbus::Connection::session().await?;
        bus.call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "CloseNotification",
            &(id,),
        )
        .await
    });
    match closed {
        Ok(_) => tracing::debug!(id, "notification closed"),
        Err(error) => tracing::debug!(id, %error, "notification not closed"),
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn close_blocking(_id: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_says_seconds_left_and_plays_sound_unless_muted() {
        let alert = Alert::Ringing {
            count: 1,
            seconds_left: 17,
        };
        let text = notification_text(&alert, Some(RING_SOUND));
        assert_eq!(text.summary, "A chat is ringing");
        assert_eq!(text.body, "17 s left to accept");
        assert_eq!(text.sound.as_deref(), Some(RING_SOUND));
        // Expires after the server's deadline, never before it (the desk closes it).
        assert_eq!(text.timeout_ms, 27_000);
        assert_eq!(text.chat, None);
        assert_eq!(notification_text(&alert, None).sound, None);
    }

    #[test]
    fn several_rings_are_counted() {
        let text = notification_text(
            &Alert::Ringing {
                count: 3,
                seconds_left: 0,
            },
            None,
        );
        assert_eq!(text.summary, "3 chats are ringing");
        assert_eq!(text.timeout_ms, 10_000);
    }

    #[test]
    fn chat_start_names_the_visitor_and_opens_the_chat() {
        let alert = Alert::ChatStarted {
            chat: "H1-K2".into(),
            visitor: "Vera".into(),
        };
        let text = notification_text(&alert, None);
        assert_eq!(text.summary, "Chat with Vera started");
        assert_eq!(text.chat.as_deref(), Some("H1-K2"));
        assert_eq!(text.sound, None);
    }

    #[test]
    fn visitor_names_are_escaped_and_tamed() {
        let alert = Alert::ChatStarted {
            chat: "K1".into(),
            visitor: "<b>Eve</b> & <img src=x>\nline2".into(),
        };
        let text = notification_text(&alert, None);
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
        assert!(notification_text(&long, None).summary.chars().count() < 90);
    }

    #[test]
    fn visitor_lines_are_previewed_escaped_and_short() {
        let alert = Alert::VisitorLine {
            chat: "K1".into(),
            visitor: "Vera".into(),
            text: "<p>Is <b>this</b> &amp; that\n<script>x</script> ok?</p>".into(),
        };
        let text = notification_text(&alert, None);
        assert_eq!(text.summary, "Vera wrote");
        assert!(!text.body.contains('<'), "{}", text.body);
        assert!(
            text.body.starts_with("Is this &amp;amp; that"),
            "{}",
            text.body
        );
        assert_eq!(text.chat.as_deref(), Some("K1"));
        let long = Alert::VisitorLine {
            chat: "K1".into(),
            visitor: "Vera".into(),
            text: "y".repeat(1000),
        };
        assert!(notification_text(&long, None).body.chars().count() <= 120);
    }

    #[test]
    fn endings_and_connection_say_what_happened() {
        let ended = |transferred| Alert::ChatEnded {
            chat: "K1".into(),
            visitor: "<i>Vera</i>".into(),
            transferred,
        };
        assert_eq!(
            notification_text(&ended(false), None).summary,
            "Chat with <i>Vera</i> ended"
        );
        assert!(
            notification_text(&ended(true), None)
                .summary
                .ends_with("was transferred away")
        );
        assert!(
            notification_text(&Alert::Connection { lost: true }, None)
                .summary
                .contains("lost")
        );
    }
}
