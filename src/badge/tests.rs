use super::*;
use crate::catalog::model::Relation;

fn entity(kind: &str, name: &str, lifecycle: Option<&str>, owner: Option<EntityRef>) -> Entity {
    let relations = owner
        .into_iter()
        .map(|target| Relation {
            relation: RelationType::OwnedBy,
            target,
        })
        .collect();
    let mut e = Entity::bare(EntityRef::new(kind, "default", name), relations);
    e.kind = kind.into();
    if let Some(l) = lifecycle {
        e.spec = serde_json::json!({ "lifecycle": l });
    }
    e
}

fn payments() -> Entity {
    entity(
        "Component",
        "payments-api",
        Some("production"),
        Some(EntityRef::new("group", "default", "team-payments")),
    )
}

#[test]
fn golden_pingback() {
    insta::assert_snapshot!(render_svg(&pingback_badge(&payments())));
}

#[test]
fn golden_lifecycle() {
    insta::assert_snapshot!(render_svg(&lifecycle_badge(Some("production"))));
}

#[test]
fn golden_owner() {
    insta::assert_snapshot!(render_svg(&owner_badge(Some(&EntityRef::new(
        "group",
        "default",
        "team-payments"
    )))));
}

#[test]
fn golden_docs() {
    insta::assert_snapshot!(render_svg(&docs_badge(true)));
}

#[test]
fn golden_score() {
    insta::assert_snapshot!(render_svg(&score_badge(Some(ScoreLevel {
        title: "gold",
        rank: 3,
        levels: 3,
    }))));
}

fn names(e: &Entity, has_docs: bool, score: Option<Option<ScoreLevel>>) -> Vec<&'static str> {
    entity_badges(e, has_docs, score)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

#[test]
fn a_component_has_the_four_badges_and_a_score_only_when_given() {
    let e = payments();
    assert_eq!(
        names(&e, false, None),
        ["pingback", "lifecycle", "owner", "docs"]
    );
    assert_eq!(names(&e, false, Some(None)), BADGES);
    // Even without the fields: "none", so a README's badge link keeps working.
    let bare = entity("Component", "bare", None, None);
    assert_eq!(
        names(&bare, false, None),
        ["pingback", "lifecycle", "owner", "docs"]
    );
    let files = entity_badge_files(&e, true, None);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "badges/default/component/payments-api/pingback.svg",
            "badges/default/component/payments-api/lifecycle.svg",
            "badges/default/component/payments-api/owner.svg",
            "badges/default/component/payments-api/docs.svg",
        ]
    );
}

#[test]
fn kinds_without_a_field_get_no_badge_for_it() {
    let team = entity("Group", "team", None, None);
    assert_eq!(names(&team, false, None), ["pingback"]);
    assert_eq!(names(&team, true, None), ["pingback", "docs"]);
    let system = entity("System", "s", None, None);
    assert_eq!(names(&system, false, None), ["pingback", "owner", "docs"]);
    let api = entity("API", "a", Some("beta"), None);
    assert_eq!(names(&api, false, None), ["pingback", "lifecycle", "owner"]);
    // A field the kind's schema lacks still shows when an entity has it.
    let odd = entity("Group", "g", Some("production"), None);
    assert_eq!(names(&odd, false, None), ["pingback", "lifecycle"]);
}

#[test]
fn messages_follow_the_entity() {
    let e = payments();
    assert_eq!(
        pingback_badge(&e).accessible_text(),
        "component: payments-api"
    );
    assert_eq!(lifecycle_badge(Some("production")).color, "#4c1");
    assert_eq!(lifecycle_badge(Some("Deprecated")).color, "#e05d44");
    assert_eq!(lifecycle_badge(Some("experimental")).color, "#fe7d37");
    assert_eq!(lifecycle_badge(Some("sunset")).color, BLUE);
    assert_eq!(lifecycle_badge(Some("  ")).message, "none");
    assert_eq!(lifecycle_badge(None).message, "none");
    // Backstage's short form of a ref: the default kind and namespace are left out.
    let other = EntityRef::new("user", "ops", "jo");
    assert_eq!(owner_badge(Some(&other)).message, "user:ops/jo");
    assert_eq!(owner_badge(None).message, "none");
    assert_eq!(docs_badge(true).message, "view");
    assert_eq!(docs_badge(false).message, "none");
}

#[test]
fn score_colours_rise_with_the_level() {
    let level = |rank, levels| {
        score_badge(Some(ScoreLevel {
            title: "x",
            rank,
            levels,
        }))
        .color
    };
    assert_eq!(level(3, 3), "#4c1");
    assert_eq!(level(1, 3), "#fe7d37");
    assert_eq!(level(2, 3), "#a4a61d");
    assert_eq!(level(1, 1), "#4c1");
    assert_eq!(level(9, 3), "#4c1");
    assert_eq!(score_badge(None).message, "none");
    assert_eq!(score_badge(None).color, NO_SCORE_COLOR);
    assert_eq!(level(0, 3), NO_SCORE_COLOR);
}

#[test]
fn hostile_names_are_escaped() {
    let e = entity(
        "Component",
        "x<script>&\"'",
        Some("<img src=x onerror=alert(1)>"),
        None,
    );
    for (_, b) in entity_badges(&e, false, None) {
        let svg = render_svg(&b);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        // The aria-label attribute cannot be closed by a quote in the text.
        let aria = svg.split("aria-label=\"").nth(1).unwrap_or_default();
        let aria = aria.split('"').next().unwrap_or_default();
        assert!(!aria.contains('<'), "{aria}");
        assert_well_formed(&svg);
    }
    let svg = render_svg(&pingback_badge(&e));
    assert!(svg.contains("x&lt;script&gt;&amp;\"'</text>"), "{svg}");
    assert!(
        svg.contains("aria-label=\"component: x&lt;script&gt;&amp;&quot;'\""),
        "{svg}"
    );
}

/// A small XML check: every tag closes in order, attributes are quoted, no raw `<` or `&`.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(
            !text.contains('>') && text.split('&').skip(1).all(is_entity),
            "bad text {text:?} in {svg}"
        );
        let end = rest[start..].find('>').expect("unclosed tag") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "bad tag {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "in {svg}");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or_default();
            stack.push(name.to_string());
        }
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in {tag:?}"
        );
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

fn is_entity(after_amp: &str) -> bool {
    ["amp;", "lt;", "gt;", "quot;", "#39;", "#x27;"]
        .iter()
        .any(|e| after_amp.starts_with(e))
}
