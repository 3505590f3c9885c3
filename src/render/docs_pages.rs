//! Docs pages: each page of each docs site with its navigation (the current section open),
//! "on this page" table of contents, breadcrumb, previous/next and edit links; the `/docs/`
//! index of documented entities; copied assets and redirect stubs.

use anyhow::Result;
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use super::catalog_page::facet;
use super::docs_nav::{NavPlaces, nav_html};
use super::views::{RefView, ref_view};
use super::{DocsSites, Frame, PageMeta, Sink, Site, to_value};
use crate::catalog::{Catalog, RelationType};
use crate::docs::{DocSite, Docs};
use crate::markdown::Heading;
use crate::output::OutputFile;
use crate::urls::Urls;
use crate::urls::relative;

/// Pages drawn and handed to the writer at a time: a site of tens of thousands of pages
/// never holds all of its drawn pages at once.
const PAGES_PER_PUT: usize = 256;

#[derive(Serialize)]
struct PageLink {
    title: String,
    url: String,
}

#[derive(Debug, PartialEq, Serialize)]
struct TocEntry {
    level: u8,
    id: String,
    text: String,
    children: Vec<TocEntry>,
}

#[derive(Serialize)]
struct DocView {
    site_title: String,
    site_url: String,
    entity: RefView,
    /// The nav and the body are HTML stagedoor wrote (escaped or sanitised): safe values,
    /// which a template prints as they are, with no `| safe` copying them twice more.
    nav_html: Value,
    breadcrumb: Vec<String>,
    html: Value,
    toc: Vec<TocEntry>,
    edit_url: Option<String>,
    prev: Option<PageLink>,
    next: Option<PageLink>,
    has_mermaid: bool,
    updated: Option<String>,
}

/// Renders the pages, assets and redirects of the chosen docs sites, one site at a time into
/// `sink`, then the docs index.
pub fn render_docs(site: &Site, docs: &Docs, which: DocsSites, sink: &dyn Sink) -> Result<()> {
    let chosen: Vec<&DocSite> = (docs.sites.iter().enumerate())
        .filter(|(i, _)| which.contains(*i))
        .map(|(_, s)| s)
        .collect();
    chosen
        .par_iter()
        .try_for_each(|s| render_docs_site(site.frame(), site.catalog, s, sink))?;
    sink.put(vec![render_index(site, docs)?])
}

/// A docs site's pages, assets and redirect stubs, into `sink` a few hundred at a time.
pub fn render_docs_site(
    frame: Frame,
    catalog: &Catalog,
    s: &DocSite,
    sink: &dyn Sink,
) -> Result<()> {
    // Each page's place in the reading order and in the nav, found once for the site, not
    // once per page.
    let mut positions = vec![None; s.pages.len()];
    for (p, &i) in s.order.iter().enumerate() {
        if let Some(slot) = positions.get_mut(i) {
            slot.get_or_insert(p);
        }
    }
    let places = NavPlaces::of(s);
    for first in (0..s.pages.len()).step_by(PAGES_PER_PUT) {
        let batch = first..(first + PAGES_PER_PUT).min(s.pages.len());
        let files: Vec<OutputFile> = (batch.into_par_iter())
            .map(|i| render_page_at(frame, catalog, s, &places, i, positions[i]))
            .collect::<Result<_>>()?;
        sink.put(files)?;
    }
    let mut files: Vec<OutputFile> = (s.assets.iter())
        .map(|(src, dest)| OutputFile::copy(dest.clone(), src.clone()))
        .collect();
    for (from, to) in &s.redirects {
        let target = relative(from, &frame.urls.href(to));
        let html = frame
            .theme
            .env
            .get_template("redirect.html")?
            .render(minijinja::context! { target => target })?;
        let mut f = OutputFile::bytes(Urls::file_for(from), html);
        f.is_alias = true;
        files.push(f);
    }
    sink.put(files)
}

/// Docs page `index` of `s` alone (`serve`, after an edit).
pub fn render_page(
    frame: Frame,
    catalog: &Catalog,
    s: &DocSite,
    index: usize,
) -> Result<OutputFile> {
    let position = s.order.iter().position(|&i| i == index);
    render_page_at(frame, catalog, s, &NavPlaces::of(s), index, position)
}

/// Docs page `index`, which is at `position` in the site's reading order (if it is in it).
fn render_page_at(
    frame: Frame,
    catalog: &Catalog,
    s: &DocSite,
    places: &NavPlaces,
    index: usize,
    position: Option<usize>,
) -> Result<OutputFile> {
    let page = &s.pages[index];
    let link = |i: usize| PageLink {
        title: s.pages[i].title.clone(),
        url: frame.urls.href(&s.pages[i].url),
    };
    let prev = position.filter(|&p| p > 0).map(|p| link(s.order[p - 1]));
    let next = position.and_then(|p| s.order.get(p + 1)).map(|&i| link(i));
    let nav = nav_html(frame.urls, s, places, index);
    let body = page.html.text();
    // The page is its body and nav in the theme's frame (a few KB).
    let size = body.len() + nav.len() + 16 * 1024;
    let view = DocView {
        site_title: s.title.clone(),
        site_url: frame.urls.href(&s.url),
        entity: ref_view(catalog, &frame.urls, &s.entity),
        nav_html: Value::from_safe_string(nav),
        breadcrumb: places.breadcrumb(index),
        html: Value::from_safe_string(body.into_owned()),
        toc: toc_tree(&page.headings, s.toc_levels),
        edit_url: page.edit_url.clone(),
        prev,
        next,
        has_mermaid: page.has_mermaid,
        updated: s.updated.get(index).cloned().flatten(),
    };
    let title = if page.title == s.title {
        page.title.clone()
    } else {
        format!("{} · {}", page.title, s.title)
    };
    let meta = PageMeta {
        title,
        section: "docs",
        description: page.description.clone().or_else(|| s.description.clone()),
    };
    frame.render_sized(
        "docs_page.html",
        &page.url,
        meta,
        &[("doc", to_value(&view))],
        size,
    )
}

