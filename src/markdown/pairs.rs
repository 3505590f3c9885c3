//! The paired inline extensions CommonMark lacks — CriticMarkup, pymdownx.keys `++…++`,
//! caret `^^ins^^`/`^sup^`, tilde `~~del~~`/`~sub~`, mark `==…==` — matched on a flattened copy
//! of an inline run in which every non-text piece is one placeholder character, so a pair may
//! enclose emphasis or code but never half of a link.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::Event;
use regex::{Captures, Regex};

use super::inline::Piece;
use super::source::SENTINEL;
use super::symbols;

const P: char = SENTINEL;

struct Rule {
    re: Regex,
    open: &'static str,
    close: &'static str,
}

fn rule(re: &str, open: &'static str, close: &'static str) -> Rule {
    Rule {
        re: Regex::new(re).expect("valid regex"),
        open,
        close,
    }
}

static CRITIC: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(r"(?s)\{\+\+(.*?)\+\+\}", "<ins class=\"critic\">", "</ins>"),
        rule(r"(?s)\{--(.*?)--\}", "<del class=\"critic\">", "</del>"),
        rule(r"(?s)\{==(.*?)==\}", "<mark class=\"critic\">", "</mark>"),
        rule(
            r"(?s)\{>>(.*?)<<\}",
            "<span class=\"critic comment\">",
            "</span>",
        ),
    ]
});
static CRITIC_SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{~~(.*?)~>(.*?)~~\}").expect("valid regex"));
static KEYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\+\+((?:[^+\s"\x{FDD0}]+|"[^"\x{FDD0}]*")(?:\+(?:[^+\s"\x{FDD0}]+|"[^"\x{FDD0}]*"))*)\+\+"#).expect("valid regex")
});
static PAIRS: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(r"(?s)\^\^([^\s^]|[^\s^].*?[^\s^])\^\^", "<ins>", "</ins>"),
        rule(r"\^([^\s^]+?)\^", "<sup>", "</sup>"),
        rule(r"(?s)~~([^\s~]|[^\s~].*?[^\s~])~~", "<del>", "</del>"),
        rule(r"~([^\s~]+?)~", "<sub>", "</sub>"),
        rule(r"(?s)==([^\s=]|[^\s=].*?[^\s=])==", "<mark>", "</mark>"),
    ]
});
/// Text with one placeholder per non-text piece, and those pieces in order.
struct Flat<'e> {
    s: String,
    slots: Vec<Piece<'e>>,
}

enum Part {
    Markup(String, String),
    Keep(Range<usize>),
}

impl<'e> Flat<'e> {
    fn new(pieces: Vec<Piece<'e>>) -> Self {
        let mut s = String::new();
        let mut slots = Vec::new();
        for p in pieces {
            match p {
                Piece::Text(t) => s.push_str(&t),
                other => {
                    s.push(P);
                    slots.push(other);
                }
            }
        }
        Flat { s, slots }
    }

    fn into_pieces(self) -> Vec<Piece<'e>> {
        let mut out = Vec::new();
        let mut slots = self.slots.into_iter();
        let mut text = String::new();
        for c in self.s.chars() {
            if c == P {
                if !text.is_empty() {
                    out.push(Piece::Text(Cow::Owned(std::mem::take(&mut text))));
                }
                out.extend(slots.next());
            } else {
                text.push(c);
            }
        }
        if !text.is_empty() {
            out.push(Piece::Text(Cow::Owned(text)));
        }
        out
    }

    /// Whether the tags opened and closed by the placeholders in `range` balance.
    fn balanced(&self, range: Range<usize>) -> bool {
        let first = self.s[..range.start].matches(P).count();
        let n = self.s[range].matches(P).count();
        let mut depth = 0i32;
        for slot in &self.slots[first..first + n] {
            match slot {
                Piece::Event(Event::Start(_), _) => depth += 1,
                Piece::Event(Event::End(_), _) => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                _ => {}
            }
        }
        depth == 0
    }

    /// Replaces every accepted match of `re` by the parts `make` returns.
    fn apply(
        self,
        re: &Regex,
        mut make: impl FnMut(&Captures, &Flat) -> Option<Vec<Part>>,
    ) -> Flat<'e> {
        let mut edits: Vec<(Range<usize>, Vec<Part>)> = Vec::new();
        for cap in re.captures_iter(&self.s) {
            if let Some(parts) = make(&cap, &self) {
                edits.push((cap.get(0).expect("match").range(), parts));
            }
        }
        if edits.is_empty() {
            return self;
        }
        let mut slots: Vec<Option<Piece<'e>>> = self.slots.into_iter().map(Some).collect();
        let mut slot_at = vec![0usize; self.s.len() + 1];
        let mut count = 0;
        for (i, c) in self.s.char_indices() {
            slot_at[i] = count;
            if c == P {
                count += 1;
            }
        }
        slot_at[self.s.len()] = count;
        let mut out = Flat {
            s: String::with_capacity(self.s.len()),
            slots: Vec::new(),
        };
        let copy = |out: &mut Flat<'e>, range: Range<usize>, slots: &mut Vec<Option<Piece<'e>>>| {
            let mut k = slot_at[range.start];
            for c in self.s[range].chars() {
                out.s.push(c);
                if c == P {
                    out.slots.extend(slots[k].take());
                    k += 1;
                }
            }
        };
        let mut last = 0;
        for (range, parts) in edits {
            copy(&mut out, last..range.start, &mut slots);
            for part in parts {
                match part {
                    Part::Markup(html, plain) => {
                        out.s.push(P);
                        out.slots.push(Piece::Markup(html, plain));
                    }
                    Part::Keep(r) => copy(&mut out, r, &mut slots),
                }
            }
            last = range.end;
        }
        copy(&mut out, last..self.s.len(), &mut slots);
        out
    }
}

