//! How WebKit renders the page (issue 10 §2). WebKitGTK composites every page on the GPU; with no
//! GPU (no `/dev/dri/renderD*`: VDI seats, many office desktops, these build machines) it does so on
//! llvmpipe, which costs ≈ 140 MiB PSS in the web process, seconds of start (LLVM compiling shaders)
//! and a quarter of a core while the caret blinks. See `../shared/webkit-notes.md`.
//!
//! `AGENT_DESK_COMPOSITING=auto|on|off` (default `auto`):
//! - `auto`: composite only when a GPU render node can be opened;
//! - `on`: leave WebKit's default (composited);
//! - `off`: never composite.
//!
//! Not compositing is applied twice on Linux:
//! 1. [`set_env_if_needed`], at the very top of `main`: `WEBKIT_DISABLE_COMPOSITING_MODE=1` must be
//!    in the environment before GTK/WebKit start (and WebKit's child processes inherit it).
//!    `std::env::set_var` is `unsafe` (another thread could read the environment meanwhile); at
//!    the top of `main` there is no other thread, so it is set there, in the one reviewed `unsafe`
//!    block of the shell's start. (It used to re-execute the program with the variable set, which
//!    cost a second exec and dynamic link: ≈ 43 ms of every start.) `AGENT_DESK_COMPOSITING_ENV=0`
//!    skips this step (to measure the settings alone).
//! 2. [`apply`], from `with_webview`: the hardware-acceleration policy `Never`. The main window is
//!    created from `tauri.conf.json` before `setup`, so this lands after the first load started.
//!
//! In every mode: cache model "document viewer" (no browsing interface), WebGL, WebAudio, media,
//! media source, media stream, encrypted media and the page cache off: the desk uses none of them.

use std::path::Path;

/// The `AGENT_DESK_COMPOSITING` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Compositing {
    /// Composite when a GPU render node is usable.
    #[default]
    Auto,
    /// Always composite (WebKit's default).
    On,
    /// Never composite.
    Off,
}

/// The environment variable naming the mode.
pub const MODE_ENV: &str = "AGENT_DESK_COMPOSITING";
/// `0` leaves [`WEBKIT_ENV`] unset (the settings from [`apply`] alone).
pub const SET_ENV: &str = "AGENT_DESK_COMPOSITING_ENV";
/// WebKitGTK's own switch, read when it starts.
pub const WEBKIT_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

impl Compositing {
    /// From the value of [`MODE_ENV`]; unknown values mean `auto`.
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("on" | "1" | "true" | "yes" | "always") => Self::On,
            Some("off" | "0" | "false" | "no" | "never") => Self::Off,
            _ => Self::Auto,
        }
    }

    /// From this process's environment.
    pub fn from_env() -> Self {
        Self::parse(std::env::var(MODE_ENV).ok().as_deref())
    }
}

/// What was decided, and why (logged at start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub mode: Compositing,
    /// A GPU render node could be opened (`None`: not looked for, the mode was forced).
    pub gpu: Option<bool>,
    pub composite: bool,
}

/// Decides from the mode and a probe for a GPU (called only in `auto`).
pub fn decide(mode: Compositing, gpu: impl FnOnce() -> bool) -> Decision {
    match mode {
        Compositing::On => Decision {
            mode,
            gpu: None,
            composite: true,
        },
        Compositing::Off => Decision {
            mode,
            gpu: None,
            composite: false,
        },
        Compositing::Auto => {
            let gpu = gpu();
            Decision {
                mode,
                gpu: Some(gpu),
                composite: gpu,
            }
        }
    }
}

/// This process's decision (the environment and `/dev/dri`), made once.
pub fn decision() -> Decision {
    static DECISION: std::sync::OnceLock<Decision> = std::sync::OnceLock::new();
    *DECISION.get_or_init(|| {
        decide(Compositing::from_env(), || {
            has_render_node(Path::new("/dev/dri"))
        })
    })
}

