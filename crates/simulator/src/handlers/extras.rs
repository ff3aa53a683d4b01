//! Survey and participant info (spec §4.25-4.27).

use serde_json::{Value, json};

use crate::config::NoSurvey;
use crate::reply::{Reply, ReplyBody};
use crate::request::Req;
use crate::state::SimState;
use crate::survey::{self, SubmittedSurvey, SurveyMode, defs};

fn no_survey(st: &SimState) -> Reply {
    match st.cfg.no_survey {
        NoSurvey::Null => Reply::json(200, json!({"survey": null})),
        NoSurvey::NotFound => Reply::error(404, "no survey for this chat", st.now()),
    }
}

fn survey_def(st: &SimState, ci: usize) -> Option<&'static defs::SurveyDef> {
    let c = &st.chats[ci];
    match c.survey_mode {
        SurveyMode::Skill => defs::for_skill(c.skill_id),
        SurveyMode::None | SurveyMode::Malformed => None,
    }
}

/// `GET {C}/survey` (spec §4.25 [INF] shape): the survey of the chat's skill, in the flavour of
/// `SimConfig::survey_values`, lists as `always_arrays` says. Readable after the chat ended (it
/// is the wrap-up); the optional query inputs are ignored.
pub fn survey(st: &SimState, ci: usize) -> Reply {
    if st.chats[ci].survey_mode == SurveyMode::Malformed {
        return Reply::json(200, survey::malformed());
    }
    match survey_def(st, ci) {
        Some(def) => Reply::json(
            200,
            survey::structure(def, st.cfg.survey_values, st.cfg.arrays()),
        ),
        None => no_survey(st),
    }
}

/// `PUT {C}/survey` (spec §4.26, [INF] JSON body): checked against the survey; a bad
/// submission gets 400 naming the question (`error.questionId`) and stores nothing; a good one
/// replaces any earlier one. 200, empty body. Also after the chat ended.
pub fn submit_survey(st: &mut SimState, req: &Req, ci: usize) -> Reply {
    let now = st.now();
    let Some(def) = survey_def(st, ci) else {
        return Reply::error(404, "no survey for this chat", now);
    };
    match survey::check(def, &req.body) {
        Ok(answers) => {
            let chat = &mut st.chats[ci];
            let submissions = chat.survey_answers.as_ref().map_or(0, |s| s.submissions) + 1;
            chat.survey_answers = Some(SubmittedSurvey {
                survey_id: def.id.to_string(),
                submitted_at: now,
                submissions,
                answers,
            });
            Reply::empty(200)
        }
        Err(rejection) => {
            let mut reply = Reply::error(400, &rejection.message, now);
            if let (ReplyBody::Json(v), Some(q)) = (&mut reply.body, rejection.question_id)
                && let Some(e) = v.get_mut("error").and_then(Value::as_object_mut)
            {
                e.insert("questionId".into(), json!(q));
            }
            reply
        }
    }
}

/// `GET {S}/participantExtendedInfo/{id}` (spec §4.27): the customer object of the
/// SSO-authenticated visitor with this participant id, for any agent session; 404 when no chat
/// has it.
pub fn participant(st: &SimState, participant_id: &str) -> Reply {
    st.chats
        .iter()
        .find(|c| c.participant_id.as_deref() == Some(participant_id))
        .and_then(|c| c.customer.clone())
        .map(|v| Reply::json(200, v))
        .unwrap_or_else(|| Reply::error(404, "participant not found", st.now()))
}
