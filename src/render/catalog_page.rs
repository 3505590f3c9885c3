//! The catalog table: every entity in one page with facet filters (kind, type, owner,
//! lifecycle, tag) whose options and counts are computed at build time, sortable columns and
//! a "Starred only" filter over the reader's stars. The API explorer is the same table for
//! APIs only, with their providers and consumers counted.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::views::{RefView, kind_label, ref_view, ref_views};
use super::{PageMeta, Site, to_value};
use crate::catalog::kinds::display_rank;
use crate::catalog::{Entity, RelationType};

/// Laying out thousands of table rows freezes a browser; this many are shown at once.
pub const PAGE_SIZE: usize = 500;

#[derive(Serialize)]
struct Row {
    title: String,
    url: String,
    /// The full ref, as stars are kept in the browser.
    #[serde(rename = "ref")]
    ref_text: String,
    kind: String,
    kind_label: String,
    /// Sort key of the kind column: kinds sort in display order, not alphabetically.
    kind_rank: usize,
    entity_type: String,
    owner: Option<RefView>,
    /// The owner and, when it is a group, the group's members, space-separated: choosing a
    /// person in the Owner filter shows what they own directly or through a group (the static
    /// equivalent of Backstage's "Owned" filter).
    owner_key: String,
    #[serde(skip)]
    owners: Vec<RefView>,
    lifecycle: String,
    system: Option<RefView>,
    system_key: String,
    description: String,
    tags: Vec<String>,
    namespace: String,
}

#[derive(Serialize)]
pub struct FacetOption {
    value: String,
    label: String,
    count: usize,
    /// `kind:count …` for options that depend on the chosen kind (types): the page shows
    /// only the chosen kind's types, with that kind's counts.
    #[serde(skip_serializing_if = "String::is_empty")]
    per_kind: String,
}

#[derive(Serialize)]
pub struct Facet {
    id: &'static str,
    label: &'static str,
    options: Vec<FacetOption>,
}

#[derive(Serialize)]
struct CatalogView {
    rows: Vec<Row>,
    /// Rows shown at once: the rest are rendered hidden and shown by "Show more".
    page_size: usize,
    facets: Vec<Facet>,
}

