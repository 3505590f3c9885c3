//! Render stage: the model → pages, through the theme's minijinja templates. Each page kind
//! has its own module building the view it needs; pages render in parallel.

pub mod api;
pub mod api_reference;
pub mod badges;
pub mod catalog_page;
pub mod docs_nav;
pub mod docs_pages;
pub mod entity;
pub mod home;
pub mod problems;
pub mod radar_page;
pub mod scorecards_page;
pub mod site_files;
pub mod template_form;
pub mod views;

use std::collections::HashSet;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::docs::Docs;
use crate::output::OutputFile;
use crate::radar::Radars;
use crate::theme::Theme;
use crate::urls::{self, Urls, root_prefix};

/// A serialisable view as a template value.
pub fn to_value<T: Serialize>(view: T) -> Value {
    Value::from(minijinja::value::Serde(view))
}

/// Everything the render stage reads.
pub struct Site<'a> {
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    pub diagnostics: &'a [Diagnostic],
    pub docs: &'a Docs,
    pub radars: &'a Radars,
    pub api_refs: &'a crate::apiref::ApiRefs,
    pub scores: &'a crate::scorecard::Scores,
    pub theme: &'a Theme,
    pub urls: Urls,
}

/// What frames every page: the site's settings (title, base URL, the radars in the main
/// nav), the theme and the URL style. A docs page needs only this and the catalog, so a build
/// draws docs pages while the docs stage still runs.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub urls: Urls,
}

#[derive(Serialize)]
struct NavItem {
    id: &'static str,
    title: &'static str,
    href: String,
}

#[derive(Serialize)]
struct Nav {
    home: String,
    catalog: String,
    /// The API explorer.
    apis: String,
    docs: String,
    search: String,
    problems: String,
    radar: Option<String>,
    items: Vec<NavItem>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    asset_version: &'a str,
    base_url: Option<&'a str>,
    canonical: Option<String>,
}

#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    /// Which main-nav entry is current (`catalog`, `docs`, …).
    pub section: &'static str,
    pub description: Option<String>,
}

impl Site<'_> {
    pub fn frame(&self) -> Frame<'_> {
        Frame {
            config: self.config,
            theme: self.theme,
            urls: self.urls,
        }
    }

    /// Renders `template` into the page at `path` (`Frame::render`).
    pub fn render(
        &self,
        template: &str,
        path: &str,
        meta: PageMeta,
        extra: &[(&str, Value)],
    ) -> Result<OutputFile> {
        self.frame().render(template, path, meta, extra)
    }
}

impl Frame<'_> {
    /// The main nav as a template value, made once for each of the four kinds of site
    /// `main_nav` tells apart, not once a page.
    fn nav_value(&self) -> Value {
        static NAVS: [OnceLock<Value>; 4] = [const { OnceLock::new() }; 4];
        let (urls, has_radar) = (self.urls, !self.config.radars.is_empty());
        // Spelt out whole, so a field added to `Urls` does not go unseen here.
        let Urls { directory_urls } = urls;
        let which = 2 * usize::from(directory_urls) + usize::from(has_radar);
        NAVS[which]
            .get_or_init(|| to_value(main_nav(urls, has_radar)))
            .clone()
    }

    /// Renders `template` into the page at `path` (a site-relative folder or file), with
    /// the shared context plus `extra` (name, value) pairs.
    pub fn render(
        &self,
        template: &str,
        path: &str,
        meta: PageMeta,
        extra: &[(&str, Value)],
    ) -> Result<OutputFile> {
        self.render_sized(template, path, meta, extra, 0)
    }

    /// `render`, into a buffer of `size` bytes made at once (0: the template's own guess): a
    /// page that prints a large value (a docs page's body) is then not copied each time its
    /// buffer would have grown.
    pub fn render_sized(
        &self,
        template: &str,
        path: &str,
        meta: PageMeta,
        extra: &[(&str, Value)],
        size: usize,
    ) -> Result<OutputFile> {
        let file = Urls::file_for(path);
        let canonical = self
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{}/{}", b.trim_end_matches('/'), path));
        let site = SiteView {
            title: &self.config.title,
            asset_version: &self.theme.asset_version,
            base_url: self.config.base_url.as_deref(),
            canonical,
        };
        let mut ctx: Vec<(&str, Value)> = vec![
            ("site", to_value(&site)),
            ("nav", self.nav_value()),
            ("root", Value::from(root_prefix(&file))),
            ("page", to_value(&meta)),
        ];
        ctx.extend(extra.iter().cloned());
        let ctx: Value = ctx
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into();
        let rendered = self.theme.env.get_template(template).and_then(|t| {
            if size == 0 {
                return t.render(ctx).map(String::into_bytes);
            }
            let mut html = Vec::with_capacity(size);
            t.render_captured_to(ctx, &mut html).map(|_| html)
        });
        let html =
            rendered.with_context(|| format!("rendering {file} with template {template}"))?;
        Ok(OutputFile::bytes(file, html))
    }
}

