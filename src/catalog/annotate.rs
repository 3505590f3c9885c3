//! Provenance annotations Backstage adds to every entity it reads (spec §5.2):
//! `managed-by-location`, and for repositories with a `repo_url` the view, edit and source
//! links. Values the file sets itself win.

use serde_json::Value as Json;

use super::model::Entity;
use crate::config::Config;
use crate::fsutil::slash_path;
use crate::repos::Repos;

pub fn add_location_annotations(entity: &mut Entity, config: &Config, repos: &Repos) {
    let file = entity.source.file.clone();
    let mut added: Vec<(&str, String)> = Vec::new();
    match repos.repo_url_of(&file) {
        Some((url, branch, repo)) => {
            let rel = slash_path(file.strip_prefix(&repo).unwrap_or(&file));
            let dir = rel
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/"));
            let view = format!("{url}/blob/{branch}/{rel}");
            added.push(("backstage.io/managed-by-location", format!("url:{view}")));
            added.push((
                "backstage.io/managed-by-origin-location",
                format!("url:{view}"),
            ));
            added.push(("backstage.io/view-url", view));
            added.push((
                "backstage.io/edit-url",
                format!("{url}/edit/{branch}/{rel}"),
            ));
            added.push((
                "backstage.io/source-location",
                format!("url:{url}/tree/{branch}/{dir}"),
            ));
            if let Some(slug) = url.strip_prefix("https://github.com/")
                && entity.entity_ref.kind == "component"
            {
                added.push(("github.com/project-slug", slug.to_string()));
            }
        }
        None => {
            let shown = config.shown().path(&file);
            added.push(("backstage.io/managed-by-location", format!("file:{shown}")));
            added.push((
                "backstage.io/managed-by-origin-location",
                format!("file:{shown}"),
            ));
        }
    }
    for (key, value) in added {
        if entity.annotation(key).is_none() {
            entity.annotations.push((key.to_string(), value.clone()));
            set_raw_annotation(&mut entity.raw, key, value);
        }
    }
}

fn set_raw_annotation(raw: &mut Json, key: &str, value: String) {
    let Some(meta) = raw.get_mut("metadata").and_then(Json::as_object_mut) else {
        return;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Json::Object(Default::default()));
    if !annotations.is_object() {
        *annotations = Json::Object(Default::default());
    }
    if let Some(obj) = annotations.as_object_mut() {
        obj.insert(key.to_string(), Json::String(value));
    }
}
