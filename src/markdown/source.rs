//! Page source: raw text in; numbered, normalised lines and the front matter out.

use std::borrow::Cow;
use std::path::Path;

use memchr::memmem;

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{self, Schema};

/// The character that marks stagedoor's own stand-ins in the text handed to pulldown-cmark.
/// A Unicode noncharacter ("for internal use"); any copy in the input becomes U+FFFD, so a
/// page can never forge a stand-in.
pub const SENTINEL: char = '\u{FDD0}';

/// Python-Markdown's tab width: tabs expand to it and nested blocks indent by it.
pub const TAB: usize = 4;

/// One line of the page, without its newline, and the 1-based line of the page it came from
/// (for included snippets: the line of the `--8<--` that included it). Borrowed from the
/// page's text wherever the line is as written (nearly all of them), so a page is not copied
/// line by line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<'s> {
    pub text: Cow<'s, str>,
    pub src: usize,
}

impl<'s> Line<'s> {
    pub fn new(text: impl Into<Cow<'s, str>>, src: usize) -> Self {
        Line {
            text: text.into(),
            src,
        }
    }

    /// The line from byte `at` on (a char boundary), borrowed from the page when it is.
    pub fn rest_from(&self, at: usize) -> Line<'s> {
        let text = match &self.text {
            Cow::Borrowed(t) => Cow::Borrowed(&t[at..]),
            Cow::Owned(t) => Cow::Owned(t[at..].to_string()),
        };
        Line::new(text, self.src)
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Leading spaces (tabs are already expanded).
    pub fn indent(&self) -> usize {
        indent_of(&self.text)
    }
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// Whether any line holds `marker`: a pass asks before it copies a page's lines. The
/// searcher is built once by the pass, not once per line.
pub fn any_line_has(lines: &[Line], marker: &memmem::Finder) -> bool {
    lines
        .iter()
        .any(|l| marker.find(l.text.as_bytes()).is_some())
}

pub struct Page<'s> {
    pub lines: Vec<Line<'s>>,
    pub front_matter: serde_json::Map<String, serde_json::Value>,
}

/// Splits the page into lines (tabs expanded, sentinels neutralised) and reads the YAML front
/// matter at the top, as MkDocs does (`---` … `---` or `...`).
pub fn load<'s>(source: &'s str, file: &Path, diags: &mut Vec<Diagnostic>) -> Page<'s> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // Sized for lines of about 32 bytes: counting them first would read the page once more.
    let mut lines: Vec<Line> = Vec::with_capacity(source.len() / 32 + 1);
    lines.extend(
        crate::text::split_lines(source)
            .enumerate()
            .map(|(i, raw)| Line::new(normalise_line(raw), i + 1)),
    );
    if source.ends_with('\n') {
        lines.pop();
    }
    let mut front_matter = serde_json::Map::new();
    if lines.first().is_some_and(|l| l.text.trim_end() == "---") {
        let end = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.text.trim_end(), "---" | "..."));
        if let Some(end) = end {
            let yaml_text: Vec<&str> = lines[1..=end].iter().map(|l| &*l.text).collect();
            front_matter = parse_front_matter(&yaml_text.join("\n"), file, diags);
            lines.drain(..=end + 1);
        }
    }
    Page {
        lines,
        front_matter,
    }
}

fn parse_front_matter(
    text: &str,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> serde_json::Map<String, serde_json::Value> {
    match yaml::parse_single(text, Schema::Yaml11) {
        Ok(Some(node)) => match node.to_json() {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Null => serde_json::Map::new(),
            _ => {
                diags.push(
                    Diagnostic::new(Code::FrontMatterInvalid, "front matter is not a mapping")
                        .at(file, 2, 1),
                );
                serde_json::Map::new()
            }
        },
        Ok(None) => serde_json::Map::new(),
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::FrontMatterInvalid,
                    format!("front matter is not valid YAML: {}", e.message),
                )
                .at(file, e.line + 1, e.col.max(1)),
            );
            serde_json::Map::new()
        }
    }
}

/// Drops a trailing `\r`, expands tabs to 4-column stops (as Python-Markdown does before
/// parsing) and replaces any sentinel character.
fn normalise_line(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    // Python-Markdown empties whitespace-only lines before parsing.
    if raw.trim_start_matches([' ', '\t']).is_empty() {
        return Cow::Borrowed("");
    }
    // A quick byte scan first: of the characters looked for only `SENTINEL` is not ASCII,
    // and its UTF-8 starts with 0xEF.
    if memchr::memchr3(b'\t', b'\0', 0xEF, raw.as_bytes()).is_none()
        || !raw.contains(['\t', SENTINEL, '\0'])
    {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 8);
    let mut col = 0;
    for c in raw.chars() {
        match c {
            '\t' => {
                let n = TAB - col % TAB;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            SENTINEL | '\0' => {
                out.push('\u{FFFD}');
                col += 1;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_off_and_lines_keep_numbers() {
        let mut d = Vec::new();
        let page = load("---\ntitle: Hi\n---\n# A\n", Path::new("/x.md"), &mut d);
        assert_eq!(page.front_matter["title"], "Hi");
        assert_eq!(page.lines, vec![Line::new("# A", 4)]);
        assert!(d.is_empty());
    }

    #[test]
    fn tabs_expand_and_sentinels_vanish() {
        let mut d = Vec::new();
        let page = load("a\tb\n\u{FDD0}\r\n", Path::new("/x.md"), &mut d);
        assert_eq!(page.lines[0].text, "a   b");
        assert_eq!(page.lines[1].text, "\u{FFFD}");
    }
}
