//! The page cache on disk: one file, `pages.pack`, holding a format line and then records
//! `key (32 bytes) | length (u32, little-endian) | bytes`. One file rather than a file per page:
//! creating 20,000 small files cost a cold build 7 s on ext4 (an inode each), writing one
//! file front to back costs a fraction of a second.
//!
//! A build reads the old pack where it lies, appends the pages it renders to a fresh pack,
//! copies in the old pages it used, and renames the fresh pack over the old one, so the pack
//! holds exactly the last build's pages. Builds running at once each write their own fresh
//! pack; the last to finish wins. A damaged pack is read as far as it is sound, and a record
//! that does not decode is a miss (see `cache::pages`).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::pages::Key;
use crate::fsutil::process_is_gone;

const FILE: &str = "pages.pack";
const MAGIC: &[u8] = b"stagedoor-pages-1\n";
/// Where each record's bytes lie in a pack: offset and length.
type Index = HashMap<Key, (u64, u32)>;

/// No page record is near this; a larger length means the file is damaged.
const MAX_RECORD: u32 = 256 * 1024 * 1024;

pub struct Pack {
    dir: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The last build's pack and where each of its records lies.
    old: Option<(File, Index)>,
    /// This build's pack, once it has a page to keep.
    new: Option<Fresh>,
}

struct Fresh {
    path: PathBuf,
    file: BufWriter<File>,
    keys: HashSet<Key>,
    /// A write failed: the fresh pack is dropped, not renamed.
    failed: bool,
}

impl Pack {
    pub fn open(dir: PathBuf) -> Pack {
        remove_abandoned(&dir);
        let old = File::open(dir.join(FILE))
            .ok()
            .map(|f| {
                let index = read_index(&f).unwrap_or_default();
                (f, index)
            })
            .filter(|(_, index)| !index.is_empty());
        Pack {
            dir,
            inner: Mutex::new(Inner { old, new: None }),
        }
    }

    /// The bytes kept under `key` by the last build.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let mut inner = self.inner.lock().ok()?;
        let (file, index) = inner.old.as_mut()?;
        let &(offset, len) = index.get(key)?;
        let mut bytes = vec![0; len as usize];
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Keeps `bytes` under `key` in this build's pack.
    pub fn put(&self, key: Key, bytes: &[u8]) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(fresh) = fresh(&mut inner.new, &self.dir) {
            fresh.append(key, bytes);
        }
    }

    /// Makes this build's pack the cache: its own pages plus the old pages in `keep`.
    pub fn keep_only(&self, keep: &HashSet<Key>) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let inner = &mut *inner;
        let unchanged = inner.new.is_none()
            && inner
                .old
                .as_ref()
                .is_some_and(|(_, index)| index.len() == keep.len());
        if unchanged || (inner.new.is_none() && keep.is_empty()) {
            return;
        }
        if let Some((file, index)) = &mut inner.old {
            let mut carried: Vec<(&Key, &(u64, u32))> =
                index.iter().filter(|(k, _)| keep.contains(*k)).collect();
            carried.sort_by_key(|(_, at)| at.0);
            for (key, &(offset, len)) in carried {
                let mut bytes = vec![0; len as usize];
                let read = file
                    .seek(SeekFrom::Start(offset))
                    .and_then(|_| file.read_exact(&mut bytes));
                if let (Ok(()), Some(fresh)) = (read, fresh(&mut inner.new, &self.dir)) {
                    fresh.append(*key, &bytes);
                }
            }
        }
        if let Some(fresh) = inner.new.take() {
            fresh.commit(&self.dir.join(FILE));
        }
        // Later builds in this process read what was just kept.
        *inner = Inner::default();
        if let Ok(f) = File::open(self.dir.join(FILE)) {
            inner.old = read_index(&f).map(|index| (f, index));
        }
    }
}

impl Drop for Pack {
    fn drop(&mut self) {
        if let Ok(inner) = self.inner.get_mut()
            && let Some(fresh) = inner.new.take()
        {
            let _ = std::fs::remove_file(&fresh.path);
        }
    }
}

/// This build's pack, started on first use; None when it cannot be written.
fn fresh<'a>(new: &'a mut Option<Fresh>, dir: &Path) -> Option<&'a mut Fresh> {
    if new.is_none() {
        let path = dir.join(format!("{FILE}.tmp-{}", std::process::id()));
        let file = std::fs::create_dir_all(dir).and_then(|_| File::create(&path));
        let mut file = BufWriter::with_capacity(1 << 20, file.ok()?);
        let failed = file.write_all(MAGIC).is_err();
        *new = Some(Fresh {
            path,
            file,
            keys: HashSet::new(),
            failed,
        });
    }
    new.as_mut().filter(|f| !f.failed)
}

