//! The client's integration tests, one binary (one link instead of one per file): decoding the
//! spec's samples, and every method against the simulator. Run one module with `cargo test -p
//! chat-agent-api --test api MODULE::`. The decoder property tests stay a binary of their own
//! (`tests/decode_props.rs`), which `scripts/fuzz-decoder.sh` builds in release and runs alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod against_simulator;
mod api_surface;
mod common;
mod decode_fixtures;
mod decode_helpers;
mod decode_wrap_up;
mod faults;
mod isolation_against_simulator;
mod redaction;
mod restore;
mod tls;
mod wrap_up_against_simulator;
