//! Plain text of a stored line, for the search index and "copy as plain text".
//!
//! Lines are stored already sanitised (see `sanitize`), so this only has to drop tags and decode
//! entities; it never needs to be a full HTML parser. What it returns is text, never markup.

use crate::events::TextType;

/// The snippet markers the search uses; they are removed from indexed text so a line can never
/// fake a highlight.
pub(crate) const MARK_START: char = '\u{E000}';
pub(crate) const MARK_END: char = '\u{E001}';

/// The text of a line as a person reads it: HTML tags dropped (block tags become spaces),
/// entities decoded, whitespace runs folded; plain text kept as is apart from the snippet markers.
pub fn line_plain_text(text: &str, text_type: TextType) -> String {
    let s = match text_type {
        TextType::Html => strip_html(text),
        TextType::Plain | TextType::RichContent => text.to_string(),
    };
    s.replace([MARK_START, MARK_END], "")
}

/// Drops tags (and the content of `script`/`style`), decodes entities, folds whitespace.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let after = &rest[lt + 1..];
        // As in HTML, `<` starts a tag only before a letter, `/` or `!`; otherwise it is text.
        if !after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            out.push('<');
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else {
            // A lone `<` is text.
            out.push_str(&decode_entities(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[gt + 1..];
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            // Skip to the matching end tag (or the end of the text).
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => match rest[i..].find('>') {
                    Some(j) => &rest[i + j + 1..],
                    None => "",
                },
                None => "",
            };
            continue;
        }
        if is_block(&name) {
            out.push(' ');
        }
    }
    out.push_str(&decode_entities(rest));
    fold_whitespace(&out)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
    )
}

fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| entity(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let code = if let Some(num) = name.strip_prefix('#') {
        if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        }
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => None,
        };
    };
    // NUL and the C0 controls other than whitespace are dropped by decoding them as a space.
    match char::from_u32(code) {
        Some(c) if c.is_control() => Some(' '),
        Some(c) => Some(c),
        None => Some('\u{FFFD}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            strip_html("<p>Hello <b>Vera</b>,</p><p>see&nbsp;<a href=\"https://x\">this</a></p>"),
            "Hello Vera, see this"
        );
        assert_eq!(
            strip_html("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; &#x263A; &#128512;"),
            "a <b> & \"c\" 'd' ☺ 😀"
        );
        assert_eq!(strip_html("line<br>break<br/>again"), "line break again");
    }

    #[test]
    fn odd_html_is_text_not_a_panic() {
        assert_eq!(strip_html("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(strip_html("x <unclosed"), "x <unclosed");
        assert_eq!(
            strip_html("AT&T & co &bogus; &#xZZ; &#99999999;"),
            "AT&T & co &bogus; &#xZZ; \u{FFFD}"
        );
        assert_eq!(strip_html("a<script>alert(1)</script>b"), "ab");
        assert_eq!(strip_html("a<STYLE>p{}</style >b"), "ab");
        assert_eq!(strip_html("a<script>never closed"), "a");
        assert_eq!(strip_html("é<i>ü</i>ñ"), "éüñ");
        assert_eq!(strip_html(""), "");
    }

    #[test]
    fn plain_lines_stay_as_written_minus_markers() {
        assert_eq!(
            line_plain_text("<b>not html</b>", TextType::Plain),
            "<b>not html</b>"
        );
        assert_eq!(
            line_plain_text("fake \u{E000}mark\u{E001}", TextType::Plain),
            "fake mark"
        );
        assert_eq!(line_plain_text("<i>x</i>", TextType::Html), "x");
    }
}
