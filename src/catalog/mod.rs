//! Catalog stage: discovered files → parsed, validated entities (following Location targets
//! wave by wave, in parallel) → duplicates removed → relations linked on both ends.
//! Output: the `Catalog` model plus every diagnostic found on the way.

pub mod annotate;
pub mod kinds;
pub mod locations;
pub mod model;
pub mod parse;
pub mod refs;
pub mod relations;
pub mod rules;
pub mod substitute;
pub mod validate;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::repos::Repos;
pub use model::{Catalog, Entity, Relation};
use parse::{ParsedFile, parse_catalog_file};
pub use refs::{EntityKey, EntityRef};
use relations::DeclaredRef;
pub use relations::RelationType;
use validate::Validated;

pub struct LoadedCatalog {
    pub catalog: Catalog,
    pub diagnostics: Vec<Diagnostic>,
    /// Every catalog file read, for the watcher and the cache.
    pub files: Vec<PathBuf>,
}

/// A file to read and the Location that led to it (None: found by the walk or the config).
type Pending = (PathBuf, Option<EntityRef>);

/// Reads every catalog file reachable from `start` (discovered files and configured locations).
pub fn load_catalog(config: &Config, repos: &Repos, start: Vec<PathBuf>) -> LoadedCatalog {
    let mut diags = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut parsed: Vec<(PathBuf, ParsedFile, Option<EntityRef>)> = Vec::new();
    let mut wave: Vec<Pending> = start.into_iter().map(|f| (f, None)).collect();
    while !wave.is_empty() {
        wave.retain(|(f, _)| visited.insert(f.clone()));
        let results: Vec<_> = wave
            .par_iter()
            .map(|(file, via)| {
                let repo = repos
                    .repo_of(file)
                    .unwrap_or_else(|| file.parent().unwrap_or(file).to_path_buf());
                let repo_url = repos.repo_url_of(file).map(|(url, _, _)| url);
                (
                    file.clone(),
                    parse_catalog_file(file, &repo, repo_url),
                    via.clone(),
                )
            })
            .collect();
        wave = follow_locations(&results, repos, &mut diags);
        parsed.extend(results);
    }
    parsed.sort_by(|a, b| a.0.cmp(&b.0));
    drop_skeletons(&mut parsed);
    let mut files = Vec::with_capacity(parsed.len());
    let mut candidates = Vec::new();
    for (file, result, via) in parsed {
        diags.extend(result.diagnostics);
        for mut v in result.entities {
            v.entity.source.location = via.clone();
            annotate::add_location_annotations(&mut v.entity, config, repos);
            candidates.push(v);
        }
        files.push(file);
    }
    let (catalog, declared) = dedupe(candidates, config.shown(), &mut diags);
    let mut catalog = catalog;
    diags.extend(relations::link_relations(&mut catalog, &declared));
    LoadedCatalog {
        catalog,
        diagnostics: diags,
        files,
    }
}

/// Resolves the targets of every Location in this wave → the next wave of files.
fn follow_locations(
    results: &[(PathBuf, ParsedFile, Option<EntityRef>)],
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Pending> {
    let mut next = Vec::new();
    for (file, parsed, _) in results {
        for v in parsed.entities.iter().filter(|v| !v.targets.is_empty()) {
            let who = v.entity.entity_ref.to_string();
            let r =
                locations::resolve_targets(&v.targets, file, v.optional, v.url_type, repos, &who);
            diags.extend(r.diagnostics);
            next.extend(
                r.files
                    .into_iter()
                    .map(|f| (f, Some(v.entity.entity_ref.clone()))),
            );
        }
    }
    next.sort();
    next.dedup_by(|a, b| a.0 == b.0);
    next
}

/// Files inside a Template's skeleton folder are not entities: drop them and their reports.
fn drop_skeletons(parsed: &mut Vec<(PathBuf, ParsedFile, Option<EntityRef>)>) {
    let dirs: Vec<PathBuf> = parsed
        .iter()
        .flat_map(|(_, p, _)| {
            p.entities
                .iter()
                .flat_map(|v| v.skeleton_dirs.iter().cloned())
        })
        .collect();
    if !dirs.is_empty() {
        parsed.retain(|(file, _, _)| !dirs.iter().any(|d| file.starts_with(d)));
    }
}

/// Keeps the first definition of each ref (files in path order) and reports the others.
fn dedupe(
    candidates: Vec<Validated>,
    shown: crate::diagnostics::Shown,
    diags: &mut Vec<Diagnostic>,
) -> (Catalog, Vec<Vec<DeclaredRef>>) {
    let mut seen: HashMap<EntityKey, (PathBuf, usize)> = HashMap::new();
    let mut kept: Vec<(Entity, Vec<DeclaredRef>)> = Vec::new();
    for v in candidates {
        let key = v.entity.entity_ref.key();
        let src = &v.entity.source;
        if let Some((file, line)) = seen.get(&key) {
            let first = format!("{}:{line}", shown.path(file));
            diags.push(
                Diagnostic::new(Code::DuplicateEntity, format!("{} is defined twice; the first definition, at {first}, is kept", v.entity.entity_ref))
                    .at(&src.file, v.name_at.0, v.name_at.1)
                    .entity(v.entity.entity_ref.to_string())
                    .hint("entity refs (kind, namespace, name) are unique, ignoring case: rename one of them or remove the copy"),
            );
            continue;
        }
        seen.insert(key, (src.file.clone(), src.line));
        kept.push((v.entity, v.refs));
    }
    kept.sort_by_key(|(e, _)| e.entity_ref.key());
    let (entities, declared): (Vec<Entity>, Vec<Vec<DeclaredRef>>) = kept.into_iter().unzip();
    (Catalog::new(entities), declared)
}
