//! API references as pages: the view of a reference on the API's page and on each page a
//! large reference was split onto (`apiref::split`), with every outline entry and every
//! in-page link (`#schema/Pet`) pointing at the page its target is on.

use anyhow::Result;
use serde::Serialize;

use super::{PageMeta, Site, to_value};
use crate::apiref::{OutlineEntry, Reference, Section};
use crate::catalog::{Entity, EntityRef};
use crate::output::OutputFile;
use crate::urls::{self, Urls};

/// A reference as one page shows it.
#[derive(Serialize)]
pub struct ReferenceView {
    pub intro_html: String,
    pub outline: Vec<OutlineView>,
    pub sections: Vec<SectionView>,
}

#[derive(Serialize)]
pub struct OutlineView {
    /// `#operation/x` on the same page, `reference/payments/#operation/x` elsewhere.
    pub href: String,
    pub title: String,
    pub depth: u8,
    pub badge: Option<String>,
    pub deprecated: bool,
}

#[derive(Serialize)]
pub struct SectionView {
    pub anchor: String,
    pub title: String,
    /// On the API's page, for a section split off: a link to its page.
    pub html: String,
}

/// The page a view is for: the API's page (`page` None) or one split off it.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub api: &'a EntityRef,
    pub urls: Urls,
    pub page: Option<&'a str>,
}

impl Place<'_> {
    /// Site-relative folder of a page of the reference.
    fn dir_of(&self, page: Option<&str>) -> String {
        match page {
            None => urls::entity_dir(self.api),
            Some(p) => urls::api_reference_dir(self.api, p),
        }
    }

    /// The link from this page to `page` (itself when it is this page).
    pub fn page_href(&self, page: Option<&str>) -> String {
        if page == self.page {
            return String::new();
        }
        let to = self.urls.href(&self.dir_of(page));
        urls::relative(&self.dir_of(self.page), &to)
    }

    /// The link from this page to the element with id `anchor`.
    fn anchor_href(&self, r: &Reference, anchor: &str) -> String {
        format!("{}#{anchor}", self.page_href(r.page_of(anchor)))
    }
}

/// The view of `r` on the page `at`: its outline (`outline_here`); on the API's page the
/// introduction and the sections not split off (those that are leave a link), on a split
/// page its own sections.
pub fn reference_view(r: &Reference, at: Place<'_>) -> ReferenceView {
    let on_main = at.page.is_none();
    ReferenceView {
        intro_html: if on_main {
            r.intro_html.clone()
        } else {
            String::new()
        },
        outline: outline_here(r, at)
            .map(|o| outline_view(r, at, o))
            .collect(),
        sections: r
            .sections
            .iter()
            .filter(|s| on_main || s.page.as_deref() == at.page)
            .map(|s| section_view(r, at, s))
            .collect(),
    }
}

/// The outline a page shows: every section, but the items only of the sections on this page
/// (on the API's page, those not split off), so that no page carries thousands of links.
fn outline_here<'r>(r: &'r Reference, at: Place<'_>) -> impl Iterator<Item = &'r OutlineEntry> {
    let mut open = true;
    r.outline.iter().filter(move |o| {
        if o.depth == 0 {
            open = r.page_of(&o.anchor) == at.page;
            return true;
        }
        open
    })
}

fn outline_view(r: &Reference, at: Place<'_>, o: &OutlineEntry) -> OutlineView {
    OutlineView {
        href: at.anchor_href(r, &o.anchor),
        title: o.title.clone(),
        depth: o.depth,
        badge: o.badge.clone(),
        deprecated: o.deprecated,
    }
}

fn section_view(r: &Reference, at: Place<'_>, s: &Section) -> SectionView {
    let elsewhere = s.page.as_deref() != at.page;
    SectionView {
        anchor: s.anchor.clone(),
        title: s.title.clone(),
        html: if elsewhere {
            moved_html(&at.page_href(s.page.as_deref()), &s.title)
        } else if r.pages.is_empty() {
            // Nothing moved: the links stay as made.
            s.html.clone()
        } else {
            relink(r, at, &s.html)
        },
    }
}

/// What stands on the API's page for a section on a page of its own: the link there.
fn moved_html(href: &str, title: &str) -> String {
    format!(
        "<p><a class=\"apiref-page-link\" href=\"{}\">{}: on a page of its own</a></p>",
        crate::html::escape(href),
        crate::html::escape(title)
    )
}

/// The section's HTML with its in-page links (`#schema/Pet`) pointing at the page where
/// their target is.
fn relink(r: &Reference, at: Place<'_>, html: &str) -> String {
    crate::markdown::rewrite_html_urls(html, |url, _, _| match url.strip_prefix('#') {
        Some(anchor) => at.anchor_href(r, anchor),
        None => url.to_string(),
    })
}

/// The sections' pages of a split reference, in order, each once.
pub fn split_pages(r: &Reference) -> Vec<&str> {
    let mut pages: Vec<&str> = r
        .sections
        .iter()
        .filter_map(|s| s.page.as_deref())
        .collect();
    pages.dedup();
    pages
}

/// What `api_reference_page.html` reads: shaped like the entity page's `e.api`, so that the
/// one partial draws the reference on both.
#[derive(Serialize)]
struct PageView {
    title: String,
    api_title: String,
    back_href: String,
    api: PageApi,
}

#[derive(Serialize)]
struct PageApi {
    api_type: String,
    reference: ReferenceView,
}

/// The pages a large reference of API `e` was split onto and its raw definition as a file
/// (none for most references).
pub fn render_split_pages(site: &Site, e: &Entity, r: &Reference) -> Result<Vec<OutputFile>> {
    let mut files = definition_file(e, r).into_iter().collect::<Vec<_>>();
    for page in split_pages(r) {
        files.push(render_page(site, e, r, page)?);
    }
    Ok(files)
}

/// The raw definition of a split reference, which its API's page links to (`ApiView`).
fn definition_file(e: &Entity, r: &Reference) -> Option<OutputFile> {
    let text = e.spec_str("definition").filter(|_| !r.pages.is_empty())?;
    let api_type = e.spec_str("type").unwrap_or("unknown");
    let ext = super::api::definition_language(api_type, text);
    Some(OutputFile::bytes(
        urls::api_definition_file(&e.entity_ref, ext),
        text,
    ))
}

fn render_page(site: &Site, e: &Entity, r: &Reference, page: &str) -> Result<OutputFile> {
    let at = Place {
        api: &e.entity_ref,
        urls: site.urls,
        page: Some(page),
    };
    let title = r
        .sections
        .iter()
        .filter(|s| s.page.as_deref() == Some(page))
        .map(|s| s.title.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let view = PageView {
        title: title.clone(),
        api_title: e.display_name().to_string(),
        back_href: at.page_href(None),
        api: PageApi {
            api_type: e.spec_str("type").unwrap_or("unknown").to_string(),
            reference: reference_view(r, at),
        },
    };
    let meta = PageMeta {
        title: format!("{} — {title}", e.display_name()),
        section: "catalog",
        description: None,
    };
    site.render(
        "api_reference_page.html",
        &urls::api_reference_dir(&e.entity_ref, page),
        meta,
        &[("e", to_value(&view))],
    )
}
