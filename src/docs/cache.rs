//! Rendered pages kept by content: a page whose Markdown, site and link targets are what they
//! were last time is not rendered again. A key hashes every input of `site::render_page`: the
//! page text, its site as prepared (config, files, nav, URLs), what the link index is made of
//! (every site's entity, URL, pages and assets: links resolve across sites), the URL style and
//! this program's version. Pages that include other files (`--8<--`) are never kept: what
//! they include is not in the key.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cache_pack::Pack;
use super::links::LinkIndex;
use super::site::{self, PageOutput, Prepared};
use crate::urls::Urls;

/// Bumped when rendering changes in a way the version number would not show.
const FORMAT: &str = "stagedoor-page-cache-1";

pub type Key = [u8; 32];

/// Where rendered pages are kept: in memory (`serve`, which renders again and again), or in a
/// pack file (`build`: nothing is held in memory, and only the pages a build asks for are
/// read; see `pack`).
enum Store {
    /// Keeps nothing: every page is rendered.
    Off,
    Memory(Mutex<HashMap<Key, PageOutput>>),
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

/// Fingerprints of one build's sites: each site's own, and the link targets of all of them.
pub struct SiteKeys {
    sites: Vec<blake3::Hash>,
    links: blake3::Hash,
}

impl Default for SiteKeys {
    fn default() -> SiteKeys {
        SiteKeys {
            sites: Vec::new(),
            links: blake3::Hash::from_bytes([0; 32]),
        }
    }
}

impl SiteKeys {
    pub fn new(prepared: &[Prepared], base_url: Option<&str>, urls: Urls) -> SiteKeys {
        let sites: Vec<blake3::Hash> = prepared
            .iter()
            .map(|p| blake3::hash(format!("{p:?}").as_bytes()))
            .collect();
        // Exactly what `link_index` reads, so a title or nav edit elsewhere keeps every key.
        let mut links = blake3::Hasher::new();
        links.update(FORMAT.as_bytes());
        links.update(crate::cache::build_id().as_bytes());
        links.update(format!("{base_url:?} {urls:?}").as_bytes());
        for p in prepared {
            links.update(format!("{}\0{}\0", p.entity.key(), p.url).as_bytes());
            for files in [&p.files.pages, &p.files.assets] {
                for f in files {
                    let line = format!("{}\0{}\0{}\0", f.rel, f.url, f.src.display());
                    links.update(line.as_bytes());
                }
                links.update(b"\x01");
            }
        }
        SiteKeys {
            sites,
            links: links.finalize(),
        }
    }

    fn page_key(&self, site: usize, page: usize, text: &str) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(self.links.as_bytes());
        h.update(self.sites[site].as_bytes());
        h.update(&(site as u64).to_le_bytes());
        h.update(&(page as u64).to_le_bytes());
        h.update(text.as_bytes());
        *h.finalize().as_bytes()
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

    /// Renders a page, or returns its earlier rendering when nothing it depends on changed.
    pub fn render(
        &self,
        keys: &SiteKeys,
        prepared: &[Prepared],
        (si, pi): (usize, usize),
        index: &LinkIndex,
        urls: Urls,
    ) -> PageOutput {
        let (text, read_error) = site::page_text(&prepared[si], pi);
        let cacheable =
            !matches!(self.store, Store::Off) && read_error.is_none() && !text.contains("--8<--");
        let key = cacheable.then(|| keys.page_key(si, pi, &text));
        if let Some(key) = key {
            if let Ok(mut used) = self.used.lock() {
                used.push(key);
            }
            if let Some(hit) = self.get(&key) {
                self.hits.fetch_add(1, Ordering::Relaxed);
                return hit;
            }
        }
        let mut out = site::render_page(&prepared[si], si, pi, &text, index, urls);
        out.diagnostics.splice(0..0, read_error);
        if let Some(key) = key {
            self.put(key, &out);
        }
        out
    }

    fn get(&self, key: &Key) -> Option<PageOutput> {
        match &self.store {
            Store::Off => None,
            Store::Memory(map) => map.lock().ok()?.get(key).cloned(),
            Store::Disk(pack) => {
                let raw = lz4_flex::decompress_size_prepended(&pack.get(key)?).ok()?;
                match postcard::from_bytes::<(&str, PageOutput)>(&raw) {
                    Ok((format, out)) if format == FORMAT => Some(out),
                    _ => None,
                }
            }
        }
    }

    /// Keeps a page; a disk cache that cannot be written only costs time later.
    fn put(&self, key: Key, out: &PageOutput) {
        match &self.store {
            Store::Off => {}
            Store::Memory(map) => {
                if let Ok(mut m) = map.lock() {
                    m.insert(key, out.clone());
                }
            }
            Store::Disk(pack) => {
                if let Ok(raw) = postcard::to_stdvec(&(FORMAT, out)) {
                    pack.put(key, &lz4_flex::compress_prepend_size(&raw));
                }
            }
        }
    }

    /// Forgets every page the latest build did not ask for, so the cache never outgrows one
    /// site's worth of pages. Returns how many pages that build took from the cache.
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
