//! Plain-text helpers every stage may use: words between white space, found by bytes.

use std::ops::ControlFlow;

/// Calls `f` with each word of `text` between white space, as `str::split_whitespace` gives
/// them, looking at bytes: white space is ASCII but for a few code points, decoded only
/// where a byte is not ASCII.
pub fn for_each_spaced_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    spaced_words_until(text, |word| {
        f(word);
        ControlFlow::Continue(())
    });
}

/// `for_each_spaced_word`, until `f` breaks.
fn spaced_words_until<'t>(text: &'t str, mut f: impl FnMut(&'t str) -> ControlFlow<()>) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b < 0x80 {
            matches!(b, b'\t'..=b'\r' | b' ').then_some(1)
        } else {
            // `i` is always on a character boundary: it moves a whole character at a time.
            let c = text[i..].chars().next().unwrap_or(' ');
            if !c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            Some(c.len_utf8())
        };
        match space {
            None => i += 1,
            Some(width) => {
                if start < i && f(&text[start..i]).is_break() {
                    return;
                }
                i += width;
                start = i;
            }
        }
    }
    if start < bytes.len() {
        let _ = f(&text[start..]);
    }
}

/// `text` split at every `\n`, as `str::split('\n')` gives it, with the newlines found by
/// memchr many bytes at a time (std's search looks at one word at a time): pages and code
/// blocks are split into lines on every build.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

/// `text`'s words joined by single spaces (`split_whitespace().join(" ")` without the
/// vector, and without decoding characters where bytes are ASCII), up to the first word that
/// ends past `len` bytes: for a text of which only so much is shown.
pub fn collapse_whitespace_past(text: &str, len: usize) -> String {
    let mut out = String::with_capacity(text.len().min(len.saturating_add(64)));
    spaced_words_until(text, |word| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > len {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    out
}

/// A number written as `{:.1}` writes it, character for character, but with its tenths
/// found in integers where that is exact: std's `{:.1}` falls back to exact big-number
/// arithmetic on every tie, and a drawing's halves and quarters make many (`graph::svg`).
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        let t = x * 10.0;
        // Below 2^50 a quarter times ten is exact, so a tie found is a tie of the exact value
        // (std rounds those half to even); anything else close to one may be a product's
        // rounding, and is left to std. Negative numbers too ("-0.0").
        let fraction = t - t.floor();
        let exact_tie = fraction == 0.5 && (x * 4.0).fract() == 0.0;
        if !(0.0..1e15).contains(&x) || (!exact_tie && (fraction - 0.5).abs() < 1e-6) {
            return write!(f, "{x:.1}");
        }
        let tenths = if exact_tie {
            t.round_ties_even()
        } else {
            t.round()
        } as u64;
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn split_lines_is_split_at_newlines(t in "[a\n\r é]{0,24}") {
            prop_assert_eq!(split_lines(&t).collect::<Vec<_>>(), t.split('\n').collect::<Vec<_>>());
        }
    }

    #[test]
    fn tenths_are_what_std_writes() {
        let mut xs = vec![
            0.0, 0.04, 0.05, 0.15, 0.25, 0.35, 0.45, 0.75, 1.25, 2.5, 12.25,
        ];
        xs.extend([
            -0.04,
            -1.25,
            999_999.95,
            1e15,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ]);
        // Layout-like numbers: sums and halves of sizes, and tenths of every kind.
        for i in 0..20_000 {
            let i = f64::from(i);
            xs.extend([
                i / 4.0,
                i / 8.0,
                i * 0.09,
                i / 7.0,
                i * 0.1 + 0.05,
                i / 3.0 - 200.0,
            ]);
        }
        for x in xs {
            assert_eq!(Tenths(x).to_string(), format!("{x:.1}"), "{x:?}");
        }
    }

    #[test]
    fn spaced_words_are_split_whitespaces_words() {
        let texts = [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tnew\nline\r\nvt\u{b}ff\u{c}end",
            "nbsp\u{a0}ideo\u{3000}em\u{2003}nel\u{85}ls\u{2028}x",
            "Müller café – naïve\u{200b}zero-width-is-not-space",
            "\u{1c}\u{1d}\u{1f} unit separators are not white space",
            "ends with space\u{2029}",
        ];
        for text in texts {
            let mut got = Vec::new();
            for_each_spaced_word(text, |w| got.push(w));
            let want: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn collapsed_white_space_is_the_words_joined() {
        for text in ["", "  a \t b\n\nc  ", "nbsp\u{a0}x\u{3000}y", "one"] {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace_past(text, usize::MAX), want, "{text:?}");
        }
    }

    #[test]
    fn collapsing_past_a_length_stops_after_the_word_that_crosses_it() {
        let text = "  alpha\tbeta \n\n gamma\u{3000}délta  epsilon ";
        let whole = collapse_whitespace_past(text, usize::MAX);
        for len in 0..whole.len() + 3 {
            let got = collapse_whitespace_past(text, len);
            assert!(whole.starts_with(&got), "{len}: {got:?}");
            // Every word ending at or before `len` is in; the first one past it ends it.
            let wanted_end = (whole.char_indices().map(|(i, _)| i).chain([whole.len()]))
                .filter(|&i| i == whole.len() || whole.as_bytes()[i] == b' ')
                .find(|&end| end > len)
                .unwrap_or(whole.len());
            assert_eq!(got.len(), wanted_end, "{len}: {got:?}");
        }
        assert_eq!(collapse_whitespace_past(" \t\n ", 0), "");
    }
}
