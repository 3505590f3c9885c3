//! The home page: entity counts per kind, the reader's starred entities, entry points.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::views::kind_plural;
use super::{PageMeta, Site, to_value};
use crate::catalog::kinds::display_rank;
use crate::diagnostics::Severity;

#[derive(Serialize)]
struct KindCount {
    kind: String,
    label: String,
    count: usize,
}

#[derive(Serialize)]
struct HomeView {
    kinds: Vec<KindCount>,
    docs_count: usize,
    problem_count: usize,
}

pub fn render_home(site: &Site) -> Result<crate::output::OutputFile> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &site.catalog.entities {
        *counts.entry(e.entity_ref.kind.as_str()).or_default() += 1;
    }
    let mut kinds: Vec<KindCount> = counts
        .into_iter()
        .map(|(k, count)| KindCount {
            kind: k.to_string(),
            label: kind_plural(k),
            count,
        })
        .collect();
    kinds.sort_by_key(|k| (display_rank(&k.kind), k.kind.clone()));
    let view = HomeView {
        kinds,
        docs_count: site.docs.sites.len(),
        problem_count: site
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .count(),
    };
    let meta = PageMeta {
        title: "Home".into(),
        section: "home",
        description: Some(format!("{} developer portal", site.config.title)),
    };
    site.render("home.html", "", meta, &[("home", to_value(&view))])
}