fn markup(html: &str) -> Part {
    Part::Markup(html.to_string(), String::new())
}

/// Whether a text may hold one of the pairs (each needs one of these), or a placeholder
/// character that the flattened form would read as a slot.
fn may_pair(t: &str) -> bool {
    // memchr finds the candidates many bytes at a time; a doubled `+` or `=` and the
    // placeholder (the only character here whose UTF-8 starts with 0xEF, a lead byte, so `i`
    // is a character boundary there) are then checked where one is found.
    let b = t.as_bytes();
    memchr::memchr3(b'{', b'^', b'~', b).is_some()
        || memchr::memchr3_iter(b'+', b'=', 0xEF, b).any(|i| match b[i] {
            0xEF => t[i..].starts_with(P),
            c => b.get(i + 1) == Some(&c),
        })
}

/// `pieces` with neighbouring texts joined and empty texts dropped: what the flattened form
/// gives back when no pair matches.
fn joined(pieces: Vec<Piece<'_>>) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match (p, out.last_mut()) {
            (Piece::Text(t), _) if t.is_empty() => {}
            (Piece::Text(t), Some(Piece::Text(last))) => last.to_mut().push_str(&t),
            (p, _) => out.push(p),
        }
    }
    out
}

/// The paired inline extensions.
pub fn apply_pairs(pieces: Vec<Piece<'_>>) -> Vec<Piece<'_>> {
    let pieces = joined(pieces);
    if !pieces
        .iter()
        .any(|p| matches!(p, Piece::Text(t) if may_pair(t)))
    {
        return pieces;
    }
    let mut flat = Flat::new(pieces);
    if flat.s.contains('{') {
        flat = flat.apply(&CRITIC_SUB, |c, f| {
            let (a, b) = (c.get(1)?.range(), c.get(2)?.range());
            (f.balanced(a.clone()) && f.balanced(b.clone())).then(|| {
                vec![
                    markup("<del class=\"critic\">"),
                    Part::Keep(a),
                    markup("</del><ins class=\"critic\">"),
                    Part::Keep(b),
                    markup("</ins>"),
                ]
            })
        });
        for r in CRITIC.iter() {
            flat = pair(flat, r);
        }
    }
    if flat.s.contains("++") {
        flat = flat.apply(&KEYS, |c, _| {
            let (html, plain) = symbols::keys_html(&c[1])?;
            Some(vec![Part::Markup(html, plain)])
        });
    }
    for r in PAIRS.iter() {
        let first = r.open.as_bytes()[1];
        let needle = match first {
            b'i' => "^^",
            b's' if r.open == "<sup>" => "^",
            b's' => "~",
            b'd' => "~~",
            _ => "==",
        };
        if flat.s.contains(needle) {
            flat = pair(flat, r);
        }
    }
    flat.into_pieces()
}

fn pair<'e>(flat: Flat<'e>, r: &Rule) -> Flat<'e> {
    flat.apply(&r.re, |c, f| {
        let inner = c.get(1)?.range();
        f.balanced(inner.clone())
            .then(|| vec![markup(r.open), Part::Keep(inner), markup(r.close)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass check answers as the searches it stands for.
        #[test]
        fn may_pair_is_the_plain_search(t in "[ a{}^~+=\u{FDD0}\u{FDD1}é\u{EFFF}]{0,8}") {
            let plain = t.contains(['{', '^', '~', P]) || t.contains("++") || t.contains("==");
            prop_assert_eq!(may_pair(&t), plain);
        }
    }
}
