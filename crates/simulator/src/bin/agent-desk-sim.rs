//! `agent-desk-sim`: serves the Chat Agent API simulator on 127.0.0.1.

use clap::Parser;
use simulator::accounts::{ACCOUNT_ID, AGENTS, SKILLS};
use simulator::{
    FromEventIds, NoSurvey, SimConfig, Simulator, SurveyValues, TlsCert, TransferredChats,
};
use std::path::PathBuf;

/// Command line.
#[derive(Debug, Parser)]
#[command(
    name = "agent-desk-sim",
    about = "Local LivePerson Chat Agent API simulator"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Emit one-element lists as arrays.
    #[arg(long)]
    always_arrays: bool,
    /// Run the demo script of visitors.
    #[arg(long)]
    demo: bool,
    /// Demo speed factor (2.0 = twice as fast).
    #[arg(long, default_value_t = 1.0)]
    demo_speed: f64,
    /// How `fromEventIds` is read (spec §4.13): `after` the id (literal, default) or `from` it.
    #[arg(long, value_parser = ["after", "from"])]
    from_event_ids: Option<String>,
    /// After a transfer the old agent may still `read` the chat (default) or is `forbidden`.
    #[arg(long, value_parser = ["readable", "forbidden"], default_value = "readable")]
    transferred_chats: String,
    /// Survey structure scalars as text (`strings`, default) or real booleans/numbers (`typed`).
    #[arg(long, value_parser = ["strings", "typed"], default_value = "strings")]
    survey_values: String,
    /// A chat without a survey answers 200 `{"survey":null}` (`null`, default) or 404.
    #[arg(long, value_parser = ["null", "not-found"], default_value = "null")]
    no_survey: String,
    /// Refuse rich-content lines without `text` (400).
    #[arg(long)]
    rich_content_needs_text: bool,
    /// Serve https only, with a CA and a certificate for 127.0.0.1/localhost made at start; the
    /// domain lookup answers a baseURI that clients turn into https://{baseURI}.
    #[arg(long)]
    tls: bool,
    /// With --tls: write the CA certificate (PEM) to this file (clients trust it as an extra
    /// root, e.g. `agent-desk-cli --ca-file FILE`). Without it the PEM is printed.
    #[arg(long, requires = "tls")]
    tls_ca_out: Option<PathBuf>,
    /// With --tls (test hook): serve a certificate that expired yesterday.
    #[arg(long, requires = "tls", conflicts_with = "tls_wrong_name")]
    tls_expired: bool,
    /// With --tls (test hook): serve a certificate issued for another host name.
    #[arg(long, requires = "tls")]
    tls_wrong_name: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let sim = Simulator::start(SimConfig {
        port: args.port,
        always_arrays: args.always_arrays,
        demo: args.demo,
        demo_speed: args.demo_speed,
        from_event_ids: match args.from_event_ids.as_deref() {
            Some("from") => FromEventIds::From,
            Some(_) => FromEventIds::After,
            None => FromEventIds::from_env(),
        },
        transferred_chats: if args.transferred_chats == "forbidden" {
            TransferredChats::Forbidden
        } else {
            TransferredChats::Readable
        },
        survey_values: if args.survey_values == "typed" {
            SurveyValues::Typed
        } else {
            SurveyValues::Strings
        },
        no_survey: if args.no_survey == "not-found" {
            NoSurvey::NotFound
        } else {
            NoSurvey::Null
        },
        rich_content_needs_text: args.rich_content_needs_text,
        tls: args.tls,
        tls_cert: if args.tls_expired {
            TlsCert::Expired
        } else if args.tls_wrong_name {
            TlsCert::WrongName
        } else {
            TlsCert::Valid
        },
        ..SimConfig::default()
    })
    .await?;
    if let Some(pem) = sim.ca_pem() {
        match &args.tls_ca_out {
            Some(path) => {
                std::fs::write(path, pem).map_err(|e| {
                    format!("cannot write the CA certificate to {}: {e}", path.display())
                })?;
            }
            None => {
                println!("TLS CA certificate (PEM; trust it as an extra root):");
                print!("{pem}");
            }
        }
    }
    println!("agent-desk-sim: Chat Agent API simulator");
    println!("account: {ACCOUNT_ID}");
    println!("skills:");
    for s in SKILLS {
        println!("  {} (id {})", s.name, s.id);
    }
    println!("agents:");
    for a in AGENTS {
        let skills: Vec<&str> = a
            .skills
            .iter()
            .filter_map(|id| SKILLS.iter().find(|s| s.id == *id).map(|s| s.name))
            .collect();
        let cred = match (a.password, a.app_key) {
            (Some(p), _) => format!("password {p}"),
            (None, Some(k)) => format!(
                "appKey {} secret {} accessToken {} accessTokenSecret {}",
                k.app_key, k.secret, k.access_token, k.access_token_secret
            ),
            (None, None) => String::new(),
        };
        println!(
            "  {} ({}, id {}): {cred}; skills {}; maxChats {}",
            a.login_name,
            a.nickname,
            a.id,
            skills.join(" + "),
            a.max_chats
        );
    }
    println!("demo: {}", if args.demo { "on" } else { "off" });
    if sim.is_tls() {
        let cert = if args.tls_expired {
            " (test hook: expired certificate)"
        } else if args.tls_wrong_name {
            " (test hook: certificate for another host name)"
        } else {
            ""
        };
        println!("tls: on{cert}");
        if let Some(path) = &args.tls_ca_out {
            println!("TLS CA certificate: {}", path.display());
        }
    }
    println!("base URL: {}", sim.base_url());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
