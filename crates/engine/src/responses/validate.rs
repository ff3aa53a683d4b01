//! The rules a response must meet, shared by add/update and the import.

use super::ResponseInput;
use crate::error::EngineError;
use crate::events::{ErrorCode, TextType};
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) const MAX_TITLE: usize = 200;
pub(crate) const MAX_TEXT: usize = 20_000;
pub(crate) const MAX_CATEGORY: usize = 100;
pub(crate) const DEFAULT_CATEGORY: &str = "General";

/// A response that passed the rules, ready to store (`card` as JSON text).
#[derive(Debug, Clone)]
pub(crate) struct Valid {
    pub title: String,
    pub text: String,
    pub text_type: TextType,
    pub card: Option<String>,
    pub category: String,
    pub hotkey: Option<u8>,
}

/// An agent-facing refusal.
pub(crate) fn bad(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorCode::InvalidInput, message)
}

/// Checks a response; the error names the field (`hotkey 12 is not 1-9`). HTML text is
/// sanitised like visitor HTML, so what the library stores is safe to show.
pub(crate) fn input(i: &ResponseInput) -> Result<Valid, String> {
    let title = i.title.trim().to_string();
    if title.is_empty() {
        return Err("title is empty".into());
    }
    if title.chars().count() > MAX_TITLE {
        return Err(format!("title is longer than {MAX_TITLE} characters"));
    }
    let text = match i.text_type {
        TextType::Html => crate::sanitize::clean_html(&i.text),
        TextType::Plain | TextType::RichContent => i.text.clone(),
    };
    if text.trim().is_empty() {
        return Err("text is empty".into());
    }
    if text.chars().count() > MAX_TEXT {
        return Err(format!("text is longer than {MAX_TEXT} characters"));
    }
    let category = match i.category.trim() {
        "" => DEFAULT_CATEGORY.to_string(),
        c if c.chars().count() > MAX_CATEGORY => {
            return Err(format!("category is longer than {MAX_CATEGORY} characters"));
        }
        c => c.to_string(),
    };
    if let Some(h) = i.hotkey
        && !(1..=9).contains(&h)
    {
        return Err(format!("hotkey {h} is not 1-9"));
    }
    let card = match (&i.card, i.text_type) {
        (None | Some(serde_json::Value::Null), TextType::RichContent) => {
            return Err("card is missing (a rich-content response needs one)".into());
        }
        (None | Some(serde_json::Value::Null), _) => None,
        (Some(_), TextType::Plain | TextType::Html) => {
            return Err("card is only allowed with textType rich-content".into());
        }
        (Some(card), TextType::RichContent) => {
            let has_type = card
                .as_object()
                .ok_or_else(|| "card is not a JSON object".to_string())?
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| !t.trim().is_empty());
            if !has_type {
                return Err("card has no \"type\"".into());
            }
            Some(serde_json::to_string(card).map_err(|e| format!("card: {e}"))?)
        }
    };
    Ok(Valid {
        title,
        text,
        text_type: i.text_type,
        card,
        category,
        hotkey: i.hotkey,
    })
}

/// The title of the response (other than `except`) that already has `hotkey`, if any.
pub(crate) fn hotkey_holder(
    db: &Connection,
    hotkey: Option<u8>,
    except: Option<i64>,
) -> Result<Option<String>, EngineError> {
    let Some(h) = hotkey else {
        return Ok(None);
    };
    Ok(db
        .query_row(
            "SELECT title FROM responses WHERE hotkey = ?1 AND id IS NOT ?2",
            params![h, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Fails when another response has `hotkey`.
pub(crate) fn hotkey_free(
    db: &Connection,
    hotkey: Option<u8>,
    except: Option<i64>,
) -> Result<(), EngineError> {
    match (hotkey, hotkey_holder(db, hotkey, except)?) {
        (Some(h), Some(title)) => Err(bad(format!("hotkey {h} is already used by \"{title}\""))),
        _ => Ok(()),
    }
}
