//! Chat-level methods of [`AgentSession`]: read, poll, write, typing, transfer, survey.

use crate::bodies::{self, NewLine, SurveyAnswer, SurveyQuery, TransferTarget};
use crate::decode::Typing;
use crate::error::ApiError;
use crate::model::{
    Chat, ChatInfo, ChatInfoResponse, ChatResponse, ChatSlot, Events, EventsResponse,
    LocationResponse, SkillInfo, Survey, SurveyResponse, TransferSkillsResponse, TypingResponse,
    VisitorNameResponse, decode_chat_reply, decode_chats_reply,
};
use crate::session::{AgentSession, ChatRef};
use crate::transport::{Reply, Verb};
use crate::url_rules::{child, parse_checked};
use serde_json::Value;
use url::Url;

/// A location returned by add line / end chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLocation {
    /// The href (e.g. `{C}/events/5`).
    pub href: String,
    /// The event id, when the href ends with one.
    pub event_id: Option<i64>,
}

fn check_chat_error(reply: &Reply, chat: &Chat) -> Result<(), ApiError> {
    match &chat.error {
        Some(e) if !e.is_null() => Err(ApiError::ChatError {
            status: reply.status,
            error: e.clone(),
        }),
        _ => Ok(()),
    }
}

fn location(reply: &Reply) -> Result<EventLocation, ApiError> {
    let parsed: LocationResponse = if reply.body.trim().is_empty() {
        LocationResponse::default()
    } else {
        reply.json()?
    };
    let href = parsed.href().ok_or(ApiError::Missing {
        status: reply.status,
        what: "chatEventLocation/chatLocation link",
        raw: reply.body.clone(),
    })?;
    let event_id = href
        .trim_end_matches(".json")
        .rsplit('/')
        .next()
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok());
    Ok(EventLocation {
        href: href.to_string(),
        event_id,
    })
}

impl AgentSession {
    fn chat_url(chat: &ChatRef, tail: &[&str]) -> Result<Url, ApiError> {
        child(&chat.url, tail)
    }

    /// The whole chat resource: links, events from id 0, info. A `chat.error` in a 2xx reply
    /// becomes [`ApiError::ChatError`].
    pub async fn chat(&self, chat: &ChatRef) -> Result<Chat, ApiError> {
        let reply = self.call(Verb::Get, &chat.url, None).await?;
        let r: ChatResponse = reply.json()?;
        check_chat_error(&reply, &r.chat)?;
        Ok(r.chat)
    }

    /// The chat resource like [`AgentSession::chat`], decoded with per-event isolation: an
    /// event that does not decode is left out and listed in [`ChatSlot::bad_events`], a
    /// `chat.error` or an unreadable chat is the slot's `chat` error. Fails as a whole only when
    /// the exchange fails or the body is not a JSON object with a `chat` element. The slot's key
    /// is the server's (`info.chatSessionKey` or the `self` link), else `chat.key`.
    pub async fn chat_resource(&self, chat: &ChatRef) -> Result<ChatSlot, ApiError> {
        let reply = self.call(Verb::Get, &chat.url, None).await?;
        let mut slot = decode_chat_reply(&reply.body, reply.status)?;
        if slot.key.is_none() {
            slot.key = Some(chat.key.clone());
        }
        Ok(slot)
    }

    /// Retrieve Data for Multiple Chats: `(chat key, event id)` pairs, the id being the last
    /// event already seen (spec §4.13: send it and drop the repeat by id). This resource has no
    /// usable `next` link; track event ids yourself and de-duplicate.
    ///
    /// Each chat of the reply is decoded on its own, and each of its events too (see
    /// [`ChatSlot`]): one bad chat or one bad event never fails the others. The call fails as a
    /// whole only when the exchange fails or the body is not JSON / has an unusable top level.
    /// Slots come in the server's order; the server may leave out chats it does not return.
    pub async fn chats_data(&self, chats: &[(&str, i64)]) -> Result<Vec<ChatSlot>, ApiError> {
        let mut url = self.at(&["chat"])?;
        let keys: Vec<&str> = chats.iter().map(|(k, _)| *k).collect();
        let froms: Vec<String> = chats.iter().map(|(_, f)| f.to_string()).collect();
        url.query_pairs_mut()
            .append_pair("chatSessionKeys", &keys.join(","))
            .append_pair("fromEventIds", &froms.join(","));
        let reply = self.call(Verb::Get, &url, None).await?;
        decode_chats_reply(&reply.body, reply.status)
    }

