//! Code blocks: a fence's info string (superfences forms) in, highlighted HTML out.
//!
//! Info string forms: `python`, `python title="a.py" hl_lines="1-2" linenums="3"`, and the
//! brace form `{ .python title="a.py" linenums="1" hl_lines="2 3" }`. `mermaid` becomes
//! `<pre class="mermaid">` for the client-side script; `dot`/`graphviz` is drawn to SVG at build
//! time (see `dot`); PlantUML is an image from the configured server, else code (unsupported).

use super::attrs;
use crate::config::PlantUml;
use crate::highlight::{CodeOptions, Markup, highlight_block};
use crate::html::escape_text;

/// What an info string asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FenceInfo {
    pub lang: Option<String>,
    pub title: Option<String>,
    pub linenums: Option<usize>,
    pub hl_lines: Vec<usize>,
    /// Classes after the language (`{ .yaml .no-copy }`).
    pub classes: Vec<String>,
}

pub fn parse_info(info: &str) -> FenceInfo {
    let info = info.trim();
    let mut out = FenceInfo::default();
    let (lang, rest) = if let Some(inner) = info.strip_prefix('{').and_then(|i| i.strip_suffix('}'))
    {
        let Some(a) = attrs::parse_inner(inner) else {
            return out;
        };
        out.lang = a.classes.first().cloned();
        out.classes = a.classes.iter().skip(1).cloned().collect();
        apply_options(&mut out, &a.other);
        return out;
    } else {
        let (first, rest) = match info.find(|c: char| c.is_whitespace() || c == '{') {
            Some(i) => (&info[..i], info[i..].trim()),
            None => (info, ""),
        };
        // `title="x"` alone: options without a language.
        if first.contains('=') {
            ("", info)
        } else {
            (first, rest)
        }
    };
    if !lang.is_empty() {
        out.lang = Some(lang.trim_start_matches('.').to_string());
    }
    let rest = rest.trim_start_matches('{').trim_end_matches('}');
    if let Some(a) = attrs::parse_inner(rest) {
        if out.lang.is_none() {
            out.lang = a.classes.first().cloned();
        }
        apply_options(&mut out, &a.other);
    }
    out
}

fn apply_options(out: &mut FenceInfo, options: &[(String, String)]) {
    for (k, v) in options {
        match k.as_str() {
            "title" if !v.is_empty() => out.title = Some(v.clone()),
            "linenums" => out.linenums = v.split_whitespace().next().and_then(|n| n.parse().ok()),
            "hl_lines" => out.hl_lines = parse_hl_lines(v),
            _ => {}
        }
    }
}

/// `"1 3-5"` → `[1, 3, 4, 5]`.
pub fn parse_hl_lines(spec: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for part in spec.split_whitespace() {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>())
                    && a <= b
                    && b - a < 100_000
                {
                    lines.extend(a..=b);
                }
            }
            None => lines.extend(part.parse::<usize>().ok()),
        }
    }
    lines
}

/// The kind of block a fence makes.
pub enum Rendered {
    Html(String),
    Mermaid(String),
    /// Shown as code, but the construct needs a tool stagedoor does not have.
    Unsupported(String, &'static str),
    /// A drawn diagram (inline SVG, already checked): kept out of the page sanitiser.
    Diagram(String),
    /// Shown as code because the diagram could not be drawn: the message says why.
    BadDiagram(String, String),
}

pub fn render_fence(
    info: &str,
    text: &str,
    linenums_default: bool,
    highlight: Option<Markup>,
    plantuml: Option<&PlantUml>,
) -> Rendered {
    let fi = parse_info(info);
    let lang = fi.lang.as_deref().map(str::to_ascii_lowercase);
    if lang.as_deref() == Some("mermaid") {
        let mut html = String::from("<pre class=\"mermaid\">");
        escape_text(&mut html, text);
        html.push_str("</pre>");
        return Rendered::Mermaid(html);
    }
    let html = if let Some(markup) = highlight {
        render_code(text, &fi, linenums_default, markup)
    } else {
        let mut html = String::from("<pre><code>");
        escape_text(&mut html, text);
        html.push_str("</code></pre>");
        html
    };
    match lang.as_deref() {
        Some("plantuml" | "puml") => match plantuml {
            Some(PlantUml::Server(server)) => {
                Rendered::Diagram(super::plantuml::server_img(server, text))
            }
            Some(PlantUml::Command(argv)) => match super::plantuml::run_command(argv, text) {
                Ok(img) => Rendered::Diagram(img),
                Err(e) => Rendered::BadDiagram(html, e),
            },
            None => Rendered::Unsupported(html, "plantuml"),
        },
        Some("dot" | "graphviz") => match super::dot::render_dot(text) {
            Ok(svg) => Rendered::Diagram(format!("<div class=\"diagram\">{svg}</div>")),
            Err(e) => Rendered::BadDiagram(html, e.message()),
        },
        _ => Rendered::Html(html),
    }
}

pub fn render_code(text: &str, fi: &FenceInfo, linenums_default: bool, markup: Markup) -> String {
    let opts = CodeOptions {
        lang: fi.lang.as_deref(),
        title: fi.title.as_deref(),
        linenums: linenums_default || fi.linenums.is_some(),
        linenums_start: fi.linenums.unwrap_or(1).max(1),
        hl_lines: &fi.hl_lines,
        markup,
    };
    let html = highlight_block(text, &opts);
    if fi.classes.is_empty() {
        return html;
    }
    let extra: String = fi
        .classes
        .iter()
        .map(|c| crate::html::escaped_text(c) + " ")
        .collect();
    html.replacen(" highlight\">", &format!(" {extra}highlight\">"), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_string_forms() {
        let a = parse_info("python title=\"a.py\" hl_lines=\"1-2 4\"");
        assert_eq!(a.lang.as_deref(), Some("python"));
        assert_eq!(a.title.as_deref(), Some("a.py"));
        assert_eq!(a.hl_lines, [1, 2, 4]);
        let b = parse_info("{ .python .no-copy title=\"b.py\" linenums=\"3\" }");
        assert_eq!(b.classes, ["no-copy"]);
        assert_eq!(b.lang.as_deref(), Some("python"));
        assert_eq!(b.linenums, Some(3));
        assert_eq!(parse_info("").lang, None);
        let c = parse_info("title=\"Content tabs\"");
        assert_eq!((c.lang, c.title.as_deref()), (None, Some("Content tabs")));
    }
}
