//! The one pipeline, as a recipe: discover → catalog → docs → radar (the model) → render →
//! search → write, each step timed. `check` runs the steps up to the model and writes nothing.
//! A build draws each docs site, and indexes its sections, as soon as its pages are rendered.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::apiref;
use crate::cache::pages::PageCache;
use crate::cache::{self, BuildCache};
use crate::catalog;
use crate::config::Config;
use crate::diagnostics::{self, Counts, Diagnostic};
use crate::discover;
use crate::docs::{self, Bodies, DocSite, DocsPlan, Purpose};
use crate::model::Model;
use crate::progress::Progress;
use crate::radar;
use crate::render::{self, DocsSites, Frame, Sink, Site, docs_pages};
use crate::repos::Repos;
use crate::scorecard::{self, Scores};
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
    /// The process ends soon after the build (the command line): the model is left for the
    /// OS to take back at once rather than freed an allocation at a time (~25 ms on the
    /// main thread at 20,000 pages).
    pub exits_after: bool,
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

/// Discovers and loads everything a site is made of: the catalog, the docs (every page
/// rendered) and the radars.
pub fn load_model(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
) -> Model {
    load(config, config_diags, progress, &PageCache::default()).0
}

/// What `check` reports on: the model as `load_model` makes it, but docs pages are read only
/// for their diagnostics (link and anchor checks, Markdown problems), not highlighted.
pub fn check_model(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
) -> Model {
    let cache = PageCache::default();
    load_for(
        config,
        config_diags,
        progress,
        &cache,
        (Purpose::Check, Bodies::Keep),
    )
    .0
}

/// The model and the docs plan it was rendered from (`serve` keeps the plan to render one
/// page again), taking docs pages from `cache` where nothing they depend on changed.
pub fn load(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
    cache: &PageCache,
) -> (Model, DocsPlan) {
    load_for(
        config,
        config_diags,
        progress,
        cache,
        (Purpose::Site, Bodies::Keep),
    )
}

/// The recipe up to the model: discover → catalog → docs plan → API references → docs
/// pages → radar → scorecards.
fn load_for(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    progress: &dyn Progress,
    cache: &PageCache,
    (purpose, bodies): (Purpose, Bodies),
) -> (Model, DocsPlan) {
    let inputs = load_inputs(config, config_diags, progress);
    let docs = render_docs_step(&inputs, progress, cache, (purpose, bodies));
    finish_model(config, inputs, docs, progress)
}

/// What the docs pages are rendered from, read before them: the catalog, the docs plan and
/// the API references (a build numbers the search index's sections after the entities'
/// documents, reference items included, as it indexes each docs site).
struct Inputs {
    loaded: catalog::LoadedCatalog,
    plan: DocsPlan,
    api_refs: apiref::ApiRefs,
    diags: Vec<Diagnostic>,
}

fn load_inputs(config: &Config, config_diags: Vec<Diagnostic>, progress: &dyn Progress) -> Inputs {
    let mut diags = config_diags;
    let urls = Urls::of(config);
    let repos = Repos::new(&config.roots);
    let start = step(progress, "discover", "discovering repositories", || {
        catalog_files(config, &repos, &mut diags)
    });
    let mut loaded = step(progress, "catalog", "reading the catalog", || {
        catalog::load_catalog(config, &repos, start)
    });
    diags.append(&mut loaded.diagnostics);
    let plan = step(progress, "docs", "reading the docs", || {
        docs::plan_docs(config, &loaded.catalog, &repos, urls)
    });
    let (api_refs, api_diags) = step(progress, "apiref", "reading API definitions", || {
        apiref::load_references(&loaded.catalog, plan.markup)
    });
    diags.extend(api_diags);
    Inputs {
        loaded,
        plan,
        api_refs,
        diags,
    }
}

fn render_docs_step(
    inputs: &Inputs,
    progress: &dyn Progress,
    cache: &PageCache,
    (purpose, bodies): (Purpose, Bodies),
) -> docs::Docs {
    step(progress, "pages", "building docs", || {
        let catalog = &inputs.loaded.catalog;
        docs::render_docs(&inputs.plan, catalog, cache, purpose, bodies)
    })
}

