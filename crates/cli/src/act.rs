//! `send` and `end`: act on a chat as another device of the same agent (continuity).

use crate::fail::Failure;
use crate::retry;
use engine::{
    ChatState, DeskSnapshot, EngineEvent, EngineHandle, ErrorCode, OutboxState, TextType,
};
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};

/// How long to wait for the chat to come over from the other session, or for a line to be sent.
const WAIT: Duration = Duration::from_secs(30);

/// Waits until `chat` is on this desk (Retrieve Chat Sessions picks it up).
pub async fn wait_for_chat(engine: &EngineHandle, chat: &str) -> Result<(), Failure> {
    let until = tokio::time::Instant::now() + WAIT;
    loop {
        let snap = engine.snapshot().await;
        if snap.chats.iter().any(|c| c.summary.chat == chat) {
            return Ok(());
        }
        if tokio::time::Instant::now() > until {
            return Err(Failure::usage(format!(
                "chat {chat} is not held by this agent"
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Sends a line and waits until the server has it.
pub async fn send(
    engine: &EngineHandle,
    mut events: broadcast::Receiver<EngineEvent>,
    chat: &str,
    text: &str,
) -> Result<(), Failure> {
    wait_for_chat(engine, chat).await?;
    // A chat cached from an earlier run shows before Retrieve Chat Sessions confirms it is still
    // ours; until then the engine refuses lines for it.
    let until = tokio::time::Instant::now() + WAIT;
    let local = loop {
        match engine
            .send_line(chat.to_string(), text.to_string(), TextType::Plain, false)
            .await
        {
            Ok(local) => break local,
            Err(e) if e.code == ErrorCode::NotFound && tokio::time::Instant::now() < until => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(e.into()),
        }
    };
    let wait = tokio::time::sleep(WAIT);
    tokio::pin!(wait);
    loop {
        tokio::select! {
            _ = &mut wait => return Err(Failure { code: crate::fail::NETWORK, message: "the line was not sent in time (it stays in the outbox)".into() }),
            ev = events.recv() => match ev {
                Ok(EngineEvent::Outbox { local_id, state, error, event_id, .. }) if local_id == local => match state {
                    OutboxState::Sent => {
                        tracing::info!(event = ?event_id, "line sent");
                        return Ok(());
                    }
                    OutboxState::Failed => return Err(Failure::other(format!("line not sent: {}", error.unwrap_or_default()))),
                    OutboxState::Pending => {}
                },
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return Err(Failure::other("the engine stopped")),
            }
        }
    }
}

/// Ends a chat. Ending is not safe to repeat blindly (spec §8): a 5xx or a dropped connection may
/// have ended it already, so each retry first looks at the desk (the engine polls meanwhile).
pub async fn end(engine: &EngineHandle, chat: &str) -> Result<(), Failure> {
    wait_for_chat(engine, chat).await?;
    retry::retrying("end the chat", |attempt| async move {
        if attempt > 1 && has_ended(&engine.snapshot().await, chat) {
            tracing::info!("the chat ended with the earlier try");
            return Ok(());
        }
        engine.end_chat(chat.to_string()).await
    })
    .await?;
    Ok(())
}

/// Whether the desk shows `chat` as ended.
fn has_ended(desk: &DeskSnapshot, chat: &str) -> bool {
    desk.chats
        .iter()
        .any(|c| c.summary.chat == chat && c.summary.state == ChatState::Ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::{ChatOrigin, ChatSnapshot, ChatSummary};

    fn desk(chats: &[(&str, ChatState)]) -> DeskSnapshot {
        let mut desk = DeskSnapshot::stopped();
        for (chat, state) in chats {
            desk.chats.push(ChatSnapshot {
                summary: ChatSummary {
                    chat: (*chat).into(),
                    state: *state,
                    visitor_name: "Vera".into(),
                    agent_name: None,
                    skill: None,
                    start_time: None,
                    origin: ChatOrigin::Accepted,
                    accepted_at: None,
                    chat_timeout: None,
                    participant_id: None,
                    agents: Vec::new(),
                },
                lines: vec![],
                outbox: vec![],
                visitor_typing: false,
                draft: None,
                customer: None,
            });
        }
        desk
    }

    #[test]
    fn only_an_ended_chat_counts_as_ended() {
        let d = desk(&[("A", ChatState::Chatting), ("B", ChatState::Ended)]);
        assert!(!has_ended(&d, "A"));
        assert!(has_ended(&d, "B"));
        // gone from the desk (moved to another agent): not ours to call ended; resend and let
        // the server answer
        assert!(!has_ended(&d, "C"));
    }
}
