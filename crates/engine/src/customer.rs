//! The customer behind an authenticated visitor (spec §4.27), as the customer panel shows it.

use chat_agent_api::model::ParticipantInfo;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One way to reach the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CustomerContact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What the account knows about an SSO-authenticated visitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CustomerProfile {
    pub participant_id: String,
    pub customer_id: Option<String>,
    pub customer_type: Option<String>,
    pub customer_status: Option<String>,
    pub balance: Option<f64>,
    /// `YYYY-MM-DD`, when the server sent a valid date.
    pub registration_date: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub contacts: Vec<CustomerContact>,
}

/// Where a chat's customer details stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum CustomerInfo {
    /// Being fetched.
    Loading,
    /// Fetched (once per chat).
    Loaded { profile: CustomerProfile },
    /// The server would not give them; `message` says why.
    Failed { message: String },
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect())
}

impl CustomerProfile {
    /// Reads the wire's reply; `participant_id` is the one asked for when the reply omits it.
    pub fn from_wire(participant_id: &str, info: &ParticipantInfo) -> Self {
        let p = info
            .authenticated_participant_info
            .clone()
            .unwrap_or_default();
        let person = info.authenticated_personal_info.clone().unwrap_or_default();
        let registration_date = p.registration_date.as_ref().and_then(|d| {
            let (y, m, day) = (d.year?, d.month?, d.day?);
            let ok = (1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&day);
            ok.then(|| format!("{y:04}-{m:02}-{day:02}"))
        });
        Self {
            participant_id: clean(&p.participant_id).unwrap_or_else(|| participant_id.to_string()),
            customer_id: clean(&p.customer_id),
            customer_type: clean(&p.customer_type),
            customer_status: clean(&p.customer_status),
            balance: p.balance.filter(|b| b.is_finite()),
            registration_date,
            name: clean(&person.name),
            surname: clean(&person.surname),
            contacts: person
                .contacts
                .iter()
                .take(20)
                .map(|c| CustomerContact {
                    email: clean(&c.email),
                    phone: clean(&c.phone),
                })
                .filter(|c| c.email.is_some() || c.phone.is_some())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_sample_and_drops_nonsense() {
        let info: ParticipantInfo = serde_json::from_str(
            r#"{"authenticatedParticipantInfo":{"isUserAuthenticated":true,"participantId":"55fc","customerId":"57ac",
              "balance":-400.99,"registrationDate":{"year":2013,"month":5,"day":23},"customerStatus":"cancelled","customerType":"vip"},
             "authenticatedPersonalInfo":{"name":"Test","surname":"User","contacts":[{"email":"t@x.com","phone":"+1-10-344"},{}]}}"#,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let p = CustomerProfile::from_wire("asked", &info);
        assert_eq!(p.participant_id, "55fc");
        assert_eq!(p.balance, Some(-400.99));
        assert_eq!(p.registration_date.as_deref(), Some("2013-05-23"));
        assert_eq!(p.contacts.len(), 1);
        assert_eq!(p.name.as_deref(), Some("Test"));

        let bare: ParticipantInfo = serde_json::from_str(
            r#"{"authenticatedParticipantInfo":{"registrationDate":{"year":2013,"month":13,"day":1},"customerId":"  "}}"#,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let p = CustomerProfile::from_wire("asked", &bare);
        assert_eq!(p.participant_id, "asked");
        assert_eq!(p.registration_date, None);
        assert_eq!(p.customer_id, None);
    }
}
