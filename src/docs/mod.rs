//! Docs stage (TechDocs): for every entity with docs, locate its folder, read mkdocs.yml,
//! collect pages and nav, render the Markdown (in parallel), rewrite and check links.
//! Output: one `DocSite` per documented entity, plus diagnostics.

pub mod active;
pub mod cache;
pub mod cache_pack;
pub mod links;
pub mod locate;
pub mod mkdocs;
pub mod nav;
pub mod packed;
pub mod site;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use std::sync::Arc;

use rayon::prelude::*;

use crate::catalog::{Catalog, EntityRef};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::repos::Repos;
use crate::urls::Urls;
use cache::{PageCache, SiteKeys};
use links::{LinkIndex, Target};
use locate::DocsSource;
use nav::NavNode;
use site::{DocPage, PageOutput, Prepared};

/// A built docs site: one per documented entity.
#[derive(Debug, PartialEq)]
pub struct DocSite {
    pub entity: EntityRef,
    pub title: String,
    pub description: Option<String>,
    /// Site-relative folder (`docs/default/component/x/`).
    pub url: String,
    pub pages: Vec<DocPage>,
    pub nav: Vec<NavNode>,
    /// Page indices in reading order (nav order, then pages the nav leaves out).
    pub order: Vec<usize>,
    /// Files copied as they are: (source, site-relative destination).
    pub assets: Vec<(PathBuf, String)>,
    /// mkdocs-redirects: (old site-relative page folder, new one).
    pub redirects: Vec<(String, String)>,
    pub repo_url: Option<String>,
}

/// Everything the docs stage produced, and what it needs to render one page again.
#[derive(Default)]
pub struct Docs {
    pub sites: Vec<DocSite>,
    /// Entity key → index into `sites`.
    pub by_entity: HashMap<String, usize>,
    /// Entities showing another entity's docs (techdocs-entity): key → (site, inner path).
    pub borrowed: HashMap<String, (usize, Option<String>)>,
    /// Entities whose docs live outside the walked repositories: key → URL.
    pub external: HashMap<String, String>,
    /// Every docs diagnostic, kept in step with the parts below.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages of this build taken from the page cache rather than rendered.
    pub cached_pages: usize,
    state: State,
}

/// What incremental re-rendering needs: the prepared sites, the link index, and each page's
/// own diagnostics, link checks and unsupported constructs.
#[derive(Default)]
struct State {
    prepared: Vec<Prepared>,
    index: LinkIndex,
    keys: SiteKeys,
    cache: Arc<PageCache>,
    urls: Urls,
    /// Locating docs, reading mkdocs.yml, building navs.
    site_diags: Vec<Diagnostic>,
    pages: HashMap<(usize, usize), PageState>,
    /// Canonical source file → the pages it is (several entities may share a folder).
    by_src: HashMap<PathBuf, Vec<(usize, usize)>>,
}

#[derive(Default)]
struct PageState {
    src: PathBuf,
    diagnostics: Vec<Diagnostic>,
    checks: Vec<links::PendingCheck>,
    unsupported: Vec<String>,
}

/// A page rendered again by `Docs::rerender`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageChange {
    pub site: usize,
    pub page: usize,
    /// The page's title changed, so every page of its site shows a new navigation.
    pub title_changed: bool,
}

impl Docs {
    /// The docs URL (site-relative) for an entity, its own or borrowed.
    pub fn url_for(&self, key: &str) -> Option<String> {
        if let Some(&i) = self.by_entity.get(key) {
            return Some(self.sites[i].url.clone());
        }
        let (site, path) = self.borrowed.get(key)?;
        let inner = path.as_deref().unwrap_or("").trim_start_matches('/');
        Some(format!("{}{inner}", self.sites[*site].url))
    }

    pub fn page_count(&self) -> usize {
        self.sites.iter().map(|s| s.pages.len()).sum()
    }

    /// Whether `path` is the source of a page already built (an edit that `rerender` handles).
    pub fn is_page_source(&self, path: &Path) -> bool {
        self.state.by_src.contains_key(&canonical(path))
    }

