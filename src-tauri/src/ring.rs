//! The escalating ring, as pure decisions: which step a ring is at for the time left in the
//! server's 20 s offer window (spec §4.10), and what the shell does when a ring starts, escalates,
//! changes its count or ends. `ring_driver.rs` performs the effects (notifications on the bus,
//! the tone from `sound.rs`, the window's attention request) on a timer.
//!
//! One ring has one notification: each step replaces it (same id), so nothing stacks, and the end
//! of the ring (accepted, taken by someone else, the window closed) closes it by id at once. Its
//! own expiry is set past the server's deadline, so it never disappears before the desk decides.

use std::time::Duration;

use engine::events::EpochMs;

use crate::alert_settings::{AlertChoice, RingSettings, RingTone};
use crate::notify::NotificationText;

/// The offer window before an untaken chat flips the agent to Away (spec §4.10).
pub const OFFER_WINDOW: Duration = Duration::from_secs(20);

/// How long a ring's notification outlives the deadline if the desk never closes it (a crash).
const EXPIRY_MARGIN_MS: u32 = 10_000;

/// The steps of a ring, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// t = 0: a notification with the seconds left, and the ring tone.
    Ring,
    /// t ≈ 8 s: the window asks for attention; the tone repeats.
    Attention,
    /// t ≈ 15 s: a critical notification: a few seconds left before the server sets Away.
    Final,
}

/// What the ring does at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    /// The notification has critical urgency.
    pub critical: bool,
    /// The tone plays with this step.
    pub sound: bool,
    /// The window asks for attention (pointless while it has focus).
    pub request_attention: bool,
}

/// The step for `time_left` in the offer window: a pure function of the time, the settings and
/// whether the window has focus.
pub fn escalation(time_left: Duration, settings: &RingSettings, window_focused: bool) -> Step {
    let elapsed = OFFER_WINDOW.saturating_sub(time_left);
    let reached =
        |after: Option<u32>| after.is_some_and(|s| elapsed >= Duration::from_secs(s.into()));
    let stage = if reached(settings.final_after_secs) {
        Stage::Final
    } else if reached(settings.attention_after_secs) {
        Stage::Attention
    } else {
        Stage::Ring
    };
    Step {
        stage,
        critical: stage == Stage::Final,
        sound: stage == Stage::Ring || settings.repeat_sound,
        request_attention: stage >= Stage::Attention
            && settings.attention_after_secs.is_some()
            && !window_focused,
    }
}

/// How long until the next step is due, from `time_left` (`None`: no step follows).
pub fn next_step_in(time_left: Duration, settings: &RingSettings) -> Option<Duration> {
    let elapsed = OFFER_WINDOW.saturating_sub(time_left);
    [settings.attention_after_secs, settings.final_after_secs]
        .into_iter()
        .flatten()
        .map(|s| Duration::from_secs(s.into()))
        .filter(|at| *at > elapsed && *at <= OFFER_WINDOW)
        .min()
        .map(|at| at - elapsed)
}

/// What the agent chose that the ring needs, read when it is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingPlan {
    pub ring: RingSettings,
    pub choice: AlertChoice,
    /// Every sound off (muted, or the volume at 0).
    pub muted: bool,
    /// Do-not-disturb (Away): no sound.
    pub quiet: bool,
}

/// What the shell does for a ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Shows (or replaces, when the ring already has one) the ring's notification.
    Show(NotificationText),
    /// Closes the ring's notification (by the id the server gave it).
    Close(u32),
    /// The window asks for attention (`true`) or stops asking (`false`).
    Attention(bool),
    /// Plays the tone (played from Rust; the notification's hint names it too, for a desk without
    /// an audio output of its own).
    Sound(RingTone),
    /// Stops a tone still playing (the ring ended).
    Silence,
}

/// What the ring driver reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingInput {
    /// The engine says chats ring (`deadline`: when the offer window closes).
    Ringing { count: u32, deadline: EpochMs },
    /// Nothing rings any more (accepted, taken elsewhere, window closed, logged out).
    Stopped,
    /// The window gained or lost focus.
    Focus(bool),
}

/// One ring in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Active {
    count: u32,
    deadline: EpochMs,
    /// The last step performed.
    done: Stage,
    /// The id of its notification on the server, once shown.
    notification: Option<u32>,
    attention: bool,
    /// A tone was played (so the end stops it).
    sounded: bool,
}

/// The ring as the shell alerts it: a pure state machine fed with inputs and the clock.
#[derive(Debug, Clone, Default)]
pub struct RingAlerts {
    active: Option<Active>,
    focused: bool,
}

