//! The events the shell emits to the UI (listen with `@tauri-apps/api/event`).

use std::collections::BTreeMap;

use engine::events::ChatKey;
use serde::Serialize;
use ts_rs::TS;

/// Every `EngineEvent`, as its JSON (tagged by `type`).
pub const ENGINE_EVENT: &str = "engine-event";
/// The engine's event stream overflowed and events were dropped: call `snapshot` again.
pub const ENGINE_LAGGED: &str = "engine-lagged";
/// A notification (or the tray) asked to show a chat: payload `OpenChat`.
pub const OPEN_CHAT: &str = "open-chat";
/// Quit from the tray while chats are open: show the warning, then `quit({confirmed: true})`.
pub const QUIT_REQUESTED: &str = "quit-requested";
/// Log out from the tray while chats are open: warn, then `logout({confirmed: true})`.
pub const LOGOUT_REQUESTED: &str = "logout-requested";
/// The unread counts per chat changed: payload `UnreadCounts` (the shell owns them).
pub const UNREAD: &str = "unread";

/// The window was hidden to the tray (no payload): save the view (`save_view`) and drafts now, the
/// webview may be released after a grace period (`tray_mode.rs`).
pub const WINDOW_HIDDEN: &str = "window-hidden";

/// All event names, for the generated `commands.ts`.
pub const EVENTS: &[(&str, &str)] = &[
    ("engineEvent", ENGINE_EVENT),
    ("engineLagged", ENGINE_LAGGED),
    ("openChat", OPEN_CHAT),
    ("quitRequested", QUIT_REQUESTED),
    ("logoutRequested", LOGOUT_REQUESTED),
    ("unread", UNREAD),
    ("windowHidden", WINDOW_HIDDEN),
];

/// Payload of `open-chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct OpenChat {
    /// `null`: just bring the desk up (e.g. a ring).
    pub chat: Option<ChatKey>,
}

/// Payload of `quit-requested` and `logout-requested`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct LeaveRequested {
    pub active_chat_count: u32,
    /// The warning to show, e.g. "2 chats are open. The server returns them to the queue …".
    pub message: String,
}

/// Payload of `engine-lagged`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct EngineLagged {
    pub missed: u32,
}

/// Payload of `unread`, and what `show_chats` returns: unread visitor lines per chat, as the shell
/// counts them for the title and tray (`indicators.rs`). The UI shows these and counts nothing itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct UnreadCounts {
    /// Grows with every change: counts with a lower `seq` than ones already applied are stale.
    #[ts(type = "number")]
    pub seq: u64,
    /// Chats with unread lines and how many (a chat that is absent has none).
    pub chats: BTreeMap<ChatKey, u32>,
}
