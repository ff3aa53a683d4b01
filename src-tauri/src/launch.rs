//! How the app was started: demo mode, data folder. Read once from the arguments and environment.
//!
//! - `--demo` or `AGENT_DESK_DEMO=1`: start the embedded simulator and log in to it as `ann`.
//! - `AGENT_DESK_DATA_DIR=/some/dir`: keep the engine's database, settings and logs there
//!   (tests point it at a temp folder).
//! - `AGENT_DESK_SECRETS=memory`: keep the login token in memory instead of the OS keychain.
//! - `--hidden`: start with the window hidden, only the tray icon showing (the start-at-login
//!   entry passes it; see `startup.rs`).
//!
//! Demo knobs for tests and benchmarks ([`DemoOptions`], read when the demo starts):
//! - `AGENT_DESK_DEMO_PORT=P`: the embedded simulator listens on `127.0.0.1:P` (its `/_sim/`
//!   control routes included); default: a free port.
//! - `AGENT_DESK_DEMO_VISITORS=0`: no scripted demo visitors (chats come only through `/_sim/`).
//! - `AGENT_DESK_DEMO_USER=cho`: log in as another simulator agent (`ann`, `ben`, `cho`, `dee`);
//!   `cho` takes any number of chats.
//! - `AGENT_DESK_DEMO_SERVER=https://127.0.0.1:P` (with `AGENT_DESK_DEMO_CA=FILE`, the PEM of the
//!   CA it serves with, e.g. from `agent-desk-sim --tls --tls-ca-out FILE`): no embedded simulator;
//!   the demo logs in to that one (a benchmark keeps the server's cost out of the app's figures).

use std::path::PathBuf;

/// Options taken from the command line and the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub demo: bool,
    pub data_dir: Option<PathBuf>,
    pub memory_secrets: bool,
    /// `--hidden`: the window starts hidden in the tray.
    pub hidden: bool,
}

impl LaunchOptions {
    /// From this process's arguments and environment.
    pub fn from_env() -> Self {
        Self::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// From given arguments and an environment lookup (pure, for tests).
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let args: Vec<String> = args.into_iter().collect();
        let demo_arg = args.iter().any(|arg| arg == "--demo");
        let truthy =
            |name: &str| env(name).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"));
        Self {
            demo: demo_arg || truthy("AGENT_DESK_DEMO"),
            data_dir: env("AGENT_DESK_DATA_DIR")
                .filter(|dir| !dir.trim().is_empty())
                .map(PathBuf::from),
            memory_secrets: env("AGENT_DESK_SECRETS").is_some_and(|v| v.trim() == "memory"),
            hidden: args.iter().any(|arg| arg == crate::startup::HIDDEN_ARG),
        }
    }
}

/// The single-instance id (a D-Bus name on Linux): the app's identifier for the default data
/// folder; with `AGENT_DESK_DATA_DIR`, one instance per data folder (parallel end-to-end tests each
/// get their own app, while two launches on the same folder still meet).
pub fn instance_id(options: &LaunchOptions) -> String {
    match &options.data_dir {
        None => crate::IDENTIFIER.to_owned(),
        Some(dir) => format!(
            "{}.d{:016x}",
            crate::IDENTIFIER,
            fnv1a(dir.to_string_lossy().as_bytes())
        ),
    }
}

/// A stable 64-bit hash (FNV-1a); std's hasher may change between releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The simulator agents the demo may log in as (docs/contracts.md §1); each one's password is
/// `<login>-pass`.
pub const DEMO_AGENTS: [&str; 4] = ["ann", "ben", "cho", "dee"];

/// How the embedded demo simulator runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Port of the simulator (0 = a free one).
    pub port: u16,
    /// Scripted demo visitors on.
    pub visitors: bool,
    /// The agent to log in as.
    pub user: String,
    /// A simulator running elsewhere to log in to instead of starting one, and its CA file.
    pub server: Option<(String, Option<PathBuf>)>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            port: 0,
            visitors: true,
            user: crate::desk::DEMO_USER.to_owned(),
            server: None,
        }
    }
}

impl DemoOptions {
    /// From this process's environment.
    pub fn from_env() -> Self {
        Self::parse(|name| std::env::var(name).ok())
    }

    /// From an environment lookup (pure, for tests). Unusable values keep the default.
    pub fn parse(env: impl Fn(&str) -> Option<String>) -> Self {
        let mut options = Self::default();
        if let Some(port) = env("AGENT_DESK_DEMO_PORT") {
            match port.trim().parse::<u16>() {
                Ok(port) => options.port = port,
                Err(_) => {
                    tracing::warn!(%port, "AGENT_DESK_DEMO_PORT is not a port; using a free one")
                }
            }
        }
        if let Some(visitors) = env("AGENT_DESK_DEMO_VISITORS") {
            options.visitors = !matches!(visitors.trim(), "0" | "false" | "no" | "off");
        }
        if let Some(user) = env("AGENT_DESK_DEMO_USER") {
            let user = user.trim();
            if DEMO_AGENTS.contains(&user) {
                options.user = user.to_owned();
            } else {
                tracing::warn!(%user, "AGENT_DESK_DEMO_USER is not a simulator agent; using ann");
            }
        }
        if let Some(server) = env("AGENT_DESK_DEMO_SERVER")
            && !server.trim().is_empty()
        {
            let ca = env("AGENT_DESK_DEMO_CA")
                .map(|path| PathBuf::from(path.trim()))
                .filter(|path| !path.as_os_str().is_empty());
            options.server = Some((server.trim().to_owned(), ca));
        }
        options
    }

