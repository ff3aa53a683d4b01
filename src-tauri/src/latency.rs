//! Alert latency as the agent lived it (issue 9 §4): for every visitor line and every ring, how
//! long from the event to the notification being up, and from a ring to the agent taking a chat.
//! The engine stamps when it saw each event (`seenAt`, `latencyMs`); the shell adds the moment its
//! notification call returned and the moment a chat was accepted. The diagnostics view
//! (`alert_latency`) shows today's p50/p95/max of each.
//!
//! Samples are kept in memory for a day at most, and at most [`MAX_SAMPLES`] per series.

use std::collections::VecDeque;
use std::sync::Mutex;

use engine::events::EpochMs;
use serde::Serialize;
use ts_rs::TS;

/// The most samples kept per series (a very busy desk keeps its newest).
pub const MAX_SAMPLES: usize = 20_000;
const DAY_MS: EpochMs = 24 * 60 * 60 * 1000;

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// A visitor line: the server's stamp → the engine saw it (poll interval + network + skew).
    LineSeen,
    /// A visitor line: the server's stamp → its notification call returned.
    LineNotified,
    /// A ring: the engine saw it → the first ring notification call returned.
    RingNotified,
    /// A ring: the engine saw it → a chat was accepted (by the agent or auto-accept).
    RingAccepted,
}

const SERIES: usize = 4;

impl Series {
    fn index(self) -> usize {
        match self {
            Self::LineSeen => 0,
            Self::LineNotified => 1,
            Self::RingNotified => 2,
            Self::RingAccepted => 3,
        }
    }
}

/// p50/p95/max of one series (nearest rank), in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct LatencyStats {
    pub count: u32,
    #[ts(type = "number | null")]
    pub p50_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub p95_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub max_ms: Option<i64>,
}

impl LatencyStats {
    /// The figures of `values` (any order).
    pub fn of(mut values: Vec<i64>) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        values.sort_unstable();
        let rank = |p: f64| {
            let n = values.len();
            // Nearest rank: the smallest value with at least p of the samples at or below it.
            let at = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
            values[at]
        };
        Self {
            count: u32::try_from(values.len()).unwrap_or(u32::MAX),
            p50_ms: Some(rank(0.50)),
            p95_ms: Some(rank(0.95)),
            max_ms: values.last().copied(),
        }
    }
}

/// Today's figures (`alert_latency`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct AlertLatency {
    /// Visitor line: server stamp → seen by the engine.
    pub line_seen: LatencyStats,
    /// Visitor line: server stamp → notification on screen.
    pub line_notified: LatencyStats,
    /// Ring: seen by the engine → notification on screen.
    pub ring_notified: LatencyStats,
    /// Ring: seen by the engine → chat accepted.
    pub ring_accepted: LatencyStats,
    /// Since when (epoch ms): the agent's local midnight.
    #[ts(type = "number")]
    pub since: EpochMs,
}

#[derive(Default)]
struct Samples {
    /// (when it was recorded, the latency), oldest first.
    series: [VecDeque<(EpochMs, i64)>; SERIES],
    /// When the ring now going on was first seen.
    ring_seen_at: Option<EpochMs>,
    /// Whether its notification's latency was recorded already.
    ring_notified: bool,
}

/// The shell's record of alert latency (kept in `Desk`).
#[derive(Default)]
pub struct LatencyLog {
    samples: Mutex<Samples>,
}

