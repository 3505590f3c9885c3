//! Python-Markdown containers CommonMark lacks: fences (superfences), admonitions, details,
//! content tabs, pymdownx.blocks (`///`), md_in_html and block quotes. Each is parsed here
//! and re-emitted through the stash, its body converted recursively.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::{Ctx, Pass, dedent_lines, indented_body};
use super::source::Line;
use super::stash::{FencedCode, Stashed};
use crate::diagnostics::Code;

static ADMONITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^( {0,3})(!!!|\?\?\?\+?) ?([\w-]+(?: +[\w-]+)*)(?: +"(.*?)")? *$"#)
        .expect("valid regex")
});
static TAB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^( {0,3})===([!+]{0,2}) +"(.*?)" *$"#).expect("valid regex"));
static SLASH_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^( {0,3})(/{3,}) *([\w-]+)(?: *\| *(.*?))? *$").expect("valid regex")
});
static SLASH_CLOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(/{3,}) *$").expect("valid regex"));
static MD_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^>]*)?)>(.*)$"#).expect("valid regex")
});
static MD_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s+markdown(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?"#).expect("valid regex")
});

/// `::: identifier` (mkdocstrings): a Python (or other handler's) dotted path, nothing that
/// could break out of the code span it is shown in.
static MKDOCSTRINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^( {0,3}):::[ \t]+([A-Za-z_][A-Za-z0-9_.:/-]*)[ \t]*$").expect("valid regex")
});

/// The admonition types pymdownx.blocks knows by name (as techdocs-core configures it).
const BLOCK_ADMONITIONS: &[&str] = &[
    "new", "settings", "note", "abstract", "info", "tip", "success", "question", "warning",
    "failure", "danger", "bug", "example", "quote",
];

/// `note` → `Note`: the default title of an admonition.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.map(|x| x.to_ascii_lowercase()))
            .collect(),
        None => String::new(),
    }
}

/// One tab of a set, before its body is converted.
struct Tab<'s> {
    label: String,
    body: Vec<Line<'s>>,
    select: bool,
}