fn row(site: &Site, e: &Entity) -> Row {
    let first = |relation: RelationType, kind: Option<&str>| {
        e.related(relation)
            .find(|t| kind.is_none_or(|k| t.kind == k))
            .map(|r| ref_view(site.catalog, &site.urls, r))
    };
    let owner = first(RelationType::OwnedBy, None);
    let system = first(RelationType::PartOf, Some("system"));
    let owners = owners(site, e);
    Row {
        title: e.display_name().to_string(),
        url: site.urls.href(&crate::urls::entity_dir(&e.entity_ref)),
        ref_text: e.entity_ref.to_string(),
        kind: e.entity_ref.kind.clone(),
        kind_label: e.kind.clone(),
        kind_rank: display_rank(&e.entity_ref.kind),
        entity_type: e.spec_str("type").unwrap_or_default().to_string(),
        owner_key: owners
            .iter()
            .map(|o| o.ref_text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        owners,
        owner,
        lifecycle: e.spec_str("lifecycle").unwrap_or_default().to_string(),
        system_key: system
            .as_ref()
            .map(|s| s.ref_text.clone())
            .unwrap_or_default(),
        system,
        description: e.description.clone().unwrap_or_default(),
        tags: e.tags.clone(),
        namespace: e.namespace().to_string(),
    }
}

/// The entity's owner, then the members of an owning group, sorted.
fn owners(site: &Site, e: &Entity) -> Vec<RefView> {
    let Some(owner) = e.related(RelationType::OwnedBy).next() else {
        return Vec::new();
    };
    let members = site
        .catalog
        .get(owner)
        .filter(|o| o.entity_ref.kind == "group")
        .map(|g| ref_views(site.catalog, &site.urls, g.related(RelationType::HasMember)))
        .unwrap_or_default();
    let mut out = vec![ref_view(site.catalog, &site.urls, owner)];
    out.extend(members);
    out
}

impl Facet {
    /// Puts the options in an order of their own (levels lowest first, not by name).
    pub fn sort_options_by_key<K: Ord>(&mut self, key: impl Fn(&str) -> K) {
        self.options.sort_by_key(|o| key(&o.value));
    }
}

/// Options of one facet with counts, each value with the label people read.
pub fn facet(
    id: &'static str,
    label: &'static str,
    values: impl Iterator<Item = (String, String)>,
) -> Facet {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (value, shown) in values.filter(|(v, _)| !v.is_empty()) {
        counts.entry(value).or_insert((shown, 0)).1 += 1;
    }
    let mut options: Vec<FacetOption> = counts
        .into_iter()
        .map(|(value, (label, count))| FacetOption {
            value,
            label,
            count,
            per_kind: String::new(),
        })
        .collect();
    options.sort_by(|a, b| {
        a.label
            .to_lowercase()
            .cmp(&b.label.to_lowercase())
            .then(a.value.cmp(&b.value))
    });
    Facet { id, label, options }
}

/// A facet whose options each say how many entities of each kind have them.
pub fn facet_per_kind<'a>(
    id: &'static str,
    label: &'static str,
    values: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> Facet {
    let mut f = facet(
        id,
        label,
        values.clone().map(|(_, v)| (v.to_string(), v.to_string())),
    );
    let mut per: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (kind, value) in values.filter(|(_, v)| !v.is_empty()) {
        *per.entry(value).or_default().entry(kind).or_default() += 1;
    }
    for o in &mut f.options {
        o.per_kind = per
            .get(o.value.as_str())
            .into_iter()
            .flatten()
            .map(|(k, n)| format!("{k}:{n}"))
            .collect::<Vec<_>>()
            .join(" ");
    }
    f
}

pub fn render_catalog(site: &Site) -> Result<crate::output::OutputFile> {
    let mut rows: Vec<Row> = site.catalog.entities.iter().map(|e| row(site, e)).collect();
    rows.sort_by(|a, b| {
        (display_rank(&a.kind), &a.kind, a.title.to_lowercase()).cmp(&(
            display_rank(&b.kind),
            &b.kind,
            b.title.to_lowercase(),
        ))
    });
    let mut kinds = facet(
        "kind",
        "Kind",
        rows.iter().map(|r| (r.kind.clone(), kind_label(&r.kind))),
    );
    kinds
        .options
        .sort_by_key(|o| (display_rank(&o.value), o.value.clone()));
    let mut facets = vec![
        kinds,
        facet_per_kind(
            "type",
            "Type",
            rows.iter()
                .map(|r| (r.kind.as_str(), r.entity_type.as_str())),
        ),
        facet(
            "owner",
            "Owner",
            rows.iter().flat_map(|r| {
                r.owners
                    .iter()
                    .map(|o| (o.ref_text.clone(), o.title.clone()))
            }),
        ),
        facet(
            "lifecycle",
            "Lifecycle",
            rows.iter()
                .map(|r| (r.lifecycle.clone(), r.lifecycle.clone())),
        ),
        facet(
            "tag",
            "Tag",
            rows.iter()
                .flat_map(|r| r.tags.iter().map(|t| (t.clone(), t.clone()))),
        ),
    ];
    let namespaces = facet(
        "namespace",
        "Namespace",
        rows.iter()
            .map(|r| (r.namespace.clone(), r.namespace.clone())),
    );
    if namespaces.options.len() > 1 {
        facets.push(namespaces);
    }
    let view = CatalogView {
        rows,
        facets,
        page_size: PAGE_SIZE,
    };
    let meta = PageMeta {
        title: "Catalog".into(),
        section: "catalog",
        description: Some("Every entity of the organisation".into()),
    };
    site.render(
        "catalog.html",
        "catalog/",
        meta,
        &[("catalog", to_value(&view))],
    )
}

#[derive(Serialize)]
struct ApiRow {
    #[serde(flatten)]
    row: Row,
    providers: usize,
    consumers: usize,
    /// The API's reference on its page, where a definition could be read.
    reference: Option<ApiReferenceLink>,
}

#[derive(Serialize)]
struct ApiReferenceLink {
    /// Site-relative: the entity page's `#reference` card (api_reference.html).
    href: String,
    #[serde(flatten)]
    counts: crate::apiref::ItemCounts,
}

#[derive(Serialize)]
struct ApisView {
    rows: Vec<ApiRow>,
    page_size: usize,
    facets: Vec<Facet>,
}

/// The API explorer: every API with its type, owner, lifecycle, system and how many
/// components provide and consume it, with the catalog's filters and sorting.
pub fn render_apis(site: &Site) -> Result<crate::output::OutputFile> {
    let mut rows: Vec<ApiRow> = site
        .catalog
        .entities
        .iter()
        .filter(|e| e.entity_ref.kind == "api")
        .map(|e| {
            let row = row(site, e);
            let reference = site
                .api_refs
                .get(&e.entity_ref.key())
                .map(|r| ApiReferenceLink {
                    href: format!("{}#reference", row.url),
                    counts: r.item_counts(),
                });
            ApiRow {
                row,
                providers: e.related(RelationType::ApiProvidedBy).count(),
                consumers: e.related(RelationType::ApiConsumedBy).count(),
                reference,
            }
        })
        .collect();
    rows.sort_by_key(|r| (r.row.title.to_lowercase(), r.row.ref_text.clone()));
    let refs = |f: fn(&Row) -> &Option<RefView>| {
        rows.iter()
            .filter_map(move |r| f(&r.row).as_ref())
            .map(|o| (o.ref_text.clone(), o.title.clone()))
    };
    let plain = |f: fn(&Row) -> &String| {
        rows.iter()
            .map(move |r| (f(&r.row).clone(), f(&r.row).clone()))
    };
    let facets = vec![
        facet("type", "Type", plain(|r| &r.entity_type)),
        facet(
            "owner",
            "Owner",
            rows.iter().flat_map(|r| {
                r.row
                    .owners
                    .iter()
                    .map(|o| (o.ref_text.clone(), o.title.clone()))
            }),
        ),
        facet("lifecycle", "Lifecycle", plain(|r| &r.lifecycle)),
        facet("system", "System", refs(|r| &r.system)),
        facet(
            "tag",
            "Tag",
            rows.iter()
                .flat_map(|r| r.row.tags.iter().map(|t| (t.clone(), t.clone()))),
        ),
    ];
    let view = ApisView {
        rows,
        facets,
        page_size: PAGE_SIZE,
    };
    let meta = PageMeta {
        title: "APIs".into(),
        section: "apis",
        description: Some(
            "Every API of the organisation, with who provides and consumes it".into(),
        ),
    };
    site.render(
        "apis.html",
        crate::urls::APIS_DIR,
        meta,
        &[("apis", to_value(&view))],
    )
}
