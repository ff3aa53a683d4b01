//! `agent-desk-sim`: serves the Chat Agent API simulator on 127.0.0.1.

use clap::Parser;
use simulator::accounts::{ACCOUNT_ID, AGENTS, SKILLS};
use simulator::{FromEventIds, NoSurvey, SimConfig, Simulator, SurveyValues, TransferredChats};

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
        ..SimConfig::default()
    })
    .await?;
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
    println!("base URL: {}", sim.base_url());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
