//! The stat cache: each input file's content hash, kept with the file's size, modification
//! and change times and inode (`stats.bin` in the cache folder), so that a build hashes only
//! the files whose stat changed since the last build, as git's index does. A fresh clone or
//! copy (every stat new) hashes everything once, in parallel, and matches again after that.
//!
//! Trusted as git trusts its index: an edit that keeps the size, both times and the inode is
//! not seen. The change time (ctime) cannot be set back by a program (only by moving the
//! system clock), so an edit followed by `touch -d` or `File::set_modified` to the old time
//! is still seen. Entries stamped within `RACY` of the build that recorded them are not kept:
//! a file written again within the same clock tick may keep all four (git's "racily clean").

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::write_atomically;

const FILE: &str = "stats.bin";
/// Bumped when what a stamp or hash covers changes.
const FORMAT: &str = "stagedoor-stats-1";
/// Files changed this close to (or after) the start of a build are hashed again next time.
const RACY: Duration = Duration::from_secs(2);

/// What a file's stat says about it; equal stamps are taken to mean equal content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: u128,
    changed: u128,
    inode: u64,
}

impl Stamp {
    pub fn of(m: &Metadata) -> Stamp {
        Stamp {
            len: m.len(),
            modified: super::modified_nanos(m),
            changed: changed_nanos(m),
            inode: inode(m),
        }
    }

    /// Whether the file may change again without its stamp changing (see `RACY`).
    fn is_racy(&self, since: u128) -> bool {
        self.modified >= since || self.changed >= since
    }
}

/// A file to hash: its absolute path, what kind it is and its stamp.
pub struct Wanted<'a> {
    pub path: &'a Path,
    pub kind: Kind,
    pub stamp: Stamp,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file: its bytes are hashed.
    File,
    /// A symbolic link: the path it holds is hashed (its target is an input of its own).
    Link,
}

pub type Hash = [u8; 32];

#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: String,
    entries: Vec<(Vec<u8>, Stamp, Hash)>,
}

/// The hashes the last build knew, by path, and the ones this build found.
pub struct Stats {
    known: HashMap<Vec<u8>, (Stamp, Hash)>,
    /// Files hashed again by this build (their stamp was new).
    pub rehashed: usize,
    /// `known` differs from what is on disk.
    dirty: bool,
}

impl Stats {
    /// The stat cache in `dir`; empty when there is none or it does not decode.
    pub fn load(dir: &Path) -> Stats {
        let known = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<OnDisk>(&bytes).ok())
            .filter(|d| d.format == FORMAT)
            .map(|d| (d.entries.into_iter().map(|(p, s, h)| (p, (s, h)))).collect())
            .unwrap_or_default();
        Stats {
            known,
            rehashed: 0,
            dirty: false,
        }
    }

    /// The hash of each wanted file (None where it could not be read), in order: from the
    /// cache where the stamp is unchanged, else read and hashed (in parallel). The cache
    /// then holds exactly these files.
    pub fn hash_all(&mut self, wanted: &[Wanted]) -> Vec<Option<Hash>> {
        let known = &self.known;
        let hashed: Vec<(Option<Hash>, bool)> = wanted
            .par_iter()
            .map(|w| match known.get(path_key(w.path).as_slice()) {
                Some((stamp, hash)) if *stamp == w.stamp => (Some(*hash), false),
                _ => (hash_file(w), true),
            })
            .collect();
        self.rehashed = hashed.iter().filter(|(_, new)| *new).count();
        let now: HashMap<Vec<u8>, (Stamp, Hash)> = (wanted.iter().zip(&hashed))
            .filter_map(|(w, (h, _))| Some((path_key(w.path), (w.stamp, (*h)?))))
            .collect();
        // Nothing hashed anew and nothing gone: what is on disk still holds.
        self.dirty = self.rehashed > 0 || now.len() != self.known.len();
        self.known = now;
        hashed.into_iter().map(|(h, _)| h).collect()
    }

    /// Keeps the cache in `dir` when this build hashed anything or files went, leaving out files stamped
    /// after `started - RACY` (see the module comment). A cache that cannot be written only
    /// costs time later.
    pub fn save(&self, dir: &Path, started: SystemTime) {
        if !self.dirty {
            return;
        }
        let since = (started.checked_sub(RACY))
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut entries: Vec<(Vec<u8>, Stamp, Hash)> = (self.known.iter())
            .filter(|(_, (stamp, _))| !stamp.is_racy(since))
            .map(|(p, (s, h))| (p.clone(), *s, *h))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let disk = OnDisk {
            format: FORMAT.to_string(),
            entries,
        };
        if let Ok(bytes) = postcard::to_stdvec(&disk) {
            let _ = std::fs::create_dir_all(dir)
                .and_then(|_| write_atomically(&dir.join(FILE), &bytes));
        }
    }
}