/// True when some `renderD*` node in `dri` opens for reading and writing (present but not
/// permitted, e.g. the user is not in the `render` group, counts as absent).
pub fn has_render_node(dri: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dri) else {
        return false;
    };
    entries.flatten().any(|entry| {
        entry.file_name().to_string_lossy().starts_with("renderD")
            && std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
    })
}

/// At the top of `main`, on Linux, before any other thread starts: when not compositing and
/// [`WEBKIT_ENV`] is not set yet, sets it (GTK and WebKit read it when they start, and WebKit's
/// processes inherit it).
///
/// # Safety
/// No other thread may exist yet: `std::env::set_var` races with any concurrent reader of the
/// environment. `main` calls this first, before Tauri, GTK, tokio or logging start a thread.
#[allow(unsafe_code)]
pub unsafe fn set_env_if_needed() {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os(WEBKIT_ENV).is_some()
            || std::env::var(SET_ENV).is_ok_and(|v| v.trim() == "0")
            || decision().composite
        {
            return;
        }
        // SAFETY: the caller guarantees this process has one thread (see above).
        unsafe { std::env::set_var(WEBKIT_ENV, "1") };
    }
}

/// Logs the decision (once logging is up).
pub fn log_decision() {
    let decision = decision();
    let env_set = std::env::var_os(WEBKIT_ENV).is_some();
    tracing::info!(
        mode = ?decision.mode,
        gpu_render_node = ?decision.gpu,
        composited = decision.composite,
        webkit_disable_compositing_mode = env_set,
        "rendering: {}",
        if decision.composite {
            "composited (WebKit's default)"
        } else if env_set {
            "not composited (WEBKIT_DISABLE_COMPOSITING_MODE=1 before GTK started, policy Never)"
        } else {
            "not composited (hardware-acceleration policy Never, set after the first load started)"
        }
    );
}

/// Applies the WebKit settings to the main window's webview (Linux; elsewhere nothing).
pub fn apply<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        let composite = decision().composite;
        let applied = window.with_webview(move |webview| {
            use webkit2gtk::{
                CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
            };
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                if !composite {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
                settings.set_enable_webgl(false);
                settings.set_enable_webaudio(false);
                settings.set_enable_media(false);
                settings.set_enable_mediasource(false);
                settings.set_enable_media_stream(false);
                settings.set_enable_encrypted_media(false);
                settings.set_enable_page_cache(false);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
            tracing::debug!(composite, "webview settings applied");
        });
        if let Err(error) = applied {
            tracing::warn!(%error, "could not apply the webview settings");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_from_the_environment_value() {
        assert_eq!(Compositing::parse(None), Compositing::Auto);
        assert_eq!(Compositing::parse(Some("auto")), Compositing::Auto);
        assert_eq!(Compositing::parse(Some(" ON ")), Compositing::On);
        assert_eq!(Compositing::parse(Some("off")), Compositing::Off);
        assert_eq!(Compositing::parse(Some("0")), Compositing::Off);
        assert_eq!(Compositing::parse(Some("sometimes")), Compositing::Auto);
    }

    #[test]
    fn auto_composites_only_with_a_gpu_and_forced_modes_do_not_probe() {
        assert!(decide(Compositing::Auto, || true).composite);
        assert!(!decide(Compositing::Auto, || false).composite);
        assert_eq!(decide(Compositing::Auto, || false).gpu, Some(false));
        let on = decide(Compositing::On, || panic!("probed"));
        assert!(on.composite && on.gpu.is_none());
        assert!(!decide(Compositing::Off, || panic!("probed")).composite);
    }

    #[test]
    fn render_node_probe() {
        let dir = std::env::temp_dir().join(format!("agent-desk-dri-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(!has_render_node(&dir));
        std::fs::write(dir.join("card0"), b"").unwrap();
        assert!(!has_render_node(&dir));
        std::fs::write(dir.join("renderD128"), b"").unwrap();
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(!has_render_node(Path::new("/nonexistent/dri")));
    }
}
