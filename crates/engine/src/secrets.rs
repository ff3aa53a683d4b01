//! Where the login token lives between runs: the OS keychain, or memory only.
//!
//! The trait is narrow on purpose (load, save, delete one JSON blob per agent) so the keychain can be
//! replaced in tests and so nothing else in the engine knows about `keyring`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

/// What a restart needs to resume a login without the password: one keychain secret (this, as
/// JSON) per server + account + user. Never written to disk by the engine.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The account id.
    #[serde(default)]
    pub account: String,
    /// The agent's login name.
    #[serde(default)]
    pub user: String,
    /// The bearer token.
    pub bearer: String,
    /// The CSRF token refresh and logout need.
    pub csrf: String,
    /// The Login Service's `Session_id` cookie value.
    pub session_id: Option<String>,
    /// The agentVep base URL the login was made against.
    pub domain: String,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("account", &self.account)
            .field("user", &self.user)
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// Why a secret store failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The keychain cannot be reached (no D-Bus, locked, no backend).
    #[error("keychain unavailable: {0}")]
    Unavailable(String),
}

/// A narrow store for one secret blob per key.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The stored value, `Ok(None)` when there is none.
    fn load(&self, key: &str) -> Result<Option<String>, SecretError>;
    /// Stores (replaces) the value.
    fn save(&self, key: &str, value: &str) -> Result<(), SecretError>;
    /// Removes the value; removing a missing value is not an error.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
}

/// Which keychain backend a [`KeyringStore`] builds its entries with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyringBackend {
    /// The platform default of the `keyring` crate (on Linux: keyutils backed by Secret Service).
    #[default]
    Default,
    /// Linux Secret Service only (gnome-keyring, KWallet).
    #[cfg(target_os = "linux")]
    SecretService,
    /// Linux kernel keyutils only (session keyring; lost at reboot).
    #[cfg(target_os = "linux")]
    Keyutils,
}

/// The OS keychain via the `keyring` crate; each entry is built explicitly (no process-wide builder).
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
    backend: KeyringBackend,
}

impl KeyringStore {
    /// A store whose entries use `service` as the keychain service name.
    pub fn new(service: impl Into<String>, backend: KeyringBackend) -> Self {
        Self {
            service: service.into(),
            backend,
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, SecretError> {
        let made = match self.backend {
            KeyringBackend::Default => keyring::Entry::new(&self.service, key),
            #[cfg(target_os = "linux")]
            KeyringBackend::SecretService => {
                keyring::secret_service::SsCredential::new_with_target(None, &self.service, key)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(target_os = "linux")]
            KeyringBackend::Keyutils => {
                keyring::keyutils::KeyutilsCredential::new_with_target(None, &self.service, key)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
        };
        made.map_err(unavailable)
    }
}

fn unavailable(e: keyring::Error) -> SecretError {
    SecretError::Unavailable(e.to_string())
}

impl SecretStore for KeyringStore {
    fn load(&self, key: &str) -> Result<Option<String>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, key: &str, value: &str) -> Result<(), SecretError> {
        self.entry(key)?.set_password(value).map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// Keeps secrets in this process only (used with `--no-keychain`, and as the fallback).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    items: Arc<Mutex<HashMap<String, String>>>,
}

impl MemoryStore {
    fn items(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, SecretError> {
        self.items
            .lock()
            .map_err(|_| SecretError::Unavailable("memory store poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn load(&self, key: &str) -> Result<Option<String>, SecretError> {
        Ok(self.items()?.get(key).cloned())
    }

    fn save(&self, key: &str, value: &str) -> Result<(), SecretError> {
        self.items()?.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.items()?.remove(key);
        Ok(())
    }
}

/// How the engine keeps the login token between runs.
#[derive(Debug, Clone)]
pub enum SecretStoreKind {
    /// The OS keychain under this service name.
    Keyring {
        service: String,
        backend: KeyringBackend,
    },
    /// Memory only: a restart asks for the password again.
    Memory,
    /// A store supplied by the caller (tests, other platforms).
    Custom(Arc<dyn SecretStore>),
}

impl Default for SecretStoreKind {
    fn default() -> Self {
        Self::Keyring {
            service: "agent-desk".into(),
            backend: KeyringBackend::Default,
        }
    }
}

impl SecretStoreKind {
    /// Builds the store.
    pub fn build(&self) -> Arc<dyn SecretStore> {
        match self {
            Self::Keyring { service, backend } => {
                Arc::new(KeyringStore::new(service.clone(), *backend))
            }
            Self::Memory => Arc::new(MemoryStore::default()),
            Self::Custom(s) => s.clone(),
        }
    }
}

/// The keychain key of one agent's login on one server.
pub fn token_key(server: &str, account: &str, user: &str) -> String {
    format!("{account}/{user}@{}", server.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trip() {
        let s = MemoryStore::default();
        assert_eq!(s.load("k").ok().flatten(), None);
        assert!(s.save("k", "v").is_ok());
        assert_eq!(s.load("k").ok().flatten().as_deref(), Some("v"));
        assert!(s.delete("k").is_ok());
        assert!(s.delete("k").is_ok());
        assert_eq!(s.load("k").ok().flatten(), None);
    }

    #[test]
    fn token_debug_hides_secrets() {
        let t = StoredToken {
            account: "1".into(),
            user: "ann".into(),
            bearer: "bear-secret".into(),
            csrf: "csrf-secret".into(),
            session_id: Some("sid-secret".into()),
            domain: "d".into(),
        };
        let s = format!("{t:?}");
        assert!(!s.contains("secret"), "{s}");
    }
}
