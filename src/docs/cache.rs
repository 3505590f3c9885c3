//! Rendered pages kept by content: a page whose Markdown, site and link targets are what they
//! were last time is not rendered again. A key hashes every input of `site::render_page`: the
//! page text, its site as prepared (config, files, nav, URLs), what the link index is made of
//! (every site's entity, URL, pages and assets: links resolve across sites), the URL style and
//! this program's version. Pages that include other files (`--8<--`) are never kept: what
//! they include is not in the key.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::links::LinkIndex;
use super::site::{self, PageOutput, Prepared};
use crate::render::urls::Urls;

/// Bumped when rendering changes in a way the version number would not show.
const FORMAT: &str = "stagedoor-page-cache-1";

pub type Key = [u8; 32];

#[derive(Default)]
pub struct PageCache {
    map: Mutex<HashMap<Key, PageOutput>>,
    /// Keys looked up since the last `retain_used`.
    used: Mutex<Vec<Key>>,
    hits: AtomicUsize,
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
        links.update(env!("CARGO_PKG_VERSION").as_bytes());
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
        let cacheable = read_error.is_none() && !text.contains("--8<--");
        let key = cacheable.then(|| keys.page_key(si, pi, &text));
        if let Some(hit) = key.and_then(|k| self.get(&k)) {
            return hit;
        }
        let mut out = site::render_page(&prepared[si], si, pi, &text, index, urls);
        out.diagnostics.splice(0..0, read_error);
        if let Some(key) = key {
            self.put(key, out.clone());
        }
        out
    }

    fn get(&self, key: &Key) -> Option<PageOutput> {
        self.used.lock().ok()?.push(*key);
        let hit = self.map.lock().ok()?.get(key).cloned();
        if hit.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        hit
    }

    fn put(&self, key: Key, out: PageOutput) {
        if let Ok(mut m) = self.map.lock() {
            m.insert(key, out);
        }
    }

    /// Forgets every page the latest build did not ask for, so the cache never outgrows one
    /// site's worth of pages. Returns how many pages that build took from the cache.
    pub fn retain_used(&self) -> usize {
        let (Ok(mut map), Ok(mut used)) = (self.map.lock(), self.used.lock()) else {
            return 0;
        };
        let keep: std::collections::HashSet<Key> = used.drain(..).collect();
        map.retain(|k, _| keep.contains(k));
        self.hits.swap(0, Ordering::Relaxed)
    }
}
