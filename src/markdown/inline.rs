//! Inline content: one run of pulldown-cmark inline events in, HTML and plain text out.
//!
//! First the paired extensions (`pairs`: critic, keys, `^^ins^^`, `~sub~`, `==mark==`, …),
//! then the text-level ones (magiclink, emoji, smartsymbols, abbr) on the remaining plain text
//! while the HTML is written.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use regex::Regex;

use super::LinkKind;
use super::attrs::{self, Attrs};
use super::html::{has_dangerous, rewrite_html_urls, url_is_safe};
use super::pairs::apply_pairs;
use super::render::Renderer;
use super::symbols::{self, Frag};
use crate::diagnostics::Code;
use crate::html::{escape_attr, escape_text};

/// Where the events' source lines come from.
#[derive(Clone, Copy)]
pub enum LineOf {
    /// The page's converted text: map offsets through the line map.
    Page,
    /// A title or label: every event is on this line.
    Fixed(usize),
}

/// One piece of an inline run.
#[derive(Clone, Debug)]
pub enum Piece<'e> {
    /// Text still open to the inline extensions: borrowed from its event until an edit.
    Text(Cow<'e, str>),
    /// Text that was backslash-escaped: shown as is, never a delimiter.
    Literal(String),
    Event(&'e Event<'e>, usize),
    /// HTML made here and its plain text.
    Markup(String, String),
}

/// A trailing `{: … }` attribute list: where it may stand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Trailing {
    None,
    /// At the end of the text (headings).
    EndOfText,
    /// On a line of its own at the end (paragraphs).
    OwnLine,
}

/// Include and macro syntaxes of MkDocs plugins stagedoor does not run: mkdocs-macros'
/// Jinja (`{{ var }}`, `{% include %}`), `{* file *}` includes and markdown-include's
/// `{!file!}`. Matched in text only, never in code.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{.*?\}\}|\{%.*?%\}|\{\*.*?\*\}|\{!.*?!\}").expect("valid regex")
});

static SHEBANG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)^#!([A-Za-z0-9_+#.-]+)[ \t]+(.*)$").expect("valid regex"));

impl Renderer<'_, '_> {
    fn line_of(&self, lines: LineOf, offset: usize) -> usize {
        match lines {
            LineOf::Page => self.conv.src_line(offset),
            LineOf::Fixed(n) => n,
        }
    }

