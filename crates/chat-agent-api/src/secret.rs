//! Secret strings (bearer, CSRF token) that never print their value.

use serde::{Deserialize, Deserializer};
use std::fmt;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` and `Display` print `[redacted]`; call [`Self::expose`] only where the
        /// value is put on the wire.
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret value itself. Never log it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self)
            }
        }
    };
}

secret_type!(
    /// The OAuth-style bearer token returned by the Login Service.
    Bearer
);
secret_type!(
    /// The CSRF token returned by the Login Service (needed for refresh and logout).
    Csrf
);
secret_type!(
    /// A password, app secret or access-token secret sent at login.
    Password
);
secret_type!(
    /// The value of the Login Service's `Session_id` cookie (refresh and logout send it).
    SessionCookie
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let b = Bearer::new("top-secret-token");
        assert_eq!(format!("{b:?}"), "[redacted]");
        assert_eq!(format!("{b}"), "[redacted]");
        assert_eq!(b.expose(), "top-secret-token");
        let c = Csrf::new("csrf-value");
        assert!(!format!("{c:?} {c}").contains("csrf-value"));
        let s = SessionCookie::new("cookie-value");
        assert!(!format!("{s:?} {s}").contains("cookie-value"));
        assert_eq!(s.expose(), "cookie-value");
    }
}
