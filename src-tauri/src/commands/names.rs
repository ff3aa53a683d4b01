// Included by build.rs (to declare the app's commands to Tauri's ACL) and by the crate (to check the
// capability and generate ui/src/bindings/commands.ts). Keep in step with `app_commands!` in
// commands/mod.rs (a test compares them).

/// Every `#[tauri::command]` of the app.
pub const COMMANDS: &[&str] = &[
    "login",
    "try_resume",
    "start_demo",
    "active_chat_count",
    "logout",
    "quit",
    "set_availability",
    "accept",
    "send_line",
    "retry_line",
    "end_chat",
    "transfer_options",
    "transfer",
    "set_typing",
    "save_draft",
    "snapshot",
    "settings",
    "set_muted",
    "set_auto_accept",
    "show_chats",
    "submit_wrap_up",
    "skip_wrap_up",
    "send_card",
    "fetch_image",
    "open_link",
];