impl RingAlerts {
    /// Takes one input at `now`; returns what to do.
    pub fn input(&mut self, input: RingInput, now: EpochMs, plan: &RingPlan) -> Vec<Effect> {
        match input {
            RingInput::Focus(focused) => {
                self.focused = focused;
                Vec::new()
            }
            RingInput::Stopped => self.stop(),
            RingInput::Ringing { count: 0, .. } => self.stop(),
            RingInput::Ringing { count, deadline } => match &mut self.active {
                Some(active) if active.count == count => {
                    active.deadline = deadline;
                    self.due(now, plan)
                }
                Some(active) => {
                    // Another chat rings, or one stopped: the same step, with the new count; a
                    // new chat rings the tone again.
                    let more = count > active.count;
                    active.count = count;
                    active.deadline = deadline;
                    let mut step = escalation(time_left(deadline, now), &plan.ring, self.focused);
                    step.sound = more;
                    let stage = step.stage.max(active.done);
                    step.stage = stage;
                    self.perform(step, now, plan)
                }
                None => {
                    self.active = Some(Active {
                        count,
                        deadline,
                        done: Stage::Ring,
                        notification: None,
                        attention: false,
                        sounded: false,
                    });
                    let step = escalation(time_left(deadline, now), &plan.ring, self.focused);
                    self.perform(step, now, plan)
                }
            },
        }
    }

    /// The steps that fell due by `now` (call at `next_wake`).
    pub fn due(&mut self, now: EpochMs, plan: &RingPlan) -> Vec<Effect> {
        let Some(active) = self.active else {
            return Vec::new();
        };
        let step = escalation(time_left(active.deadline, now), &plan.ring, self.focused);
        if step.stage <= active.done {
            return Vec::new();
        }
        self.perform(step, now, plan)
    }

    /// When the next step falls due (epoch ms), if a ring is on.
    pub fn next_wake(&self, now: EpochMs, plan: &RingPlan) -> Option<EpochMs> {
        let active = self.active?;
        let left = time_left(active.deadline, now);
        next_step_in(left, &plan.ring).map(|d| now + d.as_millis() as i64)
    }

    /// The server gave the ring's notification this id.
    pub fn shown(&mut self, id: u32) {
        if let Some(active) = &mut self.active {
            active.notification = Some(id);
        }
    }

    /// The id of the ring's notification, if one is shown (to replace it).
    pub fn notification(&self) -> Option<u32> {
        self.active.and_then(|a| a.notification)
    }

    pub fn ringing(&self) -> bool {
        self.active.is_some()
    }

    fn stop(&mut self) -> Vec<Effect> {
        let Some(active) = self.active.take() else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        if active.sounded {
            effects.push(Effect::Silence);
        }
        if let Some(id) = active.notification {
            effects.push(Effect::Close(id));
        }
        if active.attention {
            effects.push(Effect::Attention(false));
        }
        effects
    }

    fn perform(&mut self, step: Step, now: EpochMs, plan: &RingPlan) -> Vec<Effect> {
        let Some(active) = &mut self.active else {
            return Vec::new();
        };
        active.done = active.done.max(step.stage);
        let mut effects = Vec::new();
        let sound = step.sound && plan.choice.sound && !plan.muted && !plan.quiet;
        if plan.choice.notification {
            let left = time_left(active.deadline, now);
            effects.push(Effect::Show(ring_text(
                active.count,
                left,
                step,
                sound.then_some(plan.ring.tone.sound_name()),
            )));
        }
        if sound {
            active.sounded = true;
            effects.push(Effect::Sound(plan.ring.tone));
        }
        if step.request_attention && plan.choice.attention && !active.attention {
            active.attention = true;
            effects.push(Effect::Attention(true));
        }
        effects
    }
}

fn time_left(deadline: EpochMs, now: EpochMs) -> Duration {
    Duration::from_millis(deadline.saturating_sub(now).max(0) as u64)
}

/// The ring's notification for a step.
pub fn ring_text(count: u32, left: Duration, step: Step, sound: Option<&str>) -> NotificationText {
    // Round up: "1 s left" until the very end, never "0 s left" while it still rings.
    let seconds = left.as_millis().div_ceil(1000) as u32;
    let chats = if count == 1 {
        "A chat is ringing".to_owned()
    } else {
        format!("{count} chats are ringing")
    };
    let (summary, body) = if step.stage == Stage::Final {
        (
            format!("{seconds} s left — you will be set Away"),
            format!("{chats}. Accept now to stay Online."),
        )
    } else {
        (chats, format!("{seconds} s left to accept"))
    };
    NotificationText {
        summary,
        body,
        chat: None,
        sound: sound.map(str::to_owned),
        timeout_ms: (seconds * 1000).saturating_add(EXPIRY_MARGIN_MS),
        ring: true,
        critical: step.critical,
    }
}

#[cfg(test)]
#[path = "ring_tests.rs"]
mod tests;
