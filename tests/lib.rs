//! Shared helpers for the end-to-end suites.
//!
//! [`window`] drives the real app window: it starts Debian's `WebKitWebDriver` with the app as its
//! "browser", opens a WebDriver session with fantoccini, and tears both down again (also when a test
//! fails). [`notifications`] watches the session bus for desktop notifications; [`sim_agent`] logs
//! another agent in to a simulator (https with its CA, or plain http); [`desktop`] runs a window manager and asks X
//! about the app's window.

pub mod desktop;
pub mod login;
pub mod notifications;
pub mod scenario;
pub mod sim_agent;
pub mod tray_host;
pub mod window;

/// Errors of the harness and the tests: anything, with a readable message.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// Result of the harness and the tests.
pub type E2eResult<T> = Result<T, BoxError>;

/// An error with a message.
pub fn fail(message: impl Into<String>) -> BoxError {
    message.into().into()
}
