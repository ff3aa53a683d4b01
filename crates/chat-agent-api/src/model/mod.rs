//! Response bodies of the Login Service and the Chat Agent API, decoded tolerantly.

mod agent;
mod chat;
mod event;
mod extras;
mod login;
mod slot;

pub use agent::*;
pub use chat::*;
pub use event::*;
pub use extras::*;
pub use login::*;
pub use slot::*;
