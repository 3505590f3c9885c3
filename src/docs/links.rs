//! Links: every URL a docs page writes, turned into the URL of the built site. Relative
//! links to `.md` files become page URLs (in this site or another entity's), images and files
//! are copied, Backstage-shaped `/docs/…` and `/catalog/…` links become relative, and every
//! internal target (and `#anchor`) is recorded so a later pass can check it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::PageId;
use crate::fsutil;
use crate::markdown::{LinkKind, LinkRewriter};
use crate::urls::{PORTAL_SECTIONS, Urls, relative};

/// Where a built file lives: (site index, page index) for pages, or an asset's site path.
#[derive(Clone, Debug)]
pub enum Target {
    Page(PageId),
    Asset {
        url: String,
    },
    /// A scripted SVG: shown inline as an image, never published as a file.
    ImageOnly {
        data_url: String,
        why: String,
    },
}

/// Every page and asset of every docs site, by source path and by entity, built before any
/// page renders so links can resolve across sites.
#[derive(Default)]
pub struct LinkIndex {
    /// Canonical source path → targets (several entities may share one docs folder).
    pub by_src: HashMap<PathBuf, Vec<Target>>,
    /// A source path as the docs walk found it (lexically normal, no `..`) → its canonical
    /// path, where the two differ (through a symbolic link): a link written to it is resolved
    /// without asking the file system. A path found that is a key of `by_src` is its own.
    pub canonical: HashMap<PathBuf, PathBuf>,
    /// Source paths with no real path (a generated home page, a file gone since the walk):
    /// keys of `by_src`, but no link resolves to them.
    pub unreal: HashSet<PathBuf>,
    /// Entity key → (site index, site URL folder).
    pub sites_by_entity: HashMap<crate::catalog::EntityKey, (usize, String)>,
    /// site index → page URL folder (site-relative, `docs/…/guide/setup/`) by page index.
    pub page_urls: Vec<Vec<String>>,
    /// site index → page rel path → page index.
    pub page_by_rel: Vec<HashMap<String, usize>>,
    /// site-relative URL prefixes: `base_url` path, for links written as full portal URLs.
    pub base_url: Option<String>,
    /// Site-relative URLs of every copied asset and every page folder, with the page a
    /// folder is of (the first page of its site with that URL).
    pub built_urls: HashMap<String, Option<PageId>>,
}

impl LinkIndex {
    /// Remembers what the file system said of a source (`SourceKey::of`) and gives its key
    /// in `by_src`.
    pub fn add_key(&mut self, found: SourceKey) -> PathBuf {
        let SourceKey { key, walked, real } = found;
        if !real {
            self.unreal.insert(key.clone());
        }
        if let Some(walked) = walked {
            self.canonical.insert(walked, key.clone());
        }
        key
    }
}

/// A source file's key in `by_src`: its canonical path (the path itself when it has none:
/// `real` false), and the path as found where a link written to it would not find the key.
pub struct SourceKey {
    key: PathBuf,
    /// The lexically normal path as found, where it differs from the key.
    walked: Option<PathBuf>,
    /// The file has a real path (else no link resolves to it: `unreal`).
    real: bool,
}

impl SourceKey {
    /// Asks the file system (a stat, and a realpath per folder through `real`): safe to do
    /// for many files at once, unlike the index's bookkeeping.
    pub fn of(src: &Path, real: &mut fsutil::RealPaths) -> SourceKey {
        let Some(key) = real.of(src) else {
            return SourceKey {
                key: src.to_path_buf(),
                walked: None,
                real: false,
            };
        };
        // With a `..` the lexical and the real path may part ways (through a symbolic link).
        let walked = (!src
            .components()
            .any(|c| c == std::path::Component::ParentDir))
        .then(|| fsutil::normalize(src))
        .filter(|found| *found != key);
        SourceKey {
            key,
            walked,
            real: true,
        }
    }
}

/// An internal link to check once every page has rendered.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PendingCheck {
    pub target: PageId,
    pub anchor: String,
    pub line: usize,
}

/// A link that could not be resolved while rendering.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Broken {
    pub url: String,
    pub line: usize,
    pub is_image: bool,
    /// The file exists but is only shown as an image, for this reason (`docs::active`).
    #[serde(default)]
    pub withheld: Option<String>,
}

/// The rewriter for one page; collects checks, broken links and assets to copy.
pub struct PageLinks<'a> {
    pub index: &'a LinkIndex,
    pub urls: Urls,
    pub site: usize,
    pub page: usize,
    /// The page's source file and its site's docs root.
    pub src: &'a Path,
    pub docs_root: &'a Path,
    pub checks: Vec<PendingCheck>,
    pub broken: Vec<Broken>,
}

