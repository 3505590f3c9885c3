//! Query: the ranking the browser client runs (themes/default/static/search.js), written
//! once more in Rust so the relevance tests run without a browser; a browser test checks
//! the two agree.
//!
//! Each query word (folded: lower case, no accents) is looked up as its stemmed term; the last
//! word, while being typed, also matches every term it prefixes (at 0.7 weight). A word that
//! matches nothing that way is corrected: it matches the most common term among those of the
//! nearest indexed words (`fuzzy.rs`, at 0.5 weight) — so an exact match never competes with a correction. A
//! document's score for a word is the best of its matches (weight × idf); its total is the sum
//! over words times the share of words it matched.
//!
//! Above the score, tiers: an entity whose name or title is exactly the query (3), an entity
//! whose name or title holds every query word (2), an API reference item called exactly the
//! query (1.5), a docs section whose heading is exactly the query (1), the rest (0). Ties go to the lower document number (entities before docs).

use std::collections::{HashMap, HashSet};

use super::fuzzy::{FUZZY_FACTOR, corrections};
use super::index::{Index, exact_term, fold, terms_of};

/// Prefix expansion is tried for last words of at least this many characters.
pub const MIN_PREFIX: usize = 3;
/// At most this many terms are expanded from one prefix (most frequent first).
pub const MAX_EXPANSIONS: usize = 30;
pub const EXPANSION_FACTOR: f64 = 0.7;
/// The tier of an entity whose name or title holds every query word.
pub const NAME_TIER: f64 = 2.0;
/// A tier is worth more than any score: a word's weight × idf stays far below this.
pub const TIER: f64 = 10_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
}

pub fn idf(docs: u32, df: u32) -> f64 {
    1.0 + (f64::from(docs) / (f64::from(df) + 1.0)).ln()
}

/// One query word: its stemmed term, the raw folded word for prefix matching, and the word as
/// written for typo correction.
struct Word {
    term: Option<String>,
    prefix: Option<String>,
    written: String,
}

/// A query word's letters: folded, with punctuation trimmed from both ends.
fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
}

fn words(query: &str) -> Vec<Word> {
    let raw: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let typing = !query.ends_with(char::is_whitespace);
    let last = raw.len().saturating_sub(1);
    raw.iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let term = terms_of(w).pop();
            let trimmed = trim_word(w).to_string();
            let prefix = (typing && i == last && trimmed.chars().count() >= MIN_PREFIX)
                .then(|| trimmed.clone());
            (term.is_some() || prefix.is_some()).then_some(Word {
                term,
                prefix,
                written: trimmed,
            })
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

/// The terms a word matches, with their factors: itself and its expansions, or failing
/// those, its corrections.
fn matches<'a>(index: &'a Index, w: &'a Word) -> Vec<(&'a str, f64)> {
    let mut out = Vec::new();
    if let Some(term) = w.term.as_deref().filter(|t| index.terms.contains_key(*t)) {
        out.push((term, 1.0));
    }
    if let Some(prefix) = &w.prefix {
        let found = expansions(index, prefix, w.term.as_deref());
        out.extend(found.into_iter().map(|t| (t, EXPANSION_FACTOR)));
    }
    if out.is_empty() && w.term.is_some() {
        let vocabulary = index.words.iter().map(|(a, b)| (a.as_str(), b.as_str()));
        let fixed = corrections(vocabulary, &w.written);
        let df = |t: &str| index.terms.get(t).map_or(0, |t| t.df);
        out.extend(
            most_common(fixed, df)
                .into_iter()
                .map(|t| (t, FUZZY_FACTOR)),
        );
    }
    out
}

/// The corrections held by the most documents: a word misspelt once in the docs is not
/// preferred to the word it misspells.
fn most_common(terms: Vec<&str>, df: impl Fn(&str) -> u32) -> Vec<&str> {
    let max = terms.iter().map(|t| df(t)).max().unwrap_or(0);
    terms.into_iter().filter(|t| df(t) == max).collect()
}

pub fn search(index: &Index, query: &str) -> Vec<Hit> {
    let words = words(query);
    if query.trim().is_empty() {
        return Vec::new();
    }
    let mut totals: HashMap<u32, (f64, usize)> = HashMap::new();
    // Entities naming each word so far (None before the first word).
    let mut named: Option<HashSet<u32>> = None;
    for w in &words {
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut names: HashSet<u32> = HashSet::new();
        for (term, factor) in matches(index, w) {
            let Some(t) = index.terms.get(term) else {
                continue;
            };
            let idf = idf(index.docs, t.df);
            for &(doc, weight) in &t.postings {
                let s = weight * idf * factor;
                let e = best.entry(doc).or_insert(0.0);
                if s > *e {
                    *e = s;
                }
            }
            names.extend(&t.names);
        }
        named = Some(match named {
            None => names,
            Some(before) => before.intersection(&names).copied().collect(),
        });
        for (doc, s) in best {
            let e = totals.entry(doc).or_insert((0.0, 0));
            e.0 += s;
            e.1 += 1;
        }
    }
    let n = words.len().max(1) as f64;
    let mut scores: HashMap<u32, (f64, f64)> = totals
        .into_iter()
        .map(|(doc, (s, m))| (doc, (s * (m as f64 / n), 0.0)))
        .collect();
    for doc in named.unwrap_or_default() {
        scores.entry(doc).or_insert((0.0, 0.0)).1 = NAME_TIER;
    }
    if let Some(exact) = index.terms.get(&exact_term(query)) {
        for &(doc, tier) in &exact.postings {
            let e = scores.entry(doc).or_insert((0.0, 0.0));
            e.1 = e.1.max(tier);
        }
    }
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .map(|(doc, (score, tier))| Hit {
            doc,
            score: score + tier * TIER,
        })
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
            names: Vec::new(),
            text: body.into(),
            level: None,
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

    #[test]
    fn a_misspelt_word_finds_the_nearest_words_below_exact_matches() {
        let index = build_index(&[
            doc("payments", ""),
            doc("ledger", "pavement"),
            doc("ledger-db", "ledgar is a typo"),
        ]);
        assert_eq!(search(&index, "paymnets")[0].doc, 0, "a swap");
        let ledger: Vec<u32> = search(&index, "ledgr").iter().map(|h| h.doc).collect();
        assert_eq!(
            ledger,
            [1, 2],
            "a letter left out; the more common of ledger, ledgar"
        );
        assert!(
            search(&index, "ldgr").is_empty(),
            "four letters: no typo allowed"
        );
        // A word found as written is never corrected.
        let hits = search(&index, "pavement");
        assert_eq!(hits.len(), 1, "{hits:?}");
    }

    #[test]
    fn accents_are_folded_both_ways() {
        let index = build_index(&[doc("hannah", "Hannah Müller"), doc("zoe", "Zoë")]);
        assert_eq!(search(&index, "muller")[0].doc, 0);
        assert_eq!(search(&index, "MÜLLER")[0].doc, 0);
        assert_eq!(search(&index, "zoe ")[0].doc, 1);
    }

    #[test]
    fn an_entity_naming_the_words_outranks_a_heading_that_is_them() {
        let mut section = doc("", "");
        section.kind = "docs".into();
        section.fields = [
            String::new(),
            "Money".into(),
            "Money".into(),
            String::new(),
            "money money money money".into(),
        ];
        let index = build_index(&[section, doc("money-rs", "")]);
        let hits = search(&index, "money");
        assert_eq!(hits[0].doc, 1, "{hits:?}");
        assert_eq!(hits[1].doc, 0, "{hits:?}");
    }
}
