//! Markdown engine tests over files: golden fixtures per extension, the shared real-world
//! corpora, the highlighter's languages, and properties of arbitrary input.

mod corpus;
mod golden;
mod highlight;
#[path = "../common/html_scan.rs"]
mod html_scan;
#[path = "../common/limit.rs"]
mod limit;
mod props;
#[path = "../common/corpus.rs"]
mod shared_corpus;