    /// The simulator's password for [`Self::user`].
    pub fn password(&self) -> String {
        format!("{}-pass", self.user)
    }
}

/// The app's data folder when `AGENT_DESK_DATA_DIR` is not set (Tauri's `app_data_dir` convention:
/// `$XDG_DATA_HOME/com.agentdesk.desk` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join(crate::IDENTIFIER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn plain_start_is_not_demo() {
        let options = LaunchOptions::parse(Vec::new(), env_of(&[]));
        assert_eq!(options, LaunchOptions::default());
    }

    #[test]
    fn demo_from_argument_or_environment() {
        assert!(LaunchOptions::parse(vec!["--demo".into()], env_of(&[])).demo);
        assert!(LaunchOptions::parse(Vec::new(), env_of(&[("AGENT_DESK_DEMO", "1")])).demo);
        assert!(!LaunchOptions::parse(Vec::new(), env_of(&[("AGENT_DESK_DEMO", "0")])).demo);
    }

    #[test]
    fn hidden_from_the_argument() {
        let options = LaunchOptions::parse(vec!["--hidden".into()], env_of(&[]));
        assert!(options.hidden && !options.demo);
        let both = LaunchOptions::parse(vec!["--demo".into(), "--hidden".into()], env_of(&[]));
        assert!(both.hidden && both.demo);
        assert!(!LaunchOptions::parse(vec!["--hide".into()], env_of(&[])).hidden);
    }

    #[test]
    fn one_instance_per_data_folder() {
        let default = LaunchOptions::default();
        assert_eq!(instance_id(&default), crate::IDENTIFIER);
        let a = LaunchOptions {
            data_dir: Some("/tmp/a".into()),
            ..LaunchOptions::default()
        };
        let b = LaunchOptions {
            data_dir: Some("/tmp/b".into()),
            ..LaunchOptions::default()
        };
        assert_ne!(instance_id(&a), instance_id(&b));
        assert_eq!(instance_id(&a), instance_id(&a.clone()));
        // A valid D-Bus name element: letters, digits, no leading digit.
        let last = instance_id(&a).rsplit('.').next().unwrap().to_owned();
        assert!(
            last.starts_with('d') && last.chars().all(|c| c.is_ascii_alphanumeric()),
            "{last}"
        );
    }

    #[test]
    fn data_dir_and_secrets_from_environment() {
        let options = LaunchOptions::parse(
            Vec::new(),
            env_of(&[
                ("AGENT_DESK_DATA_DIR", "/tmp/desk"),
                ("AGENT_DESK_SECRETS", "memory"),
            ]),
        );
        assert_eq!(options.data_dir, Some(PathBuf::from("/tmp/desk")));
        assert!(options.memory_secrets);
        let empty = LaunchOptions::parse(Vec::new(), env_of(&[("AGENT_DESK_DATA_DIR", " ")]));
        assert_eq!(empty.data_dir, None);
    }

    #[test]
    fn demo_defaults_to_ann_with_visitors_on_a_free_port() {
        let options = DemoOptions::parse(env_of(&[]));
        assert_eq!(options, DemoOptions::default());
        assert_eq!(options.port, 0);
        assert!(options.visitors);
        assert_eq!(
            (options.user.as_str(), options.password()),
            ("ann", "ann-pass".to_owned())
        );
    }

    #[test]
    fn demo_may_log_in_to_a_simulator_running_elsewhere() {
        let options = DemoOptions::parse(env_of(&[
            ("AGENT_DESK_DEMO_SERVER", " https://127.0.0.1:9443 "),
            ("AGENT_DESK_DEMO_CA", "/tmp/sim-ca.pem"),
        ]));
        assert_eq!(
            options.server,
            Some((
                "https://127.0.0.1:9443".to_owned(),
                Some(PathBuf::from("/tmp/sim-ca.pem"))
            ))
        );
        let plain = DemoOptions::parse(env_of(&[(
            "AGENT_DESK_DEMO_SERVER",
            "http://127.0.0.1:8787",
        )]));
        assert_eq!(
            plain.server,
            Some(("http://127.0.0.1:8787".to_owned(), None))
        );
        assert_eq!(
            DemoOptions::parse(env_of(&[("AGENT_DESK_DEMO_SERVER", "")])).server,
            None
        );
    }

    #[test]
    fn demo_knobs_from_environment() {
        let options = DemoOptions::parse(env_of(&[
            ("AGENT_DESK_DEMO_PORT", "18787"),
            ("AGENT_DESK_DEMO_VISITORS", "0"),
            ("AGENT_DESK_DEMO_USER", "cho"),
        ]));
        assert_eq!(options.port, 18787);
        assert!(!options.visitors);
        assert_eq!(options.password(), "cho-pass");
        let odd = DemoOptions::parse(env_of(&[
            ("AGENT_DESK_DEMO_PORT", "many"),
            ("AGENT_DESK_DEMO_VISITORS", "1"),
            ("AGENT_DESK_DEMO_USER", "mallory"),
        ]));
        assert_eq!(odd, DemoOptions::default());
    }
}
