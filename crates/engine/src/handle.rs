//! The cloneable handle front ends hold: each method sends one command to the engine task and
//! waits for its reply. Dropping the last handle cancels the task.

use crate::config::LoginRequest;
use crate::error::EngineError;
use crate::events::{AgentProfile, Availability, ChatKey, EngineEvent, TextType, TransferTarget};
use crate::types::{DeskSnapshot, TransferOptions};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::{CancellationToken, DropGuard};

type Reply<T> = oneshot::Sender<T>;

/// A command for the engine task.
#[derive(Debug)]
pub(crate) enum Command {
    Login(LoginRequest, Reply<Result<AgentProfile, EngineError>>),
    Logout(Reply<Result<(), EngineError>>),
    ActiveChatCount(Reply<usize>),
    SetAvailability(Availability, Option<String>, Reply<Result<(), EngineError>>),
    Accept(Reply<Result<ChatKey, EngineError>>),
    SetAutoAccept(bool, Reply<()>),
    SendLine {
        chat: ChatKey,
        text: String,
        text_type: TextType,
        agent_only: bool,
        card: Option<serde_json::Value>,
        reply: Reply<Result<String, EngineError>>,
    },
    SubmitWrapUp(
        ChatKey,
        Vec<crate::wrapup::SurveyAnswer>,
        Reply<Result<(), EngineError>>,
    ),
    SkipWrapUp(ChatKey, Reply<Result<(), EngineError>>),
    Owner(Reply<Option<String>>),
    RetryLine(String, Reply<Result<(), EngineError>>),
    EndChat(ChatKey, Reply<Result<(), EngineError>>),
    TransferOptions(ChatKey, Reply<Result<TransferOptions, EngineError>>),
    Transfer(
        ChatKey,
        TransferTarget,
        Option<String>,
        Reply<Result<(), EngineError>>,
    ),
    SetTyping(ChatKey, bool, Reply<Result<(), EngineError>>),
    SaveDraft(ChatKey, String, Reply<Result<(), EngineError>>),
    Draft(ChatKey, Reply<Option<String>>),
    Snapshot(Reply<DeskSnapshot>),
    Setting(String, Reply<Option<String>>),
    SetSetting(String, String, Reply<Result<(), EngineError>>),
    Shutdown(Reply<()>),
    ResyncNow(Reply<()>),
}

/// The engine as front ends see it. Cheap to clone; all clones talk to the same task.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    commands: mpsc::Sender<Command>,
    events: broadcast::Sender<EngineEvent>,
    _guard: Arc<DropGuard>,
}

