//! Session: a build kept in memory between edits, for `serve --watch`. It writes into a
//! folder of its own through the same render and write code as `build`, remembers a hash of
//! every file it wrote, and for a batch of changed paths redoes only what they affect:
//! - an edited docs page: that page (rendered again from the kept `DocsPlan` by the same
//!   `docs::render_page` a build uses), and every page of its site if its title changed;
//! - a theme file: every page;
//! - anything else (catalog files, mkdocs.yml, new pages): the model is loaded again with
//!   unchanged docs pages taken from the page cache, and docs pages are rendered only for the
//!   sites that changed; catalog and entity pages render again (they read across entities).
//!
//! Only files whose bytes changed are written. The search index is rebuilt by a worker
//! thread after the pages are written, off the edit-to-reload path.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::build;
use crate::cache::pages::PageCache;
use crate::config::{self, Config, Overrides};
use crate::diagnostics::{Diagnostic, Severity};
use crate::discover::SKIPPED_DIRS;
use crate::docs::{self, DocsPlan, PageId, Purpose};
use crate::model::Model;
use crate::progress::Silent;
use crate::render::{DocsSites, docs_pages, problems, render_site_with};
use crate::search::{self, SearchDoc, documents};
use crate::theme::{self, Theme};
use crate::write::{self, Content, OutputFile};

/// Edits pause this long before the search index is rebuilt.
const SEARCH_QUIET: Duration = Duration::from_millis(500);

pub struct Session {
    site: PathBuf,
    overrides: Overrides,
    pub config: Config,
    config_diags: Vec<Diagnostic>,
    pub model: Model,
    /// What the docs were rendered from, to render one page again after an edit.
    plan: DocsPlan,
    theme: Theme,
    cache: PageCache,
    out: PathBuf,
    written: Written,
    search: mpsc::Sender<Vec<SearchDoc>>,
}

/// What one batch of changes did.
#[derive(Debug)]
pub struct Applied {
    /// `page`, `theme`, `site` (model reloaded) or `config`; None when nothing relevant changed.
    pub scope: Option<&'static str>,
    pub files_written: usize,
    pub elapsed: Duration,
}

impl Session {
    /// Loads `site` and writes the whole portal, search index included, into `out`. Fails
    /// only on an unusable config.
    pub fn start(site: &Path, out: &Path) -> Result<Session> {
        let overrides = Overrides {
            out: Some(out.to_path_buf()),
            ..Overrides::default()
        };
        let (config, config_diags) = load_config(site, &overrides)?;
        let cache = PageCache::in_memory();
        let (model, plan) = build::load(&config, config_diags.clone(), &Silent, &cache);
        let theme = theme::load_theme(config.theme_dir.as_deref())?;
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let mut search_written = Written::default();
        search_written.write_all(out, build::search_files(&model).0)?;
        let mut session = Session {
            site: site.to_path_buf(),
            overrides,
            config,
            config_diags,
            model,
            plan,
            theme,
            cache,
            out: out.to_path_buf(),
            written: Written::default(),
            search: search_worker(out.to_path_buf(), search_written),
        };
        let files = session.render(DocsSites::All)?;
        session.written.write_all(out, files)?;
        Ok(session)
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Error-level diagnostics, the ones the browser overlay shows.
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// Folders and files whose changes matter: the roots, the config, the theme, the radars.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.config.roots.iter().map(|r| r.path.clone()).collect();
        paths.extend(self.config.config_file.clone());
        paths.extend(self.config.theme_dir.clone().filter(|d| d.is_dir()));
        paths.extend(self.config.radars.iter().map(|r| r.file.clone()));
        paths.sort();
        paths.dedup();
        paths
    }

