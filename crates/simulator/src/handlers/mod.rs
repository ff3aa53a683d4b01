//! Request handlers, one file per resource family. Each handler runs under the state lock.

pub mod chat;
pub mod extras;
pub mod login;
pub mod session;
pub mod transfer;
