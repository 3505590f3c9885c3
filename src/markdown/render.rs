//! The event pass: the converted CommonMark text in, parsed once by pulldown-cmark; its
//! events give the page's HTML, headings, search sections and links in one walk.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::blocks::Converted;
use super::code;
use super::html::sanitize;
use super::inline::{LineOf, Trailing};
use super::slug::{slugify, toc_html, unique};
use super::source::SENTINEL;
use super::stash::parse_sentinel;
use super::symbols::abbreviation_regex;
use super::{Heading, LinkRewriter, MarkdownOptions, Rendered, Section};
use crate::diagnostics::{Code, Diagnostic};
use crate::html::{escape_attr, escape_text};

pub type Ev<'a> = (Event<'a>, Range<usize>);

static STRAY_SENTINEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("<!--\u{FDD0}[0-9]+-->\n?").expect("valid regex"));

/// The placeholder a `[TOC]` marker leaves until all headings are known.
pub const TOC_MARK: &str = "\u{FDD0}toc\u{FDD0}";
/// Stands for drawn diagram N until the page has been sanitised.
const DIAGRAM_MARK: &str = "\u{FDD0}diagram";

pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_DEFINITION_LIST
}

pub struct Renderer<'a, 'l> {
    pub conv: &'a Converted,
    pub opts: &'a MarkdownOptions,
    pub links: &'l mut dyn LinkRewriter,
    pub diags: &'a mut Vec<Diagnostic>,
    pub abbr: Option<Regex>,
    pub abbr_titles: &'a [(String, String)],
    /// Output buffers: the page, and one per footnote definition being written.
    pub(super) bufs: Vec<String>,
    pub(super) used_ids: HashSet<String>,
    pub(super) headings: Vec<Heading>,
    pub(super) anchors: Vec<String>,
    pub(super) sections: Vec<Section>,
    pub(super) title: Option<String>,
    pub(super) has_mermaid: bool,
    /// A `[TOC]` marker was written: the page's headings replace it once they are all known.
    pub(super) has_toc: bool,
    pub has_raw_html: bool,
    pub html_warned: bool,
    /// Unexpanded directive text was reported (once per page).
    pub directive_warned: bool,
    pub(super) unsupported: Vec<String>,
    /// Drawn diagrams (checked SVG): the page holds `DIAGRAM_MARK`s, replaced after the
    /// sanitiser, which would strip SVG from a page with raw HTML.
    pub(super) diagrams: Vec<String>,
    pub(super) footnote_order: Vec<String>,
    pub(super) footnote_refs: HashMap<String, usize>,
    pub(super) footnotes: Vec<(String, String)>,
    pub(super) aligns: Vec<Alignment>,
    pub(super) cell: usize,
    pub(super) in_head: bool,
    pub(super) body_open: bool,
    pub current_line: usize,
    /// Output line where the last definition term ended.
    pub(super) last_dt_line: usize,
}

pub fn render(
    conv: &Converted,
    abbr_titles: &[(String, String)],
    opts: &MarkdownOptions,
    links: &mut dyn LinkRewriter,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let events: Vec<Ev> = Parser::new_ext(&conv.text, parser_options())
        .into_offset_iter()
        .collect();
    let footnote_order = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(label.to_string()),
            _ => None,
        })
        .collect();
    let mut r = Renderer {
        conv,
        opts,
        links,
        diags,
        abbr: abbreviation_regex(abbr_titles),
        abbr_titles,
        bufs: vec![String::with_capacity(conv.text.len() * 2)],
        used_ids: HashSet::new(),
        headings: Vec::new(),
        anchors: Vec::new(),
        sections: vec![Section {
            id: None,
            heading: String::new(),
            level: 0,
            text: String::new(),
        }],
        title: None,
        has_mermaid: false,
        has_toc: false,
        has_raw_html: false,
        html_warned: false,
        directive_warned: false,
        unsupported: conv.unsupported.clone(),
        diagrams: Vec::new(),
        footnote_order,
        footnote_refs: HashMap::new(),
        footnotes: Vec::new(),
        aligns: Vec::new(),
        cell: 0,
        in_head: false,
        body_open: false,
        current_line: 1,
        last_dt_line: usize::MAX,
    };
    r.walk(&events);
    r.finish()
}

