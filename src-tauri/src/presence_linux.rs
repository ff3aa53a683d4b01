//! Presence signals on Linux, each optional (a missing service is normal and only logged):
//! - `org.freedesktop.ScreenSaver` `ActiveChanged(b)` on the session bus (screen saver / lock);
//! - `org.freedesktop.login1`: this session's `Lock` / `Unlock` and the manager's
//!   `PrepareForSleep(b)` on the system bus;
//! - idle time every few seconds: asked from the desktop over D-Bus (`GetSessionIdleTime`, or
//!   GNOME's Mutter idle monitor), else from the X server's MIT-SCREEN-SAVER extension (x11rb, in
//!   pure Rust: the time since the last keyboard or mouse input on the display).
//!
//! Each runs on its own thread (D-Bus through `zbus::block_on`), never on the GTK main thread
//! and never on the async workers.

use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use zbus::{Connection, MatchRule, MessageStream, message::Type};

use crate::presence::{Cause, PresenceSource, SettingsFn, Signal};

/// How often the idle time is sampled.
const IDLE_SAMPLE: Duration = Duration::from_secs(5);

/// The Linux presence source.
pub struct LinuxPresence {
    settings: SettingsFn,
}

impl LinuxPresence {
    pub fn new(settings: SettingsFn) -> Self {
        Self { settings }
    }
}

impl PresenceSource for LinuxPresence {
    fn start(self: Box<Self>, tx: UnboundedSender<Signal>) {
        let session_tx = tx.clone();
        spawn("presence-session-bus", move || {
            if let Err(error) = zbus::block_on(screen_saver(session_tx)) {
                tracing::info!(%error, "no screen-saver signals (session bus)");
            }
        });
        let system_tx = tx.clone();
        spawn("presence-system-bus", move || {
            if let Err(error) = zbus::block_on(login1(system_tx)) {
                tracing::info!(%error, "no lock/suspend signals from logind (system bus)");
            }
        });
        let settings = self.settings;
        spawn("presence-idle", move || idle_loop(settings, tx));
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) {
    if let Err(error) = std::thread::Builder::new().name(name.into()).spawn(work) {
        tracing::warn!(%error, name, "could not start a presence thread");
    }
}

fn signal_rule<'m>(
    interface: &'m str,
    member: &'m str,
    path: Option<&'m str>,
) -> zbus::Result<MatchRule<'m>> {
    let mut rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(interface)
        .member(member);
    if let Some(path) = path {
        rule = rule.path(path);
    }
    rule.build()
}

/// `org.freedesktop.ScreenSaver.ActiveChanged(bool)` on the session bus.
pub async fn screen_saver(tx: UnboundedSender<Signal>) -> zbus::Result<()> {
    let bus = Connection::session().await?;
    let rule = signal_rule("org.freedesktop.ScreenSaver", "ActiveChanged", None)?;
    let mut stream = MessageStream::for_match_rule(rule, &bus, None).await?;
    tracing::info!("listening for screen-saver signals");
    while let Some(message) = stream.next().await {
        let Ok(message) = message else { continue };
        let body = message.body();
        let Ok(active) = body.deserialize::<bool>() else {
            tracing::debug!("ActiveChanged without a boolean; ignored");
            continue;
        };
        let signal = if active {
            Signal::Began(Cause::Locked)
        } else {
            Signal::Ended(Cause::Locked)
        };
        if tx.send(signal).is_err() {
            break;
        }
    }
    Ok(())
}

/// logind on the system bus: this session's `Lock`/`Unlock`, the manager's `PrepareForSleep`.
async fn login1(tx: UnboundedSender<Signal>) -> zbus::Result<()> {
    let bus = Connection::system().await?;
    let sleep_rule = signal_rule(
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        Some("/org/freedesktop/login1"),
    )?;
    let mut streams = vec![MessageStream::for_match_rule(sleep_rule, &bus, None).await?];
    match own_session(&bus).await {
        Ok(path) => {
            for member in ["Lock", "Unlock"] {
                let rule = signal_rule("org.freedesktop.login1.Session", member, Some(&path))?;
                streams.push(MessageStream::for_match_rule(rule, &bus, None).await?);
            }
        }
        Err(error) => tracing::info!(%error, "no logind session for this process; no Lock/Unlock"),
    }
    tracing::info!("listening for logind signals");
    let mut all = futures::stream::select_all(streams);
    while let Some(message) = all.next().await {
        let Ok(message) = message else { continue };
        let header = message.header();
        let signal = match header.member().map(|m| m.as_str()) {
            Some("Lock") => Signal::Began(Cause::Locked),
            Some("Unlock") => Signal::Ended(Cause::Locked),
            Some("PrepareForSleep") => match message.body().deserialize::<bool>() {
                Ok(true) => Signal::Began(Cause::Suspended),
                Ok(false) => Signal::Ended(Cause::Suspended),
                Err(_) => continue,
            },
            _ => continue,
        };
        if tx.send(signal).is_err() {
            break;
        }
    }
    Ok(())
}

