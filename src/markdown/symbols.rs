//! Text-level inline extensions, applied to plain text runs (never inside code or raw HTML):
//! pymdownx.magiclink (bare URLs and e-mail addresses), pymdownx.emoji (`:shortcode:`),
//! pymdownx.smartsymbols, abbr, and the pymdownx.keys table.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::html::{escape_attr, escape_text};

/// A piece of a text run after the text passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frag {
    /// Text still to be escaped.
    Text(String),
    /// Finished HTML and its plain text.
    Html(String, String),
    /// A bare URL or address to link (the URL goes through the link rewriter).
    Link { url: String, text: String },
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:(?:https?|ftps?)://|www\.)[^\s<>"'`]*[^\s<>"'`.,:;!?)\]}*_~]"#)
        .expect("valid regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
        .expect("valid regex")
});
static SYMBOLS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(tm\)|\(c\)|\(r\)|\+/-|<-->|-->|<--|=/=|\b(?:1/4|1/2|3/4|1/3|2/3|1/5|2/5|3/5|4/5|1/6|5/6|1/8|3/8|5/8|7/8|c/o)\b|\b[0-9]+(?:st|nd|rd|th)\b")
        .expect("valid regex")
});

/// Icon-font shortcode families Material for MkDocs offers (no SVGs here).
pub const ICON_PREFIXES: &[&str] = &["material-", "octicons-", "fontawesome-", "simple-"];
pub const ICON_UNSUPPORTED: &str =
    "icon shortcodes (:material-…:, :octicons-…:, :fontawesome-…:, :simple-…:)";

