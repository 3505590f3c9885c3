//! Markdown rendering: one TechDocs page (Python-Markdown + the techdocs-core extension set)
//! in, its HTML, headings, search sections, front matter and diagnostics out.
//!
//! The stages, each in its own file:
//! 1. `source`: normalise text, split off front matter, number every line.
//! 2. `alerts` + `snippets`: GitHub alerts become admonitions; `--8<--` includes are spliced in,
//!    every inserted line remembering the line that included it.
//! 3. `blocks`: Python-Markdown block syntax (indentation rules, admonitions, details, tabs,
//!    `///` blocks, fences, md_in_html) rewritten into CommonMark; the parts CommonMark cannot
//!    express are stashed and stand in the text as sentinel comments.
//! 4. `render`: one pulldown-cmark pass whose events give the HTML, headings, sections and
//!    every link at once; `inline` adds the inline extensions to text runs.
//! 5. `html`: raw HTML has its URLs rewritten and, unless trusted, is sanitised.

mod alerts;
mod attrs;
mod blocks;
mod code;
mod containers;
mod dot;
mod emoji;
mod footnotes;
mod html;
mod htmlblock;
mod inline;
mod lists;
mod mermaid;
mod pairs;
mod plantuml;
mod render;
mod slug;
mod snippets;
mod source;
mod stash;
mod symbols;
#[cfg(test)]
mod tests;
mod wrappers;

/// Also what API reference pages split apart re-point their in-page links with.
pub use html::rewrite_html_urls;

use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic};

/// Markdown pages larger than this are refused, and snippets may include at most this much
/// into one page.
pub const MAX_PAGE_BYTES: u64 = 10 * 1024 * 1024;

/// How to render one page.
#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// Absolute path of the page, for diagnostics and relative snippet paths.
    pub file: PathBuf,
    /// Folder of mkdocs.yml: `--8<--` paths are relative to it and may not leave it.
    pub snippet_base: PathBuf,
    /// true: raw HTML passes unsanitised.
    pub trusted_html: bool,
    /// pymdownx.highlight `linenums` (techdocs-core default: true).
    pub linenums: bool,
    /// toc `permalink` anchors (default true).
    pub permalink: bool,
    /// Abbreviations defined outside the page (none by default).
    pub extra_abbreviations: Vec<(String, String)>,
    /// false: code blocks are escaped, not highlighted. `check` reads pages only for their
    /// diagnostics, and highlighting is most of a page's rendering time.
    pub highlight: bool,
    /// How highlighted code is marked up (the site theme's choice).
    pub markup: crate::highlight::Markup,
    /// Where PlantUML blocks are drawn (stagedoor.yaml `plantuml`); None leaves them as code.
    pub plantuml: Option<crate::config::PlantUml>,
}

impl MarkdownOptions {
    /// techdocs-core's defaults for a page at `file` in a site rooted at `snippet_base`.
    pub fn new(file: impl Into<PathBuf>, snippet_base: impl Into<PathBuf>) -> Self {
        MarkdownOptions {
            file: file.into(),
            snippet_base: snippet_base.into(),
            trusted_html: false,
            linenums: true,
            permalink: true,
            extra_abbreviations: Vec::new(),
            highlight: true,
            markup: crate::highlight::Markup::Styles,
            plantuml: None,
        }
    }
}

/// Where a URL sits in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    HtmlHref,
    HtmlSrc,
}

pub trait LinkRewriter {
    /// Called once for every URL in the page (Markdown links and images, autolinks, and
    /// href/src in raw HTML), in document order, with the 1-based source line. Returns the
    /// URL to emit.
    fn rewrite(&mut self, url: &str, kind: LinkKind, line: usize) -> String;
}

/// A rewriter that keeps every URL as written.
pub struct KeepLinks;

impl LinkRewriter for KeepLinks {
    fn rewrite(&mut self, url: &str, _kind: LinkKind, _line: usize) -> String {
        url.to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// The heading's anchor; `None` for the text before the first heading.
    pub id: Option<String>,
    pub heading: String,
    pub level: u8,
    /// Plain text, code blocks excluded; white space as written.
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Front-matter `title`, else the first h1's text.
    pub title: Option<String>,
    pub front_matter: serde_json::Map<String, serde_json::Value>,
    /// Every heading, for the "on this page" TOC and anchor checks.
    pub headings: Vec<Heading>,
    /// Every element id in the page (headings, attr_list ids, footnotes), for anchor checks.
    pub anchors: Vec<String>,
    /// The page split at its headings, for the search index.
    pub sections: Vec<Section>,
    /// The page needs the Mermaid script.
    pub has_mermaid: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Names of constructs left as text (each reported once per build by the caller).
    pub unsupported: Vec<String>,
}

/// Keeps the first diagnostic of `code` (they are sorted by line): the block and the inline
/// pass each report what they see.
fn once_per_page(diagnostics: &mut Vec<Diagnostic>, code: Code) {
    let mut seen = false;
    diagnostics.retain(|d| d.code != code || !std::mem::replace(&mut seen, true));
}

/// Renders one page. Never panics on any input; problems become diagnostics.
pub fn render_markdown(
    source: &str,
    opts: &MarkdownOptions,
    links: &mut dyn LinkRewriter,
) -> Rendered {
    let mut diagnostics = Vec::new();
    let page = source::load(source, &opts.file, &mut diagnostics);
    let mut lines = page.lines;
    if alerts::may_apply(source) {
        lines = alerts::convert(lines);
    }
    if snippets::may_apply(source) {
        lines = snippets::expand(lines, opts, &mut diagnostics);
    }
    let mut abbreviations = opts.extra_abbreviations.clone();
    let converted = blocks::convert(&lines, &mut abbreviations, &mut diagnostics, &opts.file);
    let mut rendered = render::render(&converted, &abbreviations, opts, links, &mut diagnostics);
    rendered.title = page
        .front_matter
        .get("title")
        .and_then(|t| t.as_str().map(str::to_string))
        .or(rendered.title);
    rendered.front_matter = page.front_matter;
    rendered.unsupported.sort();
    rendered.unsupported.dedup();
    crate::diagnostics::sort_diagnostics(&mut diagnostics);
    once_per_page(&mut diagnostics, Code::UnexpandedDirective);
    rendered.diagnostics = diagnostics;
    rendered
}
