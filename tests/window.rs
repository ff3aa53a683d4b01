//! The real app window over WebDriver.
//!
//! `WebKitWebDriver` (Debian's `webkit2gtk-driver`) starts the app binary as its browser and passes
//! its own environment on, so the app's launch options (`AGENT_DESK_DATA_DIR`, …) are set on the
//! driver. `TAURI_WEBVIEW_AUTOMATION=true` makes Tauri allow automation (without it the new session
//! hangs). The app is single-instance: never run two [`AppWindow`]s at once ([`serial`] helps).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::{E2eResult, fail};

/// The default bound of one waiting step.
pub const STEP: Duration = Duration::from_secs(20);

/// Fails (does not skip) without an X display to open the window on: the window tests are
/// `#[ignore]`d and meant to run inside the desktop session, `scripts/desktop-session.sh cargo test
/// -p agent-desk-e2e -- --include-ignored`.
pub fn require_display() -> E2eResult<()> {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return Ok(());
    }
    Err(fail(
        "no DISPLAY: run the window tests inside the desktop session: \
         scripts/desktop-session.sh cargo test -p agent-desk-e2e -- --include-ignored",
    ))
}

static ONE_APP: Mutex<()> = Mutex::new(());

/// Serialises the window tests of one test binary (the app is single-instance). A test that failed
/// while holding the lock does not block the others.
pub fn serial() -> MutexGuard<'static, ()> {
    ONE_APP
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The built app binary: `AGENT_DESK_APP`, else `agent-desk` next to this test binary's target
/// folder (`$CARGO_TARGET_DIR/debug/agent-desk` or `target/debug/agent-desk`).
pub fn app_binary() -> E2eResult<PathBuf> {
    if let Some(path) = std::env::var_os("AGENT_DESK_APP") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(fail(format!(
                "AGENT_DESK_APP={} is not a file",
                path.display()
            )))
        };
    }
    let mut candidates = Vec::new();
    // This test binary lives in <target>/<profile>/deps/.
    if let Ok(exe) = std::env::current_exe()
        && let Some(profile_dir) = exe.parent().and_then(Path::parent)
    {
        candidates.push(profile_dir.join("agent-desk"));
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(dir).join("debug").join("agent-desk"));
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("target")
            .join("debug")
            .join("agent-desk"),
    );
    candidates
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .ok_or_else(|| {
            fail(format!(
                "the app binary is not built (looked at {candidates:?}). Build it first with \
                 `cargo build --workspace --all-targets` (what scripts/test.sh does) or \
                 `cargo build -p agent-desk`, or point AGENT_DESK_APP at it"
            ))
        })
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> E2eResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The repository root (where `artifacts/` goes).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `[data-testid="…"]`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// `[data-testid=…][data-chat=…]`: an element of one chat.
pub fn of_chat(testid: &str, chat: &str) -> String {
    format!("{}[data-chat=\"{chat}\"]", tid(testid))
}