    /// Applies a batch of changed paths (`refresh_search` follows when the scope is set).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Applied> {
        let started = Instant::now();
        self.written.count = 0;
        // A folder's own events only echo those of the files in it.
        let changed: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| !p.is_dir() && self.is_relevant(p))
            .collect();
        let scope = if changed.is_empty() {
            None
        } else if changed
            .iter()
            .any(|p| Some(p.as_path()) == self.config.config_file.as_deref())
        {
            let (config, config_diags) = load_config(&self.site, &self.overrides)?;
            self.config = config;
            self.config_diags = config_diags;
            self.theme = theme::load_theme(self.config.theme_dir.as_deref())?;
            self.reload_model()?;
            Some("config")
        } else if changed
            .iter()
            .all(|p| is_markdown_page(p) && !self.plan.pages_built_from(p).is_empty())
        {
            self.rerender_pages(&changed)?;
            Some("page")
        } else if changed.iter().all(|p| self.in_theme(p)) {
            self.theme = theme::load_theme(self.config.theme_dir.as_deref())?;
            let files = self.render(DocsSites::All)?;
            self.written.write_all(&self.out, files)?;
            Some("theme")
        } else {
            self.reload_model()?;
            Some("site")
        };
        Ok(Applied {
            scope,
            files_written: self.written.count,
            elapsed: started.elapsed(),
        })
    }

    /// Hands the current documents to the search worker (after the reload was announced:
    /// collecting them reads every page).
    pub fn refresh_search(&self) {
        let docs = documents::collect_scored_documents(
            &self.model.catalog,
            &self.model.docs,
            &self.model.api_refs,
            self.model.urls,
            Some(&self.model.scores),
        );
        let _ = self.search.send(docs);
    }

    fn render(&self, docs: DocsSites) -> Result<Vec<OutputFile>> {
        render_site_with(
            &build::site_of(&self.config, &self.model, &self.theme),
            docs,
        )
    }

    fn in_theme(&self, path: &Path) -> bool {
        self.config
            .theme_dir
            .as_deref()
            .is_some_and(|t| path.starts_with(t))
    }

    /// Editor droppings, version-control internals and our own output are not edits.
    fn is_relevant(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let junk = name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913";
        // Only folders below a root count: the root itself may well live in a `target/`.
        let below_root = self
            .config
            .roots
            .iter()
            .find_map(|r| path.strip_prefix(&r.path).ok());
        // What no build reads: the skipped folders, and hidden files and folders (discovery
        // and docs leave them out), which editors, tools and browser profiles rewrite all
        // the time (`.idea/`, `.vscode/`, `.venv/`, `.cache/`).
        let ignored = below_root.is_some_and(|rel| {
            rel.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n) || n.starts_with('.'))
            })
        });
        let watched = below_root.is_some()
            || Some(path) == self.config.config_file.as_deref()
            || self.in_theme(path)
            || self.config.radars.iter().any(|r| r.file == path);
        watched && !junk && !ignored && !path.starts_with(&self.out)
    }

    /// Loads the model again (unchanged docs pages come from the cache) and renders what
    /// may differ: every page but those of docs sites that are exactly as they were.
    fn reload_model(&mut self) -> Result<()> {
        let (model, plan) = build::load(
            &self.config,
            self.config_diags.clone(),
            &Silent,
            &self.cache,
        );
        self.plan = plan;
        let old = std::mem::replace(&mut self.model, model);
        let changed = changed_docs_sites(&old, &self.model);
        self.render_except_docs_of_others(&changed)
    }

    /// Renders every page but the docs pages of sites outside `changed`, which stay as
    /// written; any other page not rendered now is gone.
    fn render_except_docs_of_others(&mut self, changed: &HashSet<usize>) -> Result<()> {
        let files = self.render(DocsSites::Only(changed))?;
        let kept: Vec<&str> = (self.model.docs.sites.iter().enumerate())
            .filter(|(i, _)| !changed.contains(i))
            .map(|(_, s)| s.url.as_str())
            .collect();
        self.written.write_all_but(&self.out, files, |path| {
            kept.iter().any(|k| path.starts_with(k))
        })
    }

    /// Renders the pages of edited docs files again, and every page of a site whose nav
    /// shows a changed title; the problems page follows the diagnostics.
    fn rerender_pages(&mut self, changed: &[&PathBuf]) -> Result<()> {
        let before = self.model.diagnostics.clone();
        let mut pages: BTreeSet<PageId> = BTreeSet::new();
        for path in changed {
            for id in self.plan.pages_built_from(path) {
                let (page, report) = docs::render_page(&self.plan, &self.cache, id, Purpose::Site);
                let docs = &mut self.model.docs;
                let site = id.site;
                if docs.sites[site].pages[id.page].title != page.title {
                    let count = docs.sites[site].pages.len();
                    pages.extend((0..count).map(|page| PageId { site, page }));
                } else {
                    pages.insert(id);
                }
                docs.sites[site].pages[id.page] = page;
                docs::title_sections(&mut docs.sites[site]);
                docs.reports[site][id.page] = report;
            }
        }
        self.model.docs.diagnostics = docs::collect_diagnostics(&self.model.docs);
        self.model.refresh_diagnostics();
        let scores = build::rescore(&self.config, &self.model);
        if scores.by_entity != self.model.scores.by_entity {
            // Entity pages, badges, /scorecards/ and catalog.json show scores: all of them
            // again, with the edited sites' docs pages.
            self.model.scores = scores;
            let sites: HashSet<usize> = pages.iter().map(|id| id.site).collect();
            return self.render_except_docs_of_others(&sites);
        }
        let site = build::site_of(&self.config, &self.model, &self.theme);
        let mut files = Vec::new();
        for id in pages {
            let docs_site = &site.docs.sites[id.site];
            files.push(docs_pages::render_page(
                site.frame(),
                site.catalog,
                docs_site,
                id.page,
            )?);
        }
        if self.model.diagnostics != before {
            files.push(problems::render_problems(&site)?);
        }
        self.written.write_changed(&self.out, files)?;
        Ok(())
    }
}