/// "On this page" as mkdocs-material shows it: the page's leading h1 is its title, not an
/// entry; every other heading within `levels` (mkdocs.yml `toc_depth`) is, later h1s
/// included, each nested under the nearest shallower heading before it.
fn toc_tree(headings: &[Heading], (top, bottom): (u8, u8)) -> Vec<TocEntry> {
    let title = usize::from(headings.first().is_some_and(|h| h.level == 1));
    let mut roots: Vec<TocEntry> = Vec::new();
    for h in headings[title..]
        .iter()
        .filter(|h| (top..=bottom).contains(&h.level))
    {
        let entry = TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < h.level) {
            siblings = &mut siblings.last_mut().expect("checked non-empty").children;
        }
        siblings.push(entry);
    }
    roots
}

#[derive(Serialize)]
struct DocRow {
    title: String,
    url: String,
    entity: RefView,
    kind: String,
    kind_label: String,
    owner: Option<RefView>,
    owner_key: String,
    pages: usize,
    description: String,
}

#[derive(Serialize)]
struct DocsIndexView {
    rows: Vec<DocRow>,
    facets: Vec<super::catalog_page::Facet>,
    page_count: usize,
}

fn render_index(site: &Site, docs: &Docs) -> Result<OutputFile> {
    let mut rows: Vec<DocRow> = docs
        .sites
        .iter()
        .map(|s| {
            let entity = site.catalog.get(&s.entity);
            let owner = entity
                .and_then(|e| e.related(RelationType::OwnedBy).next())
                .map(|o| ref_view(site.catalog, &site.urls, o));
            DocRow {
                title: s.title.clone(),
                url: site.urls.href(&s.url),
                entity: ref_view(site.catalog, &site.urls, &s.entity),
                kind: s.entity.kind.clone(),
                kind_label: entity.map_or_else(|| s.entity.kind.clone(), |e| e.kind.clone()),
                owner_key: owner
                    .as_ref()
                    .map(|o| o.ref_text.clone())
                    .unwrap_or_default(),
                owner,
                pages: s.pages.len(),
                description: s
                    .description
                    .clone()
                    .or_else(|| entity.and_then(|e| e.description.clone()))
                    .unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.entity.ref_text.cmp(&b.entity.ref_text))
    });
    let facets = vec![
        facet(
            "kind",
            "Kind",
            rows.iter().map(|r| (r.kind.clone(), r.kind_label.clone())),
        ),
        facet(
            "owner",
            "Owner",
            rows.iter().filter_map(|r| {
                r.owner
                    .as_ref()
                    .map(|o| (o.ref_text.clone(), o.title.clone()))
            }),
        ),
    ];
    let view = DocsIndexView {
        rows,
        facets,
        page_count: docs.page_count(),
    };
    let meta = PageMeta {
        title: "Documentation".into(),
        section: "docs",
        description: Some("Every documented entity".into()),
    };
    site.render(
        "docs_index.html",
        "docs/",
        meta,
        &[("docs", to_value(&view))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            text: id.into(),
        }
    }

    /// (level, id, children) for compact assertions.
    fn shape(entries: &[TocEntry]) -> Vec<(u8, String, usize)> {
        entries
            .iter()
            .map(|e| (e.level, e.id.clone(), e.children.len()))
            .collect()
    }

    // Regression: the TOC listed only h2 and h3, leaving out later h1 sections and h4s.
    #[test]
    fn toc_keeps_later_h1s_and_deep_levels_nested() {
        let hs = [
            heading(1, "title"),
            heading(2, "a"),
            heading(3, "a1"),
            heading(4, "a1x"),
            heading(1, "part-two"),
            heading(2, "b"),
        ];
        let toc = toc_tree(&hs, (1, 6));
        assert_eq!(shape(&toc), [(2, "a".into(), 1), (1, "part-two".into(), 1)]);
        assert_eq!(shape(&toc[0].children[0].children), [(4, "a1x".into(), 0)]);
        assert_eq!(shape(&toc[1].children), [(2, "b".into(), 0)]);
    }

    #[test]
    fn toc_depth_bounds_the_levels() {
        let hs = [heading(2, "a"), heading(3, "a1"), heading(4, "a1x")];
        assert_eq!(shape(&toc_tree(&hs, (1, 3))), [(2, "a".into(), 1)]);
        // A page without a leading h1 keeps its first heading as an entry.
        assert_eq!(shape(&toc_tree(&hs, (3, 4))), [(3, "a1".into(), 1)]);
    }
}
