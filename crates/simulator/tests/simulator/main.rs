//! The simulator's integration tests, one binary (one link instead of one per file): clients
//! speaking the wire format over real HTTP. Run one module with `cargo test -p
//! agent-desk-simulator --test simulator MODULE::`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod continuity;
mod control_http;
mod customer;
mod demo;
mod faults;
mod flow;
mod retry_after;
mod rich_content;
mod robustness;
mod routing;
mod shapes;
mod survey;
mod tls;
mod transfer;
mod truncated_emoji;
