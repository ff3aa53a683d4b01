//! Placeholders in a response: `{visitorName}`, `{agentName}`, `{skill}`, `{time}`.

use crate::events::TextType;
use serde::{Deserialize, Serialize};

/// What the placeholders stand for in the chat at hand (`None` = not known).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PlaceholderValues {
    pub visitor_name: Option<String>,
    pub agent_name: Option<String>,
    pub skill: Option<String>,
    /// The time as the agent wants it shown (the caller formats it).
    pub time: Option<String>,
}

/// A response with its placeholders filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filled {
    pub text: String,
    /// Placeholders left in `text` as written, each once, in order: unknown names (`{foo}`) and
    /// known ones without a value here (no skill). The agent should look before sending.
    pub unknown: Vec<String>,
}

/// Fills `{visitorName}`, `{agentName}`, `{skill}` and `{time}`. A placeholder that is unknown or
/// has no value stays visible and is listed in `unknown`; in `html` text the values are
/// HTML-escaped. Braces around anything that is not a name (`{ }`, `{a b}`) are plain text.
pub fn fill(text: &str, text_type: TextType, values: &PlaceholderValues) -> Filled {
    let mut out = String::with_capacity(text.len());
    let mut unknown: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after
            .find('}')
            .map(|close| &after[..close])
            .filter(|n| is_name(n));
        let Some(name) = name else {
            out.push('{');
            rest = after;
            continue;
        };
        rest = &after[name.len() + 1..];
        let value = match name {
            "visitorName" => values.visitor_name.as_deref(),
            "agentName" => values.agent_name.as_deref(),
            "skill" => values.skill.as_deref(),
            "time" => values.time.as_deref(),
            _ => None,
        }
        .filter(|v| !v.trim().is_empty());
        match value {
            Some(v) if text_type == TextType::Html => {
                out.push_str(&crate::sanitize::escape_text(v))
            }
            Some(v) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
                if !unknown.iter().any(|u| u == name) {
                    unknown.push(name.to_string());
                }
            }
        }
    }
    out.push_str(rest);
    Filled { text: out, unknown }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && s.len() <= 40
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PlaceholderValues {
        PlaceholderValues {
            visitor_name: Some("Vera".into()),
            agent_name: Some("Ann".into()),
            skill: None,
            time: Some("14:05".into()),
        }
    }

    #[test]
    fn fills_known_placeholders() {
        let f = fill(
            "Hi {visitorName}, I'm {agentName}. It is {time}; {visitorName}!",
            TextType::Plain,
            &values(),
        );
        assert_eq!(f.text, "Hi Vera, I'm Ann. It is 14:05; Vera!");
        assert!(f.unknown.is_empty());
    }

    #[test]
    fn unknown_and_missing_stay_visible_and_are_listed_once() {
        let f = fill(
            "{foo} in {skill} {foo} {visitorName}",
            TextType::Plain,
            &values(),
        );
        assert_eq!(f.text, "{foo} in {skill} {foo} Vera");
        assert_eq!(f.unknown, vec!["foo", "skill"]);
        let blank = PlaceholderValues {
            agent_name: Some("  ".into()),
            ..values()
        };
        assert_eq!(
            fill("{agentName}", TextType::Plain, &blank).unknown,
            vec!["agentName"]
        );
    }

    #[test]
    fn braces_that_are_not_placeholders_are_text() {
        let f = fill("{ } {a b} {} {{visitorName}} {", TextType::Plain, &values());
        assert_eq!(f.text, "{ } {a b} {} {Vera} {");
        assert!(f.unknown.is_empty());
        assert_eq!(
            fill("é{visitorName}ü", TextType::Plain, &values()).text,
            "éVeraü"
        );
    }

    #[test]
    fn html_values_are_escaped_plain_values_are_not() {
        let v = PlaceholderValues {
            visitor_name: Some("<img src=x onerror=alert(1)> & \"Bo\"".into()),
            ..values()
        };
        let f = fill("<b>Hi {visitorName}</b>", TextType::Html, &v);
        assert_eq!(
            f.text,
            "<b>Hi &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bo&quot;</b>"
        );
        let f = fill("Hi {visitorName}", TextType::Plain, &v);
        assert_eq!(f.text, "Hi <img src=x onerror=alert(1)> & \"Bo\"");
    }
}