/// Which docs sites' pages to render (`serve` renders again only those that changed).
#[derive(Clone, Copy)]
pub enum DocsSites<'a> {
    All,
    /// None: a build drew them in the docs stage (`docs::Bodies::Draw`).
    None,
    Only(&'a HashSet<usize>),
}

impl DocsSites<'_> {
    pub fn contains(&self, site: usize) -> bool {
        match self {
            DocsSites::All => true,
            DocsSites::None => false,
            DocsSites::Only(set) => set.contains(&site),
        }
    }
}

/// Where rendered files go as soon as a batch is ready, so a large site is never held in
/// memory whole (`build` writes them into the staging folder).
pub trait Sink: Sync {
    fn put(&self, files: Vec<OutputFile>) -> Result<()>;
}

/// A sink that keeps everything (`serve`, tests).
impl Sink for std::sync::Mutex<Vec<OutputFile>> {
    fn put(&self, files: Vec<OutputFile>) -> Result<()> {
        self.lock()
            .map_err(|_| anyhow::anyhow!("render sink poisoned"))?
            .extend(files);
        Ok(())
    }
}

/// Entity pages are rendered and handed on in batches of this many.
const ENTITY_BATCH: usize = 256;

/// Renders every page of the catalog portal.
pub fn render_site(site: &Site) -> Result<Vec<OutputFile>> {
    render_site_with(site, DocsSites::All)
}

/// Renders every page, but docs pages only of the `docs` sites chosen.
pub fn render_site_with(site: &Site, docs: DocsSites) -> Result<Vec<OutputFile>> {
    let sink = std::sync::Mutex::new(Vec::new());
    render_site_to(site, docs, &sink)?;
    sink.into_inner()
        .map_err(|_| anyhow::anyhow!("render sink poisoned"))
}

/// Renders every page (docs pages of the chosen sites) into `sink`, batch by batch.
pub fn render_site_to(site: &Site, docs: DocsSites, sink: &dyn Sink) -> Result<()> {
    let mut index = entity::EntityIndex::new(
        site.catalog,
        site.docs,
        site.urls,
        &site.config.site_dir,
        site.diagnostics,
    );
    index.bundles = site.config.bundle_checkouts.as_deref();
    index.radar_uses = radar_page::entity_radar_uses(site);
    index.api_refs = Some(site.api_refs);
    index.base_url = site.config.base_url.as_deref();
    index.graph = site.config.graph;
    index.markup = site.theme.markup;
    index.scores = Some(site.scores);
    // Entity batches and the portal's other pages share the threads: the catalog page or
    // catalog.json alone takes a while, and must not be left to one thread at the end.
    let entities = || {
        (site.catalog.entities.par_chunks(ENTITY_BATCH))
            .with_max_len(1)
            .try_for_each(|batch| sink.put(entity_files(site, &index, batch)?))
    };
    let others = || {
        (PORTAL_PAGES.par_iter())
            .with_max_len(1)
            .try_for_each(|make| sink.put(make(site)?))
    };
    let (entities, others) = rayon::join(entities, others);
    entities?;
    others?;
    docs_pages::render_docs(site, site.docs, docs, sink)
}

