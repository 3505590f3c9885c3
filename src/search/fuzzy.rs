//! Typo tolerance: a query word that matches no term is matched to the indexed words at the
//! smallest edit distance within its allowance (one typo from five letters, two from nine;
//! optimal string alignment, so a swap of neighbours counts as one).
//!
//! The client must find those words without downloading the whole vocabulary, and a typo can
//! change a word's first letters. Two strings within `k` edits share a string reachable from
//! each by at most `k` deletions; so each word is filed under the first three letters of each
//! of its ≤k-deletion variants, and a query word fetches the files of its own variants' first
//! three letters (at most 5 of them for one typo, 16 for two). The files are keyed like term shards:
//! one letter, split by a second and a third while too big.

use std::collections::BTreeSet;

/// Words of the vocabulary are filed under this many first letters of their variants.
pub const KEY_LEN: usize = 3;
/// At most this many corrected terms per query word (those at the smallest distance, in
/// alphabetical order): a bound on the term shards a typo makes the client fetch.
pub const MAX_FUZZY: usize = 16;
/// A corrected word's matches count this much of an exact match's.
pub const FUZZY_FACTOR: f64 = 0.5;

/// Typos forgiven in a query word of this many letters.
pub fn typos_allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The typos an indexed word must be filed for: the most any query word it could be within
/// reach of allows (a two-typo query word has nine letters, so it reaches words of seven).
pub fn typos_filed(word: &str) -> usize {
    if word.chars().count() >= 7 { 2 } else { 1 }
}

/// Optimal string alignment distance over characters, the client's `osa` too.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// First `KEY_LEN` letters of every variant of `word` with at most `k` letters deleted.
pub fn variant_keys(word: &str, k: usize) -> BTreeSet<String> {
    let head: Vec<char> = word.chars().take(KEY_LEN + k).collect();
    let mut out = BTreeSet::new();
    // Each subset of deleted positions among the head, as a bit mask, of at most k bits.
    for mask in 0u32..(1 << head.len()) {
        if mask.count_ones() as usize > k {
            continue;
        }
        let key: String = head
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) == 0)
            .map(|(_, c)| *c)
            .take(KEY_LEN)
            .collect();
        out.insert(key);
    }
    out
}

/// The terms a misspelt `word` stands for, among `(word, term)` pairs of the vocabulary: those
/// of the words nearest it within `typos_allowed`, alphabetical, at most `MAX_FUZZY`.
pub fn corrections<'a>(
    vocabulary: impl Iterator<Item = (&'a str, &'a str)>,
    word: &str,
) -> Vec<&'a str> {
    let k = typos_allowed(word);
    if k == 0 {
        return Vec::new();
    }
    let n = word.chars().count();
    let mut best = k + 1;
    let mut terms: BTreeSet<&str> = BTreeSet::new();
    for (w, term) in vocabulary {
        if w.chars().count().abs_diff(n) > k {
            continue;
        }
        let d = distance(word, w);
        if d > k {
            continue;
        }
        if d < best {
            best = d;
            terms.clear();
        }
        if d == best {
            terms.insert(term);
        }
    }
    terms.into_iter().take(MAX_FUZZY).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowance_grows_with_length() {
        assert_eq!(typos_allowed("ledg"), 0);
        assert_eq!(typos_allowed("ledgr"), 1);
        assert_eq!(typos_allowed("paymnets"), 1);
        assert_eq!(typos_allowed("kubernets"), 2);
    }

    #[test]
    fn a_swap_is_one_typo() {
        assert_eq!(distance("paymnets", "payments"), 1);
        assert_eq!(distance("ledgr", "ledger"), 1);
        assert_eq!(distance("identiy", "identity"), 1);
    }

    #[test]
    fn words_within_reach_share_a_key() {
        let pairs = [
            ("apyments", "payments"),
            ("xayments", "payments"),
            ("ayments", "payments"),
            ("pqyments", "payments"),
            ("ledgr", "ledger"),
            ("kbuernets", "kubernetes"),
            ("ubernetex", "kubernetes"),
        ];
        for (q, w) in pairs {
            let k = typos_allowed(q);
            assert!(distance(q, w) <= k, "{q} {w}");
            let filed = variant_keys(w, typos_filed(w));
            assert!(
                variant_keys(q, k).iter().any(|key| filed.contains(key)),
                "{q} and {w} share no key: {:?} {filed:?}",
                variant_keys(q, k)
            );
        }
        assert_eq!(variant_keys("ledgr", 1).len(), 4, "led, edg, ldg, leg");
    }

    #[test]
    fn corrections_keep_the_nearest_words() {
        let vocabulary = [
            ("payments", "payment"),
            ("payment", "payment"),
            ("paymaster", "paymast"),
            ("pavements", "pavement"),
        ];
        let it = || vocabulary.iter().map(|(a, b)| (*a, *b));
        assert_eq!(corrections(it(), "paymnets"), ["payment"]);
        assert!(corrections(it(), "ledgr").is_empty());
        assert!(
            corrections(it(), "paymxyzs").is_empty(),
            "two typos in eight letters"
        );
        assert!(corrections(it(), "paym").is_empty(), "too short to correct");
    }
}
