//! The block pass: numbered lines with Python-Markdown block syntax in, CommonMark text out
//! (plus the stash and a map from every output line to its source line).
//!
//! Python-Markdown differs from CommonMark in its containers, so this pass parses those
//! itself and re-emits them in a form pulldown-cmark reads the same way: list items get
//! canonical markers and indentation (2-space nesting as in mdx_truly_sane_lists, 4-space
//! content as in Python-Markdown), admonitions/details/tabs/`///` blocks/md_in_html become
//! stashed wrappers around their re-emitted bodies, fences are stashed whole. Leaf blocks
//! (paragraphs, headings, tables, raw HTML) pass through for pulldown-cmark.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::htmlblock::html_block_start;
use super::source::Line;
use super::stash::{FencedCode, Stashed, sentinel};
use crate::diagnostics::{Code, Diagnostic};

/// The block pass's result.
pub struct Converted {
    /// CommonMark text for pulldown-cmark.
    pub text: String,
    /// Byte offset in `text` where each output line starts.
    pub line_starts: Vec<usize>,
    /// Source line of each output line.
    pub line_src: Vec<usize>,
    pub stash: Vec<Stashed>,
    pub unsupported: Vec<String>,
}

impl Converted {
    /// Index of the output line holding byte offset `offset` of `text`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Source line for a byte offset in `text`.
    pub fn src_line(&self, offset: usize) -> usize {
        let i = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        self.line_src.get(i).copied().unwrap_or(1)
    }
}

/// One container level of the output: what goes before each line inside it.
struct Seg {
    /// The marker for the next line (a list item's `- `), then `rest` for the others.
    first: Option<String>,
    rest: String,
}

/// Writes output lines with the current container prefixes and records the line map.
pub struct Emitter {
    text: String,
    line_starts: Vec<usize>,
    line_src: Vec<usize>,
    segs: Vec<Seg>,
    pub stash: Vec<Stashed>,
}

impl Emitter {
    fn new(capacity: usize) -> Self {
        Emitter {
            text: String::with_capacity(capacity),
            line_starts: Vec::new(),
            line_src: Vec::new(),
            segs: Vec::new(),
            stash: Vec::new(),
        }
    }

    pub fn line(&mut self, content: &str, src: usize) {
        self.line_starts.push(self.text.len());
        self.line_src.push(src);
        for seg in &mut self.segs {
            match seg.first.take() {
                Some(first) => self.text.push_str(&first),
                None => self.text.push_str(&seg.rest),
            }
        }
        self.text.push_str(content);
        self.text.push('\n');
    }

    pub fn blank(&mut self, src: usize) {
        if self.segs.iter().any(|s| s.first.is_some()) {
            // A blank line cannot start a list item's content.
            return;
        }
        self.line_starts.push(self.text.len());
        self.line_src.push(src);
        let start = self.text.len();
        for seg in &self.segs {
            self.text.push_str(&seg.rest);
        }
        let trimmed = self.text[start..].trim_end().len();
        self.text.truncate(start + trimmed);
        self.text.push('\n');
    }

    pub fn stash(&mut self, item: Stashed, src: usize) {
        let n = self.stash.len();
        self.stash.push(item);
        self.line(&sentinel(n), src);
    }

    /// Enters a container whose first line starts with `first` and the rest with `rest`.
    pub fn push(&mut self, first: Option<String>, rest: String) {
        self.segs.push(Seg { first, rest });
    }

    /// Leaves a container; an item that got no line still shows its marker.
    pub fn pop(&mut self, src: usize) {
        if let Some(Seg { first: Some(_), .. }) = self.segs.last() {
            self.line("", src);
        }
        self.segs.pop();
    }
}

/// State shared by the whole pass.
pub struct Pass<'a> {
    pub out: Emitter,
    pub abbreviations: &'a mut Vec<(String, String)>,
    pub diags: &'a mut Vec<Diagnostic>,
    pub file: &'a Path,
    pub unsupported: Vec<String>,
    /// Tab sets numbered in document order, as pymdownx.tabbed numbers them.
    pub tab_sets: usize,
    /// Link reference definitions, moved to the end of the page (they are page-wide and
    /// must not split a list or a paragraph where they stand).
    pub refdefs: Vec<Line<'static>>,
    /// How many containers (quotes, list items, admonitions, tabs) enclose the lines now
    /// being converted.
    pub depth: usize,
}

