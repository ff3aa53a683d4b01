//! TypeScript bindings of the IPC contract, generated into `ui/src/bindings/` (the engine's types are
//! generated there by the engine crate).
//!
//! Nothing here is typed by hand: each command's argument and return types are read off its Rust
//! function ([`Signature::of`] infers them from the function's type, for every command listed in
//! `commands::app_commands!`), and the files written are those types and everything they refer to.
//! `commands.ts` maps each command to `{ args: XxxArgs; returns: T }`, so renaming a field of an
//! `XxxArgs` struct, changing a return type or renaming a command breaks the UI's type check.
//!
//! `cargo test -p agent-desk export_bindings` rewrites the files in place (scripts/check-bindings.sh
//! then asks git whether anything changed); `committed_bindings_are_fresh` fails when the committed
//! files differ from what the Rust types generate, and `no_stale_binding_files` when a file in
//! `ui/src/bindings/` is no longer part of the contract.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tauri::test::MockRuntime;
use tauri::{AppHandle, State};
use ts_rs::{Config, ExportError, TS, TypeVisitor};

use crate::commands::COMMANDS;
use crate::desk::Desk;
use crate::error::{IpcError, IpcResult};

/// The crate's own types (exported here); any other type is the engine's (exported there).
const SHELL_CRATE: &str = "agent_desk_lib::";

/// A Rust type as the generator needs it: its TypeScript name and the exportable types it uses.
#[derive(Clone, Copy)]
pub(crate) struct TsType {
    name: fn(&Config) -> String,
    reach: fn(&mut Reached<'_>),
}

impl TsType {
    fn of<T: TS + 'static>() -> Self {
        fn reach<T: TS + 'static>(reached: &mut Reached<'_>) {
            reached.visit::<T>();
        }
        Self {
            name: T::name,
            reach: reach::<T>,
        }
    }
}

/// One exportable type (it has a file of its own).
struct Found {
    rust: &'static str,
    ident: String,
    file: String,
    export: fn(&Config) -> Result<String, ExportError>,
}

/// The exportable types met while visiting: the named ones only (`deep: false`, what a file must
/// import), or everything they use as well (`deep: true`).
struct Reached<'a> {
    cfg: &'a Config,
    deep: bool,
    seen: HashSet<TypeId>,
    found: Vec<Found>,
}

impl<'a> Reached<'a> {
    fn new(cfg: &'a Config, deep: bool) -> Self {
        Self {
            cfg,
            deep,
            seen: HashSet::new(),
            found: Vec::new(),
        }
    }

    fn all(cfg: &'a Config, deep: bool, types: impl IntoIterator<Item = TsType>) -> Vec<Found> {
        let mut reached = Self::new(cfg, deep);
        for ty in types {
            (ty.reach)(&mut reached);
        }
        reached.found.sort_by(|a, b| a.ident.cmp(&b.ident));
        reached.found
    }
}

impl TypeVisitor for Reached<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        match T::output_path() {
            Some(path) => {
                self.found.push(Found {
                    rust: std::any::type_name::<T>(),
                    ident: T::ident(self.cfg),
                    file: path
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    export: T::export_to_string,
                });
                if self.deep {
                    T::visit_dependencies(self);
                }
            }
            // Options, lists, maps and primitives: what they hold (a list's element type, not
            // the types that element uses, unless everything reached is wanted).
            None => {
                T::visit_generics(self);
                if self.deep {
                    T::visit_dependencies(self);
                }
            }
        }
    }
}

/// One command as the UI calls it: `invoke(name, { args })` resolving to `returns`.
pub(crate) struct Signature {
    name: &'static str,
    /// The type of the `args` parameter; `None`: the command takes none.
    args: Option<TsType>,
    returns: TsType,
}

