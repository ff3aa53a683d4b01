//! Predefined responses, the chat history and the agent's own numbers: commands that read and
//! write the local library (see `library.rs`), never the network.

use engine::events::{ChatKey, LineSource, TextType};
use engine::{
    AgentNumbers, CannedResponse, ChatLine, Filled, HistoryHit, HistoryQuery, ImportMode,
    ImportReport, PlaceholderValues, ResponseInput,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::IpcResult;

/// Every predefined response, by category then position.
#[tauri::command]
pub async fn responses_list(desk: State<'_, Desk>) -> IpcResult<Vec<CannedResponse>> {
    desk.library.responses(|l| l.list()).await
}

/// Arguments of `responses_search`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct ResponsesSearchArgs {
    /// What the agent typed after `/` (empty: all, in order).
    pub query: String,
    /// At most this many (default 8).
    pub limit: Option<u32>,
}

/// Responses matching what the agent typed, best first.
#[tauri::command]
pub async fn responses_search(
    desk: State<'_, Desk>,
    args: ResponsesSearchArgs,
) -> IpcResult<Vec<CannedResponse>> {
    let limit = args.limit.unwrap_or(8).clamp(1, 50) as usize;
    desk.library
        .responses(move |l| l.search(&args.query, limit))
        .await
}

/// Arguments of `responses_save`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct ResponsesSaveArgs {
    /// The response to change; none adds a new one.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub input: ResponseInput,
}

/// Adds or changes a response (checked: a clear error names the field).
#[tauri::command]
pub async fn responses_save(
    desk: State<'_, Desk>,
    args: ResponsesSaveArgs,
) -> IpcResult<CannedResponse> {
    desk.library
        .responses(move |l| match args.id {
            Some(id) => l.update(id, &args.input),
            None => l.add(&args.input),
        })
        .await
}

/// Arguments of `responses_delete`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResponsesDeleteArgs {
    #[ts(type = "number")]
    pub id: i64,
}

/// Deletes a response.
#[tauri::command]
pub async fn responses_delete(desk: State<'_, Desk>, args: ResponsesDeleteArgs) -> IpcResult<()> {
    desk.library.responses(move |l| l.delete(args.id)).await
}

/// Arguments of `responses_reorder`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResponsesReorderArgs {
    pub category: String,
    /// Every id of the category, in the new order.
    #[ts(type = "number[]")]
    pub ids: Vec<i64>,
}

/// Puts a category's responses in a new order.
#[tauri::command]
pub async fn responses_reorder(desk: State<'_, Desk>, args: ResponsesReorderArgs) -> IpcResult<()> {
    desk.library
        .responses(move |l| l.reorder(&args.category, &args.ids))
        .await
}

/// Arguments of `responses_import`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResponsesImportArgs {
    /// The file's text (docs/responses-format.md).
    pub json: String,
    pub mode: ImportMode,
}

/// Imports a responses file: all of it or, on the first bad entry, nothing (the error names the
/// entry and the field).
#[tauri::command]
pub async fn responses_import(
    desk: State<'_, Desk>,
    args: ResponsesImportArgs,
) -> IpcResult<ImportReport> {
    desk.library
        .responses(move |l| l.import_json(&args.json, args.mode))
        .await
}

/// The whole library as a responses file.
#[tauri::command]
pub async fn responses_export(desk: State<'_, Desk>) -> IpcResult<String> {
    desk.library.responses(|l| l.export_json()).await
}

/// Arguments of `responses_fill`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResponsesFillArgs {
    #[ts(type = "number")]
    pub id: i64,
    /// The chat it goes into (its visitor, skill).
    pub chat: ChatKey,
    /// The time as the agent's clock shows it (`{time}`).
    pub time: String,
}

/// A response ready for the composer: its placeholders filled for this chat; the ones that could
/// not be filled are listed (and left visible in the text).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct FilledResponse {
    pub text: String,
    pub text_type: TextType,
    #[ts(type = "unknown")]
    pub card: Option<serde_json::Value>,
    pub unknown: Vec<String>,
}

/// Fills a response for a chat.
#[tauri::command]
pub async fn responses_fill(
    desk: State<'_, Desk>,
    args: ResponsesFillArgs,
) -> IpcResult<FilledResponse> {
    let snap = desk.engine.snapshot().await;
    let summary = snap
        .chats
        .iter()
        .find(|c| c.summary.chat == args.chat)
        .map(|c| c.summary.clone());
    let values = PlaceholderValues {
        visitor_name: summary
            .as_ref()
            .map(|s| s.visitor_name.clone())
            .filter(|n| !n.is_empty() && n != "visitor"),
        agent_name: snap.agent.as_ref().map(|a| a.nickname.clone()),
        skill: summary.and_then(|s| s.skill),
        time: Some(args.time).filter(|t| !t.is_empty()),
    };
    desk.library
        .responses(move |l| {
            let r = l.get(args.id)?.ok_or_else(|| {
                engine::EngineError::new(engine::ErrorCode::NotFound, "no such response")
            })?;
            let Filled { text, unknown } = engine::fill(&r.text, r.text_type, &values);
            Ok(FilledResponse {
                text,
                text_type: r.text_type,
                card: r.card,
                unknown,
            })
        })
        .await
}

/// Arguments of `responses_suggest`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResponsesSuggestArgs {
    pub chat: ChatKey,
}

