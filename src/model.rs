//! The model: what `catalog`, `docs` and `radar` produced, as plain data that every later
//! stage (search, render) only reads. `build::load_model` makes it.

use std::path::PathBuf;

use crate::apiref::ApiRefs;
use crate::catalog::Catalog;
use crate::diagnostics::{self, Diagnostic};
use crate::docs::Docs;
use crate::radar::Radars;
use crate::scorecard::Scores;
use crate::urls::Urls;

/// The model's identities: an entity by its canonical ref (`catalog::refs`), a docs page by
/// its site and page indices (`docs`). Stages key their maps by these, never by bare strings
/// or index pairs.
pub use crate::catalog::EntityKey;
pub use crate::docs::PageId;

pub struct Model {
    pub catalog: Catalog,
    pub docs: Docs,
    pub radars: Radars,
    /// API entities' references (`apiref`), for their pages and the search index.
    pub api_refs: ApiRefs,
    /// Each entity's scorecard level and check results (`scorecard`).
    pub scores: Scores,
    /// How links are spelled (folder or `index.html` URLs), from the config.
    pub urls: Urls,
    /// Every diagnostic: `base_diagnostics` and the docs', sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics of the config, catalog, API references and radars (the docs' live in `docs`).
    pub base_diagnostics: Vec<Diagnostic>,
    /// Every file the model was read from (catalog and radar files), for the watcher.
    pub files: Vec<PathBuf>,
}

impl Model {
    /// Recombines the diagnostics after the docs changed (serve --watch).
    pub fn refresh_diagnostics(&mut self) {
        let mut diags = self.base_diagnostics.clone();
        diags.extend(self.docs.diagnostics.iter().cloned());
        diagnostics::sort_diagnostics(&mut diags);
        self.diagnostics = diags;
    }
}