impl Signature {
    /// The signature of a `#[tauri::command]` function, inferred from its type.
    pub(crate) fn of<Shape, F: CommandFn<Shape>>(name: &'static str, _command: F) -> Self {
        Self {
            name,
            args: F::args(),
            returns: F::returns(),
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn takes_args(&self) -> bool {
        self.args.is_some()
    }
}

/// The `State<Desk>` Tauri injects (any lifetime; `'static` names one).
type DeskState = State<'static, Desk>;
/// The `AppHandle` Tauri injects into commands generic over the runtime.
type App = AppHandle<MockRuntime>;

/// The shapes a command function may have: what Tauri injects first (`State<Desk>` or
/// `AppHandle`), then at most one `args` parameter, returning `IpcResult<T>` or a future of it.
/// A function of any other shape does not compile in `app_commands!`.
pub(crate) trait CommandFn<Shape> {
    fn args() -> Option<TsType>;
    fn returns() -> TsType;
}

/// Shape markers.
pub(crate) enum Async {}
pub(crate) enum Blocking {}

macro_rules! command_shape {
    ($marker:ident, $injected:ty) => {
        impl<F, Fut, T> CommandFn<($marker, $injected)> for F
        where
            F: Fn($injected) -> Fut,
            Fut: Reply<$marker, Ok = T>,
            T: TS + Serialize + 'static,
        {
            fn args() -> Option<TsType> {
                None
            }
            fn returns() -> TsType {
                TsType::of::<T>()
            }
        }

        impl<F, A, Fut, T> CommandFn<($marker, $injected, A)> for F
        where
            F: Fn($injected, A) -> Fut,
            A: TS + DeserializeOwned + 'static,
            Fut: Reply<$marker, Ok = T>,
            T: TS + Serialize + 'static,
        {
            fn args() -> Option<TsType> {
                Some(TsType::of::<A>())
            }
            fn returns() -> TsType {
                TsType::of::<T>()
            }
        }
    };
}

command_shape!(Async, DeskState);
command_shape!(Blocking, DeskState);
command_shape!(Async, App);
command_shape!(Blocking, App);

/// What a command function returns: `IpcResult<T>` (blocking) or a future of it (async).
pub(crate) trait Reply<Marker> {
    type Ok;
}

impl<T> Reply<Blocking> for IpcResult<T> {
    type Ok = T;
}

impl<T, Fut: Future<Output = IpcResult<T>>> Reply<Async> for Fut {
    type Ok = T;
}

/// The events the shell emits, with their payloads (`ui_events::EVENTS` lists the same names).
fn events() -> Vec<(&'static str, &'static str, TsType)> {
    use crate::ui_events::*;
    vec![
        (
            "engineEvent",
            ENGINE_EVENT,
            TsType::of::<engine::events::EngineEvent>(),
        ),
        ("engineLagged", ENGINE_LAGGED, TsType::of::<EngineLagged>()),
        ("openChat", OPEN_CHAT, TsType::of::<OpenChat>()),
        (
            "quitRequested",
            QUIT_REQUESTED,
            TsType::of::<LeaveRequested>(),
        ),
        (
            "logoutRequested",
            LOGOUT_REQUESTED,
            TsType::of::<LeaveRequested>(),
        ),
        ("unread", UNREAD, TsType::of::<UnreadCounts>()),
        ("windowHidden", WINDOW_HIDDEN, TsType::of::<()>()),
    ]
}

/// Every type the contract uses at its surface: arguments, returns, the error, event payloads.
fn surface(signatures: &[Signature]) -> Vec<TsType> {
    let mut types = vec![TsType::of::<IpcError>()];
    for s in signatures {
        types.extend(s.args);
        types.push(s.returns);
    }
    types.extend(events().into_iter().map(|(_, _, payload)| payload));
    types
}

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

fn commands_ts(cfg: &Config) -> String {
    let signatures = crate::commands::signatures();
    let mut out = String::from(
        "// Generated from src-tauri (cargo test -p agent-desk export_bindings). Do not edit.\n",
    );
    for found in Reached::all(cfg, false, surface(&signatures)) {
        let module = found.file.trim_end_matches(".ts");
        out.push_str(&format!(
            "import type {{ {} }} from \"./{module}\";\n",
            found.ident
        ));
    }
    let error = (TsType::of::<IpcError>().name)(cfg);
    out.push_str(&format!(
        "\n/** What every command rejects with: `{{ code, message, retryable }}`, the engine's error type. */\n\
         export type CommandError = {error};\n"
    ));
    out.push_str(
        "\n/**\n \
         * Every command of the shell, read off its Rust function (src-tauri/src/commands): call it as\n \
         * `invoke(name, { args })` with `args` of the given type (no payload when `args` is `null`);\n \
         * it resolves to `returns` or rejects with a `CommandError`.\n \
         */\n",
    );
    out.push_str("export type Commands = {\n");
    for s in &signatures {
        let args = s
            .args
            .map_or_else(|| "null".to_owned(), |args| (args.name)(cfg));
        let returns = (s.returns.name)(cfg);
        out.push_str(&format!(
            "  {}: {{ args: {args}; returns: {returns} }};\n",
            s.name
        ));
    }
    out.push_str("};\n\nexport type CommandName = keyof Commands;\n\n");
    out.push_str("export const COMMANDS: readonly CommandName[] = [\n");
    for name in COMMANDS {
        out.push_str(&format!("  \"{name}\",\n"));
    }
    out.push_str("];\n\n/** The events the shell emits (`listen(EVENTS.engineEvent, ...)`). */\n");
    out.push_str("export const EVENTS = {\n");
    for (key, name, _) in events() {
        out.push_str(&format!("  {key}: \"{name}\",\n"));
    }
    out.push_str("} as const;\n\n/** What each event carries. */\nexport type EventPayloads = {\n");
    for (_, name, payload) in events() {
        out.push_str(&format!("  \"{name}\": {};\n", (payload.name)(cfg)));
    }
    out.push_str("};\n");
    out
}

/// Every type the contract reaches, its own and the engine's.
fn contract_types(cfg: &Config) -> Vec<Found> {
    Reached::all(cfg, true, surface(&crate::commands::signatures()))
}

/// File name → content of everything this crate generates: `commands.ts` and the shell's own types
/// the contract reaches (the engine's are generated by the engine crate).
fn generated() -> BTreeMap<String, String> {
    let cfg = Config::new();
    let mut files: BTreeMap<String, String> = contract_types(&cfg)
        .into_iter()
        .filter(|found| found.rust.starts_with(SHELL_CRATE))
        .map(|found| {
            let text = (found.export)(&cfg).unwrap_or_else(|e| panic!("{}: {e}", found.ident));
            (found.file, text)
        })
        .collect();
    files.insert("commands.ts".into(), commands_ts(&cfg));
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
fn no_stale_binding_files() {
    let cfg = Config::new();
    let mut wanted: BTreeSet<String> = contract_types(&cfg).into_iter().map(|f| f.file).collect();
    wanted.insert("commands.ts".into());
    let stale: Vec<String> = std::fs::read_dir(bindings_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ts") && !wanted.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings holds files no longer in the IPC contract: {stale:?} (delete them)"
    );
}

#[test]
fn engine_types_in_the_contract_are_generated_by_the_engine() {
    let cfg = Config::new();
    let engine: Vec<Found> = contract_types(&cfg)
        .into_iter()
        .filter(|found| !found.rust.starts_with(SHELL_CRATE))
        .collect();
    assert!(engine.iter().any(|f| f.ident == "DeskSnapshot"));
    assert!(engine.iter().any(|f| f.ident == "EngineError"));
    for found in engine {
        assert!(
            found.rust.starts_with("engine::"),
            "{} is neither the shell's nor the engine's",
            found.rust
        );
        assert!(
            bindings_dir().join(&found.file).is_file(),
            "{} is not generated: run `cargo test -p agent-desk-engine export_bindings`",
            found.file
        );
    }
}

#[test]
fn signatures_cover_every_command_in_order() {
    let names: Vec<&str> = crate::commands::signatures()
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, COMMANDS);
}

#[test]
fn events_cover_every_event_in_order() {
    let ours: Vec<(&str, &str)> = events()
        .into_iter()
        .map(|(key, name, _)| (key, name))
        .collect();
    assert_eq!(ours, crate::ui_events::EVENTS);
}

/// The point of the generator: the UI's argument names come from the Rust struct's fields, so
/// renaming `agent_only` renames `agentOnly` in `SendLineArgs.ts` and the UI stops compiling.
#[test]
fn send_line_arguments_are_named_from_the_struct_fields() {
    let cfg = Config::new();
    let decl = crate::commands::chat::SendLineArgs::decl(&cfg);
    for field in [
        "chat: string",
        "text: string",
        "textType?: TextType | null",
        "agentOnly?: boolean | null",
    ] {
        assert!(decl.contains(field), "{field} missing from {decl}");
    }
    let commands = commands_ts(&cfg);
    assert!(commands.contains("  send_line: { args: SendLineArgs; returns: string };\n"));
    assert!(commands.contains("import type { SendLineArgs } from \"./SendLineArgs\";\n"));
    assert!(commands.contains("  snapshot: { args: null; returns: DeskSnapshot };\n"));
    assert!(commands.contains("  show_chats: { args: ShowChatsArgs; returns: UnreadCounts };\n"));
    assert!(generated()["SendLineArgs.ts"].contains("agentOnly?: boolean | null"));
}
