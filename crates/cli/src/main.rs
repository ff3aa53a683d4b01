//! `agent-desk-cli`: the Agent Desk engine without a window (scripting, bots, monitoring, tests).
//! Events go to stdout as JSON lines; human logs go to stderr.

mod act;
mod args;
mod fail;
mod history;
mod retry;
mod session;
mod watch;

use args::{Action, Cli};
use clap::Parser;
use fail::Failure;
use std::process::ExitCode;
use std::time::Duration;

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,engine=info,agent_desk_cli=info")
    });
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_ansi(false)
        .init();
}

async fn run(cli: Cli) -> Result<(), Failure> {
    if cli.account.is_none() || cli.user.is_none() {
        return Err(Failure::usage(
            "--account and --user are needed to log in (watch, send, end)",
        ));
    }
    let accept = matches!(cli.command, Action::Watch { accept: true, .. });
    let (engine, events) = session::start(&cli, accept)?;
    session::login(&cli, &engine).await?;
    let result = match &cli.command {
        Action::Watch {
            availability,
            greet,
            duration,
            ..
        } => {
            let duration = match duration {
                Some(s) if s.is_finite() && *s >= 0.0 => Some(Duration::from_secs_f64(*s)),
                Some(_) => return Err(Failure::usage("--duration must be a number of seconds")),
                None => None,
            };
            let opts = watch::Watch {
                availability: *availability,
                greet: greet.clone(),
                duration,
            };
            watch::run(&engine, events, opts).await
        }
        Action::Send { chat, text } => act::send(&engine, events, chat, text).await,
        Action::End { chat } => act::end(&engine, chat).await,
        // Handled before the runtime starts.
        Action::History { .. } => Ok(()),
    };
    engine.shutdown().await;
    result
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs();
    if let Action::History { .. } = &cli.command {
        return match history::run(&cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(f) => f.exit(),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Failure::other(format!("cannot start the runtime: {e}")).exit(),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.exit(),
    }
}