impl Fresh {
    fn append(&mut self, key: Key, bytes: &[u8]) {
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        if len > MAX_RECORD || !self.keys.insert(key) {
            return;
        }
        let written = self
            .file
            .write_all(&key)
            .and_then(|_| self.file.write_all(&len.to_le_bytes()))
            .and_then(|_| self.file.write_all(bytes));
        self.failed |= written.is_err();
    }

    fn commit(mut self, to: &Path) {
        let done =
            !self.failed && self.file.flush().is_ok() && std::fs::rename(&self.path, to).is_ok();
        if !done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Where each sound record of a pack lies; None when the file is not a pack.
fn read_index(file: &File) -> Option<Index> {
    let size = file.metadata().ok()?.len();
    let mut r = BufReader::new(file);
    let mut magic = vec![0; MAGIC.len()];
    r.read_exact(&mut magic).ok()?;
    if magic != MAGIC {
        return None;
    }
    let mut index = HashMap::new();
    let mut at = MAGIC.len() as u64;
    let mut head = [0u8; 36];
    while r.read_exact(&mut head).is_ok() {
        let mut key = [0u8; 32];
        key.copy_from_slice(&head[..32]);
        let len = u32::from_le_bytes([head[32], head[33], head[34], head[35]]);
        let start = at + 36;
        if len > MAX_RECORD || start + u64::from(len) > size {
            break;
        }
        index.insert(key, (start, len));
        at = start + u64::from(len);
        if r.seek_relative(i64::from(len)).is_err() {
            break;
        }
    }
    Some(index)
}

/// Temporary files (`pages.pack.tmp-<pid>`, `stats.tmp-<pid>`…) of builds that were killed
/// before they renamed them into place.
fn remove_abandoned(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = (name.rsplit_once(".tmp-")).and_then(|(_, p)| p.parse::<u32>().ok());
        if pid.is_some_and(process_is_gone) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        [n; 32]
    }

    #[test]
    fn a_pack_keeps_the_pages_a_build_used_and_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let first = Pack::open(dir.path().to_path_buf());
        first.put(key(1), b"one");
        first.put(key(2), b"two");
        first.keep_only(&HashSet::from([key(1), key(2)]));
        drop(first);

        let second = Pack::open(dir.path().to_path_buf());
        assert_eq!(second.get(&key(1)).as_deref(), Some(&b"one"[..]));
        assert_eq!(second.get(&key(3)), None);
        second.put(key(3), b"three");
        second.keep_only(&HashSet::from([key(2), key(3)]));
        assert_eq!(second.get(&key(3)).as_deref(), Some(&b"three"[..]));
        drop(second);

        let third = Pack::open(dir.path().to_path_buf());
        assert_eq!(third.get(&key(1)), None, "unused pages are forgotten");
        assert_eq!(third.get(&key(2)).as_deref(), Some(&b"two"[..]));
        assert_eq!(third.get(&key(3)).as_deref(), Some(&b"three"[..]));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no fresh pack is left behind");
    }

    #[test]
    fn a_cut_or_damaged_pack_is_read_as_far_as_it_is_sound() {
        let dir = tempfile::tempdir().unwrap();
        let pack = Pack::open(dir.path().to_path_buf());
        pack.put(key(1), b"one");
        pack.put(key(2), &[7; 1000]);
        pack.keep_only(&HashSet::from([key(1), key(2)]));
        drop(pack);
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        let cut = Pack::open(dir.path().to_path_buf());
        assert_eq!(cut.get(&key(1)).as_deref(), Some(&b"one"[..]));
        assert_eq!(cut.get(&key(2)), None);

        std::fs::write(&path, b"not a pack at all").unwrap();
        assert_eq!(Pack::open(dir.path().to_path_buf()).get(&key(1)), None);
    }

    #[test]
    fn a_build_that_stops_early_leaves_the_old_pack() {
        let dir = tempfile::tempdir().unwrap();
        let pack = Pack::open(dir.path().to_path_buf());
        pack.put(key(1), b"one");
        pack.keep_only(&HashSet::from([key(1)]));
        drop(pack);
        let stopped = Pack::open(dir.path().to_path_buf());
        stopped.put(key(2), b"two");
        drop(stopped);
        let after = Pack::open(dir.path().to_path_buf());
        assert_eq!(after.get(&key(1)).as_deref(), Some(&b"one"[..]));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
