//! After and beside a chat: the customer details of authenticated visitors (fetched once per
//! chat) and the wrap-up survey of ended chats (fetched when the chat ends, submitted durably).
//!
//! A wrap-up lives in SQLite from the moment its survey arrives until the server has the answers
//! or the agent skips it, so a restart or a lost connection loses nothing. Submitting replaces
//! the answers on the server (a PUT), so a submission whose fate is unknown is simply sent again;
//! a refusal (4xx) stops and keeps the answers for the agent to correct.

use super::Actor;
use super::failure::{engine_error, short};
use super::jobs::{After, Backoff, Job, Policy, after_failure};
use crate::customer::{CustomerInfo, CustomerProfile};
use crate::error::EngineError;
use crate::events::{ChatKey, EngineEvent, ErrorCode};
use crate::wrapup::{AgentSurvey, SurveyAnswer, WrapUp, WrapUpState, answers_to_send, validate};
use chat_agent_api::{ApiError, SurveyQuery};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};
use tokio::sync::oneshot::Sender as Reply;

/// How often a survey that could not be fetched is asked for again before giving up.
const SURVEY_FETCH_TRIES: u32 = 4;

/// The actor's part for customers and wrap-ups.
#[derive(Default)]
pub(crate) struct WrapUps {
    /// Customer details by chat (kept while the chat is on the desk).
    pub customers: HashMap<ChatKey, CustomerInfo>,
    /// Wrap-ups not yet done or skipped.
    pub open: BTreeMap<ChatKey, WrapUp>,
    /// Submissions out now (at most one per chat).
    pub submitting: HashMap<ChatKey, Instant>,
    /// Each chat's failed submissions and next try.
    pub backoff: HashMap<ChatKey, Backoff>,
    /// Survey fetches out or failing: tries so far.
    pub fetching: HashMap<ChatKey, u32>,
}

impl WrapUps {
    /// Wrap-ups front ends should show, oldest chat first.
    pub fn pending(&self) -> Vec<WrapUp> {
        self.open.values().cloned().collect()
    }
}

/// A survey fetch failure worth another try (the server may answer later).
fn transient(e: &ApiError) -> bool {
    e.is_retryable() || e.is_auth()
}

impl Actor {
    /// Asks for the customer details of a chat whose info names a participant, once per chat.
    pub(crate) fn fetch_customer_if_needed(&mut self, key: &str) {
        let Some(participant) = self
            .chats
            .get(key)
            .filter(|c| c.left.is_none())
            .and_then(|c| c.summary.participant_id.clone())
        else {
            return;
        };
        if self.wrap.customers.contains_key(key) {
            return;
        }
        let Some(conn) = &self.conn else {
            return;
        };
        let agent = conn.agent.clone();
        let generation = self.jobs.generation;
        self.set_customer(key, CustomerInfo::Loading);
        let key = key.to_string();
        self.spawn_io(async move {
            let out = agent.participant_info(&participant).await;
            move |a: &mut Actor| {
                if generation != a.jobs.generation || !a.chats.contains_key(&key) {
                    a.wrap.customers.remove(&key);
                    return;
                }
                let info = match out {
                    Ok(info) => CustomerInfo::Loaded {
                        profile: CustomerProfile::from_wire(&participant, &info),
                    },
                    Err(e) => {
                        tracing::info!(chat = %key, error = %short(&e.to_string()), "no customer details");
                        CustomerInfo::Failed {
                            message: match &e {
                                ApiError::Http { status: 404, .. } => {
                                    "the server has no details for this customer".to_string()
                                }
                                e => short(&e.to_string()),
                            },
                        }
                    }
                };
                a.set_customer(&key, info);
            }
        });
    }

    fn set_customer(&mut self, key: &str, info: CustomerInfo) {
        self.wrap.customers.insert(key.to_string(), info.clone());
        self.emit(EngineEvent::Customer {
            chat: key.to_string(),
            info,
        });
    }

    /// A chat this desk held has ended: fetch its wrap-up survey (if the account has one).
    pub(crate) fn start_wrap_up(&mut self, key: &str) {
        if self.wrap.open.contains_key(key) || self.wrap.fetching.contains_key(key) {
            return;
        }
        self.wrap.fetching.insert(key.to_string(), 0);
        self.fetch_survey(key.to_string());
    }

    fn fetch_survey(&mut self, key: ChatKey) {
        let Some(conn) = &self.conn else {
            self.wrap.fetching.remove(&key);
            return;
        };
        let Ok(chat_ref) = conn.agent.chat_ref(&key) else {
            self.wrap.fetching.remove(&key);
            return;
        };
        let agent = conn.agent.clone();
        let generation = self.jobs.generation;
        self.spawn_io(async move {
            let out = agent.survey(&chat_ref, &SurveyQuery::default()).await;
            move |a: &mut Actor| {
                if generation != a.jobs.generation {
                    a.wrap.fetching.remove(&key);
                    return;
                }
                a.survey_fetched(key, out);
            }
        });
    }

