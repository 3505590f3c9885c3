//! Docs stage (TechDocs): for every entity with docs, locate its folder, read mkdocs.yml,
//! collect pages and nav, render the Markdown (in parallel), rewrite and check links.
//! Output: one `DocSite` per documented entity, plus diagnostics.

pub mod locate;
pub mod markdown;
pub mod mkdocs;
pub mod nav;

/// A path segment from a title (`Payments API` → `payments-api`), for monorepo includes.
pub fn slug_segment(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "docs".to_string()
    } else {
        out
    }
}
