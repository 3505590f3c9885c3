//! Raw HTML blocks in the block pass: where CommonMark starts and ends one (so nothing inside
//! is rewritten), and HTML comments Python-Markdown reads as part of a paragraph.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::Pass;
use super::source::Line;

static OPEN_TAG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"#)
        .expect("valid regex")
});

/// HTML block tags of CommonMark's rule 6.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// How a raw HTML block ends (CommonMark 4.6).
pub enum HtmlEnd {
    Text(&'static str),
    Blank,
}

/// The end condition if `t` (indentation ≤ 3 removed) starts a raw HTML block.
pub fn html_block_start(t: &str, in_para: bool) -> Option<HtmlEnd> {
    // Every start condition begins with `<`.
    if !t.starts_with('<') {
        return None;
    }
    let lower: String = t.chars().take(12).collect::<String>().to_ascii_lowercase();
    for (tag, end) in [
        ("<script", "</script>"),
        ("<pre", "</pre>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ] {
        if let Some(rest) = lower.strip_prefix(tag)
            && (rest.is_empty() || rest.starts_with([' ', '>', '\t']))
        {
            return Some(HtmlEnd::Text(end));
        }
    }
    if t.starts_with("<!--") {
        return Some(HtmlEnd::Text("-->"));
    }
    if t.starts_with("<?") {
        return Some(HtmlEnd::Text("?>"));
    }
    if t.starts_with("<![CDATA[") {
        return Some(HtmlEnd::Text("]]>"));
    }
    if t.starts_with("<!") && t[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(HtmlEnd::Text(">"));
    }
    let name_start = t.strip_prefix("</").or_else(|| t.strip_prefix('<'))?;
    let name: String = name_start
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let after = &name_start[name.len()..];
    if BLOCK_TAGS.contains(&name.to_ascii_lowercase().as_str())
        && (after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>"))
    {
        return Some(HtmlEnd::Blank);
    }
    (!in_para && OPEN_TAG_LINE.is_match(t)).then_some(HtmlEnd::Blank)
}

impl Pass<'_> {
    /// A raw HTML block: passed through until CommonMark's end condition.
    pub fn raw_html(&mut self, lines: &[Line], end: HtmlEnd) -> usize {
        let mut n = 0;
        for l in lines {
            match end {
                HtmlEnd::Blank if l.is_blank() => break,
                _ => {}
            }
            self.out.line(&l.text, l.src);
            n += 1;
            if let HtmlEnd::Text(close) = end
                && l.text.to_ascii_lowercase().contains(close)
            {
                break;
            }
        }
        n.max(1)
    }

    /// An HTML comment that Python-Markdown reads as part of a paragraph: one followed by
    /// text on its line (moved after the text, as CommonMark would otherwise end the
    /// paragraph there), or one alone on its line that serves as a definition term.
    pub fn comment_as_text(&self, lines: &[Line], t: &str, line: &Line) -> Option<Line<'static>> {
        let end = t.find("-->")? + 3;
        let (comment, rest) = t.split_at(end);
        if !rest.trim().is_empty() {
            return Some(Line::new(format!("{} {comment}", rest.trim()), line.src));
        }
        let next = lines[1..].iter().find(|l| !l.is_blank())?;
        let is_def = next.indent() < 4 && next.text.trim_start().starts_with(": ");
        is_def.then(|| Line::new(format!("&#8203;{comment}"), line.src))
    }
}
