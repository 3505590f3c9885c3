//! Measures large API references (issue 15): a generated OpenAPI definition of 2,000
//! operations over 20 tags and 1,000 schemas; the time `apiref::reference` takes (best of
//! five), then a whole build of a site holding only that API, with the size of each page the
//! reference is drawn on (the API's page and the pages it is split onto).
//!
//! `cargo run --release --example apiref_bench`

#[path = "../tests/common/big_openapi.rs"]
mod big_openapi;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use stagedoor::apiref::{self, Source};
use stagedoor::build::{BuildOptions, build_site};
use stagedoor::config::{Overrides, load_config};
use stagedoor::progress::Silent;

const OPERATIONS: usize = 2_000;
const TAGS: usize = 20;
const SCHEMAS: usize = 1_000;
const RUNS: usize = 5;

fn main() -> Result<()> {
    let text = big_openapi::definition(OPERATIONS, TAGS, SCHEMAS);
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &text)?;
    println!(
        "definition: {OPERATIONS} operations, {TAGS} tags, {SCHEMAS} schemas, {} KB",
        text.len() / 1024
    );
    time_reference(&text, &file, dir.path())?;
    build_and_measure(dir.path())
}

/// The best time of `RUNS` calls of `apiref::reference`, and what it made.
fn time_reference(text: &str, file: &Path, root: &Path) -> Result<()> {
    let source = Source {
        text,
        file,
        line: 1,
        root,
        markup: Default::default(),
    };
    let mut best = Duration::MAX;
    let mut made = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        made = apiref::reference("openapi", &source);
        best = best.min(start.elapsed());
    }
    let r = made.context("no reference made")?;
    let html: usize = r.sections.iter().map(|s| s.html.len()).sum();
    let split = r.sections.iter().filter(|s| s.page.is_some()).count();
    println!(
        "apiref::reference: {:.0} ms (best of {RUNS}); {} sections ({split} on pages of their own), {} outline entries, {} search entries, {} KB of section HTML",
        best.as_secs_f64() * 1000.0,
        r.sections.len(),
        r.outline.len(),
        r.search.len(),
        html / 1024
    );
    Ok(())
}

/// Builds a site of the one API and prints the size of each page of its reference.
fn build_and_measure(root: &Path) -> Result<()> {
    let catalog = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: big\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $text: ./openapi.json\n";
    std::fs::write(root.join("catalog-info.yaml"), catalog)?;
    let out = root.join("out");
    let overrides = Overrides {
        out: Some(out.clone()),
        ..Overrides::default()
    };
    let loaded = load_config(root, &overrides)?;
    let start = Instant::now();
    build_site(
        &loaded.config,
        loaded.diagnostics,
        BuildOptions::default(),
        &Silent,
    )?;
    println!(
        "whole build: {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let api = out.join("catalog/default/api/big");
    let mut pages: Vec<(String, u64)> = walkdir::WalkDir::new(&api)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&api).ok()?.display().to_string();
            Some((rel, e.metadata().ok()?.len()))
        })
        .collect();
    pages.sort();
    let largest = pages.iter().map(|p| p.1).max().unwrap_or_default();
    println!("{} pages, largest {} KB:", pages.len(), largest / 1024);
    for (page, bytes) in pages {
        println!("  {page:<40} {:>6} KB", bytes / 1024);
    }
    Ok(())
}