    /// Renders again every page built from `src` (after an edit), re-checks the anchors that
    /// point into them, and refreshes the diagnostics.
    pub fn rerender(&mut self, src: &Path) -> Vec<PageChange> {
        let targets = self
            .state
            .by_src
            .get(&canonical(src))
            .cloned()
            .unwrap_or_default();
        let mut changes = Vec::new();
        for (si, pi) in targets {
            let out = self.state.cache.render(
                &self.state.keys,
                &self.state.prepared,
                (si, pi),
                &self.state.index,
                self.state.urls,
            );
            let entity = self.sites[si].entity.to_string();
            let page = self.store(si, pi, out, &entity);
            let title_changed = self.sites[si].pages[pi].title != page.title;
            self.sites[si].pages[pi] = page;
            changes.push(PageChange {
                site: si,
                page: pi,
                title_changed,
            });
        }
        self.refresh_diagnostics();
        changes
    }

    /// Keeps a rendered page's diagnostics, checks and constructs; returns the page with its
    /// final title.
    fn store(&mut self, si: usize, pi: usize, out: PageOutput, entity: &str) -> DocPage {
        let mut page = out.page;
        let mut diagnostics = out.diagnostics;
        diagnostics.extend(broken_link_diagnostics(out.broken, &page.src, entity));
        let p = &self.state.prepared[si];
        page.title = site::page_title(&p.files, &site::nav_titles(&p.files.nav), pi, &page.title);
        let state = PageState {
            src: page.src.clone(),
            diagnostics,
            checks: out.checks,
            unsupported: out.unsupported,
        };
        self.state.pages.insert((si, pi), state);
        page
    }