    fn survey_fetched(
        &mut self,
        key: ChatKey,
        out: Result<Option<chat_agent_api::model::Survey>, ApiError>,
    ) {
        let tries = self.wrap.fetching.get(&key).copied().unwrap_or(0) + 1;
        match out {
            Ok(Some(s)) => {
                self.wrap.fetching.remove(&key);
                let survey = AgentSurvey::from_wire(&s);
                if survey.questions.is_empty() {
                    return;
                }
                let visitor_name = self
                    .chats
                    .get(&key)
                    .map(|c| c.summary.visitor_name.clone())
                    .unwrap_or_default();
                let wrap_up = WrapUp {
                    chat: key.clone(),
                    visitor_name,
                    survey,
                    state: WrapUpState::Open,
                    answers: Vec::new(),
                    error: None,
                };
                self.put_wrap_up(wrap_up);
            }
            // No 404 or empty reply means "no survey": the docs do not say which a server sends.
            Ok(None) | Err(ApiError::Http { status: 404, .. }) => {
                self.wrap.fetching.remove(&key);
            }
            Err(e) if transient(&e) && tries < SURVEY_FETCH_TRIES => {
                self.wrap.fetching.insert(key.clone(), tries);
                let wait = Duration::from_secs(5 * u64::from(tries));
                let done = self.done_tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    let _ = done.send(Box::new(move |a: &mut Actor| {
                        if a.wrap.fetching.contains_key(&key) {
                            a.fetch_survey(key);
                        }
                    }));
                });
            }
            Err(e) => {
                self.wrap.fetching.remove(&key);
                let message = match &e {
                    ApiError::Decode { .. } | ApiError::Missing { .. } => {
                        "the wrap-up survey of this chat could not be read".to_string()
                    }
                    e => format!("no wrap-up survey: {}", short(&e.to_string())),
                };
                tracing::warn!(chat = %key, error = %short(&e.to_string()), "survey fetch failed");
                self.emit(EngineEvent::Error {
                    code: if matches!(e, ApiError::Decode { .. } | ApiError::Missing { .. }) {
                        ErrorCode::MalformedResponse
                    } else {
                        engine_error(&e).code
                    },
                    message,
                    chat: Some(key),
                });
            }
        }
    }

    /// Stores a wrap-up and tells the front ends (the one place both happen).
    fn put_wrap_up(&mut self, w: WrapUp) {
        if let Some(owner) = &self.owner
            && let Err(e) = self.store.put_wrap_up(owner, &w)
        {
            tracing::warn!(error = %e, "cannot store a wrap-up");
        }
        self.wrap.open.insert(w.chat.clone(), w.clone());
        self.emit(EngineEvent::WrapUp {
            wrap_up: Box::new(w),
        });
    }

    /// Forgets a finished wrap-up (done or skipped) after telling the front ends.
    fn finish_wrap_up(&mut self, mut w: WrapUp, state: WrapUpState) {
        w.state = state;
        w.error = None;
        if let Err(e) = self.store.delete_wrap_up(&w.chat) {
            tracing::warn!(error = %e, "cannot remove a finished wrap-up");
        }
        self.wrap.open.remove(&w.chat);
        self.wrap.backoff.remove(&w.chat);
        self.emit(EngineEvent::WrapUp {
            wrap_up: Box::new(w),
        });
    }

    /// The agent's answers: checked, stored, then sent (and resent until the server has them).
    pub(crate) fn submit_wrap_up(
        &mut self,
        chat: ChatKey,
        answers: Vec<SurveyAnswer>,
        r: Reply<Result<(), EngineError>>,
    ) {
        let out = (|| {
            let w = self.wrap.open.get(&chat).cloned().ok_or_else(|| {
                EngineError::new(ErrorCode::NotFound, "this chat has no wrap-up waiting")
            })?;
            if w.state == WrapUpState::Submitting {
                return Err(EngineError::new(
                    ErrorCode::InvalidInput,
                    "this wrap-up is already being sent",
                ));
            }
            if let Some(p) = validate(&w.survey, &answers).into_iter().next() {
                return Err(EngineError::new(ErrorCode::InvalidInput, p.message));
            }
            Ok(WrapUp {
                state: WrapUpState::Submitting,
                answers,
                error: None,
                ..w
            })
        })();
        match out {
            Ok(w) => {
                self.put_wrap_up(w);
                self.wrap.backoff.remove(&chat);
                self.send_wrap_ups();
                let _ = r.send(Ok(()));
            }
            Err(e) => {
                let _ = r.send(Err(e));
            }
        }
    }

    /// Skips a wrap-up that has no mandatory question showing.
    pub(crate) fn skip_wrap_up(&mut self, chat: ChatKey) -> Result<(), EngineError> {
        let w = self.wrap.open.get(&chat).cloned().ok_or_else(|| {
            EngineError::new(ErrorCode::NotFound, "this chat has no wrap-up waiting")
        })?;
        if w.state == WrapUpState::Submitting {
            return Err(EngineError::new(
                ErrorCode::InvalidInput,
                "this wrap-up is already being sent",
            ));
        }
        if !w.survey.skippable() {
            return Err(EngineError::new(
                ErrorCode::InvalidInput,
                "this survey has mandatory questions: it cannot be skipped",
            ));
        }
        self.finish_wrap_up(w, WrapUpState::Skipped);
        Ok(())
    }

    /// Sends every wrap-up that is due (called on each tick and after a submit).
    pub(crate) fn send_wrap_ups(&mut self) {
        let Some(conn) = &self.conn else {
            return;
        };
        let now = Instant::now();
        let stale = self.stale_after();
        self.wrap
            .submitting
            .retain(|_, since| now.duration_since(*since) < stale);
        let due: Vec<WrapUp> = self
            .wrap
            .open
            .values()
            .filter(|w| w.state == WrapUpState::Submitting)
            .filter(|w| !self.wrap.submitting.contains_key(&w.chat))
            .filter(|w| {
                self.wrap
                    .backoff
                    .get(&w.chat)
                    .and_then(|b| b.next_try)
                    .is_none_or(|t| now >= t)
            })
            .cloned()
            .collect();
        for w in due {
            let Ok(chat_ref) = conn.agent.chat_ref(&w.chat) else {
                continue;
            };
            let agent = conn.agent.clone();
            let body = answers_to_send(&w.survey, &w.answers);
            let generation = self.jobs.generation;
            let key = w.chat.clone();
            self.wrap.submitting.insert(key.clone(), now);
            self.spawn_io(async move {
                let out = agent.submit_survey(&chat_ref, &body).await;
                move |a: &mut Actor| {
                    a.wrap.submitting.remove(&key);
                    if generation != a.jobs.generation {
                        return;
                    }
                    a.wrap_up_sent(key, out);
                }
            });
        }
    }

    fn wrap_up_sent(&mut self, key: ChatKey, out: Result<(), ApiError>) {
        let Some(w) = self.wrap.open.get(&key).cloned() else {
            return;
        };
        match out {
            Ok(()) => {
                let answers = serde_json::to_value(&w.answers).unwrap_or_default();
                if let Err(e) = self.store.history_survey(&key, &answers) {
                    tracing::warn!(error = %e, "cannot keep the survey answers in history");
                }
                tracing::info!(chat = %key, "wrap-up sent");
                self.finish_wrap_up(w, WrapUpState::Done);
            }
            Err(e) if super::failure::send_outcome(&e) != super::failure::SendOutcome::Refused => {
                // Not known to have arrived: the same answers go again after a pause (a PUT:
                // repeating it is harmless).
                let failures = self.wrap.backoff.get(&key).map_or(0, |b| b.failures) + 1;
                let policy = Policy {
                    tick: self.tick_len(),
                    scale: self.cfg.backoff_scale,
                };
                let wait =
                    match after_failure(&e, Job::Poll, failures, policy, rand::random::<f64>()) {
                        After::Retry(d) => d,
                        After::Relogin => {
                            self.request_relogin();
                            policy.tick
                        }
                        After::RenewSession | After::Blocked => policy.tick,
                    };
                let b = self.wrap.backoff.entry(key.clone()).or_default();
                b.failures = failures - 1;
                b.failed(Instant::now() + wait, short(&e.to_string()));
                tracing::info!(chat = %key, error = %short(&e.to_string()), "wrap-up not sent yet");
            }
            Err(e) => {
                self.wrap.backoff.remove(&key);
                let message = format!("the server refused the answers: {}", short(&e.to_string()));
                self.put_wrap_up(WrapUp {
                    state: WrapUpState::Failed,
                    error: Some(message),
                    ..w
                });
            }
        }
    }

    /// After login: the wrap-ups this agent left open, and sends that were under way.
    pub(crate) fn restore_wrap_ups(&mut self) {
        let Some(owner) = &self.owner else {
            return;
        };
        match self.store.wrap_ups(owner) {
            Ok(list) => {
                for w in list {
                    self.wrap.open.insert(w.chat.clone(), w);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read stored wrap-ups"),
        }
    }
}
