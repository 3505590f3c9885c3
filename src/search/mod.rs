//! Search stage: every entity and every docs section → a prebuilt, sharded index the browser
//! queries offline (see `themes/default/static/search.js`). Derived from the model only.

pub mod documents;
pub mod fuzzy;
pub mod index;
pub mod query;
pub mod shards;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::docs::{Docs, PageSections};
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

/// Docs sites whose sections are indexed together before their texts are let go.
const SITES_PER_BATCH: usize = 24;

/// The index files of every entity and docs section (`documents::collect_scored_documents`),
/// made batch by batch: the indexed texts of a batch of docs sites are let go once the batch
/// is indexed, so every section's text is never copied at once (it was the build's peak).
/// The files are those `files_of` makes of the same documents.
pub fn files_of_model(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &crate::apiref::ApiRefs,
    urls: Urls,
    scores: Option<&crate::scorecard::Scores>,
) -> (Vec<OutputFile>, SearchStats) {
    files_in_batches(catalog, docs, api_refs, urls, scores, SITES_PER_BATCH)
}

/// `files_of_model`, each file handed to `put` as soon as it is made rather than all
/// returned at the end (`build` writes them into the staging folder as they come): the
/// results' stored rows, most of the index's bytes, are never all held at once. The pages'
/// sections come from `sections` (`Docs::take_sections`), each batch's let go once it is
/// indexed: the index grows as they shrink.
pub fn write_files_of_model<E>(
    model: (&Catalog, &Docs, &crate::apiref::ApiRefs),
    sections: Vec<Vec<PageSections>>,
    urls: Urls,
    scores: Option<&crate::scorecard::Scores>,
    put: &mut dyn FnMut(Vec<OutputFile>) -> Result<(), E>,
) -> Result<SearchStats, E> {
    let (catalog, docs, api_refs) = model;
    let batches = Batches {
        catalog,
        docs,
        api_refs,
        urls,
        scores,
        sites_per_batch: SITES_PER_BATCH,
    };
    batches.write_taking(Some(sections), put)
}

#[doc(hidden)]
pub fn files_in_batches(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &crate::apiref::ApiRefs,
    urls: Urls,
    scores: Option<&crate::scorecard::Scores>,
    sites_per_batch: usize,
) -> (Vec<OutputFile>, SearchStats) {
    let batches = Batches {
        catalog,
        docs,
        api_refs,
        urls,
        scores,
        sites_per_batch,
    };
    let mut files = Vec::new();
    let Ok(stats) = batches.write_taking(None, &mut |made| {
        files.extend(made);
        Ok::<(), std::convert::Infallible>(())
    });
    (files, stats)
}

/// What the index is made of, and how many docs sites are indexed together.
struct Batches<'a> {
    catalog: &'a Catalog,
    docs: &'a Docs,
    api_refs: &'a crate::apiref::ApiRefs,
    urls: Urls,
    scores: Option<&'a crate::scorecard::Scores>,
    sites_per_batch: usize,
}

impl Batches<'_> {
    /// The index files; the pages' sections from `taken` (by site, by page) when given, else
    /// from the pages.
    fn write_taking<E>(
        &self,
        taken: Option<Vec<Vec<PageSections>>>,
        put: &mut dyn FnMut(Vec<OutputFile>) -> Result<(), E>,
    ) -> Result<SearchStats, E> {
        let (catalog, urls) = (self.catalog, self.urls);
        let lexicon = index::Lexicon::default();
        let mut builder = index::IndexBuilder::default();
        let mut stored = shards::StoredBuilder::default();
        let entities = documents::entity_documents(catalog, self.api_refs, urls, self.scores);
        builder.add(&lexicon, &entities);
        stored.add(&entities);
        drop(entities);
        // A batch's postings are made (on every thread) while the previous batch's are merged
        // into the index and this batch's rows stored (each on one thread).
        let mut pending: Option<index::Part> = None;
        let mut taken = taken.map(Vec::into_iter);
        for sites in self.docs.sites.chunks(self.sites_per_batch.max(1)) {
            let moved: Option<Vec<Vec<PageSections>>> =
                (taken.as_mut()).map(|t| t.by_ref().take(sites.len()).collect());
            let batch: Vec<Vec<SearchDoc>> = (sites.par_iter().enumerate())
                .map(|(k, site)| match moved.as_ref().and_then(|m| m.get(k)) {
                    Some(pages) => {
                        documents::site_documents_with(site, |i| pages.get(i), catalog, urls)
                    }
                    None => documents::site_documents(site, catalog, urls),
                })
                .collect();
            drop(moved);
            let batch: Vec<SearchDoc> = batch.into_iter().flatten().collect();
            // Indexed, then kept only as the results' stored rows: never every text at once.
            let first = builder.reserve(batch.len());
            let (part, ()) = rayon::join(
                || index::Part::of(&lexicon, first, &batch),
                || {
                    if let Some(part) = pending.take() {
                        builder.absorb(part);
                    }
                    stored.add(&batch);
                },
            );
            pending = Some(part);
            put(stored.take_files())?;
        }
        if let Some(part) = pending {
            builder.absorb(part);
        }
        let (files, stats) = shards::files_of_parts(&builder.finish(lexicon), stored.finish());
        put(files)?;
        Ok(stats)
    }
}

fn forget_texts(docs: &mut [SearchDoc]) {
    for doc in docs {
        doc.fields = Default::default();
    }
}

/// The index files for `docs`. The indexed texts (a copy of every section's text, the
/// stage's largest part) are let go once indexed, before the files are made.
pub fn files_of(mut docs: Vec<SearchDoc>) -> (Vec<OutputFile>, SearchStats) {
    let index = index::build_index(&docs);
    forget_texts(&mut docs);
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
