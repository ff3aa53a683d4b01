//! The request log: one record per API request (not `/_sim/`).

use serde::Serialize;

/// One API request as the simulator saw it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    /// HTTP method on the wire (`POST` for overridden requests).
    pub method: String,
    /// Path as requested (with any `.json` suffix).
    pub path: String,
    /// Raw query string ("" when none).
    pub query: String,
    /// `X-HTTP-Method-Override` value, if sent.
    pub override_method: Option<String>,
    /// Status answered (0 when the connection was dropped).
    pub status: u16,
    /// Simulator time of the request, epoch ms.
    pub at: i64,
}
