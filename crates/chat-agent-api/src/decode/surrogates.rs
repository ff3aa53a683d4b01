//! Lone UTF-16 surrogate escapes in JSON text (spec §9 quirk 16).
//!
//! A Java server that cuts a visitor's line at a length limit can split an emoji in half and
//! write `"…\ud83d"`. RFC 8259's grammar lets that through, but a Rust `String` cannot hold half
//! a character, so serde_json rejects the whole document. [`repair_lone_surrogates`] rewrites
//! every unpaired surrogate escape inside a JSON string as `\ufffd` (U+FFFD, the replacement
//! character) before decoding, and leaves every other byte alone.

use std::borrow::Cow;

/// The escape written in place of an unpaired surrogate.
const REPLACEMENT: &str = "\\ufffd";

/// Replaces each `\uXXXX` escape inside a JSON string that is a high surrogate (`D800`–`DBFF`)
/// not immediately followed by a low-surrogate escape (`DC00`–`DFFF`), or a low surrogate not
/// preceded by a high one, with `\ufffd`. Escaped backslashes (`\\ud83d` is literal text) and
/// text outside strings are left as they are; malformed escapes are left for the JSON parser to
/// report. Borrows the input when there is nothing to change.
pub(crate) fn repair_lone_surrogates(body: &str) -> Cow<'_, str> {
    if !may_hold_surrogate_escape(body.as_bytes()) {
        return Cow::Borrowed(body);
    }
    let bytes = body.as_bytes();
    // Filled lazily: stays None until the first replacement.
    let mut out: Option<String> = None;
    // Bytes before `copied` are already in `out` (when it exists).
    let mut copied = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !in_string {
            if b == b'"' {
                in_string = true;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = false;
                i += 1;
            }
            b'\\' => match bytes.get(i + 1) {
                Some(b'u') => match unicode_escape(bytes, i) {
                    Some(unit) if is_high(unit) => {
                        let paired = unicode_escape(bytes, i + 6).is_some_and(is_low);
                        if paired {
                            i += 12;
                        } else {
                            replace(&mut out, body, &mut copied, i);
                            i += 6;
                        }
                    }
                    Some(unit) if is_low(unit) => {
                        // A low surrogate that a high one before it did not consume.
                        replace(&mut out, body, &mut copied, i);
                        i += 6;
                    }
                    Some(_) => i += 6,
                    // Not four hex digits: leave it to the parser.
                    None => i += 2,
                },
                // `\\`, `\"`, `\n`, …: the escaped byte is never a string delimiter.
                Some(_) => i += 2,
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    match out {
        Some(mut s) => {
            s.push_str(&body[copied..]);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(body),
    }
}

/// Cheap pre-check: is there any `\u` followed by `d`/`D` and one of `8`–`f`?
fn may_hold_surrogate_escape(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && (w[2] | 0x20) == b'd'
            && matches!(w[3], b'8' | b'9' | b'a'..=b'f' | b'A'..=b'F')
    })
}

/// The code unit of the `\uXXXX` escape starting at `at`, if there is one.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<u16> {
    let esc = bytes.get(at..at + 6)?;
    if esc[0] != b'\\' || esc[1] != b'u' {
        return None;
    }
    esc[2..]
        .iter()
        .try_fold(0u16, |acc, &h| Some((acc << 4) | u16::from(hex_value(h)?)))
}

fn hex_value(h: u8) -> Option<u8> {
    match h {
        b'0'..=b'9' => Some(h - b'0'),
        b'a'..=b'f' => Some(h - b'a' + 10),
        b'A'..=b'F' => Some(h - b'A' + 10),
        _ => None,
    }
}

fn is_high(unit: u16) -> bool {
    (0xD800..=0xDBFF).contains(&unit)
}

fn is_low(unit: u16) -> bool {
    (0xDC00..=0xDFFF).contains(&unit)
}

