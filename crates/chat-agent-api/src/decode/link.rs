//! Hypermedia links, with `@href`/`@rel` or plain `href`/`rel` keys (spec §9 quirk 3).

use super::OneOrMany;
use serde::Deserialize;

/// One `link` object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Link {
    /// Absolute URL, to follow as returned.
    #[serde(rename = "@href", alias = "href")]
    pub href: String,
    /// Relation name (`self`, `next`, `events`, `location`, …).
    #[serde(rename = "@rel", alias = "rel", default)]
    pub rel: String,
}

/// A `link` element: one link or many.
pub type Links = OneOrMany<Link>;

impl OneOrMany<Link> {
    /// The href of the first link with this `rel`.
    pub fn rel(&self, rel: &str) -> Option<&str> {
        self.iter().find(|l| l.rel == rel).map(|l| l.href.as_str())
    }

    /// The href of the first link whatever its `rel` (location wrappers carry exactly one).
    pub fn first_href(&self) -> Option<&str> {
        self.iter().next().map(|l| l.href.as_str())
    }
}
