//! Search documents: every entity, every section of every docs page and every item of every
//! API reference (operation, schema…), as the fields the index weighs (name, title, heading, meta, body) plus what a result shows.

use rayon::prelude::*;

use crate::apiref::ApiRefs;
use crate::catalog::{Catalog, Entity, RelationType};
use crate::docs::{DocSite, Docs};
use crate::markdown::Section;
use crate::scorecard::Scores;
use crate::urls::{Urls, api_reference_dir, entity_dir};

/// Stored text is cut here: enough for a snippet around an early match.
const STORED_TEXT: usize = 320;

/// The indexed fields, in order, with their boosts: a name or title beats a mention in text.
pub const FIELDS: &[(&str, f32)] = &[
    ("name", 10.0),
    ("title", 6.0),
    ("heading", 4.0),
    ("meta", 2.0),
    ("body", 1.0),
];

#[derive(Clone, Debug, PartialEq)]
pub struct SearchDoc {
    /// Field texts in `FIELDS` order.
    pub fields: [String; 5],
    pub title: String,
    /// Site-relative link, with `#anchor` for docs sections.
    pub url: String,
    /// `component`, `api`, … or `docs`, `apiref`.
    pub kind: String,
    pub kind_label: String,
    pub entity_type: String,
    pub owner: String,
    /// For docs: "Site › Page" above the section title.
    pub context: String,
    pub text: String,
    /// An API reference item's names (`apiref::SearchEntry::names`): a query equal to one
    /// ranks it above docs headings.
    pub names: Vec<String>,
    /// A scored entity's scorecard level for the results filter: (rank, id, title), rank 0
    /// and id `none` below the first level; None for everything else.
    pub level: Option<(usize, String, String)>,
}

/// All documents: entities first (catalog order), each API followed by the items of its
/// reference, then docs sections (site, page order).
pub fn collect_documents(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &ApiRefs,
    urls: Urls,
) -> Vec<SearchDoc> {
    collect_scored_documents(catalog, docs, api_refs, urls, None)
}

/// `collect_documents`, with each scored entity's level (the results page filters by it).
pub fn collect_scored_documents(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &ApiRefs,
    urls: Urls,
    scores: Option<&Scores>,
) -> Vec<SearchDoc> {
    let mut out = entity_documents(catalog, api_refs, urls, scores);
    let sections: Vec<Vec<SearchDoc>> = (docs.sites.par_iter())
        .map(|site| site_documents(site, catalog, urls))
        .collect();
    out.extend(sections.into_iter().flatten());
    out
}

/// How many documents `entity_documents` makes: known before the docs are, so a build numbers
/// the docs sections after them as it indexes each site.
pub fn entity_document_count(catalog: &Catalog, api_refs: &ApiRefs) -> usize {
    let items = |e: &Entity| {
        api_refs
            .get(&e.entity_ref.key())
            .map_or(0, |r| r.search.len())
    };
    catalog.entities.iter().map(|e| 1 + items(e)).sum()
}

/// Every entity's document, each API's followed by the items of its reference.
pub fn entity_documents(
    catalog: &Catalog,
    api_refs: &ApiRefs,
    urls: Urls,
    scores: Option<&Scores>,
) -> Vec<SearchDoc> {
    let entities: Vec<Vec<SearchDoc>> = catalog
        .entities
        .par_iter()
        .map(|e| {
            let mut doc = entity_doc(e, catalog, urls);
            doc.level = scores.and_then(|s| level_of(s, e));
            let items = api_refs.get(&e.entity_ref.key());
            let page_url = |page: &str| urls.href(&api_reference_dir(&e.entity_ref, page));
            let mut out = items.map_or_else(Vec::new, |r| api_docs(&doc, r, page_url));
            out.insert(0, doc);
            out
        })
        .collect();
    entities.into_iter().flatten().collect()
}

/// The documents of one docs site: a section each, in page order.
pub fn site_documents(site: &DocSite, catalog: &Catalog, urls: Urls) -> Vec<SearchDoc> {
    let sections = |i: usize| site.pages.get(i).and_then(|p| p.sections.get());
    site_documents_with(site, &site.order, sections, catalog, urls)
}

