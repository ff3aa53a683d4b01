//! Errors of the control API.

/// What can go wrong when driving the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Binding or serving failed.
    #[error("simulator I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// No chat with this key.
    #[error("unknown chat {0}")]
    UnknownChat(String),
    /// The chat has ended.
    #[error("chat {0} has ended")]
    ChatEnded(String),
    /// No skill with this name.
    #[error("unknown skill {0}")]
    UnknownSkill(String),
    /// No agent with this login name.
    #[error("unknown agent {0}")]
    UnknownAgent(String),
    /// The https mode could not make its certificates or TLS settings.
    #[error("simulator TLS setup failed: {0}")]
    Tls(String),
    /// A customer object not in the §4.27 shape.
    #[error("bad customer: {0}")]
    BadCustomer(String),
}