/// The model, once the docs are rendered: the radars and the scorecards added.
fn finish_model(
    config: &Config,
    inputs: Inputs,
    docs: docs::Docs,
    progress: &dyn Progress,
) -> (Model, DocsPlan) {
    let Inputs {
        loaded,
        plan,
        api_refs,
        mut diags,
    } = inputs;
    let (radars, radar_diags) = step(progress, "radar", "reading the tech radars", || {
        radar::load_radars(config, &loaded.catalog, plan.markup)
    });
    diags.extend(radar_diags);
    let (scores, score_diags) = step(progress, "scorecard", "scoring entities", || {
        let inputs = scorecard::Inputs {
            catalog: &loaded.catalog,
            docs: &docs,
            radars: &radars,
            api_refs: &api_refs,
            diagnostics: &diags,
        };
        score(config, &inputs)
    });
    diags.extend(score_diags);
    let mut files = loaded.files;
    files.extend(radars.files());
    let mut model = Model {
        catalog: loaded.catalog,
        docs,
        radars,
        api_refs,
        scores,
        urls: Urls::of(config),
        diagnostics: Vec::new(),
        base_diagnostics: diags,
        files,
    };
    model.refresh_diagnostics();
    (model, plan)
}

fn score(config: &Config, inputs: &scorecard::Inputs) -> (Scores, Vec<Diagnostic>) {
    let file = config.config_file.as_deref().unwrap_or(&config.site_dir);
    scorecard::score_catalog(config.scorecards.as_ref(), file, inputs)
}

/// The model's entities scored again (serve, after docs pages changed: a mended link passes
/// `docs_links`); the rules' own diagnostics were reported when the model was loaded.
pub fn rescore(config: &Config, model: &Model) -> Scores {
    let inputs = scorecard::Inputs {
        catalog: &model.catalog,
        docs: &model.docs,
        radars: &model.radars,
        api_refs: &model.api_refs,
        diagnostics: &model.base_diagnostics,
    };
    score(config, &inputs).0
}

/// Every catalog file to start from: found by the walk, linked from other files, configured.
fn catalog_files(config: &Config, repos: &Repos, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let found = discover::discover_catalog_files(config);
    let mut start = found.files;
    start.extend(discover::follow_catalog_links(&found.links, repos, diags));
    start.extend(configured_locations(config, diags));
    start
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
                            diagnostics::display_path(loc, &config.site_dir)
                        ),
                    )
                    .in_file(&file),
                );
            }
        }
    }
    out
}

