//! Radar stage: the radar files `stagedoor.yaml` lists (+ the catalog) → `Radars`: every file
//! loaded and validated (`load`, `byor`), descriptions rendered to safe HTML, entries tied to
//! the catalog (`usage`), plus every diagnostic on the way. Drawing (`layout`, `svg`) happens
//! when the radar page is rendered.

mod backstage;
mod byor;
pub mod layout;
pub mod load;
pub mod model;
pub mod svg;
pub mod usage;
mod zalando;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::highlight::Markup;
use crate::markdown::{KeepLinks, MarkdownOptions, render_markdown};
use model::DescriptionFormat;
pub use model::Radar;
pub use usage::Usage;

/// Every radar of the site and how the catalog uses them.
#[derive(Clone, Debug, Default)]
pub struct Radars {
    pub radars: Vec<Radar>,
    pub usage: Usage,
}

impl Radars {
    /// The radar files read, for the watcher.
    pub fn files(&self) -> Vec<PathBuf> {
        self.radars.iter().map(|r| r.file.clone()).collect()
    }
}

/// Loads every configured radar (in config order) and ties it to the catalog.
/// `markup`: how code in descriptions is highlighted (the docs plan's).
pub fn load_radars(
    config: &Config,
    catalog: &Catalog,
    markup: Markup,
) -> (Radars, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut seen = HashSet::new();
    let mut radars = Vec::new();
    for cfg in &config.radars {
        if !seen.insert(cfg.id.to_lowercase()) {
            let file = config.config_file.clone().unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::RadarStructure,
                    format!(
                        "two radars have the id \"{}\"; the second is skipped",
                        cfg.id
                    ),
                )
                .at(&file, cfg.line, 1),
            );
            continue;
        }
        let (mut radar, found) = load::load_radar(cfg);
        diags.extend(found);
        render_descriptions(&mut radar, markup, &mut diags);
        radars.push(radar);
    }
    let (usage, found) = usage::link_usage(&radars, catalog);
    diags.extend(found);
    (Radars { radars, usage }, diags)
}

/// Markdown descriptions go through the docs renderer (raw HTML sanitised, links kept as
/// written); Thoughtworks' HTML ones through the small tag list Build Your Own Radar allows.
/// Problems found in a description point at the line it starts on.
pub fn render_descriptions(radar: &mut Radar, markup: Markup, diags: &mut Vec<Diagnostic>) {
    let base = radar.file.parent().map(PathBuf::from).unwrap_or_default();
    for e in &mut radar.entries {
        if e.description.trim().is_empty() {
            continue;
        }
        e.description_html = match e.description_format {
            DescriptionFormat::Html => sanitize_byor_html(&e.description),
            DescriptionFormat::Markdown => {
                let mut opts = MarkdownOptions::new(&radar.file, &base);
                opts.linenums = false;
                opts.permalink = false;
                opts.markup = markup;
                let rendered = render_markdown(&e.description, &opts, &mut KeepLinks);
                diags.extend(rendered.diagnostics.into_iter().map(|mut d| {
                    d.line = Some(e.description_line);
                    d.column = Some(1);
                    d
                }));
                rendered.html
            }
        };
    }
}

/// The HTML Build Your Own Radar keeps in descriptions; everything else is removed.
fn sanitize_byor_html(html: &str) -> String {
    ammonia::Builder::empty()
        .add_tags([
            "b", "i", "em", "strong", "a", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "br",
            "p", "u",
        ])
        .add_tag_attributes("a", ["href", "target"])
        .clean_content_tags(["script", "style"].into_iter().collect())
        .add_url_schemes(["http", "https", "mailto"])
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byor_html_keeps_its_tags_and_drops_scripts() {
        let html = sanitize_byor_html(
            "<b>bold</b> <a href=\"https://x.example\" target=\"_blank\" onclick=\"evil()\">x</a><script>alert(1)</script><img src=x>",
        );
        assert_eq!(
            html,
            "<b>bold</b> <a href=\"https://x.example\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>"
        );
        assert!(
            !sanitize_byor_html("<a href=\"javascript:alert(1)\">x</a>").contains("javascript")
        );
    }
}
