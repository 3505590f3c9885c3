//! Index files: the index split so a search fetches only what it needs. Terms go to shards by
//! their first two characters (three when a shard grows too big); documents' display data go
//! to fixed-size chunks fetched for the results shown; kind/owner facets to one file fetched
//! by the results page. A small site gets all of it inline in one `search/index.json`.
//! The vocabulary for typo correction (`fuzzy.rs`) always goes to files of its own under
//! `search/f/`, fetched only when a query word matches nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;

use super::documents::SearchDoc;
use super::fuzzy::{typos_filed, variant_keys};
use super::index::{Index, Term};
use crate::output::OutputFile;

/// Documents per store chunk.
pub const CHUNK: usize = 32;
/// A shard bigger than this is split by a further character.
pub const SPLIT_BYTES: usize = 32 * 1024;
/// Below this total, everything goes inline into the manifest.
pub const INLINE_BYTES: usize = 320 * 1024;

/// Deepest shard key: terms are bucketed by their first 1, 2 or 3 characters.
const MAX_KEY: usize = 3;

/// The shard key a term belongs to: its first character, extended while that key was split.
pub fn shard_key(term: &str, split: &BTreeSet<String>) -> String {
    let chars: Vec<char> = term.chars().collect();
    let mut n = 1.min(chars.len());
    while n < chars.len() && n < MAX_KEY && split.contains(&chars[..n].iter().collect::<String>()) {
        n += 1;
    }
    chars[..n].iter().collect()
}

