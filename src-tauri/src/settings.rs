//! The shell's own settings (mute, auto-accept, the remembered login, alerts and presence), kept as a small JSON file in
//! the data folder. The engine keeps its own state (outbox, drafts, token) itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the agent chose, as the UI shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// No sound with a ring.
    pub muted: bool,
    /// Take ringing chats without pressing Accept.
    pub auto_accept: bool,
    /// The last login, so the next start skips the form (the token itself is in the keychain).
    pub remembered: Option<RememberedLogin>,
    /// The escalating ring, per-event alerts and presence (`alert_settings.rs`).
    pub alerts: crate::alert_settings::AlertSettings,
    /// Spell checking in the composer (WebKitGTK's checker with the system's dictionaries).
    pub spell_check: SpellCheck,
}

/// Spell checking in the composer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase", default)]
pub struct SpellCheck {
    pub enabled: bool,
    /// A dictionary name such as `en_US`; `null` = the one the locale names (`LANG`).
    pub language: Option<String>,
}

impl Default for SpellCheck {
    fn default() -> Self {
        Self {
            enabled: true,
            language: None,
        }
    }
}

impl SpellCheck {
    /// The dictionary to use: the setting, else the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`:
    /// `de_DE.UTF-8` → `de_DE`), else `en_US` (also for `C`/`POSIX`).
    pub fn language_or_locale(&self, env: impl Fn(&str) -> Option<String>) -> String {
        if let Some(language) = self.language.as_deref().map(str::trim)
            && !language.is_empty()
        {
            return language.to_owned();
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| env(name))
            .map(|value| {
                value
                    .split(['.', '@'])
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .find(|locale| !locale.is_empty())
            .filter(|locale| locale != "C" && locale != "POSIX")
            .unwrap_or_else(|| "en_US".to_owned())
    }
}

/// Where and as whom the agent last logged in (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase")]
pub struct RememberedLogin {
    pub server: String,
    pub account: String,
    pub user: String,
    /// The extra CA certificate (PEM) given at that login, if any (a public certificate, not a
    /// secret), so resuming trusts the same server.
    #[serde(default)]
    pub extra_ca_pem: Option<String>,
}

/// The settings file.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    /// The data folder the settings file is in (the engine's database is there too).
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    pub fn in_dir(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("shell-settings.json"),
        }
    }

    /// The stored settings; defaults when the file is missing or unreadable (logged).
    pub fn load(&self) -> Settings {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(%error, path = %self.path.display(), "settings unreadable; using defaults");
                Settings::default()
            }),
            Err(_) => Settings::default(),
        }
    }

    /// Writes the settings atomically (temp file, then rename).
    pub fn save(&self, settings: &Settings) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
        let temp = self.path.with_extension("json.tmp");
        std::fs::write(&temp, json)?;
        std::fs::rename(&temp, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spell_check_language_from_the_setting_or_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let default = SpellCheck::default();
        assert!(default.enabled);
        assert_eq!(default.language_or_locale(env(&[])), "en_US");
        assert_eq!(
            default.language_or_locale(env(&[("LANG", "C.UTF-8")])),
            "en_US"
        );
        assert_eq!(
            default.language_or_locale(env(&[("LANG", "de_DE.UTF-8")])),
            "de_DE"
        );
        assert_eq!(
            default.language_or_locale(env(&[("LANG", "de_DE.UTF-8"), ("LC_ALL", "fr_FR@euro")])),
            "fr_FR"
        );
        let chosen = SpellCheck {
            enabled: true,
            language: Some("en_GB".into()),
        };
        assert_eq!(
            chosen.language_or_locale(env(&[("LANG", "de_DE.UTF-8")])),
            "en_GB"
        );
        // An older settings file without the section: on, from the locale.
        let old: Settings = serde_json::from_str(r#"{"muted": true}"#).unwrap();
        assert_eq!(old.spell_check, SpellCheck::default());
    }

    #[test]
    fn round_trips_and_defaults() {
        let dir = std::env::temp_dir().join(format!("agent-desk-settings-{}", std::process::id()));
        let file = SettingsFile::in_dir(&dir);
        assert_eq!(file.load(), Settings::default());
        let settings = Settings {
            muted: true,
            auto_accept: false,
            remembered: Some(RememberedLogin {
                server: "http://127.0.0.1:1".into(),
                account: "90412345".into(),
                user: "ann".into(),
                extra_ca_pem: Some(
                    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----".into(),
                ),
            }),
            alerts: Default::default(),
            spell_check: SpellCheck {
                enabled: true,
                language: Some("en_GB".into()),
            },
        };
        file.save(&settings).unwrap();
        assert_eq!(file.load(), settings);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("shell-settings.json")).unwrap())
                .unwrap();
        assert_eq!(json["autoAccept"], false);
        assert_eq!(json["remembered"]["user"], "ann");
        assert_eq!(json["spellCheck"]["language"], "en_GB");
        assert!(json["remembered"]["extraCaPem"].is_string());
        // A file from before the field reads as no extra CA.
        let old: RememberedLogin =
            serde_json::from_str(r#"{"server": "s", "account": "a", "user": "u"}"#).unwrap();
        assert_eq!(old.extra_ca_pem, None);
        let _ = std::fs::remove_dir_all(dir);
    }
}
