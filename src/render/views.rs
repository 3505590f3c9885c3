//! Views: small structs made for templates, so themes never depend on the model's shape.

use serde::Serialize;

use crate::catalog::{Catalog, Entity, EntityRef};
use crate::urls::{Urls, entity_dir};

/// A reference as a template shows it: resolved to a page, or marked as missing.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefView {
    pub title: String,
    #[serde(rename = "ref")]
    pub ref_text: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    /// Site-relative link; None when the target is not in the catalog.
    pub url: Option<String>,
    pub description: Option<String>,
    /// Why it is listed, when not directly (a user's entities owned through a group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// Display name of a lower-case kind: the known spelling, else the kind capitalised.
pub fn kind_label(kind: &str) -> String {
    match kind {
        "api" => "API".into(),
        "component" | "resource" | "system" | "domain" | "group" | "user" | "location"
        | "template" => {
            let mut c = kind.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// Plural heading for a kind (`APIs`, `Components`).
pub fn kind_plural(kind: &str) -> String {
    format!("{}s", kind_label(kind))
}

pub fn ref_view(catalog: &Catalog, urls: &Urls, r: &EntityRef) -> RefView {
    match catalog.get(r) {
        Some(e) => entity_ref_view(e, urls),
        None => RefView {
            title: r.name.clone(),
            ref_text: r.short(),
            kind: r.kind.clone(),
            kind_label: kind_label(&r.kind),
            name: r.name.clone(),
            url: None,
            description: None,
            via: None,
        },
    }
}

pub fn entity_ref_view(e: &Entity, urls: &Urls) -> RefView {
    RefView {
        title: e.display_name().to_string(),
        ref_text: e.entity_ref.short(),
        kind: e.entity_ref.kind.clone(),
        kind_label: e.kind.clone(),
        name: e.name().to_string(),
        url: Some(urls.href(&entity_dir(&e.entity_ref))),
        description: e.description.clone(),
        via: None,
    }
}

/// Views of a list of refs, sorted by kind then title so pages read the same every build.
pub fn ref_views<'a>(
    catalog: &Catalog,
    urls: &Urls,
    refs: impl IntoIterator<Item = &'a EntityRef>,
) -> Vec<RefView> {
    let mut views: Vec<RefView> = refs
        .into_iter()
        .map(|r| ref_view(catalog, urls, r))
        .collect();
    views.sort_by(|a, b| {
        (&a.kind, a.title.to_lowercase(), &a.ref_text).cmp(&(
            &b.kind,
            b.title.to_lowercase(),
            &b.ref_text,
        ))
    });
    views.dedup_by(|a, b| a.ref_text == b.ref_text);
    views
}
