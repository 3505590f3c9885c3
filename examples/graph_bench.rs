//! Measures relation graphs on a generated catalog: the time to collect, fold, lay out and
//! draw every entity page's graph and every System's and Domain's architecture view, in
//! parallel as the build does, and the largest drawing.
//!
//! `cargo run --release --example graph_bench -- [entities] [depth]` (defaults: 2000, 1)
//!
//! The catalog looks like an organisation's: 40 groups owning everything, 20 domains with 6
//! systems each, components in systems providing and consuming APIs and depending on
//! resources, users in groups; a few hubs (shared databases, an auth API) with hundreds of
//! dependents and consumers; and dependency cycles among components.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;
use stagedoor::catalog::{Catalog, Entity, EntityRef, Relation, RelationType};
use stagedoor::config::GraphConfig;
use stagedoor::graph::{self, Frame};
use stagedoor::urls::{Urls, entity_dir};

/// A small deterministic generator (xorshift), so every run builds the same catalog.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let depth: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let t = Instant::now();
    let catalog = generate(total);
    let relations: usize = catalog.entities.iter().map(|e| e.relations.len()).sum();
    println!(
        "catalog: {} entities, {relations} relations (both ends), generated in {:.0?}",
        catalog.len(),
        t.elapsed()
    );
    let config = GraphConfig {
        depth,
        ..GraphConfig::default()
    };
    let hub = catalog
        .entities
        .iter()
        .max_by_key(|e| e.relations.len())
        .expect("entities");
    println!(
        "largest hub: {} with {} relations",
        hub.entity_ref,
        hub.relations.len()
    );
    for run in 1..=3 {
        let t = Instant::now();
        let sizes: Vec<usize> = catalog
            .entities
            .par_iter()
            .map(|e| draw_page(&catalog, e, config))
            .collect();
        let elapsed = t.elapsed();
        let bytes: usize = sizes.iter().sum();
        println!(
            "run {run}: {} pages' graphs in {:.0?} ({:.1} µs/page), {:.1} MB of SVG, largest {} KB",
            sizes.len(),
            elapsed,
            elapsed.as_secs_f64() * 1e6 / sizes.len() as f64,
            bytes as f64 / 1e6,
            sizes.iter().max().unwrap_or(&0) / 1000
        );
    }
    let t = Instant::now();
    let bytes = draw_page(&catalog, hub, config);
    println!(
        "the hub's page alone: {:.1?}, {} KB",
        t.elapsed(),
        bytes / 1000
    );
}

/// Everything one entity page draws; returns the bytes of SVG.
fn draw_page(catalog: &Catalog, e: &Entity, config: GraphConfig) -> usize {
    let dir = entity_dir(&e.entity_ref);
    let frame = Frame {
        id: "relation-graph",
        title: "Relations",
        page_dir: &dir,
        urls: Urls::default(),
        all_anchor: "relations-all",
    };
    let mut bytes = graph::entity_drawing(catalog, e, config, &frame).html.len();
    if let Some(d) = graph::architecture_drawing(catalog, e, config, &frame) {
        bytes += d.html.len();
    }
    bytes
}

fn generate(total: usize) -> Catalog {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let r = |kind: &str, name: String| EntityRef::new(kind, "default", &name);
    let groups: Vec<EntityRef> = (0..40)
        .map(|i| r("group", format!("team-{i:02}")))
        .collect();
    let domains: Vec<EntityRef> = (0..20)
        .map(|i| r("domain", format!("domain-{i:02}")))
        .collect();
    let systems: Vec<EntityRef> = (0..120)
        .map(|i| r("system", format!("system-{i:03}")))
        .collect();
    let users: Vec<EntityRef> = (0..200)
        .map(|i| r("user", format!("user-{i:03}")))
        .collect();
    let rest = total.saturating_sub(groups.len() + domains.len() + systems.len() + users.len());
    let apis: Vec<EntityRef> = (0..rest / 4)
        .map(|i| r("api", format!("api-{i:04}")))
        .collect();
    let resources: Vec<EntityRef> = (0..rest / 6)
        .map(|i| r("resource", format!("db-{i:04}")))
        .collect();
    let components: Vec<EntityRef> = (0..rest - apis.len() - resources.len())
        .map(|i| r("component", format!("service-{i:04}")))
        .collect();

    let mut rels: Vec<(EntityRef, RelationType, EntityRef)> = Vec::new();
    let mut add =
        |a: &EntityRef, t: RelationType, b: &EntityRef| rels.push((a.clone(), t, b.clone()));
    for (i, s) in systems.iter().enumerate() {
        add(s, RelationType::PartOf, &domains[i / 6]);
        add(s, RelationType::OwnedBy, &groups[i % groups.len()]);
    }
    for (i, u) in users.iter().enumerate() {
        add(u, RelationType::MemberOf, &groups[i % groups.len()]);
    }
    for (i, a) in apis.iter().enumerate() {
        add(a, RelationType::PartOf, &systems[i % systems.len()]);
        add(a, RelationType::OwnedBy, &groups[rng.below(groups.len())]);
    }
    for (i, d) in resources.iter().enumerate() {
        add(d, RelationType::PartOf, &systems[i % systems.len()]);
        add(d, RelationType::OwnedBy, &groups[rng.below(groups.len())]);
    }
    for (i, c) in components.iter().enumerate() {
        let system = i % systems.len();
        add(c, RelationType::PartOf, &systems[system]);
        add(c, RelationType::OwnedBy, &groups[rng.below(groups.len())]);
        if let Some(a) = apis.get(i) {
            add(c, RelationType::ProvidesApi, a);
        }
        for _ in 0..3 {
            add(c, RelationType::ConsumesApi, &apis[rng.below(apis.len())]);
        }
        for _ in 0..2 {
            add(
                c,
                RelationType::DependsOn,
                &resources[rng.below(resources.len())],
            );
        }
        // Hubs: every third service uses the shared auth API and the shared database.
        if i % 3 == 0 {
            add(c, RelationType::ConsumesApi, &apis[0]);
            add(c, RelationType::DependsOn, &resources[0]);
        }
        // Cycles: each run of five services depends on the next, and the last on the first.
        let next = if i % 5 == 4 { i - 4 } else { i + 1 };
        if let Some(n) = components.get(next) {
            add(c, RelationType::DependsOn, n);
        }
    }
    link(
        [groups, domains, systems, users, apis, resources, components].concat(),
        &rels,
    )
}

/// Entities with each relation on both ends, sorted as the catalog keeps them.
fn link(refs: Vec<EntityRef>, rels: &[(EntityRef, RelationType, EntityRef)]) -> Catalog {
    let mut by_ref: BTreeMap<EntityRef, Vec<Relation>> =
        refs.into_iter().map(|r| (r, Vec::new())).collect();
    for (a, t, b) in rels {
        if let Some(list) = by_ref.get_mut(a) {
            list.push(Relation {
                relation: *t,
                target: b.clone(),
            });
        }
        if let Some(list) = by_ref.get_mut(b) {
            list.push(Relation {
                relation: t.inverse(),
                target: a.clone(),
            });
        }
    }
    let entities = by_ref
        .into_iter()
        .map(|(r, mut relations)| {
            relations.sort();
            relations.dedup();
            Entity::bare(r, relations)
        })
        .collect();
    Catalog::new(entities)
}