impl EngineHandle {
    pub(crate) fn new(
        commands: mpsc::Sender<Command>,
        events: broadcast::Sender<EngineEvent>,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            commands,
            events,
            _guard: Arc::new(cancel.drop_guard()),
        }
    }

    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(make(tx))
            .await
            .map_err(|_| EngineError::stopped())?;
        rx.await.map_err(|_| EngineError::stopped())
    }

    /// Another receiver of the engine's events (only events sent from now on).
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    /// Logs in (domain lookup, login, agent session) and starts polling. `password: None` resumes
    /// with the token stored in the keychain; if that no longer works the error is `AuthExpired`.
    pub async fn login(&self, request: LoginRequest) -> Result<AgentProfile, EngineError> {
        self.ask(|r| Command::Login(request, r)).await?
    }

    /// Logs out: the server returns the agent's active chats to the queue; the stored token is
    /// deleted. Emits `chatsReturnedToQueue` first when chats were active.
    pub async fn logout(&self) -> Result<(), EngineError> {
        self.ask(Command::Logout).await?
    }

    /// How many chats are on the desk and not ended (a logout returns them to the queue).
    pub async fn active_chat_count(&self) -> usize {
        self.ask(Command::ActiveChatCount).await.unwrap_or(0)
    }

    /// Sets Online / Away / Occupied, with an optional account-defined reason id.
    pub async fn set_availability(
        &self,
        availability: Availability,
        reason_id: Option<String>,
    ) -> Result<(), EngineError> {
        self.ask(|r| Command::SetAvailability(availability, reason_id, r))
            .await?
    }

    /// Takes the next ringing chat. `NothingToAccept` when nothing rings.
    pub async fn accept(&self) -> Result<ChatKey, EngineError> {
        self.ask(Command::Accept).await?
    }

    /// Turns taking every ringing chat automatically on or off.
    pub async fn set_auto_accept(&self, on: bool) {
        let _ = self.ask(|r| Command::SetAutoAccept(on, r)).await;
    }

    /// Queues a line in the durable outbox and returns its local id; progress comes as `outbox`
    /// events and the line itself as a `line` event carrying the same `localId`.
    pub async fn send_line(
        &self,
        chat: ChatKey,
        text: String,
        text_type: TextType,
        agent_only: bool,
    ) -> Result<String, EngineError> {
        self.ask(|reply| Command::SendLine {
            chat,
            text,
            text_type,
            agent_only,
            card: None,
            reply,
        })
        .await?
    }

    /// Queues a structured-content card (spec §4.15) like a line; `text` is what clients that
    /// cannot show cards display instead.
    pub async fn send_card(
        &self,
        chat: ChatKey,
        text: String,
        card: serde_json::Value,
    ) -> Result<String, EngineError> {
        self.ask(|reply| Command::SendLine {
            chat,
            text,
            text_type: TextType::RichContent,
            agent_only: false,
            card: Some(card),
            reply,
        })
        .await?
    }

    /// Submits a chat's wrap-up answers: checked against the survey at once (an
    /// `invalidInput` error names the first problem), then sent durably; progress comes as
    /// `wrapUp` events.
    pub async fn submit_wrap_up(
        &self,
        chat: ChatKey,
        answers: Vec<crate::wrapup::SurveyAnswer>,
    ) -> Result<(), EngineError> {
        self.ask(|r| Command::SubmitWrapUp(chat, answers, r))
            .await?
    }

    /// The key this agent's local state (history, chats, outbox) is stored under, while logged in.
    pub async fn owner(&self) -> Option<String> {
        self.ask(Command::Owner).await.ok().flatten()
    }

    /// Skips a chat's wrap-up (refused when a mandatory question shows).
    pub async fn skip_wrap_up(&self, chat: ChatKey) -> Result<(), EngineError> {
        self.ask(|r| Command::SkipWrapUp(chat, r)).await?
    }

    /// Sends a failed line again.
    pub async fn retry_line(&self, local_id: String) -> Result<(), EngineError> {
        self.ask(|r| Command::RetryLine(local_id, r)).await?
    }

    /// Ends a chat.
    pub async fn end_chat(&self, chat: ChatKey) -> Result<(), EngineError> {
        self.ask(|r| Command::EndChat(chat, r)).await?
    }

    /// Skills and agents a chat can be transferred to.
    pub async fn transfer_options(&self, chat: ChatKey) -> Result<TransferOptions, EngineError> {
        self.ask(|r| Command::TransferOptions(chat, r)).await?
    }

    /// Transfers a chat to a skill or an agent, with a note only the receiving agent sees.
    pub async fn transfer(
        &self,
        chat: ChatKey,
        target: TransferTarget,
        note: Option<String>,
    ) -> Result<(), EngineError> {
        self.ask(|r| Command::Transfer(chat, target, note, r))
            .await?
    }

    /// Tells the visitor the agent is (not) typing.
    pub async fn set_typing(&self, chat: ChatKey, typing: bool) -> Result<(), EngineError> {
        self.ask(|r| Command::SetTyping(chat, typing, r)).await?
    }

    /// Stores the agent's unsent draft of a chat (empty text clears it).
    pub async fn save_draft(&self, chat: ChatKey, text: String) -> Result<(), EngineError> {
        self.ask(|r| Command::SaveDraft(chat, text, r)).await?
    }

    /// The stored draft of a chat.
    pub async fn draft(&self, chat: ChatKey) -> Option<String> {
        self.ask(|r| Command::Draft(chat, r)).await.ok().flatten()
    }

    /// The whole desk, for drawing it from scratch.
    /// A stopped engine answers with an empty, logged-out desk.
    pub async fn snapshot(&self) -> DeskSnapshot {
        self.ask(Command::Snapshot)
            .await
            .unwrap_or_else(|_| DeskSnapshot::stopped())
    }

    /// A front-end preference stored in the local database.
    pub async fn setting(&self, key: String) -> Option<String> {
        self.ask(|r| Command::Setting(key, r)).await.ok().flatten()
    }

    /// Stores a front-end preference (survives restarts; never put secrets here).
    pub async fn set_setting(&self, key: String, value: String) -> Result<(), EngineError> {
        self.ask(|r| Command::SetSetting(key, value, r)).await?
    }

    /// Makes the chat poll, the ring check, the availability read and Retrieve Chat Sessions due
    /// at once (e.g. after the computer resumed from suspend) instead of at their next timer.
    /// Requests already out are not repeated; chatSessions keeps its 2 s minimum spacing.
    pub async fn resync_now(&self) {
        let _ = self.ask(Command::ResyncNow).await;
    }

    /// Tries the outbox once more, then stops the engine task (no logout: chats stay with the agent).
    pub async fn shutdown(&self) {
        let _ = self.ask(Command::Shutdown).await;
    }
}
