//! The page store: rendered docs pages kept by a key that hashes everything they depend on
//! (the docs stage makes the keys and the bytes: `docs::render`). A store is off (every page
//! renders), in memory (`serve`, which renders again and again), or a pack file on disk
//! (`build`: nothing is held in memory, and only the pages a build asks for are read; see
//! `pack`). It remembers which keys a build asked for, so it never outgrows one site's pages.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::pack::Pack;

pub type Key = [u8; 32];

enum Store {
    Off,
    Memory(Mutex<HashMap<Key, Vec<u8>>>),
    Disk(Pack),
}

pub struct PageCache {
    store: Store,
    /// Keys looked up since the last `retain_used`.
    used: Mutex<Vec<Key>>,
    hits: AtomicUsize,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache::with(Store::Off)
    }
}

impl PageCache {
    pub fn in_memory() -> PageCache {
        PageCache::with(Store::Memory(Mutex::default()))
    }

    /// A cache kept in `dir` (created when the first page is kept).
    pub fn on_disk(dir: PathBuf) -> PageCache {
        PageCache::with(Store::Disk(Pack::open(dir)))
    }

    fn with(store: Store) -> PageCache {
        PageCache {
            store,
            used: Mutex::default(),
            hits: AtomicUsize::new(0),
        }
    }

    /// Whether pages are kept at all (when not, callers need not compute keys).
    pub fn is_on(&self) -> bool {
        !matches!(self.store, Store::Off)
    }

    /// The bytes kept under `key`, noting that this build uses the key.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        if let Ok(mut used) = self.used.lock() {
            used.push(*key);
        }
        match &self.store {
            Store::Off => None,
            Store::Memory(map) => map.lock().ok()?.get(key).cloned(),
            Store::Disk(pack) => pack.get(key),
        }
    }

    /// Counts a page served from the cache (one whose bytes `get` returned and that decoded).
    pub fn note_hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps `bytes` under `key`; a disk cache that cannot be written only costs time later.
    pub fn put(&self, key: Key, bytes: Vec<u8>) {
        match &self.store {
            Store::Off => {}
            Store::Memory(map) => {
                if let Ok(mut m) = map.lock() {
                    m.insert(key, bytes);
                }
            }
            Store::Disk(pack) => pack.put(key, &bytes),
        }
    }

    /// Forgets every page the latest build did not ask for. Returns how many pages that build
    /// took from the cache.
    pub fn retain_used(&self) -> usize {
        let Ok(mut used) = self.used.lock() else {
            return 0;
        };
        let keep: HashSet<Key> = used.drain(..).collect();
        match &self.store {
            Store::Off => {}
            Store::Memory(map) => {
                if let Ok(mut m) = map.lock() {
                    m.retain(|k, _| keep.contains(k));
                }
            }
            Store::Disk(pack) => pack.keep_only(&keep),
        }
        self.hits.swap(0, Ordering::Relaxed)
    }
}
