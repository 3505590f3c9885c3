//! Docs stage (TechDocs), in two steps: `plan_docs` locates every documented entity's folder,
//! reads mkdocs.yml and collects pages and nav (a `DocsPlan`); `render_docs` renders every
//! page with the Markdown engine (in parallel, through the page cache), rewriting and
//! checking links. Output: one `DocSite` per documented entity, plus diagnostics, as plain
//! data. `serve` keeps the plan and renders one page again with `render_page`. Each site
//! also gets its pages' last-commit dates from git (`git_dates`, one `git log` per repository).

pub mod active;
mod git_dates;
use git_dates::DatesAhead;
pub use git_dates::file_dates;
pub mod links;
pub mod locate;
pub mod mkdocs;
pub mod nav;
pub mod render;
pub mod site;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::cache::pages::PageCache;
use crate::catalog::{Catalog, EntityKey, EntityRef};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::highlight::Markup;
use crate::readahead;
use crate::repos::Repos;
use crate::urls::Urls;
use links::{LinkIndex, SourceKey, Target};
use locate::DocsSource;
use nav::NavNode;
use render::SiteKeys;
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
    /// Heading levels "on this page" lists (mkdocs.yml `toc_depth`).
    pub toc_levels: (u8, u8),
    /// Per page: the date (`YYYY-MM-DD`) of the last commit that touched its file, when the
    /// repository is a git checkout.
    pub updated: Vec<Option<String>>,
}

/// What pages are rendered for: a site (code highlighted, pages cached), or `check`, which
/// reads them only for their diagnostics and so skips highlighting, most of the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Site,
    Check,
}

/// One page of one docs site: an index into `Docs::sites` and one into that site's `pages`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct PageId {
    pub site: usize,
    pub page: usize,
}

/// What the docs stage knows before any page renders: every documented entity's site as
/// prepared (config, files, nav), the link index pages resolve against and the sites' cache
/// keys. `serve` keeps it to render one page again after an edit.
pub struct DocsPlan {
    pub prepared: Vec<Prepared>,
    pub index: LinkIndex,
    /// Made when first asked for: a build without a cache never hashes for one.
    keys: OnceLock<SiteKeys>,
    base_url: Option<String>,
    pub urls: Urls,
    /// Where PlantUML blocks are drawn (stagedoor.yaml `plantuml`).
    pub plantuml: Option<crate::config::PlantUml>,
    /// How highlighted code is marked up (the theme's choice).
    pub markup: Markup,
    /// Entities whose docs live outside the walked repositories: key → URL.
    pub external: HashMap<EntityKey, String>,
    /// Locating docs and reading mkdocs.yml.
    pub diagnostics: Vec<Diagnostic>,
    /// Repositories that are no checkouts (bundled) → the dates recorded for their files.
    pub recorded_dates: HashMap<PathBuf, BTreeMap<String, String>>,
}

impl DocsPlan {
    /// The sites' page cache keys.
    pub fn keys(&self) -> &SiteKeys {
        self.keys.get_or_init(|| {
            SiteKeys::new(
                &self.prepared,
                self.base_url.as_deref(),
                self.urls,
                (self.plantuml.as_ref(), self.markup),
            )
        })
    }

    /// The pages built from source file `src` (several entities may share a docs folder),
    /// from the link index, which knows every page by its canonical source path.
    pub fn pages_built_from(&self, src: &Path) -> Vec<PageId> {
        let key = src.canonicalize().unwrap_or_else(|_| src.to_path_buf());
        let targets = self.index.by_src.get(&key).map_or(&[][..], Vec::as_slice);
        (targets.iter())
            .filter_map(|t| match t {
                Target::Page(id) => Some(*id),
                _ => None,
            })
            .collect()
    }
}

/// What rendering one page said besides the page: its diagnostics, the anchors it links to
/// on other pages (checked once every page is known) and the constructs left as text.
#[derive(Clone, Debug, Default)]
pub struct PageReport {
    pub src: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub checks: Vec<links::PendingCheck>,
    pub unsupported: Vec<String>,
}

