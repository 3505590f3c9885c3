//! The build cache (`.stagedoor-cache/` in the site folder; safe to delete at any time):
//! - `pages.pack`: rendered docs pages keyed by a hash of their content and everything else
//!   they depend on (`docs::cache`), so a rebuild renders only pages whose inputs changed;
//! - `last-build.json`: a fingerprint of every input — each file under the roots (path, size,
//!   modification time), the theme and radar files, the configuration and the version — with
//!   the report of the build it produced. When the fingerprint is unchanged and that build's
//!   output is still in place, `build` reports it again instead of building.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use ignore::{WalkBuilder, WalkState};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::SKIPPED_DIRS;
use crate::docs::cache::PageCache;
use crate::search::SearchStats;
use crate::write::MARKER;

pub const CACHE_DIR: &str = ".stagedoor-cache";
const LAST_BUILD: &str = "last-build.json";

/// What a build reported, kept to report it again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredReport {
    pub entities: usize,
    pub pages: usize,
    pub doc_pages: usize,
    pub search: SearchStats,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize, Deserialize)]
struct LastBuild {
    fingerprint: String,
    out: PathBuf,
    report: StoredReport,
}

pub struct BuildCache {
    dir: PathBuf,
}

impl BuildCache {
    pub fn new(dir: PathBuf) -> BuildCache {
        BuildCache { dir }
    }

    /// The report of the last build, when its fingerprint is `fingerprint` and its output
    /// folder `out` is still there.
    pub fn unchanged(&self, fingerprint: &str, out: &Path) -> Option<StoredReport> {
        let text = std::fs::read_to_string(self.dir.join(LAST_BUILD)).ok()?;
        let last: LastBuild = serde_json::from_str(&text).ok()?;
        (last.fingerprint == fingerprint && last.out == out && out.join(MARKER).is_file())
            .then_some(last.report)
    }

    /// The page cache, a pack file in the cache folder (`docs::cache_pack`).
    pub fn pages(&self) -> Arc<PageCache> {
        Arc::new(PageCache::on_disk(self.dir.clone()))
    }

    /// Keeps, when the site was written, the build's fingerprint and report (the pages keep
    /// themselves). A cache that cannot be written only costs time later, so failures are
    /// returned as a message for a warning.
    pub fn save(&self, written: Option<(&str, &Path, StoredReport)>) -> Result<(), String> {
        let fail =
            |e: std::io::Error| format!("cannot write the cache {}: {e}", self.dir.display());
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let _ = std::fs::remove_file(self.dir.join(LAST_BUILD));
        if let Some((fingerprint, out, report)) = written {
            let last = LastBuild {
                fingerprint: fingerprint.to_string(),
                out: out.to_path_buf(),
                report,
            };
            let json = serde_json::to_vec(&last).map_err(|e| e.to_string())?;
            write_atomically(&self.dir.join(LAST_BUILD), &json).map_err(fail)?;
        }
        Ok(())
    }
}

/// This program's version and its executable's size and time: a rebuilt stagedoor (whose
/// rendering or embedded theme may differ) never reuses what an earlier one cached.
pub fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let (len, modified) = exe.map_or((0, 0), |m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok());
            (m.len(), t.map_or(0, |d| d.as_nanos()))
        });
        format!("{} {len} {modified}", env!("CARGO_PKG_VERSION"))
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// A hash of everything a build reads: every file below the roots (path, size, modification
/// time; `.git`, `node_modules`, `target`, the output and the cache left out), the theme
/// folder, the radar files, the configuration (with command-line overrides) and the version.
pub fn fingerprint(config: &Config, cache_dir: &Path) -> String {
    let mut entries: Vec<String> = Vec::new();
    let roots: Vec<&Path> = config.roots.iter().map(|r| r.path.as_path()).collect();
    entries.extend(stat_tree(&roots, &[&config.out, cache_dir]));
    if let Some(theme) = &config.theme_dir {
        entries.extend(stat_tree(&[theme], &[]));
    }
    for r in &config.radars {
        entries.extend(stat_tree(&[&r.file], &[]));
    }
    entries.sort();
    let mut h = blake3::Hasher::new();
    h.update(build_id().as_bytes());
    h.update(format!("{config:?}").as_bytes());
    if let Some(file) = &config.config_file {
        h.update(&std::fs::read(file).unwrap_or_default());
    }
    for e in &entries {
        h.update(e.as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex().to_string()
}

/// `path size mtime` for each file below `paths` (hidden files included), in parallel.
fn stat_tree(paths: &[&Path], skip: &[&Path]) -> Vec<String> {
    let Some((first, rest)) = paths.split_first() else {
        return Vec::new();
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let skip: Vec<PathBuf> = skip.iter().map(|p| p.to_path_buf()).collect();
    let found = Mutex::new(Vec::new());
    builder
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let skipped_dir = e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n));
            !skipped_dir && !skip.iter().any(|s| e.path() == s)
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let Ok(entry) = entry else {
                    return WalkState::Continue;
                };
                if entry.file_type().is_some_and(|t| !t.is_dir()) {
                    let line = entry.metadata().map_or_else(
                        |_| format!("{} ?", entry.path().display()),
                        |m| {
                            let modified = m
                                .modified()
                                .ok()
                                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                                .map_or(0, |d| d.as_nanos());
                            format!("{} {} {modified}", entry.path().display(), m.len())
                        },
                    );
                    if let Ok(mut f) = found.lock() {
                        f.push(line);
                    }
                }
                WalkState::Continue
            })
        });
    found.into_inner().unwrap_or_default()
}