impl LatencyLog {
    fn with<T>(&self, f: impl FnOnce(&mut Samples) -> T) -> T {
        let mut samples = self
            .samples
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut samples)
    }

    /// Records one sample taken at `now`.
    pub fn record(&self, series: Series, now: EpochMs, latency_ms: i64) {
        self.with(|s| {
            let list = &mut s.series[series.index()];
            while list.front().is_some_and(|(at, _)| now - at > DAY_MS) {
                list.pop_front();
            }
            if list.len() >= MAX_SAMPLES {
                list.pop_front();
            }
            list.push_back((now, latency_ms));
        });
    }

    /// A ring was seen at `seen_at` (the first `ringing` event of a ring counts; later ones of the
    /// same ring keep the first time).
    pub fn ring_seen(&self, seen_at: EpochMs) {
        self.with(|s| {
            if s.ring_seen_at.is_none() {
                s.ring_seen_at = Some(seen_at);
                s.ring_notified = false;
            }
        });
    }

    /// Nothing rings any more.
    pub fn ring_over(&self) {
        self.with(|s| s.ring_seen_at = None);
    }

    /// The ring's first notification is up at `now`.
    pub fn ring_notified(&self, now: EpochMs) {
        let seen = self.with(|s| {
            if s.ring_notified {
                return None;
            }
            s.ring_notified = true;
            s.ring_seen_at
        });
        if let Some(seen) = seen {
            self.record(Series::RingNotified, now, now - seen);
        }
    }

    /// A chat was accepted at `now`: ring → accept, when something was ringing.
    pub fn accepted(&self, now: EpochMs) {
        let seen = self.with(|s| s.ring_seen_at.take());
        if let Some(seen) = seen {
            self.record(Series::RingAccepted, now, now - seen);
        }
    }

    /// The figures of the samples recorded since `since` (epoch ms).
    pub fn since(&self, since: EpochMs) -> AlertLatency {
        let stats = |series: Series| {
            self.with(|s| {
                LatencyStats::of(
                    s.series[series.index()]
                        .iter()
                        .filter(|(at, _)| *at >= since)
                        .map(|(_, ms)| *ms)
                        .collect(),
                )
            })
        };
        AlertLatency {
            line_seen: stats(Series::LineSeen),
            line_notified: stats(Series::LineNotified),
            ring_notified: stats(Series::RingNotified),
            ring_accepted: stats(Series::RingAccepted),
            since,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(LatencyStats::of(Vec::new()), LatencyStats::default());
        let one = LatencyStats::of(vec![420]);
        assert_eq!(
            (one.count, one.p50_ms, one.p95_ms, one.max_ms),
            (1, Some(420), Some(420), Some(420))
        );
        let hundred = LatencyStats::of((1..=100).rev().collect());
        assert_eq!(hundred.count, 100);
        assert_eq!(hundred.p50_ms, Some(50));
        assert_eq!(hundred.p95_ms, Some(95));
        assert_eq!(hundred.max_ms, Some(100));
        let skewed = LatencyStats::of(vec![-30, 10, 20]);
        assert_eq!(
            skewed.p50_ms,
            Some(10),
            "a desk clock behind the server's gives negatives"
        );
    }

    #[test]
    fn a_ring_counts_from_its_first_sighting_to_notification_and_accept() {
        let log = LatencyLog::default();
        log.ring_seen(1_000);
        log.ring_seen(2_000); // the same ring, seen again by the next check
        log.ring_notified(1_150);
        log.ring_notified(9_000); // the escalation's later steps do not count
        log.accepted(5_000);
        log.accepted(6_000); // a second accept without a ring
        let today = log.since(0);
        assert_eq!(today.ring_notified.max_ms, Some(150));
        assert_eq!(today.ring_notified.count, 1);
        assert_eq!(today.ring_accepted.max_ms, Some(4_000));
        assert_eq!(today.ring_accepted.count, 1);
        // A ring that stopped unanswered leaves nothing for a later accept.
        log.ring_seen(10_000);
        log.ring_over();
        log.accepted(12_000);
        assert_eq!(log.since(0).ring_accepted.count, 1);
    }

    #[test]
    fn only_today_and_at_most_a_day_are_kept() {
        let log = LatencyLog::default();
        log.record(Series::LineSeen, 1_000, 500);
        log.record(Series::LineSeen, DAY_MS + 2_000, 700);
        let all = log.since(0);
        assert_eq!(
            all.line_seen.count, 1,
            "the sample older than a day is gone"
        );
        log.record(Series::LineNotified, DAY_MS + 3_000, 900);
        assert_eq!(log.since(DAY_MS + 2_500).line_notified.count, 1);
        assert_eq!(log.since(DAY_MS + 2_500).line_seen.count, 0);
    }

    #[test]
    fn the_list_is_bounded() {
        let log = LatencyLog::default();
        for i in 0..(MAX_SAMPLES as i64 + 10) {
            log.record(Series::LineSeen, 5_000 + i, i);
        }
        let stats = log.since(0).line_seen;
        assert_eq!(stats.count as usize, MAX_SAMPLES);
        assert_eq!(stats.max_ms, Some(MAX_SAMPLES as i64 + 9));
    }
}