/// Containers nested deeper than this are kept as text: conversion recurses once per level,
/// and a line of 50,000 `> ` overflowed the stack.
pub const MAX_NESTING: usize = 64;

/// The kind of the previous block in a container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Para,
    Def,
    Other,
}

/// Where a run of lines sits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    /// Inside a list item: a list marker may interrupt a paragraph (that is nesting).
    pub in_item: bool,
}

pub fn convert(
    lines: &[Line],
    abbreviations: &mut Vec<(String, String)>,
    diags: &mut Vec<Diagnostic>,
    file: &Path,
) -> Converted {
    let capacity = lines.iter().map(|l| l.text.len() + 1).sum::<usize>() + 64;
    let mut pass = Pass {
        out: Emitter::new(capacity),
        abbreviations,
        diags,
        file,
        unsupported: Vec::new(),
        tab_sets: 0,
        refdefs: Vec::new(),
        depth: 0,
    };
    pass.blocks(lines, Ctx { in_item: false });
    pass.out.segs.clear();
    for def in std::mem::take(&mut pass.refdefs) {
        pass.out.blank(def.src);
        pass.out.line(def.text.trim(), def.src);
    }
    Converted {
        text: pass.out.text,
        line_starts: pass.out.line_starts,
        line_src: pass.out.line_src,
        stash: pass.out.stash,
        unsupported: pass.unsupported,
    }
}

static COMMONMARK_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^( {0,3})([*+-]|[0-9]{1,9}[.)])( |$)").expect("valid regex"));
/// A link reference definition (`[id]: url`), not a footnote.
pub static REF_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[[^\]^][^\]]*\]:\s*\S").expect("valid regex"));
static ABBR_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}\*\[([^\]\\]+)\] ?:[ ]*(.*)$").expect("valid regex"));

/// Whether a line starts a block that ends a paragraph (so it is no lazy continuation).
pub fn starts_block(t: &str) -> bool {
    let t = t.trim_start_matches(' ');
    t.starts_with("```")
        || t.starts_with("~~~")
        || t.starts_with("!!!")
        || t.starts_with("???")
        || t.starts_with("===")
        || t.starts_with("///")
        || t.starts_with('#')
        || t.starts_with('>')
        || is_thematic_break(t)
}

fn is_thematic_break(t: &str) -> bool {
    let t = t.trim();
    let Some(c) = t.chars().next() else {
        return false;
    };
    matches!(c, '-' | '*' | '_')
        && t.chars().filter(|&x| x == c).count() >= 3
        && t.chars().all(|x| x == c || x == ' ')
}

/// A Python-Markdown list item's marker at the start of a line: up to 3 spaces, `*`, `+`,
/// `-` or 1 to 9 digits and a `.`, then spaces or the end of the line
/// (`^( {0,3})([*+-]|[0-9]{1,9}\.)( +|$)`, read by hand: it is asked of most lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListMarker<'t> {
    /// Spaces before the marker.
    pub indent: usize,
    pub marker: &'t str,
    /// Spaces after it (0 only at the end of the line).
    pub spaces: usize,
}

impl ListMarker<'_> {
    /// The marker with the spaces around it.
    pub fn len(&self) -> usize {
        self.indent + self.marker.len() + self.spaces
    }

    pub fn ordered(&self) -> bool {
        self.marker.ends_with('.')
    }
}