/// This process's logind session object path.
async fn own_session(bus: &Connection) -> zbus::Result<String> {
    let reply = bus
        .call_method(
            Some("org.freedesktop.login1"),
            "/org/freedesktop/login1",
            Some("org.freedesktop.login1.Manager"),
            "GetSessionByPID",
            &(std::process::id(),),
        )
        .await?;
    let path: zbus::OwnedObjectPath = reply.body().deserialize()?;
    Ok(path.as_str().to_owned())
}

/// Samples the session's idle time; reports `Idle` once past the setting and its end at the next
/// input. Asks the desktop over D-Bus (see [`idle_time`]); a desktop that answers neither call
/// gives no idle detection (logged once).
fn idle_loop(settings: SettingsFn, tx: UnboundedSender<Signal>) {
    let bus = zbus::block_on(Connection::session()).ok();
    let mut x = XIdle::connect();
    if bus.is_none() && x.is_none() {
        tracing::info!("neither a session bus nor an X display; no idle detection");
        return;
    }
    let mut idle_now = false;
    let mut reported_missing = false;
    loop {
        std::thread::sleep(IDLE_SAMPLE);
        if tx.is_closed() {
            return;
        }
        let Some(threshold) = (settings)().idle_minutes else {
            continue;
        };
        let from_bus = match &bus {
            Some(bus) => zbus::block_on(idle_time(bus)),
            None => None,
        };
        let Some(for_how_long) = from_bus.or_else(|| x.as_mut().and_then(XIdle::idle_time)) else {
            if !reported_missing {
                tracing::info!("the desktop reports no idle time; no idle detection");
                reported_missing = true;
            }
            continue;
        };
        let past = for_how_long >= Duration::from_secs(u64::from(threshold) * 60);
        if past != idle_now {
            idle_now = past;
            let signal = if past {
                Signal::Began(Cause::Idle)
            } else {
                Signal::Ended(Cause::Idle)
            };
            if tx.send(signal).is_err() {
                return;
            }
        }
    }
}

/// The X server's idle time (MIT-SCREEN-SAVER's `QueryInfo`: milliseconds since the last input).
pub struct XIdle {
    conn: x11rb::rust_connection::RustConnection,
    root: u32,
}

impl XIdle {
    /// Connects to `$DISPLAY`; `None` (logged) without one, or without the extension.
    pub fn connect() -> Option<Self> {
        use x11rb::connection::{Connection as _, RequestConnection as _};
        std::env::var_os("DISPLAY")?;
        let (conn, screen) = match x11rb::connect(None) {
            Ok(connected) => connected,
            Err(error) => {
                tracing::info!(%error, "no X display for idle time");
                return None;
            }
        };
        let has_extension = conn
            .extension_information(x11rb::protocol::screensaver::X11_EXTENSION_NAME)
            .ok()
            .flatten()
            .is_some();
        if !has_extension {
            tracing::info!("the X server has no MIT-SCREEN-SAVER extension; no idle time from X");
            return None;
        }
        let root = conn.setup().roots.get(screen)?.root;
        Some(Self { conn, root })
    }

    /// Time since the last keyboard or mouse input on the display.
    pub fn idle_time(&mut self) -> Option<Duration> {
        use x11rb::protocol::screensaver::ConnectionExt as _;
        match self
            .conn
            .screensaver_query_info(self.root)
            .ok()
            .and_then(|cookie| cookie.reply().ok())
        {
            Some(info) => Some(Duration::from_millis(info.ms_since_user_input.into())),
            None => {
                tracing::debug!("MIT-SCREEN-SAVER QueryInfo failed");
                None
            }
        }
    }
}

/// Time since the last input, from `org.freedesktop.ScreenSaver.GetSessionIdleTime` (KDE and
/// others) or GNOME's `org.gnome.Mutter.IdleMonitor.GetIdletime`; both in milliseconds.
async fn idle_time(bus: &Connection) -> Option<Duration> {
    let calls = [
        (
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "GetSessionIdleTime",
        ),
        (
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
            "GetIdletime",
        ),
    ];
    for (name, path, interface, method) in calls {
        let Ok(reply) = bus
            .call_method(Some(name), path, Some(interface), method, &())
            .await
        else {
            continue;
        };
        let body = reply.body();
        if let Ok(ms) = body.deserialize::<u32>() {
            return Some(Duration::from_millis(ms.into()));
        }
        if let Ok(ms) = body.deserialize::<u64>() {
            return Some(Duration::from_millis(ms));
        }
    }
    None
}
