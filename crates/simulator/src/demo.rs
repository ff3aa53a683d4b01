//! The demo script: visitors arrive, type, write (some HTML), wait and leave at a human pace,
//! forever, keeping several chats going. One visitor in three is an SSO-authenticated customer. `speed` divides every pause (tests run it fast).

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::customer::demo_customer_named;
use crate::model::ChatState;
use crate::shared::Shared;
use crate::visitor::{self, ChatExtras, StartChat};

/// How many unfinished demo chats to keep going.
const CONCURRENT: usize = 4;

const NAMES: [&str; 12] = [
    "Vera", "Milo", "Priya", "Jonas", "Aiko", "Lena", "Omar", "Sofia", "Tomasz", "Grace", "Kwame",
    "Ines",
];

/// One visitor's script: skill, lines (first one opens the chat), patience in the queue.
struct Script {
    skill: &'static str,
    lines: &'static [&'static str],
    patience_s: f64,
}

const SCRIPTS: [Script; 6] = [
    Script {
        skill: "Sales",
        lines: &[
            "Hi! Do you ship to Norway?",
            "I'm looking at the <b>Aurora</b> desk lamp.",
            "How long would delivery take?",
            "Great, thank you!",
        ],
        patience_s: 120.0,
    },
    Script {
        skill: "Billing",
        lines: &[
            "Hello, I was charged twice this month.",
            "The invoice number is <code>INV-20931</code>.",
            "Can you refund one of them?",
            "Thanks, that's all.",
        ],
        patience_s: 120.0,
    },
    Script {
        skill: "Support",
        lines: &[
            "My app keeps logging me out.",
            "I'm on version 4.2 on Android.",
            "<p>I already tried <i>clearing the cache</i>.</p>",
            "OK I'll try reinstalling, bye.",
        ],
        patience_s: 120.0,
    },
    Script {
        skill: "Sales",
        lines: &["Is anyone there?", "Never mind, I'll come back later."],
        patience_s: 25.0,
    },
    Script {
        skill: "Sales",
        lines: &[
            "Do you have a student discount?",
            "<a href=\"https://example.invalid/edu\">This page</a> says 10%?",
            "Perfect, I'll order today.",
        ],
        patience_s: 120.0,
    },
    Script {
        skill: "Billing",
        lines: &[
            "How do I change my card?",
            "It expired last week.",
            "Found it, thanks!",
        ],
        patience_s: 90.0,
    },
];

async fn pause(secs: f64, speed: f64) {
    tokio::time::sleep(Duration::from_secs_f64((secs / speed).max(0.001))).await;
}

/// A random number in `[lo, hi)`.
fn between(lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rand::random::<f64>()
}

fn state(shared: &Shared, key: &str) -> Option<ChatState> {
    let st = shared.lock();
    st.chat_index(key).map(|i| st.chats[i].state)
}

/// One visitor: opens the chat, waits (leaves when out of patience), then types and writes
/// each line with pauses, and leaves at the end unless the agent ended the chat.
async fn visitor_run(shared: Arc<Shared>, speed: f64, n: usize) {
    let script = &SCRIPTS[n % SCRIPTS.len()];
    let name = NAMES[n % NAMES.len()];
    let Some((first, rest)) = script.lines.split_first() else {
        return;
    };
    // One visitor in three is signed in on the site (SSO): the agent sees a participantId
    // and can read the customer's extended info (spec §4.27).
    let extras = ChatExtras {
        customer: (n % 3 == 1).then(|| demo_customer_named(n, name)),
        ..ChatExtras::default()
    };
    let started = visitor::start_chat_with(
        &mut shared.lock(),
        StartChat {
            skill: Some(script.skill.into()),
            visitor_name: name.into(),
            text: Some((*first).into()),
        },
        extras,
    );
    let Ok(key) = started else {
        return;
    };
    let mut waited = 0.0;
    while state(&shared, &key) == Some(ChatState::Waiting) {
        if waited >= script.patience_s {
            let _ = visitor::leave(&mut shared.lock(), &key);
            return;
        }
        pause(1.0, speed).await;
        waited += 1.0;
    }
    for text in rest {
        pause(between(4.0, 10.0), speed).await;
        if state(&shared, &key) != Some(ChatState::Chatting) {
            // Transferred (waiting again) or ended: wait a little, give up if ended.
            if state(&shared, &key) == Some(ChatState::Ended) {
                return;
            }
            continue;
        }
        let _ = visitor::typing(&mut shared.lock(), &key, true);
        pause(between(2.0, 5.0), speed).await;
        // Sometimes the visitor stops typing for a moment before sending.
        if rand::random::<u8>().is_multiple_of(3) {
            let _ = visitor::typing(&mut shared.lock(), &key, false);
            pause(between(1.0, 3.0), speed).await;
        }
        if visitor::line(&mut shared.lock(), &key, text).is_err() {
            return;
        }
    }
    pause(between(8.0, 15.0), speed).await;
    let _ = visitor::leave(&mut shared.lock(), &key);
}

fn live_chats(shared: &Shared) -> usize {
    shared
        .lock()
        .chats
        .iter()
        .filter(|c| c.state != ChatState::Ended)
        .count()
}

/// Runs the demo until the task is aborted (which also aborts every visitor).
pub async fn run(shared: Arc<Shared>, speed: f64) {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    let mut visitors = JoinSet::new();
    let mut n = 0;
    loop {
        while visitors.try_join_next().is_some() {}
        if live_chats(&shared) < CONCURRENT {
            visitors.spawn(visitor_run(shared.clone(), speed, n));
            n += 1;
            pause(between(3.0, 8.0), speed).await;
        } else {
            pause(2.0, speed).await;
        }
    }
}