/// `site_documents` of the pages `pages` (a run of `site.order`), with page `i`'s sections
/// from `sections(i)` rather than from the page: a build moves them out of the site as soon
/// as it is drawn (`DocSite::take_sections`).
pub fn site_documents_with(
    site: &DocSite,
    pages: &[usize],
    mut sections: impl FnMut(usize) -> Option<Vec<Section>>,
    catalog: &Catalog,
    urls: Urls,
) -> Vec<SearchDoc> {
    let owner = catalog
        .get(&site.entity)
        .map(|e| owner_name(e, catalog))
        .unwrap_or_default();
    let meta = format!("{} {}", site.title, site.entity.name);
    let mut docs_out = Vec::new();
    for &i in pages {
        let page = &site.pages[i];
        if page.search_exclude {
            continue;
        }
        let sections = sections(i).unwrap_or_default();
        let only = sections.len() == 1;
        let page_url = urls.href(&page.url);
        for s in sections {
            let heading = if s.id.is_some() {
                s.heading
            } else {
                String::new()
            };
            let title = if heading.is_empty() {
                page.title.clone()
            } else {
                heading.clone()
            };
            let context = if heading.is_empty() {
                site.title.clone()
            } else {
                [site.title.as_str(), " › ", &page.title].concat()
            };
            if heading.is_empty() && s.text.trim().is_empty() && !only {
                continue;
            }
            // Sections keep their white space (`markdown::Section`); only so much is shown.
            let shown = crate::text::collapse_whitespace_past(&s.text, STORED_TEXT);
            let text = truncate(&shown, STORED_TEXT);
            docs_out.push(SearchDoc {
                fields: [
                    String::new(),
                    page.title.clone(),
                    heading,
                    meta.clone(),
                    s.text,
                ],
                title,
                url: match &s.id {
                    Some(id) => [page_url.as_str(), "#", id].concat(),
                    None => page_url.clone(),
                },
                kind: "docs".into(),
                kind_label: "Docs".into(),
                entity_type: String::new(),
                owner: owner.clone(),
                context,
                text,
                names: Vec::new(),
                level: None,
            });
        }
    }
    docs_out
}

/// One document per reference item, linking to its anchor on the API's page (or on the page
/// of the reference it was split onto, whose URL `page_url` makes), found by the API's name
/// as well as by its own words.
fn api_docs(
    api: &SearchDoc,
    r: &crate::apiref::Reference,
    page_url: impl Fn(&str) -> String,
) -> Vec<SearchDoc> {
    r.search
        .iter()
        .map(|s| SearchDoc {
            // Placed like a docs section: the API as the page title, the item as the heading.
            fields: [
                String::new(),
                api.title.clone(),
                s.title.clone(),
                api.fields[0].clone(),
                s.text.clone(),
            ],
            title: s.title.clone(),
            url: format!(
                "{}#{}",
                r.page_of(&s.anchor)
                    .map_or_else(|| api.url.clone(), &page_url),
                s.anchor
            ),
            // A kind of their own, so the results page can filter them apart from entities.
            kind: "apiref".into(),
            kind_label: "API reference".into(),
            entity_type: api.entity_type.clone(),
            owner: api.owner.clone(),
            context: api.title.clone(),
            text: truncate(&s.text, STORED_TEXT),
            names: s.names.clone(),
            level: None,
        })
        .collect()
}

fn level_of(scores: &Scores, e: &Entity) -> Option<(usize, String, String)> {
    let score = scores.get(&e.entity_ref.key())?;
    Some(score.reached.as_ref().map_or_else(
        || (0, "none".to_string(), "No level".to_string()),
        |r| (r.position + 1, r.id.clone(), r.title.clone()),
    ))
}

fn owner_name(e: &Entity, catalog: &Catalog) -> String {
    e.related(RelationType::OwnedBy)
        .next()
        .map(|o| {
            catalog
                .get(o)
                .map_or_else(|| o.name.clone(), |g| g.display_name().to_string())
        })
        .unwrap_or_default()
}

fn entity_doc(e: &Entity, catalog: &Catalog, urls: Urls) -> SearchDoc {
    let owner = owner_name(e, catalog);
    let system = e
        .related(RelationType::PartOf)
        .filter(|t| t.kind == "system")
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let entity_type = e.spec_str("type").unwrap_or_default().to_string();
    let meta = [
        e.kind.as_str(),
        &entity_type,
        &owner,
        &system,
        e.namespace(),
        &e.tags.join(" "),
    ]
    .join(" ");
    let description = e.description.clone().unwrap_or_default();
    SearchDoc {
        fields: [
            e.name().to_string(),
            e.display_name().to_string(),
            String::new(),
            meta,
            description.clone(),
        ],
        title: e.display_name().to_string(),
        url: urls.href(&entity_dir(&e.entity_ref)),
        kind: e.entity_ref.kind.clone(),
        kind_label: e.kind.clone(),
        entity_type,
        owner,
        context: e.entity_ref.short(),
        text: truncate(&description, STORED_TEXT),
        names: Vec::new(),
        level: None,
    }
}

/// At most `max` bytes, cut at a character boundary and a word when possible.
pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let cut = s[..end].rfind(' ').filter(|&i| i > max / 2).unwrap_or(end);
    format!("{}…", &s[..cut])
}
