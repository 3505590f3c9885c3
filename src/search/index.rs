//! The inverted index: documents → terms (elasticlunr's English pipeline: split on white
//! space and hyphens, trim, drop stop words, Porter stem) → postings with precomputed weights.
//! A weight is Σ over fields of boost × √count / √field-length, elasticlunr's own scoring with
//! the field norm folded in at build time so the client only multiplies by idf.
//!
//! Words are folded (lower case, accents dropped) before the pipeline, here and in the client,
//! so `muller` finds *Müller*. Alongside the terms the index keeps its vocabulary — each word as
//! written (folded) and the term it became — for typo-tolerant lookups (`fuzzy.rs`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use elasticlunr::Language;
use elasticlunr::lang::English;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::documents::{FIELDS, SearchDoc};
use crate::parallel::lock;

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
    // ASCII has no accents to drop and lowers byte by byte.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

thread_local! {
    /// The pipeline, made once per thread. Its results are not cached here: the one caller
    /// that runs often (`Worker::learn`) keeps each token's term already, so a cache here
    /// would only tell case variants apart, at an allocation and a lookup per new token.
    static PIPELINE: RefCell<elasticlunr::Pipeline> = RefCell::new(English::new().make_pipeline());
}

/// Text → index terms, exactly as elasticlunr.js would turn the same text at query time.
pub fn terms_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each index term of `text`, in order.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |_, t| f(t));
}