impl Pass<'_> {
    /// ```` ``` ```` or `~~~` fences, stashed whole (superfences).
    pub fn fence(&mut self, lines: &[Line]) -> Option<usize> {
        let first = &lines[0];
        let ind = first.indent();
        let t = &first.text[ind..];
        let ch = t.chars().next()?;
        let n = t.chars().take_while(|&c| c == ch).count();
        if n < 3 {
            return None;
        }
        let info = t[n..].trim();
        if ch == '`' && info.contains('`') {
            return None;
        }
        let close = lines[1..].iter().position(|l| {
            let lt = l.text.trim_start_matches(' ');
            l.indent() <= ind + 3
                && lt.chars().take_while(|&c| c == ch).count() >= n
                && lt.trim_start_matches(ch).trim().is_empty()
        });
        let end = match close {
            Some(c) => c + 1,
            None => {
                self.warn(
                    Code::UnclosedBlock,
                    first.src,
                    format!("code fence `{}` is never closed", &t[..n]),
                );
                lines.len()
            }
        };
        let body = &lines[1..end];
        let mut text = String::with_capacity(body.iter().map(|l| l.text.len() + 1).sum());
        for l in body {
            text.push_str(&l.text[l.indent().min(ind)..]);
            text.push('\n');
        }
        let code = FencedCode {
            info: info.to_string(),
            text,
            line: first.src,
        };
        self.out.stash(Stashed::Code(code), first.src);
        Some(if close.is_some() { end + 1 } else { end })
    }

    /// `::: identifier` with its indented YAML options (mkdocstrings): an API reference built
    /// by running Python, which stagedoor does not do. A marked note stands in for it, rather
    /// than the directive and its options running into a paragraph.
    pub fn mkdocstrings(&mut self, lines: &[Line]) -> Option<usize> {
        let cap = MKDOCSTRINGS.captures(&lines[0].text)?;
        let ind = cap[1].len();
        let id = cap[2].to_string();
        // The options are the indented lines right after it (one Python-Markdown block).
        let n = lines[1..]
            .iter()
            .take_while(|l| !l.is_blank() && l.indent() > ind)
            .count();
        let src = lines[0].src;
        self.warn(
            Code::UnexpandedDirective,
            src,
            format!("mkdocstrings `::: {id}` is not run; the page shows a note in place of its API reference"),
        );
        self.out.stash(
            Stashed::AdmonitionOpen {
                classes: "info mkdocstrings-placeholder".into(),
                title: Some(format!("API reference: `{id}`")),
            },
            src,
        );
        let note = format!(
            "The API reference for `{id}` is generated by mkdocstrings, which stagedoor does not run."
        );
        self.body(&[Line::new(note, src)], "</div>", src);
        Some(1 + n)
    }

    /// `!!! type "Title"` (admonition) and `???`/`???+` (pymdownx.details), body indented 4.
    pub fn admonition(&mut self, lines: &[Line]) -> Option<usize> {
        // Most lines starting with `!` are images: only `!!!` and `???` can open one.
        let t = lines[0].text.trim_start_matches(' ');
        if !t.starts_with("!!!") && !t.starts_with("???") {
            return None;
        }
        let cap = ADMONITION.captures(&lines[0].text)?;
        let ind = cap[1].len();
        let classes = cap[3]
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let kind = classes.split(' ').next().unwrap_or_default().to_string();
        let title = cap.get(4).map(|m| m.as_str().to_string());
        let n = indented_body(&lines[1..], ind, 4);
        let body = dedent_lines(&lines[1..1 + n], ind + 4);
        let src = lines[0].src;
        if cap[2].starts_with('!') {
            let title = match title {
                Some(t) if t.is_empty() => None,
                Some(t) => Some(t),
                None => Some(capitalise(&kind)),
            };
            self.out
                .stash(Stashed::AdmonitionOpen { classes, title }, src);
            self.body(&body, "</div>", src);
        } else {
            let summary = title
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| capitalise(&kind));
            let open = cap[2].ends_with('+');
            self.out.stash(
                Stashed::DetailsOpen {
                    classes,
                    summary,
                    open,
                },
                src,
            );
            self.body(&body, "</details>", src);
        }
        Some(1 + n)
    }

    /// Converts a wrapper's body and closes the wrapper.
    fn body(&mut self, body: &[Line], close: &'static str, open_src: usize) {
        self.blocks(body, Ctx { in_item: false });
        let last = body.iter().rev().find(|l| !l.is_blank());
        let src = last.map_or(open_src, |l| l.src);
        if last.is_some_and(|l| l.text.trim_start().starts_with('<')) {
            // A raw HTML block runs to the next blank line and would swallow the closer.
            self.out.blank(src);
        }
        self.out.stash(Stashed::Close(close), src);
    }

    /// `=== "Label"` tabs (pymdownx.tabbed, alternate style): consecutive tabs form one set.
    pub fn tabs(&mut self, lines: &[Line]) -> Option<usize> {
        let cap = TAB.captures(&lines[0].text)?;
        let ind = cap[1].len();
        let mut tabs = Vec::new();
        let mut i = 0;
        while let Some(cap) = lines.get(i).and_then(|l| TAB.captures(&l.text)) {
            if cap[1].len() != ind || (!tabs.is_empty() && cap[2].contains('!')) {
                break;
            }
            let n = indented_body(&lines[i + 1..], ind, 4);
            let body = dedent_lines(&lines[i + 1..i + 1 + n], ind + 4);
            tabs.push(Tab {
                label: cap[3].to_string(),
                body,
                select: cap[2].contains('+'),
            });
            i += 1 + n;
            let next = lines[i..].iter().position(|l| !l.is_blank()).map(|k| i + k);
            match next {
                Some(k) if TAB.is_match(&lines[k].text) => i = k,
                _ => break,
            }
        }
        self.tab_set(tabs, lines[0].src);
        Some(i)
    }

    fn tab_set(&mut self, tabs: Vec<Tab>, src: usize) {
        self.tab_sets += 1;
        let set = self.tab_sets;
        let checked = tabs.iter().position(|t| t.select).unwrap_or(0);
        let labels = tabs.iter().map(|t| t.label.clone()).collect();
        self.out.stash(
            Stashed::TabSetOpen {
                set,
                labels,
                checked,
            },
            src,
        );
        for tab in tabs {
            let tab_src = tab.body.first().map_or(src, |l| l.src);
            self.out.stash(Stashed::TabBlockOpen, tab_src);
            self.body(&tab.body, "</div>", tab_src);
        }
        self.out.stash(Stashed::Close("</div></div>"), src);
    }

    /// pymdownx.blocks: `/// type | Title` ⏎ options indented 4 ⏎ body ⏎ `///`.
    pub fn slash_block(&mut self, lines: &[Line]) -> Option<usize> {
        let head = SLASH_HEAD.captures(&lines[0].text)?;
        let slashes = head[2].len();
        let Some(close) = find_slash_close(lines, slashes) else {
            self.warn(
                Code::UnclosedBlock,
                lines[0].src,
                format!("`{}` block is never closed", &head[2]),
            );
            return None;
        };
        let name = head[3].to_ascii_lowercase();
        let title = head
            .get(4)
            .map(|m| m.as_str().trim().to_string())
            .filter(|t| !t.is_empty());
        let n_opts = lines[1..close]
            .iter()
            .take_while(|l| !l.is_blank() && l.indent() >= 4)
            .count();
        let options: Vec<(String, String)> = lines[1..1 + n_opts]
            .iter()
            .filter_map(|l| l.text.trim().split_once(':'))
            .map(|(k, v)| {
                (
                    k.trim().to_string(),
                    v.trim().trim_matches(['"', '\'']).to_string(),
                )
            })
            .collect();
        let option = |key: &str| {
            options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let body = &lines[1 + n_opts..close];
        let src = lines[0].src;
        if name == "tab" {
            return Some(self.slash_tabs(lines));
        }
        if name == "admonition" || BLOCK_ADMONITIONS.contains(&name.as_str()) {
            let kind = option("type").unwrap_or_else(|| name.clone());
            let title = title.or_else(|| Some(capitalise(&kind)));
            self.out.stash(
                Stashed::AdmonitionOpen {
                    classes: kind,
                    title,
                },
                src,
            );
            self.body(body, "</div>", src);
        } else if name == "details" || name.starts_with("details-") {
            let kind = name
                .strip_prefix("details-")
                .map(str::to_string)
                .or_else(|| option("type"));
            let classes = kind.clone().unwrap_or_default();
            let summary = title.unwrap_or_else(|| capitalise(kind.as_deref().unwrap_or("details")));
            let open = option("open").is_some_and(|v| v == "true" || v == "yes");
            self.out.stash(
                Stashed::DetailsOpen {
                    classes,
                    summary,
                    open,
                },
                src,
            );
            self.body(body, "</details>", src);
        } else {
            self.note_unsupported(&format!("pymdownx.blocks `/// {name}`"));
            self.blocks(body, Ctx { in_item: false });
        }
        Some(close + 1)
    }

    /// Consecutive `/// tab | Label` blocks (pymdownx.blocks.tab) form one set.
    fn slash_tabs(&mut self, lines: &[Line]) -> usize {
        let mut tabs = Vec::new();
        let mut i = 0;
        while let Some(head) = lines.get(i).and_then(|l| SLASH_HEAD.captures(&l.text)) {
            if !head[3].eq_ignore_ascii_case("tab") {
                break;
            }
            let Some(close) = find_slash_close(&lines[i..], head[2].len()) else {
                break;
            };
            let close = i + close;
            let n_opts = lines[i + 1..close]
                .iter()
                .take_while(|l| !l.is_blank() && l.indent() >= 4)
                .count();
            let opts: Vec<&str> = lines[i + 1..i + 1 + n_opts]
                .iter()
                .map(|l| l.text.trim())
                .collect();
            let flag = |key: &str| {
                opts.iter()
                    .any(|o| o.replace(' ', "") == format!("{key}:true"))
            };
            if !tabs.is_empty() && flag("new") {
                break;
            }
            let label = head.get(4).map_or("", |m| m.as_str()).trim().to_string();
            let body = lines[i + 1 + n_opts..close].to_vec();
            tabs.push(Tab {
                label,
                body,
                select: flag("select"),
            });
            i = close + 1;
            let next = lines[i..].iter().position(|l| !l.is_blank()).map(|k| i + k);
            match next {
                Some(k)
                    if SLASH_HEAD
                        .captures(&lines[k].text)
                        .is_some_and(|h| h[3].eq_ignore_ascii_case("tab")) =>
                {
                    i = k
                }
                _ => break,
            }
        }
        self.tab_set(tabs, lines[0].src);
        i
    }

    /// md_in_html: an HTML element with a `markdown` attribute has Markdown inside.
    pub fn md_in_html(&mut self, lines: &[Line], para: bool) -> Option<usize> {
        let cap = MD_OPEN.captures(&lines[0].text)?;
        let attrs = cap.get(2).map_or("", |m| m.as_str());
        let attr = MD_ATTR.captures(attrs)?;
        if attr
            .get(1)
            .is_some_and(|v| v.as_str().trim_matches(['"', '\'']) == "0")
        {
            return None;
        }
        let tag = cap[1].to_ascii_lowercase();
        let (close_line, before_close, after_close) =
            find_close_tag(lines, &tag, cap.get(3).map_or(0, |m| m.start()))?;
        let src = lines[0].src;
        let open = format!("<{}{}>", &cap[1], MD_ATTR.replace_all(attrs, ""));
        if para {
            self.out.blank(src);
        }
        self.out.line(&open, src);
        self.out.blank(src);
        let mut inner = Vec::new();
        let first_rest = cap.get(3).map_or("", |m| m.as_str());
        if close_line == 0 {
            inner.push(Line::new(before_close.clone(), src));
        } else {
            if !first_rest.trim().is_empty() {
                inner.push(Line::new(first_rest, src));
            }
            inner.extend(lines[1..close_line].iter().cloned());
            if !before_close.trim().is_empty() {
                inner.push(Line::new(before_close.clone(), lines[close_line].src));
            }
        }
        let common = inner
            .iter()
            .filter(|l| !l.is_blank())
            .map(Line::indent)
            .min()
            .unwrap_or(0);
        let inner = dedent_lines(&inner, common);
        self.blocks(&inner, Ctx { in_item: false });
        let close_src = lines[close_line].src;
        self.out.blank(close_src);
        self.out
            .line(&format!("</{}>{after_close}", &cap[1]), close_src);
        self.out.blank(close_src);
        Some(close_line + 1)
    }

    /// `>` quotes: the quoted lines (and lazy continuations) are converted recursively.
    pub fn blockquote(&mut self, lines: &[Line]) -> usize {
        let mut inner = Vec::new();
        let mut n = 0;
        for l in lines {
            let t = l.text.trim_start_matches(' ');
            if l.indent() <= 3 && t.starts_with('>') {
                let rest = &t[1..];
                inner.push(Line::new(rest.strip_prefix(' ').unwrap_or(rest), l.src));
            } else if !l.is_blank()
                && inner.last().is_some_and(|p: &Line| !p.is_blank())
                && !super::blocks::starts_block(&l.text)
                && super::blocks::list_marker(&l.text).is_none()
            {
                inner.push(Line::new(l.text.trim_start(), l.src));
            } else {
                break;
            }
            n += 1;
        }
        self.out.push(None, "> ".into());
        self.blocks(&inner, Ctx { in_item: false });
        self.out.pop(lines[0].src);
        n.max(1)
    }
}