fn path_key(path: &Path) -> Vec<u8> {
    path.as_os_str().as_encoded_bytes().to_vec()
}

/// A file's content hash, or a link's target's; None when it cannot be read.
fn hash_file(w: &Wanted) -> Option<Hash> {
    let mut h = blake3::Hasher::new();
    match w.kind {
        Kind::Link => {
            let target = std::fs::read_link(w.path).ok()?;
            h.update(target.as_os_str().as_encoded_bytes());
        }
        // Streamed: a docs folder may hold a video of gigabytes.
        Kind::File => {
            h.update_reader(std::fs::File::open(w.path).ok()?).ok()?;
        }
    }
    Some(*h.finalize().as_bytes())
}

#[cfg(unix)]
fn changed_nanos(m: &Metadata) -> u128 {
    use std::os::unix::fs::MetadataExt;
    let secs = u128::try_from(m.ctime()).unwrap_or(0);
    let nanos = u128::try_from(m.ctime_nsec()).unwrap_or(0);
    secs * 1_000_000_000 + nanos
}

#[cfg(not(unix))]
fn changed_nanos(_: &Metadata) -> u128 {
    0
}

#[cfg(unix)]
fn inode(m: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(path: &Path) -> Wanted<'_> {
        let m = std::fs::symlink_metadata(path).unwrap();
        Wanted {
            path,
            kind: Kind::File,
            stamp: Stamp::of(&m),
        }
    }

    #[test]
    fn unchanged_stamps_are_not_read_again_and_new_ones_are() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        let cache = dir.path().join("cache");
        let mut stats = Stats::load(&cache);
        let first = stats.hash_all(&[wanted(&a), wanted(&b)]);
        assert_eq!(stats.rehashed, 2);
        assert_eq!(first[0], Some(*blake3::hash(b"one").as_bytes()));
        // Saved as if the build had started long after: nothing is racy.
        let later = SystemTime::now() + Duration::from_secs(60);
        stats.save(&cache, later);

        let mut again = Stats::load(&cache);
        assert_eq!(again.hash_all(&[wanted(&a), wanted(&b)]), first);
        assert_eq!(again.rehashed, 0);

        // Same size, modification time set back: the change time still differs.
        let before = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::fs::write(&a, "ONE").unwrap();
        let f = std::fs::File::options().write(true).open(&a).unwrap();
        f.set_modified(before).unwrap();
        let third = again.hash_all(&[wanted(&a), wanted(&b)]);
        assert_eq!(again.rehashed, 1);
        assert_eq!(third[0], Some(*blake3::hash(b"ONE").as_bytes()));
    }

    #[test]
    fn files_changed_while_a_build_ran_are_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, "one").unwrap();
        let cache = dir.path().join("cache");
        let mut stats = Stats::load(&cache);
        stats.hash_all(&[wanted(&a)]);
        stats.save(&cache, SystemTime::now());
        let mut next = Stats::load(&cache);
        next.hash_all(&[wanted(&a)]);
        assert_eq!(next.rehashed, 1, "a file stamped just now is not trusted");
    }
}