/// Docs sites of `new` that differ from the site of the same entity in `old`, or whose
/// entity changed (a docs page shows its entity's title and kind).
fn changed_docs_sites(old: &Model, new: &Model) -> HashSet<usize> {
    let old_sites: HashMap<crate::catalog::EntityKey, &crate::docs::DocSite> =
        (old.docs.sites.iter())
            .map(|s| (s.entity.key(), s))
            .collect();
    (new.docs.sites.iter().enumerate())
        .filter(|(_, s)| {
            let key = s.entity.key();
            old_sites.get(&key) != Some(s) || old.catalog.get_key(&key) != new.catalog.get_key(&key)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The files one writer put in the output, by the hash of their bytes.
#[derive(Default)]
struct Written {
    hashes: HashMap<String, blake3::Hash>,
    /// Files written since `count` was last reset.
    count: usize,
}

impl Written {
    /// Writes a complete set of files (those that changed), and deletes the files it wrote
    /// before that are no longer in the set.
    fn write_all(&mut self, out: &Path, files: Vec<OutputFile>) -> Result<()> {
        self.write_all_but(out, files, |_| false)
    }

    /// `write_all`, keeping earlier files for which `keep` is true.
    fn write_all_but(
        &mut self,
        out: &Path,
        files: Vec<OutputFile>,
        keep: impl Fn(&str) -> bool,
    ) -> Result<()> {
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let gone: Vec<String> = (self.hashes.keys())
            .filter(|p| !now.contains(p.as_str()) && !keep(p))
            .cloned()
            .collect();
        for path in gone {
            if let Some(target) = write::safe_join(out, &path) {
                let _ = std::fs::remove_file(target);
            }
            self.hashes.remove(&path);
        }
        self.write_changed(out, files)
    }

    /// Writes the files whose bytes differ from what was written before.
    fn write_changed(&mut self, out: &Path, files: Vec<OutputFile>) -> Result<()> {
        for f in files {
            let hash = match &f.content {
                Content::Bytes(b) => blake3::hash(b),
                // Streamed: a docs folder may hold a video of gigabytes.
                Content::Copy(src) => std::fs::File::open(src)
                    .and_then(|f| Ok(blake3::Hasher::new().update_reader(f)?.finalize()))
                    .unwrap_or_else(|_| blake3::hash(b"")),
            };
            if self.hashes.get(&f.path) == Some(&hash) {
                continue;
            }
            write::write_one(out, &f)?;
            self.hashes.insert(f.path.clone(), hash);
            self.count += 1;
        }
        Ok(())
    }
}

/// A thread that turns the latest documents into search index files once edits pause for
/// `SEARCH_QUIET`; requests that arrive meanwhile are folded into one. It indexes on one
/// thread of its own, leaving the other cores to the next edit's rebuild.
fn search_worker(out: PathBuf, mut written: Written) -> mpsc::Sender<Vec<SearchDoc>> {
    let (tx, rx) = mpsc::channel::<Vec<SearchDoc>>();
    std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        while let Ok(mut docs) = rx.recv() {
            while let Ok(newer) = rx.recv_timeout(SEARCH_QUIET) {
                docs = newer;
            }
            let index = || search::files_of(docs).0;
            let files = match &pool {
                Ok(pool) => pool.install(index),
                Err(_) => index(),
            };
            if let Err(e) = written.write_all(&out, files) {
                crate::console::err(format_args!("error: search index not refreshed: {e:#}"));
            }
        }
    });
    tx
}

fn load_config(site: &Path, overrides: &Overrides) -> Result<(Config, Vec<Diagnostic>)> {
    let loaded = config::load_config(site, overrides)
        .with_context(|| format!("opening site folder {}", site.display()))?;
    if loaded.is_fatal() {
        let text = crate::diagnostics::format_diagnostics(
            &loaded.diagnostics,
            &loaded.config.site_dir,
            false,
        );
        anyhow::bail!("{}{} is not usable", text, config::CONFIG_FILE);
    }
    Ok((loaded.config, loaded.diagnostics))
}

fn is_markdown_page(path: &Path) -> bool {
    crate::docs::nav::is_markdown(&path.to_string_lossy()) && path.is_file()
}