/// The docs of every documented entity, rendered.
#[derive(Default)]
pub struct Docs {
    pub sites: Vec<DocSite>,
    /// Entity key → index into `sites`.
    pub by_entity: HashMap<EntityKey, usize>,
    /// Entities showing another entity's docs (techdocs-entity): key → (site, inner path).
    pub borrowed: HashMap<EntityKey, (usize, Option<String>)>,
    /// Entities whose docs live outside the walked repositories: key → URL.
    pub external: HashMap<EntityKey, String>,
    /// Per site, per page: what rendering the page reported.
    pub reports: Vec<Vec<PageReport>>,
    /// Locating docs, reading mkdocs.yml, finishing sites (pages left out of the nav).
    pub site_diagnostics: Vec<Diagnostic>,
    /// Every docs diagnostic: `site_diagnostics`, the pages' own and the anchor checks
    /// (`collect_diagnostics`).
    pub diagnostics: Vec<Diagnostic>,
    /// Pages of this build taken from the page cache rather than rendered.
    pub cached_pages: usize,
}

impl Docs {
    /// The docs URL (site-relative) for an entity, its own or borrowed.
    pub fn url_for(&self, key: &EntityKey) -> Option<String> {
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

/// A page's search sections, packed if they are kept.
pub type PageSections = crate::cache::packed::PackedValue<Vec<crate::markdown::Section>>;

impl DocSite {
    /// Its pages' search sections (by page), moved out of the pages: a build indexes them as
    /// soon as the site is drawn.
    pub fn take_sections(&mut self) -> Vec<PageSections> {
        (self.pages.iter_mut())
            .map(|p| std::mem::take(&mut p.sections))
            .collect()
    }

    /// Lets go what only drawing and indexing the pages read (a build, once the site is
    /// drawn). What the later stages read of a page is kept: its URL (the sitemap, anchor
    /// messages), its anchors (the anchor checks) and whether it draws Mermaid (the site's
    /// scripts). `serve` keeps everything.
    pub fn forget_drawn(&mut self) {
        for page in &mut self.pages {
            page.html = Default::default();
            page.headings = Vec::new();
            page.title = String::new();
            page.rel = String::new();
            page.src = PathBuf::new();
            page.edit_url = None;
            page.description = None;
        }
    }
}

/// Renders one page (from the cache where nothing it depends on changed): the page with its
/// final title, and its report.
pub fn render_page(
    plan: &DocsPlan,
    cache: &PageCache,
    id: PageId,
    purpose: Purpose,
) -> (DocPage, PageReport) {
    let out: PageOutput = render::render_page(cache, plan, id, purpose);
    let p = &plan.prepared[id.site];
    let mut page = out.page;
    let mut diagnostics = out.diagnostics;
    diagnostics.extend(broken_link_diagnostics(
        out.broken,
        &page.src,
        &p.entity.to_string(),
    ));
    page.title = site::page_title(
        &p.files,
        &site::nav_titles(&p.files.nav),
        id.page,
        &page.title,
    );
    let report = PageReport {
        src: page.src.clone(),
        diagnostics,
        checks: out.checks,
        unsupported: out.unsupported,
    };
    (page, report)
}

/// Every docs diagnostic, from the sites', the pages' own, the anchor checks (against the
/// pages as they are now) and the unsupported constructs (once each for the whole build).
pub fn collect_diagnostics(docs: &Docs) -> Vec<Diagnostic> {
    let mut diags = docs.site_diagnostics.clone();
    let mut unsupported: BTreeMap<&str, &Path> = BTreeMap::new();
    for (si, reports) in docs.reports.iter().enumerate() {
        for report in reports {
            diags.extend(report.diagnostics.iter().cloned());
            for name in &report.unsupported {
                unsupported.entry(name).or_insert(&report.src);
            }
            for c in &report.checks {
                let target =
                    (docs.sites.get(c.target.site)).and_then(|s| s.pages.get(c.target.page));
                if let Some(t) = target.filter(|t| !t.anchors.contains(&c.anchor)) {
                    let d = Diagnostic::new(
                        Code::MissingAnchor,
                        format!("anchor \"#{}\" is not on the page {}", c.anchor, t.url),
                    )
                    .at(&report.src, c.line, 1);
                    let hint =
                        "heading ids follow MkDocs' slug rules; hover a heading's ¶ to see its id";
                    diags.push(d.entity(docs.sites[si].entity.to_string()).hint(hint));
                }
            }
        }
    }
    for (name, file) in unsupported {
        let message = if name == "plantuml" {
            // Unlike the other constructs, this one is a setting away from being drawn.
            "PlantUML blocks are shown as code: they need a renderer; set `plantuml: { server: \
             https://… }` (or `command: plantuml -tsvg -pipe`) in stagedoor.yaml to draw them"
                .to_string()
        } else {
            format!("{name} is not rendered by stagedoor; it stays readable as text")
        };
        diags.push(Diagnostic::new(Code::UnsupportedConstruct, message).in_file(file));
    }
    diags
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
            if let Some(why) = &b.withheld {
                return Diagnostic::new(
                    Code::ActiveAsset,
                    format!("link to \"{}\": the file is shown only as an image and not published, as {why}", b.url),
                )
                .at(src, b.line, 1)
                .entity(entity)
                .hint("show it with ![](…) or <img>, where it cannot run, or mark the root `trusted: true`");
            }
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
            .hint(if b.url.starts_with('/') {
                "a path starting with / is looked up in the docs folder (as MkDocs' absolute_links: relative_to_docs does), and nothing is there; on the portal it would lead to the portal's root"
            } else {
                "relative links resolve against this page's own file"
            })
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

/// Locates and prepares the docs of every entity that declares them: everything but the
/// pages' own rendering.
pub fn plan_docs(config: &Config, catalog: &Catalog, repos: &Repos, urls: Urls) -> DocsPlan {
    let mut diagnostics = Vec::new();
    let sources = locate::locate_docs(catalog, repos, &mut diagnostics);
    let mut external = HashMap::new();
    let mut local = Vec::new();
    for (entity, source) in sources {
        match source {
            DocsSource::Local { dir, repo, trusted } => local.push((entity, dir, repo, trusted)),
            DocsSource::External { url } => {
                external.insert(entity.key(), url);
            }
            DocsSource::Borrowed { .. } => {}
        }
    }
    let prepared = prepare_all(&local, catalog, repos, &mut diagnostics);
    let index = link_index(&prepared, config);
    let markup = Markup::for_theme(config.theme_dir.as_deref());
    DocsPlan {
        prepared,
        index,
        keys: OnceLock::new(),
        base_url: config.base_url.clone(),
        urls,
        plantuml: config.plantuml.clone(),
        markup,
        external,
        diagnostics,
        recorded_dates: (config.roots.iter())
            .filter_map(|r| Some((r.path.clone(), r.recorded.as_ref()?.dates.clone())))
            .collect(),
    }
}

/// A docs site of more pages than this keeps each page's body packed (LZ4) from when it is
/// rendered until the site is drawn. Every page's nav shows every title, final only once all
/// the site's pages are rendered, so a site's pages all wait for its last: a single site of
/// 20,000 long pages held 1.5 GB of them plain. Smaller sites wait too briefly to pay for
/// it. (Packing the search sections too was slower and no smaller: they are unpacked into
/// the index's documents all at once.)
const PACK_SITES_OVER: usize = 1000;

/// What happens to each docs site once its pages are rendered.
#[derive(Clone, Copy)]
pub enum Bodies<'a> {
    /// Kept in the model, the page bodies and search sections packed (`serve` draws pages
    /// from it again and indexes it whole).
    Keep,
    /// Handed at once to the function (with the site's number), which draws its pages and
    /// may take their search sections; kept without its page bodies: no page's HTML waits in
    /// memory for the rest of the docs. Sites are handed over about in order (see
    /// `parallel::map_in_order`).
    Draw(&'a (dyn Fn(&Catalog, usize, &mut DocSite) + Sync)),
}

/// Renders every page of a plan, in parallel (from `cache` where nothing a page depends on
/// changed), and finishes each site as soon as its pages are rendered (see `Bodies`).
pub fn render_docs(
    plan: &DocsPlan,
    catalog: &Catalog,
    cache: &PageCache,
    purpose: Purpose,
    bodies: Bodies,
) -> Docs {
    // `check` publishes nothing, so it asks git nothing.
    let finished = std::thread::scope(|scope| {
        let dates = match purpose {
            Purpose::Site => DatesAhead::ask(scope, &plan.prepared, &plan.recorded_dates),
            Purpose::Check => DatesAhead::none(),
        };
        render_sites(plan, catalog, cache, purpose, bodies, &dates)
    });
    let cached_pages = cache.retain_used();
    // Every page is rendered: the threads' memos of highlighted lines (tens of MB each) go
    // before the later stages allocate theirs.
    rayon::broadcast(|_| crate::highlight::clear_line_memo());
    let mut site_diagnostics = plan.diagnostics.clone();
    let mut reports = Vec::with_capacity(finished.len());
    let mut sites = Vec::with_capacity(finished.len());
    for (site, site_reports, diags) in finished {
        sites.push(site);
        reports.push(site_reports);
        site_diagnostics.extend(diags);
    }
    let by_entity: HashMap<EntityKey, usize> = (sites.iter().enumerate())
        .map(|(i, s)| (s.entity.key(), i))
        .collect();
    let borrowed = borrowed_docs(catalog, &by_entity);
    let mut docs = Docs {
        sites,
        by_entity,
        borrowed,
        external: plan.external.clone(),
        reports,
        site_diagnostics,
        diagnostics: Vec::new(),
        cached_pages,
    };
    docs.diagnostics = collect_diagnostics(&docs);
    docs
}

/// Renders each site's pages and finishes the site (dated, then kept or drawn: `Bodies`),
/// sites about in order.
fn render_sites(
    plan: &DocsPlan,
    catalog: &Catalog,
    cache: &PageCache,
    purpose: Purpose,
    bodies: Bodies,
    dates: &DatesAhead,
) -> Vec<(DocSite, Vec<PageReport>, Vec<Diagnostic>)> {
    let sites: Vec<&Prepared> = plan.prepared.iter().collect();
    // The sources are read ahead of the sites being drawn (see `readahead`).
    let sources = |si: usize| -> Vec<&Path> {
        let pages = &plan.prepared[si].files.pages;
        pages.iter().map(|f| f.src.as_path()).collect()
    };
    readahead::while_working(sites.len(), sources, |ahead| {
        crate::parallel::map_in_order(sites, |si, p| {
            ahead.reached(si);
            let large = p.files.pages.len() > PACK_SITES_OVER;
            let (pages, reports): (Vec<DocPage>, Vec<PageReport>) = (0..p.files.pages.len())
                .into_par_iter()
                .map(|page| {
                    let (mut page, report) =
                        render_page(plan, cache, PageId { site: si, page }, purpose);
                    if large {
                        page.html.pack();
                    }
                    (page, report)
                })
                .unzip();
            let mut diags = Vec::new();
            let mut site = finish_site(p, pages, dates.of_site(si), &mut diags);
            match bodies {
                Bodies::Keep => {
                    for page in &mut site.pages {
                        page.html.pack();
                        page.sections.pack();
                    }
                }
                Bodies::Draw(draw) => {
                    draw(catalog, si, &mut site);
                    site.forget_drawn();
                }
            }
            (site, reports, diags)
        })
    })
}

/// Entities that show another entity's docs (`backstage.io/techdocs-entity`).
fn borrowed_docs(
    catalog: &Catalog,
    by_entity: &HashMap<EntityKey, usize>,
) -> HashMap<EntityKey, (usize, Option<String>)> {
    let mut borrowed = HashMap::new();
    for e in &catalog.entities {
        if let Some(target) = e.annotation(locate::TECHDOCS_ENTITY) {
            let r = EntityRef::parse(target, None, e.namespace()).ok();
            if let Some(&site) = r.and_then(|r| by_entity.get(&r.key())) {
                let path = e
                    .annotation("backstage.io/techdocs-entity-path")
                    .map(str::to_string);
                borrowed.insert(e.entity_ref.key(), (site, path));
            }
        }
    }
    borrowed
}

fn prepare_all(
    local: &[(EntityRef, PathBuf, PathBuf, bool)],
    catalog: &Catalog,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Prepared> {
    // Asked of the OS at once: each site's first read, which waits on the disk when the
    // sources are not cached.
    for (_, dir, _, _) in local {
        readahead::ask(&dir.join("mkdocs.yml"));
    }
    let results: Vec<(Option<Prepared>, Vec<Diagnostic>)> = local
        .par_iter()
        .map(|(entity, dir, repo, trusted)| {
            let mut d = Vec::new();
            let title = catalog
                .get(entity)
                .map_or(entity.name.clone(), |e| e.display_name().to_string());
            let at_ref = |diag: Diagnostic| match catalog.get(entity) {
                Some(e) => locate::at_annotation(e, diag),
                None => diag,
            };
            let prepared = site::prepare(entity, &title, dir, repo, &mut d, &at_ref).map(
                |(config, mut files, url)| {
                    if !*trusted {
                        active::withhold_active(&mut files, &mut d);
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
                },
            );
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
    // The file system is asked about every source in parallel (a stat each, a realpath a
    // folder); the index is put together in site order, so the first of two sites sharing a
    // folder comes first.
    let sources: Vec<Vec<(SourceKey, Target)>> = (prepared.par_iter().enumerate())
        .map(|(si, p)| {
            let mut real = crate::fsutil::RealPaths::default();
            let files = &p.files;
            let pages = (files.pages.iter().enumerate())
                .map(|(pi, f)| (&f.src, Target::Page(PageId { site: si, page: pi })));
            let assets = files.assets.iter().map(|a| {
                let url = format!("{}{}", p.url, a.url);
                (&a.src, Target::Asset { url })
            });
            let images = files.inline_images.iter().map(|a| {
                let (data_url, why) = (a.data_url.clone(), a.why.clone());
                (&a.src, Target::ImageOnly { data_url, why })
            });
            (pages.chain(assets).chain(images))
                .map(|(src, target)| (SourceKey::of(src, &mut real), target))
                .collect()
        })
        .collect();
    for (si, (p, sources)) in prepared.iter().zip(sources).enumerate() {
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
        for (pi, f) in p.files.pages.iter().enumerate() {
            let page = Some(PageId { site: si, page: pi });
            (index.built_urls.entry(format!("{}{}", p.url, f.url))).or_insert(page);
        }
        for a in &p.files.assets {
            (index.built_urls.entry(format!("{}{}", p.url, a.url))).or_insert(None);
        }
        index.page_by_rel.push(
            p.files
                .pages
                .iter()
                .enumerate()
                .map(|(i, f)| (f.rel.clone(), i))
                .collect(),
        );
        for (found, target) in sources {
            let key = index.add_key(found);
            index.by_src.entry(key).or_default().push(target);
        }
    }
    index
}

fn finish_site(
    p: &Prepared,
    pages: Vec<DocPage>,
    updated: Vec<Option<String>>,
    diags: &mut Vec<Diagnostic>,
) -> DocSite {
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
    let mut site = DocSite {
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
        toc_levels: p.config.toc_levels,
        updated,
    };
    title_sections(&mut site);
    site
}

/// Gives the sections the nav leaves untitled their pages' final titles (again after a page
/// is rendered anew, in `serve`).
pub fn title_sections(site: &mut DocSite) {
    fn walk(nav: &mut [NavNode], pages: &[DocPage]) {
        for node in nav {
            if let NavNode::Section {
                title,
                children,
                title_page,
            } = node
            {
                if let Some(page) = title_page.and_then(|p| pages.get(p)) {
                    title.clone_from(&page.title);
                }
                walk(children, pages);
            }
        }
    }
    walk(&mut site.nav, &site.pages);
}
