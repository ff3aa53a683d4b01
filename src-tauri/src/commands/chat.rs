//! Working a chat: accept, lines, end, transfer, typing, drafts.

use engine::events::{ChatKey, TextType, TransferTarget};
use engine::types::TransferOptions;
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::IpcResult;

/// Takes the next ringing chat; `nothingToAccept` when nothing rings.
#[tauri::command]
pub async fn accept(desk: State<'_, Desk>) -> IpcResult<ChatKey> {
    desk.engine.accept().await
}

/// Arguments of `send_line`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct SendLineArgs {
    pub chat: ChatKey,
    pub text: String,
    /// `plain` unless given.
    pub text_type: Option<TextType>,
    /// A line only agents see (default: false).
    pub agent_only: Option<bool>,
}

/// Queues a line in the outbox; returns its local id (progress comes as `outbox` events).
#[tauri::command]
pub async fn send_line(desk: State<'_, Desk>, args: SendLineArgs) -> IpcResult<String> {
    let text_type = args.text_type.unwrap_or(TextType::Plain);
    let agent_only = args.agent_only.unwrap_or(false);
    desk.engine
        .send_line(args.chat, args.text, text_type, agent_only)
        .await
}

/// Arguments of `retry_line`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct RetryLineArgs {
    /// The id `send_line` returned.
    pub local_id: String,
}

/// Sends a failed line again.
#[tauri::command]
pub async fn retry_line(desk: State<'_, Desk>, args: RetryLineArgs) -> IpcResult<()> {
    desk.engine.retry_line(args.local_id).await
}

/// Arguments of `end_chat`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct EndChatArgs {
    pub chat: ChatKey,
}

/// Ends a chat.
#[tauri::command]
pub async fn end_chat(desk: State<'_, Desk>, args: EndChatArgs) -> IpcResult<()> {
    desk.engine.end_chat(args.chat).await
}

/// Arguments of `transfer_options`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct TransferOptionsArgs {
    pub chat: ChatKey,
}

/// Skills and agents the chat can go to.
#[tauri::command]
pub async fn transfer_options(
    desk: State<'_, Desk>,
    args: TransferOptionsArgs,
) -> IpcResult<TransferOptions> {
    desk.engine.transfer_options(args.chat).await
}

/// Arguments of `transfer`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct TransferArgs {
    pub chat: ChatKey,
    pub target: TransferTarget,
    /// A note only agents see.
    pub note: Option<String>,
}

/// Transfers the chat, with an optional note only agents see.
#[tauri::command]
pub async fn transfer(desk: State<'_, Desk>, args: TransferArgs) -> IpcResult<()> {
    desk.engine
        .transfer(args.chat, args.target, args.note)
        .await
}

/// Arguments of `set_typing`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SetTypingArgs {
    pub chat: ChatKey,
    pub typing: bool,
}

/// Tells the visitor whether the agent is typing.
#[tauri::command]
pub async fn set_typing(desk: State<'_, Desk>, args: SetTypingArgs) -> IpcResult<()> {
    desk.engine.set_typing(args.chat, args.typing).await
}

/// Arguments of `save_draft`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SaveDraftArgs {
    pub chat: ChatKey,
    /// Empty text clears the draft.
    pub text: String,
}

/// Stores the unsent draft of a chat (empty text clears it).
#[tauri::command]
pub async fn save_draft(desk: State<'_, Desk>, args: SaveDraftArgs) -> IpcResult<()> {
    desk.engine.save_draft(args.chat, args.text).await
}
