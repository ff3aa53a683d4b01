#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use serde_json::json;

fn input(category: &str, title: &str, text: &str) -> ResponseInput {
    ResponseInput {
        title: title.into(),
        text: text.into(),
        text_type: TextType::Plain,
        card: None,
        category: category.into(),
        hotkey: None,
    }
}

/// A library without the starter set.
fn empty() -> (tempfile::TempDir, ResponseLibrary) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = ResponseLibrary::open(dir.path()).unwrap();
    lib.import_json(r#"{"version":1,"responses":[]}"#, ImportMode::Replace)
        .unwrap();
    (dir, lib)
}

fn titles(rs: &[CannedResponse]) -> Vec<&str> {
    rs.iter().map(|r| r.title.as_str()).collect()
}

#[test]
fn the_starter_set_comes_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = ResponseLibrary::open(dir.path()).unwrap();
    let all = lib.list().unwrap();
    assert_eq!(all.len(), 12);
    assert_eq!(
        lib.categories().unwrap(),
        ["Billing", "Closing", "Greeting", "Hold"]
    );
    assert_eq!(all.iter().filter(|r| r.hotkey.is_some()).count(), 6);
    for r in &all {
        lib.delete(r.id).unwrap();
    }
    drop(lib);
    let lib = ResponseLibrary::open(dir.path()).unwrap();
    assert!(
        lib.list().unwrap().is_empty(),
        "deleting all does not bring it back"
    );
}

