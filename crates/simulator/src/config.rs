//! Simulator configuration.

/// How to start a [`crate::Simulator`].
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Emit every list as a JSON array, even with one member (turns off quirk §9.1).
    pub always_arrays: bool,
    /// Server quirks on (default). `false` behaves like `always_arrays = true`.
    pub quirks: bool,
    /// Run the demo script of visitors.
    pub demo: bool,
    /// Demo pace: 1.0 = human pace, 20.0 = twenty times faster.
    pub demo_speed: f64,
    /// Run the timers (offer window, chatTimeout) on real time in the background every 250 ms.
    /// `advance_clock` always runs them too.
    pub background_timers: bool,
    /// How `fromEventIds` of Retrieve Data for Multiple Chats is read (spec §4.13: ambiguous).
    pub from_event_ids: FromEventIds,
    /// Whether an agent can still read a chat after it was transferred away (spec §7 row 6).
    pub transferred_chats: TransferredChats,
    /// `chatTimeout` in seconds (spec §4.17: 40): a chatting chat its agent has not touched for
    /// this long is requeued or disconnected.
    pub chat_timeout_secs: u32,
    /// How the survey structure writes booleans and numbers (spec §4.25 [INF]: the sibling
    /// examples differ).
    pub survey_values: SurveyValues,
    /// What `GET {C}/survey` answers when the chat's skill has no survey (the docs do not say).
    pub no_survey: NoSurvey,
    /// A `rich-content` line without `text` is refused with 400 (a third-party client reports
    /// that `text` must be present). Off by default: the line is kept with `""`.
    pub rich_content_needs_text: bool,
    /// Serve https with a CA and a server certificate made at start (see
    /// [`crate::Simulator::ca_pem`]); the domain lookup and every link then say `https`. Off by
    /// default, or on with `AGENT_DESK_SIM_TLS=1` (so whole suites can run over https).
    pub tls: bool,
    /// Which server certificate the https mode serves (test hooks: expired, wrong name).
    pub tls_cert: crate::tls::TlsCert,
}

/// The two flavours of the survey structure's scalars (spec §4.25 [INF]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyValues {
    /// Everything as text: `"mandatory":"true"`, `"order":"0"`, `"id":"12786273"` (default; the
    /// shape the spec prints).
    Strings,
    /// Real JSON booleans and numbers: `"mandatory":true`, `"order":0`, `"id":12786273`.
    Typed,
}

/// The answer of `GET {C}/survey` when there is no survey for the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSurvey {
    /// 200 `{"survey":null}` (default).
    Null,
    /// 404 with the simulator's JSON error body.
    NotFound,
}

/// The two readings of `fromEventIds` (spec §4.13). Both are plausible from the docs, so the
/// simulator plays both and the client must be correct under each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromEventIds {
    /// The literal reading of the seed: "the last event ids": events with a **greater** id.
    After,
    /// Like `from` on the events resource: events with an id **greater or equal**.
    From,
}

impl FromEventIds {
    /// The reading named by `AGENT_DESK_SIM_FROM_EVENT_IDS` (`after` | `from`), else `After`.
    /// Lets a test run execute whole suites under the other reading.
    pub fn from_env() -> FromEventIds {
        match std::env::var("AGENT_DESK_SIM_FROM_EVENT_IDS").as_deref() {
            Ok("from" | "inclusive") => FromEventIds::From,
            _ => FromEventIds::After,
        }
    }

    /// The first event id a reply includes for a given `fromEventIds` value.
    pub fn first_id(self, given: i64) -> u64 {
        match self {
            FromEventIds::After => (given.saturating_add(1)).max(0) as u64,
            FromEventIds::From => given.max(0) as u64,
        }
    }
}

/// What the agent who transferred a chat away (or lost it) may still do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferredChats {
    /// Reads keep working (as for an ended chat) and show what happens after, the next agent's
    /// conversation included; writes are refused with 403. The multi-chat call still lists it.
    Readable,
    /// Every access is refused with 403 and the multi-chat call leaves the chat out.
    Forbidden,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            // `AGENT_DESK_SIM_ALWAYS_ARRAYS=1` lets a test run execute whole suites without the
            // one-element-list quirk too.
            always_arrays: std::env::var("AGENT_DESK_SIM_ALWAYS_ARRAYS").is_ok_and(|v| v == "1"),
            quirks: true,
            demo: false,
            demo_speed: 1.0,
            background_timers: true,
            from_event_ids: FromEventIds::from_env(),
            transferred_chats: TransferredChats::Readable,
            chat_timeout_secs: 40,
            survey_values: SurveyValues::Strings,
            no_survey: NoSurvey::Null,
            rich_content_needs_text: false,
            tls: tls_from_env(),
            tls_cert: crate::tls::TlsCert::Valid,
        }
    }
}

/// `AGENT_DESK_SIM_TLS=1`: every simulator started with the default config serves https.
pub fn tls_from_env() -> bool {
    std::env::var("AGENT_DESK_SIM_TLS").is_ok_and(|v| v == "1")
}

impl SimConfig {
    /// True when one-element lists must stay arrays.
    pub fn arrays(&self) -> bool {
        self.always_arrays || !self.quirks
    }
}
