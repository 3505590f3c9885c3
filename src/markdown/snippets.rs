//! pymdownx.snippets: `--8<--` lines in, the included files' lines out.
//!
//! Forms: `--8<-- "path"` on its own line (indentation is kept for every included line), and
//! the block form `--8<--` ⏎ paths ⏎ `--8<--` (`;` lines are comments). A path may carry
//! line ranges (`file.md:3:5`, `file.md:3:`, `file.md:1:2,6:7`) or a section name
//! (`file.md:name`, cut at `--8<-- [start:name]` … `--8<-- [end:name]`). A `;` before the
//! marker escapes it. Paths are relative to the mkdocs.yml folder and may not leave it
//! (techdocs-core forces `restrict_base_path`); included text keeps the line number of the
//! line that included it.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use memchr::memmem;

use super::MarkdownOptions;
use super::source::{Line, TAB, any_line_has};
use crate::diagnostics::{Code, Diagnostic};

/// Nesting limit for snippets that include snippets.
const MAX_DEPTH: usize = 8;

/// At most this many bytes are included into one page, all snippets together: a page that
/// includes one large file a thousand times must not take gigabytes.
const MAX_INCLUDED_BYTES: u64 = super::MAX_PAGE_BYTES;

static MARKER: LazyLock<memmem::Finder> = LazyLock::new(|| memmem::Finder::new("8<-"));

/// Whether a page whose whole text is `text` may include snippets (see `alerts::may_apply`;
/// alerts make no markers of their own).
pub fn may_apply(text: &str) -> bool {
    MARKER.find(text.as_bytes()).is_some()
}

pub fn expand<'s>(
    lines: Vec<Line<'s>>,
    opts: &MarkdownOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Line<'s>> {
    if !any_line_has(&lines, &MARKER) {
        return lines;
    }
    let base = std::fs::canonicalize(&opts.snippet_base).ok();
    let mut ctx = Ctx {
        base,
        file: &opts.file,
        diags,
        stack: Vec::new(),
        included: 0,
    };
    let mut out = Vec::with_capacity(lines.len());
    ctx.expand_into(&lines, None, &mut out);
    out
}

struct Ctx<'a> {
    base: Option<PathBuf>,
    file: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
    /// Files being included, innermost last (cycle guard).
    stack: Vec<PathBuf>,
    /// Bytes included so far into this page.
    included: u64,
}

enum Marker<'a> {
    /// `--8<-- "path"`.
    Single { indent: &'a str, path: String },
    /// A bare `--8<--` opening or closing a block of paths.
    Block { indent: &'a str },
    /// `;--8<--…`: shown without the `;`.
    Escaped(String),
}

fn parse_marker(text: &str) -> Option<Marker<'_>> {
    let body = text.trim_start_matches([' ', '\t']);
    let indent = &text[..text.len() - body.len()];
    let (escaped, body) = match body.strip_prefix(';') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let after_dash = body.trim_start_matches('-');
    if after_dash.len() == body.len() {
        return None;
    }
    let rest = after_dash.strip_prefix("8<")?;
    let rest_dashes = rest.trim_start_matches('-');
    if rest_dashes.len() == rest.len() {
        return None;
    }
    if escaped {
        return Some(Marker::Escaped(format!("{indent}{body}")));
    }
    let tail = rest_dashes.trim_end();
    if tail.is_empty() {
        return Some(Marker::Block { indent });
    }
    if !rest_dashes.starts_with([' ', '\t']) {
        return None;
    }
    let quoted = tail.trim_start();
    let q = quoted.chars().next()?;
    if !(q == '"' || q == '\'') || quoted.len() < 3 || !quoted.ends_with(q) {
        return None;
    }
    let path = quoted[1..quoted.len() - 1].replace(&format!("\\{q}"), &q.to_string());
    Some(Marker::Single { indent, path })
}