pub fn list_marker(text: &str) -> Option<ListMarker<'_>> {
    let spaces_from = |i: usize| {
        text.as_bytes()[i..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count()
    };
    let indent = spaces_from(0);
    let rest = &text.as_bytes()[indent..];
    let marker_len = match rest.first()? {
        _ if indent > 3 => return None,
        b'*' | b'+' | b'-' => 1,
        b'0'..=b'9' => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || rest.get(digits) != Some(&b'.') {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let end = indent + marker_len;
    let spaces = spaces_from(end);
    if spaces == 0 && end < text.len() {
        return None;
    }
    Some(ListMarker {
        indent,
        marker: &text[indent..end],
        spaces,
    })
}

/// Whether `t` starts with a character that can begin a list marker (`*`, `+`, `-`, a digit).
fn starts_with_marker_char(t: &str) -> bool {
    t.starts_with([
        '*', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ])
}

impl Pass<'_> {
    pub fn note_unsupported(&mut self, name: &str) {
        if !self.unsupported.iter().any(|u| u == name) {
            self.unsupported.push(name.to_string());
        }
    }

    pub fn warn(&mut self, code: Code, line: usize, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(code, message).at(self.file, line, 1));
    }

    /// Converts one container's lines (already dedented to the container's column).
    pub fn blocks(&mut self, lines: &[Line], ctx: Ctx) {
        if self.depth >= MAX_NESTING {
            self.too_deep(lines);
            return;
        }
        self.depth += 1;
        self.container(lines, ctx);
        self.depth -= 1;
    }

    /// Lines nested too deep become one paragraph of literal text, each leading marker
    /// escaped so that pulldown-cmark does not nest them again.
    fn too_deep(&mut self, lines: &[Line]) {
        if let Some(first) = lines.iter().find(|l| !l.is_blank()) {
            self.warn(
                Code::NestingTooDeep,
                first.src,
                format!("blocks are nested more than {MAX_NESTING} deep; the inner lines are shown as text"),
            );
        }
        for line in lines.iter().filter(|l| !l.is_blank()) {
            let t = line.text.trim_start();
            if t.starts_with(|c: char| c.is_ascii_punctuation()) {
                self.out.line(&format!("\\{t}"), line.src);
            } else {
                self.out.line(t, line.src);
            }
        }
    }

    fn container(&mut self, lines: &[Line], ctx: Ctx) {
        let mut i = 0;
        let mut para = false;
        // What the last block before any blank lines was: a definition list item needs a
        // term (a paragraph) or an earlier item before it.
        let mut last = Last::Other;
        while i < lines.len() {
            let line = &lines[i];
            if line.is_blank() {
                self.out.blank(line.src);
                para = false;
                i += 1;
                continue;
            }
            let indent = line.indent();
            if indent >= 4 {
                if para {
                    self.paragraph_line(line, ctx);
                } else {
                    i += self.indented_code(&lines[i..]);
                    last = Last::Other;
                    continue;
                }
                i += 1;
                continue;
            }
            let t = &line.text[indent..];
            if t.starts_with('[') && !para && REF_DEF.is_match(t) {
                self.refdefs
                    .push(Line::new(line.text.to_string(), line.src));
                i += 1;
                continue;
            }
            if t.starts_with(":::")
                && let Some(n) = self.mkdocstrings(&lines[i..])
            {
                i += n;
                para = false;
                last = Last::Other;
                continue;
            }
            if t.starts_with(':') {
                if let Some(n) = self.definition(&lines[i..], para || last != Last::Other) {
                    i += n;
                    para = false;
                    last = Last::Def;
                    continue;
                }
            } else if let Some(n) = self.block_start(&lines[i..], t, para, ctx) {
                i += n;
                para = false;
                last = Last::Other;
                continue;
            }
            // `t` is the line after at most 3 spaces, as ABBR_DEF allows.
            if let Some(cap) = t
                .starts_with("*[")
                .then(|| ABBR_DEF.captures(&line.text))
                .flatten()
            {
                self.abbreviations
                    .push((cap[1].trim().to_string(), cap[2].trim().to_string()));
                i += 1;
                continue;
            }
            if t.starts_with("<!--")
                && let Some(line) = self.comment_as_text(&lines[i..], t, line)
            {
                para = self.leaf_line(&line, &line.text, para, ctx);
                last = Last::Para;
                i += 1;
                continue;
            }
            if let Some(end) = html_block_start(t, para) {
                i += self.raw_html(&lines[i..], end);
                para = false;
                last = Last::Other;
                continue;
            }
            para = self.leaf_line(line, t, para, ctx);
            last = if para { Last::Para } else { Last::Other };
            i += 1;
        }
    }

    /// Tries every block construct this pass handles; returns the lines it consumed.
    fn block_start(&mut self, lines: &[Line], t: &str, para: bool, ctx: Ctx) -> Option<usize> {
        let first = t.as_bytes().first().copied()?;
        match first {
            b'`' | b'~' => self.fence(lines),
            b'!' | b'?' => self.admonition(lines),
            b'=' => self.tabs(lines),
            b'/' => self.slash_block(lines),
            b'<' => self.md_in_html(lines, para),
            b'>' => Some(self.blockquote(lines)),
            b'[' => self.footnote_def(lines).or_else(|| self.toc_marker(lines)),
            b'{' => self.graphviz(lines),
            b'*' | b'-' if is_thematic_break(t) => None,
            b'*' | b'+' | b'-' | b'0'..=b'9' if !para || ctx.in_item => self.list(lines, ctx),
            _ => None,
        }
    }

    /// A paragraph, heading, table row or other line pulldown-cmark reads as Python-Markdown
    /// does. Returns whether a paragraph is open after it.
    fn leaf_line(&mut self, line: &Line, t: &str, _para: bool, ctx: Ctx) -> bool {
        if t.starts_with('#') {
            let hashes = t.chars().take_while(|&c| c == '#').count();
            let rest = &t[hashes..];
            // Python-Markdown needs no space after the hashes (`#Title`).
            if hashes <= 6 && !rest.is_empty() && !rest.starts_with([' ', '#']) {
                self.out
                    .line(&format!("{} {}", &t[..hashes], rest), line.src);
                return false;
            }
            self.out.line(t, line.src);
            return false;
        }
        if is_thematic_break(t) || t.starts_with('|') {
            self.out.line(&line.text, line.src);
            return !is_thematic_break(t);
        }
        self.paragraph_line(line, ctx);
        true
    }

    /// A line of paragraph text, escaped where CommonMark would start a list that
    /// Python-Markdown does not (`1)` items, a list right after a paragraph).
    fn paragraph_line(&mut self, line: &Line, _ctx: Ctx) {
        let t = line.text.trim_start_matches(' ');
        if let Some(rest) = t.strip_prefix(':') {
            // Only `:` and spaces start a definition in Python-Markdown (`:emoji:` does not).
            // A character reference, not a backslash: `:emoji:` must still match.
            self.out.line(&format!("&#58;{rest}"), line.src);
            return;
        }
        if let Some(cap) = starts_with_marker_char(t)
            .then(|| COMMONMARK_MARKER.captures(t))
            .flatten()
        {
            let marker = &cap[2];
            let escaped = match marker.len() {
                1 => format!("\\{t}"),
                n => format!("{}\\{}", &t[..n - 1], &t[n - 1..]),
            };
            self.out.line(&escaped, line.src);
            return;
        }
        self.out.line(&line.text, line.src);
    }

    /// An indented code block: passed through unchanged, nothing inside is looked at.
    fn indented_code(&mut self, lines: &[Line]) -> usize {
        let mut end = 0;
        for (k, l) in lines.iter().enumerate() {
            if l.is_blank() {
                continue;
            }
            if l.indent() < 4 {
                break;
            }
            end = k + 1;
        }
        for l in &lines[..end] {
            if l.is_blank() {
                self.out.blank(l.src);
            } else {
                self.out.line(&l.text, l.src);
            }
        }
        end.max(1)
    }

    /// `[TOC]` alone on a line.
    fn toc_marker(&mut self, lines: &[Line]) -> Option<usize> {
        (lines[0].text.trim() == "[TOC]").then(|| {
            self.out.stash(Stashed::Toc, lines[0].src);
            1
        })
    }

    /// `{% dot file.svg … %}` (markdown_inline_graphviz): the `dot` tool's body is drawn like a
    /// ```` ```dot ```` fence; the other layout engines stay as a plain code block.
    fn graphviz(&mut self, lines: &[Line]) -> Option<usize> {
        let t = lines[0].text.trim();
        let tool = t.strip_prefix("{%")?.split_whitespace().next()?;
        if !matches!(tool, "dot" | "neato" | "fdp" | "sfdp" | "twopi" | "circo") {
            return None;
        }
        let end = lines
            .iter()
            .position(|l| l.text.trim_end().ends_with("%}"))?;
        let text: Vec<&str> = lines[..=end].iter().map(|l| &*l.text).collect();
        let code = match inline_graphviz_body(&text) {
            Some(body) if tool == "dot" => FencedCode {
                info: "dot".into(),
                text: body,
                line: lines[0].src,
            },
            _ => {
                self.note_unsupported("graphviz ({% neato %} and other layout engines)");
                FencedCode {
                    info: "text".into(),
                    text: text.join("\n") + "\n",
                    line: lines[0].src,
                }
            }
        };
        self.out.stash(Stashed::Code(code), lines[0].src);
        Some(end + 1)
    }
}

