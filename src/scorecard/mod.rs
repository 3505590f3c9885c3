//! Scorecards: catalog, docs, API references and radars → a level per entity. Rules (levels
//! and checks, `rules.rs`) are data; each check kind is a row of `checks::KINDS`. Entities are
//! scored in parallel against facts gathered once (`facts.rs`).

pub mod checks;
pub mod facts;
pub mod repo_files;
pub mod rules;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

pub use facts::Inputs;
pub use rules::{Level, Rules, load_rules};

use crate::catalog::{Entity, EntityKey};
use crate::diagnostics::Diagnostic;
use crate::yaml::Node;

/// The highest level an entity reached, with its place in the ordered levels (0: lowest).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reached {
    pub position: usize,
    pub id: String,
    pub title: String,
}

/// One entity's scorecard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    pub reached: Option<Reached>,
    /// `(index into Scores::checks, passed)` for every check that applies, in rule order.
    pub results: Vec<(usize, bool)>,
    pub passed: usize,
}

impl Score {
    pub fn total(&self) -> usize {
        self.results.len()
    }
}

/// What a page shows of a check (its test stays in the rules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    pub id: String,
    pub title: String,
    /// Index into `Scores::levels`.
    pub level: usize,
    pub hint: String,
}

/// Every scored entity's scorecard. Entities no check applies to (groups, users…) have none.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub levels: Vec<Level>,
    pub checks: Vec<CheckInfo>,
    pub by_entity: HashMap<EntityKey, Score>,
}

impl Scores {
    pub fn get(&self, key: &EntityKey) -> Option<&Score> {
        self.by_entity.get(key)
    }
}

/// Scores the catalog with the default rules extended or replaced by `config` (the
/// `scorecards:` node of `config_file`); bad rules come back as diagnostics.
pub fn score_catalog(
    config: Option<&Node>,
    config_file: &Path,
    inputs: &Inputs,
) -> (Scores, Vec<Diagnostic>) {
    let (rules, diags) = load_rules(config, config_file);
    (score_with(&rules, inputs), diags)
}

pub fn score_with(rules: &Rules, inputs: &Inputs) -> Scores {
    let facts = facts::Facts::gather(inputs, &rules.globs);
    let by_entity = inputs
        .catalog
        .entities
        .par_iter()
        .filter_map(|e| Some((e.entity_ref.key(), score_entity(rules, e, &facts)?)))
        .collect();
    Scores {
        levels: rules.levels.clone(),
        checks: (rules.checks.iter())
            .map(|c| CheckInfo {
                id: c.id.clone(),
                title: c.title.clone(),
                level: c.level,
                hint: c.hint.clone(),
            })
            .collect(),
        by_entity,
    }
}

/// None when no check applies to the entity's kind.
fn score_entity(rules: &Rules, e: &Entity, facts: &facts::Facts) -> Option<Score> {
    let results: Vec<(usize, bool)> = (rules.checks.iter().enumerate())
        .filter(|(_, c)| c.kinds.contains(&e.entity_ref.kind))
        .map(|(i, c)| (i, c.test.passes(e, facts)))
        .collect();
    if results.is_empty() {
        return None;
    }
    let levels: Vec<usize> = results
        .iter()
        .map(|&(i, _)| rules.checks[i].level)
        .collect();
    let reached = reached_level(rules.levels.len(), &levels, &results);
    Some(Score {
        reached: reached.map(|position| {
            let l = &rules.levels[position];
            Reached {
                position,
                id: l.id.clone(),
                title: l.title.clone(),
            }
        }),
        passed: results.iter().filter(|(_, ok)| *ok).count(),
        results,
    })
}

/// The highest level whose checks, and every lower level's, all pass: a failing check on
/// level n caps the entity below n, whatever passes above it.
pub fn reached_level(count: usize, levels: &[usize], results: &[(usize, bool)]) -> Option<usize> {
    let first_failing = (levels.iter().zip(results))
        .filter(|(_, (_, ok))| !ok)
        .map(|(level, _)| *level)
        .min()
        .unwrap_or(count);
    first_failing.checked_sub(1)
}

#[cfg(test)]
mod tests;
