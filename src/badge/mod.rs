//! README badges: catalog entity → static SVG badges at stable URLs
//! (`badges/<namespace>/<kind>/<name>/<badge>.svg`), the ones Backstage's badges plugin
//! draws (pingback, lifecycle, owner, docs) plus the entity's score level. The SVG itself is
//! in `svg.rs`; this module decides what each badge says and in which colour.

pub mod svg;
mod widths;

use crate::catalog::kinds::docs_expected;
use crate::catalog::{Entity, EntityRef, RelationType};
use crate::output::OutputFile;
use crate::scorecard::Scores;
use crate::urls::badge_file;
pub use svg::{BadgeText, render_svg, text_width};

/// Backstage's badge colour (the badges plugin's teal), for badges that name rather than rate.
const NAME_COLOR: &str = "#36baa2";
const BLUE: &str = "#007ec6";
const LIGHT_GREY: &str = "#9f9f9f";
const NONE: &str = "none";

/// Lifecycle → colour; anything else is blue, a missing lifecycle grey.
const LIFECYCLE_COLORS: &[(&str, &str)] = &[
    ("production", "#4c1"),
    ("stable", "#4c1"),
    ("ga", "#4c1"),
    ("beta", "#a4a61d"),
    ("preview", "#a4a61d"),
    ("development", "#dfb317"),
    ("experimental", "#fe7d37"),
    ("alpha", "#fe7d37"),
    ("deprecated", "#e05d44"),
    ("retired", "#e05d44"),
    ("end-of-life", "#e05d44"),
];

/// Score colours from the lowest level reached to the highest; no level reached is red.
const SCORE_COLORS: &[&str] = &["#fe7d37", "#dfb317", "#a4a61d", "#97ca00", "#4c1"];
const NO_SCORE_COLOR: &str = "#e05d44";

/// Every badge name, in the order the entity page shows them.
pub const BADGES: &[&str] = &["pingback", "lifecycle", "owner", "docs", SCORE];
/// The score badge, drawn only where the site has scorecards.
pub const SCORE: &str = "score";

/// Kinds whose Backstage schema has `spec.lifecycle` and `spec.owner`: they always get the
/// badge, "none" when the field is missing, so a README's link never breaks. Other kinds (a
/// Group, a User) get it only when they have the field: "lifecycle: none" on a team says
/// nothing. The docs badge follows `catalog::kinds::docs_expected` the same way.
const LIFECYCLE_KINDS: &[&str] = &["component", "api"];
const OWNER_KINDS: &[&str] = &[
    "component",
    "api",
    "resource",
    "system",
    "domain",
    "template",
];

/// An entity's level in its scorecard: the level's title, its rank (1 = the lowest level) and
/// how many levels there are.
#[derive(Clone, Copy, Debug)]
pub struct ScoreLevel<'a> {
    pub title: &'a str,
    pub rank: usize,
    pub levels: usize,
}

/// The score badge's input for `e`: None when no scorecard check applies to it (no badge),
/// Some(None) when it reached no level.
pub fn score_of<'a>(scores: &'a Scores, e: &Entity) -> Option<Option<ScoreLevel<'a>>> {
    let score = scores.get(&e.entity_ref.key())?;
    Some(score.reached.as_ref().map(|r| ScoreLevel {
        title: &r.title,
        rank: r.position + 1,
        levels: scores.levels.len(),
    }))
}

/// What one entity's badges say. `score`: None where the site has no scorecards (no score
/// badge is drawn), Some(None) where the entity reached no level.
pub fn entity_badges(
    e: &Entity,
    has_docs: bool,
    score: Option<Option<ScoreLevel>>,
) -> Vec<(&'static str, BadgeText)> {
    let kind = e.entity_ref.kind.as_str();
    let lifecycle = e.spec_str("lifecycle");
    let owner = e.related(RelationType::OwnedBy).next();
    let mut out = vec![("pingback", pingback_badge(e))];
    if lifecycle.is_some() || LIFECYCLE_KINDS.contains(&kind) {
        out.push(("lifecycle", lifecycle_badge(lifecycle)));
    }
    if owner.is_some() || OWNER_KINDS.contains(&kind) {
        out.push(("owner", owner_badge(owner)));
    }
    if has_docs || docs_expected(kind) {
        out.push(("docs", docs_badge(has_docs)));
    }
    if let Some(level) = score {
        out.push((SCORE, score_badge(level)));
    }
    out
}

/// The entity's badge files, for the render stage to hand to `write` with its pages.
pub fn entity_badge_files(
    e: &Entity,
    has_docs: bool,
    score: Option<Option<ScoreLevel>>,
) -> Vec<OutputFile> {
    entity_badges(e, has_docs, score)
        .into_iter()
        .map(|(name, b)| OutputFile::bytes(badge_file(&e.entity_ref, name), render_svg(&b)))
        .collect()
}

/// "<kind> | <name>": the badge that links a README back to its portal page.
pub fn pingback_badge(e: &Entity) -> BadgeText {
    BadgeText::new(&e.entity_ref.kind, e.name(), NAME_COLOR)
}

pub fn lifecycle_badge(lifecycle: Option<&str>) -> BadgeText {
    let Some(l) = lifecycle.map(str::trim).filter(|l| !l.is_empty()) else {
        return BadgeText::new("lifecycle", NONE, LIGHT_GREY);
    };
    let color = LIFECYCLE_COLORS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(l))
        .map_or(BLUE, |(_, c)| c);
    BadgeText::new("lifecycle", l, color)
}

/// The owner as Backstage shortens a ref: no `group:` kind, no `default/` namespace.
pub fn owner_badge(owner: Option<&EntityRef>) -> BadgeText {
    let Some(o) = owner else {
        return BadgeText::new("owner", NONE, LIGHT_GREY);
    };
    let mut text = String::new();
    if o.kind != "group" {
        text.push_str(&o.kind);
        text.push(':');
    }
    if o.namespace != "default" {
        text.push_str(&o.namespace);
        text.push('/');
    }
    text.push_str(&o.name);
    BadgeText::new("owner", &text, NAME_COLOR)
}

pub fn docs_badge(has_docs: bool) -> BadgeText {
    if has_docs {
        BadgeText::new("docs", "view", BLUE)
    } else {
        BadgeText::new("docs", NONE, LIGHT_GREY)
    }
}

/// "score | <level>", coloured by how high the level is among the levels; "none" in red when
/// no level is reached.
pub fn score_badge(level: Option<ScoreLevel>) -> BadgeText {
    match level {
        Some(l) if l.levels > 0 && l.rank > 0 => {
            let rank = l.rank.min(l.levels);
            // The top level is always the greenest; lower ones spread over the rest.
            let last = SCORE_COLORS.len() - 1;
            let index = if l.levels == 1 {
                last
            } else {
                (rank - 1) * last / (l.levels - 1)
            };
            BadgeText::new("score", l.title, SCORE_COLORS[index])
        }
        _ => BadgeText::new("score", NONE, NO_SCORE_COLOR),
    }
}

#[cfg(test)]
mod tests;
