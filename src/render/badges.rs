//! The entity page's Badges section: the entity's README badges and copyable Markdown and HTML
//! snippets that link each badge to the entity page. A README lives elsewhere, so snippets use
//! absolute URLs from `base_url`, and without one the page says so instead of offering
//! relative URLs that would break once pasted.

use serde::Serialize;

use crate::badge::{self, BadgeText};
use crate::catalog::Entity;
use crate::scorecard::Scores;
use crate::urls::{Urls, badge_file, entity_dir};

#[derive(Serialize)]
pub struct BadgeView {
    pub name: &'static str,
    /// Site-relative path of the SVG.
    pub src: String,
    pub alt: String,
    pub width: u32,
}

#[derive(Serialize)]
pub struct BadgesView {
    pub items: Vec<BadgeView>,
    /// One line per badge; None without `base_url`.
    pub markdown: Option<String>,
    pub html: Option<String>,
}

/// The badges section of `e`'s page. `base_url`: the site's absolute URL, if configured;
/// `scores`: the site's scorecards (None: not scored, in tests of the page alone).
pub fn badges_view(
    e: &Entity,
    has_docs: bool,
    urls: Urls,
    base_url: Option<&str>,
    scores: Option<&Scores>,
) -> BadgesView {
    let score = scores.and_then(|s| badge::score_of(s, e));
    let badges = badge::entity_badges(e, has_docs, score);
    let items: Vec<BadgeView> = badges
        .iter()
        .map(|(name, b)| BadgeView {
            name,
            src: badge_file(&e.entity_ref, name),
            alt: b.accessible_text(),
            width: b.width(),
        })
        .collect();
    let Some(base) = base_url.map(|b| b.trim_end_matches('/')) else {
        return BadgesView {
            items,
            markdown: None,
            html: None,
        };
    };
    let page = format!("{base}/{}", urls.href(&entity_dir(&e.entity_ref)));
    let lines = |f: fn(&str, &str, &BadgeText) -> String| {
        badges
            .iter()
            .map(|(name, b)| {
                let src = format!("{base}/{}", badge_file(&e.entity_ref, name));
                f(&page, &src, b)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    BadgesView {
        markdown: Some(lines(markdown_snippet)),
        html: Some(lines(html_snippet)),
        items,
    }
}

fn markdown_snippet(page: &str, src: &str, b: &BadgeText) -> String {
    format!(
        "[![{}]({src})]({page})",
        markdown_text(&b.accessible_text())
    )
}

fn html_snippet(page: &str, src: &str, b: &BadgeText) -> String {
    format!(
        r#"<a href="{}"><img src="{}" alt="{}"></a>"#,
        crate::html::escape(page),
        crate::html::escape(src),
        crate::html::escape(&b.accessible_text())
    )
}

/// Backslash before the punctuation that Markdown would read as syntax or HTML, so a name
/// like `a]b` or `<img>` stays text in the alt of a README's image.
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '(' | ')' | '<' | '>' | '*' | '_' | '`' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown_text;

    #[test]
    fn markdown_syntax_in_names_stays_text() {
        assert_eq!(markdown_text("a]b(<x>)"), r"a\]b\(\<x\>\)");
        assert_eq!(markdown_text("team-a: prod"), "team-a: prod");
    }
}
