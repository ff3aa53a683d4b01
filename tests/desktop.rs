//! The desktop around the app window: a window manager (bare Xvfb has none, so nobody would ever
//! ask the window to close) and what X and the window manager say about the app's window
//! (`openbox`, `wmctrl`, `xdotool`, `xwininfo`; see scripts/setup.sh).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

use crate::window::{STEP, poll};
use crate::{E2eResult, fail};

/// Runs `program args…` and returns its stdout; fails when it cannot start or exits non-zero.
pub fn run_tool(program: &str, args: &[&str]) -> E2eResult<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(format!("cannot run {program} ({e}); run scripts/setup.sh")))?;
    if !out.status.success() {
        return Err(fail(format!(
            "{program} {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The running window manager's name (`wmctrl -m`), if one runs on the display.
pub fn window_manager_name() -> Option<String> {
    let out = run_tool("wmctrl", &["-m"]).ok()?;
    out.lines()
        .find_map(|line| line.strip_prefix("Name:"))
        .map(|name| name.trim().to_owned())
}

/// Openbox on the test's display while it lives; killed on drop.
pub struct WindowManager {
    child: Option<Child>,
}

impl WindowManager {
    /// Starts openbox and waits (at most [`STEP`]) until it manages the display. When a window
    /// manager already runs there, that one is used and nothing is started.
    pub async fn start() -> E2eResult<Self> {
        if let Some(name) = window_manager_name() {
            eprintln!("a window manager already runs ({name}); using it");
            return Ok(Self { child: None });
        }
        let child = Command::new("openbox")
            .arg("--sm-disable")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| fail(format!("cannot start openbox ({e}); run scripts/setup.sh")))?;
        let manager = Self { child: Some(child) };
        poll("openbox to manage the display", STEP, || async {
            Ok(window_manager_name().filter(|name| name.eq_ignore_ascii_case("openbox")))
        })
        .await?;
        Ok(manager)
    }
}

impl Drop for WindowManager {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One window as `wmctrl -lp` lists it (the window manager's client list: mapped, managed windows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedWindow {
    pub id: String,
    pub pid: u32,
    pub title: String,
}

/// The windows the window manager manages (`wmctrl -lp`).
pub fn managed_windows() -> E2eResult<Vec<ManagedWindow>> {
    let out = run_tool("wmctrl", &["-lp"])?;
    Ok(out
        .lines()
        .filter_map(|line| {
            // id desktop pid host title…
            let (id, rest) = first_field(line);
            let (_desktop, rest) = first_field(rest);
            let (pid, rest) = first_field(rest);
            let (_host, title) = first_field(rest);
            Some(ManagedWindow {
                id: id.to_owned(),
                pid: pid.parse().ok()?,
                title: title.to_owned(),
            })
        })
        .collect())
}

/// The first whitespace-separated field of `line` and what follows it (leading space trimmed).
fn first_field(line: &str) -> (&str, &str) {
    let line = line.trim_start();
    match line.split_once(char::is_whitespace) {
        Some((field, rest)) => (field, rest.trim_start()),
        None => (line, ""),
    }
}

/// The managed window of process `pid` whose title starts with `title_prefix`, if any.
pub fn managed_window_of(pid: u32, title_prefix: &str) -> E2eResult<Option<ManagedWindow>> {
    Ok(managed_windows()?
        .into_iter()
        .find(|w| w.pid == pid && w.title.starts_with(title_prefix)))
}

/// The X map state of a window (`xwininfo -id`): `IsViewable`, `IsUnMapped` or `IsUnviewable`.
pub fn map_state(id: &str) -> E2eResult<String> {
    let out = run_tool("xwininfo", &["-id", id])?;
    out.lines()
        .find_map(|line| line.trim().strip_prefix("Map State:"))
        .map(|state| state.trim().to_owned())
        .ok_or_else(|| fail(format!("no map state in xwininfo's answer: {out}")))
}

/// Waits until the X map state of window `id` is `state` (`IsViewable`, `IsUnMapped`).
pub async fn map_state_is(id: &str, state: &str) -> E2eResult<()> {
    poll(&format!("window {id} to be {state}"), STEP, || async move {
        Ok((map_state(id)? == state).then_some(()))
    })
    .await
}

/// A window's title as X has it (`xdotool getwindowname`), also for an unmapped window.
pub fn window_name(id: &str) -> E2eResult<String> {
    let id = parse_id(id)?;
    Ok(run_tool("xdotool", &["getwindowname", &id.to_string()])?
        .trim_end_matches('\n')
        .to_owned())
}

/// The visible windows whose name matches the regex `name` (`xdotool search --onlyvisible`).
pub fn visible_windows_named(name: &str) -> E2eResult<Vec<u64>> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", name])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(format!("cannot run xdotool ({e}); run scripts/setup.sh")))?;
    // Exit status 1 just means nothing matched.
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect())
}

/// Asks the window manager to close a window, as its close button does (`wmctrl -i -c`: the
/// window manager sends the client `WM_DELETE_WINDOW`; the window is not destroyed from outside).
pub fn request_close(id: &str) -> E2eResult<()> {
    run_tool("wmctrl", &["-i", "-c", id])?;
    Ok(())
}

/// `0x…` or decimal window id as a number.
pub fn parse_id(id: &str) -> E2eResult<u64> {
    let parsed = match id.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => id.parse(),
    };
    parsed.map_err(|e| fail(format!("window id {id:?}: {e}")))
}

/// Whether process `pid` runs (exists and is not a zombie).
pub fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}
