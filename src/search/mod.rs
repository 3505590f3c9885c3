//! Search stage: every entity and every docs section → a prebuilt, sharded index the browser
//! queries offline (see `themes/default/static/search.js`). Derived from the model only.

pub mod documents;
pub mod fuzzy;
pub mod index;
pub mod query;
pub mod shards;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::docs::{DocSite, Docs};
use crate::output::OutputFile;
use crate::parallel::lock;
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

/// Docs sites whose documents are made together (in parallel) from a model's pages.
const SITES_AT_ONCE: usize = 24;

/// The index files of every entity and docs section (`documents::collect_scored_documents`),
/// made as a build makes them (`Streaming`), from the pages of a whole model (`serve`): a
/// few sites' texts are held at a time, never every section's. The files are those
/// `files_of` makes of the same documents.
pub fn files_of_model(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &crate::apiref::ApiRefs,
    urls: Urls,
    scores: Option<&crate::scorecard::Scores>,
) -> (Vec<OutputFile>, SearchStats) {
    files_in_batches(catalog, docs, api_refs, urls, scores, DOCS_PER_BATCH)
}

/// `files_of_model`, indexing `docs_per_batch` documents at a time.
#[doc(hidden)]
pub fn files_in_batches(
    catalog: &Catalog,
    docs: &Docs,
    api_refs: &crate::apiref::ApiRefs,
    urls: Urls,
    scores: Option<&crate::scorecard::Scores>,
    docs_per_batch: usize,
) -> (Vec<OutputFile>, SearchStats) {
    let mut index = Streaming::new(catalog, api_refs, urls);
    index.docs_per_batch = docs_per_batch;
    let mut files = Vec::new();
    for (k, sites) in docs.sites.chunks(SITES_AT_ONCE).enumerate() {
        let made: Vec<Vec<SearchDoc>> = (sites.par_iter())
            .map(|site| documents::site_documents(site, catalog, urls))
            .collect();
        for (i, site_docs) in made.into_iter().enumerate() {
            files.extend(index.add_documents(k * SITES_AT_ONCE + i, site_docs));
        }
    }
    let (rest, stats) = index.finish(catalog, api_refs, scores);
    files.extend(rest);
    (files, stats)
}

/// Documents a build indexes in one go: a few docs sites' sections. Indexed site by site,
/// between each site's pages, the threads' term tables kept leaving the processor's cache
/// (slower in each of four alternated builds of the code-heavy corpus).
const DOCS_PER_BATCH: usize = 2048;

/// A docs site of more pages than this is handed to the index a part at a time (in reading
/// order), so the documents of one large site are not all made before any is indexed.
const PAGES_PER_PART: usize = 512;

/// A build's index, made as the docs stage draws each site rather than after: each site's
/// sections are indexed and let go soon after its pages are drawn (no page's text waits for
/// the rest of the docs, packed or not), and its results' rows go to the writer once every
/// site before it is in. The entities come first in the index but last to it (`finish`):
/// their rows need the scorecards, which need the docs.
pub struct Streaming {
    urls: Urls,
    lexicon: index::Lexicon,
    docs_per_batch: usize,
    pages_per_part: usize,
    merged: Mutex<Merged>,
}

/// The documents of the sites handed over so far.
struct Merged {
    /// The next part to be numbered (site, part of it): later ones wait for it.
    next: (usize, usize),
    /// Parts handed over early, and whether each is its site's last.
    waiting: BTreeMap<(usize, usize), (Vec<SearchDoc>, bool)>,
    /// Numbered (and stored) in order, not yet indexed.
    ready: Vec<SearchDoc>,
    builder: index::IndexBuilder,
    stored: shards::StoredBuilder,
}

impl Merged {
    /// The sites that no longer wait for one before them, numbered and stored.
    fn take_in_order(&mut self) {
        while let Some((docs, last)) = self.waiting.remove(&self.next) {
            self.admit(docs);
            let (site, part) = self.next;
            self.next = if last {
                (site + 1, 0)
            } else {
                (site, part + 1)
            };
        }
    }

    fn admit(&mut self, docs: Vec<SearchDoc>) {
        self.stored.add(&docs);
        self.ready.extend(docs);
    }