pub fn is_inline(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Index of the `End` matching the `Start` at `start`.
fn find_end(events: &[Ev], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    events.len()
}

impl<'a> Renderer<'a, '_> {
    pub(super) fn out(&mut self) -> &mut String {
        self.bufs.last_mut().expect("a buffer is always open")
    }

    pub fn warn(&mut self, code: Code, line: usize, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(code, message).at(&self.opts.file, line, 1));
    }

    pub fn note_unsupported(&mut self, name: &str) {
        if !self.unsupported.iter().any(|u| u == name) {
            self.unsupported.push(name.to_string());
        }
    }

    /// Adds plain text to the current search section.
    pub(super) fn add_text(&mut self, text: &str) {
        if let Some(s) = self.sections.last_mut() {
            if !s.text.is_empty() && !s.text.ends_with(' ') {
                s.text.push(' ');
            }
            s.text.push_str(text.trim());
        }
    }

    fn walk<'e>(&mut self, events: &'e [Ev<'e>]) {
        let mut i = 0;
        while i < events.len() {
            let (ev, range) = &events[i];
            let line = self.conv.src_line(range.start);
            if is_inline(ev) {
                let mut j = i;
                while j < events.len() && is_inline(&events[j].0) {
                    j += 1;
                }
                self.current_line = line;
                let (html, plain, _) =
                    self.inline_run(&events[i..j], &self.conv.text, LineOf::Page, Trailing::None);
                self.out().push_str(&html);
                self.add_text(&plain);
                i = j;
                continue;
            }
            match ev {
                Event::Start(Tag::Paragraph) => {
                    let end = find_end(events, i);
                    self.paragraph(&events[i + 1..end.min(events.len())], line);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let end = find_end(events, i);
                    self.heading(*level as u8, &events[i + 1..end.min(events.len())], line);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = find_end(events, i);
                    let text: String = events[i + 1..end.min(events.len())]
                        .iter()
                        .filter_map(|(e, _)| {
                            if let Event::Text(t) = e {
                                Some(t.as_ref())
                            } else {
                                None
                            }
                        })
                        .collect();
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    self.current_line = line;
                    self.code_block(&info, &text);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::DefinitionListDefinition) => {
                    let end = find_end(events, i).min(events.len());
                    if self.tight_definition(&events[i + 1..end], range.start) {
                        self.out().push_str("<dd>");
                        self.current_line = line;
                        let inner = &events[i + 2..end - 1];
                        let (html, plain, _) =
                            self.inline_run(inner, &self.conv.text, LineOf::Page, Trailing::None);
                        self.out().push_str(&html);
                        self.out().push_str("</dd>\n");
                        self.add_text(&plain);
                        i = end + 1;
                        continue;
                    }
                    self.out().push_str("<dd>");
                }
                Event::Start(Tag::TableCell) | Event::Start(Tag::DefinitionListTitle) => {
                    if matches!(ev, Event::Start(Tag::DefinitionListTitle)) {
                        self.last_dt_line = self.conv.line_index(range.end.saturating_sub(1));
                    }
                    let end = find_end(events, i);
                    self.cell(
                        matches!(ev, Event::Start(Tag::TableCell)),
                        &events[i + 1..end.min(events.len())],
                        line,
                    );
                    i = end + 1;
                    continue;
                }
                Event::Html(raw) => self.html_event(raw, line),
                Event::Start(tag) => self.start(tag, events, i),
                Event::End(tag) => self.end(*tag),
                Event::Rule => self.out().push_str("<hr />\n"),
                Event::DisplayMath(m) => {
                    let m = m.to_string();
                    escape_text(self.out(), &m);
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn start(&mut self, tag: &Tag, events: &[Ev], i: usize) {
        let html: String = match tag {
            Tag::BlockQuote(_) => "<blockquote>\n".into(),
            Tag::List(first) => {
                let task = first_item_is_task(events, i);
                match (first.is_some(), task) {
                    (true, true) => "<ol class=\"task-list\">\n".into(),
                    (true, false) => "<ol>\n".into(),
                    (false, true) => "<ul class=\"task-list\">\n".into(),
                    (false, false) => "<ul>\n".into(),
                }
            }
            Tag::Item => {
                if item_is_task(events, i) {
                    "<li class=\"task-list-item\">".into()
                } else {
                    "<li>".into()
                }
            }
            Tag::FootnoteDefinition(_) => {
                self.bufs.push(String::new());
                String::new()
            }
            Tag::Table(aligns) => {
                self.aligns = aligns.clone();
                self.body_open = false;
                "<table>\n".into()
            }
            Tag::TableHead => {
                self.in_head = true;
                self.cell = 0;
                "<thead>\n<tr>\n".into()
            }
            Tag::TableRow => {
                self.cell = 0;
                let mut s = String::new();
                if !self.body_open {
                    self.body_open = true;
                    s.push_str("<tbody>\n");
                }
                s.push_str("<tr>\n");
                s
            }
            Tag::DefinitionList => "<dl>\n".into(),
            Tag::HtmlBlock => String::new(),
            _ => String::new(),
        };
        self.out().push_str(&html);
    }

    fn end(&mut self, tag: TagEnd) {
        let html = match tag {
            TagEnd::BlockQuote(_) => "</blockquote>\n",
            TagEnd::List(true) => "</ol>\n",
            TagEnd::List(false) => "</ul>\n",
            TagEnd::Item => "</li>\n",
            TagEnd::FootnoteDefinition => {
                if self.bufs.len() > 1 {
                    let body = self.bufs.pop().unwrap_or_default();
                    let label = self
                        .footnote_order
                        .get(self.footnotes.len())
                        .cloned()
                        .unwrap_or_default();
                    self.footnotes.push((label, body));
                }
                ""
            }
            TagEnd::Table => {
                let close = if self.body_open {
                    "</tbody>\n</table>\n"
                } else {
                    "</table>\n"
                };
                self.body_open = false;
                close
            }
            TagEnd::TableHead => {
                self.in_head = false;
                "</tr>\n</thead>\n"
            }
            TagEnd::TableRow => "</tr>\n",
            TagEnd::DefinitionList => "</dl>\n",
            TagEnd::DefinitionListDefinition => "</dd>\n",
            _ => "",
        };
        self.out().push_str(html);
    }

    /// Python-Markdown writes a definition without `<p>` when it is one paragraph right
    /// under its term; pulldown-cmark decides looseness for the whole list.
    fn tight_definition(&self, inner: &[Ev], start: usize) -> bool {
        let one_paragraph = matches!(inner.first(), Some((Event::Start(Tag::Paragraph), _)))
            && find_end(inner, 0) + 1 == inner.len();
        one_paragraph && self.conv.line_index(start) == self.last_dt_line.wrapping_add(1)
    }

    fn paragraph<'e>(&mut self, inner: &'e [Ev<'e>], line: usize) {
        self.current_line = line;
        let (html, plain, attrs) =
            self.inline_run(inner, &self.conv.text, LineOf::Page, Trailing::OwnLine);
        if html.trim().is_empty() && !attrs.is_empty() {
            return;
        }
        if let Some(id) = &attrs.id {
            self.anchors.push(id.clone());
        }
        let out = self.out();
        out.push_str("<p");
        attrs.write(out, &[]);
        out.push('>');
        out.push_str(&html);
        out.push_str("</p>\n");
        self.add_text(&plain);
    }

    fn heading<'e>(&mut self, level: u8, inner: &'e [Ev<'e>], line: usize) {
        self.current_line = line;
        let (html, plain, attrs) =
            self.inline_run(inner, &self.conv.text, LineOf::Page, Trailing::EndOfText);
        let plain = plain.trim().to_string();
        let id = match &attrs.id {
            Some(id) => {
                self.used_ids.insert(id.clone());
                id.clone()
            }
            None => unique(slugify(&plain), &mut self.used_ids),
        };
        let mut out = format!("<h{level}");
        let mut attrs = attrs;
        attrs.id = Some(id.clone());
        attrs.write(&mut out, &[]);
        out.push('>');
        out.push_str(&html);
        if self.opts.permalink {
            out.push_str("<a class=\"headerlink\" href=\"#");
            escape_attr(&mut out, &id);
            out.push_str("\" title=\"Permanent link\">&para;</a>");
        }
        out.push_str(&format!("</h{level}>\n"));
        self.out().push_str(&out);
        if level == 1 && self.title.is_none() {
            self.title = Some(plain.clone());
        }
        self.anchors.push(id.clone());
        self.headings.push(Heading {
            level,
            id: id.clone(),
            text: plain.clone(),
        });
        self.sections.push(Section {
            id: Some(id),
            heading: plain,
            level,
            text: String::new(),
        });
    }

    fn cell<'e>(&mut self, is_cell: bool, inner: &'e [Ev<'e>], line: usize) {
        self.current_line = line;
        let (html, plain, _) =
            self.inline_run(inner, &self.conv.text, LineOf::Page, Trailing::None);
        if is_cell {
            let tag = if self.in_head { "th" } else { "td" };
            let align = match self.aligns.get(self.cell) {
                Some(Alignment::Left) => " style=\"text-align: left;\"",
                Some(Alignment::Right) => " style=\"text-align: right;\"",
                Some(Alignment::Center) => " style=\"text-align: center;\"",
                _ => "",
            };
            let out = self.out();
            out.push('<');
            out.push_str(tag);
            out.push_str(align);
            out.push('>');
            out.push_str(&html);
            out.push_str("</");
            out.push_str(tag);
            out.push_str(">\n");
            self.cell += 1;
        } else {
            let out = self.out();
            out.push_str("<dt>");
            out.push_str(&html);
            out.push_str("</dt>\n");
        }
        self.add_text(&plain);
    }

    fn code_block(&mut self, info: &str, text: &str) {
        let html = self.code_html(info, text);
        self.out().push_str(&html);
    }

    pub(super) fn code_html(&mut self, info: &str, text: &str) -> String {
        // A stand-in can only land in code when a container failed to close; never show it.
        let cleaned;
        let text = if text.contains(SENTINEL) {
            cleaned = STRAY_SENTINEL.replace_all(text, "").into_owned();
            &cleaned
        } else {
            text
        };
        let mut html = match code::render_fence(
            info,
            text,
            self.opts.linenums,
            self.opts.highlight.then_some(self.opts.markup),
            self.opts.plantuml.as_ref(),
        ) {
            code::Rendered::Html(html) => html,
            code::Rendered::Mermaid(html) => {
                self.has_mermaid = true;
                // The diagram's first line is the one after the opening fence.
                let first = self.current_line + 1;
                for p in super::mermaid::check(text) {
                    self.warn(Code::MermaidSyntax, first + p.line, p.message);
                }
                html
            }
            code::Rendered::Unsupported(html, name) => {
                self.note_unsupported(name);
                html
            }
            code::Rendered::Diagram(svg) => {
                self.diagrams.push(svg);
                format!("{DIAGRAM_MARK}{}\u{FDD0}", self.diagrams.len() - 1)
            }
            code::Rendered::BadDiagram(html, message) => {
                self.warn(Code::MermaidSyntax, self.current_line, message);
                html
            }
        };
        html.push('\n');
        html
    }

    fn html_event(&mut self, raw: &str, line: usize) {
        if raw.contains(SENTINEL)
            && let Some(n) = parse_sentinel(raw)
        {
            let html = self.stashed(n);
            self.out().push_str(&html);
            return;
        }
        let html = self.raw_html(raw, line);
        self.out().push_str(&html);
    }

    fn finish(mut self) -> Rendered {
        while self.bufs.len() > 1 {
            let extra = self.bufs.pop().unwrap_or_default();
            self.out().push_str(&extra);
        }
        self.write_footnotes();
        let mut html = self.bufs.pop().unwrap_or_default();
        if self.has_raw_html && !self.opts.trusted_html {
            html = sanitize(&html);
        }
        for (i, svg) in self.diagrams.iter().enumerate() {
            html = html.replacen(&format!("{DIAGRAM_MARK}{i}\u{FDD0}"), svg, 1);
        }
        if self.has_toc {
            html = html.replace(TOC_MARK, &toc_html(&self.headings));
        }
        let mut sections = std::mem::take(&mut self.sections);
        // The text stays as written: its readers split it into words, and only the search
        // results' excerpt needs its white space collapsed (`search::documents`).
        sections.retain(|s| s.id.is_some() || !s.text.trim().is_empty());
        Rendered {
            html,
            title: self.title,
            front_matter: serde_json::Map::new(),
            headings: self.headings,
            anchors: self.anchors,
            sections,
            has_mermaid: self.has_mermaid,
            diagnostics: Vec::new(),
            unsupported: self.unsupported,
        }
    }
}

/// Whether the item starting at `i` begins with a task marker.
fn item_is_task(events: &[Ev], i: usize) -> bool {
    match events.get(i + 1).map(|e| &e.0) {
        Some(Event::TaskListMarker(_)) => true,
        Some(Event::Start(Tag::Paragraph)) => matches!(
            events.get(i + 2).map(|e| &e.0),
            Some(Event::TaskListMarker(_))
        ),
        _ => false,
    }
}

/// Whether the list starting at `i` has a task marker in its first item.
fn first_item_is_task(events: &[Ev], i: usize) -> bool {
    matches!(
        events.get(i + 1).map(|e| &e.0),
        Some(Event::Start(Tag::Item))
    ) && item_is_task(events, i + 1)
}
