//! The composer's spell-check language: which dictionaries this computer has, and the agent's
//! choice checked against them before it is stored.
//!
//! On Linux WebKitGTK checks through enchant, which finds hunspell dictionaries as
//! `<name>.dic` + `<name>.aff` in a few well-known folders. A language without a dictionary is
//! dropped by WebKit without a word (and nothing is checked), so the desk refuses it up front.
//! Elsewhere the webview's own checker follows the system's languages: no list, no choice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use engine::events::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::settings::SpellCheck;

/// The spell-check setting and what can be chosen, for the settings dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SpellLanguages {
    /// What is stored.
    pub setting: SpellCheck,
    /// Dictionaries installed on this computer (`en_US`, `de_DE`…), sorted. Empty where the
    /// webview chooses its languages itself (Windows, macOS).
    pub installed: Vec<String>,
    /// The language used when the setting names none (from the locale).
    pub system: String,
}

/// Folders where enchant's hunspell provider looks, in its order (Debian's packages install
/// into the first).
#[cfg(all(unix, not(target_os = "macos")))]
fn dictionary_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(config) = directories::BaseDirs::new().map(|b| b.config_dir().to_path_buf()) {
        dirs.push(config.join("enchant").join("hunspell"));
    }
    for dir in [
        "/usr/share/hunspell",
        "/usr/share/myspell/dicts",
        "/usr/share/myspell",
    ] {
        dirs.push(PathBuf::from(dir));
    }
    dirs
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn dictionary_dirs() -> Vec<PathBuf> {
    Vec::new()
}

/// The dictionaries installed on this computer.
pub fn installed() -> Vec<String> {
    dictionaries_in(&dictionary_dirs())
}

/// Names of the dictionaries in `dirs`: each `<name>.dic` that has its `<name>.aff` beside it
/// and a name [`valid_name`] accepts; sorted, each once. Missing folders are skipped.
pub fn dictionaries_in(dirs: &[PathBuf]) -> Vec<String> {
    let mut names = BTreeSet::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("dic") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if valid_name(name) && has_affix(&path) {
                names.insert(name.to_owned());
            }
        }
    }
    names.into_iter().collect()
}

fn has_affix(dic: &Path) -> bool {
    dic.with_extension("aff").is_file()
}

/// A dictionary name as locales spell them: letters, digits, `_` and `-`, 2 to 32 of them.
pub fn valid_name(name: &str) -> bool {
    (2..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The setting the agent asked for, cleaned (a blank language is "the system's"), or why it is
/// refused: a language must be one of `installed`. Where nothing is listed (the webview picks its
/// own languages) only "the system's" can be chosen.
pub fn check(asked: SpellCheck, installed: &[String]) -> IpcResult<SpellCheck> {
    let language = asked
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned);
    if let Some(language) = &language
        && !installed.iter().any(|i| i == language)
    {
        let message = if installed.is_empty() {
            "no spell-check dictionaries can be chosen here: the system's languages are used"
                .to_owned()
        } else {
            format!(
                "no spell-check dictionary for {:?} on this computer (installed: {})",
                language.chars().take(40).collect::<String>(),
                installed.join(", ")
            )
        };
        return Err(IpcError::new(ErrorCode::InvalidInput, message));
    }
    Ok(SpellCheck {
        enabled: asked.enabled,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(dir: &Path, name: &str, affix: bool) {
        std::fs::write(dir.join(format!("{name}.dic")), "1\nword\n").unwrap();
        if affix {
            std::fs::write(dir.join(format!("{name}.aff")), "SET UTF-8\n").unwrap();
        }
    }

    #[test]
    fn dictionaries_are_dic_files_with_their_affixes_once_each() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        dictionary(one.path(), "en_US", true);
        dictionary(one.path(), "de_DE", true);
        dictionary(one.path(), "fr_FR", false);
        dictionary(two.path(), "en_US", true);
        dictionary(two.path(), "pt-BR", true);
        dictionary(two.path(), "bad name", true);
        std::fs::write(two.path().join("hyph_en_US.txt"), "").unwrap();
        let missing = one.path().join("nowhere");
        let found = dictionaries_in(&[missing, one.path().into(), two.path().into()]);
        assert_eq!(found, ["de_DE", "en_US", "pt-BR"]);
    }

    #[test]
    fn names_are_locale_like() {
        assert!(valid_name("en_US"));
        assert!(valid_name("de"));
        assert!(valid_name("sr-Latn"));
        assert!(!valid_name("e"));
        assert!(!valid_name("../etc/passwd"));
        assert!(!valid_name("en US"));
        assert!(!valid_name(&"x".repeat(33)));
    }

    #[test]
    fn a_language_must_be_installed_and_blank_means_the_system() {
        let installed = vec!["de_DE".to_owned(), "en_US".to_owned()];
        let ok = check(
            SpellCheck {
                enabled: true,
                language: Some(" de_DE ".into()),
            },
            &installed,
        )
        .unwrap();
        assert_eq!(ok.language.as_deref(), Some("de_DE"));

        let blank = check(
            SpellCheck {
                enabled: false,
                language: Some("  ".into()),
            },
            &installed,
        )
        .unwrap();
        assert_eq!(
            blank,
            SpellCheck {
                enabled: false,
                language: None
            }
        );

        let missing = check(
            SpellCheck {
                enabled: true,
                language: Some("xx_YY".into()),
            },
            &installed,
        )
        .unwrap_err();
        assert_eq!(missing.code, ErrorCode::InvalidInput);
        assert!(missing.message.contains("xx_YY"), "{}", missing.message);
        assert!(
            missing.message.contains("de_DE, en_US"),
            "{}",
            missing.message
        );

        let nothing_listed = check(
            SpellCheck {
                enabled: true,
                language: Some("en_US".into()),
            },
            &[],
        )
        .unwrap_err();
        assert_eq!(nothing_listed.code, ErrorCode::InvalidInput);
    }
}