    /// Rebuilds `diagnostics` from the sites' and pages' own, the anchor checks (against the
    /// pages as they are now) and the unsupported constructs (once each for the whole build).
    fn refresh_diagnostics(&mut self) {
        let mut diags = self.state.site_diags.clone();
        let mut unsupported: BTreeMap<&str, &Path> = BTreeMap::new();
        let mut keys: Vec<&(usize, usize)> = self.state.pages.keys().collect();
        keys.sort();
        for key in keys {
            let ps = &self.state.pages[key];
            diags.extend(ps.diagnostics.iter().cloned());
            for name in &ps.unsupported {
                unsupported.entry(name).or_insert(&ps.src);
            }
            for c in &ps.checks {
                let target = self.sites.get(c.site).and_then(|s| s.pages.get(c.page));
                if target.is_some_and(|t| !t.anchors.contains(&c.anchor)) {
                    let page = &self.state.index.page_urls[c.site][c.page];
                    let d = Diagnostic::new(
                        Code::MissingAnchor,
                        format!("anchor \"#{}\" is not on the page {page}", c.anchor),
                    )
                    .at(&ps.src, c.line, 1);
                    let hint =
                        "heading ids follow MkDocs' slug rules; hover a heading's ¶ to see its id";
                    diags.push(d.entity(self.sites[key.0].entity.to_string()).hint(hint));
                }
            }
        }
        for (name, file) in unsupported {
            diags.push(
                Diagnostic::new(
                    Code::UnsupportedConstruct,
                    format!("{name} is not rendered by stagedoor; it stays readable as text"),
                )
                .in_file(file),
            );
        }
        self.diagnostics = diags;
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// `[![alt](x.png)](x.png)` names one missing file twice: it is reported once.
fn broken_link_diagnostics(
    mut broken: Vec<links::Broken>,
    src: &Path,
    entity: &str,
) -> Vec<Diagnostic> {
    broken.sort_by(|a, b| (a.line, &a.url, !a.is_image).cmp(&(b.line, &b.url, !b.is_image)));
    broken.dedup_by(|a, b| a.line == b.line && a.url == b.url);
    broken
        .into_iter()
        .map(|b| {
            let (code, what) = if b.is_image {
                (Code::MissingImage, "image or file")
            } else {
                (Code::BrokenLink, "page or file")
            };
            Diagnostic::new(
                code,
                format!("link to \"{}\": no such {what} in the docs", b.url),
            )
            .at(src, b.line, 1)
            .entity(entity)
            .hint("relative links resolve against this page's own file")
        })
        .collect()
}

/// A path segment from a title (`Payments API` → `payments-api`), for monorepo includes.
pub fn slug_segment(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "docs".to_string()
    } else {
        out
    }
}

/// Builds the docs of every entity that declares them. Pages come from `cache` when nothing
/// they depend on changed.
pub fn build_docs(
    config: &Config,
    catalog: &Catalog,
    repos: &Repos,
    urls: Urls,
    cache: Arc<PageCache>,
) -> Docs {
    let mut diags = Vec::new();
    let sources = locate::locate_docs(catalog, repos, &mut diags);
    let mut docs = Docs::default();
    let mut local = Vec::new();
    for (entity, source) in sources {
        match source {
            DocsSource::Local { dir, repo, trusted } => local.push((entity, dir, repo, trusted)),
            DocsSource::External { url } => {
                docs.external.insert(entity.key(), url);
            }
            DocsSource::Borrowed { .. } => {}
        }
    }
    let prepared = prepare_all(&local, catalog, repos, &mut diags);
    let index = link_index(&prepared, config);
    let keys = SiteKeys::new(&prepared, config.base_url.as_deref(), urls);
    let outputs: Vec<(usize, usize, PageOutput)> = prepared
        .par_iter()
        .enumerate()
        .flat_map_iter(|(si, p)| (0..p.files.pages.len()).map(move |pi| (si, pi)))
        .map(|(si, pi)| {
            (
                si,
                pi,
                cache.render(&keys, &prepared, (si, pi), &index, urls),
            )
        })
        .collect();
    docs.cached_pages = cache.retain_used();
    docs.state = State {
        prepared,
        index,
        keys,
        cache,
        urls,
        site_diags: diags,
        pages: HashMap::new(),
        by_src: HashMap::new(),
    };
    let mut pages: Vec<Vec<Option<DocPage>>> = docs
        .state
        .prepared
        .iter()
        .map(|p| vec![None; p.files.pages.len()])
        .collect();
    for (si, pi, out) in outputs {
        let entity = docs.state.prepared[si].entity.to_string();
        let page = docs.store(si, pi, out, &entity);
        docs.state
            .by_src
            .entry(canonical(&page.src))
            .or_default()
            .push((si, pi));
        pages[si][pi] = Some(page);
    }
    let mut site_diags = Vec::new();
    docs.sites = docs
        .state
        .prepared
        .iter()
        .zip(pages)
        .map(|(p, pages)| finish_site(p, pages.into_iter().flatten().collect(), &mut site_diags))
        .collect();
    docs.state.site_diags.extend(site_diags);
    docs.by_entity = docs
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.entity.key(), i))
        .collect();
    for e in &catalog.entities {
        if let Some(target) = e.annotation(locate::TECHDOCS_ENTITY) {
            let r = EntityRef::parse(target, None, e.namespace()).ok();
            if let Some(&site) = r.and_then(|r| docs.by_entity.get(&r.key())) {
                let path = e
                    .annotation("backstage.io/techdocs-entity-path")
                    .map(str::to_string);
                docs.borrowed.insert(e.entity_ref.key(), (site, path));
            }
        }
    }
    docs.refresh_diagnostics();
    docs
}

