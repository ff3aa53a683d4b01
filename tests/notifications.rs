//! Watches desktop notifications on the session bus with `dbus-monitor`, and asks the notification
//! daemon who it is.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::window::poll;
use crate::{E2eResult, fail};

/// A running `dbus-monitor --session "interface='org.freedesktop.Notifications'"`.
pub struct NotificationWatch {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

/// One `Notify` call as dbus-monitor printed it (the header and its argument lines).
#[derive(Debug, Clone)]
pub struct NotifyCall {
    pub text: String,
}

impl NotifyCall {
    /// The string arguments in order: app name, icon, summary, body, then actions.
    pub fn strings(&self) -> Vec<String> {
        self.text
            .lines()
            .filter_map(|line| {
                let rest = line.trim_start().strip_prefix("string \"")?;
                Some(rest.strip_suffix('"').unwrap_or(rest).to_owned())
            })
            .collect()
    }
}

impl NotificationWatch {
    /// Starts watching; returns once dbus-monitor is attached to the bus.
    pub async fn start() -> E2eResult<Self> {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications'"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(format!("cannot run dbus-monitor: {e}")))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| fail("dbus-monitor has no stdout"))?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(line);
            }
        });
        let watch = Self { child, lines };
        // dbus-monitor prints its own NameAcquired/NameLost signals once it is attached.
        poll(
            "dbus-monitor to attach to the session bus",
            Duration::from_secs(10),
            || async { Ok((!watch.snapshot().is_empty()).then_some(())) },
        )
        .await?;
        Ok(watch)
    }

    fn snapshot(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Every `Notify` method call seen so far.
    pub fn notify_calls(&self) -> Vec<NotifyCall> {
        let mut calls = Vec::new();
        let mut current: Option<String> = None;
        for line in self.snapshot() {
            let is_header = !line.starts_with(' ') && !line.starts_with('\t');
            if is_header {
                if let Some(done) = current.take() {
                    calls.push(NotifyCall { text: done });
                }
                if line.starts_with("method call") && line.contains("member=Notify") {
                    current = Some(line);
                }
            } else if let Some(text) = current.as_mut() {
                text.push('\n');
                text.push_str(&line);
            }
        }
        // The last block may still be arriving; it counts once its summary is there.
        if let Some(done) = current {
            calls.push(NotifyCall { text: done });
        }
        calls
    }

    /// Waits for a `Notify` call whose summary contains `summary`.
    pub async fn wait_for_notify(&self, summary: &str, timeout: Duration) -> E2eResult<NotifyCall> {
        let found = poll(
            &format!("a Notify call with summary containing {summary:?}"),
            timeout,
            || async {
                Ok(self
                    .notify_calls()
                    .into_iter()
                    .find(|call| call.strings().get(2).is_some_and(|s| s.contains(summary))))
            },
        )
        .await;
        found.map_err(|e| {
            fail(format!(
                "{e}; dbus-monitor saw:\n{}",
                self.snapshot().join("\n")
            ))
        })
    }
}

impl Drop for NotificationWatch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The notification daemon's name (`GetServerInformation`), proving one answers on the bus.
pub fn notification_server_name() -> E2eResult<String> {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--reply-timeout=5000",
            "--dest=org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications.GetServerInformation",
        ])
        .output()
        .map_err(|e| fail(format!("cannot run dbus-send: {e}")))?;
    if !out.status.success() {
        return Err(fail(format!(
            "no notification daemon answered: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|line| {
            let rest = line.trim_start().strip_prefix("string \"")?;
            Some(rest.trim_end_matches('"').to_owned())
        })
        .ok_or_else(|| fail(format!("unexpected GetServerInformation reply: {text}")))
}