/// Builds the site: the recipe below, one step per stage, each timed (`STAGEDOOR_LOG=debug`).
pub fn build_site(
    config: &Config,
    config_diags: Vec<Diagnostic>,
    opts: BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport> {
    let started = Instant::now();
    // Checked before the lock file is made beside a folder stagedoor must not touch.
    write::check_output_dir(&config.out, &input_dirs(config), opts.force)?;
    // Held until the build returns: its report and cache describe what it wrote.
    let _lock = write::lock_output(&config.out, |holder| {
        progress.note(&waiting_note(&config.out, holder))
    })?;
    let cache = opts.cache.clone().map(BuildCache::new);
    let fingerprint = (opts.cache.as_deref()).map(|dir| cache::fingerprint(config, dir));
    if let Some(last) = last_build_if_unchanged(config, cache.as_ref(), fingerprint.as_deref()) {
        progress.finish();
        return Ok(BuildReport::replay(last, &opts, config, started));
    }
    let pages = cache
        .as_ref()
        .map_or_else(PageCache::default, BuildCache::pages);
    // Pages go to the staging folder as they are rendered, docs pages as soon as their site's
    // pages are (no page's HTML waits for the rest); a build `--strict` blocks lets the folder
    // go and only counts the pages that follow.
    let staging = write::Staging::begin(&config.out)?;
    // The theme's templates compile while the inputs are read: neither needs the other, and
    // reading them starts on one thread.
    let (theme, inputs) = std::thread::scope(|s| {
        let theme = s.spawn(|| theme::load_theme(config.theme_dir.as_deref()));
        let inputs = load_inputs(config, config_diags, progress);
        (crate::parallel::joined(theme), inputs)
    });
    let theme = theme?;
    let drawing = Writing::new(Some(&staging), 0);
    let frame = Frame {
        config,
        theme: &theme,
        urls: Urls::of(config),
    };
    // The search index is made as the docs sites are drawn, each site's sections let go
    // once indexed.
    let index = search::Streaming::new(&inputs.loaded.catalog, &inputs.api_refs, frame.urls);
    let draw = |catalog: &catalog::Catalog, number: usize, site: &mut DocSite| {
        drawing.draw_docs(frame, catalog, site);
        drawing.keep_result(drawing.put(index.add_site(number, catalog, site)));
    };
    let docs = render_docs_step(
        &inputs,
        progress,
        &pages,
        (Purpose::Site, Bodies::Draw(&draw)),
    );
    let (mut model, _) = finish_model(config, inputs, docs, progress);
    let drawn = drawing.finish()?;
    let counts = diagnostics::count(&model.diagnostics);
    let blocked = opts.strict && counts.errors + counts.warnings > 0;
    let staging = (!blocked).then_some(staging);
    let sink = Writing::new(staging.as_ref(), drawn);
    let search_stats = render_all(config, &model, index, &theme, progress, &sink)?;
    let pages = sink.finish()?;
    if let Some(staging) = staging {
        let placed = step(progress, "swap", "writing the site", || staging.commit())?;
        log_debug(format_args!(
            "write: {} files written, {} unchanged (linked from the previous site)",
            placed.written, placed.linked
        ));
    }
    progress.finish();
    let report = BuildReport {
        entities: model.catalog.len(),
        pages,
        doc_pages: model.docs.page_count(),
        search: search_stats,
        counts,
        diagnostics: std::mem::take(&mut model.diagnostics),
        written: !blocked,
        up_to_date: false,
        out: config.out.clone(),
        elapsed: started.elapsed(),
    };
    if let (Some(c), Some(fp)) = (&cache, &fingerprint) {
        save_last_build(c, fp, config, &report);
    }
    if opts.exits_after {
        std::mem::forget(model);
    }
    Ok(report)
}

/// "waiting for the build writing /site/public/ (pid 4242)…"
fn waiting_note(out: &Path, holder: Option<u32>) -> String {
    let pid = holder.map(|p| format!(" (pid {p})")).unwrap_or_default();
    format!("waiting for the build writing {}/{pid}…", out.display())
}

/// The folders a build reads: the roots and the site folder (it holds stagedoor.yaml even
/// when every root lies elsewhere). The output may not be one of them.
fn input_dirs(config: &Config) -> Vec<&Path> {
    (config.roots.iter().map(|r| r.path.as_path()))
        .chain([config.site_dir.as_path()])
        .collect()
}

/// The last build's report, when nothing it read changed and its output is still in place.
fn last_build_if_unchanged(
    config: &Config,
    cache: Option<&BuildCache>,
    fingerprint: Option<&str>,
) -> Option<StoredReport> {
    let last = cache?.unchanged(fingerprint?, &config.out)?;
    write::is_ours(&config.out).then_some(last)
}

fn save_last_build(cache: &BuildCache, fingerprint: &str, config: &Config, report: &BuildReport) {
    let stored = report
        .written
        .then(|| (fingerprint, config.out.as_path(), report.stored()));
    if let Err(e) = cache.save(stored) {
        crate::console::err(format_args!(
            "warning: {e}; the next build starts from scratch"
        ));
    }
}

/// What a build reported, kept in the build cache to report it again.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct StoredReport {
    pub entities: usize,
    pub pages: usize,
    pub doc_pages: usize,
    pub search: SearchStats,
    pub diagnostics: Vec<Diagnostic>,
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

/// The site as a theme draws a model, into `sink`: every page but the docs pages (drawn by the
/// docs stage), and the search index finished (the entities' documents, once scored), side
/// by side.
fn render_all(
    config: &Config,
    model: &Model,
    index: search::Streaming,
    theme: &Theme,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<SearchStats> {
    let site = site_of(config, model, theme);
    progress.stage("rendering pages and the search index");
    let (rendered, search) = rayon::join(
        || {
            timed("render", || {
                render::render_site_to(&site, DocsSites::None, sink)
            })
        },
        || {
            timed("search", || {
                let (files, stats) =
                    index.finish(&model.catalog, &model.api_refs, Some(&model.scores));
                sink.put(files).map(|()| stats)
            })
        },
    );
    rendered?;
    search
}

/// The build's sink: writes into the staging folder (when there is one) and counts pages.
/// Docs sites are drawn into it from the docs stage's threads, whose errors it keeps to
/// report once the stage is over.
struct Writing<'a> {
    staging: Option<&'a write::Staging>,
    pages: AtomicUsize,
    failed: Mutex<Option<anyhow::Error>>,
}

impl<'a> Writing<'a> {
    fn new(staging: Option<&'a write::Staging>, pages: usize) -> Self {
        Writing {
            staging,
            pages: AtomicUsize::new(pages),
            failed: Mutex::new(None),
        }
    }

    /// Draws a docs site's pages into the sink (`docs::Bodies::Draw`).
    fn draw_docs(&self, frame: Frame, catalog: &catalog::Catalog, site: &DocSite) {
        let drawn = docs_pages::render_docs_site(frame, catalog, site, self);
        self.keep_result(drawn);
    }

    /// Keeps the first error of the docs stage's threads, to report once it is over.
    fn keep_result(&self, result: Result<()>) {
        if let (Err(e), Ok(mut failed)) = (result, self.failed.lock()) {
            failed.get_or_insert(e);
        }
    }

    /// The pages put so far, or the first error drawing them.
    fn finish(self) -> Result<usize> {
        match self.failed.into_inner().ok().flatten() {
            Some(e) => Err(e),
            None => Ok(self.pages.into_inner()),
        }
    }
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
pub fn search_files(model: &Model) -> (Vec<OutputFile>, SearchStats) {
    search::files_of_model(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        model.urls,
        Some(&model.scores),
    )
}

/// What the render stage reads, borrowed from a model.
pub fn site_of<'a>(config: &'a Config, model: &'a Model, theme: &'a Theme) -> Site<'a> {
    Site {
        config,
        catalog: &model.catalog,
        diagnostics: &model.diagnostics,
        docs: &model.docs,
        radars: &model.radars,
        api_refs: &model.api_refs,
        scores: &model.scores,
        theme,
        urls: model.urls,
    }
}

