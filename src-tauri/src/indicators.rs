//! What the window title, the tray icon and its tooltip show, and which notifications an engine
//! event calls for. Pure state fed with `EngineEvent`s, so it is tested without a window.
//!
//! It is also the one owner of "unread": a visitor line is unread unless the agent can see it
//! arrive (its chat is shown in one of the UI's panes while the window has focus). Showing a chat
//! reads it; focusing the window reads the chats shown. The UI displays these counts (`unread`
//! event, `show_chats` reply) and counts nothing itself, so the tray and title, which must work while
//! the webview is hidden, and the chat list always agree.

use std::collections::{BTreeMap, BTreeSet};

use engine::events::{
    Availability, ChatKey, ChatState, ConnectionState, EngineEvent, LineSource, SessionState,
};

use crate::ui_events::UnreadCounts;

/// A desktop notification the shell should show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// Chats started ringing (or more of them ring).
    Ringing { count: u32, seconds_left: u32 },
    /// A chat moved from waiting to chatting.
    ChatStarted { chat: ChatKey, visitor: String },
    /// A visitor wrote a line the agent cannot see arrive (window unfocused or hidden, or the
    /// chat not shown).
    VisitorLine {
        chat: ChatKey,
        visitor: String,
        text: String,
    },
    /// A chat ended, or was transferred away, while the window was not focused (with focus, the
    /// agent usually did it and sees it).
    ChatEnded {
        chat: ChatKey,
        visitor: String,
        transferred: bool,
    },
    /// The connection to the server was lost (`true`) or is back (`false`).
    Connection { lost: bool },
}

impl Alert {
    /// Which of the agent's alert preferences governs this alert.
    pub fn choice(
        &self,
        prefs: &crate::alert_settings::AlertPrefs,
    ) -> crate::alert_settings::AlertChoice {
        match self {
            Alert::Ringing { .. } => prefs.ring,
            Alert::ChatStarted { .. } => prefs.chat_started,
            Alert::VisitorLine { .. } => prefs.visitor_line,
            Alert::ChatEnded { .. } => prefs.chat_ended,
            Alert::Connection { .. } => prefs.connection,
        }
    }
}

/// The desk as the tray and title summarise it.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    logged_in: bool,
    availability: Option<Availability>,
    ringing: u32,
    unread: BTreeMap<ChatKey, u32>,
    visitors: BTreeMap<ChatKey, String>,
    on_desk: BTreeSet<ChatKey>,
    /// The chats the UI shows in its panes.
    shown: BTreeSet<ChatKey>,
    /// Whether the window is shown and focused (lines in shown chats are read as they come).
    window_focused: bool,
    /// Bumped by every change to `unread` (never reset, so the UI can drop stale counts).
    unread_seq: u64,
    /// The connection was reported lost (so its return is reported once).
    connection_lost: bool,
}

/// Everything the window title and the tray show, to skip redrawing when nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chrome {
    pub title: String,
    pub tooltip: String,
    pub counts: Option<String>,
    pub look: TrayLook,
}

/// Which tray picture to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrayLook {
    pub availability: Availability,
    /// Something rings or is unread.
    pub alert: bool,
}

