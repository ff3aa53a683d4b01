//! Table tests of the wrap-up decoders: survey structure in both flavours (text scalars and
//! JSON booleans/numbers), missing fields, unknown types; participant info with numbers as
//! strings; the rich-content line event.

use crate::common::{always_arrays, bare_singletons, fixture};
use chat_agent_api::decode::decode_json;
use chat_agent_api::model::*;
use chat_agent_api::{EventKind, QuestionType, SurveyAnswer, TextType, ValidationType};
use serde_json::json;

/// One question as the simulator writes it in each flavour.
const STRINGS: &str = r#"{"survey":{"id":"40216","title":"","header":"Sales wrap-up","questions":{"question":[
 {"id":"12786270","logicId":"1","order":"0","mandatory":"true","type":"Dropdown Box","validationType":"alpha_numeric","label":"Contact reason","entry":[{"checked":"false","value":"Pricing"},{"checked":"false","value":"Other"}]},
 {"id":"12786272","logicId":"3","order":"2","mandatory":"false","type":"Checkbox","validationType":"alpha_numeric","label":"Follow-up needed","entry":{"checked":"false","value":"Yes","logic":{"showLogicId":"4"}}},
 {"id":"12786273","logicId":"4","order":"3","mandatory":"true","type":"Text Field","validationType":"email","label":"Follow-up email"},
 {"id":"12786274","logicId":"5","order":"4","mandatory":"false","type":"Text Field","validationType":"numeric","label":"Order number","lastKnownValue":"100245"}]}}}"#;

const TYPED: &str = r#"{"survey":{"id":40216,"title":"","header":"Sales wrap-up","questions":{"question":[
 {"id":12786270,"logicId":1,"order":0,"mandatory":true,"type":"Dropdown Box","validationType":"alpha_numeric","label":"Contact reason","entry":[{"checked":false,"value":"Pricing"},{"checked":false,"value":"Other"}]},
 {"id":12786272,"logicId":3,"order":2,"mandatory":false,"type":"Checkbox","validationType":"alpha_numeric","label":"Follow-up needed","entry":{"checked":false,"value":"Yes","logic":{"showLogicId":4}}},
 {"id":12786273,"logicId":4,"order":3,"mandatory":true,"type":"Text Field","validationType":"email","label":"Follow-up email"},
 {"id":12786274,"logicId":5,"order":4,"mandatory":false,"type":"Text Field","validationType":"numeric","label":"Order number","lastKnownValue":100245}]}}}"#;

fn survey(raw: &str) -> Survey {
    let r: SurveyResponse = decode_json(raw, 200).unwrap_or_else(|e| panic!("{e}\n{raw}"));
    r.survey.expect("a survey")
}

#[test]
fn both_flavours_and_both_list_shapes_decode_alike() {
    let strings = survey(STRINGS);
    assert_eq!(
        strings,
        survey(TYPED),
        "the flavours differ only on the wire"
    );
    for shape in [bare_singletons, always_arrays] {
        let v: serde_json::Value = serde_json::from_str(STRINGS).unwrap();
        let r: SurveyResponse = serde_json::from_value(shape(&v)).unwrap();
        assert_eq!(r.survey.unwrap(), strings);
    }
    let qs = strings.all_questions();
    assert_eq!(strings.id.as_deref(), Some("40216"));
    assert_eq!(qs.len(), 4);
    assert_eq!(qs[0].id, "12786270");
    assert!(qs[0].is_mandatory());
    assert_eq!(qs[0].question_type, Some(QuestionType::DropdownBox));
    assert!(qs[0].question_type.as_ref().unwrap().is_choice());
    assert_eq!(qs[1].question_type, Some(QuestionType::Checkbox));
    assert!(qs[1].question_type.as_ref().unwrap().allows_many());
    assert_eq!(qs[1].entry.as_slice()[0].show_logic_id(), Some("4"));
    assert_eq!(qs[2].validation_type, Some(ValidationType::Email));
    assert_eq!(qs[3].validation_type, Some(ValidationType::Numeric));
    assert_eq!(qs[3].last_known_value.as_deref(), Some("100245"));
    // show-logic: the email shows only once follow-up is ticked
    let ids = |qs: Vec<&SurveyQuestion>| qs.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(strings.shown_questions(&[])),
        ["12786270", "12786272", "12786274"]
    );
    let ticked = [SurveyAnswer::one("12786272", "Yes")];
    assert_eq!(strings.shown_questions(&ticked).len(), 4);
}

