//! What checks ask about an entity beyond its own fields, gathered once per build: owners in
//! the catalog, docs and their broken links, API definitions that failed, radar Hold use,
//! and which repository file globs match. Every lookup is a hash lookup.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::repo_files;
use crate::apiref::ApiRefs;
use crate::catalog::{Catalog, Entity, RelationType};
use crate::diagnostics::{Code, Diagnostic};
use crate::docs::Docs;
use crate::radar::Radars;

/// The stages a scorecard reads.
pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    pub docs: &'a Docs,
    pub radars: &'a Radars,
    pub api_refs: &'a ApiRefs,
    /// Diagnostics of the stages before (catalog, API references); the docs' are in `docs`.
    pub diagnostics: &'a [Diagnostic],
}

/// Docs problems that make `docs_links` fail.
const BROKEN_DOCS: &[Code] = &[Code::BrokenLink, Code::MissingAnchor, Code::MissingImage];
/// API reference problems that make `api_parses` fail.
const BAD_API: &[Code] = &[Code::ApiDefinitionInvalid, Code::ApiDefinitionSyntax];

pub struct Facts<'a> {
    inputs: &'a Inputs<'a>,
    /// Entity refs (display form) whose docs have a broken link.
    broken_docs: HashSet<&'a str>,
    /// Entity refs (display form) whose API definition had a syntax error.
    bad_apis: HashSet<&'a str>,
    /// Repository root → for each glob set, whether a file matched.
    repo_files: HashMap<PathBuf, Vec<bool>>,
}

fn entities_with<'a>(diags: &'a [Diagnostic], codes: &[Code]) -> HashSet<&'a str> {
    diags
        .iter()
        .filter(|d| codes.contains(&d.code))
        .filter_map(|d| d.entity.as_deref())
        .collect()
}

impl<'a> Facts<'a> {
    pub fn gather(inputs: &'a Inputs<'a>, globs: &super::checks::Globs) -> Self {
        let repos: HashSet<&PathBuf> = (inputs.catalog.entities.iter())
            .map(|e| &e.source.repo)
            .collect();
        Facts {
            inputs,
            broken_docs: entities_with(&inputs.docs.diagnostics, BROKEN_DOCS),
            bad_apis: entities_with(inputs.diagnostics, BAD_API),
            repo_files: repo_files::match_repos(repos.into_iter().collect(), globs),
        }
    }

    pub fn owner_resolves(&self, e: &Entity) -> bool {
        e.related(RelationType::OwnedBy).any(|o| {
            matches!(o.kind.as_str(), "group" | "user") && self.inputs.catalog.get(o).is_some()
        })
    }

    pub fn has_own_docs(&self, e: &Entity) -> bool {
        self.inputs.docs.by_entity.contains_key(&e.entity_ref.key())
    }

    pub fn has_docs(&self, e: &Entity) -> bool {
        let key = e.entity_ref.key();
        let docs = self.inputs.docs;
        docs.by_entity.contains_key(&key)
            || docs.borrowed.contains_key(&key)
            || docs.external.contains_key(&key)
    }

    pub fn docs_broken(&self, e: &Entity) -> bool {
        self.broken_docs.contains(e.entity_ref.to_string().as_str())
    }

    pub fn api_parses(&self, e: &Entity) -> bool {
        self.inputs.api_refs.contains_key(&e.entity_ref.key())
            && !self.bad_apis.contains(e.entity_ref.to_string().as_str())
    }

    pub fn uses_hold(&self, e: &Entity) -> bool {
        let radars = &self.inputs.radars.radars;
        let uses = self.inputs.radars.usage.by_entity.get(&e.entity_ref.key());
        uses.into_iter().flatten().any(|&(ri, ei)| {
            let radar = &radars[ri];
            radar.hold_ring().is_some()
                && radar.hold_ring() == radar.entries.get(ei).map(|x| x.ring)
        })
    }

    pub fn repo_has(&self, e: &Entity, set: usize) -> bool {
        (self.repo_files.get(&e.source.repo))
            .and_then(|found| found.get(set).copied())
            .unwrap_or(false)
    }
}
