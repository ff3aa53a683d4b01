//! Timestamps: ISO-8601 with or without millis, or epoch milliseconds (spec §9 quirk 6).

use serde::de::{self, Deserialize, Deserializer};
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time as the server sent it, decoded into UTC-comparable form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn epoch_ms(&self) -> i64 {
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    /// From epoch milliseconds; `None` when out of range.
    pub fn from_epoch_ms(ms: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .ok()
            .map(Self)
    }

    /// Parses ISO-8601 / RFC 3339 text (`2015-08-30T18:06:02+03:00`,
    /// `2018-01-29T08:19:43.963-05:00`) or digits meaning epoch milliseconds.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse::<i64>().ok().and_then(Self::from_epoch_ms);
        }
        OffsetDateTime::parse(t, &Rfc3339).ok().map(Self)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(s) => write!(f, "Timestamp({s})"),
            Err(_) => write!(f, "Timestamp({})", self.epoch_ms()),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let parsed = match &v {
            serde_json::Value::Number(n) => n.as_i64().and_then(Self::from_epoch_ms),
            serde_json::Value::String(s) => Self::parse(s),
            _ => None,
        };
        parsed.ok_or_else(|| de::Error::custom(format!("{v} is not a timestamp")))
    }
}

/// `deserialize_with` helper: optional timestamp; `null`, `""` or missing give `None`.
pub fn opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => Timestamp::deserialize(v)
            .map(Some)
            .map_err(de::Error::custom),
    }
}