    /// Renders an inline run. Returns the HTML, the plain text and a trailing attribute list.
    pub fn inline_run<'e>(
        &mut self,
        events: &'e [(Event<'e>, Range<usize>)],
        source: &str,
        lines: LineOf,
        trailing: Trailing,
    ) -> (String, String, Attrs) {
        if !self.directive_warned {
            self.check_directives(events, lines);
        }
        let mut pieces = Vec::with_capacity(events.len());
        for (ev, range) in events {
            match ev {
                Event::Text(t) => {
                    if escaped_at(source, range.start, t) {
                        let mut chars = t.chars();
                        let first: String = chars.next().map(String::from).unwrap_or_default();
                        pieces.push(Piece::Literal(first));
                        pieces.push(Piece::Text(Cow::Borrowed(chars.as_str())));
                    } else {
                        pieces.push(Piece::Text(Cow::Borrowed(t)));
                    }
                }
                other => pieces.push(Piece::Event(other, self.line_of(lines, range.start))),
            }
        }
        let attrs = take_trailing_attrs(&mut pieces, trailing);
        let pieces = apply_pairs(pieces);
        let (html, plain) = self.write_pieces(pieces);
        (html, plain, attrs)
    }

    /// Reports (once per page) directive text that readers will see as written: in runs of
    /// text between other events, so inline code and markup never match.
    fn check_directives(&mut self, events: &[(Event<'_>, Range<usize>)], lines: LineOf) {
        // Every directive starts with `{`: most runs have none, and need no copy or search.
        let braced = |ev: &Event<'_>| matches!(ev, Event::Text(t) if t.as_bytes().contains(&b'{'));
        if !events.iter().any(|(ev, _)| braced(ev)) {
            return;
        }
        let mut text = String::new();
        let mut start = None;
        for (ev, range) in events {
            if let Event::Text(t) = ev {
                start.get_or_insert(range.start);
                text.push_str(t);
                continue;
            }
            if let Some(offset) = start.take() {
                self.report_directive(&text, self.line_of(lines, offset));
                text.clear();
            }
        }
        if let Some(offset) = start {
            self.report_directive(&text, self.line_of(lines, offset));
        }
    }

    fn report_directive(&mut self, text: &str, line: usize) {
        if self.directive_warned {
            return;
        }
        let Some(found) = DIRECTIVE.find(text) else {
            return;
        };
        self.directive_warned = true;
        let shown: String = found.as_str().chars().take(60).collect();
        self.warn(
            Code::UnexpandedDirective,
            line,
            format!("this page shows unexpanded directive text \"{shown}\" (first here): stagedoor does not run MkDocs macro or include plugins"),
        );
        if let Some(d) = self.diags.last_mut() {
            d.hint = Some("write the text out, or include files with `--8<--` (pymdownx.snippets), which stagedoor expands; in code, the syntax is shown as written without a warning".into());
        }
    }

    fn write_pieces(&mut self, mut pieces: Vec<Piece<'_>>) -> (String, String) {
        let text_len: usize = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.len(),
                Piece::Literal(t) => t.len(),
                Piece::Markup(h, _) => h.len(),
                Piece::Event(..) => 16,
            })
            .sum();
        let mut html = String::with_capacity(text_len + text_len / 8);
        let mut plain = String::with_capacity(text_len);
        let mut link_depth = 0usize;
        let mut i = 0;
        while i < pieces.len() {
            // Pieces before `i` are never looked at again: take this one's strings out.
            let piece = match &mut pieces[i] {
                Piece::Text(t) => Piece::Text(std::mem::take(t)),
                Piece::Literal(t) => Piece::Literal(std::mem::take(t)),
                Piece::Markup(h, p) => Piece::Markup(std::mem::take(h), std::mem::take(p)),
                Piece::Event(ev, line) => Piece::Event(ev, *line),
            };
            match piece {
                Piece::Text(t) => self.write_text(&t, link_depth > 0, &mut html, &mut plain),
                Piece::Literal(t) => {
                    escape_text(&mut html, &t);
                    plain.push_str(&t);
                }
                Piece::Markup(h, p) => {
                    html.push_str(&h);
                    plain.push_str(&p);
                }
                Piece::Event(ev, line) => match ev {
                    Event::Start(Tag::Image {
                        dest_url, title, ..
                    }) => {
                        let end = matching_end(&pieces, i);
                        let (_, alt) = self.write_pieces(pieces[i + 1..end].to_vec());
                        let attrs = take_leading_attrs(&mut pieces, end + 1);
                        self.write_image(dest_url, title, &alt, &attrs, line, &mut html);
                        plain.push_str(&alt);
                        i = end + 1;
                        continue;
                    }
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        ..
                    }) => {
                        let end = matching_end(&pieces, i);
                        let attrs = take_leading_attrs(&mut pieces, end + 1);
                        self.write_link_open(*link_type, dest_url, title, &attrs, line, &mut html);
                        link_depth += 1;
                    }
                    Event::End(TagEnd::Link) => {
                        html.push_str("</a>");
                        link_depth = link_depth.saturating_sub(1);
                    }
                    other => self.write_event(other, line, &mut html, &mut plain),
                },
            }
            i += 1;
        }
        (html, plain)
    }

    fn write_event(&mut self, ev: &Event<'_>, line: usize, html: &mut String, plain: &mut String) {
        match ev {
            Event::Code(code) => {
                match SHEBANG.captures(code) {
                    Some(c) => html.push_str(&crate::highlight::highlight_inline(
                        &c[2],
                        &c[1],
                        self.opts.markup,
                    )),
                    None => {
                        html.push_str("<code>");
                        escape_text(html, code);
                        html.push_str("</code>");
                    }
                }
                plain.push_str(code);
            }
            Event::InlineHtml(raw) | Event::Html(raw) => match super::stash::parse_sentinel(raw) {
                Some(n) => html.push_str(&self.stashed(n)),
                None => html.push_str(&self.raw_html(raw, line)),
            },
            Event::SoftBreak => {
                html.push('\n');
                plain.push(' ');
            }
            Event::HardBreak => {
                html.push_str("<br />\n");
                plain.push(' ');
            }
            Event::FootnoteReference(label) => self.write_footnote_ref(label, html, plain),
            Event::TaskListMarker(checked) => {
                html.push_str(
                    "<label class=\"task-list-control\"><input type=\"checkbox\" disabled",
                );
                if *checked {
                    html.push_str(" checked");
                }
                html.push_str("/><span class=\"task-list-indicator\"></span></label> ");
            }
            Event::Start(tag) => html.push_str(match tag {
                Tag::Emphasis => "<em>",
                Tag::Strong => "<strong>",
                Tag::Strikethrough => "<del>",
                Tag::Superscript => "<sup>",
                Tag::Subscript => "<sub>",
                _ => "",
            }),
            Event::End(tag) => html.push_str(match tag {
                TagEnd::Emphasis => "</em>",
                TagEnd::Strong => "</strong>",
                TagEnd::Strikethrough => "</del>",
                TagEnd::Superscript => "</sup>",
                TagEnd::Subscript => "</sub>",
                TagEnd::Image => "",
                _ => "",
            }),
            Event::Text(t) => self.write_text(t, false, html, plain),
            Event::InlineMath(m) | Event::DisplayMath(m) => escape_text(html, m),
            Event::Rule => html.push_str("<hr />"),
        }
    }

    /// Plain text: the text-level extensions, then escaping.
    fn write_text(&mut self, text: &str, in_link: bool, html: &mut String, plain: &mut String) {
        if self.abbr.is_some() || symbols::passes_may_match(text, in_link) {
            self.write_text_extensions(text, in_link, html, plain);
        } else {
            // Nothing for the text passes to do (each would return the text unchanged).
            escape_text(html, text);
            plain.push_str(text);
        }
    }

    /// Plain text through magiclink, emoji, smartsymbols and abbr, then escaping.
    fn write_text_extensions(
        &mut self,
        text: &str,
        in_link: bool,
        html: &mut String,
        plain: &mut String,
    ) {
        let mut frags = vec![Frag::Text(text.to_string())];
        if !in_link {
            frags = symbols::magiclink(frags);
        }
        let mut icons = false;
        frags = symbols::emoji(frags, &mut icons);
        if icons {
            self.note_unsupported(symbols::ICON_UNSUPPORTED);
        }
        frags = symbols::smartsymbols(frags);
        if let Some(re) = &self.abbr {
            frags = symbols::abbreviations(frags, re, self.abbr_titles);
        }
        for frag in frags {
            match frag {
                Frag::Text(t) => {
                    escape_text(html, &t);
                    plain.push_str(&t);
                }
                Frag::Html(h, p) => {
                    html.push_str(&h);
                    plain.push_str(&p);
                }
                Frag::Link { url, text } => {
                    let line = self.current_line;
                    let href = self.links.rewrite(&url, LinkKind::Link, line);
                    html.push_str("<a href=\"");
                    escape_attr(html, &href);
                    html.push_str("\">");
                    escape_text(html, &text);
                    html.push_str("</a>");
                    plain.push_str(&text);
                }
            }
        }
    }

    fn write_link_open(
        &mut self,
        kind: LinkType,
        url: &str,
        title: &str,
        attrs: &Attrs,
        line: usize,
        html: &mut String,
    ) {
        let url = match kind {
            LinkType::Email if !url.starts_with("mailto:") => format!("mailto:{url}"),
            _ => url.to_string(),
        };
        let href = self.links.rewrite(&url, LinkKind::Link, line);
        html.push_str("<a");
        if url_is_safe(&url, false) && url_is_safe(&href, false) {
            html.push_str(" href=\"");
            escape_attr(html, &href);
            html.push('"');
        } else {
            self.warn(
                Code::UnsafeUrl,
                line,
                format!("link to `{}` was dropped", truncate(&href)),
            );
        }
        if !title.is_empty() {
            html.push_str(" title=\"");
            escape_attr(html, title);
            html.push('"');
        }
        attrs.write(html, &[]);
        html.push('>');
    }

    fn write_image(
        &mut self,
        url: &str,
        title: &str,
        alt: &str,
        attrs: &Attrs,
        line: usize,
        html: &mut String,
    ) {
        let src = self.links.rewrite(url, LinkKind::Image, line);
        html.push_str("<img alt=\"");
        escape_attr(html, alt);
        html.push('"');
        if url_is_safe(url, true) && url_is_safe(&src, true) {
            html.push_str(" src=\"");
            escape_attr(html, &src);
            html.push('"');
        } else {
            self.warn(
                Code::UnsafeUrl,
                line,
                format!("image `{}` was dropped", truncate(&src)),
            );
        }
        if !title.is_empty() {
            html.push_str(" title=\"");
            escape_attr(html, title);
            html.push('"');
        }
        attrs.write(html, &[]);
        html.push_str(" />");
    }

    /// Raw HTML from the page: URLs rewritten; flagged for the sanitiser.
    pub fn raw_html(&mut self, raw: &str, line: usize) -> String {
        self.has_raw_html = true;
        if !self.opts.trusted_html && !self.html_warned && has_dangerous(raw) {
            self.html_warned = true;
            self.warn(
                Code::HtmlRemoved,
                line,
                "raw HTML with scripts, event handlers, styles or frames: those parts are removed",
            );
        }
        let links = &mut *self.links;
        rewrite_html_urls(raw, |url, is_src, offset| {
            let kind = if is_src {
                LinkKind::HtmlSrc
            } else {
                LinkKind::HtmlHref
            };
            links.rewrite(url, kind, line + offset)
        })
    }
}

