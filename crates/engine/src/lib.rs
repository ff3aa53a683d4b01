//! The agent's desk: session, keychain, one-request poll loop, continuity, durable outbox, typed events.

pub mod events;