/// `s` as a JSON string, the way serde_json writes it; most terms need no escapes and are
/// written without an allocation of their own.
fn push_json_str(out: &mut String, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// A weight (already rounded to three decimals) as `{w:.3}` with trailing zeros cut: in
/// thousandths, so without formatting a float per posting.
fn push_weight(out: &mut String, w: f64) {
    let thousandths = (w * 1000.0).round();
    if !thousandths.is_finite() || thousandths.abs() >= 1e15 {
        let s = format!("{w:.3}");
        out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
        return;
    }
    let t = thousandths as i64;
    if w.is_sign_negative() {
        out.push('-');
    }
    let (whole, frac) = (t.unsigned_abs() / 1000, t.unsigned_abs() % 1000);
    push_uint(out, whole);
    if frac > 0 {
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let used = if digits[2] > 0 {
            3
        } else if digits[1] > 0 {
            2
        } else {
            1
        };
        out.push('.');
        for d in &digits[..used] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
}

/// `n` in decimal, without the formatting machinery (a shard holds a number per posting).
fn push_uint(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// How many bytes `push_uint` writes for `n`.
fn uint_len(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// How many bytes `push_json_str` writes for `s`.
fn json_str_len(s: &str) -> usize {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_string(s).map_or(2, |q| q.len())
    } else {
        s.len() + 2
    }
}

/// How many bytes `push_weight` writes for `w`.
fn weight_len(w: f64) -> usize {
    let thousandths = (w * 1000.0).round();
    if !thousandths.is_finite() || thousandths.abs() >= 1e15 {
        let mut out = String::new();
        push_weight(&mut out, w);
        return out.len();
    }
    let t = (thousandths as i64).unsigned_abs();
    let frac = t % 1000;
    let decimals = match frac {
        0 => 0,
        _ if frac.is_multiple_of(100) => 2,
        _ if frac.is_multiple_of(10) => 3,
        _ => 4,
    };
    usize::from(w.is_sign_negative()) + uint_len(t / 1000) + decimals
}

/// How many bytes one term takes in `shard_json`, without its separating comma: known before
/// any shard is written, so a shard too big to keep is split without being written first.
fn term_json_len(t: &str, term: &Term) -> usize {
    let postings: usize = (term.postings.iter())
        .map(|&(doc, w)| uint_len(doc.into()) + 1 + weight_len(w))
        .sum::<usize>()
        + term.postings.len().saturating_sub(1);
    // `,[` the numbers and their commas `]`, where there are any.
    let names = match term.names.len() {
        0 => 0,
        n => {
            3 + n - 1
                + term
                    .names
                    .iter()
                    .map(|&d| uint_len(d.into()))
                    .sum::<usize>()
        }
    };
    json_str_len(t) + 2 + uint_len(term.df.into()) + 2 + postings + 1 + names + 1
}

/// `{"term":[df,[doc,w,doc,w…]],…}` for terms in sorted order.
fn shard_json<'a>(terms: impl Iterator<Item = (&'a String, &'a Term)>) -> String {
    let mut out = String::from("{");
    for (i, (t, term)) in terms.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, t);
        out.push_str(":[");
        push_uint(&mut out, term.df);
        out.push_str(",[");
        for (j, (doc, w)) in term.postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_uint(&mut out, *doc);
            out.push(',');
            push_weight(&mut out, *w);
        }
        out.push(']');
        // Entities naming the term, only where there are any: most terms name none.
        if !term.names.is_empty() {
            out.push_str(",[");
            for (j, name) in term.names.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_uint(&mut out, *name);
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// Files keyed by the first characters of a key string, and the keys that were split.
type Keyed = (BTreeMap<String, String>, BTreeSet<String>);

/// Shards by key: one per first character, split by a further character while a shard is
/// bigger than `SPLIT_BYTES`, so small sites get few files and large ones small files.
pub fn shards(index: &Index) -> Keyed {
    let all: Vec<(&str, (&String, &Term, usize))> = (index.terms.iter())
        .map(|(t, term)| (t.as_str(), (t, term, term_json_len(t, term))))
        .collect();
    split_by_key(
        &all,
        |group| Some(shard_len(group.iter().map(|(_, (_, _, n))| *n))),
        |group| shard_json(group.iter().map(|(_, (t, term, _))| (*t, *term))),
    )
}

/// How many bytes `shard_json` writes for terms of these lengths (`term_json_len`).
fn shard_len(terms: impl Iterator<Item = usize>) -> usize {
    let (count, bytes) = terms.fold((0_usize, 0), |(c, b), n| (c + 1, b + n));
    2 + bytes + count.saturating_sub(1)
}

/// Vocabulary files for typo correction: each word (with its term, `""` when the same) filed
/// under the keys of its variants (`fuzzy::variant_keys`), split like the term shards.
pub fn fuzzy_shards(index: &Index) -> Keyed {
    let all: Vec<(String, (&str, &str))> = index
        .words
        .iter()
        .flat_map(|(w, t)| {
            let keys = variant_keys(w, typos_filed(w));
            keys.into_iter().map(move |k| (k, (w.as_str(), t.as_str())))
        })
        .collect();
    let mut all: Vec<(&str, (&str, &str))> = all.iter().map(|(k, e)| (k.as_str(), *e)).collect();
    // By key (the words' order within a key does not matter: a file's map sorts them).
    all.sort_unstable();
    split_by_key(
        &all,
        |_| None,
        |group| {
            let words: BTreeMap<&str, &str> = group
                .iter()
                .map(|(_, (w, t))| (*w, if w == t { "" } else { *t }))
                .collect();
            serde_json::to_string(&words).unwrap_or_else(|_| "{}".into())
        },
    )
}

/// Groups `(key, item)` pairs, sorted by key, into files by their key's first character,
/// then second and third while a file is bigger than `SPLIT_BYTES`; `json` writes one group,
/// and `size` says how long that would be where it knows without writing it (a group split
/// further is then never written whole). The groups are written in parallel (the index's
/// last step, otherwise on one thread).
fn split_by_key<T: Copy + Send + Sync>(
    items: &[(&str, T)],
    size: impl Fn(&[(&str, T)]) -> Option<usize> + Sync,
    json: impl Fn(&[(&str, T)]) -> String + Sync,
) -> Keyed {
    bucket(items, 1, &(size, json))
}

/// The first `depth` characters of `k` (all of it when shorter).
fn prefix(k: &str, depth: usize) -> &str {
    k.char_indices().nth(depth).map_or(k, |(i, _)| &k[..i])
}

fn bucket<T, S, J>(items: &[(&str, T)], depth: usize, writers: &(S, J)) -> Keyed
where
    T: Copy + Send + Sync,
    S: Fn(&[(&str, T)]) -> Option<usize> + Sync,
    J: Fn(&[(&str, T)]) -> String + Sync,
{
    let (size, json) = writers;
    debug_assert!(items.is_sorted_by_key(|(k, _)| *k), "items sorted by key");
    // Sorted by key, the items of a prefix are one run, and a key that is the prefix itself
    // comes first in it.
    let groups: Vec<&[(&str, T)]> =
        (items.chunk_by(|a, b| prefix(a.0, depth) == prefix(b.0, depth))).collect();
    let parts: Vec<Keyed> = groups
        .into_par_iter()
        .map(|group| {
            let key = prefix(group[0].0, depth);
            let (mut out, mut split) = (BTreeMap::new(), BTreeSet::new());
            let last = depth >= MAX_KEY || key.chars().count() < depth;
            if last || size(group).is_none_or(|n| n <= SPLIT_BYTES) {
                let text = json(group);
                if last || text.len() <= SPLIT_BYTES {
                    out.insert(key.to_string(), text);
                    return (out, split);
                }
            }
            split.insert(key.to_string());
            let (here, deeper) =
                group.split_at(group.iter().take_while(|(k, _)| *k == key).count());
            if !here.is_empty() {
                out.insert(key.to_string(), json(here));
            }
            let (more, more_split) = bucket(deeper, depth + 1, writers);
            out.extend(more);
            split.extend(more_split);
            (out, split)
        })
        .collect();
    let (mut out, mut split) = (BTreeMap::new(), BTreeSet::new());
    for (o, s) in parts {
        out.extend(o);
        split.extend(s);
    }
    (out, split)
}

fn store_json(docs: &[SearchDoc]) -> String {
    let rows: Vec<[&str; 8]> = docs
        .iter()
        .map(|d| {
            [
                d.title.as_str(),
                &d.url,
                &d.kind,
                &d.kind_label,
                &d.entity_type,
                &d.owner,
                &d.context,
                &d.text,
            ]
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// The results page's filters, gathered a document at a time: each document's kind, owner
/// and scorecard level by number, numbered in order of first sight and renumbered in sorted
/// order when written.
#[derive(Default)]
struct Facets {
    kinds: HashMap<(String, String), usize>,
    owners: HashMap<String, usize>,
    levels: HashMap<(usize, String, String), usize>,
    per_doc: Vec<(usize, usize, Option<usize>)>,
}

impl Facets {
    fn add(&mut self, d: &SearchDoc) {
        let kind = number(&mut self.kinds, (d.kind.clone(), d.kind_label.clone()));
        let owner = number(&mut self.owners, d.owner.clone());
        let level = (d.level.clone()).map(|level| number(&mut self.levels, level));
        self.per_doc.push((kind, owner, level));
    }

    /// Documents numbered before every one added so far.
    fn add_ahead(&mut self, docs: &[SearchDoc]) {
        let after = std::mem::take(&mut self.per_doc);
        for d in docs {
            self.add(d);
        }
        self.per_doc.extend(after);
    }

    /// Kinds and owners of every document, as indexes into two lists, and scorecard levels,
    /// lowest first, as `[id, title]` with each document's index into them (-1: not a scored
    /// entity).
    fn json(self) -> String {
        let (kinds, kind_at) = sorted(self.kinds);
        let (owners, owner_at) = sorted(self.owners);
        let (levels, level_at) = sorted(self.levels);
        // Written straight from the per-document numbers: as a `serde_json::Value`, their
        // million-odd numbers took ~100 MB at 110,000 pages, the build's peak.
        let file = FacetsFile {
            kinds: kinds.iter().map(|(k, l)| [k.as_str(), l]).collect(),
            owners: &owners,
            d: Seq((self.per_doc.iter()).flat_map(|&(k, o, _)| [kind_at[k], owner_at[o]])),
            levels: levels.iter().map(|(_, id, t)| [id.as_str(), t]).collect(),
            l: Seq((self.per_doc.iter()).map(|&(_, _, l)| l.map_or(-1, |l| level_at[l] as i64))),
        };
        serde_json::to_string(&file).unwrap_or_else(|_| "{}".into())
    }
}

/// The filters file, its fields in the order the client has always read them.
#[derive(serde::Serialize)]
#[serde(bound = "Seq<D>: serde::Serialize, Seq<L>: serde::Serialize")]
struct FacetsFile<'a, D, L> {
    kinds: Vec<[&'a str; 2]>,
    owners: &'a [String],
    d: Seq<D>,
    levels: Vec<[&'a str; 2]>,
    l: Seq<L>,
}

/// A sequence serialised from its iterator, never collected.
struct Seq<I>(I);

impl<I> serde::Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// `key`'s number in `seen`, a new one when it is new.
fn number<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, usize>, key: K) -> usize {
    let next = seen.len();
    *seen.entry(key).or_insert(next)
}

/// The keys in order, and for each first-sight number the key's place in that order.
fn sorted<K: Ord>(seen: HashMap<K, usize>) -> (Vec<K>, Vec<usize>) {
    let mut keys: Vec<(K, usize)> = seen.into_iter().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut at = vec![0; keys.len()];
    for (place, (_, first)) in keys.iter().enumerate() {
        at[*first] = place;
    }
    (keys.into_iter().map(|(k, _)| k).collect(), at)
}

/// Sizes of what was written, for reports and the docs.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchStats {
    pub docs: usize,
    pub terms: usize,
    pub files: usize,
    pub bytes: usize,
    pub inline: bool,
}

/// The index files under `search/`.
pub fn index_files(index: &Index, docs: &[SearchDoc]) -> (Vec<OutputFile>, SearchStats) {
    files_of_parts(index, Stored::of(docs))
}

/// What the files keep of the documents themselves (the results' titles, links and excerpts,
/// the filters), made first so the documents can be let go before the index is written out.
pub struct Stored {
    docs: usize,
    /// The chunks not yet handed out (`StoredBuilder::take_files`), by number.
    chunks: BTreeMap<usize, String>,
    /// The bytes of every chunk, handed out or not: whether the index goes inline.
    chunk_bytes: usize,
    /// The chunks' files handed out so far, by name, and their count and bytes.
    files: Hashed,
    facets: String,
}

impl Stored {
    pub fn of(docs: &[SearchDoc]) -> Stored {
        let mut stored = StoredBuilder::default();
        stored.add(docs);
        stored.finish(&[])
    }
}

/// `Stored`, made from documents given a batch at a time (in order), so that no batch need
/// be kept once added: only the last few documents short of a whole chunk are. The first
/// `ahead` documents may come last (`starting_at`, `finish`).
#[derive(Default)]
pub struct StoredBuilder {
    /// Documents before this one are given to `finish`: a build's entities, which wait for
    /// the scores while the docs sections after them are stored.
    ahead: usize,
    /// Documents given to `add`, numbered from `ahead`.
    added: usize,
    /// The documents of the chunk `ahead` falls within, kept until the ones before come.
    straddling: Vec<SearchDoc>,
    /// The documents of chunk `next_chunk`, being filled.
    pending: Vec<SearchDoc>,
    next_chunk: usize,
    chunks: BTreeMap<usize, String>,
    chunk_bytes: usize,
    files: Hashed,
    facets: Facets,
}

impl StoredBuilder {
    /// Documents given to `add` are numbered from `ahead`; the ones before go to `finish`.
    pub fn starting_at(ahead: usize) -> StoredBuilder {
        StoredBuilder {
            ahead,
            next_chunk: ahead.div_ceil(CHUNK),
            ..Default::default()
        }
    }

    pub fn add(&mut self, docs: &[SearchDoc]) {
        for d in docs {
            self.facets.add(d);
        }
        let mut rest = docs;
        let straddles =
            (self.ahead.next_multiple_of(CHUNK) - self.ahead).saturating_sub(self.added);
        let take = straddles.min(rest.len());
        self.straddling.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        self.added += docs.len();
        if !self.pending.is_empty() {
            let take = (CHUNK - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == CHUNK {
                let json = store_json(&self.pending);
                self.push_chunk(json);
                self.pending.clear();
            }
        }
        let whole = rest.len() / CHUNK * CHUNK;
        for chunk in rest[..whole].chunks(CHUNK) {
            self.push_chunk(store_json(chunk));
        }
        self.pending.extend_from_slice(&rest[whole..]);
    }

    /// The chunk being filled, made.
    fn push_chunk(&mut self, json: String) {
        self.put_chunk(self.next_chunk, json);
        self.next_chunk += 1;
    }

    fn put_chunk(&mut self, number: usize, json: String) {
        self.chunk_bytes += json.len();
        self.chunks.insert(number, json);
    }

    /// The chunks made since the last call, as their files, once the chunks alone are too big
    /// to go inline (the manifest is then sure to name files): handed to the writer as they
    /// are made, tens of MB of results need not be held until the index is finished. Empty
    /// while they might still go inline.
    pub fn take_files(&mut self) -> Vec<OutputFile> {
        if self.chunk_bytes <= INLINE_BYTES {
            return Vec::new();
        }
        for (number, c) in std::mem::take(&mut self.chunks) {
            self.files.add(format!("d/{number}"), c);
        }
        self.files.take()
    }

    /// The stored documents, the first `ahead` of them given here.
    pub fn finish(mut self, ahead: &[SearchDoc]) -> Stored {
        debug_assert_eq!(ahead.len(), self.ahead, "the documents numbered ahead");
        self.facets.add_ahead(ahead);
        let whole = ahead.len() / CHUNK * CHUNK;
        for (number, chunk) in ahead[..whole].chunks(CHUNK).enumerate() {
            self.put_chunk(number, store_json(chunk));
        }
        let mut straddling = ahead[whole..].to_vec();
        straddling.append(&mut self.straddling);
        if !straddling.is_empty() {
            self.put_chunk(whole / CHUNK, store_json(&straddling));
        }
        if !self.pending.is_empty() {
            let json = store_json(&self.pending);
            self.push_chunk(json);
        }
        Stored {
            docs: ahead.len() + self.added,
            chunks: self.chunks,
            chunk_bytes: self.chunk_bytes,
            files: self.files,
            facets: self.facets.json(),
        }
    }
}

/// The index files of `index` and the documents it was made of.
pub fn files_of_parts(index: &Index, stored: Stored) -> (Vec<OutputFile>, SearchStats) {
    let Stored {
        docs,
        chunks,
        chunk_bytes,
        mut files,
        facets,
    } = stored;
    let ((shards, split), (fuzzy, fuzzy_split)) =
        rayon::join(|| shards(index), || fuzzy_shards(index));
    let total: usize = shards.values().map(String::len).sum::<usize>() + chunk_bytes + facets.len();
    let mut manifest = serde_json::json!({
        "version": 1,
        "docs": docs,
        "chunk": CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
        "split": split,
        "fuzzy": fuzzy.keys().collect::<Vec<_>>(),
        "fuzzySplit": fuzzy_split,
    });
    let mut stats = SearchStats {
        docs,
        terms: index.terms.len(),
        ..Default::default()
    };
    if total <= INLINE_BYTES {
        let shard_values: serde_json::Map<String, serde_json::Value> = shards
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::from_str(v).unwrap_or_default()))
            .collect();
        let store: Vec<serde_json::Value> = chunks
            .values()
            .flat_map(|c| serde_json::from_str::<Vec<serde_json::Value>>(c).unwrap_or_default())
            .collect();
        manifest["inline"] = serde_json::json!({"shards": shard_values, "store": store, "facets": serde_json::from_str::<serde_json::Value>(&facets).unwrap_or_default()});
        stats.inline = true;
    } else {
        for (k, v) in shards {
            files.add(format!("t/{}", file_key(&k)), v);
        }
        for (number, c) in chunks {
            files.add(format!("d/{number}"), c);
        }
        files.add("facets".to_string(), facets);
    }
    for (k, v) in fuzzy {
        files.add(format!("f/{}", file_key(&k)), v);
    }
    manifest["files"] = serde_json::to_value(&files.names).unwrap_or_default();
    files
        .files
        .push(OutputFile::bytes("search/index.json", manifest.to_string()));
    let files_now = files.take();
    stats.files = files.count;
    stats.bytes = files.bytes;
    (files_now, stats)
}

/// Index files named after their content (`t/ab.3f9c2e1a7b.json`), with the map from each
/// logical name (`t/ab`) to its file that the manifest carries. A file whose bytes change gets
/// a new name, so a reader holding the previous manifest keeps finding the files it names
/// while a new site is published over the old one, and every such file may be cached forever.
#[derive(Default)]
struct Hashed {
    names: BTreeMap<String, String>,
    /// The files added since the last `take`.
    files: Vec<OutputFile>,
    /// Every file taken, and their bytes.
    count: usize,
    bytes: usize,
}

impl Hashed {
    fn add(&mut self, name: String, json: String) {
        let hash = blake3::hash(json.as_bytes()).to_hex();
        let file = format!("{name}.{}.json", &hash[..10]);
        self.files
            .push(OutputFile::bytes(format!("search/{file}"), json));
        self.names.insert(name, file);
    }

    /// The files added since the last call, counted.
    fn take(&mut self) -> Vec<OutputFile> {
        let files = std::mem::take(&mut self.files);
        self.count += files.len();
        self.bytes += files.iter().map(|f| f.len() as usize).sum::<usize>();
        files
    }
}

/// A shard key as a file name: ASCII letters and digits as they are, anything else as
/// `_xx` hex bytes, so every key is a safe, distinct, case-insensitive-proof name.
pub fn file_key(key: &str) -> String {
    let mut out = String::new();
    for b in key.bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            out.push(b as char);
        } else {
            let _ = write!(out, "_{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_keys_are_safe_and_distinct() {
        assert_eq!(file_key("pa"), "pa");
        assert_eq!(file_key("é1"), "_c3_a91");
        assert_eq!(file_key("_x"), "_5fx");
        assert_ne!(file_key("A"), file_key("a"));
    }

    #[test]
    fn big_shards_split_and_keys_find_their_shard() {
        use crate::search::index::Term;
        let mut index = Index {
            docs: 1,
            ..Index::default()
        };
        let long = Term {
            df: 1,
            postings: (0..2000).map(|i| (i, 1.5)).collect(),
            names: Vec::new(),
        };
        for t in ["pay", "payment", "pa", "p", "ledger", "pzzz", "pbx"] {
            index.terms.insert(t.to_string(), long.clone());
        }
        let (shards, split) = shards(&index);
        for t in index.terms.keys() {
            let key = shard_key(t, &split);
            let shard: serde_json::Value = serde_json::from_str(&shards[&key]).unwrap();
            assert!(shard.get(t).is_some(), "{t} is not in shard {key}");
        }
        assert!(split.contains("p"), "{split:?}");
        assert!(
            shards.keys().filter(|k| k.starts_with('p')).count() > 2,
            "{:?}",
            shards.keys().collect::<Vec<_>>()
        );
    }

    /// Publishing relies on it: a file keeps its name while its bytes stay the same and gets
    /// a new one when they change, and the manifest names each file.
    #[test]
    fn index_files_are_named_after_their_content() {
        let mut a = Hashed::default();
        a.add("t/ab".into(), "{\"x\":1}".into());
        a.add("d/0".into(), "[1]".into());
        let mut b = Hashed::default();
        b.add("t/ab".into(), "{\"x\":1}".into());
        b.add("d/0".into(), "[2]".into());
        assert_eq!(a.names["t/ab"], b.names["t/ab"]);
        assert_ne!(a.names["d/0"], b.names["d/0"]);
        assert!(a.names["t/ab"].starts_with("t/ab.") && a.names["t/ab"].ends_with(".json"));
        let paths: Vec<&str> = a.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("search/{}", a.names["t/ab"]),
                format!("search/{}", a.names["d/0"])
            ]
        );
    }

    fn row(i: usize) -> SearchDoc {
        SearchDoc {
            fields: Default::default(),
            title: format!("Page {i}"),
            url: format!("docs/default/component/x/{i}/"),
            kind: "docs".into(),
            kind_label: "Docs".into(),
            entity_type: String::new(),
            owner: format!("team-{}", i % 7),
            context: "Site".into(),
            text: "word ".repeat(60),
            names: Vec::new(),
            level: None,
        }
    }

    fn bytes(f: &OutputFile) -> &[u8] {
        match &f.content {
            crate::output::Content::Bytes(b) => b,
            crate::output::Content::Copy(from) => panic!("{} copies {from:?}", f.path),
        }
    }

    /// `n` documents and an index of them without terms: only their stored rows to write.
    fn rows_without_terms(n: usize) -> (Vec<SearchDoc>, Index) {
        let index = Index {
            docs: n as u32,
            ..Index::default()
        };
        ((0..n).map(row).collect(), index)
    }

    fn by_path(files: &[OutputFile]) -> BTreeMap<&str, &[u8]> {
        files.iter().map(|f| (f.path.as_str(), bytes(f))).collect()
    }

    /// The build writes the results' rows as they are made: once they are too big to go
    /// inline, each batch's whole chunks come out at once, and the files, counted and named in
    /// the manifest, are those of storing every document together. The first documents (a
    /// build's entities) may come last, however many there are.
    #[test]
    fn stored_rows_are_handed_out_once_past_the_inline_size() {
        let (docs, index) = rows_without_terms(3000);
        let (whole, whole_stats) = index_files(&index, &docs);
        for ahead in [0, 7, 32, 45, 2990, 3000] {
            let mut stored = StoredBuilder::starting_at(ahead);
            let mut handed = Vec::new();
            // 100 a batch: chunks of 32 straddle the batches.
            for batch in docs[ahead..].chunks(100) {
                stored.add(batch);
                handed.push(stored.take_files());
            }
            if ahead < 100 {
                assert!(handed[0].is_empty(), "inline-sized rows are held");
                let early: usize = handed.iter().map(Vec::len).sum();
                assert!(early > 50, "{early} files handed out before the end");
            }
            let (rest, stats) = files_of_parts(&index, stored.finish(&docs[..ahead]));
            let mut streamed: Vec<OutputFile> = handed.into_iter().flatten().collect();
            streamed.extend(rest);

            assert_eq!(by_path(&streamed), by_path(&whole), "{ahead} ahead");
            assert_eq!(streamed.len(), whole.len());
            assert!(!stats.inline);
            assert_eq!(
                (stats.docs, stats.files, stats.bytes),
                (whole_stats.docs, whole_stats.files, whole_stats.bytes)
            );
        }
    }

    /// A small index goes inline, its rows and facets in document order even when the first
    /// ones came last.
    #[test]
    fn inline_rows_keep_their_order_when_the_first_come_last() {
        let (docs, index) = rows_without_terms(50);
        let (whole, _) = index_files(&index, &docs);
        let mut stored = StoredBuilder::starting_at(20);
        stored.add(&docs[20..]);
        assert!(stored.take_files().is_empty());
        let (late, stats) = files_of_parts(&index, stored.finish(&docs[..20]));
        assert!(stats.inline);
        assert_eq!(by_path(&late), by_path(&whole));
    }

    #[test]
    fn facets_number_kinds_owners_and_levels_in_sorted_order() {
        let mut docs: Vec<SearchDoc> = (0..4).map(row).collect();
        docs[1].kind = "component".into();
        docs[1].kind_label = "Component".into();
        docs[1].level = Some((2, "gold".into(), "Gold".into()));
        docs[3].level = Some((0, "bronze".into(), "Bronze".into()));
        let mut facets = Facets::default();
        docs[1..].iter().for_each(|d| facets.add(d));
        facets.add_ahead(&docs[..1]);
        let json: serde_json::Value =
            serde_json::from_str(&facets.json()).expect("the facets file is JSON");
        assert_eq!(
            json,
            serde_json::json!({
                "kinds": [["component", "Component"], ["docs", "Docs"]],
                "owners": ["team-0", "team-1", "team-2", "team-3"],
                "d": [1, 0, 0, 1, 1, 2, 1, 3],
                "levels": [["bronze", "Bronze"], ["gold", "Gold"]],
                "l": [-1, 1, -1, 0],
            })
        );
        // The client reads the fields in this order.
        let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["kinds", "owners", "d", "levels", "l"]);
    }

    #[test]
    fn weights_print_short() {
        let mut s = String::new();
        push_weight(&mut s, 1.5);
        s.push(' ');
        push_weight(&mut s, 2.0);
        s.push(' ');
        push_weight(&mut s, 0.123);
        assert_eq!(s, "1.5 2 0.123");
    }

    /// Exactly what formatting the float gave, for every weight a shard can hold.
    #[test]
    fn weights_print_as_the_float_formatting_did() {
        let old = |w: f64| {
            let s = format!("{w:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut weights: Vec<f64> = vec![0.0, 0.001, 0.01, 0.1, 0.5, 1.0, 9.999, 10.0, 1234.5];
        for _ in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            weights.push((rng % 100_000_000) as f64 / 1e4);
        }
        for w in weights.into_iter().map(|w| (w * 1000.0).round() / 1000.0) {
            let mut s = String::new();
            push_weight(&mut s, w);
            assert_eq!(s, old(w), "weight {w}");
            let mut neg = String::new();
            push_weight(&mut neg, -w);
            assert_eq!(neg, old(-w), "weight {}", -w);
        }
    }

    /// A term's length as `shard_json` would write it, for terms of every shape: escaped
    /// and non-ASCII text, no postings, weights with 0–3 decimals, negative and huge ones,
    /// names or none.
    #[test]
    fn term_lengths_are_known_before_they_are_written() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |m: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % m
        };
        let words = ["pay", "naïve", "quote\"d", "tab\there", "\u{1}x", ""];
        let special = [
            0.0, -0.0, 0.001, 0.01, 0.1, 0.5, 1.0, 9.999, 1e15, 1e300, -2.5,
        ];
        let mut terms = Vec::new();
        for i in 0..5_000 {
            let postings = (0..next(6))
                .map(|_| {
                    let w = match next(3) {
                        0 => special[next(special.len() as u64) as usize],
                        _ => (next(100_000_000) as f64 / 1e4 * 1000.0).round() / 1000.0,
                    };
                    (next(u64::from(u32::MAX)) as u32, w)
                })
                .collect();
            let term = Term {
                df: next(1 << 20) as u32,
                postings,
                names: (0..next(3)).map(|_| next(100_000) as u32).collect(),
            };
            let t = format!("{}{i}", words[i % words.len()]);
            let written = shard_json(std::iter::once((&t, &term)));
            assert_eq!(term_json_len(&t, &term), written.len() - 2, "{written}");
            terms.push((t, term));
        }
        // And a shard's length from its terms', for runs of 0 to 9 terms.
        for run in terms.chunks(10).zip((0..10).cycle()).map(|(c, n)| &c[..n]) {
            let written = shard_json(run.iter().map(|(t, term)| (t, term)));
            let lens = run.iter().map(|(t, term)| term_json_len(t, term));
            assert_eq!(shard_len(lens), written.len(), "{written}");
        }
    }

    /// Shards split by their known size come out as when each was written to be measured.
    #[test]
    fn shards_split_by_known_size_as_by_written_size() {
        let mut index = Index::default();
        for i in 0..3_000_u32 {
            let postings = (0..(i % 40))
                .map(|d| (d * 7 + i, f64::from(d % 9) / 8.0))
                .collect();
            let term = Term {
                df: i,
                postings,
                names: Vec::new(),
            };
            let word = format!(
                "{}{}{i}",
                char::from(b'a' + (i % 3) as u8),
                ["x", "é", "zz"][(i % 5 % 3) as usize]
            );
            index.terms.insert(word, term);
        }
        let all: Vec<(&str, (&String, &Term))> =
            index.terms.iter().map(|e| (e.0.as_str(), e)).collect();
        let written = split_by_key(&all, |_| None, |g| shard_json(g.iter().map(|(_, e)| *e)));
        let known = shards(&index);
        assert!(known.1.len() > 3, "the test's shards split: {:?}", known.1);
        assert_eq!(known, written);
    }

    #[test]
    fn terms_are_written_as_serde_json_writes_them() {
        for t in [
            "plain",
            "naïve",
            "quote\"d",
            "back\\slash",
            "tab\there",
            "\u{1}x",
            "",
        ] {
            let mut s = String::new();
            push_json_str(&mut s, t);
            assert_eq!(s, serde_json::to_string(t).unwrap());
        }
    }
}
