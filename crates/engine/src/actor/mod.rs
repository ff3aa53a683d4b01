//! The engine task: it alone owns the session, the chats and the outbox (no shared state).
//! Commands arrive over a channel; a timer drives the poll loop; events go out on a broadcast.

mod chats;
mod commands;
mod failure;
mod forget;
mod io;
mod jobs;
mod outbox;
mod poll;
mod resume;
mod ring;
mod session;
mod wrapups;

use crate::config::{EngineConfig, LoginRequest};
use crate::events::{
    AgentProfile, Availability, ChatKey, ConnectionState, EngineEvent, EpochMs, SessionState,
};
use crate::handle::Command;
use crate::secrets::SecretStore;
use crate::store::{OutboxRow, Store};
use chat_agent_api::{AgentSession, ApiClient, LoginSession, Password};
use chats::{ChatEntry, Me};
use jobs::{Backoff, Job};
use ring::Ring;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// A live login: client, login session, agent session and who it is.
pub(crate) struct Conn {
    pub request: LoginRequest,
    pub password: Option<Password>,
    pub client: ApiClient,
    pub login: LoginSession,
    pub agent: AgentSession,
    pub profile: AgentProfile,
    pub token_key: String,
}

/// When each periodic job is next due.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timers {
    pub refresh: Instant,
    pub ringing: Instant,
    pub availability: Instant,
    pub chat_sessions: Instant,
    pub chat_sessions_until: Instant,
    pub poll: Instant,
    /// A relogin is pending (the bearer was refused): due then.
    pub relogin: Option<Instant>,
    /// A new agent session is needed (the old one answers 404): due then.
    pub renew: Option<Instant>,
}

impl Timers {
    fn at(now: Instant, cfg: &EngineConfig) -> Self {
        Self {
            refresh: now + cfg.refresh_interval,
            ringing: now,
            availability: now + cfg.availability_interval,
            chat_sessions: now,
            chat_sessions_until: now + cfg.chat_sessions_window,
            poll: now,
            relogin: None,
            renew: None,
        }
    }
}

/// The engine task's state.
pub(crate) struct Actor {
    pub cfg: EngineConfig,
    pub tx: broadcast::Sender<EngineEvent>,
    pub store: Store,
    pub secrets: Arc<dyn SecretStore>,
    pub conn: Option<Conn>,
    pub owner: Option<String>,
    pub session_state: SessionState,
    pub connection: ConnectionState,
    pub availability: Option<Availability>,
    pub reason_id: Option<String>,
    pub auto_accept: bool,
    /// The chats on the desk, each with its cursor (pure core: `chats.rs`).
    pub chats: BTreeMap<ChatKey, ChatEntry>,
    /// Lines being sent (pure rules: `outbox.rs`).
    pub outbox: OutboxQueue,
    /// What rings (pure core: `ring.rs`).
    pub ring: Ring,
    /// When each job runs and how it is backing off (pure rules: `jobs.rs`).
    pub jobs: Jobs,
    /// The `retry_at` last reported with `Retrying` (to report changes only).
    pub shown_retry_at: Option<EpochMs>,
    /// Who this desk is (to notice a chat moving to another agent).
    pub me: Me,
    /// Network work runs as tasks; what each one found comes back here, applied by the actor.
    pub done_tx: mpsc::UnboundedSender<Done>,
    done_rx: Option<mpsc::UnboundedReceiver<Done>>,
    /// A take (accept) is out since then: auto-accept starts no second one.
    pub taking: Option<Instant>,
    /// Auto-accept's last take failed: ring as usual until one works.
    pub auto_take_failing: bool,
    /// A shutdown waiting for the lines being sent.
    stopping: Option<(oneshot::Sender<()>, Instant)>,
    /// Customer details and wrap-up surveys (`wrapups.rs`).
    pub wrap: wrapups::WrapUps,
    /// When the chats that left the desk were last looked at (`forget.rs`).
    pub forget_checked: Instant,
}