impl PageLinks<'_> {
    fn here(&self) -> &str {
        &self.index.page_urls[self.site][self.page]
    }

    fn page_href(&self, site: usize, page: usize, fragment: &str) -> String {
        let to = self.urls.href(&self.index.page_urls[site][page]);
        format!("{}{fragment}", relative(self.here(), &to))
    }

    /// `/docs/<ns>/<kind>/<name>/<path>` (or the same under base_url) → a page of that site.
    fn portal_link(&mut self, path: &str, fragment: &str, line: usize) -> Option<String> {
        let path = path.trim_start_matches('/');
        if let Some(rest) = path.strip_prefix("docs/") {
            let parts: Vec<&str> = rest.splitn(4, '/').collect();
            let [ns, kind, name, ..] = parts[..] else {
                return None;
            };
            let key = crate::catalog::EntityRef::new(kind, ns, name).key();
            let &(site, ref site_url) = self.index.sites_by_entity.get(&key)?;
            let inner = parts
                .get(3)
                .copied()
                .unwrap_or("")
                .trim_end_matches("index.html");
            let wanted = format!("{site_url}{}", inner.trim_start_matches('/'));
            let wanted = if wanted.ends_with('/') || wanted.is_empty() {
                wanted
            } else {
                format!("{wanted}/")
            };
            // Site URLs are distinct, so the page of `wanted` is in `site`.
            let page = match self.index.built_urls.get(&wanted) {
                Some(Some(id)) if id.site == site => Some(id.page),
                _ => None,
            };
            return Some(match page {
                Some(page) => {
                    self.check(site, page, fragment, line);
                    self.page_href(site, page, fragment)
                }
                None => {
                    self.broken.push(Broken {
                        url: format!("/{path}"),
                        line,
                        is_image: false,
                        withheld: None,
                    });
                    format!("/{path}{fragment}")
                }
            });
        }
        if path.starts_with("catalog/") {
            let to = self.urls.href(&format!("{}/", path.trim_end_matches('/')));
            return Some(format!("{}{fragment}", relative(self.here(), &to)));
        }
        None
    }

    fn check(&mut self, site: usize, page: usize, fragment: &str, line: usize) {
        let anchor = fragment.trim_start_matches('#');
        if !anchor.is_empty() {
            self.checks.push(PendingCheck {
                target: PageId { site, page },
                anchor: percent_decode(anchor),
                line,
            });
        }
    }

    /// The target of a file path: the file, or the index page of a folder.
    fn find_file(&self, joined: &Path) -> Option<Target> {
        let candidates = [
            joined.to_path_buf(),
            joined.join("index.md"),
            joined.join("README.md"),
        ];
        candidates.iter().find_map(|c| {
            let index = self.index;
            let real = match index.canonical.get(c) {
                Some(real) => real.clone(),
                None if index.by_src.contains_key(c) && !index.unreal.contains(c) => c.clone(),
                None => c.canonicalize().ok()?,
            };
            self.index
                .by_src
                .get(&real)
                .map(|targets| pick(targets, self.site).clone())
        })
    }

    fn relative_file(
        &mut self,
        path: &str,
        fragment: &str,
        query: &str,
        kind: LinkKind,
        line: usize,
    ) -> String {
        let decoded = percent_decode(path);
        let base = self.src.parent().unwrap_or(self.docs_root);
        let found = self.find_file(&fsutil::normalize(&base.join(&decoded)));
        match found {
            Some(target) => self.link_to(target, path, fragment, query, kind, line),
            // MkDocs leaves raw HTML URLs alone, so they are relative to the page's *output*
            // folder; pages written for MkDocs rely on that.
            None if matches!(kind, LinkKind::HtmlSrc | LinkKind::HtmlHref)
                && self.built_at_output(&decoded) =>
            {
                format!("{path}{query}{fragment}")
            }
            None => self.broken_file(path, &decoded, fragment, query, kind, line),
        }
    }

    /// A site-root path (`/img/x.png`) that is not a portal route: resolved against the docs
    /// root when a file is there (MkDocs' `absolute_links: relative_to_docs`, and what an
    /// author testing with `mkdocs serve` saw), else reported: on the portal it would lead
    /// to the portal's root, where nothing of these docs is.
    fn root_file(
        &mut self,
        path: &str,
        fragment: &str,
        query: &str,
        kind: LinkKind,
        line: usize,
    ) -> String {
        let decoded = percent_decode(path);
        let inner = decoded.trim_start_matches('/');
        let joined = fsutil::normalize(&self.docs_root.join(inner));
        let found = joined
            .starts_with(self.docs_root)
            .then(|| self.find_file(&joined))
            .flatten();
        let first = inner.split('/').next().unwrap_or("");
        match found {
            Some(target) => self.link_to(target, path, fragment, query, kind, line),
            // `/search/`, `/docs/`: the portal's own pages, which exist wherever it is served.
            None if PORTAL_SECTIONS.contains(&first) => format!("{path}{query}{fragment}"),
            None => self.broken_file(path, &decoded, fragment, query, kind, line),
        }
    }

    /// The link to a resolved file, from this page.
    fn link_to(
        &mut self,
        target: Target,
        path: &str,
        fragment: &str,
        query: &str,
        kind: LinkKind,
        line: usize,
    ) -> String {
        match target {
            Target::Page(PageId { site, page }) => {
                self.check(site, page, fragment, line);
                self.page_href(site, page, fragment)
            }
            Target::Asset { url } => {
                format!("{}{query}{fragment}", relative(self.here(), &url))
            }
            Target::ImageOnly { data_url, .. }
                if matches!(kind, LinkKind::Image | LinkKind::HtmlSrc) =>
            {
                data_url
            }
            Target::ImageOnly { why, .. } => {
                self.broken.push(Broken {
                    url: path.to_string(),
                    line,
                    is_image: false,
                    withheld: Some(why),
                });
                format!("{path}{query}{fragment}")
            }
        }
    }

    /// Records a link to nothing and keeps it as written.
    fn broken_file(
        &mut self,
        path: &str,
        decoded: &str,
        fragment: &str,
        query: &str,
        kind: LinkKind,
        line: usize,
    ) -> String {
        let is_image = matches!(kind, LinkKind::Image | LinkKind::HtmlSrc)
            || !super::nav::is_markdown(decoded) && !decoded.ends_with('/');
        self.broken.push(Broken {
            url: path.to_string(),
            line,
            is_image,
            withheld: None,
        });
        format!("{path}{query}{fragment}")
    }
}

