//! History search at scale: a temp store filled with 10 000 chats × 20 lines of varied text
//! through the engine's own `Store` API (so the index is the one the desk builds), then 200
//! searches through `HistoryReader::search` — a common word, a rare word, a prefix as typed, a
//! common word within a one-week window, and a common word with a visitor name that few chats have
//! (the whole index range is read) — each kind 40 times, reporting p50/p95/max.
//!
//! Run: `cargo bench -p agent-desk-engine --bench history_search` (about a minute to fill).
//! Options after `--`: `--chats N` (default 10 000), `--keep DIR` (build the store there and keep it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::history::HistoryReader;
use engine::{
    ChatLine, ChatOrigin, ChatState, ChatSummary, EndReason, HistoryQuery, LineSource, Store,
    TextType,
};
use std::time::{Duration, Instant};

const LINES_PER_CHAT: u64 = 20;
const DAY: i64 = 86_400_000;
const T0: i64 = 1_700_000_000_000;

/// A small deterministic generator (xorshift64*), so every run searches the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed towards the start of the list (a few words are very common, most are not).
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

const WORDS: &[&str] = &[
    "order",
    "the",
    "my",
    "please",
    "thanks",
    "account",
    "payment",
    "card",
    "refund",
    "delivery",
    "parcel",
    "tracking",
    "number",
    "help",
    "need",
    "problem",
    "issue",
    "password",
    "login",
    "email",
    "address",
    "change",
    "cancel",
    "subscription",
    "plan",
    "price",
    "invoice",
    "billing",
    "charge",
    "twice",
    "return",
    "exchange",
    "size",
    "colour",
    "stock",
    "available",
    "week",
    "today",
    "tomorrow",
    "yesterday",
    "store",
    "online",
    "website",
    "app",
    "update",
    "error",
    "message",
    "screen",
    "phone",
    "laptop",
    "warranty",
    "repair",
    "broken",
    "damaged",
    "missing",
    "item",
    "package",
    "courier",
    "driver",
    "late",
    "early",
    "morning",
    "evening",
    "weekend",
    "holiday",
    "discount",
    "coupon",
    "code",
    "voucher",
    "gift",
    "points",
    "member",
    "loyalty",
    "premium",
    "upgrade",
    "downgrade",
    "renewal",
    "expired",
    "blocked",
    "locked",
    "reset",
    "confirm",
    "verify",
    "identity",
    "document",
    "receipt",
    "statement",
    "balance",
    "transfer",
    "bank",
    "paypal",
    "checkout",
    "basket",
    "cart",
    "shipping",
    "express",
    "standard",
    "free",
    "cost",
    "fee",
    "tax",
    "country",
    "abroad",
    "customs",
    "duty",
    "label",
    "printer",
    "collect",
    "pickup",
    "locker",
    "neighbour",
    "door",
    "signature",
    "photo",
    "proof",
    "complaint",
    "manager",
    "callback",
    "waiting",
    "queue",
    "minutes",
    "hours",
    "days",
    "again",
    "still",
    "never",
    "arrived",
    "received",
    "sent",
    "wrong",
    "right",
    "correct",
    "small",
    "large",
    "blue",
    "black",
    "white",
    "shoes",
    "jacket",
    "shirt",
    "dress",
    "bag",
    "watch",
    "headphones",
    "charger",
    "cable",
    "battery",
    "screen",
    "keyboard",
    "mouse",
    "monitor",
    "television",
];

const RARE: &[&str] = &["quokka", "zanzibar", "marmalade", "xylophone", "kumquat"];

fn text(rng: &mut Rng) -> String {
    let n = 4 + rng.below(14);
    let mut words: Vec<&str> = (0..n).map(|_| WORDS[rng.skewed(WORDS.len())]).collect();
    // About one line in 4 000 holds one rare word.
    if rng.below(4_000) == 0 {
        let at = rng.below(words.len());
        words[at] = RARE[rng.below(RARE.len())];
    }
    let mut s = words.join(" ");
    if rng.below(3) == 0 {
        s.push('?');
    }
    s
}

