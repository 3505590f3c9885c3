//! The inverted index: documents → terms (elasticlunr's English pipeline: split on white
//! space and hyphens, trim, drop stop words, Porter stem) → postings with precomputed weights.
//! A weight is Σ over fields of boost × √count / √field-length, elasticlunr's own scoring with
//! the field norm folded in at build time so the client only multiplies by idf.
//!
//! Words are folded (lower case, accents dropped) before the pipeline, here and in the client,
//! so `muller` finds *Müller*. Alongside the terms the index keeps its vocabulary — each word as
//! written (folded) and the term it became — for typo-tolerant lookups (`fuzzy.rs`).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use elasticlunr::Language;
use elasticlunr::lang::English;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

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
    /// Entities whose name or title holds the term, ascending: they outrank documents that
    /// only mention it (see `query::NAME_TIER`). Not truncated: entities are few.
    pub names: Vec<u32>,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    pub docs: u32,
    pub terms: BTreeMap<String, Term>,
    /// Every indexed word as written (folded and trimmed) → its term, for typo tolerance.
    pub words: BTreeMap<String, String>,
}

/// Lower case without accents: `Müller` → `muller`. The client folds with the very same steps
/// (`toLowerCase`, `normalize("NFD")`, dropping U+0300–U+036F), so both agree.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

thread_local! {
    /// The pipeline and a per-thread stem cache: most tokens of a site repeat.
    static PIPELINE: RefCell<(elasticlunr::Pipeline, foldhash::HashMap<String, Option<String>>)> =
        RefCell::new((English::new().make_pipeline(), Default::default()));
}

/// Text → index terms, exactly as elasticlunr.js would turn the same text at query time.
pub fn terms_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each index term of `text`, in order, allocating only for words not seen
/// before on this thread.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |_, t| f(t));
}

/// Calls `f` with each folded word of `text` and the index term it becomes.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, &str)) {
    PIPELINE.with(|cell| {
        let (pipeline, cache) = &mut *cell.borrow_mut();
        let mut lower = String::new();
        for token in text
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|t| !t.is_empty())
        {
            let word = if token.is_ascii() {
                if token.bytes().any(|b| b.is_ascii_uppercase()) {
                    // Most capitals are ASCII: lowered in place of a fold's allocations.
                    lower.clear();
                    lower.push_str(token);
                    lower.make_ascii_lowercase();
                    lower.as_str()
                } else {
                    token
                }
            } else {
                lower = fold(token);
                lower.as_str()
            };
            if let Some(hit) = cache.get(word) {
                if let Some(term) = hit {
                    f(word, term);
                }
                continue;
            }
            let term = (pipeline.run(vec![word.to_string()]).pop()).filter(|s| !s.is_empty());
            if let Some(t) = &term {
                f(word, t);
            }
            if cache.len() < 200_000 {
                cache.insert(word.to_string(), term);
            }
        }
    })
}

/// Weights are written with three decimals; rounding here in f64 gives the very number the
/// browser parses back, so Rust and JavaScript rank alike.
fn round3(w: f64) -> f64 {
    (w * 1000.0).round() / 1000.0
}

/// A part of a page (docs section, API reference item) rather than an entity: its heading
/// ranks below entity names.
fn is_section(doc: &SearchDoc) -> bool {
    matches!(doc.kind.as_str(), "docs" | "apiref")
}

/// The terms of one chunk of documents by number, and each token (a word as written) seen in
/// the chunk with the term it became, so that a token seen before costs one lookup: no
/// folding, no stem cache, no allocation.
#[derive(Default)]
struct Terms {
    ids: foldhash::HashMap<String, u32>,
    names: Vec<String>,
    tokens: foldhash::HashMap<Box<str>, Token>,
    /// The chunk's vocabulary (`add_vocabulary`).
    words: Vocabulary,
}

#[derive(Clone, Copy)]
struct Token {
    /// None: the pipeline drops it (a stop word, punctuation).
    term: Option<u32>,
    /// Its word is in the vocabulary already (or cannot be).
    in_vocabulary: bool,
}

