//! Rendering one docs page through the page store (`cache::pages`): a page whose Markdown,
//! site and link targets are what they were last time is not rendered again. A key hashes
//! every input of `site::render_page`: the page text, its site as prepared (config, files,
//! nav, URLs), what the link index is made of (every site's entity, URL, pages and assets:
//! links resolve across sites), the URL style and this program's version. Pages that include
//! other files (`--8<--`) are never kept: what they include is not in the key.

use super::site::{self, PageOutput, Prepared};
use super::{DocsPlan, PageId, Purpose};
use crate::cache::hash_into;
use crate::cache::pages::{Key, PageCache};
use crate::urls::Urls;

/// Bumped when rendering changes in a way the version number would not show.
const FORMAT: &str = "stagedoor-page-cache-4";

/// Fingerprints of one build's sites: each site's own, and the link targets of all of them.
#[derive(Clone)]
pub struct SiteKeys {
    sites: Vec<blake3::Hash>,
    links: blake3::Hash,
}

impl SiteKeys {
    pub fn new(
        prepared: &[Prepared],
        base_url: Option<&str>,
        urls: Urls,
        (plantuml, markup): (Option<&crate::config::PlantUml>, crate::highlight::Markup),
    ) -> SiteKeys {
        let sites = prepared.iter().map(hash_of).collect();
        // Exactly what `link_index` reads, so a title or nav edit elsewhere keeps every key.
        let mut links = blake3::Hasher::new();
        links.update(FORMAT.as_bytes());
        links.update(crate::cache::build_id().as_bytes());
        let link_inputs: Vec<_> = prepared
            .iter()
            .map(|p| {
                let files = [&p.files.pages, &p.files.assets];
                (p.entity.key(), &p.url, files, &p.files.inline_images)
            })
            .collect();
        // The PlantUML server is part of every page that has a PlantUML block, the markup of
        // every page that has code.
        hash_into(
            &mut links,
            &(base_url, urls.directory_urls, link_inputs, plantuml, markup),
        );
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

fn hash_of<T: serde::Serialize>(value: &T) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    hash_into(&mut h, value);
    h.finalize()
}

/// Renders page `pi` of site `si`, or returns its earlier rendering when nothing it depends
/// on changed.
pub fn render_page(cache: &PageCache, plan: &DocsPlan, id: PageId, purpose: Purpose) -> PageOutput {
    let PageId { site: si, page: pi } = id;
    let (text, read_error) = site::page_text(&plan.prepared[si], pi);
    // A check's pages are not what a site shows (no highlighting): they are never kept.
    let cacheable = cache.is_on()
        && purpose == Purpose::Site
        && read_error.is_none()
        && !text.contains("--8<--");
    let key = cacheable.then(|| plan.keys().page_key(si, pi, &text));
    if let Some(hit) = key.and_then(|k| cache.get(&k)).and_then(|b| decode(&b)) {
        cache.note_hit();
        return hit;
    }
    let highlight = (purpose == Purpose::Site).then_some(plan.markup);
    let p = &plan.prepared[si];
    let mut out = site::render_page(
        p,
        id,
        &text,
        &plan.index,
        plan.urls,
        highlight,
        plan.plantuml.as_ref(),
    );
    out.diagnostics.splice(0..0, read_error);
    if let Some(key) = key
        && let Ok(raw) = postcard::to_stdvec(&(FORMAT, &out))
    {
        cache.put(key, lz4_flex::compress_prepend_size(&raw));
    }
    out
}

/// A kept page; None when its bytes are damaged or of another format (a miss).
fn decode(bytes: &[u8]) -> Option<PageOutput> {
    let raw = lz4_flex::decompress_size_prepended(bytes).ok()?;
    match postcard::from_bytes::<(&str, PageOutput)>(&raw) {
        Ok((format, out)) if format == FORMAT => Some(out),
        _ => None,
    }
}
