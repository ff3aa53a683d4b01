//! The commands the UI invokes. Each is a one-line call into the engine (or the shell's `Desk`)
//! returning `Result<T, IpcError>`. Argument names arrive from JavaScript in camelCase.

pub mod chat;
pub mod desk;
mod names;
pub mod session;

pub use names::COMMANDS;

/// The invoke handler listing every command (the same list as `COMMANDS`).
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
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
        desk::open_chat,
    ]
}