impl Terms {
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(term.to_string());
        self.ids.insert(term.to_string(), id);
        id
    }

    /// Calls `f` with the id of each index term of `text`, in order; with `vocabulary`, the
    /// words are added to the chunk's vocabulary too. Gives what `for_each_term` gives.
    fn each_id(&mut self, text: &str, vocabulary: bool, mut f: impl FnMut(u32)) {
        for token in text
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|t| !t.is_empty())
        {
            let known = self.tokens.get(token).copied();
            let t = match known {
                Some(t) if t.in_vocabulary || !vocabulary => t,
                _ => self.learn(token, vocabulary),
            };
            if let Some(id) = t.term {
                f(id);
            }
        }
    }

    /// A token met for the first time (or first time where it counts for the vocabulary).
    fn learn(&mut self, token: &str, vocabulary: bool) -> Token {
        let mut found = None;
        for_each_word(token, |word, term| {
            found = Some((word.to_string(), term.to_string()))
        });
        let term = found.as_ref().map(|(_, t)| self.id(t));
        if vocabulary && let Some((word, term)) = &found {
            add_word(word, term, &mut self.words);
        }
        let t = Token {
            term,
            in_vocabulary: vocabulary,
        };
        self.tokens.insert(token.into(), t);
        t
    }
}

/// Per-document working space, kept between documents.
#[derive(Default)]
struct Scratch {
    names: foldhash::HashSet<u32>,
    counts: foldhash::HashMap<u32, u32>,
    weights: foldhash::HashMap<u32, f64>,
}

fn count_terms(
    text: &str,
    vocabulary: bool,
    terms: &mut Terms,
    counts: &mut foldhash::HashMap<u32, u32>,
) {
    terms.each_id(text, vocabulary, |id| *counts.entry(id).or_default() += 1);
}

/// The weight of every term in one document, and whether it is in an entity's name or
/// title, into `out`; its words into the chunk's vocabulary.
fn doc_terms(doc: &SearchDoc, terms: &mut Terms, s: &mut Scratch, out: &mut Vec<(u32, f64, bool)>) {
    s.names.clear();
    s.weights.clear();
    out.clear();
    if !is_section(doc) {
        for text in &doc.fields[..2] {
            terms.each_id(text, false, |id| {
                s.names.insert(id);
            });
        }
    }
    for (i, (text, (_, boost))) in doc.fields.iter().zip(FIELDS).enumerate() {
        s.counts.clear();
        count_terms(text, true, terms, &mut s.counts);
        if s.counts.is_empty() {
            continue;
        }
        // In prose, `on-call` is also found as `oncall`. Not in names: `payment-events`
        // would otherwise become a rare `paymentev` that every `paym…` prefix matches.
        if i > 0 {
            for word in text.split_whitespace().filter(|w| w.contains('-')) {
                count_terms(&word.replace('-', ""), false, terms, &mut s.counts);
            }
        }
        let total: u32 = s.counts.values().sum();
        let norm = 1.0 / f64::from(total).sqrt();
        for (&t, &c) in &s.counts {
            *s.weights.entry(t).or_default() += f64::from(*boost) * f64::from(c).sqrt() * norm;
        }
    }
    // The whole name and title as written, so typing an entity's name puts it first; and a
    // docs section's whole heading (or its page's title, for the text before any heading),
    // a lower tier, so a heading made of common words ("Who it is for") is found too.
    if is_section(doc) {
        let heading = if doc.fields[2].is_empty() {
            &doc.fields[1]
        } else {
            &doc.fields[2]
        };
        if !heading.is_empty() {
            s.weights
                .insert(terms.id(&exact_term(heading)), EXACT_HEADING_TIER);
        }
        for name in &doc.names {
            s.weights
                .insert(terms.id(&exact_term(name)), EXACT_API_ITEM_TIER);
        }
    } else {
        for exact in doc.fields[..2].iter().filter(|f| !f.is_empty()) {
            s.weights
                .insert(terms.id(&exact_term(exact)), EXACT_ENTITY_TIER);
        }
    }
    out.extend((s.weights.iter()).map(|(&t, &w)| (t, round3(w).max(0.001), s.names.contains(&t))));
}

