//! The CLI's integration tests, one binary (one link instead of one per file): the built
//! `agent-desk-cli` against a simulator on 127.0.0.1. Run one module with
//! `cargo test -p agent-desk-cli --test cli MODULE::`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli;
mod common;
mod history;
mod resync;
mod retries;
mod stored_login;
mod tls;
