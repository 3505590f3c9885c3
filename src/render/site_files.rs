//! Site-wide files: `catalog.json` (Backstage's entities API shape), `404.html`,
//! `sitemap.xml`, theme assets, and redirect stubs for lower-case spellings of entity URLs.

use anyhow::Result;
use minijinja::Value;
use serde_json::{Value as Json, json};

use super::{PageMeta, Site};
use crate::output::OutputFile;
use crate::urls::{entity_dir, url_segment};

pub fn render_site_files(site: &Site) -> Result<Vec<OutputFile>> {
    let mut files = vec![catalog_json(site)?, not_found(site)?];
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
    files.extend(case_redirects(site)?);
    if let Some(base) = &site.config.base_url {
        files.push(sitemap(site, base));
    }
    Ok(files)
}

/// Every entity as `GET /api/catalog/entities` returns it: the envelope plus `relations`.
fn catalog_json(site: &Site) -> Result<OutputFile> {
    let items: Vec<Json> = site
        .catalog
        .entities
        .iter()
        .map(|e| {
            let mut doc = e.raw.clone();
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
        &[("root", Value::from(base_path))],
    )
}

/// Backstage keeps the name's case in URLs, but people type lower case: a stub at the
/// lower-case path redirects to the real page.
fn case_redirects(site: &Site) -> Result<Vec<OutputFile>> {
    let mut out = Vec::new();
    for e in &site.catalog.entities {
        let name = &e.entity_ref.name;
        if *name == name.to_lowercase() {
            continue;
        }
        let real = entity_dir(&e.entity_ref);
        let stub = real.replace(
            &format!("/{}/", url_segment(name)),
            &format!("/{}/", url_segment(&name.to_lowercase())),
        );
        let target = site.urls.href(&format!("../{}/", url_segment(name)));
        let html = site
            .theme
            .env
            .get_template("redirect.html")?
            .render(minijinja::context! { target => target })?;
        let mut f = OutputFile::bytes(format!("{stub}index.html"), html);
        f.is_alias = true;
        out.push(f);
    }
    Ok(out)
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