impl Ctx<'_> {
    fn expand_into<'s>(
        &mut self,
        lines: &[Line<'s>],
        src_override: Option<usize>,
        out: &mut Vec<Line<'s>>,
    ) {
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            let src = src_override.unwrap_or(line.src);
            match parse_marker(&line.text) {
                Some(Marker::Single { indent, path }) => {
                    let indent = indent.to_string();
                    self.include(&path, &indent, src, out);
                }
                Some(Marker::Block { indent }) => {
                    let indent = indent.to_string();
                    let close = lines[i + 1..]
                        .iter()
                        .position(|l| matches!(parse_marker(&l.text), Some(Marker::Block { .. })));
                    let Some(close) = close else {
                        out.push(Line::new(line.text.clone(), src));
                        i += 1;
                        continue;
                    };
                    for entry in &lines[i + 1..i + 1 + close] {
                        let path = entry.text.trim();
                        if path.is_empty() || path.starts_with(';') {
                            continue;
                        }
                        let entry_src = src_override.unwrap_or(entry.src);
                        self.include(path, &indent, entry_src, out);
                    }
                    i += close + 2;
                    continue;
                }
                Some(Marker::Escaped(text)) => out.push(Line::new(text, src)),
                None => out.push(Line::new(line.text.clone(), src)),
            }
            i += 1;
        }
    }

    fn warn(&mut self, code: Code, line: usize, message: String) {
        self.diags
            .push(Diagnostic::new(code, message).at(self.file, line, 1));
    }

    fn include(&mut self, spec: &str, indent: &str, src: usize, out: &mut Vec<Line<'_>>) {
        if spec.contains("://") {
            self.warn(
                Code::SnippetNotFound,
                src,
                format!("remote snippet `{spec}` is not fetched"),
            );
            return;
        }
        let (path, selector) = split_selector(spec);
        let Some(base) = self.base.clone() else {
            self.warn(
                Code::SnippetNotFound,
                src,
                format!("snippet `{spec}`: the snippet folder does not exist"),
            );
            return;
        };
        let Ok(resolved) = std::fs::canonicalize(base.join(path)) else {
            self.warn(
                Code::SnippetNotFound,
                src,
                format!("snippet `{path}` not found (paths are relative to the mkdocs.yml folder)"),
            );
            return;
        };
        if !resolved.starts_with(&base) {
            self.diags.push(
                Diagnostic::new(
                    Code::SnippetOutsideBase,
                    format!("snippet `{path}` lies outside the docs folder and was not included"),
                )
                .at(self.file, src, 1)
                .hint("snippets may only include files below the folder of mkdocs.yml"),
            );
            return;
        }
        if self.stack.contains(&resolved) {
            self.warn(
                Code::SnippetTooDeep,
                src,
                format!("snippet `{path}` includes itself"),
            );
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.warn(
                Code::SnippetTooDeep,
                src,
                format!("snippet `{path}` is nested more than {MAX_DEPTH} deep"),
            );
            return;
        }
        let budget = MAX_INCLUDED_BYTES.saturating_sub(self.included);
        let text = match crate::fsutil::read_bytes_limited(&resolved, budget) {
            Ok(bytes) => {
                self.included += bytes.len() as u64;
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Err(crate::fsutil::ReadError::TooLarge { size, .. }) => {
                let (size, max) = (
                    crate::fsutil::megabytes(size),
                    crate::fsutil::megabytes(MAX_INCLUDED_BYTES),
                );
                self.diags.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        format!("snippet `{path}` ({size}) was not included: the snippets of one page may add up to {max}"),
                    )
                    .at(self.file, src, 1)
                    .hint("include less, or link to the file instead"),
                );
                return;
            }
            Err(e) => {
                self.warn(
                    Code::SnippetNotFound,
                    src,
                    format!("snippet `{path}` could not be read: {e}"),
                );
                return;
            }
        };
        let Some(selected) = select(&text, selector) else {
            self.warn(
                Code::SnippetNotFound,
                src,
                format!("snippet `{spec}`: no such section or lines"),
            );
            return;
        };
        let inner: Vec<Line<'static>> = selected
            .into_iter()
            .map(|t| Line::new(indented(indent, &expand_tabs(t)), src))
            .collect();
        self.stack.push(resolved);
        self.expand_into(&inner, Some(src), out);
        self.stack.pop();
    }
}

fn indented(indent: &str, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{indent}{text}")
    }
}

fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.trim_end_matches('\r').to_string();
    }
    let mut out = String::new();
    for c in text.trim_end_matches('\r').chars() {
        if c == '\t' {
            let n = TAB - out.chars().count() % TAB;
            out.extend(std::iter::repeat_n(' ', n));
        } else {
            out.push(c);
        }
    }
    out
}

/// `file.md:3:5` → (`file.md`, `3:5`); `file.md:name` → (`file.md`, `name`).
fn split_selector(spec: &str) -> (&str, Option<&str>) {
    // A Windows drive letter or a colon inside the file name is rare; split at the first
    // colon that follows something that looks like a file name with an extension.
    match spec.find(':') {
        Some(i) if i > 1 => (&spec[..i], Some(&spec[i + 1..])),
        _ => (spec, None),
    }
}