    /// Events of a chat, from event id `from` (all when `None`).
    pub async fn chat_events(&self, chat: &ChatRef, from: Option<i64>) -> Result<Events, ApiError> {
        let mut url = Self::chat_url(chat, &["events"])?;
        if let Some(f) = from {
            url.query_pairs_mut().append_pair("from", &f.to_string());
        }
        self.get_events(&url).await
    }

    /// Follows a `next` link (as returned, `v=1&NC=true` appended when missing).
    pub async fn follow_events(&self, next_href: &str) -> Result<Events, ApiError> {
        let url = parse_checked(next_href)?;
        self.get_events(&url).await
    }

    async fn get_events(&self, url: &Url) -> Result<Events, ApiError> {
        let reply = self.call(Verb::Get, url, None).await?;
        // A `next` link may point at the chat itself (`{C}?from=N`): accept both shapes.
        let v: Value = reply.json()?;
        if v.get("chat").is_some() {
            let r: ChatResponse = reply.json()?;
            check_chat_error(&reply, &r.chat)?;
            return Ok(r.chat.events);
        }
        let r: EventsResponse = reply.json()?;
        Ok(r.events)
    }

    /// Sends a line. Not safe to repeat blindly: on failure, check the events first.
    pub async fn add_line(
        &self,
        chat: &ChatRef,
        line: &NewLine,
    ) -> Result<EventLocation, ApiError> {
        let url = Self::chat_url(chat, &["events"])?;
        let reply = self
            .call(Verb::Post, &url, Some(&bodies::line(line)))
            .await?;
        location(&reply)
    }

    /// Ends the chat (adds a `state: ended` event; the chat stays readable).
    pub async fn end_chat(&self, chat: &ChatRef) -> Result<EventLocation, ApiError> {
        let url = Self::chat_url(chat, &["events"])?;
        let body = bodies::end_chat();
        let reply = self.call(Verb::Post, &url, Some(&body)).await?;
        location(&reply)
    }

