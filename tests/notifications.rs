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
    /// The summary (third string argument).
    pub fn summary(&self) -> String {
        self.strings().get(2).cloned().unwrap_or_default()
    }

    /// The `replaces_id` argument (the first `uint32`): 0 for a new notification.
    pub fn replaces_id(&self) -> Option<u32> {
        self.text
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("uint32 "))
            .and_then(|n| n.trim().parse().ok())
    }

    /// The `urgency` hint (0 low, 1 normal, 2 critical), if sent.
    pub fn urgency(&self) -> Option<u8> {
        let lines: Vec<&str> = self.text.lines().map(str::trim).collect();
        let at = lines.iter().position(|l| *l == "string \"urgency\"")?;
        lines
            .get(at + 1)?
            .strip_prefix("variant")?
            .trim()
            .strip_prefix("byte ")?
            .trim()
            .parse()
            .ok()
    }

    /// A string hint's value (e.g. `sound-name`), if sent.
    pub fn string_hint(&self, name: &str) -> Option<String> {
        let lines: Vec<&str> = self.text.lines().map(str::trim).collect();
        let at = lines
            .iter()
            .position(|l| *l == format!("string \"{name}\""))?;
        let value = lines.get(at + 1)?.strip_prefix("variant")?.trim();
        let value = value.strip_prefix("string \"")?;
        Some(value.strip_suffix('"').unwrap_or(value).to_owned())
    }

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

    /// The ids of every `CloseNotification` call seen so far.
    pub fn close_calls(&self) -> Vec<u32> {
        self.ids_after(|line| {
            line.starts_with("method call") && line.contains("member=CloseNotification")
        })
    }

    /// The ids of every `NotificationClosed` signal seen so far (the server closed them).
    pub fn closed_signals(&self) -> Vec<u32> {
        self.ids_after(|line| {
            line.starts_with("signal") && line.contains("member=NotificationClosed")
        })
    }

    /// The first `uint32` argument of each message whose header matches.
    fn ids_after(&self, header: impl Fn(&str) -> bool) -> Vec<u32> {
        let lines = self.snapshot();
        let mut ids = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if header(line)
                && let Some(id) = lines.get(i + 1).and_then(|l| {
                    l.trim_start()
                        .strip_prefix("uint32 ")
                        .and_then(|n| n.trim().parse().ok())
                })
            {
                ids.push(id);
            }
        }
        ids
    }

    /// Waits until `found` picks something out of the calls seen so far.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        found: impl Fn(&Self) -> Option<T>,
    ) -> E2eResult<T> {
        let result = poll(what, timeout, || async { Ok(found(self)) }).await;
        result.map_err(|e| {
            fail(format!(
                "{e}; dbus-monitor saw:\n{}",
                self.snapshot().join("\n")
            ))
        })
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
