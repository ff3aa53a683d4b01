//! Working a chat: accept, lines, end, transfer, typing, drafts.

use engine::events::{ChatKey, TextType, TransferTarget};
use engine::types::TransferOptions;
use tauri::State;

use crate::desk::Desk;
use crate::error::IpcResult;

/// Takes the next ringing chat; `nothingToAccept` when nothing rings.
#[tauri::command]
pub async fn accept(desk: State<'_, Desk>) -> IpcResult<ChatKey> {
    Ok(desk.engine.accept().await?)
}

/// Queues a line in the outbox; returns its local id (progress comes as `outbox` events).
#[tauri::command]
pub async fn send_line(
    desk: State<'_, Desk>,
    chat: ChatKey,
    text: String,
    text_type: Option<TextType>,
    agent_only: Option<bool>,
) -> IpcResult<String> {
    let text_type = text_type.unwrap_or(TextType::Plain);
    Ok(desk
        .engine
        .send_line(chat, text, text_type, agent_only.unwrap_or(false))
        .await?)
}

/// Sends a failed line again.
#[tauri::command]
pub async fn retry_line(desk: State<'_, Desk>, local_id: String) -> IpcResult<()> {
    Ok(desk.engine.retry_line(local_id).await?)
}

/// Ends a chat.
#[tauri::command]
pub async fn end_chat(desk: State<'_, Desk>, chat: ChatKey) -> IpcResult<()> {
    Ok(desk.engine.end_chat(chat).await?)
}

/// Skills and agents the chat can go to.
#[tauri::command]
pub async fn transfer_options(desk: State<'_, Desk>, chat: ChatKey) -> IpcResult<TransferOptions> {
    Ok(desk.engine.transfer_options(chat).await?)
}

/// Transfers the chat, with an optional note only agents see.
#[tauri::command]
pub async fn transfer(
    desk: State<'_, Desk>,
    chat: ChatKey,
    target: TransferTarget,
    note: Option<String>,
) -> IpcResult<()> {
    Ok(desk.engine.transfer(chat, target, note).await?)
}

/// Tells the visitor whether the agent is typing.
#[tauri::command]
pub async fn set_typing(desk: State<'_, Desk>, chat: ChatKey, typing: bool) -> IpcResult<()> {
    Ok(desk.engine.set_typing(chat, typing).await?)
}

/// Stores the unsent draft of a chat (empty text clears it).
#[tauri::command]
pub async fn save_draft(desk: State<'_, Desk>, chat: ChatKey, text: String) -> IpcResult<()> {
    Ok(desk.engine.save_draft(chat, text).await?)
}
