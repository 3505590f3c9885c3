//! The catalog's API entities → their references, keyed by entity, with every diagnostic
//! tagged with the entity it belongs to. Runs once per build, in parallel over the APIs.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Reference, Source};
use crate::catalog::{Catalog, Entity, EntityKey};
use crate::diagnostics::Diagnostic;
use crate::highlight::Markup;

/// Every API entity's reference that could be made.
pub type ApiRefs = HashMap<EntityKey, Reference>;

/// The references of every API entity with an inline or `$text` definition, and their
/// diagnostics (taken out of the references, so they are reported once).
pub fn load_references(catalog: &Catalog, markup: Markup) -> (ApiRefs, Vec<Diagnostic>) {
    let made: Vec<(EntityKey, Reference)> = catalog
        .entities
        .par_iter()
        .filter(|e| e.entity_ref.kind == "api")
        .filter_map(|e| Some((e.entity_ref.key(), reference_of(e, markup)?)))
        .collect();
    let mut diags = Vec::new();
    let mut refs = ApiRefs::new();
    for (key, mut r) in made {
        diags.append(&mut r.diagnostics);
        // A definition too broken to show anything of still reports why.
        if !r.sections.is_empty() || !r.intro_html.is_empty() {
            refs.insert(key, r);
        }
    }
    (refs, diags)
}

fn reference_of(e: &Entity, markup: Markup) -> Option<Reference> {
    let text = e.spec_str("definition")?;
    // A URL alone is a definition kept elsewhere (the page links to it), not one to read.
    let remote =
        !text.contains('\n') && (text.starts_with("https://") || text.starts_with("http://"));
    if remote || text.trim().is_empty() {
        return None;
    }
    let at = e.source.definition.as_ref()?;
    let source = Source {
        text,
        file: &at.file,
        line: at.line,
        root: &e.source.repo,
        markup,
    };
    let api_type = e.spec_str("type")?.to_ascii_lowercase();
    let mut r = super::reference(&api_type, &source)?;
    let owner = e.entity_ref.to_string();
    for d in &mut r.diagnostics {
        d.entity = Some(owner.clone());
    }
    Some(r)
}
