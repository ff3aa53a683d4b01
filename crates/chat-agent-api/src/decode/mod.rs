//! Tolerant decoding helpers, written once and used by every model (spec §9).

pub(crate) mod enums;
mod flex;
mod link;
mod one_or_many;
pub(crate) mod surrogates;
mod timestamp;

pub use enums::{
    AvailabilityState, ChatState, EventType, QuestionType, Source, SubType, SystemMessage,
    TextType, Typing, ValidationType,
};
pub use flex::{
    FlexI64, Limit, i64_flex, opt_bool_flex, opt_f64_flex, opt_i64_flex, opt_limit, opt_text,
    text_or_empty,
};
pub use link::{Link, Links};
pub use one_or_many::OneOrMany;
pub use timestamp::{Timestamp, opt_timestamp};

use crate::error::ApiError;
use serde::de::DeserializeOwned;

/// Decodes `raw` as `T`, keeping the JSON path of the first failure and the raw body. Lone
/// UTF-16 surrogate escapes in strings are read as U+FFFD first (spec §9 quirk 16); the raw body
/// kept in an error is the one the server sent.
pub fn decode_json<T: DeserializeOwned>(raw: &str, status: u16) -> Result<T, ApiError> {
    let text = surrogates::repair_lone_surrogates(raw);
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Decode {
            status,
            path,
            message: e.into_inner().to_string(),
            raw: raw.to_string(),
        }
    })?;
    de.end().map_err(|e| ApiError::Decode {
        status,
        path: ".".to_string(),
        message: e.to_string(),
        raw: raw.to_string(),
    })?;
    Ok(value)
}
