//! The inverted index: documents → terms (elasticlunr's English pipeline: split on white
//! space and hyphens, trim, drop stop words, Porter stem) → postings with precomputed weights.
//! A weight is Σ over fields of boost × √count / √field-length, elasticlunr's own scoring with
//! the field norm folded in at build time so the client only multiplies by idf.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use elasticlunr::Language;
use elasticlunr::lang::English;
use rayon::prelude::*;

use super::documents::{FIELDS, SearchDoc};

/// A term keeps at most this many postings (the heaviest): enough for any page of results,
/// and it bounds the shard a very common word lands in.
pub const MAX_POSTINGS: usize = 400;

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// Documents holding the term (before truncation), for idf.
    pub df: u32,
    /// (document, weight), heaviest first; weights rounded to 3 decimals.
    pub postings: Vec<(u32, f64)>,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    pub docs: u32,
    pub terms: BTreeMap<String, Term>,
}

thread_local! {
    /// The pipeline and a per-thread stem cache: most tokens of a site repeat.
    static PIPELINE: RefCell<(elasticlunr::Pipeline, HashMap<String, Option<String>>)> =
        RefCell::new((English::new().make_pipeline(), HashMap::new()));
}

/// Text → index terms, exactly as elasticlunr.js would turn the same text at query time.
pub fn terms_of(text: &str) -> Vec<String> {
    PIPELINE.with(|cell| {
        let (pipeline, cache) = &mut *cell.borrow_mut();
        text.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|t| !t.is_empty())
            .filter_map(|t| {
                let lower = t.to_lowercase();
                if let Some(hit) = cache.get(&lower) {
                    return hit.clone();
                }
                let term = pipeline
                    .run(vec![lower.clone()])
                    .pop()
                    .filter(|s| !s.is_empty());
                if cache.len() < 200_000 {
                    cache.insert(lower, term.clone());
                }
                term
            })
            .collect()
    })
}

/// Weights are written with three decimals; rounding here in f64 gives the very number the
/// browser parses back, so Rust and JavaScript rank alike.
fn round3(w: f64) -> f64 {
    (w * 1000.0).round() / 1000.0
}

/// The weight of every term in one document.
fn doc_terms(doc: &SearchDoc) -> Vec<(String, f64)> {
    let mut weights: HashMap<String, f64> = HashMap::new();
    for (i, (text, (_, boost))) in doc.fields.iter().zip(FIELDS).enumerate() {
        let mut terms = terms_of(text);
        if terms.is_empty() {
            continue;
        }
        // In prose, `on-call` is also found as `oncall`. Not in names: `payment-events`
        // would otherwise become a rare `paymentev` that every `paym…` prefix matches.
        if i > 0 {
            for word in text.split_whitespace().filter(|w| w.contains('-')) {
                terms.extend(terms_of(&word.replace('-', "")));
            }
        }
        let norm = 1.0 / (terms.len() as f64).sqrt();
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for t in &terms {
            *counts.entry(t).or_default() += 1;
        }
        for (t, c) in counts {
            *weights.entry(t.to_string()).or_default() +=
                f64::from(*boost) * f64::from(c).sqrt() * norm;
        }
    }
    // The whole name and title as written, so typing an entity's name puts it first; and a
    // docs section's whole heading (or its page's title, for the text before any heading),
    // worth half as much, so a heading made of common words ("Who it is for") is found too.
    if doc.kind == "docs" {
        let heading = if doc.fields[2].is_empty() {
            &doc.fields[1]
        } else {
            &doc.fields[2]
        };
        if !heading.is_empty() {
            weights.insert(exact_term(heading), EXACT_WEIGHT / 2.0);
        }
    } else {
        for exact in doc.fields[..2].iter().filter(|f| !f.is_empty()) {
            weights.insert(exact_term(exact), EXACT_WEIGHT);
        }
    }
    weights
        .into_iter()
        .map(|(t, w)| (t, round3(w).max(0.001)))
        .collect()
}

/// Exact-match terms start with `=`, which no pipeline term can (the trimmer removes it).
pub const EXACT_MARK: char = '=';
/// Added to the score of an entity whose name or title is exactly the query (half of it for a
/// docs section whose heading is).
pub const EXACT_WEIGHT: f64 = 1000.0;

pub fn exact_term(text: &str) -> String {
    format!("{EXACT_MARK}{}", text.trim().to_lowercase())
}

pub fn build_index(docs: &[SearchDoc]) -> Index {
    let per_doc: Vec<Vec<(String, f64)>> = docs.par_iter().map(doc_terms).collect();
    let mut postings: HashMap<String, Vec<(u32, f64)>> = HashMap::new();
    for (i, terms) in per_doc.into_iter().enumerate() {
        for (t, w) in terms {
            postings.entry(t).or_default().push((i as u32, w));
        }
    }
    let terms = postings
        .into_par_iter()
        .map(|(t, mut p)| {
            let df = p.len() as u32;
            p.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            p.truncate(MAX_POSTINGS);
            (t, Term { df, postings: p })
        })
        .collect();
    Index {
        docs: docs.len() as u32,
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            fields: [
                name.into(),
                title.into(),
                String::new(),
                String::new(),
                body.into(),
            ],
            title: title.into(),
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
    fn terms_follow_elasticlunrs_pipeline() {
        assert_eq!(
            terms_of("Payments-API (v2) is the payment gateway"),
            ["payment", "api", "v2", "payment", "gateway"]
        );
        assert!(terms_of("the and of").is_empty(), "stop words are dropped");
    }

    #[test]
    fn a_name_outweighs_a_mention_in_text() {
        let index = build_index(&[
            doc("payments", "Payments", ""),
            doc("other", "Other", "we talk about payments here and there"),
        ]);
        let p = &index.terms["payment"];
        assert_eq!(p.df, 2);
        assert_eq!(p.postings[0].0, 0);
        assert!(p.postings[0].1 > 5.0 * p.postings[1].1, "{:?}", p.postings);
    }

    #[test]
    fn common_terms_keep_only_the_heaviest_postings() {
        let docs: Vec<SearchDoc> = (0..MAX_POSTINGS + 50)
            .map(|i| doc(&format!("d{i}"), "", &"word ".repeat(1 + i % 7)))
            .collect();
        let index = build_index(&docs);
        let t = &index.terms["word"];
        assert_eq!(t.df as usize, MAX_POSTINGS + 50);
        assert_eq!(t.postings.len(), MAX_POSTINGS);
        assert!(t.postings.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
