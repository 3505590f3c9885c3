//! The one pipeline: discover → catalog → render → write, each step timed. `check` runs the
//! same steps up to the catalog and writes nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cache::{self, BuildCache, StoredReport};
use crate::catalog::{self, Catalog};
use crate::config::Config;
use crate::diagnostics::{self, Counts, Diagnostic};
use crate::discover;
use crate::docs::cache::PageCache;
use crate::docs::{self, Docs};
use crate::progress::Progress;
use crate::radar::{self, Radars};
use crate::render::{self, DocsSites, Sink, Site};
use crate::repos::Repos;
use crate::search::{self, SearchStats};
use crate::theme::{self, Theme};
use crate::urls::Urls;
use crate::write::{self, OutputFile};

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Any error or warning fails the build and nothing is written.
    pub strict: bool,
    /// Replace a non-empty output folder that stagedoor did not write.
    pub force: bool,
    /// The build cache folder; None builds everything from scratch and keeps nothing.
    pub cache: Option<PathBuf>,
}

pub struct BuildReport {
    pub entities: usize,
    pub pages: usize,
    pub doc_pages: usize,
    pub search: SearchStats,
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    pub written: bool,
    /// Nothing changed since the last build, whose output is in place: nothing was built.
    pub up_to_date: bool,
    pub out: PathBuf,
    pub elapsed: Duration,
}

/// The model every later stage reads.
pub struct Model {
    pub catalog: Catalog,
    pub docs: Docs,
    pub radars: Radars,
    /// Every diagnostic: `base_diagnostics` and the docs', sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics of the config, catalog and radars (the docs' live in `docs`).
    pub base_diagnostics: Vec<Diagnostic>,
    pub files: Vec<PathBuf>,
}

impl Model {
    /// Recombines the diagnostics after the docs changed (serve --watch).
    pub fn refresh_diagnostics(&mut self) {
        let mut diags = self.base_diagnostics.clone();
        diags.extend(self.docs.diagnostics.iter().cloned());
        diagnostics::sort_diagnostics(&mut diags);
        self.diagnostics = diags;
    }
}

/// Discover and load the catalog (the `check` command stops here).
pub fn load_model(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
) -> Model {
    load_model_cached(config, config_diags, progress, Arc::default())
}

/// `load_model`, taking rendered docs pages from `cache` where nothing they depend on changed.
pub fn load_model_cached(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
    cache: Arc<PageCache>,
) -> Model {
    let mut diags = config_diags;
    progress.stage("discovering repositories");
    let started = Instant::now();
    let found = discover::discover_catalog_files(config);
    let repos = Repos::new(&config.roots);
    let mut start = found.files;
    start.extend(discover::follow_catalog_links(
        &found.links,
        &repos,
        &mut diags,
    ));
    start.extend(configured_locations(config, &mut diags));
    log_step("discover", started);
    progress.stage("reading the catalog");
    let started = Instant::now();
    let loaded = catalog::load_catalog(config, &repos, start);
    diags.extend(loaded.diagnostics);
    log_step("catalog", started);
    progress.stage("building docs");
    let started = Instant::now();
    let urls = Urls {
        directory_urls: config.directory_urls,
    };
    let docs = docs::build_docs(config, &loaded.catalog, &repos, urls, cache);
    log_step("docs", started);
    progress.stage("reading the tech radars");
    let started = Instant::now();
    let (radars, radar_diags) = radar::load_radars(config, &loaded.catalog);
    diags.extend(radar_diags);
    log_step("radar", started);
    let mut files = loaded.files;
    files.extend(radars.files());
    let mut model = Model {
        catalog: loaded.catalog,
        docs,
        radars,
        diagnostics: Vec::new(),
        base_diagnostics: diags,
        files,
    };
    model.refresh_diagnostics();
    model
}

fn configured_locations(config: &Config, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for loc in &config.locations {
        match loc.canonicalize() {
            Ok(p) if p.is_file() && config.roots.iter().any(|r| p.starts_with(&r.path)) => {
                out.push(p)
            }
            Ok(_) | Err(_) => {
                let file = config
                    .config_file
                    .clone()
                    .unwrap_or_else(|| config.site_dir.clone());
                diags.push(
                    Diagnostic::new(
                        diagnostics::Code::LocationTargetMissing,
                        format!(
                            "configured location {} is not a file inside a root",
                            loc.display()
                        ),
                    )
                    .in_file(&file),
                );
            }
        }
    }
    out
}

