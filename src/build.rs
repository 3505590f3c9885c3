//! The one pipeline: discover → catalog → render → write, each step timed. `check` runs the
//! same steps up to the catalog and writes nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::catalog::{self, Catalog};
use crate::config::Config;
use crate::diagnostics::{self, Counts, Diagnostic};
use crate::discover;
use crate::docs::cache::PageCache;
use crate::docs::{self, Docs};
use crate::progress::Progress;
use crate::radar::{self, Radars};
use crate::render::{self, Site, urls::Urls};
use crate::repos::Repos;
use crate::search::{self, SearchStats};
use crate::theme::{self, Theme};
use crate::write::{self, OutputFile};

#[derive(Clone, Copy, Debug, Default)]
pub struct BuildOptions {
    /// Any error or warning fails the build and nothing is written.
    pub strict: bool,
    /// Replace a non-empty output folder that stagedoor did not write.
    pub force: bool,
}

pub struct BuildReport {
    pub entities: usize,
    pub pages: usize,
    pub doc_pages: usize,
    pub search: SearchStats,
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    pub written: bool,
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
    let mut start = discover::discover_catalog_files(config);
    start.extend(configured_locations(config, &mut diags));
    log_step("discover", started);
    progress.stage("reading the catalog");
    let started = Instant::now();
    let repos = Repos::new(&config.roots);
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
    let inputs: Vec<&std::path::Path> = config.roots.iter().map(|r| r.path.as_path()).collect();
    write::check_output_dir(&config.out, &inputs, opts.force)?;
    let model = load_model(config, config_diags, progress);
    let theme = theme::load_theme(config.theme_dir.as_deref())?;
    let (files, search_stats) = render_all(config, &model, &theme, progress)?;
    let counts = diagnostics::count(&model.diagnostics);
    let blocked = opts.strict && counts.errors + counts.warnings > 0;
    if !blocked {
        progress.stage("writing the site");
        let step = Instant::now();
        write::write_site(&config.out, &files)?;
        log_step("write", step);
    }
    progress.finish();
    Ok(BuildReport {
        entities: model.catalog.len(),
        pages: count_pages(&files),
        doc_pages: model.docs.page_count(),
        search: search_stats,
        counts,
        diagnostics: model.diagnostics,
        written: !blocked,
        out: config.out.clone(),
        elapsed: started.elapsed(),
    })
}

/// The site as a theme draws a model: every page, then the search index.
pub fn render_all(
    config: &Config,
    model: &Model,
    theme: &Theme,
    progress: &dyn Progress,
) -> Result<(Vec<OutputFile>, SearchStats)> {
    progress.stage("rendering pages");
    let step = Instant::now();
    let site = site_of(config, model, theme);
    let mut files = render::render_site(&site)?;
    log_step("render", step);
    progress.stage("indexing for search");
    let step = Instant::now();
    let (search_files, search_stats) = search_files(model, site.urls);
    files.extend(search_files);
    log_step("search", step);
    Ok((files, search_stats))
}

/// The search index files of a model.
pub fn search_files(model: &Model, urls: Urls) -> (Vec<OutputFile>, SearchStats) {
    search::build_search(&model.catalog, &model.docs, urls).files()
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

fn count_pages(files: &[OutputFile]) -> usize {
    files
        .iter()
        .filter(|f| f.path.ends_with(".html") && !f.is_alias)
        .count()
}

/// Step timings go to stderr when `STAGEDOOR_LOG=debug`.
fn log_step(name: &str, started: Instant) {
    if std::env::var("STAGEDOOR_LOG").is_ok_and(|v| v == "debug") {
        eprintln!(
            "[debug] {name}: {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
