//! Scorecards in pages: the card on an entity page (level, failed checks with hints, passed
//! checks), the `/scorecards/` table with owner, system, kind and level filters and a
//! per-team summary, and the score `catalog.json` carries beside each entity.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::catalog_page::{Facet, facet};
use super::views::{RefView, kind_label, ref_view};
use super::{PageMeta, Site, to_value};
use crate::catalog::kinds::display_rank;
use crate::catalog::{Entity, RelationType};
use crate::scorecard::{Reached, Score, Scores};
use crate::urls::entity_dir;

/// The filter value and label of entities that reached no level.
const NO_LEVEL: (&str, &str) = ("none", "No level");

#[derive(Clone, Debug, Serialize)]
pub struct CheckView {
    title: String,
    level: String,
    hint: String,
}

/// The scorecard card of an entity page.
#[derive(Clone, Debug, Serialize)]
pub struct ScoreView {
    /// The level's id (`gold`), or `none`: also the pill's CSS modifier.
    level_id: String,
    level_title: String,
    passed: usize,
    total: usize,
    failed: Vec<CheckView>,
    passed_checks: Vec<CheckView>,
    url: String,
}

fn level_of(reached: Option<&Reached>) -> (String, String) {
    reached.map_or_else(
        || (NO_LEVEL.0.to_string(), NO_LEVEL.1.to_string()),
        |r| (r.id.clone(), r.title.clone()),
    )
}

pub fn score_view(scores: &Scores, score: &Score, scorecards_url: String) -> ScoreView {
    let (level_id, level_title) = level_of(score.reached.as_ref());
    let mut failed = Vec::new();
    let mut passed_checks = Vec::new();
    for &(i, ok) in &score.results {
        let c = &scores.checks[i];
        let view = CheckView {
            title: c.title.clone(),
            level: (scores.levels.get(c.level)).map_or_else(String::new, |l| l.title.clone()),
            hint: c.hint.clone(),
        };
        if ok {
            passed_checks.push(view);
        } else {
            failed.push(view);
        }
    }
    ScoreView {
        level_id,
        level_title,
        passed: score.passed,
        total: score.total(),
        failed,
        passed_checks,
        url: scorecards_url,
    }
}

/// The `score` of an entity in `catalog.json` (null when no check applies to it).
pub fn score_json(scores: &Scores, e: &Entity) -> Json {
    let Some(s) = scores.get(&e.entity_ref.key()) else {
        return Json::Null;
    };
    let failed: Vec<&str> = (s.results.iter())
        .filter(|(_, ok)| !ok)
        .map(|(i, _)| scores.checks[*i].id.as_str())
        .collect();
    json!({
        "level": s.reached.as_ref().map(|r| &r.id),
        "levelTitle": s.reached.as_ref().map(|r| &r.title),
        "levelRank": s.reached.as_ref().map(|r| r.position + 1),
        "passed": s.passed,
        "total": s.total(),
        "failed": failed,
    })
}

#[derive(Serialize)]
struct Row {
    title: String,
    url: String,
    kind: String,
    kind_label: String,
    owner: Option<RefView>,
    owner_key: String,
    system: Option<RefView>,
    system_key: String,
    level_id: String,
    level_title: String,
    /// Sort key of the level column: higher levels sort after lower ones.
    level_rank: usize,
    passed: usize,
    total: usize,
}

#[derive(Serialize)]
struct TeamSummary {
    owner: Option<RefView>,
    /// Entities per level, in level order, then those with no level.
    counts: Vec<usize>,
    total: usize,
}