/// Polls `probe` until it gives `Some`, for at most `timeout`; the error names `what`.
pub async fn poll<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> E2eResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = E2eResult<Option<T>>>,
{
    let start = Instant::now();
    let mut last_error = None;
    loop {
        match probe().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(error) => last_error = Some(error.to_string()),
        }
        if start.elapsed() >= timeout {
            let detail = last_error
                .map(|e| format!(" (last error: {e})"))
                .unwrap_or_default();
            return Err(fail(format!(
                "timed out after {:.1} s waiting for {what}{detail}",
                timeout.as_secs_f64()
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How the app is launched.
#[derive(Debug, Clone, Default)]
pub struct LaunchSpec {
    /// Extra environment for the app (on top of a temp data folder and in-memory secrets).
    pub env: Vec<(String, String)>,
    /// Extra command-line arguments for the app.
    pub args: Vec<String>,
}

/// The running app with a WebDriver session on its window. Dropping it kills the app and the
/// driver; prefer [`AppWindow::close`], which ends the session first.
pub struct AppWindow {
    client: Option<Client>,
    driver: Option<Child>,
    /// Shared with a later launch on the same folders ([`AppWindow::launch_on`]).
    data: std::sync::Arc<tempfile::TempDir>,
    /// How the driver started the app, for [`AppWindow::launch_again`].
    binary: PathBuf,
    app_env: Vec<(String, String)>,
    args: Vec<String>,
}

impl AppWindow {
    /// Starts `WebKitWebDriver`, which starts the app, and opens a session on its window.
    pub async fn launch(spec: LaunchSpec) -> E2eResult<Self> {
        let data = tempfile::Builder::new()
            .prefix("agent-desk-e2e-")
            .tempdir()?;
        Self::launch_on(spec, std::sync::Arc::new(data)).await
    }

    /// [`AppWindow::launch`] on the folders of an earlier launch ([`AppWindow::folders`]): the
    /// same data folder, settings, window state and WebKit storage, as after a restart.
    pub async fn launch_on(
        spec: LaunchSpec,
        data: std::sync::Arc<tempfile::TempDir>,
    ) -> E2eResult<Self> {
        let binary = app_binary()?;
        let port = free_port()?;
        let driver_log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data.path().join("driver.log"))?;
        let path = |sub: &str| data.path().join(sub).to_string_lossy().into_owned();
        let mut app_env: Vec<(String, String)> = vec![
            ("TAURI_WEBVIEW_AUTOMATION".into(), "true".into()),
            ("AGENT_DESK_DATA_DIR".into(), path("app")),
            ("AGENT_DESK_SECRETS".into(), "memory".into()),
            // The app's log filter: AGENT_DESK_E2E_LOG (e.g. the app's default, "debug"), else info.
            (
                "RUST_LOG".into(),
                std::env::var("AGENT_DESK_E2E_LOG").unwrap_or_else(|_| "info".into()),
            ),
            // WebKit's own storage (localStorage, caches) per run, too.
            ("XDG_DATA_HOME".into(), path("xdg-data")),
            ("XDG_CACHE_HOME".into(), path("xdg-cache")),
        ];
        app_env.extend(spec.env.iter().cloned());
        let mut command = Command::new("WebKitWebDriver");
        command
            .arg(format!("--port={port}"))
            .envs(app_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(driver_log.try_clone()?)
            .stderr(driver_log)
            // Its own process group: the app and its WebKit processes are killed with it.
            .process_group(0);
        let driver = command.spawn().map_err(|e| {
            fail(format!(
                "cannot start WebKitWebDriver ({e}); install Debian's webkit2gtk-driver"
            ))
        })?;
        let mut window = Self {
            client: None,
            driver: Some(driver),
            data,
            binary: binary.clone(),
            app_env,
            args: spec.args.clone(),
        };
        poll("WebKitWebDriver to listen", STEP, || async move {
            Ok(TcpStream::connect(("127.0.0.1", port)).ok().map(|_| ()))
        })
        .await?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "webkitgtk:browserOptions".into(),
            json!({
                "binary": binary.to_string_lossy(),
                "args": spec.args,
            }),
        );
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{port}");
        let client = tokio::time::timeout(Duration::from_secs(60), builder.connect(&url))
            .await
            .map_err(|_| fail("the WebDriver session did not open within 60 s"))?
            .map_err(|e| fail(format!("opening the WebDriver session: {e}")))?;
        window.client = Some(client);
        Ok(window)
    }

    /// The WebDriver client.
    pub fn client(&self) -> E2eResult<&Client> {
        self.client
            .as_ref()
            .ok_or_else(|| fail("the WebDriver session is closed"))
    }

    /// This launch's folders, to launch again on them after this app has gone.
    pub fn folders(&self) -> std::sync::Arc<tempfile::TempDir> {
        self.data.clone()
    }

    /// The app's data folder (`AGENT_DESK_DATA_DIR`).
    pub fn data_dir(&self) -> PathBuf {
        self.data.path().join("app")
    }

    /// The pid of the running app (the `agent-desk` process the driver started), if it runs.
    pub fn app_pid(&self) -> Option<u32> {
        let driver = self.driver.as_ref()?.id();
        let name = self.binary.file_name()?.to_string_lossy().into_owned();
        // /proc's comm is the name cut to 15 bytes.
        let comm: String = name.chars().take(15).collect();
        group_members(driver).into_iter().find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|found| found.trim_end() == comm)
        })
    }

    /// The pids of the WebKit web processes (the pages) the app runs now.
    pub fn web_processes(&self) -> Vec<u32> {
        // /proc's comm is cut to 15 bytes: "WebKitWebProces".
        self.webkit_processes("WebKitWebProc")
    }

    /// The pids of WebKit's network processes the app runs now.
    pub fn network_processes(&self) -> Vec<u32> {
        // "WebKitNetworkPr" in /proc's comm.
        self.webkit_processes("WebKitNetworkP")
    }

    fn webkit_processes(&self, prefix: &str) -> Vec<u32> {
        let Some(driver) = self.driver.as_ref().map(Child::id) else {
            return Vec::new();
        };
        group_members(driver)
            .into_iter()
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim_end().starts_with(prefix))
            })
            .collect()
    }

    /// After the app built its window again (tray mode released the old page), moves the WebDriver
    /// session to the new page: waits until the session lists a window whose page answers a script,
    /// and switches to it. Returns its handle.
    pub async fn follow_new_page(&self) -> E2eResult<String> {
        let client = self.client()?;
        poll(
            "the WebDriver session to see the new page",
            STEP,
            || async move {
                for handle in client.windows().await? {
                    if client.switch_to_window(handle.clone()).await.is_err() {
                        continue;
                    }
                    if client
                        .execute("return document.readyState", Vec::new())
                        .await
                        .is_ok()
                    {
                        return Ok(Some(String::from(handle)));
                    }
                }
                Ok(None)
            },
        )
        .await
    }

    /// Launches the app binary a second time, as a user would, with the same data folder and
    /// environment (not through the driver), and waits (at most [`STEP`]) for it to exit: the
    /// single-instance plugin hands over to the running app, which shows its window.
    pub async fn launch_again(&self) -> E2eResult<std::process::ExitStatus> {
        let log = std::fs::File::create(self.data.path().join("second-launch.log"))?;
        let mut second = Command::new(&self.binary)
            .args(&self.args)
            .envs(self.app_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| fail(format!("cannot start {}: {e}", self.binary.display())))?;
        let second_ref = &mut second;
        let waited = poll("the second launch to exit", STEP, || {
            let status = second_ref.try_wait();
            async move { Ok(status?) }
        })
        .await;
        if waited.is_err() {
            let _ = second.kill();
            let _ = second.wait();
        }
        waited
    }

    /// The end of the app's log file and the driver's output, for failure reports.
    pub fn logs_tail(&self, lines: usize) -> String {
        let mut out = String::new();
        let logs = self.data_dir().join("logs");
        if let Ok(entries) = std::fs::read_dir(&logs) {
            for entry in entries.flatten() {
                out.push_str(&tail_of(&entry.path(), lines));
            }
        }
        out.push_str(&tail_of(&self.data.path().join("driver.log"), lines));
        out.push_str(&tail_of(&self.data.path().join("second-launch.log"), lines));
        out
    }

    /// The first element matching `css`, if any (no waiting).
    pub async fn find(&self, css: &str) -> E2eResult<Option<Element>> {
        match self.client()?.find(Locator::Css(css)).await {
            Ok(element) => Ok(Some(element)),
            Err(e) if e.is_no_such_element() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// All elements matching `css`.
    pub async fn find_all(&self, css: &str) -> E2eResult<Vec<Element>> {
        Ok(self.client()?.find_all(Locator::Css(css)).await?)
    }

    /// Waits until an element matching `css` is displayed and returns it.
    pub async fn visible(&self, css: &str) -> E2eResult<Element> {
        poll(&format!("{css} to be visible"), STEP, || async move {
            match self.find(css).await? {
                Some(element) if element.is_displayed().await? => Ok(Some(element)),
                _ => Ok(None),
            }
        })
        .await
    }

    /// Waits until no displayed element matches `css`.
    pub async fn gone(&self, css: &str) -> E2eResult<()> {
        poll(&format!("{css} to disappear"), STEP, || async move {
            for element in self.find_all(css).await? {
                if element.is_displayed().await? {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    /// Waits until the text of the element matching `css` contains `needle`; returns the text.
    pub async fn text_contains(&self, css: &str, needle: &str) -> E2eResult<String> {
        let seen = std::cell::RefCell::new(String::new());
        let seen_ref = &seen;
        let what = format!("{css} to contain {needle:?}");
        let result = poll(&what, STEP, || async move {
            let Some(element) = self.find(css).await? else {
                return Ok(None);
            };
            let text = element.text().await?;
            let found = text.contains(needle);
            *seen_ref.borrow_mut() = text.clone();
            Ok(found.then_some(text))
        })
        .await;
        result.map_err(|e| fail(format!("{e}; last text: {:?}", seen.borrow())))
    }

    /// Waits for an element, then clicks it.
    pub async fn click(&self, css: &str) -> E2eResult<()> {
        self.visible(css).await?.click().await?;
        Ok(())
    }

    /// Runs a script in the page and returns its value.
    pub async fn script(&self, script: &str) -> E2eResult<Value> {
        Ok(self.client()?.execute(script, Vec::new()).await?)
    }

    /// Starts recording the page's uncaught errors and unhandled rejections (see [`Self::page_errors`]).
    pub async fn record_page_errors(&self) -> E2eResult<()> {
        self.script(
            "if (!window.__e2eErrors) {\n\
               window.__e2eErrors = [];\n\
               window.addEventListener('error', e => window.__e2eErrors.push(`${e.message} at ${e.filename}:${e.lineno}:${e.colno}`));\n\
               window.addEventListener('unhandledrejection', e => window.__e2eErrors.push(`unhandled rejection: ${e.reason && (e.reason.stack || e.reason.message) || JSON.stringify(e.reason)}`));\n\
             }\n\
             return true;",
        )
        .await?;
        Ok(())
    }

    /// The page errors recorded since [`Self::record_page_errors`].
    pub async fn page_errors(&self) -> E2eResult<Vec<String>> {
        let value = self.script("return window.__e2eErrors || [];").await?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Moves the mouse pointer to (`x`, `y`) of the page (e.g. away from anything with a tooltip).
    pub async fn move_pointer(&self, x: f64, y: f64) -> E2eResult<()> {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        });
        self.client()?.perform_actions(mouse).await?;
        Ok(())
    }

    /// Saves a PNG of the page as WebDriver renders it.
    pub async fn save_page_screenshot(&self, path: &Path) -> E2eResult<()> {
        let png = self.client()?.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Ends the session (the driver closes the app), then stops the driver and anything left of the
    /// app.
    pub async fn close(mut self) -> E2eResult<()> {
        if let Some(client) = self.client.take() {
            // The app may be slow to go; the kill below finishes the job.
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        self.kill();
        Ok(())
    }

    fn kill(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            kill_group(driver.id());
            let _ = driver.kill();
            let _ = driver.wait();
            wait_group_gone(driver.id(), Duration::from_secs(10));
        }
    }
}

impl Drop for AppWindow {
    fn drop(&mut self) {
        if std::thread::panicking() || self.driver.is_some() {
            eprintln!("--- app and driver logs ---\n{}", self.logs_tail(40));
        }
        // The client's connection dies with the driver.
        self.client.take();
        self.kill();
    }
}

/// SIGKILL to every process of the group `pgid` (the driver's group: the app and its WebKit
/// processes).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Waits until no process of group `pgid` is left (so a next launch is not taken for a second
/// instance of this one).
fn wait_group_gone(pgid: u32, timeout: Duration) {
    let start = Instant::now();
    while start.elapsed() < timeout && !group_members(pgid).is_empty() {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pids whose process group is `pgid` (from /proc).
pub fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    // Fields after the command name (which may hold spaces) in parentheses.
                    let rest = stat.rsplit_once(')')?.1;
                    let fields: Vec<&str> = rest.split_whitespace().collect();
                    // state ppid pgrp …; a zombie no longer counts.
                    let state = *fields.first()?;
                    let pgrp = fields.get(2)?.parse::<u32>().ok()?;
                    Some(state != "Z" && pgrp == pgid)
                })
                .unwrap_or(false)
        })
        .collect()
}

fn tail_of(path: &Path, lines: usize) -> String {
    let Ok(file) = std::fs::File::open(path) else {
        return String::new();
    };
    let all: Vec<String> = BufReader::new(file).lines().map_while(Result::ok).collect();
    let start = all.len().saturating_sub(lines);
    format!("== {} ==\n{}\n", path.display(), all[start..].join("\n"))
}

/// Saves a screenshot of the whole X screen (`import -window root`, imagemagick) once the screen
/// has stopped changing (two grabs in a row alike, at most 5 s): what X shows can lag a frame
/// behind the DOM.
pub fn save_screen(path: &Path) -> E2eResult<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let grab = || -> E2eResult<Vec<u8>> {
        let out = Command::new("import")
            .args(["-window", "root", "-depth", "8", "rgb:-"])
            .output()
            .map_err(|e| fail(format!("cannot run imagemagick's import: {e}")))?;
        if !out.status.success() {
            return Err(fail(format!("import -window root failed: {}", out.status)));
        }
        Ok(out.stdout)
    };
    let start = Instant::now();
    let mut last = grab()?;
    while start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(150));
        let next = grab()?;
        if next == last {
            break;
        }
        last = next;
    }
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .map_err(|e| fail(format!("cannot run imagemagick's import: {e}")))?;
    if !status.success() {
        return Err(fail(format!("import -window root failed: {status}")));
    }
    Ok(())
}
