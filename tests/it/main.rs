//! Integration tests, compiled into one binary: one module per feature.

mod apiref_asyncapi;
mod apiref_browser;
mod apiref_idl;
mod apiref_openapi;
mod apiref_split;
mod badges;
#[path = "../common/big_openapi.rs"]
mod big_openapi;
mod broken_site;
mod browser;
mod build_cache;
mod build_cache_ci;
mod bundles;
mod catalog_browser;
mod catalog_corpus;
mod cli;
mod concurrency;
mod diagrams;
mod docs_browser;
mod docs_corpus;
mod docs_fidelity;
mod docs_links;
mod docs_ux;
mod entity_pages;
mod fidelity_browser;
mod fuzz;
mod highlight_browser;
mod hostile_files;
#[path = "../common/html_scan.rs"]
mod html_scan;
mod incremental;
#[path = "../common/limit.rs"]
mod limit;
mod output_safety;
mod publish;
mod published_paths;
mod radar_browser;
mod radar_formats;
mod radar_layout;
mod radar_site;
mod relation_graphs;
mod scorecards;
mod search_browser;
mod search_quality;
mod serve;
mod serve_browser;
#[path = "../common/corpus.rs"]
mod shared_corpus;
mod site;
mod snapshots;
mod stores;
mod support;
mod theme;
mod ui_browser;
mod xss;