    /// Chat information.
    pub async fn chat_info(&self, chat: &ChatRef) -> Result<ChatInfo, ApiError> {
        let url = Self::chat_url(chat, &["info"])?;
        let r: ChatInfoResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.info)
    }

    /// The visitor's name.
    pub async fn visitor_name(&self, chat: &ChatRef) -> Result<String, ApiError> {
        let url = Self::chat_url(chat, &["info", "visitorName"])?;
        let r: VisitorNameResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.visitor_name)
    }

    /// Whether the visitor is typing.
    pub async fn visitor_typing(&self, chat: &ChatRef) -> Result<Typing, ApiError> {
        let url = Self::chat_url(chat, &["info", "visitorTyping"])?;
        let r: TypingResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.visitor_typing.unwrap_or(Typing::Unknown))
    }

    /// The agent typing state the server holds.
    pub async fn agent_typing(&self, chat: &ChatRef) -> Result<Typing, ApiError> {
        let url = Self::chat_url(chat, &["info", "agentTyping"])?;
        let r: TypingResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.agent_typing.unwrap_or(Typing::Unknown))
    }

    /// Sets the agent typing state.
    pub async fn set_agent_typing(&self, chat: &ChatRef, typing: bool) -> Result<(), ApiError> {
        let url = Self::chat_url(chat, &["info", "agentTyping"])?;
        let body = bodies::agent_typing(typing);
        self.call(Verb::Put, &url, Some(&body)).await.map(drop)
    }

    /// Skills this chat can be transferred to.
    pub async fn transfer_skills(&self, chat: &ChatRef) -> Result<Vec<SkillInfo>, ApiError> {
        let url = Self::chat_url(chat, &["transfer"])?;
        let r: TransferSkillsResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.transfer.map(|t| t.skill.into_vec()).unwrap_or_default())
    }

    /// Transfers the chat to a skill or an agent; `text` is shown to the receiving agent only.
    /// Not safe to repeat blindly.
    pub async fn transfer(
        &self,
        chat: &ChatRef,
        target: TransferTarget,
        text: Option<&str>,
    ) -> Result<(), ApiError> {
        let url = Self::chat_url(chat, &["transfer"])?;
        let body = bodies::transfer(target, text);
        self.call(Verb::Post, &url, Some(&body)).await.map(drop)
    }

    /// The agent survey structure of the chat's skill (spec §4.25), to fill in at wrap-up
    /// (also after the chat ended). `Ok(None)` when there is none: the docs do not say how
    /// the server tells, so `{"survey":null}`, an empty 2xx body and a 404 on this resource
    /// all read as "no survey" (a lost agent session shows as 404 on the next poll anyway).
    /// Scalars may be text (`"true"`, `"0"`) or JSON booleans/numbers; see
    /// [`crate::model::Survey::shown_questions`] for show-logic.
    pub async fn survey(
        &self,
        chat: &ChatRef,
        query: &SurveyQuery,
    ) -> Result<Option<Survey>, ApiError> {
        let mut url = Self::chat_url(chat, &["survey"])?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(b) = query.window_survey_enabled {
                q.append_pair("windowSurveyEnabled", if b { "true" } else { "false" });
            }
            if let Some(s) = &query.survey_api_id {
                q.append_pair("surveyApiId", s);
            }
            if let Some(s) = &query.eng_skill_id {
                q.append_pair("engSkillId", s);
            }
        }
        let reply = match self.call(Verb::Get, &url, None).await {
            Ok(reply) => reply,
            Err(e) if e.status() == Some(404) => return Ok(None),
            Err(e) => return Err(e),
        };
        if reply.body.trim().is_empty() {
            return Ok(None);
        }
        let r: SurveyResponse = reply.json()?;
        Ok(r.survey)
    }

    /// Submits agent survey answers (spec §4.26, PUT via override; [INF] JSON body
    /// `{"survey":{"question":[{"@id":…,"answer":…}]}}`). A refused submission is
    /// [`ApiError::Http`] 400 whose [`crate::JsonError::question_id`] names the question when
    /// the server says. A later submission replaces an earlier one.
    pub async fn submit_survey(
        &self,
        chat: &ChatRef,
        answers: &[SurveyAnswer],
    ) -> Result<(), ApiError> {
        let url = Self::chat_url(chat, &["survey"])?;
        let body = bodies::survey_answers(answers);
        self.call(Verb::Put, &url, Some(&body)).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(body: &str) -> Reply {
        Reply {
            status: 200,
            body: body.to_string(),
        }
    }

    #[test]
    fn chat_error_in_a_2xx_reply_is_an_error() {
        let r = reply(r#"{"chat":{"error":{"message":"chat not found"}}}"#);
        let parsed: ChatResponse = r.json().unwrap_or_else(|e| unreachable!("{e}"));
        match check_chat_error(&r, &parsed.chat) {
            Err(ApiError::ChatError { status: 200, error }) => {
                assert_eq!(error["message"], "chat not found");
            }
            other => unreachable!("{other:?}"),
        }
        let r = reply(r#"{"chat":{"error":"gone"}}"#);
        let parsed: ChatResponse = r.json().unwrap_or_else(|e| unreachable!("{e}"));
        assert!(check_chat_error(&r, &parsed.chat).is_err());
        let r = reply(r#"{"chat":{"events":{}}}"#);
        let parsed: ChatResponse = r.json().unwrap_or_else(|e| unreachable!("{e}"));
        assert!(check_chat_error(&r, &parsed.chat).is_ok());
    }

    #[test]
    fn locations_from_both_wrappers() {
        let add = location(&reply(
            r#"{"chatEventLocation":{"link":{"@href":"https://x/chat/K/events/5","@rel":"location"}}}"#,
        ))
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(add.event_id, Some(5));
        let end = location(&reply(
            r#"{"chatLocation":{"link":[{"href":"https://x/chat/K/events/12.json","rel":"location"}]}}"#,
        ))
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(end.event_id, Some(12));
        assert!(matches!(
            location(&reply("{}")),
            Err(ApiError::Missing { .. })
        ));
        assert!(matches!(
            location(&reply("")),
            Err(ApiError::Missing { .. })
        ));
    }
}
