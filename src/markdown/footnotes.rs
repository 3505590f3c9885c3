//! Footnotes as Python-Markdown writes them: numbered in definition order, `fnref:label` /
//! `fn:label` ids, and the list at the end of the page with `↩` links back.

use super::render::Renderer;
use crate::html::{escape_attr, escape_text};

impl Renderer<'_, '_> {
    /// The `<div class="footnote">` list, in definition order, with back links.
    pub(super) fn write_footnotes(&mut self) {
        if self.footnotes.is_empty() {
            return;
        }
        let mut out = String::from("<div class=\"footnote\">\n<hr />\n<ol>\n");
        let footnotes = std::mem::take(&mut self.footnotes);
        for (n, (label, body)) in footnotes.iter().enumerate() {
            let refs = self.footnote_refs.get(label).copied().unwrap_or(1).max(1);
            let mut back = String::from("&#160;");
            for k in 1..=refs {
                let id = if k == 1 {
                    format!("fnref:{label}")
                } else {
                    format!("fnref{k}:{label}")
                };
                back.push_str("<a class=\"footnote-backref\" href=\"#");
                escape_attr(&mut back, &id);
                back.push_str(&format!(
                    "\" title=\"Jump back to footnote {} in the text\">&#8617;</a>",
                    n + 1
                ));
            }
            out.push_str("<li id=\"fn:");
            escape_attr(&mut out, label);
            out.push_str("\">\n");
            let body = body.trim_end();
            match body.strip_suffix("</p>") {
                Some(head) => {
                    out.push_str(head);
                    out.push_str(&back);
                    out.push_str("</p>\n");
                }
                None => {
                    out.push_str(body);
                    out.push_str(&format!("\n<p>{back}</p>\n"));
                }
            }
            out.push_str("</li>\n");
            self.anchors.push(format!("fn:{label}"));
        }
        out.push_str("</ol>\n</div>\n");
        self.out().push_str(&out);
    }

    pub fn write_footnote_ref(&mut self, label: &str, html: &mut String, plain: &mut String) {
        let Some(n) = self.footnote_order.iter().position(|l| l == label) else {
            html.push_str("[^");
            escape_text(html, label);
            html.push(']');
            return;
        };
        let count = self.footnote_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            format!("fnref:{label}")
        } else {
            format!("fnref{count}:{label}")
        };
        html.push_str("<sup id=\"");
        escape_attr(html, &id);
        html.push_str("\"><a class=\"footnote-ref\" href=\"#fn:");
        escape_attr(html, label);
        html.push_str(&format!("\">{}</a></sup>", n + 1));
        plain.push_str(&(n + 1).to_string());
        self.anchors.push(id);
    }
}
