//! Presence by polling, for systems whose lock and idle state we read rather than subscribe to
//! (Windows and macOS; `presence_windows.rs`, `presence_macos.rs` supply the [`Probe`]).
//!
//! A plain thread wakes every [`POLL`], reads the idle time and the lock state, and feeds them to
//! [`PollState::step`], a pure function that says which [`Signal`]s changed. Suspend cannot be
//! seen coming this way; it is seen afterwards, as a wall clock that ran far ahead of the time
//! the thread slept (the sleep itself does not count time the machine spent suspended). Only the
//! end of a suspend is reported: an Away set after the machine woke would be undone at once, so
//! what the desk gains is the immediate resync.

use std::time::{Duration, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use crate::presence::{Cause, PresenceSource, SettingsFn, Signal};

/// How often the poller wakes.
pub const POLL: Duration = Duration::from_secs(5);

/// Wall-clock time beyond the poll interval that counts as a suspend. Generous, so a busy machine
/// that wakes the thread late, or a small clock correction, is not taken for one.
pub const SUSPEND_SLACK: Duration = Duration::from_secs(30);

/// What one poll read. `None` means the system did not say (that part keeps its last state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Wall-clock time since the previous poll (`None`: the clock went backwards).
    pub wall_elapsed: Option<Duration>,
    /// Time since the last keyboard or mouse input.
    pub idle_for: Option<Duration>,
    /// Whether the screen is locked.
    pub locked: Option<bool>,
}

/// What the poller has reported so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollState {
    idle: bool,
    locked: bool,
}

impl PollState {
    /// The signals one sample gives, after a sleep of `interval`; `idle_after` is the idle
    /// setting (`None`: idle detection off, which also ends an idle spell already reported).
    pub fn step(
        &mut self,
        sample: &Sample,
        interval: Duration,
        idle_after: Option<Duration>,
    ) -> Vec<Signal> {
        let mut signals = Vec::new();
        if sample
            .wall_elapsed
            .is_some_and(|elapsed| elapsed > interval + SUSPEND_SLACK)
        {
            signals.push(Signal::Ended(Cause::Suspended));
        }
        if let Some(locked) = sample.locked
            && locked != self.locked
        {
            self.locked = locked;
            signals.push(edge(locked, Cause::Locked));
        }
        let idle = match idle_after {
            None => Some(false),
            Some(threshold) => sample.idle_for.map(|idle_for| idle_for >= threshold),
        };
        if let Some(idle) = idle
            && idle != self.idle
        {
            self.idle = idle;
            signals.push(edge(idle, Cause::Idle));
        }
        signals
    }
}

fn edge(began: bool, cause: Cause) -> Signal {
    if began {
        Signal::Began(cause)
    } else {
        Signal::Ended(cause)
    }
}

/// One system's way of reading idle time and lock state. Both are cheap calls made every poll.
pub trait Probe: Send + 'static {
    /// Time since the last keyboard or mouse input in this session.
    fn idle_for(&mut self) -> Option<Duration>;
    /// Whether this session's screen is locked.
    fn locked(&mut self) -> Option<bool>;
}

/// A [`PresenceSource`] that polls a [`Probe`] on its own thread.
pub struct PollingPresence<P> {
    probe: P,
    settings: SettingsFn,
}

impl<P: Probe> PollingPresence<P> {
    pub fn new(probe: P, settings: SettingsFn) -> Self {
        Self { probe, settings }
    }
}

impl<P: Probe> PresenceSource for PollingPresence<P> {
    fn start(self: Box<Self>, tx: UnboundedSender<Signal>) {
        let Self { probe, settings } = *self;
        let started = std::thread::Builder::new()
            .name("presence-poll".into())
            .spawn(move || poll_loop(probe, settings, tx));
        if let Err(error) = started {
            tracing::warn!(%error, "could not start the presence thread");
        }
    }
}

fn poll_loop(mut probe: impl Probe, settings: SettingsFn, tx: UnboundedSender<Signal>) {
    tracing::info!(every = ?POLL, "polling idle time and screen lock");
    let mut state = PollState::default();
    let mut before = SystemTime::now();
    loop {
        std::thread::sleep(POLL);
        if tx.is_closed() {
            return;
        }
        let now = SystemTime::now();
        let wall_elapsed = now.duration_since(before).ok();
        before = now;
        let idle_after = (settings)()
            .idle_minutes
            .map(|minutes| Duration::from_secs(u64::from(minutes) * 60));
        let sample = Sample {
            wall_elapsed,
            idle_for: idle_after.and_then(|_| probe.idle_for()),
            locked: probe.locked(),
        };
        for signal in state.step(&sample, POLL, idle_after) {
            if tx.send(signal).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
#[path = "presence_poll_tests.rs"]
mod tests;
