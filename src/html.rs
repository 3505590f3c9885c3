//! HTML escaping shared by every stage that writes markup outside templates: the one place
//! that knows how, so that text, attributes and template values cannot drift apart.
//!
//! `/` is never escaped: it is harmless in content and in quoted attributes, and escaping it
//! bloats every URL.

/// Escapes element content: `&`, `<`, `>`. Quotes stay as written, which keeps text readable
/// in the source of a page.
pub fn escape_text(out: &mut String, s: &str) {
    escape_with::<false, false>(out, s);
}

/// Escapes an attribute value written inside double quotes: `&`, `<`, `>`, `"`.
pub fn escape_attr(out: &mut String, s: &str) {
    escape_with::<true, false>(out, s);
}

/// Escapes for any place, content or attribute quoted either way: `&`, `<`, `>`, `"`, `'`.
pub fn escape_into(out: &mut String, s: &str) {
    escape_with::<true, true>(out, s);
}

/// [`escape_into`] into a new string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// [`escape_text`] into a new string.
pub fn escaped_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_text(&mut out, s);
    out
}

/// Copies `s` to `out` with `&`, `<` and `>` replaced by entities, and the double and single
/// quote too when asked. Const parameters so that each entry point compiles to its own tight
/// loop: the Markdown renderer and the highlighter call this for every text run. Scanning
/// bytes is sound because every escaped character is ASCII, so the cuts fall on char
/// boundaries.
#[inline]
fn escape_with<const DOUBLE: bool, const SINGLE: bool>(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = write_escaped_with::<_, DOUBLE, SINGLE>(out, s);
}

/// [`escape_into`] written to any `fmt::Write` (a template's output) without an intermediate
/// string.
pub fn write_escaped(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    write_escaped_with::<_, true, true>(out, s)
}

#[inline]
fn write_escaped_with<W: std::fmt::Write + ?Sized, const DOUBLE: bool, const SINGLE: bool>(
    out: &mut W,
    s: &str,
) -> std::fmt::Result {
    if !DOUBLE && !SINGLE {
        // Element content, the bulk of every page: three bytes, which memchr finds many at a
        // time.
        let found = memchr::memchr3_iter(b'&', b'<', b'>', s.as_bytes());
        return write_replaced::<_, DOUBLE, SINGLE>(out, s, found);
    }
    write_replaced::<_, DOUBLE, SINGLE>(out, s, 0..s.len())
}

/// Copies `s` with the byte at each of the `candidates` positions (ascending) that has an
/// entity replaced by it.
#[inline]
fn write_replaced<W: std::fmt::Write + ?Sized, const DOUBLE: bool, const SINGLE: bool>(
    out: &mut W,
    s: &str,
    candidates: impl Iterator<Item = usize>,
) -> std::fmt::Result {
    let mut last = 0;
    for i in candidates {
        let rep = match s.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if DOUBLE => "&quot;",
            b'\'' if SINGLE => "&#39;",
            _ => continue,
        };
        out.write_str(&s[last..i])?;
        out.write_str(rep)?;
        last = i + 1;
    }
    out.write_str(&s[last..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every entry point replaces exactly its characters, wherever they stand.
        #[test]
        fn escaping_is_plain_replacement(s in "[a<>&\"' é✓]{0,40}") {
            let text = s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            let attr = text.replace('"', "&quot;");
            let any = attr.replace('\'', "&#39;");
            prop_assert_eq!(with(escape_text, &s), format!("kept:{text}"));
            prop_assert_eq!(with(escape_attr, &s), format!("kept:{attr}"));
            prop_assert_eq!(with(escape_into, &s), format!("kept:{any}"));
        }
    }

    const MARKUP: &str = "<a href=\"x/y\">'&'</a> héllo ✓";

    fn with(f: fn(&mut String, &str), s: &str) -> String {
        let mut out = String::from("kept:");
        f(&mut out, s);
        out
    }

    #[test]
    fn escapes_markup_but_not_slashes() {
        assert_eq!(
            escape(MARKUP),
            "&lt;a href=&quot;x/y&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; héllo ✓"
        );
        assert_eq!(escape("héllo ✓"), "héllo ✓");
    }

    #[test]
    fn text_and_attributes_escape_only_what_they_must() {
        assert_eq!(
            with(escape_text, MARKUP),
            "kept:&lt;a href=\"x/y\"&gt;'&amp;'&lt;/a&gt; héllo ✓"
        );
        assert_eq!(
            with(escape_attr, MARKUP),
            "kept:&lt;a href=&quot;x/y&quot;&gt;'&amp;'&lt;/a&gt; héllo ✓"
        );
        assert_eq!(
            with(escape_into, MARKUP),
            format!("kept:{}", escape(MARKUP))
        );
        assert_eq!(escaped_text("a<b"), "a&lt;b");
        let mut written = String::from("kept:");
        write_escaped(&mut written, MARKUP).unwrap();
        assert_eq!(written, format!("kept:{}", escape(MARKUP)));
        assert_eq!(with(escape_text, ""), "kept:");
    }
}
