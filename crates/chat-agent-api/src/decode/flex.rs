//! Numbers that arrive as JSON numbers or as strings, and `-1` meaning "unlimited".

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// An `i64` decoded from `4`, `"4"`, `4.0` or `" 4 "` (spec §9 quirk 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FlexI64(pub i64);

struct FlexI64Visitor;

impl<'de> Visitor<'de> for FlexI64Visitor {
    type Value = FlexI64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding an integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FlexI64, E> {
        Ok(FlexI64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FlexI64, E> {
        i64::try_from(v)
            .map(FlexI64)
            .map_err(|_| E::custom(format!("integer {v} is too large")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FlexI64, E> {
        if v.fract() == 0.0 && v >= i64::MIN as f64 && v <= i64::MAX as f64 {
            Ok(FlexI64(v as i64))
        } else {
            Err(E::custom(format!("{v} is not an integer")))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FlexI64, E> {
        let t = v.trim();
        if let Ok(n) = t.parse::<i64>() {
            return Ok(FlexI64(n));
        }
        match t.parse::<f64>() {
            Ok(f) => self.visit_f64(f),
            Err(_) => Err(E::custom(format!("{v:?} is not an integer"))),
        }
    }
}

impl<'de> Deserialize<'de> for FlexI64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FlexI64Visitor)
    }
}

/// `deserialize_with` helper: required flexible integer.
pub fn i64_flex<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    FlexI64::deserialize(d).map(|n| n.0)
}

/// `deserialize_with` helper: optional flexible integer; `null` and `""` give `None`.
pub fn opt_i64_flex<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_option(OptFlexVisitor)
}

struct OptFlexVisitor;

impl<'de> Visitor<'de> for OptFlexVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string holding an integer, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(OptFlexVisitor)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        FlexI64Visitor.visit_u64(v).map(|n| Some(n.0))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        FlexI64Visitor.visit_f64(v).map(|n| Some(n.0))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        FlexI64Visitor.visit_str(v).map(|n| Some(n.0))
    }
}

/// `deserialize_with` helper: a boolean sent as `true` or `"true"` (any case), `1`/`"1"` or their
/// false counterparts; `null` gives `None`.
pub fn opt_bool_flex<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(b)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.as_i64() != Some(0))),
        Some(serde_json::Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(de::Error::custom(format!("{s:?} is not a boolean"))),
        },
        Some(other) => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

/// A capacity where the server's `-1` means "no limit" (spec §9 quirk 5): `maxChats`,
/// `@maxChats`, `availableSlots`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// `-1` (or any negative value): no limit.
    Unlimited,
    /// At most this many (`0` = none at all).
    Max(i64),
}

impl Limit {
    /// Whether `current` more would still fit under the limit.
    pub fn allows(&self, current: i64) -> bool {
        match self {
            Limit::Unlimited => true,
            Limit::Max(n) => current < *n,
        }
    }
}

impl From<i64> for Limit {
    fn from(n: i64) -> Self {
        if n < 0 {
            Limit::Unlimited
        } else {
            Limit::Max(n)
        }
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FlexI64::deserialize(d).map(|n| Limit::from(n.0))
    }
}

/// `deserialize_with` helper: optional [`Limit`]; `null`/missing/`""` give `None`.
pub fn opt_limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Limit>, D::Error> {
    opt_i64_flex(d).map(|o| o.map(Limit::from))
}

/// `deserialize_with` helper: text that may arrive as a string or a number (ids such as
/// `chatReasonId`); `null` gives `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// `deserialize_with` helper: text that may arrive as a string or a number; missing is handled
/// by `#[serde(default)]`, `null` gives `""`.
pub fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_text(d).map(Option::unwrap_or_default)
}

/// `deserialize_with` helper: a decimal number sent as a number or as a string (`-400.99`,
/// `"-400.99"`); `null` and `""` give `None`.
pub fn opt_f64_flex<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(n.as_f64()),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{s:?} is not a number"))),
        Some(other) => Err(de::Error::custom(format!("{other} is not a number"))),
    }
}
