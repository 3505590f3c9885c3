//! Site-wide files: `catalog.json` (Backstage's entities API shape), `404.html`,
//! `sitemap.xml`, theme assets, and redirect stubs for lower-case spellings of entity URLs.

use std::collections::BTreeMap;

use anyhow::Result;
use minijinja::Value;
use serde_json::{Value as Json, json};

use super::{PageMeta, Site};
use crate::output::OutputFile;
use crate::urls::entity_dir;

/// The 404 page, the theme's assets and the sitemap.
pub fn render_site_files(site: &Site) -> Result<Vec<OutputFile>> {
    let mut files = vec![not_found(site)?];
    // The vendored Mermaid script is 3.5 MB: only sites with a diagram get it.
    let needs_mermaid = site
        .docs
        .sites
        .iter()
        .any(|s| s.pages.iter().any(|p| p.has_mermaid));
    files.extend(
        site.theme
            .assets
            .iter()
            .filter(|(name, _)| needs_mermaid || !name.starts_with("vendor/mermaid/"))
            .map(|(name, bytes)| OutputFile::bytes(format!("assets/{name}"), bytes.clone())),
    );
    if let Some(base) = &site.config.base_url {
        files.push(sitemap(site, base));
    }
    Ok(files)
}

/// Every entity as `GET /api/catalog/entities` returns it: the envelope plus `relations`.
pub(super) fn catalog_json(site: &Site) -> Result<OutputFile> {
    let items: Vec<Json> = site
        .catalog
        .entities
        .iter()
        .map(|e| {
            let mut doc = e.document();
            let relations: Vec<Json> = e
                .relations
                .iter()
                .map(|r| {
                    json!({
                        "type": r.relation.as_str(),
                        "targetRef": r.target.key(),
                        "target": {"kind": r.target.kind, "namespace": r.target.namespace, "name": r.target.name},
                    })
                })
                .collect();
            if let Some(obj) = doc.as_object_mut() {
                obj.insert("relations".into(), Json::Array(relations));
                let score = super::scorecards_page::score_json(site.scores, e);
                obj.insert("score".into(), score);
            }
            doc
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items)?;
    text.push('\n');
    Ok(OutputFile::bytes("catalog.json", text))
}

/// The 404 page is served at any depth, so it links from the site's base path, not relatively.
fn not_found(site: &Site) -> Result<OutputFile> {
    let base_path = site
        .config
        .base_url
        .as_deref()
        .and_then(|b| url::Url::parse(b).ok())
        .map(|u| u.path().trim_end_matches('/').to_string() + "/")
        .unwrap_or_else(|| "/".into());
    let meta = PageMeta {
        title: "Page not found".into(),
        section: "",
        description: None,
    };
    site.render(
        "404.html",
        "404.html",
        meta,
        &[
            ("root", Value::from(base_path)),
            ("case_map", super::to_value(case_map(site))),
        ],
    )
}

/// Backstage keeps the name's case in URLs, but people type lower case. A second folder at
/// the lower-case path would collide with the real one on case-insensitive file systems
/// (macOS, Windows, tools that sync object stores there), so each entity has one folder, and
/// the 404 page sends a wrong-case address to it: this map, from every mixed-case entity's
/// lower-cased page and docs folders to the real ones, is embedded in the 404 page.
fn case_map(site: &Site) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for e in &site.catalog.entities {
        let name = &e.entity_ref.name;
        if *name == name.to_lowercase() {
            continue;
        }
        let mut real = vec![entity_dir(&e.entity_ref)];
        real.extend(site.docs.url_for(&e.entity_ref.key()));
        for dir in real {
            map.insert(dir.to_lowercase(), dir);
        }
    }
    map
}

fn sitemap(site: &Site, base: &str) -> OutputFile {
    let base = base.trim_end_matches('/');
    let mut paths = vec![String::new(), "catalog/".to_string()];
    paths.extend(
        site.catalog
            .entities
            .iter()
            .map(|e| entity_dir(&e.entity_ref)),
    );
    paths.push("docs/".to_string());
    paths.extend(
        site.radars
            .radars
            .iter()
            .enumerate()
            .map(|(i, r)| crate::urls::radar_path(i, &r.id)),
    );
    paths.extend(
        site.docs
            .sites
            .iter()
            .flat_map(|s| s.pages.iter().map(|p| p.url.clone())),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::html::escape(&format!("{base}/{p}"))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile::bytes("sitemap.xml", xml)
}