impl PageLinks<'_> {
    fn built_at_output(&self, path: &str) -> bool {
        let joined = fsutil::slash_path(&fsutil::normalize(Path::new(&format!(
            "{}{path}",
            self.here()
        ))));
        self.index.built_urls.contains_key(&joined)
            || self.index.built_urls.contains_key(&format!("{joined}/"))
    }
}

/// Prefer a target in the current site when a file belongs to several.
fn pick(targets: &[Target], site: usize) -> &Target {
    targets
        .iter()
        .find(|t| matches!(t, Target::Page(p) if p.site == site))
        .unwrap_or(&targets[0])
}

impl LinkRewriter for PageLinks<'_> {
    fn rewrite(&mut self, url: &str, kind: LinkKind, line: usize) -> String {
        let url = url.trim();
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return self
                .strip_base(url, line)
                .unwrap_or_else(|| url.to_string());
        }
        let (rest, fragment) = split_at_char(url, '#');
        let (path, query) = split_at_char(rest, '?');
        if path.is_empty() {
            let (site, page) = (self.site, self.page);
            self.check(site, page, fragment, line);
            return url.to_string();
        }
        if path.starts_with('/') {
            // `/` alone is the portal's home page, as the author meant.
            if path == "/" {
                return url.to_string();
            }
            return match self.portal_link(path, fragment, line) {
                Some(href) => href,
                None => self.root_file(path, fragment, query, kind, line),
            };
        }
        self.relative_file(path, fragment, query, kind, line)
    }
}

impl PageLinks<'_> {
    /// A full portal URL (`https://portal.example/docs/…`) is treated like `/docs/…`.
    fn strip_base(&mut self, url: &str, line: usize) -> Option<String> {
        let base = self.index.base_url.as_deref()?.trim_end_matches('/');
        let rest = url.strip_prefix(base)?;
        let (path, fragment) = split_at_char(rest, '#');
        self.portal_link(path, fragment, line)
    }
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !url[..colon].contains('/')
}

/// Splits at the first `c`, keeping `c` at the start of the second part.
fn split_at_char(s: &str, c: char) -> (&str, &str) {
    s.find(c).map_or((s, ""), |i| (&s[..i], &s[i..]))
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_decoding() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("guide/a:b.md"));
        assert!(!has_scheme("./a.md"));
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
