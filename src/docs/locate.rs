//! Locate: which folder holds each entity's docs (spec §7.1). `backstage.io/techdocs-entity`
//! borrows another entity's docs; `backstage.io/techdocs-ref` is `dir:<path>` (relative to the
//! entity's source location, never outside its repository) or `url:<URL>` (read from the local
//! checkout when it points into a walked repository).

use std::path::PathBuf;

use crate::catalog::{Catalog, Entity, EntityRef};
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::fsutil;
use crate::repos::Repos;

pub const TECHDOCS_REF: &str = "backstage.io/techdocs-ref";
pub const TECHDOCS_ENTITY: &str = "backstage.io/techdocs-entity";

/// Where an entity's docs come from.
#[derive(Clone, Debug)]
pub enum DocsSource {
    /// A local folder (holding mkdocs.yml, or at least docs/) to build.
    Local {
        dir: PathBuf,
        repo: PathBuf,
        trusted: bool,
    },
    /// Another entity's docs (techdocs-entity), optionally at a path inside them.
    Borrowed {
        entity: EntityRef,
        path: Option<String>,
    },
    /// Docs that live outside the walked repositories.
    External { url: String },
}

/// The docs source of every entity that declares one, in catalog order.
pub fn locate_docs(
    catalog: &Catalog,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(EntityRef, DocsSource)> {
    catalog
        .entities
        .iter()
        .filter_map(|e| locate(e, catalog, repos, diags).map(|s| (e.entity_ref.clone(), s)))
        .collect()
}

fn report(e: &Entity, code: Code, message: String) -> Diagnostic {
    at_annotation(e, Diagnostic::new(code, message))
}

/// `d` placed at the entity's techdocs annotation: where a reader fixes a docs location.
pub fn at_annotation(e: &Entity, d: Diagnostic) -> Diagnostic {
    d.at(&e.source.file, annotation_line(e), 1)
        .entity(e.entity_ref.to_string())
}

/// The line of the techdocs annotation in the entity's document (the model keeps no line per
/// annotation); the document's first line when it cannot be found. Only read on a problem.
fn annotation_line(e: &Entity) -> usize {
    let text = fsutil::read_text_limited(
        &e.source.file,
        crate::catalog::parse::MAX_CATALOG_FILE_BYTES,
    )
    .unwrap_or_default();
    text.lines()
        .enumerate()
        .skip(e.source.line.saturating_sub(1))
        .find(|(_, l)| l.contains(TECHDOCS_REF) || l.contains(TECHDOCS_ENTITY))
        .map_or(e.source.line, |(i, _)| i + 1)
}

fn locate(
    e: &Entity,
    catalog: &Catalog,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Option<DocsSource> {
    if let Some(target) = e.annotation(TECHDOCS_ENTITY) {
        let path = e
            .annotation("backstage.io/techdocs-entity-path")
            .map(str::to_string);
        return match EntityRef::parse(target, None, e.namespace()) {
            Ok(r) if catalog.get(&r).is_some() => Some(DocsSource::Borrowed { entity: r, path }),
            _ => {
                diags.push(report(
                    e,
                    Code::DocsEntityMissing,
                    format!("{TECHDOCS_ENTITY} \"{target}\" is not an entity in the catalog"),
                ));
                None
            }
        };
    }
    let value = e.annotation(TECHDOCS_REF)?;
    let (kind, target) = value.split_once(':').unwrap_or(("", value));
    match kind {
        "dir" => locate_dir(e, target, repos, diags),
        "url" => match repos.local_path_for_url(target) {
            Some(dir) => {
                let repo = repos
                    .repo_of(&dir.join("mkdocs.yml"))
                    .unwrap_or_else(|| e.source.repo.clone());
                checked_dir(e, dir, repo, repos, diags)
            }
            None => {
                diags.push(
                    report(e, Code::DocsExternal, format!("docs at {target} are outside the walked repositories and are not built"))
                        .hint("check that repository out under a root with its repo_url set to build its docs here"),
                );
                Some(DocsSource::External {
                    url: target.to_string(),
                })
            }
        },
        _ => {
            diags.push(
                report(
                    e,
                    Code::DocsRefInvalid,
                    format!("{TECHDOCS_REF} \"{value}\" is not dir:<path> or url:<URL>"),
                )
                .hint("most repositories use dir:."),
            );
            None
        }
    }
}

/// `dir:` resolves against the source-location annotation when it maps to a local checkout,
/// else against the folder of the entity's file.
fn locate_dir(
    e: &Entity,
    target: &str,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Option<DocsSource> {
    let file_dir = e
        .source
        .file
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let base = e
        .annotation("backstage.io/source-location")
        .and_then(|s| s.strip_prefix("url:"))
        .and_then(|u| repos.local_path_for_url(u))
        .filter(|p| p.is_dir())
        .unwrap_or(file_dir);
    checked_dir(
        e,
        fsutil::normalize(&base.join(target)),
        e.source.repo.clone(),
        repos,
        diags,
    )
}

/// The docs folder must exist inside `repo` (after `..` and symlinks).
fn checked_dir(
    e: &Entity,
    dir: PathBuf,
    repo: PathBuf,
    repos: &Repos,
    diags: &mut Vec<Diagnostic>,
) -> Option<DocsSource> {
    if !fsutil::lexically_inside(&dir, &repo) {
        diags.push(report(
            e,
            Code::DocsOutsideRepo,
            format!(
                "docs folder {} leaves the repository of this entity",
                display_path(&dir, &repo)
            ),
        ));
        return None;
    }
    let Some(real) = fsutil::confined(&dir, &repo).filter(|d| d.is_dir()) else {
        let outside = dir.exists();
        let (code, why) = if outside {
            (Code::DocsOutsideRepo, "resolves outside the repository")
        } else {
            (Code::DocsDirMissing, "does not exist")
        };
        let d = report(
            e,
            code,
            format!("docs folder {} {why}", display_path(&dir, &repo)),
        );
        diags.push(match code {
            Code::DocsDirMissing => d.hint("a dir: techdocs-ref is relative to the entity's file (or its source-location); no docs are published for this entity"),
            _ => d,
        });
        return None;
    };
    let trusted = repos.root_of(&real).is_some_and(|r| r.trusted);
    Some(DocsSource::Local {
        dir: real,
        repo,
        trusted,
    })
}
