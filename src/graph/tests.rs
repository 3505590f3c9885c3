//! Whole drawings: goldens of an entity graph and a system's architecture view, and the cases
//! that must draw without error (cycles, self-relations, dangling refs, full columns).

use super::testkit::{catalog, catalog_in_order, entity_of};
use super::*;

const SHOP: &[(&str, &str, &str)] = &[
    ("component:orders", "partOf", "system:shop"),
    ("component:web", "partOf", "system:shop"),
    ("api:orders-api", "partOf", "system:shop"),
    ("resource:orders-db", "partOf", "system:shop"),
    ("component:orders", "providesApi", "api:orders-api"),
    ("component:web", "consumesApi", "api:orders-api"),
    ("component:orders", "dependsOn", "resource:orders-db"),
    ("component:orders", "ownedBy", "group:payments-team"),
    ("component:web", "ownedBy", "group:payments-team"),
    ("component:ledger", "partOf", "system:money"),
    ("api:ledger-api", "partOf", "system:money"),
    ("component:ledger", "providesApi", "api:ledger-api"),
    ("component:orders", "consumesApi", "api:ledger-api"),
    ("component:orders", "dependsOn", "resource:gone-cache"),
    ("user:ann", "memberOf", "group:payments-team"),
];

fn frame(page_dir: &str) -> Frame<'_> {
    Frame {
        id: "relation-graph",
        title: "Relations of orders",
        page_dir,
        urls: Urls::default(),
        all_anchor: "relations-all",
    }
}

/// One element per line, so a snapshot diff points at the element that changed.
fn lines(html: &str) -> String {
    html.replace("><", ">\n<")
}

fn entity_svg(c: &Catalog, r: &str, config: GraphConfig) -> Drawing {
    let e = entity_of(c, r);
    let dir = crate::urls::entity_dir(&e.entity_ref);
    entity_drawing(c, e, config, &frame(&dir))
}

#[test]
fn golden_entity_graph() {
    let c = catalog(SHOP);
    let d = entity_svg(&c, "component:orders", GraphConfig::default());
    insta::assert_snapshot!(lines(&d.html));
}

#[test]
fn golden_system_architecture() {
    let c = catalog(SHOP);
    let e = entity_of(&c, "system:shop");
    let dir = crate::urls::entity_dir(&e.entity_ref);
    let d = architecture_drawing(&c, e, GraphConfig::default(), &frame(&dir))
        .expect("systems have an architecture view");
    insta::assert_snapshot!(lines(&d.html));
}

#[test]
fn same_catalog_in_another_order_draws_the_same_bytes() {
    let mut shuffled: Vec<(&str, &str, &str)> = SHOP.to_vec();
    shuffled.reverse();
    shuffled.rotate_left(5);
    let a = catalog_in_order(SHOP, false);
    let b = catalog_in_order(&shuffled, true);
    for r in ["component:orders", "system:shop", "group:payments-team"] {
        let config = GraphConfig {
            depth: 2,
            max_per_rank: 3,
        };
        assert_eq!(
            entity_svg(&a, r, config).html,
            entity_svg(&b, r, config).html,
            "{r}"
        );
    }
}

#[test]
fn cycles_self_relations_and_dangling_refs_draw() {
    let c = catalog(&[
        ("component:a", "dependsOn", "component:b"),
        ("component:b", "dependsOn", "component:c"),
        ("component:c", "dependsOn", "component:a"),
        ("component:a", "dependsOn", "component:a"),
        ("component:a", "dependsOn", "resource:gone-db"),
    ]);
    let depth2 = GraphConfig {
        depth: 2,
        ..GraphConfig::default()
    };
    let d = entity_svg(&c, "component:a", depth2);
    let html = &d.html;
    // Two entity links (b, c; a is the page itself and not a link), the missing one dashed.
    assert_eq!(html.matches("<a class=\"graph__node").count(), 2, "{html}");
    assert!(html.contains("graph__node--dangling"), "{html}");
    assert!(
        !html.contains("gone-db/\""),
        "a dangling node links nowhere: {html}"
    );
    // Every edge is drawn: a→b, b→c, c→a, a→a, a→gone-db.
    assert_eq!(html.matches("class=\"graph__line\"").count(), 5, "{html}");
    assert!(html.contains("Not in the catalog"));
    assert!(!html.contains("NaN"), "{html}");
}

#[test]
fn full_columns_fold_into_and_n_more() {
    let names: Vec<String> = (0..20)
        .map(|i| format!("component:client-{i:02}"))
        .collect();
    let triples: Vec<(&str, &str, &str)> = names
        .iter()
        .map(|n| (n.as_str(), "dependsOn", "resource:hub-db"))
        .collect();
    let c = catalog(&triples);
    let d = entity_svg(
        &c,
        "resource:hub-db",
        GraphConfig {
            depth: 1,
            max_per_rank: 8,
        },
    );
    assert_eq!(d.hidden, 13);
    assert_eq!(d.members.len(), 20);
    assert!(d.html.contains(">and 13 more<"), "{}", d.html);
    assert!(d.html.contains("href=\"#relations-all\""));
    assert_eq!(
        d.html.matches("href=\"../../component/client-").count(),
        7,
        "{}",
        d.html
    );
    // Under the cap nothing folds.
    let d = entity_svg(
        &c,
        "resource:hub-db",
        GraphConfig {
            depth: 1,
            max_per_rank: 21,
        },
    );
    assert_eq!(d.hidden, 0);
}

#[test]
fn catalog_text_is_escaped() {
    let c = catalog(&[("component:a", "dependsOn", "resource:gone<script>")]);
    let d = entity_svg(&c, "component:a", GraphConfig::default());
    assert!(!d.html.contains("<script>"), "{}", d.html);
    assert!(d.html.contains("gone&lt;script&gt;"));
}

#[test]
fn links_are_relative_to_the_page() {
    let c = catalog(SHOP);
    let d = entity_svg(&c, "component:orders", GraphConfig::default());
    assert!(
        d.html.contains("href=\"../../resource/orders-db/\""),
        "{}",
        d.html
    );
}