#[test]
fn add_update_delete_reorder() {
    let (_dir, mut lib) = empty();
    let a = lib.add(&input("Billing", "A", "first")).unwrap();
    let b = lib.add(&input("Billing", "B", "second")).unwrap();
    let c = lib.add(&input("", "C", "third")).unwrap();
    assert_eq!(c.category, "General");
    assert_eq!((a.position, b.position), (0, 1));
    lib.reorder("Billing", &[b.id, a.id]).unwrap();
    assert_eq!(titles(&lib.list().unwrap()), ["B", "A", "C"]);
    let err = lib.reorder("Billing", &[b.id]).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(lib.reorder("Billing", &[a.id, b.id, c.id]).is_err());
    let mut moved = input("General", "A2", "first, changed");
    moved.hotkey = Some(3);
    let a2 = lib.update(a.id, &moved).unwrap();
    assert_eq!(
        (a2.category.as_str(), a2.position, a2.hotkey),
        ("General", 1, Some(3))
    );
    let mut clash = input("Billing", "B", "second");
    clash.hotkey = Some(3);
    let err = lib.update(b.id, &clash).unwrap_err();
    assert_eq!(err.message, "hotkey 3 is already used by \"A2\"");
    lib.delete(a.id).unwrap();
    assert_eq!(lib.delete(a.id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(
        lib.update(a.id, &moved).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(titles(&lib.list().unwrap()), ["B", "C"]);
    // The index follows: the deleted one is not found, the changed one is.
    assert!(lib.search("first", 10).unwrap().is_empty());
    assert_eq!(titles(&lib.search("second", 10).unwrap()), ["B"]);
}

#[test]
fn validation_names_the_field() {
    let (_dir, mut lib) = empty();
    let cases: Vec<(ResponseInput, &str)> = vec![
        (input("X", "  ", "t"), "title is empty"),
        (input("X", "t", " \n"), "text is empty"),
        (
            ResponseInput {
                hotkey: Some(0),
                ..input("X", "t", "t")
            },
            "hotkey 0 is not 1-9",
        ),
        (
            ResponseInput {
                card: Some(json!({"type": "vertical"})),
                ..input("X", "t", "t")
            },
            "card is only allowed with textType rich-content",
        ),
        (
            ResponseInput {
                text_type: TextType::RichContent,
                card: Some(json!(["type"])),
                ..input("X", "t", "t")
            },
            "card is not a JSON object",
        ),
        (
            ResponseInput {
                text_type: TextType::RichContent,
                card: Some(json!({"elements": []})),
                ..input("X", "t", "t")
            },
            "card has no \"type\"",
        ),
        (
            ResponseInput {
                text_type: TextType::RichContent,
                ..input("X", "t", "t")
            },
            "card is missing (a rich-content response needs one)",
        ),
        (
            ResponseInput {
                text_type: TextType::Html,
                ..input("X", "t", "<script>x</script>")
            },
            "text is empty",
        ),
    ];
    for (i, want) in cases {
        let err = lib.add(&i).unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (ErrorCode::InvalidInput, want)
        );
    }
    assert!(lib.list().unwrap().is_empty());
    let card = lib
        .add(&ResponseInput {
            text_type: TextType::RichContent,
            card: Some(json!({"type": "vertical", "elements": []})),
            ..input("X", "Card", "fallback")
        })
        .unwrap();
    assert_eq!(card.card, Some(json!({"type": "vertical", "elements": []})));
    let html = lib
        .add(&ResponseInput {
            text_type: TextType::Html,
            ..input("X", "Html", "<b onclick=x>bold</b><script>y</script>")
        })
        .unwrap();
    assert_eq!(html.text, "<b>bold</b>", "stored sanitised");
}

#[test]
fn search_ranks_title_over_text_and_takes_any_input() {
    let (_dir, mut lib) = empty();
    lib.add(&input(
        "Billing",
        "Card declined",
        "Please try another payment method.",
    ))
    .unwrap();
    lib.add(&input(
        "Greeting",
        "Welcome",
        "Hi! Ask me about refunds or anything else.",
    ))
    .unwrap();
    lib.add(&input(
        "Billing",
        "Refund policy",
        "Full refund within 30 days.",
    ))
    .unwrap();
    // A title match beats a text match, whatever the insertion order.
    assert_eq!(
        titles(&lib.search("refund", 10).unwrap()),
        ["Refund policy", "Welcome"]
    );
    // As you type: every word a prefix.
    assert_eq!(
        titles(&lib.search("ref pol", 10).unwrap()),
        ["Refund policy"]
    );
    // The category is searched too.
    assert_eq!(lib.search("billing", 10).unwrap().len(), 2);
    // Stemming: "refunds" finds "refund".
    assert_eq!(lib.search("refunds", 10).unwrap().len(), 2);
    // No words: the whole library in order, up to the limit.
    assert_eq!(
        titles(&lib.search("  ", 2).unwrap()),
        ["Card declined", "Refund policy"]
    );
    for hostile in [
        "\"",
        "*",
        "NEAR(",
        ")",
        "refund\" OR",
        "title:refund",
        "^",
        "AND OR NOT",
        "'",
    ] {
        assert!(lib.search(hostile, 5).is_ok(), "{hostile}");
    }
    assert_eq!(
        titles(&lib.search("NEAR(refund", 5).unwrap()),
        Vec::<&str>::new()
    );
    assert_eq!(
        titles(&lib.search("\"refund\" pol*", 5).unwrap()),
        ["Refund policy"]
    );
}

#[test]
fn suggest_matches_what_the_visitor_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let lib = ResponseLibrary::open(dir.path()).unwrap();
    let lines = |ls: &[&str]| ls.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let s = lib
        .suggest(&lines(&["hello", "I was charged twice for my order!"]), 3)
        .unwrap();
    assert_eq!(s.first().map(|r| r.title.as_str()), Some("Charged twice"));
    assert!(s.len() <= 3);
    let s = lib.suggest(&lines(&["How do I get a refund?"]), 3).unwrap();
    assert_eq!(s.first().map(|r| r.title.as_str()), Some("Refund policy"));
    let s = lib
        .suggest(
            &lines(&["my card expired, can I change the payment card?"]),
            3,
        )
        .unwrap();
    assert_eq!(
        s.first().map(|r| r.title.as_str()),
        Some("Update payment card")
    );
    // Only stopwords and short words: nothing to suggest.
    assert!(
        lib.suggest(&lines(&["hi, ok, is it?"]), 3)
            .unwrap()
            .is_empty()
    );
    assert!(lib.suggest(&[], 3).unwrap().is_empty());
    assert!(lib.suggest(&lines(&["\"*) NEAR("]), 3).unwrap().is_empty());
}

#[test]
fn export_then_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = ResponseLibrary::open(dir.path()).unwrap();
    lib.add(&ResponseInput {
        text_type: TextType::RichContent,
        card: Some(json!({"type": "vertical", "elements": [{"type": "text", "text": "x"}]})),
        ..input("Cards", "A card", "fallback")
    })
    .unwrap();
    let before = lib.list().unwrap();
    let file = lib.export_json().unwrap();
    let (_dir2, mut other) = empty();
    let report = other.import_json(&file, ImportMode::Replace).unwrap();
    assert_eq!((report.added, report.updated), (13, 0));
    let strip = |rs: Vec<CannedResponse>| {
        rs.into_iter()
            .map(|r| {
                (
                    r.title,
                    r.text,
                    r.text_type,
                    r.card,
                    r.category,
                    r.hotkey,
                    r.position,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(other.list().unwrap()), strip(before));
    // Merge: same category + title updates, a new one is added, hotkeys may move.
    let merge = r#"{"version":1,"responses":[
        {"title":"welcome","category":"Greeting","text":"Hello there","hotkey":9},
        {"title":"New one","text":"New text","hotkey":1}]}"#;
    let report = other.import_json(merge, ImportMode::Merge).unwrap();
    assert_eq!((report.added, report.updated, report.removed), (1, 1, 0));
    let all = other.list().unwrap();
    assert_eq!(all.len(), 14);
    let welcome = all.iter().find(|r| r.title == "welcome").unwrap();
    assert_eq!(
        (welcome.text.as_str(), welcome.hotkey),
        ("Hello there", Some(9))
    );
    let new = all.iter().find(|r| r.title == "New one").unwrap();
    assert_eq!((new.category.as_str(), new.hotkey), ("General", Some(1)));
}

#[test]
fn a_bad_file_names_entry_and_field_and_imports_nothing() {
    let (_dir, mut lib) = empty();
    lib.add(&ResponseInput {
        hotkey: Some(2),
        ..input("Keep", "Kept", "kept")
    })
    .unwrap();
    let good = r#"{"title":"Fine","text":"fine"}"#;
    let cases: &[(&str, &str)] = &[
        ("nope", "not JSON: expected ident at line 1 column 2"),
        (
            "\"text\"",
            "the file is not a JSON object with \"version\" and \"responses\"",
        ),
        (r#"{"responses":[]}"#, "version is missing"),
        (
            r#"{"version":2,"responses":[]}"#,
            "version 2 is not supported (this desk reads version 1)",
        ),
        (r#"{"version":1}"#, "responses is missing or not a list"),
        (r#"[GOOD, 5]"#, "entry 2: is not a JSON object"),
        (r#"[GOOD, {"text":"x"}]"#, "entry 2: title is missing"),
        (
            r#"[GOOD, {"title":"T","text":3}]"#,
            "entry 2 (\"T\"): text is not a string",
        ),
        (
            r#"[GOOD, {"title":"","text":"x"}]"#,
            "entry 2 (\"\"): title is empty",
        ),
        (
            r#"[GOOD, GOOD, {"title":"Refund policy","text":"x","hotkey":12}]"#,
            "entry 3 (\"Refund policy\"): hotkey 12 is not 1-9",
        ),
        (
            r#"[{"title":"T","text":"x","hotkey":"3"}]"#,
            "entry 1 (\"T\"): hotkey \"3\" is not a number 1-9",
        ),
        (
            r#"[{"title":"T","text":"x","hotkey":1.5}]"#,
            "entry 1 (\"T\"): hotkey 1.5 is not 1-9",
        ),
        (
            r#"[{"title":"T","text":"x","textType":"markdown"}]"#,
            "entry 1 (\"T\"): textType \"markdown\" is not plain, html or rich-content",
        ),
        (
            r#"[{"title":"T","text":"x","hotKey":1}]"#,
            "entry 1 (\"T\"): unknown field \"hotKey\" (fields: title, text, textType, category, hotkey, card)",
        ),
        (
            r#"[{"title":"T","text":"x","card":{"type":"v"}}]"#,
            "entry 1 (\"T\"): card is only allowed with textType rich-content",
        ),
        (
            r#"[{"title":"T","text":"x","textType":"rich-content","card":{"x":1}}]"#,
            "entry 1 (\"T\"): card has no \"type\"",
        ),
        (
            r#"[{"title":"A","text":"x","hotkey":4},{"title":"B","text":"x","hotkey":4}]"#,
            "entry 2 (\"B\"): hotkey 4 is also used by entry 1 (\"A\")",
        ),
    ];
    for (body, want) in cases {
        let file = if body.starts_with('[') {
            format!(
                r#"{{"version":1,"responses":{}}}"#,
                body.replace("GOOD", good)
            )
        } else {
            body.to_string()
        };
        for mode in [ImportMode::Replace, ImportMode::Merge] {
            let err = lib.import_json(&file, mode).unwrap_err();
            assert_eq!(
                (err.code, err.message.as_str()),
                (ErrorCode::InvalidInput, *want),
                "{file}"
            );
        }
    }
    // Merge: a hotkey held by a response the file leaves alone is refused, and nothing changes.
    let clash =
        format!(r#"{{"version":1,"responses":[{good},{{"title":"T","text":"x","hotkey":2}}]}}"#);
    let err = lib.import_json(&clash, ImportMode::Merge).unwrap_err();
    assert_eq!(
        err.message,
        "entry 2 (\"T\"): hotkey 2 is already used by \"Kept\""
    );
    assert_eq!(titles(&lib.list().unwrap()), ["Kept"]);
    // The same file replaces the library fine.
    lib.import_json(&clash, ImportMode::Replace).unwrap();
    assert_eq!(titles(&lib.list().unwrap()), ["Fine", "T"]);
}
