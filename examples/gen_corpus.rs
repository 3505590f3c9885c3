//! Seeded corpus generator for benchmarks: a large organisation as a tree of repositories
//! (Backstage `catalog-info.yaml` files + TechDocs `mkdocs.yml` and Markdown), ready for
//! `stagedoor build`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR --repos N --pages P --seed S [--entities E] [--force]
//! ```
//!
//! Writes `DIR/stagedoor.yaml` and `DIR/repos/<repo>/…` for N repositories: `repos/org`
//! (a Location for groups and users, plus the domains and systems) and N-1 component
//! repositories, each with one Component and, up to about E entities in total, extra APIs,
//! Resources and sub-components. P docs pages are spread over the repositories.
//!
//! The same arguments give byte-identical output: the RNG is our own (`rng.rs`), every
//! collection is iterated in a fixed order, and nothing depends on time or the machine.
//! `tests/bench/gen.sh` wraps this for benchmarks.

#[path = "gen_corpus/catalog.rs"]
mod catalog;
#[path = "gen_corpus/docs.rs"]
mod docs;
#[path = "gen_corpus/rng.rs"]
mod rng;
#[path = "gen_corpus/snippets.rs"]
mod snippets;
#[path = "gen_corpus/words.rs"]
mod words;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;

use crate::rng::Rng;

#[derive(Parser, Debug)]
#[command(about = "Writes a seeded, deterministic stagedoor corpus (repos + catalog + docs)")]
struct Args {
    /// Output folder; must be empty or missing unless --force.
    #[arg(long)]
    out: PathBuf,
    /// Number of repositories, the org repository included (at least 2).
    #[arg(long, default_value_t = 100)]
    repos: usize,
    /// Total number of docs pages, spread over the component repositories.
    #[arg(long, default_value_t = 1000)]
    pages: usize,
    /// RNG seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Approximate total number of catalog entities (default: 2 × repos). Never fewer than
    /// the org, the domains and systems and one Component per repository need.
    #[arg(long)]
    entities: Option<usize>,
    /// Write into a non-empty folder: replaces its `repos/` and `stagedoor.yaml`.
    #[arg(long)]
    force: bool,
}

/// Writes files under the output folder and counts them.
struct Out {
    root: PathBuf,
    files: usize,
    bytes: u64,
}

impl Out {
    fn write(&mut self, relative: &str, content: &str) -> Result<()> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
        self.files += 1;
        self.bytes += content.len() as u64;
        Ok(())
    }
}

fn prepare_out(out: &Path, force: bool) -> Result<()> {
    if out.exists() {
        if !out.is_dir() {
            bail!("{} exists and is not a folder", out.display());
        }
        let non_empty = fs::read_dir(out)
            .with_context(|| format!("reading {}", out.display()))?
            .next()
            .is_some();
        if non_empty {
            if !force {
                bail!(
                    "{} is not empty; pass --force to replace the corpus in it",
                    out.display()
                );
            }
            let repos = out.join("repos");
            if repos.exists() {
                fs::remove_dir_all(&repos)
                    .with_context(|| format!("removing {}", repos.display()))?;
            }
            let config = out.join("stagedoor.yaml");
            if config.exists() {
                fs::remove_file(&config)
                    .with_context(|| format!("removing {}", config.display()))?;
            }
        }
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A tech radar with every technology the pages mention, so benchmarks build one too.
fn radar_csv(rng: &mut Rng) -> String {
    const RINGS: [&str; 4] = ["Adopt", "Trial", "Assess", "Hold"];
    const QUADRANTS: [&str; 4] = ["Languages & Frameworks", "Tools", "Platforms", "Techniques"];
    let mut csv = String::from("name,ring,quadrant,isNew,description\n");
    for (_, name) in words::TECH {
        let ring = rng.pick(&RINGS);
        let quadrant = rng.pick(&QUADRANTS);
        let new = if rng.percent(20) { "TRUE" } else { "FALSE" };
        csv.push_str(&format!(
            "{name},{ring},{quadrant},{new},\"{name} is in {ring} for new work; see the platform docs.\"\n"
        ));
    }
    csv
}

fn run(args: Args) -> Result<()> {
    if args.repos < 2 {
        bail!("--repos must be at least 2 (the org repository and one component repository)");
    }
    let started = Instant::now();
    prepare_out(&args.out, args.force)?;

    let seed = args.seed;
    let mut cat = catalog::plan(
        &mut Rng::derive(seed, "catalog", 0),
        args.repos,
        args.entities,
    );
    catalog::validate(&cat)?;
    let docs_plan = docs::plan(seed, &mut cat, args.pages);
    let markers = docs::Markers::new(&mut Rng::derive(seed, "markers", 0));
    let cross = docs::cross_targets(&cat, &docs_plan);

    let mut out = Out {
        root: args.out.clone(),
        files: 0,
        bytes: 0,
    };
    out.write(
        "stagedoor.yaml",
        &format!(
            "# Generated by `cargo run --example gen_corpus` (seed {seed}); do not edit.\ntitle: Generated Org (seed {seed})\nroots:\n  - path: repos/*\n    repo_url: https://github.com/{}/{{repo}}\ncatalog:\n  files: [catalog-info.yaml]\nradars:\n  - id: tech\n    title: Technology Radar\n    file: radar/tech.csv\n",
            catalog::ORG
        ),
    )?;
    out.write(
        "radar/tech.csv",
        &radar_csv(&mut Rng::derive(seed, "radar", 0)),
    )?;

    let org = format!("repos/{}", catalog::ORG_REPO);
    out.write(
        &format!("{org}/catalog-info.yaml"),
        &catalog::org_catalog(&cat),
    )?;
    let groups = std::iter::once(&cat.root)
        .chain(&cat.departments)
        .chain(&cat.teams);
    for g in groups {
        out.write(
            &format!("{org}/groups/{}.yaml", g.name),
            &catalog::group_file(g),
        )?;
    }
    for (t, team) in cat.teams.iter().enumerate() {
        out.write(
            &format!("{org}/users/{}.yaml", team.name),
            &catalog::users_file(&cat, t),
        )?;
    }

    let mut pages = 0;
    for (i, repo) in cat.repos.iter().enumerate() {
        let dir = format!("repos/{}", repo.name);
        let mut rng = Rng::derive(seed, "repo-catalog", i as u64);
        let (yaml, files) = catalog::repo_catalog(&cat, repo, &mut rng);
        out.write(&format!("{dir}/catalog-info.yaml"), &yaml)?;
        for (path, content) in files {
            out.write(&format!("{dir}/{path}"), &content)?;
        }
        if let Some(d) = &docs_plan[i] {
            pages += d.pages.len();
            for (path, content) in docs::repo_files(seed, &cat, i, d, &cross, &markers) {
                out.write(&format!("{dir}/{path}"), &content)?;
            }
        }
    }

    println!(
        "gen_corpus: {} repos, {} entities, {} docs pages, {} files, {} bytes ({:.1} MiB) written to {} in {:.1}s",
        cat.repos.len() + 1,
        cat.entity_count(),
        pages,
        out.files,
        out.bytes,
        out.bytes as f64 / (1024.0 * 1024.0),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