    /// The ready documents and the first one's number, once there are `at_least`.
    fn batch(&mut self, at_least: usize) -> Option<(Vec<SearchDoc>, usize)> {
        if self.ready.is_empty() || self.ready.len() < at_least {
            return None;
        }
        let batch = std::mem::take(&mut self.ready);
        let first = self.builder.reserve(batch.len());
        Some((batch, first))
    }
}

impl Streaming {
    /// Before the docs stage: the entities' documents are counted (their API reference items
    /// known), so the sections are numbered after them.
    pub fn new(catalog: &Catalog, api_refs: &crate::apiref::ApiRefs, urls: Urls) -> Self {
        let ahead = documents::entity_document_count(catalog, api_refs);
        Streaming {
            urls,
            lexicon: index::Lexicon::default(),
            docs_per_batch: DOCS_PER_BATCH,
            pages_per_part: PAGES_PER_PART,
            merged: Mutex::new(Merged {
                next: (0, 0),
                waiting: BTreeMap::new(),
                ready: Vec::new(),
                builder: index::IndexBuilder::starting_at(ahead),
                stored: shards::StoredBuilder::starting_at(ahead),
            }),
        }
    }

    /// Sites handed over `pages` pages at a time (a build: `PAGES_PER_PART`; tests, fewer).
    pub fn in_parts_of(mut self, pages: usize) -> Self {
        self.pages_per_part = pages.max(1);
        self
    }

    /// Site number `number` of the docs, drawn: its sections taken out, to be indexed. The
    /// results' rows files ready to be written (of this site and any waiting for it).
    pub fn add_site(
        &self,
        number: usize,
        catalog: &Catalog,
        site: &mut DocSite,
    ) -> Vec<OutputFile> {
        let mut sections = site.take_sections();
        let mut take =
            |i: usize| (sections.get_mut(i)).and_then(|s| std::mem::take(s).into_value());
        let parts: Vec<&[usize]> = site.order.chunks(self.pages_per_part).collect();
        let mut files = Vec::new();
        for (k, pages) in parts.iter().enumerate() {
            let docs = documents::site_documents_with(site, pages, &mut take, catalog, self.urls);
            files.extend(self.add_part((number, k), k + 1 == parts.len(), docs));
        }
        if parts.is_empty() {
            files.extend(self.add_documents(number, Vec::new()));
        }
        files
    }

    /// Site number `number`'s documents, all of them.
    fn add_documents(&self, number: usize, docs: Vec<SearchDoc>) -> Vec<OutputFile> {
        self.add_part((number, 0), true, docs)
    }

    /// The documents of a part of a site (`(site, part)`; `last`: its site's last part).
    fn add_part(&self, at: (usize, usize), last: bool, docs: Vec<SearchDoc>) -> Vec<OutputFile> {
        let (batch, files) = {
            let mut merged = lock(&self.merged);
            merged.waiting.insert(at, (docs, last));
            merged.take_in_order();
            (
                merged.batch(self.docs_per_batch),
                merged.stored.take_files(),
            )
        };
        if let Some((docs, first)) = batch {
            // Indexed outside the lock: the other threads go on handing sites over.
            let part = index::Part::of(&self.lexicon, &docs);
            drop(docs);
            lock(&self.merged).builder.absorb(part, first);
        }
        files
    }

    /// The index files once every site is in: the entities' documents (with their
    /// scorecard levels) numbered first.
    pub fn finish(
        self,
        catalog: &Catalog,
        api_refs: &crate::apiref::ApiRefs,
        scores: Option<&crate::scorecard::Scores>,
    ) -> (Vec<OutputFile>, SearchStats) {
        let mut merged = (self.merged.into_inner()).unwrap_or_else(PoisonError::into_inner);
        // Sites never handed over leave gaps: the rest still go in, in order.
        for (docs, _) in std::mem::take(&mut merged.waiting).into_values() {
            merged.admit(docs);
        }
        if let Some((docs, first)) = merged.batch(0) {
            merged
                .builder
                .absorb(index::Part::of(&self.lexicon, &docs), first);
        }
        let mut entities = documents::entity_documents(catalog, api_refs, self.urls, scores);
        merged
            .builder
            .absorb(index::Part::of(&self.lexicon, &entities), 0);
        forget_texts(&mut entities);
        let stored = merged.stored.finish(&entities);
        shards::files_of_parts(&merged.builder.finish(self.lexicon), stored)
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