/// Runs `f` over every `Text` fragment, splicing in what it returns.
fn map_text(frags: Vec<Frag>, mut f: impl FnMut(&str, &mut Vec<Frag>) -> bool) -> Vec<Frag> {
    let mut out = Vec::with_capacity(frags.len());
    for frag in frags {
        match frag {
            Frag::Text(t) => {
                let mut pieces = Vec::new();
                if f(&t, &mut pieces) {
                    out.extend(pieces);
                } else {
                    out.push(Frag::Text(t));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Splits `text` at the matches of `re`, turning each match (its start and text) into
/// fragments via `make` (which may decline a match by returning `None`). Returns false when
/// nothing matched.
fn split_matches(
    text: &str,
    re: &Regex,
    out: &mut Vec<Frag>,
    make: impl FnMut(usize, &str) -> Option<Frag>,
) -> bool {
    split_ranges(text, re.find_iter(text).map(|m| m.range()), out, make)
}

/// `split_matches`, at the ranges `found` gives (in order, not overlapping).
fn split_ranges(
    text: &str,
    found: impl Iterator<Item = Range<usize>>,
    out: &mut Vec<Frag>,
    mut make: impl FnMut(usize, &str) -> Option<Frag>,
) -> bool {
    let mut last = 0;
    let mut any = false;
    for m in found {
        let Some(frag) = make(m.start, &text[m.clone()]) else {
            continue;
        };
        if m.start > last {
            out.push(Frag::Text(text[last..m.start].to_string()));
        }
        out.push(frag);
        last = m.end;
        any = true;
    }
    if any && last < text.len() {
        out.push(Frag::Text(text[last..].to_string()));
    }
    any
}

/// Whether magiclink (unless `in_link`), emoji or smartsymbols may change `t`; false when
/// each of them certainly leaves it as it is: magiclink needs `://`, `www.` or `@`, emoji a
/// `:`, and smartsymbols what `may_have_symbols` asks for. Every text of every page is asked,
/// so it is one pass over the bytes with a table saying which bytes to look closer at.
pub fn passes_may_match(t: &str, in_link: bool) -> bool {
    let b = t.as_bytes();
    (0..b.len()).any(|i| match BYTE_CLASS[usize::from(b[i])] {
        0 => false,
        // `://` needs a colon, which emoji already answers for.
        COLON => true,
        AT => !in_link,
        W => !in_link && b[i..].starts_with(b"www."),
        _ => symbol_at(b, i),
    })
}

const COLON: u8 = 1;
const AT: u8 = 2;
const W: u8 = 3;
const SYMBOL: u8 = 4;

/// What `passes_may_match` does with a byte: 0 for nothing.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0; 256];
    t[b':' as usize] = COLON;
    t[b'@' as usize] = AT;
    t[b'w' as usize] = W;
    t[b'(' as usize] = SYMBOL;
    t[b'-' as usize] = SYMBOL;
    t[b'/' as usize] = SYMBOL;
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = SYMBOL;
        d += 1;
    }
    t
};

fn may_have_url(t: &str) -> bool {
    t.contains("://") || t.contains("www.")
}

fn may_have_emoji(t: &str) -> bool {
    t.contains(':')
}

/// Whether `SYMBOLS` may match `t`: every alternative holds one of `(tm)`, `(c)`, `(r)`,
/// `--`, a `/` right after `+`, `=`, a digit or `c`, or a digit right before an ordinal's
/// suffix. Most texts with digits, parentheses or slashes have none, and skip the regex
/// (whose literal prefixes include every digit and `c`, so it stops at each).
fn may_have_symbols(t: &str) -> bool {
    let b = t.as_bytes();
    (0..b.len()).any(|i| BYTE_CLASS[usize::from(b[i])] == SYMBOL && symbol_at(b, i))
}

/// Whether one of `may_have_symbols`' alternatives starts at `b[i]`.
fn symbol_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'(' => [&b"(tm)"[..], b"(c)", b"(r)"]
            .iter()
            .any(|s| b[i..].starts_with(s)),
        b'-' => b.get(i + 1) == Some(&b'-'),
        b'/' => i > 0 && matches!(b[i - 1], b'+' | b'=' | b'0'..=b'9' | b'c'),
        b'0'..=b'9' => matches!(b.get(i + 1..i + 3), Some(b"st" | b"nd" | b"rd" | b"th")),
        _ => false,
    }
}

/// magiclink: bare URLs, `www.` hosts and e-mail addresses.
pub fn magiclink(frags: Vec<Frag>) -> Vec<Frag> {
    let frags = map_text(frags, |t, out| {
        if !may_have_url(t) {
            return false;
        }
        split_matches(t, &URL, out, |start, text| {
            if start > 0 && t[..start].ends_with(['/', '@', '.']) {
                return None;
            }
            let url = if text.to_ascii_lowercase().starts_with("www.") {
                format!("http://{text}")
            } else {
                text.to_string()
            };
            Some(Frag::Link {
                url,
                text: text.to_string(),
            })
        })
    });
    map_text(frags, |t, out| {
        if !t.contains('@') {
            return false;
        }
        split_matches(t, &EMAIL, out, |_, m| {
            Some(Frag::Link {
                url: format!("mailto:{m}"),
                text: m.to_string(),
            })
        })
    })
}

/// emoji: gemoji shortcodes become Twemoji images (see `emoji`); icon-font shortcodes stay
/// as text and are reported through `unsupported`.
pub fn emoji(frags: Vec<Frag>, unsupported: &mut bool) -> Vec<Frag> {
    map_text(frags, |t, out| {
        if !may_have_emoji(t) {
            return false;
        }
        split_ranges(t, shortcodes(t), out, |_, m| {
            let name = &m[1..m.len() - 1];
            match emojis::get_by_shortcode(name) {
                Some(e) => Some(Frag::Html(
                    super::emoji::emoji_html(m, e.as_str()),
                    e.as_str().to_string(),
                )),
                None => {
                    if ICON_PREFIXES.iter().any(|p| name.starts_with(p)) {
                        *unsupported = true;
                    }
                    None
                }
            }
        })
    })
}

/// Where `:name:` shortcodes (`:([a-z0-9_+-]+):`) are in `text`, left to right and not
/// overlapping, as a regex search finds them; read by hand, since the pattern's many
/// two-byte prefixes made the regex slow on every text with a colon.
fn shortcodes(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(colon) = memchr::memchr(b':', &b[at..]).map(|i| at + i) {
            let name = (b[colon + 1..].iter())
                .take_while(|&&c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'+' | b'-'))
                .count();
            let end = colon + 1 + name;
            if name > 0 && b.get(end) == Some(&b':') {
                at = end + 1;
                return Some(colon..end + 1);
            }
            at = colon + 1;
        }
        None
    })
}

