//! gh-admonitions (enabled by techdocs-core): GitHub/GitLab alerts in, admonition syntax out.
//! Like the MkDocs plugin this works on the raw page before anything else, on alerts that
//! start at column 0 outside ```` ``` ```` blocks:
//! `> [!NOTE] optional title` + `>` lines → `!!! note "Note"` + 4-space body.
//! Types map as the plugin maps them: caution → danger, important → warning.

use std::sync::LazyLock;

use memchr::memmem;

use super::source::{Line, any_line_has};

const TYPES: &[(&str, &str)] = &[
    ("note", "note"),
    ("tip", "tip"),
    ("important", "warning"),
    ("warning", "warning"),
    ("caution", "danger"),
];

static MARKER: LazyLock<memmem::Finder> = LazyLock::new(|| memmem::Finder::new("[!"));

/// Whether a page whose whole text is `text` may hold an alert: its lines are that text's,
/// tabs expanded, so a marker in none of the text is in none of the lines. One search of
/// the page instead of one per line.
pub fn may_apply(text: &str) -> bool {
    MARKER.find(text.as_bytes()).is_some()
}

pub fn convert(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    if !any_line_has(&lines, &MARKER) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut in_code = false;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.text.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code {
            if let Some(n) = convert_basic(&lines[i..], &mut out) {
                i += n;
                continue;
            }
            if let Some(n) = convert_multiline(&lines[i..], &mut out) {
                i += n;
                continue;
            }
        }
        out.push(line.clone());
        i += 1;
    }
    out
}

/// `[!type] title` after the quote marker: the admonition type and the title.
fn parse_marker(rest: &str) -> Option<(&'static str, String)> {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let rest = rest.trim_start_matches(' ');
    let inner = rest.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let name = inner[..close].to_ascii_lowercase();
    let (_, kind) = TYPES.iter().find(|(n, _)| *n == name)?;
    let title = inner[close + 1..].trim();
    let title = if title.is_empty() {
        title_case(&name)
    } else {
        title.to_string()
    };
    Some((kind, title))
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn header(kind: &str, title: &str, src: usize) -> Line<'static> {
    Line::new(
        format!("!!! {kind} \"{}\"", title.replace('"', "&quot;")),
        src,
    )
}

/// `> [!NOTE]` followed by at least one `>` line.
fn convert_basic<'s>(lines: &[Line<'s>], out: &mut Vec<Line<'s>>) -> Option<usize> {
    let first = &lines[0];
    let rest = first.text.strip_prefix('>')?;
    if rest.starts_with('>') {
        return None;
    }
    let (kind, title) = parse_marker(rest)?;
    let body: Vec<&Line> = lines[1..]
        .iter()
        .take_while(|l| l.text.starts_with('>'))
        .collect();
    if body.is_empty() {
        return None;
    }
    out.push(header(kind, &title, first.src));
    let texts: Vec<(String, usize)> = body
        .iter()
        .map(|l| {
            let t = &l.text[1..];
            (t.strip_prefix(' ').unwrap_or(t).to_string(), l.src)
        })
        .collect();
    push_body(texts, out);
    Some(1 + body.len())
}

/// GitLab's `>>> [!tip]` … `>>>`.
fn convert_multiline<'s>(lines: &[Line<'s>], out: &mut Vec<Line<'s>>) -> Option<usize> {
    let first = &lines[0];
    let rest = first.text.strip_prefix(">>>")?;
    let (kind, title) = parse_marker(rest)?;
    let end = lines[1..].iter().position(|l| l.text.starts_with(">>>"))? + 1;
    out.push(header(kind, &title, first.src));
    let texts = lines[1..end]
        .iter()
        .map(|l| (l.text.to_string(), l.src))
        .collect();
    push_body(texts, out);
    Some(end + 1)
}

/// Body lines, blank ones at both ends dropped, indented by 4.
fn push_body(mut texts: Vec<(String, usize)>, out: &mut Vec<Line<'_>>) {
    while texts.last().is_some_and(|(t, _)| t.trim().is_empty()) {
        texts.pop();
    }
    let start = texts
        .iter()
        .position(|(t, _)| !t.trim().is_empty())
        .unwrap_or(texts.len());
    for (text, src) in texts.into_iter().skip(start) {
        if text.trim().is_empty() {
            out.push(Line::new("", src));
        } else {
            out.push(Line::new(format!("    {text}"), src));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line<'_>> {
        s.lines()
            .enumerate()
            .map(|(i, t)| Line::new(t, i + 1))
            .collect()
    }

    #[test]
    fn github_alert_becomes_admonition() {
        let out = convert(lines("> [!CAUTION]\n> Hot.\n> More.\nafter"));
        let texts: Vec<&str> = out.iter().map(|l| &*l.text).collect();
        assert_eq!(
            texts,
            ["!!! danger \"Caution\"", "    Hot.", "    More.", "after"]
        );
        assert_eq!(out[2].src, 3);
    }

    #[test]
    fn alerts_in_code_blocks_stay() {
        let out = convert(lines("```\n> [!NOTE]\n> x\n```"));
        assert_eq!(out[1].text, "> [!NOTE]");
    }
}