/// Exact-match terms start with `=`, which no pipeline term can (the trimmer removes it).
pub const EXACT_MARK: char = '=';
/// The weight of an exact term is the tier it lifts its documents to (`query::TIER`): an
/// entity whose name or title is exactly the query ranks above everything…
pub const EXACT_ENTITY_TIER: f64 = 3.0;
/// …and a docs section whose heading is, above documents that merely mention the words (but
/// below entities whose name holds them, tier 2).
pub const EXACT_HEADING_TIER: f64 = 1.0;
/// An API reference item called exactly the query (an operation's summary or operationId,
/// a type's name) ranks above a docs section with that heading: the guide that mentions
/// `createPaymentIntent` is second to the operation itself.
pub const EXACT_API_ITEM_TIER: f64 = 1.5;

pub fn exact_term(text: &str) -> String {
    format!("{EXACT_MARK}{}", fold(text.trim()))
}

/// A word worth correcting a typo towards, into `words`: letters only, 4 to 32 of them (a
/// query word needs five letters to be corrected, one typo away from four).
fn add_word(word: &str, term: &str, words: &mut Vocabulary) {
    let surface = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    let n = surface.chars().count();
    if (4..=32).contains(&n)
        && surface.chars().all(char::is_alphabetic)
        && !words.contains_key(surface)
    {
        words.insert(surface.to_string(), term.to_string());
    }
}

/// Per term: how many documents hold it, its heaviest postings so far, and the entities naming
/// it. Weights are kept as f32 while building (half the memory; exact for three decimals
/// below 2^14).
#[derive(Default)]
struct Building {
    df: u32,
    postings: Vec<(u32, f32)>,
    names: Vec<u32>,
}
type Postings = HashMap<String, Building>;

/// Documents are indexed in chunks of this many, each into postings of its own, merged after:
/// no per-document term lists are ever held all at once.
const INDEX_CHUNK: usize = 512;

type Vocabulary = HashMap<String, String>;

pub fn build_index(docs: &[SearchDoc]) -> Index {
    let mut builder = IndexBuilder::default();
    builder.add(docs);
    builder.finish()
}

/// The postings and vocabulary of a batch of documents, made apart from the builder: the
/// search stage makes one batch's while the previous one is merged in (`absorb`, on one
/// thread).
pub struct Part {
    postings: Postings,
    words: Vocabulary,
}

impl Part {
    /// The part of `docs`, numbered from `first` (`IndexBuilder::reserve`).
    pub fn of(first: usize, docs: &[SearchDoc]) -> Part {
        let (postings, words) = docs
            .par_chunks(INDEX_CHUNK)
            .enumerate()
            .map(|(c, chunk)| index_chunk(first + c * INDEX_CHUNK, chunk))
            .reduce(
                || (Postings::new(), Vocabulary::new()),
                |(pa, wa), (pb, wb)| (merge_postings(pa, pb), merge_words(wa, wb)),
            );
        Part { postings, words }
    }
}

/// An index made from documents given a batch at a time (numbered in the order given), so
/// a caller can let each batch's texts go once it is added.
#[derive(Default)]
pub struct IndexBuilder {
    docs: usize,
    postings: Postings,
    words: Vocabulary,
}

impl IndexBuilder {
    pub fn add(&mut self, docs: &[SearchDoc]) {
        let first = self.reserve(docs.len());
        self.absorb(Part::of(first, docs));
    }

    /// Numbers the next `n` documents (a `Part` made of them apart); the first one's number.
    pub fn reserve(&mut self, n: usize) -> usize {
        let first = self.docs;
        self.docs += n;
        first
    }

    /// Merges a part's postings and vocabulary in; parts may come in any order (the index is
    /// the same).
    pub fn absorb(&mut self, part: Part) {
        self.postings = merge_postings(std::mem::take(&mut self.postings), part.postings);
        self.words = merge_words(std::mem::take(&mut self.words), part.words);
    }

    pub fn finish(self) -> Index {
        let terms = (self.postings.into_par_iter())
            .map(|(t, mut b)| {
                keep_heaviest(&mut b.postings);
                let postings = b.postings.into_iter();
                let postings = postings.map(|(d, w)| (d, round3(f64::from(w)))).collect();
                b.names.sort_unstable();
                let (df, names) = (b.df, b.names);
                (
                    t,
                    Term {
                        df,
                        postings,
                        names,
                    },
                )
            })
            .collect();
        Index {
            docs: self.docs as u32,
            terms,
            words: self.words.into_iter().collect(),
        }
    }
}