/// Whether a text event starts with a backslash-escaped character: its range starts at the
/// backslash, or right after an odd run of backslashes.
fn escaped_at(source: &str, start: usize, text: &str) -> bool {
    let bytes = source.as_bytes();
    if bytes.get(start) == Some(&b'\\') && !text.starts_with('\\') {
        return true;
    }
    let run = bytes[..start.min(bytes.len())]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    run % 2 == 1
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_punctuation())
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Index of the `End` matching the `Start` at `start` (or the last piece).
fn matching_end(pieces: &[Piece<'_>], start: usize) -> usize {
    let mut depth = 0i32;
    for (k, p) in pieces.iter().enumerate().skip(start) {
        match p {
            Piece::Event(Event::Start(_), _) => depth += 1,
            Piece::Event(Event::End(_), _) => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    pieces.len().saturating_sub(1)
}

/// An attribute list right after a link or image (`[a](b){: download }`), taken off the text.
fn take_leading_attrs(pieces: &mut [Piece<'_>], at: usize) -> Attrs {
    let Some(Piece::Text(t)) = pieces.get(at) else {
        return Attrs::default();
    };
    match attrs::split_leading(t) {
        Some((a, rest)) => {
            let rest = rest.to_string();
            pieces[at] = Piece::Text(Cow::Owned(rest));
            a
        }
        None => Attrs::default(),
    }
}

/// An attribute list at the end of a heading or on the last line of a paragraph.
fn take_trailing_attrs(pieces: &mut Vec<Piece<'_>>, trailing: Trailing) -> Attrs {
    if trailing == Trailing::None {
        return Attrs::default();
    }
    let Some(Piece::Text(last)) = pieces.last() else {
        return Attrs::default();
    };
    let Some((before, a)) = attrs::split_trailing(last) else {
        return Attrs::default();
    };
    let before = before.to_string();
    match trailing {
        Trailing::EndOfText => {
            let kept = before.trim_end().to_string();
            pieces.pop();
            if !kept.is_empty() {
                pieces.push(Piece::Text(Cow::Owned(kept)));
            } else if let Some(Piece::Text(t)) = pieces.last_mut() {
                *t = Cow::Owned(t.trim_end().to_string());
            }
            a
        }
        _ => {
            let own_line = before.trim().is_empty()
                && matches!(
                    pieces.get(pieces.len().wrapping_sub(2)),
                    Some(Piece::Event(Event::SoftBreak, _)) | None
                )
                || pieces.len() == 1 && before.trim().is_empty();
            if !own_line {
                return Attrs::default();
            }
            pieces.pop();
            if matches!(pieces.last(), Some(Piece::Event(Event::SoftBreak, _))) {
                pieces.pop();
            }
            a
        }
    }
}
