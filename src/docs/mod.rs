//! Docs stage (TechDocs): for every entity with docs, locate its folder, read mkdocs.yml,
//! collect pages and nav, render the Markdown (in parallel), rewrite and check links.
//! Output: one `DocSite` per documented entity, plus diagnostics.

pub mod links;
pub mod locate;
pub mod markdown;
pub mod mkdocs;
pub mod nav;
pub mod site;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::{Catalog, EntityRef};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::render::urls::Urls;
use crate::repos::Repos;
use links::{LinkIndex, Target};
use locate::DocsSource;
use nav::NavNode;
use site::{DocPage, PageOutput, Prepared};

/// A built docs site: one per documented entity.
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

/// Everything the docs stage produced.
#[derive(Default)]
pub struct Docs {
    pub sites: Vec<DocSite>,
    /// Entity key → index into `sites`.
    pub by_entity: HashMap<String, usize>,
    /// Entities showing another entity's docs (techdocs-entity): key → (site, inner path).
    pub borrowed: HashMap<String, (usize, Option<String>)>,
    /// Entities whose docs live outside the walked repositories: key → URL.
    pub external: HashMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
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

/// Builds the docs of every entity that declares them.
pub fn build_docs(config: &Config, catalog: &Catalog, repos: &Repos, urls: Urls) -> Docs {
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
    let outputs: Vec<(usize, usize, PageOutput)> = prepared
        .par_iter()
        .enumerate()
        .flat_map_iter(|(si, p)| (0..p.files.pages.len()).map(move |pi| (si, pi)))
        .map(|(si, pi)| {
            (
                si,
                pi,
                site::render_page(&prepared[si], si, pi, &index, urls),
            )
        })
        .collect();
    docs.sites = assemble(prepared, outputs, &index, &mut diags);
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
    docs.diagnostics = diags;
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
                site::prepare(entity, &title, dir, repo, &mut d).map(|(config, files, url)| {
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

/// Puts rendered pages back into their sites, checks anchors, reports broken links.
fn assemble(
    prepared: Vec<Prepared>,
    outputs: Vec<(usize, usize, PageOutput)>,
    index: &LinkIndex,
    diags: &mut Vec<Diagnostic>,
) -> Vec<DocSite> {
    let mut pages: Vec<Vec<Option<DocPage>>> = prepared
        .iter()
        .map(|p| vec![None; p.files.pages.len()])
        .collect();
    let mut checks = Vec::new();
    let mut unsupported: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (si, pi, out) in outputs {
        let src = out.page.src.clone();
        diags.extend(out.diagnostics);
        let mut broken = out.broken;
        broken.sort_by(|a, b| (a.line, &a.url, !a.is_image).cmp(&(b.line, &b.url, !b.is_image)));
        // `[![alt](x.png)](x.png)` names one missing file twice: report it once.
        broken.dedup_by(|a, b| a.line == b.line && a.url == b.url);
        for b in broken {
            let (code, what) = if b.is_image {
                (Code::MissingImage, "image or file")
            } else {
                (Code::BrokenLink, "page or file")
            };
            let d = Diagnostic::new(
                code,
                format!("link to \"{}\": no such {what} in the docs", b.url),
            )
            .at(&src, b.line, 1);
            diags.push(
                d.entity(prepared[si].entity.to_string())
                    .hint("relative links resolve against this page's own file"),
            );
        }
        for name in out.unsupported {
            unsupported.entry(name).or_insert_with(|| src.clone());
        }
        checks.extend(out.checks.into_iter().map(|c| (si, src.clone(), c)));
        pages[si][pi] = Some(out.page);
    }
    for (si, src, c) in checks {
        let target = pages[c.site][c.page].as_ref();
        if target.is_some_and(|t| !t.anchors.contains(&c.anchor)) {
            let page = &index.page_urls[c.site][c.page];
            let d = Diagnostic::new(
                Code::MissingAnchor,
                format!("anchor \"#{}\" is not on the page {page}", c.anchor),
            )
            .at(&src, c.line, 1);
            diags.push(
                d.entity(prepared[si].entity.to_string()).hint(
                    "heading ids follow MkDocs' slug rules; hover a heading's ¶ to see its id",
                ),
            );
        }
    }
    for (name, file) in unsupported {
        diags.push(
            Diagnostic::new(
                Code::UnsupportedConstruct,
                format!("{name} is not rendered by stagedoor; it stays readable as text"),
            )
            .in_file(&file),
        );
    }
    prepared
        .into_iter()
        .zip(pages)
        .map(|(p, pages)| finish_site(p, pages.into_iter().flatten().collect(), diags))
        .collect()
}

fn finish_site(p: Prepared, mut pages: Vec<DocPage>, diags: &mut Vec<Diagnostic>) -> DocSite {
    site::finish_titles(&p.files, &mut pages);
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
        entity: p.entity,
        title: p.config.site_name.clone(),
        description: p.config.site_description.clone(),
        url: p.url,
        pages,
        nav: p.files.nav,
        order,
        assets,
        redirects,
        repo_url: p.config.repo_url,
    }
}
