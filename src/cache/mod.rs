//! Caches: what a build keeps so the next one does less. On disk, `.stagedoor-cache/` in the
//! site folder (safe to delete at any time):
//! - `pages.pack` (`pages`, `pack`): rendered docs pages keyed by a hash of their content and
//!   everything else they depend on (the keys are made by `docs::render`), so a rebuild
//!   renders only pages whose inputs changed; `serve` keeps the same store in memory;
//! - `last-build.json` (here): a fingerprint of every input (`fingerprint`: the content of
//!   each file under the roots, the theme and radar files, each checkout's HEAD commit, the
//!   configuration and this program) with the report of the build it produced. When the
//!   fingerprint is unchanged and that build's output is still in place, `build` reports it
//!   again instead of building;
//! - `stats.bin` (`stats`): each input file's content hash by its stat, so that only files
//!   whose stat changed are read again.
//!
//! Every file is written to a temporary file of its own and renamed into place, so builds
//! running at once (sharing a CI cache folder) never see half a file; the last to finish wins.
//!
//! In memory, `packed` keeps page bodies compressed between the docs and render stages.
//! Nothing here knows what a page or a report is: values are bytes or serde types.

mod fingerprint;
mod git_head;
pub mod pack;
pub mod packed;
pub mod pages;
mod stats;

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use fingerprint::fingerprint;
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

/// This program's version and a hash of its executable's bytes, computed once: a rebuilt
/// stagedoor (whose rendering or embedded theme may differ) never reuses what an earlier one
/// cached, and the same binary on another machine (a CI runner) reuses it.
pub fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::File::open);
        let hash = exe.and_then(|f| blake3::Hasher::new().update_reader(f).map(|h| h.finalize()));
        // Unreadable (deleted while running, or no /proc): a fresh id every run, so nothing
        // cached is trusted.
        let hash = hash.map_or_else(
            |_| {
                format!(
                    "unknown-{}-{:?}",
                    std::process::id(),
                    std::time::SystemTime::now()
                )
            },
            |h| h.to_hex().to_string(),
        );
        format!("{} {hash}", env!("CARGO_PKG_VERSION"))
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

/// A file's modification time in nanoseconds since the epoch; 0 where the system has none.
fn modified_nanos(m: &std::fs::Metadata) -> u128 {
    (m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}
