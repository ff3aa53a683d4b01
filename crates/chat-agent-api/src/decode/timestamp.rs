//! Timestamps: ISO-8601 with or without millis, or epoch milliseconds (spec §9 quirk 6).

use serde::de::{self, Deserialize, Deserializer, Visitor};
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

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO-8601 timestamp or epoch milliseconds")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Timestamp::from_epoch_ms(v)
            .map(Some)
            .ok_or_else(|| E::custom(format!("{v} is not a timestamp")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let ms = i64::try_from(v).map_err(|_| E::custom(format!("{v} is not a timestamp")))?;
        self.visit_i64(ms)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        Timestamp::parse(v)
            .map(Some)
            .ok_or_else(|| E::custom(format!("{v:?} is not a timestamp")))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimestampVisitor)?
            .ok_or_else(|| de::Error::custom("empty value is not a timestamp"))
    }
}

/// `deserialize_with` helper: optional timestamp; `null`, `""` or missing give `None`.
pub fn opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    d.deserialize_option(TimestampVisitor)
}