/// The three responses that best match the visitor's last lines (ranked locally).
#[tauri::command]
pub async fn responses_suggest(
    desk: State<'_, Desk>,
    args: ResponsesSuggestArgs,
) -> IpcResult<Vec<CannedResponse>> {
    let chat = args.chat;
    let lines = desk.library.history(move |h| h.transcript(&chat)).await?;
    let visitor: Vec<String> = lines
        .iter()
        .rev()
        .filter(|l: &&ChatLine| l.source == LineSource::Visitor)
        .take(3)
        .map(|l| engine::history::line_plain_text(&l.text, l.text_type))
        .collect();
    if visitor.is_empty() {
        return Ok(Vec::new());
    }
    desk.library
        .responses(move |l| l.suggest(&visitor, 3))
        .await
}

/// Arguments of `history_search`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct HistorySearchArgs {
    pub query: HistoryQuery,
}

/// Past (and present) chats, newest first, with highlighted snippets.
#[tauri::command]
pub async fn history_search(
    desk: State<'_, Desk>,
    args: HistorySearchArgs,
) -> IpcResult<Vec<HistoryHit>> {
    desk.library.history(move |h| h.search(&args.query)).await
}

/// Arguments of `history_transcript` and `history_plain_text`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct HistoryChatArgs {
    pub chat: ChatKey,
    /// The agent's clock's offset from UTC in minutes (JS: `-new Date().getTimezoneOffset()`).
    pub utc_offset_minutes: i32,
}

/// A stored chat's lines (read-only).
#[tauri::command]
pub async fn history_transcript(
    desk: State<'_, Desk>,
    args: HistoryChatArgs,
) -> IpcResult<Vec<ChatLine>> {
    desk.library
        .history(move |h| h.transcript(&args.chat))
        .await
}

/// A chat as plain text (to copy or save).
#[tauri::command]
pub async fn history_plain_text(desk: State<'_, Desk>, args: HistoryChatArgs) -> IpcResult<String> {
    desk.library
        .history(move |h| h.plain_text(&args.chat, args.utc_offset_minutes))
        .await
}

/// How many days history keeps (0 = for ever).
#[tauri::command]
pub async fn history_retention(desk: State<'_, Desk>) -> IpcResult<u32> {
    desk.library.history(|h| h.retention_days()).await
}

/// Arguments of `history_set_retention`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct HistorySetRetentionArgs {
    /// 1–3650 days, or 0 for ever.
    pub days: u32,
}

/// Sets the retention and applies it now; returns how many chats were removed.
#[tauri::command]
pub async fn history_set_retention(
    desk: State<'_, Desk>,
    args: HistorySetRetentionArgs,
) -> IpcResult<u32> {
    if args.days > 3650 {
        return Err(engine::EngineError::new(
            engine::ErrorCode::InvalidInput,
            "keep history for at most 3650 days (or 0 for ever)",
        ));
    }
    desk.engine
        .set_setting(
            engine::history::RETENTION_SETTING.into(),
            args.days.to_string(),
        )
        .await?;
    let now = crate::timing::now_ms();
    let removed = desk
        .library
        .history(move |h| h.apply_retention(now))
        .await?;
    Ok(u32::try_from(removed).unwrap_or(u32::MAX))
}

/// Removes every chat that is no longer on the desk; returns how many.
#[tauri::command]
pub async fn history_clear(desk: State<'_, Desk>) -> IpcResult<u32> {
    let removed = desk.library.history(|h| h.clear()).await?;
    Ok(u32::try_from(removed).unwrap_or(u32::MAX))
}

/// Arguments of `agent_numbers`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct AgentNumbersArgs {
    /// The agent's clock's offset from UTC in minutes: "today" is the agent's local day.
    pub utc_offset_minutes: i32,
}

/// Today's numbers of the logged-in agent (zeros when logged out).
#[tauri::command]
pub async fn agent_numbers(
    desk: State<'_, Desk>,
    args: AgentNumbersArgs,
) -> IpcResult<AgentNumbers> {
    let Some(owner) = desk.engine.owner().await else {
        return Ok(AgentNumbers::default());
    };
    let (start, end) = engine::local_day_bounds(crate::timing::now_ms(), args.utc_offset_minutes);
    desk.library
        .history(move |h| h.day_numbers(&owner, start, end))
        .await
}

/// Arguments of `save_export`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SaveExportArgs {
    /// A plain file name ending in `.txt` or `.json` (no folders).
    pub file_name: String,
    pub text: String,
}

/// Saves an export (a transcript, the response library) into the agent's Downloads folder (the
/// home folder when there is none; `AGENT_DESK_EXPORT_DIR` overrides both) under a name not taken
/// yet; returns the full path.
#[tauri::command]
pub async fn save_export(_desk: State<'_, Desk>, args: SaveExportArgs) -> IpcResult<String> {
    let chosen = std::env::var_os("AGENT_DESK_EXPORT_DIR").map(std::path::PathBuf::from);
    let dir = chosen
        .or_else(|| {
            directories::UserDirs::new().and_then(|u| {
                u.download_dir()
                    .map(std::path::Path::to_path_buf)
                    .or_else(|| Some(u.home_dir().to_path_buf()))
            })
        })
        .ok_or_else(|| {
            engine::EngineError::new(engine::ErrorCode::Storage, "no Downloads or home folder")
        })?;
    tauri::async_runtime::spawn_blocking(move || {
        crate::library::save_export(&dir, &args.file_name, &args.text)
    })
    .await
    .map_err(|e| {
        engine::EngineError::new(engine::ErrorCode::Internal, format!("export failed: {e}"))
    })?
}
