//! Command-line arguments (the names are a contract: docs/contracts.md, CLI tests).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use url::Url;

/// The Agent Desk engine without a window: watch the desk as JSON lines, send a line, end a chat,
/// read the local chat history.
#[derive(Debug, Parser)]
#[command(name = "agent-desk-cli", version, about)]
pub struct Cli {
    /// Base URL of the domain lookup service (a simulator: http://127.0.0.1:PORT).
    #[arg(long, default_value = "https://adminlogin.liveperson.net")]
    pub server: Url,
    /// Account (site) id (needed by watch, send and end).
    #[arg(long)]
    pub account: Option<String>,
    /// Agent login name (needed by watch, send and end; for history, only this agent's chats).
    #[arg(long)]
    pub user: Option<String>,
    /// Read the password from the first line of standard input (else env AGENT_DESK_PASSWORD).
    /// Used only when no stored login works.
    #[arg(long)]
    pub password_stdin: bool,
    /// Keep the login token in memory only (not in the OS keychain).
    #[arg(long)]
    pub no_keychain: bool,
    /// Service name of the login token's OS keychain entry.
    #[arg(
        long,
        env = "AGENT_DESK_KEYCHAIN_SERVICE",
        default_value = "agent-desk"
    )]
    pub keychain_service: String,
    /// Trust this CA certificate (PEM file, one or more certificates) in addition to the
    /// built-in roots, e.g. the one `agent-desk-sim --tls --tls-ca-out FILE` writes. Nothing
    /// else about certificate checking is relaxed.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Folder for the local database (default: the platform's data folder).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Action,
}

/// What to do (everything but `history` logs in first).
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Print every engine event as one JSON object per line until --duration or a signal.
    ///
    /// Each stdout line is an engine event tagged by "type" (session, availability, chatAccepted,
    /// line, …). None is dropped silently: if stdout falls so far behind that events are lost, one
    /// line {"type":"resync","missed":N,"snapshot":{…the whole desk…}} stands in for them; rebuild
    /// your view from its snapshot (later events may repeat what it shows; lines carry an id).
    /// Setting --availability is retried after a 5xx or a lost connection (5, 10, 15 s) and a 429
    /// (1 s); exit 4 after the third retry fails.
    Watch {
        /// Set this availability after logging in.
        #[arg(long, value_enum)]
        availability: Option<AvailabilityArg>,
        /// Take every ringing chat.
        #[arg(long)]
        accept: bool,
        /// Send this text once into each chat this run accepts.
        #[arg(long)]
        greet: Option<String>,
        /// Stop after this many seconds, counted once the availability is set (default: until
        /// SIGINT/SIGTERM).
        #[arg(long)]
        duration: Option<f64>,
    },
    /// Send a line into a chat this agent holds (another device of the same agent).
    Send {
        /// Chat session key.
        #[arg(long)]
        chat: String,
        /// The line.
        #[arg(long)]
        text: String,
    },
    /// End a chat this agent holds.
    ///
    /// After a 5xx, a lost connection or a 429 the end is retried (5, 10, 15 s; 1 s), each time
    /// only if the chat has not ended meanwhile; exit 4 after the third retry fails.
    End {
        /// Chat session key.
        #[arg(long)]
        chat: String,
    },
    /// Print the chats kept in the local history of --data-dir, newest first, one JSON object
    /// per line: {"key","visitor","skill","start","end","lines":[{"time","by","text"}]} (times
    /// ISO-8601 UTC, HTML stripped). Needs no login and no server.
    History {
        /// Only chats with a line holding all these words (the last one as a prefix).
        #[arg(long)]
        search: Option<String>,
        /// Only chats that started on or after this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<String>,
        /// Only chats that started on or before this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        until: Option<String>,
        /// Only chats whose visitor's name holds this text.
        #[arg(long)]
        visitor: Option<String>,
        /// At most this many chats (default: all).
        #[arg(long)]
        limit: Option<usize>,
    },
}

/// Availability values accepted by `watch --availability`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AvailabilityArg {
    #[value(name = "Online")]
    Online,
    #[value(name = "Away")]
    Away,
    #[value(name = "Occupied")]
    Occupied,
}

impl AvailabilityArg {
    /// The engine's value.
    pub fn engine(self) -> engine::Availability {
        match self {
            Self::Online => engine::Availability::Online,
            Self::Away => engine::Availability::Away,
            Self::Occupied => engine::Availability::Occupied,
        }
    }
}