/// An entity's pages: its own, its API reference's and its badges.
fn entity_files(
    site: &Site,
    index: &entity::EntityIndex,
    batch: &[crate::catalog::Entity],
) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for e in batch {
        let view = entity::entity_view(e, index);
        let meta = PageMeta {
            title: view.title.clone(),
            section: "catalog",
            description: view.description.clone(),
        };
        files.push(site.render(
            "entity.html",
            &urls::entity_dir(&e.entity_ref),
            meta,
            &[("e", to_value(&view))],
        )?);
        if let Some(r) = site.api_refs.get(&e.entity_ref.key()) {
            files.extend(api_reference::render_split_pages(site, e, r)?);
        }
        let has_docs = site.docs.url_for(&e.entity_ref.key()).is_some();
        let score = crate::badge::score_of(site.scores, e);
        files.extend(crate::badge::entity_badge_files(e, has_docs, score));
    }
    Ok(files)
}

/// The main nav: what it holds depends on the URL style and whether there is a radar, and
/// on nothing else (`Frame::nav_value` keeps one per pair).
fn main_nav(u: Urls, has_radar: bool) -> Nav {
    let radar = has_radar.then(|| u.href("radar/"));
    let mut items = vec![
        NavItem {
            id: "catalog",
            title: "Catalog",
            href: u.href("catalog/"),
        },
        NavItem {
            id: "apis",
            title: "APIs",
            href: u.href(crate::urls::APIS_DIR),
        },
        NavItem {
            id: "docs",
            title: "Docs",
            href: u.href("docs/"),
        },
        NavItem {
            id: "scorecards",
            title: "Scorecards",
            href: u.href("scorecards/"),
        },
    ];
    if let Some(r) = &radar {
        items.push(NavItem {
            id: "radar",
            title: "Radar",
            href: r.clone(),
        });
    }
    Nav {
        home: u.href(""),
        catalog: u.href("catalog/"),
        apis: u.href(crate::urls::APIS_DIR),
        docs: u.href("docs/"),
        search: u.href("search/"),
        problems: u.href("catalog/problems/"),
        radar,
        items,
    }
}

type MakePages = fn(&Site) -> Result<Vec<OutputFile>>;

/// The portal's pages besides the entities' and the docs sites', each made on its own.
const PORTAL_PAGES: &[MakePages] = &[
    |site| Ok(vec![home::render_home(site)?]),
    |site| Ok(vec![search_page(site)?]),
    |site| Ok(vec![catalog_page::render_catalog(site)?]),
    |site| Ok(vec![catalog_page::render_apis(site)?]),
    |site| Ok(vec![problems::render_problems(site)?]),
    |site| Ok(vec![scorecards_page::render_scorecards(site)?]),
    radar_page::render_radars,
    |site| Ok(vec![site_files::catalog_json(site)?]),
    site_files::render_site_files,
];

fn search_page(site: &Site) -> Result<OutputFile> {
    let meta = PageMeta {
        title: "Search".into(),
        section: "search",
        description: None,
    };
    site.render("search.html", "search/", meta, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The main nav is made once per URL style and radar, and every mix of the two, met in
    /// any order in one process (a test run, `serve`), still gets its own.
    #[test]
    fn each_kind_of_site_gets_its_own_main_nav() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = crate::config::load_config(dir.path(), &Default::default()).unwrap();
        let theme = crate::theme::load_theme(None).unwrap();
        let radar = crate::config::RadarConfig {
            id: "tech".into(),
            title: "Tech".into(),
            file: dir.path().join("tech.csv"),
            quadrants: Vec::new(),
            rings: Vec::new(),
            line: 1,
        };
        for _ in 0..2 {
            for directory_urls in [true, false] {
                for radars in [vec![], vec![radar.clone()]] {
                    let config = Config {
                        radars,
                        ..loaded.config.clone()
                    };
                    let urls = Urls { directory_urls };
                    let frame = Frame {
                        config: &config,
                        theme: &theme,
                        urls,
                    };
                    let nav = frame.nav_value();
                    assert_eq!(nav, to_value(main_nav(urls, !config.radars.is_empty())));
                    let radar_href = nav.get_attr("radar").unwrap();
                    assert_eq!(radar_href.is_none(), config.radars.is_empty());
                    let docs = nav.get_attr("docs").unwrap().to_string();
                    assert_eq!(docs, urls.href("docs/"));
                }
            }
        }
    }
}