/// smartsymbols: `(c)` ©, `(tm)` ™, `-->` →, fractions, ordinals, ….
pub fn smartsymbols(frags: Vec<Frag>) -> Vec<Frag> {
    map_text(frags, |t, out| {
        if !may_have_symbols(t) {
            return false;
        }
        split_matches(t, &SYMBOLS, out, |_, s| {
            let entity = match s {
                "(tm)" => "&trade;",
                "(c)" => "&copy;",
                "(r)" => "&reg;",
                "+/-" => "&plusmn;",
                "<-->" => "&harr;",
                "-->" => "&rarr;",
                "<--" => "&larr;",
                "=/=" => "&ne;",
                "1/4" => "&frac14;",
                "1/2" => "&frac12;",
                "3/4" => "&frac34;",
                "1/3" => "&#8531;",
                "2/3" => "&#8532;",
                "1/5" => "&#8533;",
                "2/5" => "&#8534;",
                "3/5" => "&#8535;",
                "4/5" => "&#8536;",
                "1/6" => "&#8537;",
                "5/6" => "&#8538;",
                "1/8" => "&#8539;",
                "3/8" => "&#8540;",
                "5/8" => "&#8541;",
                "7/8" => "&#8542;",
                "c/o" => "&#8453;",
                _ => return ordinal(s),
            };
            Some(Frag::Html(entity.to_string(), s.to_string()))
        })
    })
}

/// `21st` → `21<sup>st</sup>` when the suffix is the right one for the number.
fn ordinal(s: &str) -> Option<Frag> {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    let n: u64 = digits.parse().ok()?;
    let right = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    (suffix == right).then(|| Frag::Html(format!("{digits}<sup>{suffix}</sup>"), s.to_string()))
}

/// abbr: whole-word occurrences of each abbreviation become `<abbr title>`.
pub fn abbreviations(frags: Vec<Frag>, re: &Regex, titles: &[(String, String)]) -> Vec<Frag> {
    map_text(frags, |t, out| {
        split_matches(t, re, out, |_, m| {
            let (_, title) = titles.iter().rev().find(|(a, _)| a == m)?;
            let mut html = String::from("<abbr title=\"");
            escape_attr(&mut html, title);
            html.push_str("\">");
            escape_text(&mut html, m);
            html.push_str("</abbr>");
            Some(Frag::Html(html, m.to_string()))
        })
    })
}