/// Copies what lies between the last copy and `at`, then the replacement for the six-byte
/// escape at `at`. `at` is the index of an ASCII backslash, so it is a char boundary.
fn replace(out: &mut Option<String>, body: &str, copied: &mut usize, at: usize) {
    let s = out.get_or_insert_with(|| String::with_capacity(body.len()));
    s.push_str(&body[*copied..at]);
    s.push_str(REPLACEMENT);
    *copied = at + 6;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        repair_lone_surrogates(s).into_owned()
    }

    fn text_of(json: &str) -> String {
        let v: serde_json::Value =
            serde_json::from_str(&fixed(json)).unwrap_or_else(|e| unreachable!("{json}: {e}"));
        v["t"]
            .as_str()
            .unwrap_or_else(|| unreachable!())
            .to_string()
    }

    #[test]
    fn lone_high_surrogate_becomes_replacement_character() {
        let raw = r#"{"t":"I love it \ud83d"}"#;
        assert!(serde_json::from_str::<serde_json::Value>(raw).is_err());
        assert_eq!(fixed(raw), r#"{"t":"I love it \ufffd"}"#);
        assert_eq!(text_of(raw), "I love it \u{FFFD}");
    }

    #[test]
    fn lone_high_surrogate_in_the_middle_of_a_string() {
        assert_eq!(text_of(r#"{"t":"a\ud83db"}"#), "a\u{FFFD}b");
        // followed by another escape that is not a low surrogate
        assert_eq!(text_of(r#"{"t":"a\ud83d\u0041"}"#), "a\u{FFFD}A");
        assert_eq!(text_of(r#"{"t":"a\ud83d\n"}"#), "a\u{FFFD}\n");
    }

    #[test]
    fn lone_low_surrogate_becomes_replacement_character() {
        assert_eq!(text_of(r#"{"t":"x\ude00y"}"#), "x\u{FFFD}y");
        assert_eq!(text_of(r#"{"t":"\ude00"}"#), "\u{FFFD}");
    }

    #[test]
    fn valid_pair_is_untouched_and_borrowed() {
        let raw = r#"{"t":"smile \ud83d\ude00!"}"#;
        assert!(matches!(repair_lone_surrogates(raw), Cow::Borrowed(_)));
        assert_eq!(text_of(raw), "smile \u{1F600}!");
        let upper = r#"{"t":"\uD83D\uDE00"}"#;
        assert!(matches!(repair_lone_surrogates(upper), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_backslash_is_literal_text() {
        let raw = r#"{"t":"path \\ud83d here"}"#;
        assert!(matches!(repair_lone_surrogates(raw), Cow::Borrowed(_)));
        assert_eq!(text_of(raw), "path \\ud83d here");
        // an escaped backslash followed by a real lone escape
        assert_eq!(text_of(r#"{"t":"\\\ud83d"}"#), "\\\u{FFFD}");
        // escaped quote does not end the string
        assert_eq!(
            text_of(r#"{"t":"say \"\ud83d\" ok"}"#),
            "say \"\u{FFFD}\" ok"
        );
    }

    #[test]
    fn surrogate_at_end_of_string_and_of_body() {
        assert_eq!(text_of(r#"{"t":"\ud83d"}"#), "\u{FFFD}");
        // the body ends right after the escape (not valid JSON, but no panic and a repair)
        assert_eq!(fixed(r#""\ud83d"#), r#""\ufffd"#);
        assert_eq!(fixed(r#""\ud83"#), r#""\ud83"#);
        assert_eq!(fixed(r#""\ud83d\u"#), r#""\ufffd\u"#);
        assert_eq!(fixed("\\"), "\\");
        assert_eq!(fixed("\"\\"), "\"\\");
    }

    #[test]
    fn uppercase_and_mixed_case_hex() {
        assert_eq!(text_of(r#"{"t":"\uD83D"}"#), "\u{FFFD}");
        assert_eq!(text_of(r#"{"t":"\uDbFf"}"#), "\u{FFFD}");
        assert_eq!(text_of(r#"{"t":"\uDE00"}"#), "\u{FFFD}");
        assert_eq!(text_of(r#"{"t":"\uD83D\ude00"}"#), "\u{1F600}");
    }

    #[test]
    fn many_in_a_row() {
        assert_eq!(
            text_of(r#"{"t":"\ud83d\ud83d\ud83d\ude00\ude00\ude00"}"#),
            "\u{FFFD}\u{FFFD}\u{1F600}\u{FFFD}\u{FFFD}"
        );
        let many = format!(r#"{{"t":"{}"}}"#, r"\ud83d".repeat(500));
        assert_eq!(text_of(&many), "\u{FFFD}".repeat(500));
    }

    #[test]
    fn keys_and_other_strings_too_and_multibyte_text_kept() {
        let raw = r#"{"k\ud800":"é\ud83d ü","t":"日本\udfff語"}"#;
        let v: serde_json::Value =
            serde_json::from_str(&fixed(raw)).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(v["k\u{FFFD}"], "é\u{FFFD} ü");
        assert_eq!(v["t"], "日本\u{FFFD}語");
    }

    #[test]
    fn outside_strings_and_non_surrogates_untouched() {
        for raw in [
            r#"{"t":"\u00e9\u0041\ud7ff\ue000"}"#,
            r#"{"t":"no escapes at all"}"#,
            r#"[1, 2, {"a": null}]"#,
            r#"\ud83d"#,
            "",
        ] {
            assert!(
                matches!(repair_lone_surrogates(raw), Cow::Borrowed(_)),
                "{raw}"
            );
        }
        // malformed escapes are left to the parser
        assert_eq!(fixed(r#"{"t":"\ud83d\uZZZZ"}"#), r#"{"t":"\ufffd\uZZZZ"}"#);
        assert_eq!(fixed(r#"{"t":"\udZ00"}"#), r#"{"t":"\udZ00"}"#);
    }
}
