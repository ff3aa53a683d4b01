//! The commands the UI invokes. Each is a one-line call into the engine (or the shell's `Desk`)
//! returning `Result<T, IpcError>`.
//!
//! The contract with the UI is read off these functions: a command takes at most one argument
//! besides the `State`/`AppHandle` Tauri injects, always named `args` (a struct deriving
//! `Deserialize` + `TS`, camelCase fields; JS calls `invoke(name, { args })`), and returns
//! `IpcResult<T>` with `T: TS`. `bindings.rs` infers both types from each function listed in
//! `app_commands!` and generates `ui/src/bindings/commands.ts`, so a renamed field, argument or
//! command breaks the UI's type check.

pub mod alerts;
pub mod chat;
pub mod desk;
pub mod library;
pub mod links;
mod names;
pub mod session;
pub mod workday;

pub use names::COMMANDS;

/// Lists every command once: the invoke handler and (in tests) the signatures the bindings are
/// generated from come from the same list.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// The invoke handler listing every command (the same list as `COMMANDS`).
        pub fn handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }

        /// Every command's name with its argument and return types, read off the function.
        #[cfg(test)]
        pub(crate) fn signatures() -> Vec<crate::bindings::Signature> {
            vec![$(crate::bindings::Signature::of(stringify!($command), $module::$command)),*]
        }
    };
}

app_commands![
    session::login,
    session::try_resume,
    session::start_demo,
    session::active_chat_count,
    session::logout,
    session::quit,
    desk::set_availability,
    chat::accept,
    chat::send_line,
    chat::retry_line,
    chat::end_chat,
    chat::transfer_options,
    chat::transfer,
    chat::set_typing,
    chat::save_draft,
    desk::snapshot,
    desk::settings,
    desk::set_muted,
    desk::set_auto_accept,
    desk::show_chats,
    desk::save_view,
    desk::view_state,
    desk::spell_languages,
    desk::set_spell_check,
    workday::submit_wrap_up,
    workday::skip_wrap_up,
    workday::send_card,
    library::responses_list,
    library::responses_search,
    library::responses_save,
    library::responses_delete,
    library::responses_reorder,
    library::responses_import,
    library::responses_export,
    library::responses_fill,
    library::responses_suggest,
    library::history_search,
    library::history_transcript,
    library::history_plain_text,
    library::history_retention,
    library::history_set_retention,
    library::history_clear,
    library::agent_numbers,
    links::fetch_image,
    links::open_link,
    alerts::alert_settings,
    alerts::set_alert_settings,
    alerts::alert_latency,
    alerts::play_tone,
    library::save_export,
];