/// The regex matching any of the abbreviations as a whole word.
pub fn abbreviation_regex(titles: &[(String, String)]) -> Option<Regex> {
    if titles.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = titles.iter().map(|(a, _)| a.as_str()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alternation: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    Regex::new(&format!(r"(?:^|\b)(?:{})(?:\b|$)", alternation.join("|"))).ok()
}

/// pymdownx.keys: canonical key names and their labels.
const KEYS: &[(&str, &str)] = &[
    ("space", "Space"),
    ("backslash", "\\"),
    ("bar", "|"),
    ("brace-left", "{"),
    ("brace-right", "}"),
    ("bracket-left", "["),
    ("bracket-right", "]"),
    ("colon", ":"),
    ("comma", ","),
    ("double-quote", "\""),
    ("equal", "="),
    ("exclam", "!"),
    ("grave", "`"),
    ("greater", ">"),
    ("less", "<"),
    ("minus", "-"),
    ("period", "."),
    ("plus", "+"),
    ("question", "?"),
    ("semicolon", ";"),
    ("single-quote", "'"),
    ("slash", "/"),
    ("tilde", "~"),
    ("underscore", "_"),
    ("arrow-up", "Up"),
    ("arrow-down", "Down"),
    ("arrow-left", "Left"),
    ("arrow-right", "Right"),
    ("page-up", "Page Up"),
    ("page-down", "Page Down"),
    ("home", "Home"),
    ("end", "End"),
    ("backspace", "Backspace"),
    ("delete", "Del"),
    ("insert", "Ins"),
    ("tab", "Tab"),
    ("break", "Break"),
    ("caps-lock", "Caps Lock"),
    ("clear", "Clear"),
    ("enter", "Enter"),
    ("escape", "Esc"),
    ("help", "Help"),
    ("print-screen", "Print Screen"),
    ("scroll-lock", "Scroll Lock"),
    ("num-lock", "Num Lock"),
    ("alt", "Alt"),
    ("alt-graph", "AltGr"),
    ("command", "Cmd"),
    ("control", "Ctrl"),
    ("function", "Fn"),
    ("meta", "Meta"),
    ("option", "Option"),
    ("shift", "Shift"),
    ("super", "Super"),
    ("windows", "Win"),
    ("context-menu", "Menu"),
    ("left-button", "Left Button"),
    ("middle-button", "Middle Button"),
    ("right-button", "Right Button"),
];

const KEY_ALIASES: &[(&str, &str)] = &[
    ("altgr", "alt-graph"),
    ("back", "backspace"),
    ("bksp", "backspace"),
    ("cmd", "command"),
    ("ctrl", "control"),
    ("del", "delete"),
    ("down", "arrow-down"),
    ("esc", "escape"),
    ("return", "enter"),
    ("fn", "function"),
    ("ins", "insert"),
    ("left", "arrow-left"),
    ("right", "arrow-right"),
    ("up", "arrow-up"),
    ("menu", "context-menu"),
    ("opt", "option"),
    ("pg-up", "page-up"),
    ("pg-dn", "page-down"),
    ("page-dn", "page-down"),
    ("prtsc", "print-screen"),
    ("spc", "space"),
    ("win", "windows"),
    ("hyphen", "minus"),
    ("lt", "less"),
    ("gt", "greater"),
    ("pipe", "bar"),
];

/// `(class, label)` for one key name, or `None` if pymdownx.keys would not know it.
fn key(name: &str) -> Option<(String, String)> {
    let lower = name.to_ascii_lowercase();
    let canonical = KEY_ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lower.as_str(), |(_, c)| c);
    if let Some((k, label)) = KEYS.iter().find(|(k, _)| *k == canonical) {
        return Some((k.to_string(), label.to_string()));
    }
    let single = canonical.len() == 1 && canonical.chars().all(|c| c.is_ascii_alphanumeric());
    if single {
        return Some((canonical.to_string(), canonical.to_ascii_uppercase()));
    }
    let f = canonical
        .strip_prefix('f')
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=24).contains(n));
    if let Some(n) = f {
        return Some((format!("f{n}"), format!("F{n}")));
    }
    let num = canonical
        .strip_prefix("num")
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| *n <= 9);
    num.map(|n| (format!("num{n}"), format!("Num {n}")))
}

/// `ctrl+alt+del` (the inside of `++…++`) as pymdownx.keys markup, or `None` if a key is
/// unknown (then the text stays as written).
pub fn keys_html(spec: &str) -> Option<(String, String)> {
    let mut html = String::from("<span class=\"keys\">");
    let mut plain = Vec::new();
    for (i, part) in split_keys(spec)?.iter().enumerate() {
        if i > 0 {
            html.push_str("<span>+</span>");
        }
        if let Some(quoted) = part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            html.push_str("<kbd>");
            escape_text(&mut html, quoted);
            html.push_str("</kbd>");
            plain.push(quoted.to_string());
        } else {
            let (class, label) = key(part)?;
            html.push_str("<kbd class=\"key-");
            html.push_str(&class);
            html.push_str("\">");
            escape_text(&mut html, &label);
            html.push_str("</kbd>");
            plain.push(label);
        }
    }
    html.push_str("</span>");
    Some((html, plain.join("+")))
}

