//! The problems page: every diagnostic, grouped by the team owning the entity it concerns,
//! so each team can find and fix its own files.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::views::{RefView, ref_view};
use super::{PageMeta, Site, to_value};
use crate::catalog::{EntityRef, RelationType};
use crate::diagnostics::{self, Diagnostic};
use crate::urls::entity_dir;

#[derive(Serialize)]
struct Problem {
    severity: &'static str,
    code: &'static str,
    message: String,
    hint: Option<String>,
    location: Option<String>,
    entity: Option<String>,
    entity_url: Option<String>,
}

#[derive(Serialize)]
struct Group {
    id: String,
    title: String,
    owner: Option<RefView>,
    items: Vec<Problem>,
}

#[derive(Serialize)]
struct ProblemsView {
    errors: usize,
    warnings: usize,
    infos: usize,
    groups: Vec<Group>,
}

/// The owner of the entity a diagnostic names, when both are known.
fn owner_of(site: &Site, d: &Diagnostic) -> Option<EntityRef> {
    let text = d.entity.as_deref()?;
    let r = EntityRef::parse(text, None, "default").ok()?;
    site.catalog
        .get(&r)?
        .related(RelationType::OwnedBy)
        .next()
        .cloned()
}

fn problem(site: &Site, d: &Diagnostic) -> Problem {
    let entity = d
        .entity
        .as_deref()
        .and_then(|t| EntityRef::parse(t, None, "default").ok());
    let entity_url = entity
        .as_ref()
        .filter(|r| site.catalog.get(r).is_some())
        .map(|r| site.urls.href(&entity_dir(r)));
    Problem {
        severity: d.severity.label(),
        code: d.code.id(),
        message: d.message.clone(),
        hint: d.hint.clone(),
        location: d.location_in(site.config.shown()),
        entity: d.entity.clone(),
        entity_url,
    }
}

pub fn render_problems(site: &Site) -> Result<crate::output::OutputFile> {
    // Group key: owner ref, else the repository folder of the file, else "site".
    let mut groups: BTreeMap<(u8, String), Group> = BTreeMap::new();
    for d in site.diagnostics {
        let (key, title, owner) = match owner_of(site, d) {
            Some(o) => (
                (0, o.key().to_string()),
                String::new(),
                Some(ref_view(site.catalog, &site.urls, &o)),
            ),
            None => {
                let folder = d
                    .file
                    .as_deref()
                    .and_then(|f| f.parent())
                    .map(|p| site.config.shown().path(p));
                let title = match folder.as_deref() {
                    Some(".") | None => "Owner unknown: site configuration".to_string(),
                    Some(f) => format!("Owner unknown: {f}"),
                };
                ((1, title.clone()), title, None)
            }
        };
        let id = format!("group-{}", groups.len());
        groups
            .entry(key)
            .or_insert_with(|| Group {
                id,
                title,
                owner,
                items: Vec::new(),
            })
            .items
            .push(problem(site, d));
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    for (i, g) in groups.iter_mut().enumerate() {
        g.id = format!("group-{i}");
    }
    let counts = diagnostics::count(site.diagnostics);
    let view = ProblemsView {
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
        groups,
    };
    let meta = PageMeta {
        title: "Problems".into(),
        section: "problems",
        description: None,
    };
    site.render(
        "problems.html",
        "catalog/problems/",
        meta,
        &[("problems", to_value(&view))],
    )
}
