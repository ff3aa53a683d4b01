//! Fault switches applied to API requests (never to `/_sim/` routes).

use std::time::Duration;

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Answer with this status: a JSON error body, or the OAuth text body for 401.
    Status(u16),
    /// Like `Status(status)`, plus a `Retry-After: seconds` header (RFC 6585 / RFC 9110; spec §8
    /// [INF]: a client honours it on 429 and 503).
    StatusWithRetryAfter(u16, u64),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the connection without any response.
    Drop,
    /// 200 with a truncated (invalid) JSON body.
    Malformed,
    /// Every bearer issued so far stops working (401 with the OAuth text body).
    /// Applied at once when injected; `count` and `path_contains` are ignored.
    ExpireBearer,
}

/// A fault: `kind` applies to the next `count` API requests whose path contains `path_contains`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What happens.
    pub kind: FaultKind,
    /// How many matching requests it applies to.
    pub count: u32,
    /// Only requests whose `path?query` contains this text (e.g. `"/events"`, or
    /// `"fromEventIds="` for the multi-chat poll); None = all.
    pub path_contains: Option<String>,
}

/// The active faults.
#[derive(Debug, Default)]
pub struct FaultBook {
    faults: Vec<Fault>,
}

impl FaultBook {
    /// Adds a fault (ExpireBearer is handled by the caller).
    pub fn add(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.faults.push(fault);
        }
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Takes one use of the first fault matching `path`.
    pub fn take(&mut self, path: &str) -> Option<FaultKind> {
        let pos = self.faults.iter().position(|f| {
            f.path_contains
                .as_deref()
                .is_none_or(|needle| path.contains(needle))
        })?;
        let fault = self.faults.get_mut(pos)?;
        let kind = fault.kind.clone();
        fault.count = fault.count.saturating_sub(1);
        if fault.count == 0 {
            self.faults.remove(pos);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_and_path_filter() {
        let mut book = FaultBook::default();
        book.add(Fault {
            kind: FaultKind::Status(503),
            count: 2,
            path_contains: Some("/events".into()),
        });
        assert_eq!(book.take("/api/x/info"), None);
        assert_eq!(book.take("/a/events"), Some(FaultKind::Status(503)));
        assert_eq!(book.take("/a/events"), Some(FaultKind::Status(503)));
        assert_eq!(book.take("/a/events"), None);
    }

    #[test]
    fn status_with_retry_after_is_taken_like_any_fault() {
        let mut book = FaultBook::default();
        book.add(Fault {
            kind: FaultKind::StatusWithRetryAfter(429, 7),
            count: 1,
            path_contains: None,
        });
        assert_eq!(
            book.take("/x"),
            Some(FaultKind::StatusWithRetryAfter(429, 7))
        );
        assert_eq!(book.take("/x"), None);
    }
}
