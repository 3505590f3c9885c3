//! Plain-text helpers every stage may use: words between white space, found by bytes.

/// Calls `f` with each word of `text` between white space, as `str::split_whitespace` gives
/// them, looking at bytes: white space is ASCII but for a few code points, decoded only
/// where a byte is not ASCII.
pub fn for_each_spaced_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
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
                if start < i {
                    f(&text[start..i]);
                }
                i += width;
                start = i;
            }
        }
    }
    if start < bytes.len() {
        f(&text[start..]);
    }
}

/// `text`'s words joined by single spaces: `split_whitespace().join(" ")` without the
/// vector, and without decoding characters where bytes are ASCII.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_spaced_word(text, |word| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(collapse_whitespace(text), want, "{text:?}");
        }
    }
}
