//! Heading ids as Python-Markdown's toc extension makes them, and the `[TOC]` list.
//!
//! `slugify`: NFKD-normalise, drop what is not ASCII, remove every character that is not a
//! word character, whitespace or `-`, trim, lower-case, then turn each run of whitespace and
//! `-` into one `-`. `unique`: an id already used gets `_1`, `_2`, … (an empty slug too).

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use super::Heading;
use crate::html::{escape_attr, escape_text};

pub fn slugify(text: &str) -> String {
    // NFKD leaves ASCII as it is: most headings need no decomposition.
    let ascii: std::borrow::Cow<str> = if text.is_ascii() {
        text.into()
    } else {
        text.nfkd()
            .filter(char::is_ascii)
            .collect::<String>()
            .into()
    };
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_ascii_whitespace())
        .collect();
    let lower = kept.trim().to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_sep = false;
    for c in lower.chars() {
        if c == '-' || c.is_ascii_whitespace() {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c);
            in_sep = false;
        }
    }
    out
}

/// Makes `id` unique among `used` the way toc's `unique()` does, and records it.
pub fn unique(id: String, used: &mut HashSet<String>) -> String {
    let mut id = id;
    while id.is_empty() || used.contains(&id) {
        id = bump(&id);
    }
    used.insert(id.clone());
    id
}

/// `x` → `x_1`, `x_1` → `x_2`.
fn bump(id: &str) -> String {
    if let Some((stem, n)) = id.rsplit_once('_')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = n.parse::<u64>()
    {
        return format!("{stem}_{}", n + 1);
    }
    format!("{id}_1")
}

/// The nested `<div class="toc">` list for a `[TOC]` marker.
pub fn toc_html(headings: &[Heading]) -> String {
    let mut out = String::from("<div class=\"toc\">\n");
    let mut stack: Vec<u8> = Vec::new();
    for h in headings {
        if stack.last().is_none_or(|&top| h.level > top) {
            out.push_str("<ul>\n");
            stack.push(h.level);
        } else {
            while stack.len() > 1 && h.level < *stack.last().unwrap_or(&0) {
                stack.pop();
                out.push_str("</li>\n</ul>\n");
            }
            out.push_str("</li>\n");
        }
        out.push_str("<li><a href=\"#");
        escape_attr(&mut out, &h.id);
        out.push_str("\">");
        escape_text(&mut out, &h.text);
        out.push_str("</a>");
    }
    for _ in &stack {
        out.push_str("</li>\n</ul>\n");
    }
    out.push_str("</div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_python_markdown() {
        assert_eq!(slugify("Set up"), "set-up");
        assert_eq!(slugify("Über café — ok?"), "uber-cafe-ok");
        assert_eq!(slugify("code em"), "code-em");
        assert_eq!(slugify("  A -- b_c  "), "a-b_c");
        assert_eq!(slugify("日本語"), "");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut used = HashSet::new();
        let ids: Vec<String> = ["a", "a", "a", "", "a_1"]
            .iter()
            .map(|s| unique(s.to_string(), &mut used))
            .collect();
        assert_eq!(ids, ["a", "a_1", "a_2", "_1", "a_3"]);
    }
}
