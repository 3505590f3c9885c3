//! Stashed wrappers: admonitions, details, tab sets, stashed fences and the `[TOC]` marker
//! become HTML here; their titles and labels are inline Markdown.

use pulldown_cmark::Parser;

use super::inline::{LineOf, Trailing};
use super::render::{Ev, Renderer, TOC_MARK, is_inline, parser_options};
use super::stash::Stashed;
use crate::html::escape_attr;

impl Renderer<'_, '_> {
    /// The HTML for stash entry `n`.
    pub fn stashed(&mut self, n: usize) -> String {
        // The stash outlives `self`'s borrow: its items need no copies.
        let conv = self.conv;
        let Some(item) = conv.stash.get(n) else {
            return String::new();
        };
        match item {
            Stashed::AdmonitionOpen { classes, title } => {
                let mut out = String::from("<div class=\"admonition ");
                escape_attr(&mut out, classes);
                out.push_str("\">\n");
                if let Some(title) = title {
                    let (html, plain) = self.inline_markdown(title, self.current_line);
                    out.push_str("<p class=\"admonition-title\">");
                    out.push_str(&html);
                    out.push_str("</p>\n");
                    self.add_text(&plain);
                }
                out
            }
            Stashed::DetailsOpen {
                classes,
                summary,
                open,
            } => {
                let mut out = String::from("<details");
                if !classes.is_empty() {
                    out.push_str(" class=\"");
                    escape_attr(&mut out, classes);
                    out.push('"');
                }
                if *open {
                    out.push_str(" open=\"open\"");
                }
                out.push_str(">\n<summary>");
                let (html, plain) = self.inline_markdown(summary, self.current_line);
                out.push_str(&html);
                out.push_str("</summary>\n");
                self.add_text(&plain);
                out
            }
            Stashed::TabSetOpen {
                set,
                labels,
                checked,
            } => {
                let mut out = format!(
                    "<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"{set}:{}\">",
                    labels.len()
                );
                for k in 1..=labels.len() {
                    let check = if k - 1 == *checked {
                        "checked=\"checked\" "
                    } else {
                        ""
                    };
                    out.push_str(&format!("<input {check}id=\"__tabbed_{set}_{k}\" name=\"__tabbed_{set}\" type=\"radio\" />"));
                }
                out.push_str("<div class=\"tabbed-labels\">");
                for (k, label) in labels.iter().enumerate() {
                    let (html, plain) = self.inline_markdown(label, self.current_line);
                    out.push_str(&format!(
                        "<label for=\"__tabbed_{set}_{}\">{html}</label>",
                        k + 1
                    ));
                    self.add_text(&plain);
                }
                out.push_str("</div>\n<div class=\"tabbed-content\">\n");
                out
            }
            Stashed::TabBlockOpen => "<div class=\"tabbed-block\">\n".to_string(),
            Stashed::Close(html) => format!("{html}\n"),
            Stashed::Code(code) => {
                self.current_line = code.line;
                self.code_html(&code.info, &code.text)
            }
            Stashed::Toc => {
                self.has_toc = true;
                TOC_MARK.to_string()
            }
        }
    }

    /// Inline Markdown in a title or label (a small separate parse).
    pub fn inline_markdown(&mut self, text: &str, line: usize) -> (String, String) {
        let special = |c: char| "*_`[]<>&\\!:^~=+{}()/-@.".contains(c);
        if !text.contains(special) {
            return (crate::html::escaped_text(text), text.to_string());
        }
        let events: Vec<Ev> = Parser::new_ext(text, parser_options())
            .into_offset_iter()
            .collect();
        let inner: Vec<Ev> = events.into_iter().filter(|(e, _)| is_inline(e)).collect();
        let (html, plain, _) = self.inline_run(&inner, text, LineOf::Fixed(line), Trailing::None);
        (html, plain)
    }
}
