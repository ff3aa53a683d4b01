//! TypeScript bindings of the shell's own types and a typed list of its commands, generated into
//! `ui/src/bindings/` (the engine's types are generated there by the engine crate).
//!
//! `cargo test -p agent-desk export_bindings` rewrites them in place (scripts/check-bindings.sh then
//! asks git whether anything changed); `committed_bindings_are_fresh` fails when the committed files
//! differ from what the Rust types generate, so a stale binding fails `cargo test` too.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use ts_rs::{Config, TS};

use crate::commands::COMMANDS;

/// One command as the UI calls it: `invoke(name, args)` resolving to `returns`.
struct Signature {
    name: &'static str,
    args: &'static str,
    returns: &'static str,
}

const fn sig(name: &'static str, args: &'static str, returns: &'static str) -> Signature {
    Signature {
        name,
        args,
        returns,
    }
}

const SIGNATURES: &[Signature] = &[
    sig("login", "{ form: LoginForm }", "AgentProfile"),
    sig("try_resume", "Record<string, never>", "ResumeOutcome"),
    sig("start_demo", "Record<string, never>", "AgentProfile"),
    sig("active_chat_count", "Record<string, never>", "number"),
    sig("logout", "{ confirmed: boolean }", "LogoutOutcome"),
    sig("quit", "{ confirmed: boolean }", "ExitDecision"),
    sig(
        "set_availability",
        "{ availability: Availability; reasonId?: string | null }",
        "null",
    ),
    sig("accept", "Record<string, never>", "string"),
    sig(
        "send_line",
        "{ chat: string; text: string; textType?: TextType | null; agentOnly?: boolean | null }",
        "string",
    ),
    sig("retry_line", "{ localId: string }", "null"),
    sig("end_chat", "{ chat: string }", "null"),
    sig("transfer_options", "{ chat: string }", "TransferOptions"),
    sig(
        "transfer",
        "{ chat: string; target: TransferTarget; note?: string | null }",
        "null",
    ),
    sig("set_typing", "{ chat: string; typing: boolean }", "null"),
    sig("save_draft", "{ chat: string; text: string }", "null"),
    sig("snapshot", "Record<string, never>", "DeskSnapshot"),
    sig("settings", "Record<string, never>", "Settings"),
    sig("set_muted", "{ muted: boolean }", "Settings"),
    sig("set_auto_accept", "{ on: boolean }", "Settings"),
    sig("open_chat", "{ chat: string | null }", "null"),
];

/// Types used in the signatures whose files the engine crate generates.
const ENGINE_TYPES: &[&str] = &[
    "AgentProfile",
    "Availability",
    "DeskSnapshot",
    "TextType",
    "TransferOptions",
    "TransferTarget",
];

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

fn ts<T: TS + 'static>(cfg: &Config) -> (String, String) {
    let text = T::export_to_string(cfg).unwrap_or_else(|e| panic!("{}: {e}", T::name(cfg)));
    (format!("{}.ts", T::name(cfg)), text)
}

fn commands_ts() -> String {
    let mut types: Vec<&str> = SIGNATURES
        .iter()
        .flat_map(|s| [s.args, s.returns])
        .flat_map(|text| text.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()) && *word != "Record")
        .collect();
    types.sort_unstable();
    types.dedup();
    let mut out = String::from(
        "// Generated from src-tauri (cargo test -p agent-desk export_bindings). Do not edit.\n",
    );
    for name in types {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str(
        "\n/** Every command of the shell: `invoke(name, args)` resolves to `returns`, or rejects with an `IpcError`. */\n",
    );
    out.push_str("export type Commands = {\n");
    for s in SIGNATURES {
        out.push_str(&format!(
            "  {}: {{ args: {}; returns: {} }};\n",
            s.name, s.args, s.returns
        ));
    }
    out.push_str("};\n\nexport type CommandName = keyof Commands;\n\n");
    out.push_str("export const COMMANDS: readonly CommandName[] = [\n");
    for name in COMMANDS {
        out.push_str(&format!("  \"{name}\",\n"));
    }
    out.push_str("];\n\n/** The events the shell emits (`listen(EVENTS.engineEvent, ...)`). */\n");
    out.push_str("export const EVENTS = {\n");
    for (key, name) in crate::ui_events::EVENTS {
        out.push_str(&format!("  {key}: \"{name}\",\n"));
    }
    out.push_str("} as const;\n");
    out
}

/// File name → content of everything this crate generates.
fn generated() -> BTreeMap<String, String> {
    let cfg = Config::new();
    let mut files: BTreeMap<String, String> = [
        ts::<crate::error::IpcError>(&cfg),
        ts::<crate::desk::LoginForm>(&cfg),
        ts::<crate::desk::ResumeOutcome>(&cfg),
        ts::<crate::desk::LogoutOutcome>(&cfg),
        ts::<crate::settings::Settings>(&cfg),
        ts::<crate::settings::RememberedLogin>(&cfg),
        ts::<crate::exit::ExitDecision>(&cfg),
        ts::<crate::ui_events::OpenChat>(&cfg),
        ts::<crate::ui_events::LeaveRequested>(&cfg),
        ts::<crate::ui_events::EngineLagged>(&cfg),
    ]
    .into_iter()
    .collect();
    files.insert("commands.ts".into(), commands_ts());
    files
}

/// The committed files, read once before any test rewrites them.
fn committed() -> &'static BTreeMap<String, Option<String>> {
    static COMMITTED: OnceLock<BTreeMap<String, Option<String>>> = OnceLock::new();
    COMMITTED.get_or_init(|| {
        generated()
            .into_keys()
            .map(|name| {
                let text = std::fs::read_to_string(bindings_dir().join(&name)).ok();
                (name, text)
            })
            .collect()
    })
}

#[test]
fn export_bindings() {
    committed();
    let dir = bindings_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in generated() {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn committed_bindings_are_fresh() {
    let stale: Vec<String> = generated()
        .into_iter()
        .filter(|(name, text)| committed().get(name).cloned().flatten().as_ref() != Some(text))
        .map(|(name, _)| name)
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale ({stale:?}): run `cargo test -p agent-desk export_bindings` and commit"
    );
}

#[test]
fn signatures_cover_every_command_in_order() {
    let names: Vec<&str> = SIGNATURES.iter().map(|s| s.name).collect();
    assert_eq!(names, COMMANDS);
}

#[test]
fn engine_types_used_by_commands_are_exported_by_the_engine() {
    let cfg = Config::new();
    let engine_names = [
        engine::events::AgentProfile::name(&cfg),
        engine::events::Availability::name(&cfg),
        engine::types::DeskSnapshot::name(&cfg),
        engine::events::TextType::name(&cfg),
        engine::types::TransferOptions::name(&cfg),
        engine::events::TransferTarget::name(&cfg),
    ];
    assert_eq!(engine_names.as_slice(), ENGINE_TYPES);
    for name in ENGINE_TYPES {
        assert!(commands_ts().contains(&format!("import type {{ {name} }} from \"./{name}\";")));
    }
}
