//! Golden fixtures: `tests/markdown_golden/<extension>/<case>.md` is rendered and compared
//! with `<case>.html`, written from each extension's documented output (Python-Markdown /
//! pymdown-extensions markup; deliberate differences are listed in README.md here).
//!
//! Comparison ignores what HTML does not care about, so the expected files can be copied
//! from the extensions' documentation: whitespace between tags, `/>` versus `>`, attribute
//! order, `x="x"` versus a bare boolean attribute, character references versus the
//! characters (except `&lt; &gt; &amp; &quot;`), and the syntax highlighter's own
//! `<span class="hl-…">` token spans (the token set of syntect differs from Pygments').
//! Cases whose name contains `linenums` render with line numbers, the rest without.

use std::path::{Path, PathBuf};

use stagedoor::markdown::{KeepLinks, MarkdownOptions, render_markdown};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/markdown_golden");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixture folder") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("extension folder") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "md") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

pub fn render_fixture(md: &Path) -> stagedoor::markdown::Rendered {
    let text = std::fs::read_to_string(md).expect("fixture");
    let base = md.parent().expect("folder").to_path_buf();
    let mut opts = MarkdownOptions::new(md, base);
    opts.linenums = md.to_string_lossy().contains("linenums");
    render_markdown(&text, &opts, &mut KeepLinks)
}

#[test]
fn golden_fixtures_match() {
    let mut failures = Vec::new();
    let cases = fixtures();
    assert!(cases.len() >= 30, "fixtures missing: {}", cases.len());
    for md in &cases {
        let expected_path = md.with_extension("html");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .html", md.display()));
        let got = render_fixture(md).html;
        let (e, g) = (normalize(&expected), normalize(&got));
        if e != g {
            failures.push(format!(
                "{}\n--- expected (normalised)\n{}\n--- got (normalised)\n{}\n--- got (raw)\n{}",
                md.display(),
                e.replace("><", ">\n<"),
                g.replace("><", ">\n<"),
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Normalises insignificant differences (see the module comment).
pub fn normalize(html: &str) -> String {
    let html = strip_highlight_spans(html);
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        out.push_str(&normalize_tag(&rest[lt..lt + gt + 1]));
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode(rest));
    collapse_between_tags(&out)
}

fn collapse_between_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_ws = String::new();
    for c in s.chars() {
        if c.is_whitespace() {
            pending_ws.push(c);
            continue;
        }
        if !pending_ws.is_empty() {
            let prev_is_tag = out.ends_with('>');
            if !(out.is_empty() || prev_is_tag && c == '<') {
                out.push_str(&pending_ws);
            }
            pending_ws.clear();
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// Removes `<span class="hl-…">` and their closing tags, keeping every other span.
/// A token span of either markup: scope classes (`hl-…`) or style classes (`l4 lb d9`).
fn is_highlight_span(tag: &str) -> bool {
    let Some(classes) = tag
        .strip_prefix("<span class=\"")
        .and_then(|t| t.strip_suffix("\">"))
    else {
        return false;
    };
    let style_class = |c: &str| {
        let rest = c.strip_prefix(['l', 'd']).unwrap_or("");
        let rest = rest.strip_prefix('k').unwrap_or(rest);
        matches!(rest, "b" | "i" | "u")
            || (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    };
    classes.starts_with("hl-") || classes.split(' ').all(style_class)
}

fn strip_highlight_spans(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut stack: Vec<bool> = Vec::new();
    let mut rest = html;
    loop {
        let open = rest.find("<span");
        let close = rest.find("</span>");
        match (open, close) {
            (Some(o), c) if c.is_none_or(|c| o < c) => {
                out.push_str(&rest[..o]);
                let end = rest[o..].find('>').map_or(rest.len(), |e| o + e + 1);
                let tag = &rest[o..end];
                let highlight = is_highlight_span(tag);
                if !highlight {
                    out.push_str(tag);
                }
                stack.push(highlight);
                rest = &rest[end..];
            }
            (_, Some(c)) => {
                out.push_str(&rest[..c]);
                if !stack.pop().unwrap_or(false) {
                    out.push_str("</span>");
                }
                rest = &rest[c + 7..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn normalize_tag(tag: &str) -> String {
    if tag.starts_with("</") || tag.starts_with("<!") {
        return tag.to_string();
    }
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end()
        .trim_end_matches('/');
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    let mut attrs = parse_attrs(&inner[name_end..]);
    attrs.sort();
    let mut out = format!("<{name}");
    for (k, v) in attrs {
        if v.is_empty() || v == k {
            out.push_str(&format!(" {k}"));
        } else {
            out.push_str(&format!(" {k}=\"{}\"", decode(&v)));
        }
    }
    out.push('>');
    out
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        if key.is_empty() {
            i += 1;
            continue;
        }
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            let quote = chars.get(i).copied().filter(|c| *c == '"' || *c == '\'');
            if let Some(q) = quote {
                i += 1;
                while i < chars.len() && chars[i] != q {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        out.push((key, value));
    }
    out
}

/// Decodes character references except the four that keep markup apart.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';').filter(|&k| k <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let name = &tail[1..semi];
        let decoded = match name {
            "lt" | "gt" | "amp" | "quot" => None,
            "para" => Some('¶'),
            "copy" => Some('©'),
            "trade" => Some('™'),
            "reg" => Some('®'),
            "plusmn" => Some('±'),
            "rarr" => Some('→'),
            "larr" => Some('←'),
            "harr" => Some('↔'),
            "ne" => Some('≠'),
            "frac12" => Some('½'),
            "frac14" => Some('¼'),
            "frac34" => Some('¾'),
            "nbsp" => Some('\u{a0}'),
            "#39" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) if !matches!(c, '<' | '>' | '&' | '"') => out.push(c),
            Some(c) => out.push_str(match c {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                _ => "&quot;",
            }),
            None => out.push_str(&tail[..=semi]),
        }
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn normalisation_ignores_only_insignificant_differences() {
    assert_eq!(
        normalize("<p a=\"1\" b=\"2\">x &para;</p>\n<br />"),
        normalize("<p b=\"2\" a=\"1\">x ¶</p><br>")
    );
    assert_ne!(normalize("<p>a b</p>"), normalize("<p>ab</p>"));
    assert_ne!(normalize("&lt;b&gt;"), normalize("<b>"));
}
