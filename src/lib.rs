//! stagedoor: a tree of repositories (catalog-info.yaml, mkdocs.yml + Markdown) in, a static
//! developer portal out. `build` is the one pipeline; every other module is one of its stages.

pub mod build;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod console;
pub mod diagnostics;
pub mod discover;
pub mod docs;
pub mod fsutil;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod radar;
pub mod render;
pub mod repos;
pub mod search;
pub mod serve;
pub mod theme;
pub mod urls;
pub mod write;
pub mod yaml;
