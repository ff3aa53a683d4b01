//! Starting the engine and logging in: the stored login first, the password only if that fails.

use crate::args::Cli;
use crate::fail::Failure;
use engine::{
    Engine, EngineConfig, EngineEvent, EngineHandle, ErrorCode, KeyringBackend, LoginRequest,
    SecretStoreKind,
};
use std::io::BufRead;
use tokio::sync::broadcast;

/// Starts an engine as the arguments say.
pub fn start(
    cli: &Cli,
    auto_accept: bool,
) -> Result<(EngineHandle, broadcast::Receiver<EngineEvent>), Failure> {
    let config = EngineConfig {
        data_dir: cli.data_dir.clone(),
        secrets: if cli.no_keychain {
            SecretStoreKind::Memory
        } else {
            SecretStoreKind::Keyring {
                service: cli.keychain_service.clone(),
                backend: KeyringBackend::Default,
            }
        },
        auto_accept,
        ..EngineConfig::default()
    };
    Engine::spawn(config).map_err(Failure::from)
}

/// The PEM of `--ca-file`, read and checked before anything is sent: an unreadable file, or one
/// without a usable certificate, stops the CLI with a usage error that names the file.
fn ca_file(cli: &Cli) -> Result<Option<String>, Failure> {
    let Some(path) = &cli.ca_file else {
        return Ok(None);
    };
    let shown = path.display();
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("--ca-file {shown}: cannot read it: {e}")))?;
    let pem = String::from_utf8(bytes).map_err(|_| {
        Failure::usage(format!(
            "--ca-file {shown}: not a PEM certificate file (not text)"
        ))
    })?;
    // The client's own check (the same one the login will make), to name the file.
    chat_agent_api::ApiClient::builder(cli.server.clone(), "0")
        .extra_root_certificates_pem(pem.as_bytes().to_vec())
        .build()
        .map_err(|e| match e {
            chat_agent_api::ApiError::InvalidRootCertificate { reason } => Failure::usage(format!(
                "--ca-file {shown}: not a usable CA certificate: {reason}"
            )),
            other => Failure::usage(format!("--ca-file {shown}: {other}")),
        })?;
    Ok(Some(pem))
}

fn password(cli: &Cli) -> Result<Option<String>, Failure> {
    if cli.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password from stdin: {e}")))?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.is_empty() {
            return Err(Failure::usage(
                "--password-stdin: standard input held no password",
            ));
        }
        return Ok(Some(pw));
    }
    Ok(std::env::var("AGENT_DESK_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty()))
}

/// Logs in with the stored token, else with the password; a busy or unreachable server is tried
/// again as spec §8 says (see `retry`), a refused login is not.
pub async fn login(cli: &Cli, engine: &EngineHandle) -> Result<engine::AgentProfile, Failure> {
    let (Some(account), Some(user)) = (&cli.account, &cli.user) else {
        return Err(Failure::usage(
            "--account and --user are needed to log in (watch, send, end)",
        ));
    };
    let request = LoginRequest {
        server: cli.server.clone(),
        account: account.clone(),
        user: user.clone(),
        password: None,
        extra_ca_pem: ca_file(cli)?,
    };
    if !cli.no_keychain {
        let stored = crate::retry::retrying("login", |_| engine.login(request.clone())).await;
        match stored {
            Ok(p) => return Ok(p),
            Err(e) if e.code == ErrorCode::AuthExpired => {
                tracing::info!("no usable stored login; using the password");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let Some(pw) = password(cli)? else {
        return Err(Failure::usage(
            "a password is needed: pass --password-stdin or set AGENT_DESK_PASSWORD",
        ));
    };
    let with_password = LoginRequest {
        password: Some(pw),
        ..request
    };
    crate::retry::retrying("login", |_| engine.login(with_password.clone()))
        .await
        .map_err(Failure::from)
}
