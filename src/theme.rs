//! Theme: the default theme embedded in the binary (one table below), with any file of a
//! site's own `theme/` folder overriding the file at the same path. Templates become one
//! minijinja `Environment`, loaded once per build; static files are copied to `assets/`.
//! Every built-in template is also named `default/<path>`, for overrides that extend it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use minijinja::Environment;

use crate::highlight::Markup;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of `themes/default/`, by its path inside the theme.
const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/home.html",
    "templates/catalog.html",
    "templates/apis.html",
    "templates/entity.html",
    "templates/api_reference_page.html",
    "templates/docs_page.html",
    "templates/docs_index.html",
    "templates/problems.html",
    "templates/radar.html",
    "templates/404.html",
    "templates/search.html",
    "templates/redirect.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "templates/partials/macros.html",
    "templates/partials/api.html",
    "templates/partials/api_reference.html",
    "templates/partials/template_form.html",
    "templates/partials/relation_graph.html",
    "templates/partials/scorecard.html",
    "templates/scorecards.html",
    "static/stagedoor.css",
    "static/stagedoor.js",
    "static/favicon.svg",
    "static/mermaid-init.js",
    "static/docs.js",
    "static/vendor/twemoji/LICENSE",
    "static/search.js",
    "static/vendor/elasticlunr/elasticlunr.min.js",
    "static/vendor/elasticlunr/LICENSE",
    "static/radar.css",
    "static/graph.css",
    "static/radar.js",
    "static/vendor/mermaid/mermaid.min.js",
    "static/vendor/mermaid/LICENSE",
];

pub struct Theme {
    pub env: Environment<'static>,
    /// Static files by their path under `assets/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// A short hash of every asset, appended to asset URLs so caches see new versions.
    pub asset_version: String,
    /// How highlighted code is marked up: the markup `static/highlight.css` is written for.
    pub markup: Markup,
}

/// Loads the default theme and applies the overrides found in `override_dir`.
pub fn load_theme(override_dir: Option<&Path>) -> Result<Theme> {
    let markup = Markup::for_theme(override_dir);
    let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_THEME
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .chain(default_aliases())
        .collect();
    // Syntax colours come from the highlighter, so they always match its class names.
    files.insert(
        "static/highlight.css".into(),
        crate::highlight::stylesheet(markup).into_bytes(),
    );
    if let Some(dir) = override_dir.filter(|d| d.is_dir()) {
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.with_context(|| format!("reading theme folder {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel =
                crate::fsutil::slash_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("reading {}", entry.path().display()))?;
            files.insert(rel, bytes);
        }
    }
    let mut env = Environment::new();
    let syntax = env
        .syntax()
        .to_builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .context("template syntax")?;
    env.set_syntax(syntax);
    env.set_formatter(format_value);
    let mut assets = BTreeMap::new();
    let mut hasher = blake3::Hasher::new();
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes)
                .with_context(|| format!("theme template {path} is not UTF-8"))?;
            env.add_template_owned(name.to_string(), text)
                .with_context(|| format!("theme template {path}"))?;
        } else if let Some(name) = path.strip_prefix("static/") {
            hasher.update(name.as_bytes());
            hasher.update(&bytes);
            assets.insert(name.to_string(), bytes);
        }
    }
    let asset_version = hasher.finalize().to_hex()[..10].to_string();
    Ok(Theme {
        env,
        assets,
        asset_version,
        markup,
    })
}

/// Every embedded template again as `default/<path>`, so that a site's override can extend
/// the built-in file it replaces and change one block instead of copying it. The built-in
/// templates never name a `default/` template, so an override of `base.html` that extends
/// `default/base.html` cannot loop back to itself. These are inserted before the site's files:
/// a site that already had its own `templates/default/…` keeps it.
fn default_aliases() -> impl Iterator<Item = (String, Vec<u8>)> {
    DEFAULT_THEME.iter().filter_map(|(path, bytes)| {
        let name = path.strip_prefix("templates/")?;
        Some((format!("templates/default/{name}"), bytes.to_vec()))
    })
}

/// Like minijinja's default formatter, except that `none`/undefined print nothing (optional
/// fields need no `if`) and HTML escaping leaves `/` alone (smaller pages, same safety).
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    if *state.auto_escape() == minijinja::AutoEscape::None || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let written = match value.as_str() {
        Some(text) => crate::html::write_escaped(out, text),
        None => crate::html::write_escaped(out, &value.to_string()),
    };
    written.map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_parses_and_has_its_assets() {
        let theme = load_theme(None).unwrap();
        for t in [
            "base.html",
            "entity.html",
            "catalog.html",
            "home.html",
            "problems.html",
            "radar.html",
            "404.html",
        ] {
            assert!(theme.env.get_template(t).is_ok(), "{t}");
        }
        assert!(theme.assets.contains_key("stagedoor.css"));
    }

    #[test]
    fn a_site_theme_overrides_files_by_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(
            dir.path().join("templates/partials/footer.html"),
            "<footer>ours</footer>",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/extra.css"), "body{}").unwrap();
        let default = load_theme(None).unwrap();
        let theme = load_theme(Some(dir.path())).unwrap();
        let footer = theme
            .env
            .get_template("partials/footer.html")
            .unwrap()
            .render(())
            .unwrap();
        assert_eq!(footer, "<footer>ours</footer>");
        assert!(theme.assets.contains_key("extra.css"));
        assert_ne!(theme.asset_version, default.asset_version);
    }

    fn render_404(theme: &Theme) -> String {
        let ctx = serde_json::json!({
            "root": "../",
            "site": {"title": "Portal", "asset_version": "v1"},
            "page": {"title": "Not found", "section": "home"},
            "nav": {"home": "", "catalog": "catalog/", "items": [{"id": "home", "title": "Home", "href": ""}]},
        });
        let template = theme.env.get_template("404.html").unwrap();
        template.render(minijinja::value::Serde(ctx)).unwrap()
    }

    #[test]
    fn an_override_extends_the_built_in_template_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/base.html"),
            "{% extends \"default/base.html\" %}\n\
             {% block site_header %}<div class=\"banner\">Freeze</div>{{ super() }}{% endblock %}",
        )
        .unwrap();
        let theme = load_theme(Some(dir.path())).unwrap();
        let built_in = render_404(&load_theme(None).unwrap());
        let page = render_404(&theme);
        assert!(
            built_in.contains("<header class=\"site-header\">"),
            "{built_in}"
        );
        assert_eq!(
            page,
            built_in.replacen(
                "<header class=\"site-header\">",
                "<div class=\"banner\">Freeze</div><header class=\"site-header\">",
                1
            )
        );
    }

    #[test]
    fn default_names_stay_the_built_in_templates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(dir.path().join("templates/partials/footer.html"), "ours").unwrap();
        let theme = load_theme(Some(dir.path())).unwrap();
        for (path, bytes) in DEFAULT_THEME {
            let Some(name) = path.strip_prefix("templates/") else {
                continue;
            };
            let built_in = theme.env.get_template(&format!("default/{name}")).unwrap();
            assert_eq!(built_in.source().as_bytes(), *bytes, "{name}");
        }
    }
}
