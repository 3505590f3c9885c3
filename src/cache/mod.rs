//! Caches: what a build keeps so the next one does less. On disk, `.stagedoor-cache/` in the
//! site folder (safe to delete at any time):
//! - `pages.pack` (`pages`, `pack`): rendered docs pages keyed by a hash of their content and
//!   everything else they depend on (the keys are made by `docs::render`), so a rebuild
//!   renders only pages whose inputs changed; `serve` keeps the same store in memory;
//! - `last-build.json` (here): a fingerprint of every input — each file under the roots (path,
//!   size, modification time), the theme and radar files, the configuration and the version —
//!   with the report of the build it produced. When the fingerprint is unchanged and that
//!   build's output is still in place, `build` reports it again instead of building.
//!
//! In memory, `packed` keeps page bodies compressed between the docs and render stages.
//! Nothing here knows what a page or a report is: values are bytes or serde types.

pub mod pack;
pub mod packed;
pub mod pages;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use ignore::{WalkBuilder, WalkState};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::discover::SKIPPED_DIRS;
use pages::PageCache;

pub const CACHE_DIR: &str = ".stagedoor-cache";
const LAST_BUILD: &str = "last-build.json";

#[derive(Serialize, Deserialize)]
struct LastBuild<R> {
    fingerprint: String,
    out: PathBuf,
    report: R,
}

pub struct BuildCache {
    dir: PathBuf,
}

impl BuildCache {
    pub fn new(dir: PathBuf) -> BuildCache {
        BuildCache { dir }
    }

    /// The report of the last build, when its fingerprint is `fingerprint` and it wrote to
    /// `out` (whether that output is still in place is the caller's to check).
    pub fn unchanged<R: DeserializeOwned>(&self, fingerprint: &str, out: &Path) -> Option<R> {
        let text = std::fs::read_to_string(self.dir.join(LAST_BUILD)).ok()?;
        let last: LastBuild<R> = serde_json::from_str(&text).ok()?;
        (last.fingerprint == fingerprint && last.out == out).then_some(last.report)
    }

    /// The page cache, a pack file in the cache folder (`pack`).
    pub fn pages(&self) -> PageCache {
        PageCache::on_disk(self.dir.clone())
    }

    /// Keeps, when the site was written, the build's fingerprint and report (the pages keep
    /// themselves). A cache that cannot be written only costs time later, so failures are
    /// returned as a message for a warning.
    pub fn save<R: Serialize>(&self, written: Option<(&str, &Path, R)>) -> Result<(), String> {
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
        let (len, modified) = exe.map_or((0, 0), |m| (m.len(), modified_nanos(&m)));
        format!("{} {len} {modified}", env!("CARGO_PKG_VERSION"))
    })
}

/// Feeds a value's serialised bytes to a hasher: cache keys hash the data itself (postcard
/// is compact and gives equal bytes for equal data), never a `Debug` rendering of it.
pub fn hash_into<T: Serialize + ?Sized>(h: &mut blake3::Hasher, value: &T) {
    // Writing into a hasher cannot fail; a value that cannot be serialised hashes as nothing
    // and so only costs cache hits.
    let _ = postcard::to_io(value, h);
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
    hash_into(&mut h, config);
    if let Some(file) = &config.config_file {
        h.update(&std::fs::read(file).unwrap_or_default());
    }
    for e in &entries {
        h.update(e.as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex().to_string()
}

/// A file's modification time in nanoseconds since the epoch; 0 where the system has none.
fn modified_nanos(m: &std::fs::Metadata) -> u128 {
    (m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// `path size mtime` for each file below `paths` (hidden files included), in parallel, and
/// the modification times of the HEAD, index and reflog of every `.git` folder found.
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
    let git_dirs = std::sync::Arc::new(Mutex::new(Vec::new()));
    let seen_git = git_dirs.clone();
    builder
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let skipped_dir = e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n));
            if skipped_dir
                && e.file_name() == ".git"
                && let Ok(mut g) = seen_git.lock()
            {
                g.push(e.path().to_path_buf());
            }
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
                            let modified = modified_nanos(&m);
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
    let mut found = found.into_inner().unwrap_or_default();
    // Pages show the date of their last commit: a commit that changes no file still
    // changes the site. These files change on every commit, checkout and pull.
    let git_dirs = git_dirs.lock().map(|g| g.clone()).unwrap_or_default();
    for dir in git_dirs {
        for name in ["HEAD", "index", "logs/HEAD"] {
            let path = dir.join(name);
            let stamp = std::fs::metadata(&path).map_or(0, |m| modified_nanos(&m));
            found.push(format!("{} {stamp}", path.display()));
        }
    }
    found
}
