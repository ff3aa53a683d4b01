//! Turning what a person typed into an FTS5 query that can never be a syntax error.
//!
//! FTS5 has its own query language (`"phrase"`, `*`, `NEAR(…)`, `AND`/`OR`/`NOT`, `col:`, `^`, …).
//! User input is never passed through: it is cut into words the way the `unicode61` tokenizer cuts
//! them (letters and digits; everything else separates), and each word is sent as a quoted string.
//! Inside a quoted FTS5 string only `"` is special, and a word never holds one, so any input
//! (`"`, `*`, `NEAR(`, `)`, `OR`, `col:x`) is searched for as plain words.

/// The words of `input`, lower-cased, as the index sees them.
pub(crate) fn words(input: &str) -> Vec<String> {
    input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn quoted(word: &str) -> String {
    // `words` leaves no `"`, but quote defensively so this holds for any caller.
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Every word must match; the last one also as a prefix (the agent is still typing it).
/// `None` when the input holds no word at all.
pub(crate) fn all_words_query(input: &str) -> Option<String> {
    let ws = words(input);
    let (last, rest) = ws.split_last()?;
    let mut parts: Vec<String> = rest.iter().map(|w| quoted(w)).collect();
    parts.push(format!("{} *", quoted(last)));
    Some(parts.join(" "))
}

/// Every word must match, each as a prefix (a library search: "ref pol" finds "Refund policy").
pub(crate) fn all_prefixes_query(input: &str) -> Option<String> {
    let ws = words(input);
    if ws.is_empty() {
        return None;
    }
    Some(
        ws.iter()
            .map(|w| format!("{} *", quoted(w)))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Any of `words` may match (for suggestions); `None` when there are none.
pub(crate) fn any_word_query(words: &[String]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| quoted(w))
            .collect::<Vec<_>>()
            .join(" OR "),
    )
}

/// Common English words that say nothing about what the visitor needs.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "your", "yours", "all", "any", "can", "had",
    "has", "have", "her", "hers", "him", "his", "how", "its", "may", "our", "out", "she", "was",
    "way", "who", "why", "yes", "yet", "did", "does", "doing", "done", "get", "got", "just",
    "like", "also", "than", "that", "this", "these", "those", "then", "them", "they", "their",
    "there", "here", "what", "when", "where", "which", "while", "with", "would", "could", "should",
    "will", "from", "into", "about", "been", "being", "were", "more", "most", "some", "such",
    "only", "own", "same", "very", "much", "many", "each", "other", "over", "under", "again",
    "once", "hello", "hi", "hey", "thanks", "thank", "please", "okay", "ok", "im", "ive", "dont",
    "cant", "want", "need", "know", "think", "still", "really", "well", "one", "two", "now",
    "today", "there", "because", "after", "before", "make", "made", "let", "lets", "say", "said",
];

/// The words of the visitor's lines worth matching: no stopwords, none shorter than 3 letters,
/// each once, at most `max` (the latest lines' words first).
pub(crate) fn salient_words(lines: &[String], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines.iter().rev() {
        for w in words(line) {
            if w.chars().count() < 3
                || w.chars().all(|c| c.is_ascii_digit())
                || STOPWORDS.contains(&w.as_str())
                || out.contains(&w)
            {
                continue;
            }
            out.push(w);
            if out.len() >= max {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_becomes_quoted_words() {
        assert_eq!(all_words_query("\""), None);
        assert_eq!(all_words_query("*"), None);
        assert_eq!(all_words_query("  ) ( ^ : - + "), None);
        assert_eq!(
            all_words_query("NEAR(refund"),
            Some("\"near\" \"refund\" *".into())
        );
        assert_eq!(
            all_words_query("title:x OR y*"),
            Some("\"title\" \"x\" \"or\" \"y\" *".into())
        );
        assert_eq!(all_words_query("Café"), Some("\"café\" *".into()));
        assert_eq!(
            all_prefixes_query("ref) pol\""),
            Some("\"ref\" * \"pol\" *".into())
        );
        assert_eq!(all_prefixes_query("\"*"), None);
    }

    #[test]
    fn any_word_query_joins_with_or() {
        let ws = vec!["refund".to_string(), "card".to_string()];
        assert_eq!(any_word_query(&ws), Some("\"refund\" OR \"card\"".into()));
        assert_eq!(any_word_query(&[]), None);
    }

    #[test]
    fn salient_words_drop_stopwords_short_and_repeated_words() {
        let lines = vec![
            "Hi, I want a refund please".to_string(),
            "my card was charged twice for the refund".to_string(),
        ];
        assert_eq!(
            salient_words(&lines, 10),
            vec!["card", "charged", "twice", "refund"]
        );
        assert_eq!(salient_words(&lines, 2), vec!["card", "charged"]);
    }
}
