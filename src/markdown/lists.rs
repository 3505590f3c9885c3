//! Lists the way techdocs-core reads them, re-emitted as canonical CommonMark lists.
//!
//! Rules (Python-Markdown with mdx_truly_sane_lists, where that plugin's quirks are resolved
//! towards plain Python-Markdown):
//! - an item's marker sits at most 1 space right of the list's first marker; a marker 2 or more
//!   spaces further right starts a nested list (2-space nesting: `1. a` ⏎ `  1. b` nests);
//! - other lines indented 2 or more belong to the item; each loses up to the item's content
//!   indent (marker width + spaces, 2 to 4), so Python-Markdown's 4-space content works;
//! - a list cannot interrupt a paragraph, except inside an item (that is nesting);
//! - items separated by blank lines stay one (loose) list: mdx_truly_sane_lists would split a
//!   bullet list there, which breaks Material's card grids and is rarely what authors mean;
//! - ordered lists always count from 1 (Python-Markdown ignores the first number).
//!
//! Footnote definitions and definition-list items are containers with a 4-space body.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::{Ctx, Pass, REF_DEF, dedent_lines, list_marker, starts_block};
use super::source::Line;

static FOOTNOTE_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}\[\^([^\]\s]+)\]:[ ]?(.*)$").expect("valid regex"));
static DEFINITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}:[ ]+(.*)$").expect("valid regex"));

/// One item: its line range in the list's lines and whether a new list starts with it.
struct Item {
    start: usize,
    end: usize,
    new_list: bool,
}

/// `Some((fence char, length))` when `text` opens a fence.
fn fence_open(text: &str) -> Option<(char, usize)> {
    let t = text.trim_start_matches(' ');
    let ch = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.chars().take_while(|&c| c == ch).count();
    (n >= 3).then_some((ch, n))
}

fn fence_closes(text: &str, (ch, n): (char, usize)) -> bool {
    let t = text.trim();
    t.chars().take_while(|&c| c == ch).count() >= n && t.trim_start_matches(ch).is_empty()
}

impl Pass<'_> {
    /// A list starting at `lines[0]`; returns the lines it took.
    pub fn list(&mut self, lines: &[Line], _ctx: Ctx) -> Option<usize> {
        let first = list_marker(&lines[0].text)?;
        if first.spaces == 0 {
            return None;
        }
        let m0 = first.indent;
        let ordered = first.ordered();
        let (items, consumed) = scan_items(lines, m0, ordered);
        let mut alternate = false;
        for (k, item) in items.iter().enumerate() {
            if item.new_list {
                alternate = !alternate;
            }
            let marker = match (ordered, alternate) {
                (true, false) => "1. ",
                (true, true) => "1) ",
                (false, false) => "- ",
                (false, true) => "* ",
            };
            self.item(&lines[item.start..item.end], marker);
            let next = items.get(k + 1).map_or(item.end, |n| n.start);
            for blank in &lines[item.end..next] {
                self.out.blank(blank.src);
            }
        }
        Some(consumed)
    }

    /// Emits one item: its first line's text and its body, dedented to its content column.
    fn item(&mut self, lines: &[Line], marker: &str) {
        let Some(first) = list_marker(&lines[0].text) else {
            return;
        };
        let m = first.indent;
        let width = (first.marker.len() + first.spaces).clamp(2, 4);
        // Nested lines keep their relative indentation: when something is indented less than
        // the content column (a 2-space nested list under `1. `), dedent by that much only.
        let nested = lines[1..]
            .iter()
            .map(Line::indent)
            .filter(|&i| i >= m + 2)
            .min();
        let dedent = nested.map_or(m + width, |n| n.min(m + width));
        let mut item_lines = Vec::with_capacity(lines.len());
        item_lines.push(Line::new(&lines[0].text[first.len()..], lines[0].src));
        item_lines.extend(dedent_lines(&lines[1..], dedent));
        self.out
            .push(Some(marker.to_string()), " ".repeat(marker.len()));
        self.blocks(&item_lines, Ctx { in_item: true });
        self.out.pop(lines[0].src);
    }

    /// `[^label]: text` with a 4-space indented body.
    pub fn footnote_def(&mut self, lines: &[Line]) -> Option<usize> {
        // Most lines starting with `[` are links; only `[^` can start a definition.
        if !lines[0].text.trim_start_matches(' ').starts_with("[^") {
            return None;
        }
        let cap = FOOTNOTE_DEF.captures(&lines[0].text)?;
        let label = cap[1].to_string();
        let first = cap[2].to_string();
        let n = body_with_lazy(lines, 4);
        let mut body = vec![Line::new(first, lines[0].src)];
        body.extend(dedent_lines(&lines[1..n], 4));
        self.out.push(Some(format!("[^{label}]: ")), "    ".into());
        self.blocks(&body, Ctx { in_item: false });
        self.out.pop(lines[0].src);
        Some(n)
    }

    /// `:   definition` (def_list) with a 4-space indented body. Without a term before it
    /// (Material's docs put an HTML comment there) an empty term keeps the list together.
    pub fn definition(&mut self, lines: &[Line], has_term: bool) -> Option<usize> {
        let cap = DEFINITION.captures(&lines[0].text)?;
        if !has_term {
            self.out.line("&#8203;", lines[0].src);
        }
        let first = cap[1].to_string();
        let n = body_with_lazy(lines, 4);
        let mut body = vec![Line::new(first, lines[0].src)];
        body.extend(dedent_lines(&lines[1..n], 4));
        self.out.push(Some(":   ".into()), "    ".into());
        self.blocks(&body, Ctx { in_item: false });
        self.out.pop(lines[0].src);
        Some(n)
    }
}

