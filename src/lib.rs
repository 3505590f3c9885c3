//! stagedoor: a tree of repositories (catalog-info.yaml, mkdocs.yml + Markdown) in, a static
//! developer portal out. `build` is the one pipeline, in this order (a module uses only the
//! ones before it; tests/layering.rs checks it):
//!
//! - shared ground: `diagnostics`, `yaml`, `fsutil`, `html`, `highlight`, `output`,
//!   `console`, `progress`; `config` (stagedoor.yaml) and `cli`;
//! - `repos`, `discover` → `catalog` → `urls` (the URL scheme) → `markdown` (the engine) →
//!   `cache` → `docs` → `radar` → `model` (plain data the later stages only read);
//! - `search` → `theme` → `render` → `write` (atomic output);
//! - `build` (the recipe), `serve` (build + watcher + server + live reload), `publish`
//!   (output → object storage) and `bundle` (one repository → object storage → a root).

pub mod apiref;
pub mod badge;
pub mod build;
pub mod bundle;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod console;
pub mod diagnostics;
pub mod discover;
pub mod docs;
pub mod fsutil;
pub mod graph;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parallel;
pub mod progress;
pub mod publish;
pub mod radar;
pub mod readahead;
pub mod render;
pub mod repos;
pub mod scorecard;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod urls;
pub mod write;
pub mod yaml;
