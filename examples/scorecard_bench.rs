//! Measures scorecard scoring: the default rules over every entity of a site (repository
//! files walked, facts gathered, every check of every entity), best of 5, after the model is
//! loaded once.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/sc-corpus --repos 1000 --pages 1000 --entities 2000
//! cargo run --release --example scorecard_bench -- /tmp/sc-corpus
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use stagedoor::build;
use stagedoor::config::{Overrides, load_config};
use stagedoor::progress::Silent;
use stagedoor::scorecard::{self, Inputs};

fn main() -> Result<()> {
    let site = PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: scorecard_bench SITE_DIR")?,
    );
    let loaded = load_config(&site, &Overrides::default())?;
    let config = loaded.config;
    let started = Instant::now();
    let model = build::check_model(&config, loaded.diagnostics, &Silent);
    let load = started.elapsed();
    let inputs = Inputs {
        catalog: &model.catalog,
        docs: &model.docs,
        radars: &model.radars,
        api_refs: &model.api_refs,
        diagnostics: &model.base_diagnostics,
    };
    let file = config.config_file.clone().unwrap_or_else(|| site.clone());
    let mut best = Duration::MAX;
    let mut scores = None;
    for _ in 0..5 {
        let t = Instant::now();
        let (s, _) = scorecard::score_catalog(config.scorecards.as_ref(), &file, &inputs);
        best = best.min(t.elapsed());
        scores = Some(s);
    }
    let scores = scores.context("scored")?;
    let mut per_level = vec![0usize; scores.levels.len() + 1];
    for s in scores.by_entity.values() {
        per_level[s.reached.as_ref().map_or(0, |r| r.position + 1)] += 1;
    }
    let repos: std::collections::HashSet<_> = model
        .catalog
        .entities
        .iter()
        .map(|e| &e.source.repo)
        .collect();
    println!(
        "{} entities in {} repositories ({} scored, {} checks): scoring best of 5 {:.1} ms (model loaded in {:.0} ms)",
        model.catalog.len(),
        repos.len(),
        scores.by_entity.len(),
        scores.checks.len(),
        best.as_secs_f64() * 1000.0,
        load.as_secs_f64() * 1000.0
    );
    let names: Vec<String> = std::iter::once("none".to_string())
        .chain(scores.levels.iter().map(|l| l.id.clone()))
        .collect();
    let counts: Vec<String> = (names.iter().zip(&per_level))
        .map(|(n, c)| format!("{n} {c}"))
        .collect();
    println!("levels: {}", counts.join(", "));
    Ok(())
}
