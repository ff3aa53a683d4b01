//! Shared test helpers: fixtures and the two list shapes of spec §9 quirk 1.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

pub mod sim;

/// Keys whose values are lists in the API (one-or-many).
pub const LIST_KEYS: &[&str] = &[
    "link",
    "event",
    "chat",
    "chatSession",
    "agent",
    "skill",
    "skillInfo",
    "question",
    "entry",
    "baseURIs",
    "contacts",
];

/// Reads `tests/fixtures/{name}`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quirky server shape: every one-element list becomes a bare value.
pub fn bare_singletons(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Array(a) if a.len() == 1 && LIST_KEYS.contains(&k.as_str()) => {
                            bare_singletons(&a[0])
                        }
                        other => bare_singletons(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(bare_singletons).collect()),
        other => other.clone(),
    }
}

/// The `always_arrays` shape: every list value is an array, even with one member. (At the root,
/// `chat` is the chat resource itself, not a list.)
pub fn always_arrays(v: &Value) -> Value {
    arrays_at(v, "")
}

fn arrays_at(v: &Value, parent: &str) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    // `chat` is a list only inside `chats` (elsewhere it is the resource or availability).
                    let listy =
                        LIST_KEYS.contains(&k.as_str()) && (k != "chat" || parent == "chats");
                    let v = match v {
                        Value::Array(a) => {
                            Value::Array(a.iter().map(|x| arrays_at(x, k)).collect())
                        }
                        Value::Null => Value::Null,
                        other if listy => Value::Array(vec![arrays_at(other, k)]),
                        other => arrays_at(other, k),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| arrays_at(x, parent)).collect()),
        other => other.clone(),
    }
}