/// The graph inside `{% dot name.svg ⏎ digraph {…} ⏎ %}`: the text after the tool and the
/// file name, up to the closing `%}`.
fn inline_graphviz_body(lines: &[&str]) -> Option<String> {
    let joined = lines.join("\n");
    let inner = joined.trim().strip_prefix("{%")?.strip_suffix("%}")?;
    let mut words = inner.trim_start().splitn(3, char::is_whitespace);
    let (_tool, _file) = (words.next()?, words.next()?);
    let body = words.next()?.trim();
    (!body.is_empty()).then(|| format!("{body}\n"))
}

/// Lines of a body that is indented by `width` more than `base`: every line up to the first
/// non-blank line indented less, trailing blank lines left out. Returns how many lines.
pub fn indented_body(lines: &[Line], base: usize, width: usize) -> usize {
    let mut end = 0;
    for (k, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        if l.indent() < base + width {
            break;
        }
        end = k + 1;
    }
    end
}

/// `lines` with `n` leading spaces removed from each (fewer where a line has fewer).
pub fn dedent_lines<'s>(lines: &[Line<'s>], n: usize) -> Vec<Line<'s>> {
    lines
        .iter()
        .map(|l| l.rest_from(l.indent().min(n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn convert_str(s: &str) -> String {
        let lines: Vec<Line> = s
            .lines()
            .enumerate()
            .map(|(i, t)| Line::new(t, i + 1))
            .collect();
        let mut abbr = Vec::new();
        let mut d = Vec::new();
        convert(&lines, &mut abbr, &mut d, Path::new("/p.md")).text
    }

    #[test]
    fn lists_do_not_interrupt_paragraphs() {
        assert_eq!(
            convert_str("Text\n- item\n1) x"),
            "Text\n\\- item\n1\\) x\n"
        );
    }

    #[test]
    fn hash_headings_need_no_space() {
        assert_eq!(convert_str("#Title"), "# Title\n");
    }

    #[test]
    fn raw_html_blocks_pass_through_untouched() {
        assert_eq!(
            convert_str("<div>\n- x\n!!! note\n</div>"),
            "<div>\n- x\n!!! note\n</div>\n"
        );
    }

    #[test]
    fn list_markers_are_read_as_pythons_pattern_reads_them() {
        // The pattern Python-Markdown's list processor uses, as the oracle.
        let pattern = Regex::new(r"^( {0,3})([*+-]|[0-9]{1,9}\.)( +|$)").unwrap();
        let starts = ["", " ", "   ", "    ", "\t"];
        let markers = [
            "-",
            "*",
            "+",
            "1.",
            "12.",
            "123456789.",
            "1234567890.",
            "1)",
            "a.",
            ".",
            "--",
            "-*",
            "1",
            "9.9",
        ];
        let ends = ["", " ", "  x", " x", "x", "\tx", ".", "-"];
        for start in starts {
            for marker in markers {
                for end in ends {
                    let line = format!("{start}{marker}{end}");
                    let want = pattern.captures(&line).map(|c| ListMarker {
                        indent: c[1].len(),
                        marker: c.get(2).map_or("", |m| m.as_str()),
                        spaces: c[3].len(),
                    });
                    assert_eq!(list_marker(&line), want, "{line:?}");
                }
            }
        }
        assert!(list_marker("- x").is_some_and(|m| m.len() == 2 && !m.ordered()));
        assert!(list_marker("  10.  x").is_some_and(|m| m.len() == 7 && m.ordered()));
    }
}
