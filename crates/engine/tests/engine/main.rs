//! The engine's integration tests, one binary (one link instead of one per file): engines against
//! a simulator on 127.0.0.1. Run one module with `cargo test -p agent-desk-engine --test engine
//! MODULE::`. The tests that need the desktop session (a real keychain) are `#[ignore]`d: run them
//! with `scripts/desktop-session.sh cargo test -p agent-desk-engine -- --include-ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod chat_life;
mod common;
mod continuity;
mod faults;
mod keychain;
mod multi_chat;
mod no_secrets;
mod outbox_restart;
mod reliability;
mod resync;
mod ringing;
mod tls;
mod transfer;
mod workday;