/// Runs one stage: says what it does on the progress line and, when `STAGEDOOR_LOG=debug`,
/// how long it took on stderr.
fn step<T>(progress: &dyn Progress, name: &str, doing: &str, f: impl FnOnce() -> T) -> T {
    progress.stage(doing);
    timed(name, f)
}

/// Runs `f`, saying how long it took on stderr when `STAGEDOOR_LOG=debug`.
fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let cpu = debug_log().then(cpu_seconds).flatten();
    let out = f();
    log_step(name, started, cpu);
    out
}

fn log_step(name: &str, started: Instant, cpu_before: Option<f64>) {
    // Checked first: reading the memory figures costs a file read.
    if debug_log() {
        let cpu = match (cpu_before, cpu_seconds()) {
            (Some(before), Some(after)) => format!(", {:.2} s CPU", after - before),
            _ => String::new(),
        };
        log_debug(format_args!(
            "{name}: {:.1} ms{cpu}{}",
            started.elapsed().as_secs_f64() * 1000.0,
            memory_now()
        ));
    }
}

/// CPU time the process has used (all threads, user and system) from /proc (Linux): a stage's
/// CPU seconds say what it costs even on a machine busy with other work, where wall time
/// does not.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    // Clock ticks; Linux reports them at 100 per second to user space.
    Some((user + system) / 100.0)
}

fn debug_log() -> bool {
    std::env::var("STAGEDOOR_LOG").is_ok_and(|v| v == "debug")
}

/// A line on stderr when `STAGEDOOR_LOG=debug`.
fn log_debug(line: std::fmt::Arguments) {
    if debug_log() {
        // Also called by `serve`, whose stderr may be gone.
        crate::console::err(format_args!("[debug] {line}"));
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
