//! Docs pages: each page of each docs site with its navigation (the current section open),
//! "on this page" table of contents, breadcrumb, previous/next and edit links; the `/docs/`
//! index of documented entities; copied assets and redirect stubs.

use anyhow::Result;
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use super::catalog_page::facet;
use super::views::{RefView, ref_view};
use super::{DocsSites, Frame, PageMeta, Sink, Site, to_value};
use crate::catalog::{Catalog, RelationType};
use crate::docs::nav::NavNode;
use crate::docs::{DocSite, Docs};
use crate::html::escape;
use crate::markdown::Heading;
use crate::output::OutputFile;
use crate::urls::Urls;
use crate::urls::relative;

/// A nav level longer than this is cut, with a link to the site's home page.
const MAX_NAV_ITEMS: usize = 300;

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
        .try_for_each(|s| sink.put(render_docs_site(site.frame(), site.catalog, s)?))?;
    sink.put(vec![render_index(site, docs)?])
}

/// A docs site's pages, assets and redirect stubs.
pub fn render_docs_site(frame: Frame, catalog: &Catalog, s: &DocSite) -> Result<Vec<OutputFile>> {
    // Each page's place in the reading order, found once for the site, not once per page.
    let mut positions = vec![None; s.pages.len()];
    for (p, &i) in s.order.iter().enumerate() {
        if let Some(slot) = positions.get_mut(i) {
            slot.get_or_insert(p);
        }
    }
    let mut files: Vec<OutputFile> = (0..s.pages.len())
        .into_par_iter()
        .map(|i| render_page_at(frame, catalog, s, i, positions[i]))
        .collect::<Result<_>>()?;
    files.extend(
        s.assets
            .iter()
            .map(|(src, dest)| OutputFile::copy(dest.clone(), src.clone())),
    );
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
    Ok(files)
}

/// Docs page `index` of `s` alone (`serve`, after an edit).
pub fn render_page(
    frame: Frame,
    catalog: &Catalog,
    s: &DocSite,
    index: usize,
) -> Result<OutputFile> {
    let position = s.order.iter().position(|&i| i == index);
    render_page_at(frame, catalog, s, index, position)
}

/// Docs page `index`, which is at `position` in the site's reading order (if it is in it).
fn render_page_at(
    frame: Frame,
    catalog: &Catalog,
    s: &DocSite,
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
    let nav = nav_html(frame.urls, s, index);
    let body = page.html.text();
    // The page is its body and nav in the theme's frame (a few KB).
    let size = body.len() + nav.len() + 16 * 1024;
    let view = DocView {
        site_title: s.title.clone(),
        site_url: frame.urls.href(&s.url),
        entity: ref_view(catalog, &frame.urls, &s.entity),
        nav_html: Value::from_safe_string(nav),
        breadcrumb: breadcrumb(&s.nav, index).unwrap_or_default(),
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

/// Section titles from the nav root down to the page.
fn breadcrumb(nav: &[NavNode], page: usize) -> Option<Vec<String>> {
    for n in nav {
        match n {
            NavNode::Page { page: p, .. } if *p == page => return Some(Vec::new()),
            NavNode::Section {
                title, children, ..
            } => {
                if let Some(mut rest) = breadcrumb(children, page) {
                    rest.insert(0, title.clone());
                    return Some(rest);
                }
            }
            _ => {}
        }
    }
    None
}

fn contains(nodes: &[NavNode], page: usize) -> bool {
    nodes.iter().any(|n| match n {
        NavNode::Page { page: p, .. } => *p == page,
        NavNode::Section { children, .. } => contains(children, page),
        NavNode::Link { .. } => false,
    })
}

fn first_page(nodes: &[NavNode]) -> Option<usize> {
    nodes.iter().find_map(|n| match n {
        NavNode::Page { page, .. } => Some(*page),
        NavNode::Section { children, .. } => first_page(children),
        NavNode::Link { .. } => None,
    })
}

/// The site's nav as HTML for one page: top-level sections and the current page's ancestors
/// open, other sections collapsed to a link to their first page, so a page's nav stays small
/// however large the site.
pub fn nav_html(urls: Urls, s: &DocSite, current: usize) -> String {
    let mut out = String::new();
    let here = &s.pages[current].url;
    level_html(&mut out, urls, s, &s.nav, current, here, 0);
    out
}

fn level_html(
    out: &mut String,
    urls: Urls,
    s: &DocSite,
    nodes: &[NavNode],
    current: usize,
    here: &str,
    depth: usize,
) {
    out.push_str("<ul>");
    for n in nodes.iter().take(MAX_NAV_ITEMS) {
        let href = |page: usize| relative(here, &urls.href(&s.pages[page].url));
        match n {
            NavNode::Page { page, .. } => {
                let cur = if *page == current {
                    " aria-current=\"page\""
                } else {
                    ""
                };
                out.push_str(&format!(
                    "<li><a href=\"{}\"{cur}>{}</a></li>",
                    escape(&href(*page)),
                    escape(&s.pages[*page].title)
                ));
            }
            NavNode::Section {
                title, children, ..
            } => {
                let open = depth == 0 || contains(children, current);
                out.push_str("<li class=\"nav-section\">");
                match (open, first_page(children)) {
                    (false, Some(first)) => out.push_str(&format!(
                        "<a href=\"{}\">{}</a>",
                        escape(&href(first)),
                        escape(title)
                    )),
                    _ => out.push_str(&format!("<span>{}</span>", escape(title))),
                }
                if open {
                    level_html(out, urls, s, children, current, here, depth + 1);
                }
                out.push_str("</li>");
            }
            NavNode::Link { title, url } => {
                if crate::catalog::rules::is_safe_link_scheme(url) || url.starts_with('/') {
                    out.push_str(&format!(
                        "<li><a class=\"nav-external\" href=\"{}\" rel=\"noopener\">{}</a></li>",
                        escape(url),
                        escape(title)
                    ));
                }
            }
        }
    }
    if nodes.len() > MAX_NAV_ITEMS {
        out.push_str(&format!(
            "<li><a href=\"{}\">More pages…</a></li>",
            escape(&relative(here, &urls.href(&s.url)))
        ));
    }
    out.push_str("</ul>");
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
