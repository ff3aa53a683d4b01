//! Survey and participant info (spec §4.25-4.27): canned answers.

use serde_json::json;

use crate::reply::Reply;
use crate::request::Req;
use crate::state::SimState;

/// `GET {C}/survey` (spec §4.25 [INF] shape).
pub fn survey(_st: &SimState) -> Reply {
    Reply::json(
        200,
        json!({"survey": {"id": "40216", "title": "", "header": "Agent survey",
        "questions": {"question": [
            {"id": "12786273", "logicId": "4", "order": "0", "mandatory": "true",
             "type": "Dropdown Box", "validationType": "alpha_numeric",
             "label": "What was the topic?",
             "entry": [{"checked": "false", "value": "Sales"}, {"checked": "false", "value": "Billing"}]},
            {"id": "16314710", "logicId": "5", "order": "1", "mandatory": "false",
             "type": "Text Field", "validationType": "alpha_numeric",
             "label": "Notes", "lastKnownValue": ""}
        ]}}}),
    )
}

/// `PUT {C}/survey` (spec §4.26): needs a `survey` object; 200.
pub fn submit_survey(st: &SimState, req: &Req) -> Reply {
    if req.body.get("survey").is_some() {
        Reply::empty(200)
    } else {
        Reply::error(400, "survey is required", st.now())
    }
}

/// `GET {S}/participantExtendedInfo/{id}` (spec §4.27): no visitor of the simulator is
/// SSO-authenticated, so there is never such a participant.
pub fn participant(st: &SimState) -> Reply {
    Reply::error(404, "participant not found", st.now())
}