/// The outbox's state: the rows (mirrored in SQLite) and what is known about each send.
#[derive(Default)]
pub(crate) struct OutboxQueue {
    pub rows: Vec<OutboxRow>,
    /// Ambiguous sends: not before this instant (and a poll after it) may they be resent.
    pub check_after: HashMap<String, Instant>,
    /// Each row's failures and next try (by local id).
    pub backoff: HashMap<String, Backoff>,
    /// Rows being sent now, since when (by local id; at most one per chat).
    pub sending: HashMap<String, Instant>,
}

impl OutboxQueue {
    /// Forgets everything about sends in progress (the rows stay).
    fn forget_sends(&mut self) {
        self.check_after.clear();
        self.backoff.clear();
        self.sending.clear();
    }
}

/// The jobs' schedule: when each is due, how each is backing off, which are out, and for which
/// agent session.
pub(crate) struct Jobs {
    pub timers: Timers,
    /// Each periodic job's failures and next try.
    pub backoff: HashMap<Job, Backoff>,
    /// Jobs whose request is out, since when (a job never runs twice at once).
    pub in_flight: HashMap<Job, Instant>,
    /// Bumped whenever the agent session changes (login, renewal, relogin, teardown): results of
    /// requests made for an older one are dropped.
    pub generation: u64,
}

/// The result of a request made off the actor: a change to apply to the actor's state.
pub(crate) type Done = Box<dyn FnOnce(&mut Actor) + Send>;

/// How long a shutdown waits for lines already being sent.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why a login ends: every way goes through [`Actor::teardown`], which says what survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Teardown {
    /// The agent logged out: chats go back to the queue, the token is deleted, unsent lines fail.
    LoggedOut,
    /// The bearer expired and no password is at hand: the token is deleted; chats and unsent
    /// lines stay in the local store for the next login (the server keeps the chats for a while).
    AuthExpired,
    /// 451: as `AuthExpired`.
    Blocked,
}

/// Epoch milliseconds now.
pub(crate) fn now_ms() -> EpochMs {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
}

/// Epoch milliseconds of a future instant.
pub(crate) fn ms_at(at: Instant) -> EpochMs {
    now_ms() + at.saturating_duration_since(Instant::now()).as_millis() as i64
}

impl Actor {
    pub fn new(
        cfg: EngineConfig,
        tx: broadcast::Sender<EngineEvent>,
        store: Store,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        let auto_accept = cfg.auto_accept;
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let timers = Timers::at(Instant::now(), &cfg);
        Self {
            cfg,
            tx,
            store,
            secrets,
            conn: None,
            owner: None,
            session_state: SessionState::LoggedOut,
            connection: ConnectionState::Offline,
            availability: None,
            reason_id: None,
            auto_accept,
            chats: BTreeMap::new(),
            outbox: OutboxQueue::default(),
            ring: Ring::default(),
            jobs: Jobs {
                timers,
                backoff: HashMap::new(),
                in_flight: HashMap::new(),
                generation: 0,
            },
            shown_retry_at: None,
            me: Me::default(),
            taking: None,
            auto_take_failing: false,
            done_tx,
            done_rx: Some(done_rx),
            stopping: None,
            wrap: Default::default(),
            forget_checked: Instant::now(),
        }
    }

    /// Runs `work` (network requests) as its own task; what it returns is applied by the actor
    /// when it is done. The actor never waits on the network itself.
    pub fn spawn_io<W, A>(&self, work: W)
    where
        W: Future<Output = A> + Send + 'static,
        A: FnOnce(&mut Actor) + Send + 'static,
    {
        let tx = self.done_tx.clone();
        tokio::spawn(async move {
            let apply = work.await;
            let _ = tx.send(Box::new(apply));
        });
    }

    /// How long a request's task may be out before it counts as lost. Every request has a
    /// timeout, so a task outliving this has died without reporting (a bug, not the network):
    /// forgetting it keeps the job, the take or the chat's lines from being stuck for good.
    pub fn stale_after(&self) -> Duration {
        (self.cfg.request_timeout * 4).max(Duration::from_secs(60))
    }

    /// A new agent session (or none): what was in flight for the old one no longer counts.
    pub fn next_generation(&mut self) {
        self.jobs.generation += 1;
        self.jobs.in_flight.clear();
    }