fn prepare_all(
    local: &[(EntityRef, PathBuf, PathBuf, bool)],
    catalog: &Catalog,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Prepared> {
    let results: Vec<(Option<Prepared>, Vec<Diagnostic>)> = local
        .par_iter()
        .map(|(entity, dir, repo, trusted)| {
            let mut d = Vec::new();
            let title = catalog
                .get(entity)
                .map_or(entity.name.clone(), |e| e.display_name().to_string());
            let prepared =
                site::prepare(entity, &title, dir, repo, &mut d).map(|(config, mut files, url)| {
                    if !*trusted {
                        active::withhold_active(&mut files.assets, &mut d);
                    }
                    Prepared {
                        entity: entity.clone(),
                        config,
                        files,
                        url,
                        repo: repo.clone(),
                        trusted: *trusted,
                        repo_web: repos.repo_url_of(&dir.join("mkdocs.yml")),
                    }
                });
            let d = d
                .into_iter()
                .map(|x| x.entity(entity.to_string()))
                .collect();
            (prepared, d)
        })
        .collect();
    let mut out = Vec::new();
    for (p, d) in results {
        diags.extend(d);
        out.extend(p);
    }
    out
}

fn link_index(prepared: &[Prepared], config: &Config) -> LinkIndex {
    let mut index = LinkIndex {
        base_url: config.base_url.clone(),
        ..Default::default()
    };
    for (si, p) in prepared.iter().enumerate() {
        index
            .sites_by_entity
            .insert(p.entity.key(), (si, p.url.clone()));
        index.page_urls.push(
            p.files
                .pages
                .iter()
                .map(|f| format!("{}{}", p.url, f.url))
                .collect(),
        );
        index.built_urls.extend(
            p.files
                .pages
                .iter()
                .chain(&p.files.assets)
                .map(|f| format!("{}{}", p.url, f.url)),
        );
        index.page_by_rel.push(
            p.files
                .pages
                .iter()
                .enumerate()
                .map(|(i, f)| (f.rel.clone(), i))
                .collect(),
        );
        for (pi, f) in p.files.pages.iter().enumerate() {
            let key = f.src.canonicalize().unwrap_or_else(|_| f.src.clone());
            index
                .by_src
                .entry(key)
                .or_default()
                .push(Target::Page { site: si, page: pi });
        }
        for a in &p.files.assets {
            let key = a.src.canonicalize().unwrap_or_else(|_| a.src.clone());
            index.by_src.entry(key).or_default().push(Target::Asset {
                url: format!("{}{}", p.url, a.url),
            });
        }
    }
    index
}

fn finish_site(p: &Prepared, pages: Vec<DocPage>, diags: &mut Vec<Diagnostic>) -> DocSite {
    let mut order = nav::pages_in_order(&p.files.nav);
    let listed: std::collections::HashSet<usize> = order.iter().copied().collect();
    let unlisted: Vec<usize> = (0..pages.len()).filter(|i| !listed.contains(i)).collect();
    if p.config.nav.is_some() {
        let shown: Vec<&str> = unlisted
            .iter()
            .filter(|&&i| !p.files.hidden.contains(&pages[i].rel) && !p.files.pages[i].synthetic)
            .map(|&i| pages[i].rel.as_str())
            .collect();
        if !shown.is_empty() {
            let file = p.config.file.clone().unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::PageNotInNav,
                    format!("pages not in nav (built anyway): {}", shown.join(", ")),
                )
                .in_file(&file)
                .entity(p.entity.to_string()),
            );
        }
    }
    // The home page leads, even when an explicit nav leaves it out.
    let (home, rest): (Vec<usize>, Vec<usize>) = unlisted
        .into_iter()
        .partition(|&i| p.files.pages[i].url.is_empty());
    order.splice(0..0, home);
    order.extend(rest);
    let assets = p
        .files
        .assets
        .iter()
        .map(|a| (a.src.clone(), format!("{}{}", p.url, a.url)))
        .collect();
    let redirects = p
        .config
        .redirects
        .iter()
        .filter_map(|(from, to)| {
            let target = p.files.pages.iter().find(|f| f.rel == *to)?;
            Some((
                format!("{}{}", p.url, nav::page_url(from)),
                format!("{}{}", p.url, target.url),
            ))
        })
        .collect();
    DocSite {
        entity: p.entity.clone(),
        title: p.config.site_name.clone(),
        description: p.config.site_description.clone(),
        url: p.url.clone(),
        pages,
        nav: p.files.nav.clone(),
        order,
        assets,
        redirects,
        repo_url: p.config.repo_url.clone(),
    }
}