/// Splits at `+` outside quotes.
fn split_keys(spec: &str) -> Option<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in spec.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                parts.last_mut()?.push(c);
            }
            '+' if !quoted => parts.push(String::new()),
            c if c.is_whitespace() && !quoted => return None,
            c => parts.last_mut()?.push(c),
        }
    }
    (!quoted && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts of up to `most` parts, each random `filler` or one of the `known` strings a
    /// pass looks for.
    fn texts_of(
        filler: &'static str,
        known: &'static [&'static str],
        most: usize,
    ) -> impl Strategy<Value = String> {
        let part = prop_oneof![filler, prop::sample::select(known).prop_map(str::to_string)];
        prop::collection::vec(part, 0..most).prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Shortcodes are found where the pattern they stand for finds them.
        #[test]
        fn shortcodes_are_where_the_pattern_finds_them(t in "[a-z0-9_+: x-]{0,24}") {
            let pattern = Regex::new(r":([a-z0-9_+-]+):").unwrap();
            let want: Vec<Range<usize>> = pattern.find_iter(&t).map(|m| m.range()).collect();
            prop_assert_eq!(shortcodes(&t).collect::<Vec<_>>(), want);
        }

        /// The smartsymbols check never skips a text the pattern matches.
        #[test]
        fn may_have_symbols_is_necessary(
            t in texts_of("[ a-z0-9()/+=<>-]{0,4}", &[
                "(c)", "(tm)", "(r)", "+/-", "<-->", "-->", "<--", "=/=", "1/2", "3/8", "c/o",
                "21st", "2nd", "3rd", "11th", " ",
            ], 5)
        ) {
            if SYMBOLS.is_match(&t) {
                prop_assert!(may_have_symbols(&t), "{:?}", t);
            }
        }

        /// The one-pass check answers as the searches it was written from.
        #[test]
        fn passes_may_match_is_the_plain_searches(
            t in "[ aw.:@()/+=0-9stndrhcm-]{0,12}", in_link in any::<bool>()
        ) {
            let plain = t.contains(':')
                || !in_link && (t.contains('@') || t.contains("www."))
                || may_have_symbols(&t);
            prop_assert_eq!(passes_may_match(&t, in_link), plain);
        }

        /// The pre-check never skips a text a pass would change.
        #[test]
        fn passes_may_match_is_necessary(
            t in texts_of("[ a-zA-Z0-9_:/@().+=<>~*!?,-]{0,6}", &[
                "(c)", "(tm)", "(r)", "+/-", "<-->", "-->", "<--", "=/=", "1/2", "c/o", "21st",
                "2nd", ":smile:", ":+1:", "www.a.io", "WWW.A.IO", "me@ex.com", "https://e.org/x",
                " ", "-", "/", "w", "@",
            ], 6)
        ) {
            for in_link in [false, true] {
                if !passes_may_match(&t, in_link) {
                    let mut icons = false;
                    let mut frags = vec![Frag::Text(t.clone())];
                    if !in_link {
                        frags = magiclink(frags);
                    }
                    frags = smartsymbols(emoji(frags, &mut icons));
                    prop_assert_eq!(frags, vec![Frag::Text(t.clone())]);
                }
            }
        }
    }

    fn texts(s: &str, f: impl Fn(Vec<Frag>) -> Vec<Frag>) -> Vec<Frag> {
        f(vec![Frag::Text(s.to_string())])
    }

    #[test]
    fn magiclinks() {
        let out = texts(
            "See https://example.org/x?a=1. or www.a.io and me@ex.com",
            magiclink,
        );
        assert_eq!(
            out[1],
            Frag::Link {
                url: "https://example.org/x?a=1".into(),
                text: "https://example.org/x?a=1".into()
            }
        );
        assert_eq!(
            out[3],
            Frag::Link {
                url: "http://www.a.io".into(),
                text: "www.a.io".into()
            }
        );
        assert_eq!(
            out[5],
            Frag::Link {
                url: "mailto:me@ex.com".into(),
                text: "me@ex.com".into()
            }
        );
    }

    #[test]
    fn symbols_and_ordinals() {
        let out = texts("(c) 1/2 21st 22st -->", smartsymbols);
        let html: Vec<String> = out
            .iter()
            .map(|f| match f {
                Frag::Html(h, _) => h.clone(),
                Frag::Text(t) => t.clone(),
                Frag::Link { .. } => String::new(),
            })
            .collect();
        assert_eq!(html.concat(), "&copy; &frac12; 21<sup>st</sup> 22st &rarr;");
    }

    #[test]
    fn keys() {
        let (html, plain) = keys_html("ctrl+alt+del").unwrap();
        assert_eq!(
            html,
            "<span class=\"keys\"><kbd class=\"key-control\">Ctrl</kbd><span>+</span><kbd class=\"key-alt\">Alt</kbd><span>+</span><kbd class=\"key-delete\">Del</kbd></span>"
        );
        assert_eq!(plain, "Ctrl+Alt+Del");
        assert!(keys_html("foo").is_none());
    }

    #[test]
    fn emoji_and_icons() {
        let mut icons = false;
        let out = emoji(
            vec![Frag::Text(":rocket: :material-check:".into())],
            &mut icons,
        );
        assert!(matches!(&out[0], Frag::Html(h, t) if h.contains("alt=\"🚀\"") && t == "🚀"));
        assert!(icons);
    }
}
