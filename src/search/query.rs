//! Query: the ranking the browser client runs (themes/default/static/search.js), written
//! once more in Rust so the relevance tests run without a browser; a browser test checks
//! the two agree.
//!
//! Each query word is looked up as its stemmed term; the last word, while being typed, also
//! matches every term it prefixes (at 0.7 weight). A document's score for a word is the best
//! of its matches (weight × idf); its total is the sum over words times the share of words it
//! matched. An entity whose name or title is exactly the query gets a large bonus, so it
//! comes first. Ties go to the lower document number (entities come before docs sections).

use std::collections::HashMap;

use super::index::{Index, exact_term, terms_of};

/// Prefix expansion is tried for last words of at least this many characters.
pub const MIN_PREFIX: usize = 3;
/// At most this many terms are expanded from one prefix (most frequent first).
pub const MAX_EXPANSIONS: usize = 30;
pub const EXPANSION_FACTOR: f64 = 0.7;

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
}

pub fn idf(docs: u32, df: u32) -> f64 {
    1.0 + (f64::from(docs) / (f64::from(df) + 1.0)).ln()
}

/// One query word: its stemmed term, and the raw lower-case word for prefix matching.
struct Word {
    term: Option<String>,
    prefix: Option<String>,
}

fn words(query: &str) -> Vec<Word> {
    let raw: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let typing = !query.ends_with(char::is_whitespace);
    let last = raw.len().saturating_sub(1);
    raw.iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let term = terms_of(w).pop();
            let trimmed = w
                .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .to_string();
            let prefix =
                (typing && i == last && trimmed.chars().count() >= MIN_PREFIX).then_some(trimmed);
            (term.is_some() || prefix.is_some()).then_some(Word { term, prefix })
        })
        .collect()
}

/// Terms the prefix expands to: most documents first, then alphabetical.
pub fn expansions<'a>(index: &'a Index, prefix: &str, exact: Option<&str>) -> Vec<&'a str> {
    let mut found: Vec<(&str, u32)> = index
        .terms
        .range(prefix.to_string()..)
        .take_while(|(t, _)| t.starts_with(prefix))
        .filter(|(t, _)| Some(t.as_str()) != exact)
        .map(|(t, term)| (t.as_str(), term.df))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    found.truncate(MAX_EXPANSIONS);
    found.into_iter().map(|(t, _)| t).collect()
}

pub fn search(index: &Index, query: &str) -> Vec<Hit> {
    let words = words(query);
    if query.trim().is_empty() {
        return Vec::new();
    }
    let mut totals: HashMap<u32, (f64, usize)> = HashMap::new();
    for w in &words {
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut add = |term: &str, factor: f64| {
            if let Some(t) = index.terms.get(term) {
                let idf = idf(index.docs, t.df);
                for &(doc, weight) in &t.postings {
                    let s = weight * idf * factor;
                    let e = best.entry(doc).or_insert(0.0);
                    if s > *e {
                        *e = s;
                    }
                }
            }
        };
        if let Some(term) = &w.term {
            add(term, 1.0);
        }
        if let Some(prefix) = &w.prefix {
            for t in expansions(index, prefix, w.term.as_deref()) {
                add(t, EXPANSION_FACTOR);
            }
        }
        for (doc, s) in best {
            let e = totals.entry(doc).or_insert((0.0, 0));
            e.0 += s;
            e.1 += 1;
        }
    }
    let n = words.len().max(1) as f64;
    let mut scores: HashMap<u32, f64> = totals
        .into_iter()
        .map(|(doc, (s, m))| (doc, s * (m as f64 / n)))
        .collect();
    if let Some(exact) = index.terms.get(&exact_term(query)) {
        for &(doc, weight) in &exact.postings {
            *scores.entry(doc).or_insert(0.0) += weight;
        }
    }
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .map(|(doc, score)| Hit { doc, score })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::SearchDoc;
    use crate::search::index::build_index;

    fn doc(name: &str, body: &str) -> SearchDoc {
        SearchDoc {
            fields: [
                name.into(),
                name.into(),
                String::new(),
                String::new(),
                body.into(),
            ],
            title: name.into(),
            url: String::new(),
            kind: "component".into(),
            kind_label: "Component".into(),
            entity_type: String::new(),
            owner: String::new(),
            context: String::new(),
            text: body.into(),
        }
    }

    #[test]
    fn prefixes_find_words_being_typed() {
        let index = build_index(&[doc("payments", ""), doc("ledger", "")]);
        assert_eq!(search(&index, "paym")[0].doc, 0);
        assert!(
            search(&index, "paym ").is_empty(),
            "a finished word is not a prefix"
        );
        assert!(
            search(&index, "pa").is_empty(),
            "two letters are too short to expand"
        );
    }

    #[test]
    fn documents_matching_every_word_win() {
        let index = build_index(&[
            doc("alpha", "ledger"),
            doc("beta", "ledger reconciliation"),
            doc("gamma", "reconciliation"),
        ]);
        let hits = search(&index, "ledger reconciliation");
        assert_eq!(hits[0].doc, 1);
        assert_eq!(hits.len(), 3);
    }
}
