//! The agent's working day around the chats: wrap-up surveys and structured-content cards.

use engine::events::ChatKey;
use engine::wrapup::SurveyAnswer;
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::IpcResult;

/// Arguments of `submit_wrap_up`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SubmitWrapUpArgs {
    pub chat: ChatKey,
    pub answers: Vec<SurveyAnswer>,
}

/// Submits a chat's wrap-up answers (checked first; progress comes as `wrapUp` events).
#[tauri::command]
pub async fn submit_wrap_up(desk: State<'_, Desk>, args: SubmitWrapUpArgs) -> IpcResult<()> {
    desk.engine.submit_wrap_up(args.chat, args.answers).await
}

/// Arguments of `skip_wrap_up`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SkipWrapUpArgs {
    pub chat: ChatKey,
}

/// Skips a chat's wrap-up (refused while a mandatory question shows).
#[tauri::command]
pub async fn skip_wrap_up(desk: State<'_, Desk>, args: SkipWrapUpArgs) -> IpcResult<()> {
    desk.engine.skip_wrap_up(args.chat).await
}

/// Arguments of `send_card`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SendCardArgs {
    pub chat: ChatKey,
    /// What clients that cannot show cards display instead.
    pub text: String,
    /// The structured content (an object with a `type`).
    #[ts(type = "unknown")]
    pub card: serde_json::Value,
}

/// Queues a structured-content card like a line; returns its local id.
#[tauri::command]
pub async fn send_card(desk: State<'_, Desk>, args: SendCardArgs) -> IpcResult<String> {
    desk.engine.send_card(args.chat, args.text, args.card).await
}
