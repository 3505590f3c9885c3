//! Text from the definition, made safe for the page: plain strings escaped, descriptions
//! rendered as Markdown and sanitised like every other untrusted Markdown (`crate::markdown`
//! with raw HTML cleaned), and short plain summaries for the search index.

use std::path::Path;

use crate::highlight::Markup;
use crate::html::escape;
use crate::markdown::{KeepLinks, MarkdownOptions, render_markdown};
use crate::yaml::Node;

/// Characters that can make Markdown of a line of text; without any, the text is one plain
/// paragraph and the Markdown engine (the slowest part of a big reference) is skipped.
const MARKDOWN_CHARS: &[char] = &[
    '*', '_', '`', '[', ']', '<', '>', '#', '|', '!', '\n', '&', '\\', '~', '=', ':', '-', '+',
];

/// A description as sanitised HTML. Snippet includes (`--8<--`) may only read inside `root`.
pub fn markdown(text: &str, file: &Path, root: &Path, markup: Markup) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    if !text.contains(MARKDOWN_CHARS) {
        return format!("<p>{}</p>", escape(text.trim()));
    }
    let mut opts = MarkdownOptions::new(file, root);
    opts.linenums = false;
    opts.permalink = false;
    opts.markup = markup;
    // Headings in a description must not take anchors the reference uses.
    render_markdown(text, &opts, &mut KeepLinks).html
}

/// A link to `url` when it is one a reader may follow (http, https, mailto); else the text
/// alone, escaped.
pub fn link(url: &str, text: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    let safe = ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    match safe {
        true => format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            escape(url.trim()),
            escape(text)
        ),
        false => escape(text),
    }
}

/// An `externalDocs` object as a line with its link; nothing when there is none.
pub fn external_docs(node: Option<&Node>) -> String {
    let Some(url) = node.and_then(|d| d.get("url")).and_then(Node::as_str) else {
        return String::new();
    };
    let text = node
        .and_then(|d| d.get("description"))
        .and_then(Node::as_str)
        .unwrap_or(url);
    format!(
        "<p class=\"apiref-facts\">See also: {}</p>",
        link(url, text)
    )
}

/// The first `max` bytes of `text` on one line, for search and outline titles.
pub fn plain(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= max {
        return one_line;
    }
    let mut end = max;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &one_line[..end])
}

/// An anchor part made of `[A-Za-z0-9._-]`, other runs turned into one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_lose_scripts_and_keep_markdown() {
        let root = Path::new("/nowhere");
        let html = markdown(
            "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>",
            root,
            root,
            Markup::Styles,
        );
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("onerror"),
            "{html}"
        );
        assert_eq!(
            markdown("plain words", root, root, Markup::Styles),
            "<p>plain words</p>"
        );
    }

    #[test]
    fn only_safe_urls_become_links() {
        assert_eq!(
            link("https://x.example/?a=\"b", "x"),
            "<a href=\"https://x.example/?a=&quot;b\" rel=\"noopener\">x</a>"
        );
        assert_eq!(link(" JavaScript:alert(1)", "<x>"), "&lt;x&gt;");
        assert_eq!(link("data:text/html,hi", "d"), "d");
    }

    #[test]
    fn slugs_keep_safe_characters() {
        assert_eq!(slug("/pets/{petId}/toys"), "pets-petId-toys");
        assert_eq!(slug("get\"><x"), "get-x");
    }
}