#[derive(Serialize)]
struct LevelView {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct ScorecardsView {
    rows: Vec<Row>,
    page_size: usize,
    facets: Vec<Facet>,
    /// Every level, lowest first, then "No level".
    levels: Vec<LevelView>,
    teams: Vec<TeamSummary>,
    checks: usize,
}

fn row(site: &Site, e: &Entity, score: &Score) -> Row {
    let first = |relation: RelationType, kind: Option<&str>| {
        e.related(relation)
            .find(|t| kind.is_none_or(|k| t.kind == k))
            .map(|r| ref_view(site.catalog, &site.urls, r))
    };
    let owner = first(RelationType::OwnedBy, None);
    let system = first(RelationType::PartOf, Some("system"));
    let (level_id, level_title) = level_of(score.reached.as_ref());
    Row {
        title: e.display_name().to_string(),
        url: site.urls.href(&entity_dir(&e.entity_ref)),
        kind: e.entity_ref.kind.clone(),
        kind_label: e.kind.clone(),
        owner_key: owner
            .as_ref()
            .map(|o| o.ref_text.clone())
            .unwrap_or_default(),
        owner,
        system_key: system
            .as_ref()
            .map(|s| s.ref_text.clone())
            .unwrap_or_default(),
        system,
        level_id,
        level_title,
        level_rank: score.reached.as_ref().map_or(0, |r| r.position + 1),
        passed: score.passed,
        total: score.total(),
    }
}

/// Owner → entities per level; entities without an owner are grouped last.
fn team_summaries(rows: &[Row], levels: usize) -> Vec<TeamSummary> {
    let mut teams: BTreeMap<(bool, String), TeamSummary> = BTreeMap::new();
    for r in rows {
        let key = (r.owner.is_none(), r.owner_key.to_lowercase());
        let team = teams.entry(key).or_insert_with(|| TeamSummary {
            owner: r.owner.clone(),
            counts: vec![0; levels + 1],
            total: 0,
        });
        // Rank 0 is "no level": counted last.
        let column = r.level_rank.checked_sub(1).unwrap_or(levels);
        team.counts[column] += 1;
        team.total += 1;
    }
    teams.into_values().collect()
}

pub fn render_scorecards(site: &Site) -> Result<crate::output::OutputFile> {
    let scores = site.scores;
    let mut rows: Vec<Row> = (site.catalog.entities.iter())
        .filter_map(|e| Some(row(site, e, scores.get(&e.entity_ref.key())?)))
        .collect();
    rows.sort_by(|a, b| {
        (display_rank(&a.kind), &a.kind, a.title.to_lowercase()).cmp(&(
            display_rank(&b.kind),
            &b.kind,
            b.title.to_lowercase(),
        ))
    });
    let mut levels: Vec<LevelView> = (scores.levels.iter())
        .map(|l| LevelView {
            id: l.id.clone(),
            title: l.title.clone(),
        })
        .collect();
    levels.push(LevelView {
        id: NO_LEVEL.0.into(),
        title: NO_LEVEL.1.into(),
    });
    let mut level_facet = facet(
        "level",
        "Level",
        rows.iter()
            .map(|r| (r.level_id.clone(), r.level_title.clone())),
    );
    let order = |id: &str| levels.iter().position(|l| l.id == id);
    level_facet.sort_options_by_key(|value| order(value));
    let facets = vec![
        facet(
            "owner",
            "Owner",
            rows.iter()
                .filter_map(|r| (r.owner.as_ref()).map(|o| (o.ref_text.clone(), o.title.clone()))),
        ),
        facet(
            "system",
            "System",
            rows.iter()
                .filter_map(|r| (r.system.as_ref()).map(|s| (s.ref_text.clone(), s.title.clone()))),
        ),
        facet(
            "kind",
            "Kind",
            rows.iter().map(|r| (r.kind.clone(), kind_label(&r.kind))),
        ),
        level_facet,
    ];
    let view = ScorecardsView {
        teams: team_summaries(&rows, scores.levels.len()),
        rows,
        page_size: super::catalog_page::PAGE_SIZE,
        facets,
        levels,
        checks: scores.checks.len(),
    };
    let meta = PageMeta {
        title: "Scorecards".into(),
        section: "scorecards",
        description: Some("How production-ready each entity is, by level".into()),
    };
    site.render(
        "scorecards.html",
        "scorecards/",
        meta,
        &[("scorecards", to_value(&view))],
    )
}