/// Two vocabularies together (a word always becomes the same term, whichever is kept).
fn merge_words(a: Vocabulary, b: Vocabulary) -> Vocabulary {
    let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (w, t) in small {
        big.entry(w).or_insert(t);
    }
    big
}

/// The postings and vocabulary of the documents `chunk`, numbered from `first`.
fn index_chunk(first: usize, chunk: &[SearchDoc]) -> (Postings, Vocabulary) {
    let mut terms = Terms::default();
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    let mut building: Vec<Building> = Vec::new();
    for (j, doc) in chunk.iter().enumerate() {
        let i = (first + j) as u32;
        doc_terms(doc, &mut terms, &mut scratch, &mut found);
        building.resize_with(terms.names.len(), Building::default);
        for &(t, w, name) in &found {
            let b = &mut building[t as usize];
            b.df += 1;
            b.postings.push((i, w as f32));
            if name {
                b.names.push(i);
            }
        }
    }
    let words = terms.words;
    let postings = (terms.names.into_iter().zip(building))
        .filter(|(_, b)| b.df > 0)
        .collect();
    (postings, words)
}

/// Heaviest first, ties by document; at most `MAX_POSTINGS`.
fn keep_heaviest(p: &mut Vec<(u32, f32)>) {
    p.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    p.truncate(MAX_POSTINGS);
}

/// Postings of two chunks together. A list that grows well past `MAX_POSTINGS` is cut back to
/// its heaviest: the final top postings are always among each part's top postings, so a
/// common word never holds a posting per document.
fn merge_postings(a: Postings, b: Postings) -> Postings {
    let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (t, b) in small {
        let kept = big.entry(t).or_default();
        kept.df += b.df;
        kept.postings.extend(b.postings);
        kept.names.extend(b.names);
        if kept.postings.len() > 2 * MAX_POSTINGS {
            keep_heaviest(&mut kept.postings);
        }
    }
    big
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
            names: Vec::new(),
            text: body.into(),
            level: None,
        }
    }

    #[test]
    fn terms_follow_elasticlunrs_pipeline() {
        assert_eq!(
            terms_of("Payments-API (v2) is the payment gateway"),
            ["payment", "api", "v2", "payment", "gateway"]
        );
        assert!(terms_of("the and of").is_empty(), "stop words are dropped");
        assert_eq!(terms_of("Müller café"), terms_of("muller cafe"));
    }

    #[test]
    fn folding_lowers_and_drops_accents() {
        assert_eq!(fold("Müller Ångström Ça"), "muller angstrom ca");
        assert_eq!(fold("Straße"), "straße", "ß has no accent to drop");
    }

    #[test]
    fn entities_name_their_terms_and_words_keep_their_terms() {
        let index = build_index(&[doc("ledger-service", "Ledger", "about payments")]);
        assert_eq!(index.terms["ledger"].names, [0]);
        assert!(index.terms["payment"].names.is_empty());
        assert_eq!(index.words["payments"], "payment");
        assert_eq!(index.words["ledger"], "ledger");
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

    #[test]
    fn postings_cut_while_merging_are_the_top_of_all_postings() {
        // Many chunks, so partial lists are cut back before the last merge.
        let n = INDEX_CHUNK * 6 + 7;
        let docs: Vec<SearchDoc> = (0..n)
            .map(|i| {
                doc(
                    &format!("d{i}"),
                    "",
                    &format!("word {}", "filler ".repeat(i % 13)),
                )
            })
            .collect();
        let index = build_index(&docs);
        let mut all: Vec<(u32, f64)> = docs
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                let mut terms = Terms::default();
                let mut found = Vec::new();
                doc_terms(d, &mut terms, &mut Scratch::default(), &mut found);
                let word = terms.id("word");
                let w = found.into_iter().find(|(t, _, _)| *t == word);
                w.map(|(_, w, _)| (i as u32, w))
            })
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(MAX_POSTINGS);
        let t = &index.terms["word"];
        assert_eq!(t.df as usize, n);
        assert_eq!(t.postings, all);
    }
}