/// Index of the `///` line closing the block opened at `lines[0]` (same number of slashes;
/// blocks opened inside with the same count nest).
fn find_slash_close(lines: &[Line], slashes: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, l) in lines.iter().enumerate() {
        if let Some(h) = SLASH_HEAD.captures(&l.text) {
            if h[2].len() == slashes {
                depth += 1;
            }
        } else if let Some(c) = SLASH_CLOSE.captures(&l.text)
            && c[1].len() == slashes
        {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Finds `</tag>` matching the element opened on `lines[0]` (same-name elements nest).
/// Returns the line, the text before the closing tag on it and the text after.
fn find_close_tag(
    lines: &[Line],
    tag: &str,
    first_offset: usize,
) -> Option<(usize, String, String)> {
    let open_pat = format!("<{tag}");
    let close_pat = format!("</{tag}>");
    let mut depth = 1usize;
    for (k, l) in lines.iter().enumerate() {
        let lower = l.text.to_ascii_lowercase();
        let start = if k == 0 {
            first_offset.min(lower.len())
        } else {
            0
        };
        let mut pos = start;
        while pos < lower.len() {
            let next_open = lower[pos..].find(&open_pat).map(|p| p + pos);
            let next_close = lower[pos..].find(&close_pat).map(|p| p + pos);
            match (next_open, next_close) {
                (Some(o), c) if c.is_none_or(|c| o < c) => {
                    let after = lower[o + open_pat.len()..].chars().next();
                    if after.is_none_or(|c| c == '>' || c.is_whitespace()) {
                        depth += 1;
                    }
                    pos = o + open_pat.len();
                }
                (_, Some(c)) => {
                    depth -= 1;
                    if depth == 0 {
                        let before = l.text[start..c].to_string();
                        let after = l.text[c + close_pat.len()..].to_string();
                        return Some((k, before, after));
                    }
                    pos = c + close_pat.len();
                }
                _ => break,
            }
        }
    }
    None
}
