//! The stash: parts of a page that CommonMark cannot express (admonition wrappers, tab sets,
//! highlighted fences, the `[TOC]` marker) are kept here by the block pass and stand in the
//! CommonMark text as `<!--\u{FDD0}N-->`, which pulldown-cmark hands back as an HTML event.

use super::source::SENTINEL;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stashed {
    /// `<div class="admonition {classes}">` and an optional title (inline Markdown).
    AdmonitionOpen {
        classes: String,
        title: Option<String>,
    },
    /// `<details class="{classes}" open>` with a summary (inline Markdown).
    DetailsOpen {
        classes: String,
        summary: String,
        open: bool,
    },
    /// The head of a tab set: radio inputs and labels (inline Markdown).
    TabSetOpen {
        set: usize,
        labels: Vec<String>,
        checked: usize,
    },
    TabBlockOpen,
    /// Closes whatever an `…Open` opened: the string is the HTML to write.
    Close(&'static str),
    Code(FencedCode),
    /// The `[TOC]` marker.
    Toc,
}

/// A fenced code block as written: the info string after the fence and the text inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FencedCode {
    pub info: String,
    pub text: String,
    /// Source line of the opening fence.
    pub line: usize,
}

/// The stand-in for stash entry `n`.
pub fn sentinel(n: usize) -> String {
    format!("<!--{SENTINEL}{n}-->")
}

/// The stash index in an HTML event that is exactly one stand-in (plus whitespace).
pub fn parse_sentinel(html: &str) -> Option<usize> {
    let rest = html.trim().strip_prefix("<!--")?.strip_prefix(SENTINEL)?;
    rest.strip_suffix("-->")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinels_round_trip() {
        assert_eq!(parse_sentinel(&format!("{}\n", sentinel(42))), Some(42));
        assert_eq!(parse_sentinel("<!--42-->"), None);
    }
}