fn fill(store: &mut Store, chats: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // The chats are spread over 100 days.
    let step = 100 * DAY / chats.max(1) as i64;
    for c in 0..chats {
        let key = format!("H{c:06}-K{c}");
        let start = T0 + c as i64 * step;
        let summary = ChatSummary {
            chat: key.clone(),
            state: ChatState::Chatting,
            visitor_name: format!("Visitor {}", rng.below(5_000)),
            agent_name: Some("Ann".into()),
            skill: Some(["Sales", "Billing", "Support"][c % 3].into()),
            start_time: Some(start),
            origin: ChatOrigin::Accepted,
            accepted_at: None,
            chat_timeout: None,
            participant_id: None,
            agents: Vec::new(),
        };
        store.history_chat_seen("ann", &summary, start).unwrap();
        store.history_chat_accepted(&key, start + 1_000).unwrap();
        let lines: Vec<ChatLine> = (1..=LINES_PER_CHAT)
            .map(|i| {
                let visitor = i % 2 == 1;
                ChatLine {
                    chat: key.clone(),
                    id: i,
                    time: Some(start + i as i64 * 15_000),
                    source: if visitor {
                        LineSource::Visitor
                    } else {
                        LineSource::Agent
                    },
                    by: if visitor { "visitor" } else { "Ann" }.into(),
                    text: text(&mut rng),
                    text_type: TextType::Plain,
                    system_message_id: None,
                    agent_only: false,
                    local_id: None,
                    card: None,
                    seen_at: None,
                    latency_ms: None,
                }
            })
            .collect();
        store.add_lines(&lines).unwrap();
        store
            .history_chat_ended(&key, start + 400_000, EndReason::Agent)
            .unwrap();
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let chats: usize = opt("--chats").map_or(10_000, |s| s.parse().unwrap());
    let temp = tempfile::tempdir().unwrap();
    let dir = opt("--keep").map_or_else(|| temp.path().to_path_buf(), Into::into);

    let started = Instant::now();
    let mut store = Store::open(&dir).unwrap();
    fill(&mut store, chats);
    let filled = started.elapsed();
    let db_size = std::fs::metadata(dir.join("engine.sqlite3"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.join("engine.sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "filled {chats} chats × {LINES_PER_CHAT} lines in {:.1} s (database {:.1} MB)",
        filled.as_secs_f64(),
        db_size as f64 / 1e6
    );

    let reader = HistoryReader::open(&dir).unwrap();
    let week = |i: usize| {
        let since = T0 + (i as i64 % 93) * DAY;
        (Some(since), Some(since + 7 * DAY))
    };
    type Make = Box<dyn Fn(usize) -> HistoryQuery>;
    let kinds: Vec<(&str, Make)> = vec![
        (
            "common word",
            Box::new(|i| HistoryQuery {
                text: Some(["order", "please", "account", "payment", "refund"][i % 5].into()),
                ..HistoryQuery::default()
            }),
        ),
        (
            "rare word",
            Box::new(|i| HistoryQuery {
                text: Some(RARE[i % RARE.len()].into()),
                ..HistoryQuery::default()
            }),
        ),
        (
            "prefix as typed",
            Box::new(|i| HistoryQuery {
                text: Some(["deli", "parc", "subs", "ref", "warr"][i % 5].into()),
                ..HistoryQuery::default()
            }),
        ),
        (
            "common word + 1 week",
            Box::new(move |i| {
                let (since_ms, until_ms) = week(i);
                HistoryQuery {
                    text: Some(["order", "card", "delivery"][i % 3].into()),
                    since_ms,
                    until_ms,
                    ..HistoryQuery::default()
                }
            }),
        ),
        (
            "common word + visitor (worst case)",
            Box::new(|i| HistoryQuery {
                text: Some(["order", "please", "account"][i % 3].into()),
                visitor: Some(format!("Visitor {}", 100 + i * 37)),
                ..HistoryQuery::default()
            }),
        ),
    ];
    let mut all = Vec::new();
    println!("| search (40 each, 50 hits max, snippets) | hits | p50 | p95 | max |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, make) in &kinds {
        let mut times = Vec::new();
        let mut hits = 0;
        for i in 0..40 {
            let q = make(i);
            let t = Instant::now();
            let found = reader.search(&q).unwrap();
            times.push(t.elapsed());
            hits += found.len();
        }
        times.sort();
        println!(
            "| {name} | {:.0} avg | {} | {} | {} |",
            hits as f64 / 40.0,
            ms(pct(&times, 0.5)),
            ms(pct(&times, 0.95)),
            ms(times[times.len() - 1])
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "| all 200 | | {} | {} | {} |",
        ms(pct(&all, 0.5)),
        ms(pct(&all, 0.95)),
        ms(all[all.len() - 1])
    );
}