impl Indicators {
    /// Takes in one engine event; returns the notification it calls for, if any.
    pub fn apply(&mut self, event: &EngineEvent) -> Option<Alert> {
        match event {
            EngineEvent::Session { state, .. } => {
                self.logged_in = *state == SessionState::LoggedIn;
                if *state == SessionState::LoggedOut {
                    // Every place that changes `unread` bumps `unread_seq` (here: when it empties).
                    *self = Self {
                        window_focused: self.window_focused,
                        unread_seq: self.unread_seq + u64::from(!self.unread.is_empty()),
                        ..Self::default()
                    };
                }
                None
            }
            EngineEvent::Availability { availability, .. } => {
                self.availability = Some(*availability);
                None
            }
            EngineEvent::Connection { state, .. } => match state {
                ConnectionState::Online if self.connection_lost => {
                    self.connection_lost = false;
                    Some(Alert::Connection { lost: false })
                }
                ConnectionState::Retrying if self.logged_in && !self.connection_lost => {
                    self.connection_lost = true;
                    Some(Alert::Connection { lost: true })
                }
                ConnectionState::Offline => {
                    // Logged out or given up: nothing comes back by itself.
                    self.connection_lost = false;
                    None
                }
                _ => None,
            },
            EngineEvent::Ringing {
                count,
                seconds_left,
                ..
            } => {
                let more = *count > self.ringing;
                self.ringing = *count;
                more.then_some(Alert::Ringing {
                    count: *count,
                    seconds_left: *seconds_left,
                })
            }
            EngineEvent::RingingStopped => {
                self.ringing = 0;
                None
            }
            EngineEvent::ChatUpdated { summary } => {
                self.on_desk.insert(summary.chat.clone());
                self.visitors
                    .insert(summary.chat.clone(), summary.visitor_name.clone());
                None
            }
            EngineEvent::VisitorName { chat, name } => {
                self.visitors.insert(chat.clone(), name.clone());
                None
            }
            EngineEvent::ChatStateChanged { chat, from, to } => {
                self.on_desk.insert(chat.clone());
                match (from, to) {
                    (Some(ChatState::Waiting), ChatState::Chatting) => Some(Alert::ChatStarted {
                        chat: chat.clone(),
                        visitor: self.visitor(chat),
                    }),
                    (Some(from), ChatState::Ended)
                        if *from != ChatState::Ended && !self.window_focused =>
                    {
                        Some(Alert::ChatEnded {
                            chat: chat.clone(),
                            visitor: self.visitor(chat),
                            transferred: false,
                        })
                    }
                    _ => None,
                }
            }
            EngineEvent::ChatRemoved { chat, reason } => {
                let alert =
                    (reason == "transferred" && !self.window_focused).then(|| Alert::ChatEnded {
                        chat: chat.clone(),
                        visitor: self.visitor(chat),
                        transferred: true,
                    });
                self.on_desk.remove(chat);
                if self.unread.remove(chat).is_some() {
                    self.unread_seq += 1;
                }
                self.visitors.remove(chat);
                self.shown.remove(chat);
                alert
            }
            EngineEvent::Line(line) => {
                let read = self.window_focused && self.shown.contains(&line.chat);
                if line.source == LineSource::Visitor && !read {
                    *self.unread.entry(line.chat.clone()).or_default() += 1;
                    self.unread_seq += 1;
                    return Some(Alert::VisitorLine {
                        chat: line.chat.clone(),
                        visitor: self.visitor(&line.chat),
                        text: line.text.clone(),
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// The chats the UI now shows in its panes. A chat that was not shown before has just been
    /// opened by the agent: its lines count as read. With the window focused, all shown chats are
    /// read.
    pub fn show(&mut self, chats: impl IntoIterator<Item = ChatKey>) {
        let shown: BTreeSet<ChatKey> = chats.into_iter().collect();
        let mut read_any = false;
        for chat in &shown {
            if self.window_focused || !self.shown.contains(chat) {
                read_any |= self.unread.remove(chat).is_some();
            }
        }
        self.unread_seq += u64::from(read_any);
        self.shown = shown;
    }

    /// The window gained or lost focus (or was hidden).
    pub fn set_window_focused(&mut self, focused: bool) {
        self.window_focused = focused;
        if focused {
            let before = self.unread.len();
            let shown = &self.shown;
            self.unread.retain(|chat, _| !shown.contains(chat));
            if self.unread.len() != before {
                self.unread_seq += 1;
            }
        }
    }

    /// Unread lines per chat, with the change counter the UI orders them by.
    pub fn unread_counts(&self) -> UnreadCounts {
        UnreadCounts {
            seq: self.unread_seq,
            chats: self.unread.clone(),
        }
    }

    /// The visitor's name for a chat, or a neutral word when it is not known yet.
    pub fn visitor(&self, chat: &str) -> String {
        self.visitors
            .get(chat)
            .cloned()
            .unwrap_or_else(|| "a visitor".to_owned())
    }

    pub fn ringing(&self) -> u32 {
        self.ringing
    }

    /// Whether the window is shown and focused.
    pub fn window_focused(&self) -> bool {
        self.window_focused
    }

    /// The availability last reported (`None` before the first report or when logged out).
    pub fn availability(&self) -> Option<Availability> {
        self.availability.filter(|_| self.logged_in)
    }

    /// Unread visitor lines over all chats.
    pub fn unread(&self) -> u32 {
        self.unread.values().sum()
    }

    pub fn tray_look(&self) -> TrayLook {
        let availability = match (self.logged_in, self.availability) {
            (true, Some(availability)) => availability,
            _ => Availability::Offline,
        };
        TrayLook {
            availability,
            alert: self.ringing > 0 || self.unread() > 0,
        }
    }

    /// Title, tooltip, counts and tray picture together.
    pub fn chrome(&self) -> Chrome {
        Chrome {
            title: self.title(),
            tooltip: self.tooltip(),
            counts: self.counts_text(),
            look: self.tray_look(),
        }
    }

    /// The window title, e.g. `Agent Desk — 1 ringing, 3 unread`.
    pub fn title(&self) -> String {
        match self.counts_text() {
            Some(counts) => format!("Agent Desk — {counts}"),
            None => "Agent Desk".to_owned(),
        }
    }

    /// The tray tooltip: availability plus the same counts as the title.
    pub fn tooltip(&self) -> String {
        let state = if self.logged_in {
            availability_label(self.tray_look().availability)
        } else {
            "Logged out"
        };
        match self.counts_text() {
            Some(counts) => format!("Agent Desk — {state} — {counts}"),
            None => format!("Agent Desk — {state}"),
        }
    }

    /// The counts alone (`1 ringing, 3 unread`), for the text beside the tray icon on Linux.
    pub fn counts_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.ringing > 0 {
            parts.push(format!("{} ringing", self.ringing));
        }
        let unread = self.unread();
        if unread > 0 {
            parts.push(format!("{unread} unread"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// The word the agent sees for an availability.
pub fn availability_label(availability: Availability) -> &'static str {
    match availability {
        Availability::Online => "Online",
        Availability::Away => "Away",
        Availability::Occupied => "Occupied",
        Availability::Offline => "Offline",
    }
}

#[cfg(test)]
#[path = "indicators_tests.rs"]
mod tests;
