//! Visitor HTML is cleaned here, before any front end sees it (allow-list, links open outside).

use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "b",
            "i",
            "u",
            "em",
            "strong",
            "p",
            "br",
            "div",
            "span",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
            "s",
            "small",
            "sub",
            "sup",
        ]
        .into_iter()
        .collect();
        let mut b = ammonia::Builder::empty();
        b.tags(tags)
            .add_tag_attributes("a", ["href"])
            .add_generic_attributes(["dir"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            // A relative link would resolve against the app's own origin: never let one through.
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer"))
            .set_tag_attribute_value("a", "target", "_blank");
        b
    })
}

/// Text made safe to place inside HTML or notification markup: `& < > " '` become entities.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cleans an HTML fragment: only formatting tags and http(s)/mailto links survive; scripts, styles,
/// event handlers and iframes are removed.
pub fn clean_html(html: &str) -> String {
    cleaner().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_js_links() {
        let out = clean_html(
            "<div dir='ltr' style='x' onclick='evil()'>hi <script>alert(1)</script><a href='javascript:x'>j</a>\
             <a href='https://ok.example/'>ok</a><iframe src='x'></iframe><img src=x onerror=y></div>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("style"), "{out}");
        assert!(out.contains(r#"href="https://ok.example/""#), "{out}");
        assert!(out.contains(r#"target="_blank""#), "{out}");
        assert!(out.contains("hi "), "{out}");
    }

    #[test]
    fn denies_relative_links_on_its_own() {
        for href in [
            "/settings",
            "../x",
            "index.html",
            "//evil.example/x",
            "?q=1",
            "#top",
        ] {
            let out = clean_html(&format!("<a href='{href}'>link</a>"));
            assert!(!out.contains("href"), "{href}: {out}");
            assert!(out.contains("link"), "{href}: {out}");
        }
        let out = clean_html("<a href='https://ok.example/a'>ok</a>");
        assert!(out.contains("href"), "{out}");
    }
}