#[test]
fn missing_fields_unknown_types_and_odd_shapes_never_fail() {
    let table = [
        // (body, questions, first question's type)
        (r#"{"survey":{}}"#, 0, None),
        (r#"{"survey":{"questions":null}}"#, 0, None),
        (r#"{"survey":{"question":{"label":"bare"}}}"#, 1, None),
        (
            r#"{"survey":{"questions":{"question":{"id":"1","type":"Star Rating"}}}}"#,
            1,
            Some(QuestionType::Other("Star Rating".into())),
        ),
        (
            r#"{"survey":{"questions":{"question":[{"@id":7,"type":"Radio Button (side by side)","entry":null}]}}}"#,
            1,
            Some(QuestionType::RadioButtonSideBySide),
        ),
        (
            r#"{"survey":{"questions":{"question":[{"id":"2","mandatory":"","order":"","validationType":"postcode","label":5}]}}}"#,
            1,
            None,
        ),
    ];
    for (raw, n, kind) in table {
        let s = survey(raw);
        let qs = s.all_questions();
        assert_eq!(qs.len(), n, "{raw}");
        if let Some(q) = qs.first() {
            assert_eq!(q.question_type, kind, "{raw}");
        }
    }
    let odd = survey(
        r#"{"survey":{"questions":{"question":[{"id":"2","validationType":"postcode","label":5}]}}}"#,
    );
    let q = odd.all_questions()[0].clone();
    assert_eq!(
        q.validation_type,
        Some(ValidationType::Other("postcode".into()))
    );
    assert_eq!(q.label.as_deref(), Some("5"));
    assert!(!q.is_mandatory());
    let none: SurveyResponse = decode_json(r#"{"survey":null}"#, 200).unwrap();
    assert_eq!(none.survey, None);
    let none: SurveyResponse = decode_json("{}", 200).unwrap();
    assert_eq!(none.survey, None);
}

#[test]
fn a_malformed_survey_is_a_typed_decode_error() {
    let raw = r#"{"survey":{"id":"40299","questions":{"question":[{"id":["not","an","id"],"order":"first","mandatory":"perhaps","entry":7}]}}}"#;
    match decode_json::<SurveyResponse>(raw, 200) {
        Err(chat_agent_api::ApiError::Decode {
            path, raw: kept, ..
        }) => {
            assert!(path.starts_with("survey.questions.question"), "{path}");
            assert_eq!(kept, raw);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn participant_info_as_the_spec_prints_it_and_with_text_numbers() {
    let spec: ParticipantInfo =
        decode_json(&fixture("spec_4_27_participant_info.json"), 200).unwrap();
    let texty: ParticipantInfo = decode_json(
        r#"{"authenticatedParticipantInfo":{"isUserAuthenticated":"true","participantId":"55fc1779-…",
            "customerId":"57ac-…","balance":"-400.99","registrationDate":{"year":"2013","month":"5","day":"23"},
            "customerStatus":"cancelled","customerType":"vip"},
           "authenticatedPersonalInfo":{"name":"Test","surname":"User","contacts":{"email":"t@x.com","phone":"+1-10-344"}}}"#,
        200,
    )
    .unwrap();
    assert_eq!(spec, texty);
    let p = texty.authenticated_participant_info.unwrap();
    assert_eq!(p.balance, Some(-400.99));
    assert_eq!(
        p.registration_date,
        Some(SimpleDate {
            year: Some(2013),
            month: Some(5),
            day: Some(23)
        })
    );
    // the second object is optional; parts may be missing
    let bare: ParticipantInfo = decode_json(
        r#"{"authenticatedParticipantInfo":{"participantId":"p","balance":"","registrationDate":{"year":2020},"contacts":[]}}"#,
        200,
    )
    .unwrap();
    assert!(bare.authenticated_personal_info.is_none());
    let p = bare.authenticated_participant_info.unwrap();
    assert_eq!(p.balance, None);
    assert_eq!(p.registration_date.unwrap().month, None);
    let phone: Contact = serde_json::from_value(json!({"phone": 5550100})).unwrap();
    assert_eq!(phone.phone.as_deref(), Some("5550100"));
}

#[test]
fn rich_content_line_keeps_its_card() {
    let table = [
        json!({"type": "vertical", "elements": [{"type": "text", "text": "Hi"}]}),
        json!("a card that is a string"),
        json!({"type": "carousel", "elements": [{"type": "hologram"}]}),
    ];
    for card in table {
        let raw = json!({"event": {"@id": "7", "@type": "line", "time": "2018-01-29T08:19:56.782-05:00",
            "textType": "rich-content", "text": "Hi", "json": card, "by": "visitor",
            "source": "visitor", "subType": "REGULAR"}});
        let e: Event = serde_json::from_value(raw["event"].clone()).unwrap();
        let EventKind::Line(l) = e.kind else {
            panic!("a line")
        };
        assert_eq!(l.text_type, TextType::RichContent);
        assert_eq!(l.json, Some(card));
    }
}
