//! What each published file is, as tables: its Content-Type, its Cache-Control, and the
//! phase it is uploaded in. A reader must never follow a link to something not uploaded yet,
//! so files go up leaves first: assets (which pages use), then pages (which the entry
//! points link to), then the entry points themselves.

use anyhow::{Context, Result};
use globset::GlobMatcher;

/// Upload phases, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Everything that is not a page: theme assets, search index files, images.
    Asset,
    /// HTML pages other than the entry points.
    Page,
    /// Where readers come in or that names other files: home, catalog, search manifest,
    /// sitemap.
    EntryPoint,
}

pub const PHASES: [Phase; 3] = [Phase::Asset, Phase::Page, Phase::EntryPoint];

impl Phase {
    pub fn of(path: &str) -> Phase {
        if ENTRY_POINTS.contains(&path) {
            Phase::EntryPoint
        } else if path.ends_with(".html") {
            Phase::Page
        } else {
            Phase::Asset
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Asset => "assets",
            Phase::Page => "pages",
            Phase::EntryPoint => "entry points",
        }
    }
}

/// Files that name other files: uploaded last, once what they name is in place.
const ENTRY_POINTS: &[&str] = &[
    "index.html",
    "404.html",
    "catalog/index.html",
    "catalog.json",
    "search/index.html",
    "search/index.json",
    "sitemap.xml",
    "robots.txt",
];

/// Theme assets are linked with `?v=<theme hash>` and search index files are named after
/// their content (search/shards.rs): a changed file always has a new URL.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages and manifests change under the same URL: caches must ask every time (a 304 is cheap).
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
/// Docs images and downloads keep their names when edited: an hour of staleness at most.
pub const SHORT: &str = "public, max-age=3600";

/// The built-in Cache-Control rules; `publish.cache_control` rules come before them.
const DEFAULT_CACHE_CONTROL: &[(&str, &str)] = &[
    ("assets/**", IMMUTABLE),
    ("search/t/*.json", IMMUTABLE),
    ("search/d/*.json", IMMUTABLE),
    ("search/f/*.json", IMMUTABLE),
    ("search/facets.*.json", IMMUTABLE),
    ("**/*.html", REVALIDATE),
    ("**/*.json", REVALIDATE),
    ("**/*.xml", REVALIDATE),
    ("**/*.txt", REVALIDATE),
    // README badges keep their URL while what they say changes (lifecycle, owner, score).
    ("badges/**", REVALIDATE),
    ("**", SHORT),
];

/// Content types that the extension table gets wrong or leaves without a charset.
const CONTENT_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("mjs", "text/javascript; charset=utf-8"),
    ("json", "application/json"),
    ("svg", "image/svg+xml"),
    ("xml", "application/xml"),
    ("txt", "text/plain; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
    ("yaml", "text/yaml; charset=utf-8"),
    ("yml", "text/yaml; charset=utf-8"),
    ("webmanifest", "application/manifest+json"),
    ("wasm", "application/wasm"),
];

pub fn content_type(path: &str) -> String {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let known = ext
        .as_deref()
        .and_then(|e| CONTENT_TYPES.iter().find(|(x, _)| *x == e));
    match known {
        Some((_, t)) => t.to_string(),
        None => mime_guess::from_path(path)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

/// Cache-Control rules, the site's first, then the defaults; the first match wins.
pub struct CacheRules {
    rules: Vec<(GlobMatcher, String)>,
}

impl CacheRules {
    pub fn new(site_rules: &[(String, String)]) -> Result<CacheRules> {
        let defaults = DEFAULT_CACHE_CONTROL
            .iter()
            .map(|(g, v)| (g.to_string(), v.to_string()));
        let rules = (site_rules.iter().cloned().chain(defaults))
            .map(|(glob, value)| {
                let matcher = globset::GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .with_context(|| format!("publish.cache_control: bad glob \"{glob}\""))?
                    .compile_matcher();
                Ok((matcher, value))
            })
            .collect::<Result<_>>()?;
        Ok(CacheRules { rules })
    }

    pub fn for_path(&self, path: &str) -> &str {
        (self.rules.iter())
            .find(|(m, _)| m.is_match(path))
            .map_or(SHORT, |(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_go_up_leaves_first() {
        assert_eq!(Phase::of("assets/stagedoor.css"), Phase::Asset);
        assert_eq!(Phase::of("search/t/ab.0123456789.json"), Phase::Asset);
        assert_eq!(
            Phase::of("catalog/default/component/x/index.html"),
            Phase::Page
        );
        assert_eq!(Phase::of("index.html"), Phase::EntryPoint);
        assert_eq!(Phase::of("search/index.json"), Phase::EntryPoint);
        assert_eq!(Phase::of("sitemap.xml"), Phase::EntryPoint);
        assert!(PHASES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn cache_control_by_kind_and_site_rules_first() {
        let rules = CacheRules::new(&[]).unwrap();
        assert_eq!(rules.for_path("assets/stagedoor.css"), IMMUTABLE);
        assert_eq!(rules.for_path("search/t/ab.0123456789.json"), IMMUTABLE);
        assert_eq!(rules.for_path("search/index.json"), REVALIDATE);
        assert_eq!(rules.for_path("index.html"), REVALIDATE);
        assert_eq!(rules.for_path("docs/a/b/index.html"), REVALIDATE);
        assert_eq!(rules.for_path("docs/a/b/images/x.png"), SHORT);
        // A docs site's own assets folder is not the theme's.
        assert_eq!(rules.for_path("docs/a/b/assets/logo.png"), SHORT);
        // A badge changes under the same URL (a README points at it): never stale.
        let badge = "badges/default/component/x/lifecycle.svg";
        assert_eq!(rules.for_path(badge), REVALIDATE);
        assert_eq!(rules.for_path("docs/a/b/images/x.svg"), SHORT);
        assert_eq!(Phase::of(badge), Phase::Asset);
        let site = [("docs/**/*.png".to_string(), "no-store".to_string())];
        let rules = CacheRules::new(&site).unwrap();
        assert_eq!(rules.for_path("docs/a/b/images/x.png"), "no-store");
        assert!(CacheRules::new(&[("a/[".into(), "x".into())]).is_err());
    }

    #[test]
    fn content_types_carry_charsets() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("i.png"), "image/png");
        assert_eq!(
            content_type("badges/default/api/x/owner.svg"),
            "image/svg+xml"
        );
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