/// Builds the site: everything `load_model` does, then render and write.
pub fn build_site(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    opts: BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport> {
    let started = Instant::now();
    // The site folder too: it holds stagedoor.yaml even when every root lies elsewhere.
    let inputs: Vec<&std::path::Path> = (config.roots.iter().map(|r| r.path.as_path()))
        .chain([config.site_dir.as_path()])
        .collect();
    write::check_output_dir(&config.out, &inputs, opts.force)?;
    let cache = opts.cache.clone().map(BuildCache::new);
    let fingerprint = opts
        .cache
        .as_deref()
        .map(|dir| cache::fingerprint(config, dir));
    if let (Some(c), Some(fp)) = (&cache, &fingerprint)
        && let Some(last) = c.unchanged(fp, &config.out)
    {
        progress.finish();
        return Ok(BuildReport::replay(last, &opts, config, started));
    }
    let page_cache = cache.as_ref().map_or_else(Arc::default, BuildCache::pages);
    let model = load_model_cached(config, config_diags, progress, page_cache.clone());
    let theme = theme::load_theme(config.theme_dir.as_deref())?;
    let counts = diagnostics::count(&model.diagnostics);
    let blocked = opts.strict && counts.errors + counts.warnings > 0;
    // Pages go to the staging folder as they are rendered; a blocked build only counts them.
    let staging = (!blocked)
        .then(|| write::Staging::begin(&config.out))
        .transpose()?;
    let sink = Writing {
        staging: staging.as_ref(),
        pages: AtomicUsize::new(0),
    };
    let search_stats = render_all(config, &model, &theme, progress, &sink)?;
    let pages = sink.pages.load(Ordering::Relaxed);
    if let Some(staging) = staging {
        progress.stage("writing the site");
        let step = Instant::now();
        staging.commit()?;
        log_step("swap", step);
    }
    progress.finish();
    let report = BuildReport {
        entities: model.catalog.len(),
        pages,
        doc_pages: model.docs.page_count(),
        search: search_stats,
        counts,
        diagnostics: model.diagnostics,
        written: !blocked,
        up_to_date: false,
        out: config.out.clone(),
        elapsed: started.elapsed(),
    };
    if let (Some(c), Some(fp)) = (&cache, &fingerprint) {
        let stored = report
            .written
            .then(|| (fp.as_str(), config.out.as_path(), report.stored()));
        if let Err(e) = c.save(stored) {
            crate::console::err(format_args!(
                "warning: {e}; the next build starts from scratch"
            ));
        }
    }
    Ok(report)
}

impl BuildReport {
    fn stored(&self) -> StoredReport {
        StoredReport {
            entities: self.entities,
            pages: self.pages,
            doc_pages: self.doc_pages,
            search: self.search.clone(),
            diagnostics: self.diagnostics.clone(),
        }
    }

    /// The last build's report for an unchanged site; `--strict` judges it as it would a
    /// new build (and then the site stays as it was).
    fn replay(last: StoredReport, opts: &BuildOptions, config: &Config, started: Instant) -> Self {
        let counts = diagnostics::count(&last.diagnostics);
        let blocked = opts.strict && counts.errors + counts.warnings > 0;
        BuildReport {
            entities: last.entities,
            pages: last.pages,
            doc_pages: last.doc_pages,
            search: last.search,
            diagnostics: last.diagnostics,
            counts,
            written: !blocked,
            up_to_date: true,
            out: config.out.clone(),
            elapsed: started.elapsed(),
        }
    }
}

/// The site as a theme draws a model, into `sink`: every page, then the search index.
pub fn render_all(
    config: &Config,
    model: &Model,
    theme: &Theme,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<SearchStats> {
    progress.stage("rendering pages");
    let step = Instant::now();
    let site = site_of(config, model, theme);
    render::render_site_to(&site, DocsSites::All, sink)?;
    log_step("render", step);
    progress.stage("indexing for search");
    let step = Instant::now();
    let (search_files, search_stats) = search_files(model, site.urls);
    sink.put(search_files)?;
    log_step("search", step);
    Ok(search_stats)
}

/// The build's sink: writes into the staging folder (when there is one) and counts pages.
struct Writing<'a> {
    staging: Option<&'a write::Staging>,
    pages: AtomicUsize,
}

impl Sink for Writing<'_> {
    fn put(&self, files: Vec<OutputFile>) -> Result<()> {
        let pages = files
            .iter()
            .filter(|f| f.path.ends_with(".html") && !f.is_alias)
            .count();
        self.pages.fetch_add(pages, Ordering::Relaxed);
        match self.staging {
            Some(s) => s.put(&files),
            None => Ok(()),
        }
    }
}

/// The search index files of a model.
pub fn search_files(model: &Model, urls: Urls) -> (Vec<OutputFile>, SearchStats) {
    search::files_of(search::documents::collect_documents(
        &model.catalog,
        &model.docs,
        urls,
    ))
}

/// What the render stage reads, borrowed from a model.
pub fn site_of<'a>(config: &'a Config, model: &'a Model, theme: &'a Theme) -> Site<'a> {
    Site {
        config,
        catalog: &model.catalog,
        diagnostics: &model.diagnostics,
        docs: &model.docs,
        radars: &model.radars,
        theme,
        urls: Urls {
            directory_urls: config.directory_urls,
        },
    }
}

/// Step timings go to stderr when `STAGEDOOR_LOG=debug`.
fn log_step(name: &str, started: Instant) {
    if std::env::var("STAGEDOOR_LOG").is_ok_and(|v| v == "debug") {
        // Also called by `serve`, whose stderr may be gone.
        crate::console::err(format_args!(
            "[debug] {name}: {:.1} ms{}",
            started.elapsed().as_secs_f64() * 1000.0,
            memory_now()
        ));
    }
}

/// ", 312 MB now, 540 MB peak" from /proc (Linux), for the debug log.
fn memory_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", {now} MB now, {peak} MB peak"),
        _ => String::new(),
    }
}