/// Calls `f` with each folded word of `text` and the index term it becomes.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, &str)) {
    PIPELINE.with(|cell| {
        let pipeline = &mut *cell.borrow_mut();
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
            let term = pipeline.run(vec![word.to_string()]).pop();
            if let Some(t) = term.filter(|s| !s.is_empty()) {
                f(word, &t);
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

/// Every term of one index, numbered in the order any thread first met it.
#[derive(Default)]
struct Dictionary {
    ids: foldhash::HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

/// What one worker thread has learnt of an index's terms. Kept for the whole index, not per
/// chunk of documents: most tokens repeat across a site's pages, so each is folded and stemmed
/// once per thread, and a token seen before costs one lookup — no folding, no allocation, no
/// lock.
#[derive(Default)]
struct Known {
    /// Each token (a word as written) met, with the term it became.
    tokens: foldhash::HashMap<Box<str>, Token>,
    recent: Recent,
    /// The words worth correcting a typo towards (`add_word`) → their term's number.
    words: foldhash::HashMap<Box<str>, u32>,
    /// By term number: where the chunk being indexed keeps that term's postings (`NONE`
    /// when it has none yet). Reset after each chunk for the terms it touched only.
    slots: Vec<u32>,
    scratch: Scratch,
}

/// The short tokens a worker met last, by a hash of their bytes: one slot, in a table small
/// enough to stay in the processor's cache while pages are rendered between the batches,
/// answers for nearly every word (a few hundred words are most of any text), where a lookup
/// in `Known::tokens` reads three far-apart places.
struct Recent {
    slots: Vec<(ShortKey, Token)>,
}

/// A token of up to 16 bytes, exactly: its length and bytes packed into two numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ShortKey(u64, u64, u8);

const RECENT_SLOTS: usize = 4096;

impl Default for Recent {
    fn default() -> Recent {
        let empty = (
            ShortKey(0, 0, 0),
            Token {
                term: None,
                in_vocabulary: false,
            },
        );
        Recent {
            slots: vec![empty; RECENT_SLOTS],
        }
    }
}

impl Recent {
    /// The key of a token of 1 to 16 bytes: the first and last bytes overlap to cover them all.
    fn key(b: &[u8]) -> Option<ShortKey> {
        let n = b.len();
        let u32_at = |i: usize| {
            b.get(i..i + 4).map_or(0, |s| {
                u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
            })
        };
        let u64_at = |i: usize| {
            b.get(i..i + 8).map_or(0, |s| {
                u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
            })
        };
        let (lo, hi) = match n {
            1..=3 => (
                u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
                0,
            ),
            4..=7 => (u32_at(0) | u32_at(n - 4) << 32, 0),
            8..=16 => (u64_at(0), u64_at(n - 8)),
            _ => return None,
        };
        Some(ShortKey(lo, hi, n as u8))
    }

    fn slot(k: ShortKey) -> usize {
        let h = (k.0 ^ k.1.rotate_left(29) ^ u64::from(k.2)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
    }

    fn get(&self, k: ShortKey) -> Option<Token> {
        let (key, t) = self.slots[Self::slot(k)];
        (key == k).then_some(t)
    }

    fn put(&mut self, k: ShortKey, t: Token) {
        self.slots[Self::slot(k)] = (k, t);
    }
}

#[derive(Clone, Copy)]
struct Token {
    /// None: the pipeline drops it (a stop word, punctuation).
    term: Option<u32>,
    /// Its word is in the vocabulary already (or cannot be).
    in_vocabulary: bool,
}

const NONE: u32 = u32::MAX;

/// The terms of one index, shared by the threads indexing its documents: a `Known` per rayon
/// worker (locked only by that worker, so never waited for) and the dictionary they number
/// terms in (locked only when a worker meets a term it does not know).
pub struct Lexicon {
    dictionary: Mutex<Dictionary>,
    workers: Vec<Mutex<Known>>,
}

impl Default for Lexicon {
    fn default() -> Lexicon {
        // A slot per worker of the pool, and one shared by any other thread.
        let slots = rayon::current_num_threads() + 1;
        Lexicon {
            dictionary: Mutex::default(),
            workers: (0..slots).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Lexicon {
    /// This thread's view. Held while one chunk is indexed, which makes no rayon call: a
    /// worker never waits for its own slot.
    fn worker(&self) -> Worker<'_> {
        let shared = self.workers.len() - 1;
        let slot = rayon::current_thread_index().map_or(shared, |i| i.min(shared));
        Worker {
            known: lock(&self.workers[slot]),
            dictionary: &self.dictionary,
        }
    }
}

struct Worker<'a> {
    known: MutexGuard<'a, Known>,
    dictionary: &'a Mutex<Dictionary>,
}

impl Worker<'_> {
    /// The term's number, from the shared dictionary: asked only for tokens this worker
    /// meets for the first time and for exact terms, so rarely that its lock is not waited
    /// for.
    fn id(&mut self, term: &str) -> u32 {
        let mut d = lock(self.dictionary);
        if let Some(&id) = d.ids.get(term) {
            return id;
        }
        let id = d.names.len() as u32;
        d.names.push(term.into());
        d.ids.insert(term.into(), id);
        id
    }

    /// Calls `f` with the number of each index term of `text`, in order; with `vocabulary`,
    /// the words are added to the vocabulary too. Gives what `for_each_term` gives, and with
    /// `joined`, after each hyphenated word, the term its parts make together.
    fn each_id(&mut self, text: &str, vocabulary: bool, joined: bool, mut f: impl FnMut(u32)) {
        let mut glued = String::new();
        crate::text::for_each_spaced_word(text, |word| {
            if !word.as_bytes().contains(&b'-') {
                self.token_id(word, vocabulary, &mut f);
                return;
            }
            for part in word.split('-').filter(|p| !p.is_empty()) {
                self.token_id(part, vocabulary, &mut f);
            }
            if joined {
                glued.clear();
                glued.extend(word.split('-'));
                if !glued.is_empty() {
                    self.token_id(&glued, false, &mut f);
                }
            }
        });
    }

    fn token_id(&mut self, token: &str, vocabulary: bool, f: &mut impl FnMut(u32)) {
        // Known, and known where it counts for the vocabulary if that is asked.
        let fits = |t: &Token| t.in_vocabulary || !vocabulary;
        let key = Recent::key(token.as_bytes());
        let t = match key.and_then(|k| self.known.recent.get(k)).filter(fits) {
            Some(t) => t,
            // A token's first sight does not take a slot: most of those are never seen again,
            // and would push out the words that come back.
            None => match self.known.tokens.get(token).copied().filter(fits) {
                Some(t) => {
                    if let Some(k) = key {
                        self.known.recent.put(k, t);
                    }
                    t
                }
                None => self.learn(token, vocabulary),
            },
        };
        if let Some(id) = t.term {
            f(id);
        }
    }

    /// A token met for the first time (or first time where it counts for the vocabulary).
    fn learn(&mut self, token: &str, vocabulary: bool) -> Token {
        let mut found = None;
        for_each_word(token, |word, term| {
            found = Some((word.to_string(), term.to_string()))
        });
        let term = found.as_ref().map(|(_, t)| self.id(t));
        if vocabulary && let (Some((word, _)), Some(id)) = (&found, term) {
            add_word(word, id, &mut self.known.words);
        }
        let t = Token {
            term,
            in_vocabulary: vocabulary,
        };
        self.known.tokens.insert(token.into(), t);
        t
    }
}

/// One document's working space, by term number, kept by a worker between documents: dense
/// arrays, so a term costs an index rather than a hash. Only the entries a document set
/// are read and reset.
#[derive(Default)]
struct Scratch {
    /// Its count in the field being counted.
    counts: Vec<u32>,
    /// Its weight in the document (0: none; every weight given is above 0).
    weights: Vec<f64>,
    /// Whether it is in an entity's name or title.
    named: Vec<bool>,
    counted: Vec<u32>,
    weighted: Vec<u32>,
    names: Vec<u32>,
}

impl Scratch {
    fn fit(&mut self, id: u32) {
        let n = id as usize + 1;
        if self.counts.len() < n {
            self.counts.resize(n, 0);
            self.weights.resize(n, 0.0);
            self.named.resize(n, false);
        }
    }

    fn count(&mut self, id: u32) {
        self.fit(id);
        let c = &mut self.counts[id as usize];
        if *c == 0 {
            self.counted.push(id);
        }
        *c += 1;
    }

    fn name(&mut self, id: u32) {
        self.fit(id);
        if !std::mem::replace(&mut self.named[id as usize], true) {
            self.names.push(id);
        }
    }

    /// Adds `w` to the term's weight, or with `replace`, sets it.
    fn weigh(&mut self, id: u32, w: f64, replace: bool) {
        self.fit(id);
        let kept = &mut self.weights[id as usize];
        if *kept == 0.0 {
            self.weighted.push(id);
        }
        *kept = if replace { w } else { *kept + w };
    }

    /// The counted field's terms weighed (`boost` × √count / √field length), their counts
    /// reset.
    fn weigh_counted(&mut self, boost: f64) {
        let total: u32 = self.counted.iter().map(|&t| self.counts[t as usize]).sum();
        let norm = 1.0 / f64::from(total).sqrt();
        for k in 0..self.counted.len() {
            let t = self.counted[k];
            let c = std::mem::take(&mut self.counts[t as usize]);
            self.weigh(t, boost * f64::from(c).sqrt() * norm, false);
        }
        self.counted.clear();
    }

    /// The document's (term, weight, named) into `out`, every entry reset.
    fn take_weights(&mut self, out: &mut Vec<(u32, f64, bool)>) {
        for t in self.weighted.drain(..) {
            let w = std::mem::take(&mut self.weights[t as usize]);
            out.push((t, round3(w).max(0.001), self.named[t as usize]));
        }
        for t in self.names.drain(..) {
            self.named[t as usize] = false;
        }
    }
}

/// The weight of every term in one document, and whether it is in an entity's name or
/// title, into `out`; its words into the vocabulary.
fn doc_terms(
    doc: &SearchDoc,
    terms: &mut Worker,
    s: &mut Scratch,
    out: &mut Vec<(u32, f64, bool)>,
) {
    out.clear();
    if !is_section(doc) {
        for text in &doc.fields[..2] {
            terms.each_id(text, false, false, |id| s.name(id));
        }
    }
    for (i, (text, (_, boost))) in doc.fields.iter().zip(FIELDS).enumerate() {
        // In prose, `on-call` is also found as `oncall`. Not in names: `payment-events`
        // would otherwise become a rare `paymentev` that every `paym…` prefix matches.
        terms.each_id(text, true, i > 0, |id| s.count(id));
        s.weigh_counted(f64::from(*boost));
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
            s.weigh(terms.id(&exact_term(heading)), EXACT_HEADING_TIER, true);
        }
        for name in &doc.names {
            s.weigh(terms.id(&exact_term(name)), EXACT_API_ITEM_TIER, true);
        }
    } else {
        for exact in doc.fields[..2].iter().filter(|f| !f.is_empty()) {
            s.weigh(terms.id(&exact_term(exact)), EXACT_ENTITY_TIER, true);
        }
    }
    s.take_weights(out);
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
fn add_word(word: &str, term: u32, words: &mut foldhash::HashMap<Box<str>, u32>) {
    let surface = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    let n = surface.chars().count();
    if (4..=32).contains(&n)
        && surface.chars().all(char::is_alphabetic)
        && !words.contains_key(surface)
    {
        words.insert(surface.into(), term);
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

impl Building {
    /// Another part's postings of the same term in. A list that grows well past
    /// `MAX_POSTINGS` is cut back to its heaviest: the final top postings are always among
    /// each part's top postings, so a common word never holds a posting per document.
    fn absorb(&mut self, other: Building) {
        self.df += other.df;
        self.postings.extend(other.postings);
        self.names.extend(other.names);
        if self.postings.len() > 2 * MAX_POSTINGS {
            cut_to_heaviest(&mut self.postings);
        }
    }
}

/// Documents are indexed in chunks of this many, each into postings of its own, merged after:
/// no per-document term lists are ever held all at once.
const INDEX_CHUNK: usize = 512;

pub fn build_index(docs: &[SearchDoc]) -> Index {
    let lexicon = Lexicon::default();
    let mut builder = IndexBuilder::default();
    builder.add(&lexicon, docs);
    builder.finish(lexicon)
}

/// The postings of a batch of documents, made apart from the builder and numbered from 0:
/// the builder numbers them when it takes them in (`IndexBuilder::absorb`).
pub struct Part {
    /// Per chunk of documents: (term number, its postings in the chunk).
    chunks: Vec<Vec<(u32, Building)>>,
}

impl Part {
    pub fn of(lexicon: &Lexicon, docs: &[SearchDoc]) -> Part {
        let chunks = (docs.par_chunks(INDEX_CHUNK).enumerate())
            .map(|(c, chunk)| index_chunk(lexicon, c * INDEX_CHUNK, chunk))
            .collect();
        Part { chunks }
    }
}

/// An index made from documents given a batch at a time (numbered in the order given), so
/// a caller can let each batch's texts go once it is added. The first documents may come
/// last (`starting_at`).
#[derive(Default)]
pub struct IndexBuilder {
    docs: usize,
    /// By term number (`Lexicon`).
    postings: Vec<Building>,
}

impl IndexBuilder {
    /// Numbers the documents given from `ahead`: the ones before are given to `absorb` at 0.
    pub fn starting_at(ahead: usize) -> IndexBuilder {
        IndexBuilder {
            docs: ahead,
            postings: Vec::new(),
        }
    }

    /// The documents, numbered next.
    pub fn add(&mut self, lexicon: &Lexicon, docs: &[SearchDoc]) {
        let first = self.reserve(docs.len());
        self.absorb(Part::of(lexicon, docs), first);
    }

    /// Numbers the next `n` documents (a `Part` made of them apart); the first one's number.
    pub fn reserve(&mut self, n: usize) -> usize {
        let first = self.docs;
        self.docs += n;
        first
    }

    /// Merges a part's postings in, its documents numbered from `first`; parts may come in
    /// any order (the index is the same).
    pub fn absorb(&mut self, part: Part, first: usize) {
        let first = first as u32;
        for (t, mut b) in part.chunks.into_iter().flatten() {
            if first > 0 {
                b.postings.iter_mut().for_each(|p| p.0 += first);
                b.names.iter_mut().for_each(|d| *d += first);
            }
            let t = t as usize;
            if t >= self.postings.len() {
                self.postings.resize_with(t + 1, Building::default);
            }
            self.postings[t].absorb(b);
        }
    }

    /// The index, its terms named by `lexicon` (the one every part was made with).
    pub fn finish(self, lexicon: Lexicon) -> Index {
        let Lexicon {
            dictionary,
            workers,
        } = lexicon;
        let names = dictionary
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .names;
        let mut terms: Vec<(String, Term)> = (self.postings.into_par_iter().enumerate())
            .filter(|(_, b)| b.df > 0)
            .map(|(t, mut b)| {
                keep_heaviest(&mut b.postings);
                let postings = b.postings.into_iter();
                let postings = postings.map(|(d, w)| (d, round3(f64::from(w)))).collect();
                b.names.sort_unstable();
                let term = Term {
                    df: b.df,
                    postings,
                    names: b.names,
                };
                (names[t].to_string(), term)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut words = BTreeMap::new();
        for known in workers {
            let known = known.into_inner().unwrap_or_else(PoisonError::into_inner);
            for (word, t) in known.words {
                words
                    .entry(word.into_string())
                    .or_insert_with(|| names[t as usize].to_string());
            }
        }
        Index {
            docs: self.docs as u32,
            terms: terms.into_iter().collect(),
            words,
        }
    }
}

/// The postings of the documents `chunk`, numbered from `first`.
fn index_chunk(lexicon: &Lexicon, first: usize, chunk: &[SearchDoc]) -> Vec<(u32, Building)> {
    let mut worker = lexicon.worker();
    let mut scratch = std::mem::take(&mut worker.known.scratch);
    let mut found = Vec::new();
    let mut building: Vec<(u32, Building)> = Vec::new();
    for (j, doc) in chunk.iter().enumerate() {
        let i = (first + j) as u32;
        doc_terms(doc, &mut worker, &mut scratch, &mut found);
        let slots = &mut worker.known.slots;
        for &(t, w, name) in &found {
            if t as usize >= slots.len() {
                slots.resize(t as usize + 1, NONE);
            }
            if slots[t as usize] == NONE {
                slots[t as usize] = building.len() as u32;
                building.push((t, Building::default()));
            }
            let b = &mut building[slots[t as usize] as usize].1;
            b.df += 1;
            b.postings.push((i, w as f32));
            if name {
                b.names.push(i);
            }
        }
    }
    for (t, _) in &building {
        worker.known.slots[*t as usize] = NONE;
    }
    worker.known.scratch = scratch;
    building
}

/// Heavier first, ties by document: a total order, so the heaviest `MAX_POSTINGS` are the
/// same whatever order the postings came in.
fn heavier(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Heaviest first; at most `MAX_POSTINGS`.
fn keep_heaviest(p: &mut Vec<(u32, f32)>) {
    cut_to_heaviest(p);
    p.sort_unstable_by(heavier);
}

/// The heaviest `MAX_POSTINGS`, in no order: a selection, not a sort, while merging.
fn cut_to_heaviest(p: &mut Vec<(u32, f32)>) {
    if p.len() > MAX_POSTINGS {
        p.select_nth_unstable_by(MAX_POSTINGS - 1, heavier);
        p.truncate(MAX_POSTINGS);
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
            names: Vec::new(),
            text: body.into(),
            level: None,
        }
    }

    /// A recent token's key stands for its bytes alone: every string of `a` and `b` up to 16
    /// bytes gets its own, and a longer token none.
    #[test]
    fn recent_token_keys_are_distinct() {
        let mut seen = std::collections::HashMap::new();
        for n in 1..=16 {
            for bits in 0..1u32 << n {
                let token: String = (0..n)
                    .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'a' })
                    .collect();
                let key = Recent::key(token.as_bytes()).expect("a short token has a key");
                let (lo, hi, len) = (key.0, key.1, key.2);
                if let Some(other) = seen.insert((lo, hi, len), token.clone()) {
                    panic!("{token} and {other} share a key");
                }
            }
        }
        assert!(Recent::key("seventeen-letters".as_bytes()).is_none());
        assert!(Recent::key(b"").is_none());
        let mut recent = Recent::default();
        let named = Token {
            term: Some(7),
            in_vocabulary: true,
        };
        let k = Recent::key("müller".as_bytes()).expect("short");
        assert!(recent.get(k).is_none());
        recent.put(k, named);
        assert_eq!(recent.get(k).and_then(|t| t.term), Some(7));
        assert!(
            recent
                .get(Recent::key("muller".as_bytes()).expect("short"))
                .is_none()
        );
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
        // ASCII takes a shorter way to the same result.
        for text in ["Payment-API_v2 NOW", "", "a\tB\n~{}", "ÀB"] {
            let general: String = (text.to_lowercase().nfd())
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .collect();
            assert_eq!(fold(text), general, "{text}");
        }
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
                let lexicon = Lexicon::default();
                let mut terms = lexicon.worker();
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