/// The lines a selector picks, or `None` when a named section does not exist.
fn select<'t>(text: &'t str, selector: Option<&str>) -> Option<Vec<&'t str>> {
    let all: Vec<&str> = text.lines().collect();
    let Some(selector) = selector else {
        return Some(
            all.into_iter()
                .filter(|l| section_marker(l).is_none())
                .collect(),
        );
    };
    if selector
        .chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c == ',' || c == '-')
    {
        let mut picked = Vec::new();
        for range in selector.split(',') {
            let mut parts = range.splitn(2, ':');
            let start: usize = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(1)
                .max(1);
            let end: usize = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(all.len());
            let end = end.min(all.len());
            if start <= end {
                picked.extend(
                    all[start - 1..end]
                        .iter()
                        .filter(|l| section_marker(l).is_none()),
                );
            }
        }
        return Some(picked);
    }
    let begin = all
        .iter()
        .position(|l| section_marker(l) == Some(("start", selector)))?;
    let end = all[begin..]
        .iter()
        .position(|l| section_marker(l) == Some(("end", selector)))
        .map_or(all.len(), |e| begin + e);
    Some(
        all[begin + 1..end]
            .iter()
            .copied()
            .filter(|l| section_marker(l).is_none())
            .collect(),
    )
}

/// `--8<-- [start:name]` → (`start`, `name`).
fn section_marker(line: &str) -> Option<(&str, &str)> {
    let i = line.find("8<-")?;
    let rest = line[i + 2..].trim_start_matches('-').trim();
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
    let (kind, name) = inner.split_once(':')?;
    matches!(kind, "start" | "end").then_some((kind, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dir: &Path) -> MarkdownOptions {
        MarkdownOptions::new(dir.join("docs/page.md"), dir)
    }

    fn lines(s: &str) -> Vec<Line<'_>> {
        s.lines()
            .enumerate()
            .map(|(i, t)| Line::new(t, i + 1))
            .collect()
    }

    #[test]
    fn includes_keep_indent_and_line_of_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one\ntwo\n").unwrap();
        let mut d = Vec::new();
        let out = expand(
            lines("x\n    --8<-- \"a.md\"\ny"),
            &opts(dir.path()),
            &mut d,
        );
        let got: Vec<(&str, usize)> = out.iter().map(|l| (&*l.text, l.src)).collect();
        assert_eq!(got, [("x", 1), ("    one", 2), ("    two", 2), ("y", 3)]);
        assert!(d.is_empty());
    }

    #[test]
    fn ranges_sections_blocks_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "1\n2\n3\n4\n").unwrap();
        std::fs::write(
            dir.path().join("s.md"),
            "a\n--8<-- [start:x]\nin\n--8<-- [end:x]\nb\n",
        )
        .unwrap();
        let mut d = Vec::new();
        let src = "--8<--\na.txt:2:3\n; a comment\ns.md:x\n--8<--\n;--8<-- \"a.txt\"";
        let out = expand(lines(src), &opts(dir.path()), &mut d);
        let got: Vec<&str> = out.iter().map(|l| &*l.text).collect();
        assert_eq!(got, ["2", "3", "in", "--8<-- \"a.txt\""]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn escaping_the_base_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s3cr3t").unwrap();
        let mut d = Vec::new();
        let out = expand(
            lines("--8<-- \"../secret.txt\""),
            &opts(&dir.path().join("site")),
            &mut d,
        );
        assert!(out.is_empty());
        assert_eq!(d[0].code, Code::SnippetOutsideBase);
        assert_eq!(d[0].line, Some(1));
    }

    /// Regression: snippets were read whole and without limit, so a page including one large
    /// file many times could take gigabytes.
    #[test]
    fn snippets_add_up_to_the_page_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.txt"), "x".repeat(4 * 1024 * 1024)).unwrap();
        let mut diags = Vec::new();
        let got = expand(
            lines("--8<-- \"big.txt\"\n--8<-- \"big.txt\"\n--8<-- \"big.txt\"\nend"),
            &opts(dir.path()),
            &mut diags,
        );
        let included: usize = got.iter().map(|l| l.text.len()).sum();
        assert_eq!(included, 2 * 4 * 1024 * 1024 + 3);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::FileTooLarge);
        assert_eq!(diags[0].line, Some(3));
    }

    #[test]
    fn missing_and_recursive_snippets_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("loop.md"), "--8<-- \"loop.md\"\n").unwrap();
        let mut d = Vec::new();
        expand(
            lines("--8<-- \"nope.md\"\n--8<-- \"loop.md\""),
            &opts(dir.path()),
            &mut d,
        );
        let codes: Vec<Code> = d.iter().map(|x| x.code).collect();
        assert_eq!(codes, [Code::SnippetNotFound, Code::SnippetTooDeep]);
    }
}
