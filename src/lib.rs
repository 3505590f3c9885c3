//! stagedoor: a tree of repositories (catalog-info.yaml, mkdocs.yml + Markdown) in, a static
//! developer portal out. `build` is the one pipeline; every other module is one of its stages.

pub mod diagnostics;
pub mod docs;
pub mod highlight;
pub mod yaml;
