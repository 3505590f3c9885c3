//! Reuse: a file of the new site whose bytes equal the file at its path in the current site
//! is hard-linked into the staging folder instead of written, so a rebuild after a small
//! edit writes only what changed. Unchanged files keep their inode and modification time,
//! which is also what `rsync` and `aws s3 sync` compare, and the atomic swap stays as it was.
//!
//! What the current site holds is listed beside it (`public.stagedoor-files`): each file's
//! path, the hash of its bytes, and its size, modification time and inode as written. A file
//! is linked only when its stat still matches (nobody changed it in place since) and the new
//! bytes hash the same; anything else is written. A file written within `RACY` of the list
//! is read and hashed again before it is linked: changed again within the same clock tick,
//! it could keep its stat (git's "racily clean" entries). Other files are not read.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::output::{Content, OutputFile};

/// Suffix of the list beside the output folder: `public.stagedoor-files`.
const SUFFIX: &str = ".stagedoor-files";
/// Bumped when an entry's meaning changes.
const FORMAT: &str = "stagedoor-files-2";
/// Files modified this close to the writing of the list are not trusted by their stat alone.
const RACY: Duration = Duration::from_secs(2);

/// XXH3-128 of the bytes. Not a cryptographic hash, and it need not be: it only tells a new
/// file from the one a build of the same site wrote at the same path, so a forged collision
/// could at most keep that older page of the same sources; a build hashes every byte it
/// writes, and XXH3 is several times faster at it than BLAKE3.
type Hash = u128;

/// A file of a site as it was written.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    hash: Hash,
    len: u64,
    modified: u128,
    inode: u64,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: String,
    /// When the list was written, in nanoseconds since the epoch.
    saved: u128,
    files: Vec<(String, Entry)>,
}

/// The current site's files (read once when a build starts) and the new site's, as they
/// are placed.
pub struct Reuse {
    out: PathBuf,
    current: HashMap<String, Entry>,
    /// Entries modified at or after this (nanoseconds) are read before they are trusted.
    racy_from: u128,
    placed: Mutex<Vec<(String, Entry)>>,
    linked: AtomicUsize,
    written: AtomicUsize,
}

/// How the files of a new site were placed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Placed {
    pub written: usize,
    /// Linked from the previous site: same bytes.
    pub linked: usize,
}

impl Reuse {
    pub fn new(out: &Path) -> Reuse {
        // A list left beside a site since deleted names nothing to link.
        let list = (list_path(out).filter(|_| out.is_dir()))
            .and_then(|p| fs::read(p).ok())
            .and_then(|bytes| postcard::from_bytes::<OnDisk>(&bytes).ok())
            .filter(|d| d.format == FORMAT);
        let racy_from = list
            .as_ref()
            .map_or(0, |l| l.saved.saturating_sub(RACY.as_nanos()));
        Reuse {
            out: out.to_path_buf(),
            current: list
                .map(|l| l.files.into_iter().collect())
                .unwrap_or_default(),
            racy_from,
            placed: Mutex::default(),
            linked: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
        }
    }

    /// Puts `f` at `target` in the staging folder: linked from the current site when its
    /// bytes are the same there, else written by `write`.
    pub fn place(
        &self,
        f: &OutputFile,
        target: &Path,
        write: impl FnOnce() -> anyhow::Result<Option<fs::Metadata>>,
    ) -> anyhow::Result<()> {
        let hash = hash_of(&f.content);
        let entry = match hash.and_then(|h| self.link(&f.path, h, target)) {
            Some(entry) => {
                self.linked.fetch_add(1, Ordering::Relaxed);
                Some(entry)
            }
            None => {
                let m = write()?;
                self.written.fetch_add(1, Ordering::Relaxed);
                hash.zip(m).map(|(hash, m)| entry_of(hash, &m))
            }
        };
        // A file whose bytes could not be hashed is not listed: the next build writes it.
        if let (Some(entry), Ok(mut placed)) = (entry, self.placed.lock()) {
            placed.push((f.path.clone(), entry));
        }
        Ok(())
    }

    /// Links the current site's file at `rel` to `target` when it holds `hash` and nobody
    /// changed it since it was written.
    fn link(&self, rel: &str, hash: Hash, target: &Path) -> Option<Entry> {
        let entry = self.current.get(rel).filter(|e| e.hash == hash)?;
        let old = super::safe_join(&self.out, rel)?;
        let m = fs::symlink_metadata(&old).ok()?;
        let same_stat = m.is_file() && entry_of(hash, &m) == *entry;
        let unchanged = same_stat
            && (entry.modified < self.racy_from
                || hash_of(&Content::Copy(old.clone())) == Some(hash));
        // Linking fails across file systems and on some that have no links: then it is written.
        (unchanged && fs::hard_link(&old, target).is_ok()).then_some(*entry)
    }

    /// How the files were placed so far.
    pub fn placed(&self) -> Placed {
        Placed {
            written: self.written.load(Ordering::Relaxed),
            linked: self.linked.load(Ordering::Relaxed),
        }
    }

    /// Lists the new site beside `out`, once it is in place, through a temporary file so the
    /// list is never half written. A list that cannot be written only costs the next build
    /// its links.
    pub fn save(&self) {
        let (Some(path), Ok(mut files)) = (list_path(&self.out), self.placed.lock()) else {
            return;
        };
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let disk = OnDisk {
            format: FORMAT.to_string(),
            saved: nanos(SystemTime::now()),
            files: std::mem::take(&mut *files),
        };
        let Ok(bytes) = postcard::to_stdvec(&disk) else {
            return;
        };
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!("-{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        if fs::write(&tmp, bytes)
            .and_then(|_| fs::rename(&tmp, &path))
            .is_err()
        {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// Where the list of `out`'s files lives: beside it, named after it.
fn list_path(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!("{name}{SUFFIX}")))
}

/// The hash of a file's bytes; a file to copy is streamed (a docs folder may hold a video
/// of gigabytes). None when the file to copy cannot be read.
fn hash_of(content: &Content) -> Option<Hash> {
    match content {
        Content::Bytes(b) => Some(xxh3_128(b)),
        Content::Copy(src) => {
            let mut file = fs::File::open(src).ok()?;
            let mut h = Xxh3::new();
            std::io::copy(&mut file, &mut h).ok()?;
            Some(h.digest128())
        }
    }
}

fn entry_of(hash: Hash, m: &fs::Metadata) -> Entry {
    Entry {
        hash,
        len: m.len(),
        modified: m.modified().map_or(0, nanos),
        inode: inode(m),
    }
}

fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

#[cfg(unix)]
fn inode(m: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file to copy is hashed as it streams by, a buffer at a time: the same hash as its
    /// bytes whole, whatever its length against a buffer's; other bytes, another hash.
    #[test]
    fn a_streamed_file_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0, 1, 65_535, 65_536, 65_537, 200_003] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            fs::write(&path, &bytes).unwrap();
            let streamed = hash_of(&Content::Copy(path.clone()));
            assert_eq!(
                streamed,
                hash_of(&Content::Bytes(bytes.clone())),
                "{len} bytes"
            );
            let mut other = bytes;
            other.push(1);
            assert_ne!(streamed, hash_of(&Content::Bytes(other)), "{len} bytes");
        }
        assert_eq!(hash_of(&Content::Copy(dir.path().join("missing"))), None);
    }
}
