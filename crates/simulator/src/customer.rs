//! SSO-authenticated visitors (spec §4.17 `participantId`, §4.27 participant extended info).

use serde_json::{Value, json};

use crate::error::SimError;
use crate::state::hex;

/// A random GUID in the 8-4-4-4-12 form, like the docs' `participantId`.
pub fn guid() -> String {
    format!("{}-{}-{}-{}-{}", hex(8), hex(4), hex(4), hex(4), hex(12))
}

/// Checks a customer object of the §4.27 shape and returns it with its participant id: the one
/// in `authenticatedParticipantInfo.participantId` when given (string or number), else a new
/// GUID written into the object. `authenticatedPersonalInfo` is optional; other keys are kept.
pub fn admit(mut customer: Value) -> Result<(Value, String), SimError> {
    let bad = |why: &str| SimError::BadCustomer(why.to_string());
    let Some(obj) = customer.as_object_mut() else {
        return Err(bad("customer must be an object"));
    };
    let Some(info) = obj
        .get_mut("authenticatedParticipantInfo")
        .and_then(Value::as_object_mut)
    else {
        return Err(bad(
            "customer.authenticatedParticipantInfo must be an object",
        ));
    };
    let given = match info.get("participantId") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let pid = given.unwrap_or_else(guid);
    info.insert("participantId".into(), json!(pid));
    Ok((customer, pid))
}

const FIRST: [&str; 8] = [
    "Vera", "Milo", "Priya", "Jonas", "Aiko", "Lena", "Omar", "Sofia",
];
const LAST: [&str; 8] = [
    "Lindqvist",
    "Okafor",
    "Raman",
    "Becker",
    "Tanaka",
    "Novak",
    "Haddad",
    "Moreau",
];

/// A plausible customer (spec §4.27 shape) for demo and tests; `n` picks the person (vip or
/// regular, balance, registration date, contacts). The participant id is left for [`admit`].
pub fn demo_customer(n: usize) -> Value {
    demo_customer_named(n, FIRST[n % FIRST.len()])
}

/// [`demo_customer`] with the given first name (the demo uses the visitor's name).
pub fn demo_customer_named(n: usize, first: &str) -> Value {
    let last = LAST[(n / 2 + n) % LAST.len()];
    let vip = n.is_multiple_of(4);
    let status = ["active", "active", "suspended", "cancelled"][n % 4];
    let balance = [1250.0, -400.99, 0.0, 87.5, -12.3][n % 5];
    let customer_id = format!("{:04x}-{}", 0x57ac + n, 100_000 + n * 7919 % 900_000);
    let email = format!(
        "{}.{}@example.com",
        first.to_ascii_lowercase(),
        last.to_ascii_lowercase()
    );
    let mut contacts = vec![json!({"email": email, "phone": format!("+1-555-01{:02}", n % 100)})];
    if n % 3 == 1 {
        contacts.push(json!({"email": format!("{}@work.example.org", first.to_ascii_lowercase())}));
    }
    json!({
        "authenticatedParticipantInfo": {
            "isUserAuthenticated": true,
            "customerId": customer_id,
            "balance": balance,
            "registrationDate": {"year": 2012 + (n % 12) as i64, "month": 1 + (n % 12) as i64, "day": 1 + (n * 7 % 28) as i64},
            "customerStatus": status,
            "customerType": if vip { "vip" } else { "regular" },
        },
        "authenticatedPersonalInfo": {
            "name": first,
            "surname": last,
            "contacts": contacts,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admit_keeps_or_makes_the_participant_id() {
        let (c, pid) = admit(json!({"authenticatedParticipantInfo": {"participantId": "p-1"}}))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(pid, "p-1");
        assert_eq!(c["authenticatedParticipantInfo"]["participantId"], "p-1");
        let (c, pid) = admit(demo_customer(3)).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(pid.len(), 36);
        assert_eq!(c["authenticatedParticipantInfo"]["participantId"], pid);
        assert!(admit(json!("x")).is_err());
        assert!(admit(json!({"authenticatedPersonalInfo": {}})).is_err());
    }
}