/// Splits a list into items. Returns the items and the number of lines the list takes
/// (trailing blank lines excluded).
fn scan_items(lines: &[Line], m0: usize, ordered: bool) -> (Vec<Item>, usize) {
    let mut items = vec![Item {
        start: 0,
        end: 1,
        new_list: false,
    }];
    let mut end = 1;
    let mut blank_before = false;
    let mut fence: Option<(char, usize)> = fence_open(marker_rest(&lines[0].text));
    for (k, l) in lines.iter().enumerate().skip(1) {
        if let Some(f) = fence {
            // Inside a fence every line belongs to the item, whatever its indentation.
            if fence_closes(&l.text, f) {
                fence = None;
            }
            end = k + 1;
            continue;
        }
        if l.is_blank() {
            blank_before = true;
            continue;
        }
        // Link and footnote definitions after a list belong to the page, not the last item
        // (Material's docs indent them by 2).
        if blank_before
            && l.indent() < 4
            && (REF_DEF.is_match(l.text.trim_start()) || FOOTNOTE_DEF.is_match(&l.text))
        {
            break;
        }
        let indent = l.indent();
        let marker = list_marker(&l.text).filter(|m| m.spaces > 0);
        if indent < m0 + 2 {
            match marker {
                Some(m) if m.ordered() == ordered => {
                    if let Some(last) = items.last_mut() {
                        last.end = end;
                    }
                    items.push(Item {
                        start: k,
                        end: k + 1,
                        new_list: false,
                    });
                    fence = fence_open(marker_rest(&l.text));
                }
                Some(_) => break,
                None if !blank_before && !starts_block(&l.text) => {}
                None => break,
            }
        } else if let Some(f) = fence_open(&l.text) {
            fence = Some(f);
        }
        end = k + 1;
        blank_before = false;
    }
    if let Some(last) = items.last_mut() {
        last.end = end;
    }
    (items, end)
}

/// The text after a list marker.
fn marker_rest(text: &str) -> &str {
    list_marker(text).map_or(text, |m| &text[m.len()..])
}

/// Lines of a container whose first line is `lines[0]` and whose body is indented by
/// `width` (plus lazy continuation lines right after text). Trailing blanks excluded.
fn body_with_lazy(lines: &[Line], width: usize) -> usize {
    let mut end = 1;
    let mut blank_before = false;
    for (k, l) in lines.iter().enumerate().skip(1) {
        if l.is_blank() {
            blank_before = true;
            continue;
        }
        let lazy = !blank_before && !starts_block(&l.text) && list_marker(&l.text).is_none();
        if l.indent() < width && !lazy {
            break;
        }
        end = k + 1;
        blank_before = false;
    }
    end
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::blocks::convert;
    use super::*;

    fn convert_str(s: &str) -> String {
        let lines: Vec<Line> = s
            .lines()
            .enumerate()
            .map(|(i, t)| Line::new(t, i + 1))
            .collect();
        convert(&lines, &mut Vec::new(), &mut Vec::new(), Path::new("/p.md")).text
    }

    #[test]
    fn two_space_nesting() {
        assert_eq!(
            convert_str("1. a\n2. b\n  1. c\n    1. d\n3. e"),
            "1. a\n1. b\n   1. c\n      1. d\n1. e\n"
        );
    }

    #[test]
    fn four_space_content() {
        assert_eq!(
            convert_str("-   a\n\n    para\n\n        code"),
            "- a\n\n  para\n\n      code\n"
        );
    }

    #[test]
    fn blank_line_between_bullets_keeps_one_list() {
        assert_eq!(convert_str("- a\n- b\n\n- c"), "- a\n- b\n\n- c\n");
    }

    #[test]
    fn fences_in_items_are_stashed() {
        let out = convert_str("- a\n\n    ```py\n    x\n\n    y\n    ```\n- b");
        assert_eq!(out, "- a\n\n  <!--\u{FDD0}0-->\n- b\n");
    }
}
