//! Search stage: every entity and every docs section → a prebuilt, sharded index the browser
//! queries offline (see `themes/default/static/search.js`). Derived from the model only.

pub mod documents;
pub mod fuzzy;
pub mod index;
pub mod query;
pub mod shards;

use crate::catalog::Catalog;
use crate::docs::Docs;
use crate::output::OutputFile;
use crate::urls::Urls;
pub use documents::SearchDoc;
pub use index::Index;
pub use shards::SearchStats;

/// The documents and their index, kept together: document numbers index `docs`.
pub struct Search {
    pub docs: Vec<SearchDoc>,
    pub index: Index,
}

pub fn build_search(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &crate::apiref::ApiRefs,
    urls: Urls,
) -> Search {
    Search::from_documents(documents::collect_documents(catalog, docs, api_refs, urls))
}

/// The index files for `docs`. The indexed texts (a copy of every section's text, the
/// stage's largest part) are let go once indexed, before the files are made.
pub fn files_of(mut docs: Vec<SearchDoc>) -> (Vec<OutputFile>, SearchStats) {
    let index = index::build_index(&docs);
    for doc in &mut docs {
        doc.fields = Default::default();
    }
    shards::index_files(&index, &docs)
}

impl Search {
    pub fn from_documents(docs: Vec<SearchDoc>) -> Search {
        let index = index::build_index(&docs);
        Search { docs, index }
    }

    /// Ranked documents for a query, as the browser client ranks them.
    pub fn query(&self, q: &str) -> Vec<&SearchDoc> {
        query::search(&self.index, q)
            .into_iter()
            .map(|h| &self.docs[h.doc as usize])
            .collect()
    }

    pub fn files(&self) -> (Vec<OutputFile>, SearchStats) {
        shards::index_files(&self.index, &self.docs)
    }
}
