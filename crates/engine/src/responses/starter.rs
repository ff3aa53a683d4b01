//! The starter set: a dozen replies an agent actually sends, put in once per data folder.

use super::validate::{self, bad};
use super::{INITIALISED_SETTING, ResponseInput, insert};
use crate::error::EngineError;
use crate::events::TextType;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// (category, title, text, hotkey)
const STARTER: &[(&str, &str, &str, Option<u8>)] = &[
    (
        "Greeting",
        "Welcome",
        "Hi {visitorName}, thanks for reaching out! My name is {agentName}. How can I help you today?",
        Some(1),
    ),
    (
        "Greeting",
        "Welcome back",
        "Welcome back, {visitorName}! I can see our earlier conversation, so there is no need to repeat anything. What can I do for you now?",
        None,
    ),
    (
        "Greeting",
        "Ask for order number",
        "So I can look into this for you, could you share your order number? It starts with a # and is in your confirmation email.",
        Some(2),
    ),
    (
        "Hold",
        "Checking, one moment",
        "Thanks for your patience, {visitorName}. I'm checking this for you now; it should take about two minutes.",
        Some(3),
    ),
    (
        "Hold",
        "Still working on it",
        "I'm still on it and haven't forgotten you. Thanks for bearing with me a little longer.",
        Some(4),
    ),
    (
        "Hold",
        "Passing to a colleague",
        "This is best handled by our {skill} team. I'm transferring you now; they will see everything we discussed, so you won't need to start over.",
        None,
    ),
    (
        "Closing",
        "Anything else?",
        "Is there anything else I can help you with today?",
        Some(5),
    ),
    (
        "Closing",
        "Goodbye",
        "Thank you for chatting with us, {visitorName}. Have a great day!",
        Some(6),
    ),
    (
        "Closing",
        "No reply, closing",
        "I haven't heard back from you for a few minutes, so I'll close this chat now. You can start a new one at any time and we'll pick up from here.",
        None,
    ),
    (
        "Billing",
        "Refund policy",
        "You can ask for a full refund within 30 days of purchase. Once approved, the money goes back to your original payment method within 5-10 business days.",
        None,
    ),
    (
        "Billing",
        "Charged twice",
        "I'm sorry about the double charge. The second payment is usually a pending authorisation that your bank releases within 3-5 business days. If it is still there after that, let me know and I'll refund it right away.",
        None,
    ),
    (
        "Billing",
        "Update payment card",
        "You can change the card we charge under Account > Billing > Payment methods. Add the new card, set it as default, and the next invoice will use it.",
        None,
    ),
];

/// Puts the starter set in the first time a library is opened in this data folder (remembered
/// in a setting, so deleting every response does not bring it back). A library that already
/// holds responses (filled before the setting existed) is left as it is.
pub(crate) fn seed_once(db: &mut Connection) -> Result<(), EngineError> {
    let seeded = |db: &Connection| -> Result<bool, EngineError> {
        Ok(db
            .query_row(
                "SELECT 1 FROM settings WHERE key = ?1",
                params![INITIALISED_SETTING],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    if seeded(db)? {
        return Ok(());
    }
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if seeded(&tx)? {
        return Ok(());
    }
    let empty: bool = tx.query_row("SELECT COUNT(*) = 0 FROM responses", [], |r| r.get(0))?;
    if empty {
        for (category, title, text, hotkey) in STARTER {
            let input = ResponseInput {
                title: (*title).into(),
                text: (*text).into(),
                text_type: TextType::Plain,
                card: None,
                category: (*category).into(),
                hotkey: *hotkey,
            };
            let valid = validate::input(&input).map_err(bad)?;
            insert(&tx, &valid)?;
        }
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, '1') ON CONFLICT (key) DO NOTHING",
        params![INITIALISED_SETTING],
    )?;
    tx.commit()?;
    Ok(())
}