    /// Sends an event to every subscriber (none listening is fine).
    pub fn emit(&self, event: EngineEvent) {
        if tracing::enabled!(tracing::Level::DEBUG) {
            if self.cfg.log_chat_text {
                tracing::debug!(?event, "engine event");
            } else {
                // What happened and to which chat, never what was said or who said it.
                let (kind, chat) = event.label();
                tracing::debug!(event = kind, chat, "engine event");
            }
        }
        let _ = self.tx.send(event);
    }

    pub fn set_connection(
        &mut self,
        state: ConnectionState,
        retry_at: Option<EpochMs>,
        detail: Option<String>,
    ) {
        if self.connection == state && retry_at.is_none() {
            return;
        }
        self.connection = state;
        self.emit(EngineEvent::Connection {
            state,
            retry_at,
            detail,
        });
    }

    pub fn set_session(&mut self, state: SessionState) {
        self.session_state = state;
        let agent = self.conn.as_ref().map(|c| c.profile.clone());
        self.emit(EngineEvent::Session { state, agent });
    }

    /// The one way a login ends. Whatever the reason: no more requests, the ring and the jobs'
    /// state are cleared, the front ends hear `LoggedOut` and `Offline`. What survives depends on
    /// the reason (see [`Teardown`]).
    pub(crate) fn teardown(&mut self, why: Teardown) {
        let keys: Vec<_> = self
            .chats
            .iter()
            .filter(|(_, c)| c.active)
            .map(|(k, _)| k.clone())
            .collect();
        if why == Teardown::LoggedOut {
            if let Some(owner) = self.owner.take()
                && let Err(e) = self.store.deactivate_all(&owner)
            {
                tracing::warn!(error = %e, "cannot store the chats as closed");
            }
            for chat in keys {
                self.emit(EngineEvent::ChatRemoved {
                    chat,
                    reason: "loggedOut".into(),
                });
            }
            self.fail_all_unsent("not sent: logged out before it was sent");
            self.outbox.rows.clear();
        }
        self.chats.clear();
        // Open wrap-ups stay in SQLite for this agent's next login.
        self.wrap = Default::default();
        self.conn = None;
        self.ring = Ring::default();
        self.availability = None;
        self.jobs.backoff.clear();
        self.outbox.forget_sends();
        self.shown_retry_at = None;
        self.next_generation();
        self.jobs.timers = Timers::at(Instant::now(), &self.cfg);
        self.set_session(SessionState::LoggedOut);
        let detail = match why {
            Teardown::LoggedOut => None,
            Teardown::AuthExpired => Some("the login expired".to_string()),
            Teardown::Blocked => Some("blocked".to_string()),
        };
        self.set_connection(ConnectionState::Offline, None, detail);
    }

    /// Chats on the desk that are not ended.
    pub fn active_count(&self) -> usize {
        self.chats.values().filter(|c| c.active).count()
    }

    /// The loop: commands as they come, results of requests as they arrive, the jobs when due,
    /// until cancelled or shut down. Only login and logout wait on the network here.
    pub async fn run(mut self, mut rx: mpsc::Receiver<Command>, cancel: CancellationToken) {
        let Some(mut done_rx) = self.done_rx.take() else {
            return;
        };
        let mut tick = tokio::time::interval(self.tick_len());
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => break,
                cmd = rx.recv(), if self.stopping.is_none() => match cmd {
                    None => break,
                    Some(Command::Shutdown(reply)) => {
                        self.flush_outbox();
                        self.stopping = Some((reply, Instant::now() + SHUTDOWN_GRACE));
                    }
                    // Dropping the last handle stops at once, even mid-request (like a crash:
                    // the outbox and cursors in SQLite are what the next start relies on).
                    Some(cmd) => tokio::select! {
                        _ = cancel.cancelled() => break,
                        _ = self.handle(cmd) => {}
                    },
                },
                Some(done) = done_rx.recv() => done(&mut self),
                _ = tick.tick() => self.tick(),
            }
            if let Some((_, until)) = &self.stopping
                && (self.outbox.sending.is_empty() || Instant::now() >= *until)
            {
                if let Some((reply, _)) = self.stopping.take() {
                    let _ = reply.send(());
                }
                break;
            }
        }
        tracing::info!("engine stopped");
    }
}
