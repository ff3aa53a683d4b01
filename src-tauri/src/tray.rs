//! The system tray: an icon showing availability and whether something rings or is unread, a
//! tooltip with the counts, and a menu (show/hide, availability, log out, quit).

use std::sync::Mutex;

use engine::events::Availability;
use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

use crate::indicators::{Chrome, TrayLook};

const TRAY_ID: &str = "agent-desk";

/// The picture last put in the tray (changing it rewrites a file on Linux; skip when unchanged).
#[derive(Default)]
struct Shown(Mutex<Option<TrayLook>>);

/// The PNG for a look (see icons/make-icons.sh).
pub fn icon_bytes(look: TrayLook) -> &'static [u8] {
    match (look.availability, look.alert) {
        (Availability::Online, false) => include_bytes!("../../icons/tray/online.png"),
        (Availability::Online, true) => include_bytes!("../../icons/tray/online-alert.png"),
        (Availability::Away, false) => include_bytes!("../../icons/tray/away.png"),
        (Availability::Away, true) => include_bytes!("../../icons/tray/away-alert.png"),
        (Availability::Occupied, false) => include_bytes!("../../icons/tray/occupied.png"),
        (Availability::Occupied, true) => include_bytes!("../../icons/tray/occupied-alert.png"),
        (Availability::Offline, false) => include_bytes!("../../icons/tray/offline.png"),
        (Availability::Offline, true) => include_bytes!("../../icons/tray/offline-alert.png"),
    }
}

/// Creates the tray icon and its menu.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, "toggle", "Show / hide window", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "online", "Online", true, None::<&str>)?,
            &MenuItem::with_id(app, "away", "Away", true, None::<&str>)?,
            &MenuItem::with_id(app, "occupied", "Occupied", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "logout", "Log out", true, None::<&str>)?,
            &MenuItem::with_id(app, "quit", "Quit Agent Desk", true, None::<&str>)?,
        ],
    )?;
    let look = TrayLook {
        availability: Availability::Offline,
        alert: false,
    };
    app.manage(Shown(Mutex::new(Some(look))));
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(icon_bytes(look))?)
        .tooltip("Agent Desk — Logged out")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                crate::window::toggle(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(())
}

/// Puts the tooltip, the counts beside the icon (Linux shows no tooltips) and, when it changed, the
/// picture in the tray. No tray (tests): nothing.
pub fn update<R: Runtime>(app: &AppHandle<R>, chrome: &Chrome) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Err(error) = tray.set_tooltip(Some(&chrome.tooltip)) {
        tracing::debug!(%error, "could not set the tray tooltip");
    }
    if let Err(error) = tray.set_title(Some(chrome.counts.as_deref().unwrap_or(""))) {
        tracing::debug!(%error, "could not set the tray title");
    }
    let Some(shown) = app.try_state::<Shown>() else {
        return;
    };
    let mut shown = shown
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if *shown == Some(chrome.look) {
        return;
    }
    match Image::from_bytes(icon_bytes(chrome.look)).and_then(|image| tray.set_icon(Some(image))) {
        Ok(()) => *shown = Some(chrome.look),
        Err(error) => tracing::warn!(%error, "could not change the tray icon"),
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let availability = match event.id().as_ref() {
        "toggle" => return crate::window::toggle(app),
        "quit" => return crate::exit_flow::quit_from_tray(app),
        "logout" => return crate::exit_flow::logout_from_tray(app),
        "online" => Availability::Online,
        "away" => Availability::Away,
        "occupied" => Availability::Occupied,
        other => return tracing::debug!(id = other, "unknown tray menu item"),
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(desk) = app.try_state::<crate::desk::Desk>() else {
            return;
        };
        if let Err(error) = desk.engine.set_availability(availability, None).await {
            tracing::warn!(?error, "availability from the tray failed");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_look_has_a_png() {
        for availability in [
            Availability::Online,
            Availability::Away,
            Availability::Occupied,
            Availability::Offline,
        ] {
            for alert in [false, true] {
                let bytes = icon_bytes(TrayLook {
                    availability,
                    alert,
                });
                assert_eq!(&bytes[1..4], b"PNG");
                assert!(Image::from_bytes(bytes).is_ok());
            }
        }
    }
}
