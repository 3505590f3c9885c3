//! Scorecards on a built site: the entity page shows the level and the failing checks' hints,
//! `/scorecards/` lists and filters (in Chromium), `catalog.json` carries the score, a bad
//! rule is a diagnostic at its line, and example-site shows every level.

use std::collections::BTreeMap;

use stagedoor::diagnostics::Code;

use crate::browser::{self, serve_dir};
use crate::catalog_browser::build_example_site;
use crate::support::{build_into, load, project_root, site_with};

const CONFIG: &str = r#"roots: [repos/*]
scorecards:
  checks:
    - id: sbom
      title: Ships an SBOM
      level: gold
      kinds: [component]
      hint: "Generate <sbom.json> in CI"
      check: repo_files
      files: [sbom.json]
    - id: broken
      level: platinum
      check: docs
"#;

const ENTITIES: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  description: Sells things.
spec:
  type: service
  lifecycle: production
  owner: team
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: nameless
spec:
  type: service
  lifecycle: production
  owner: ghost
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team
spec:
  type: team
  children: []
"#;

fn built() -> (
    tempfile::TempDir,
    tempfile::TempDir,
    stagedoor::build::BuildReport,
) {
    let site = site_with(&[
        ("stagedoor.yaml", CONFIG),
        ("repos/shop/catalog-info.yaml", ENTITIES),
        ("repos/shop/README.md", "# Shop\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let report = build_into(site.path(), &out.path().join("site"));
    (site, out, report)
}

#[test]
fn entity_pages_show_the_level_and_what_to_do() {
    let (_site, out, report) = built();
    let bad: Vec<_> = (report.diagnostics.iter())
        .filter(|d| d.code == Code::ScorecardRuleInvalid)
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].0, Some(12), "at the level's line: {bad:?}");
    assert!(bad[0].1.contains("platinum"), "{bad:?}");

    let page = |name: &str| {
        let path = out
            .path()
            .join(format!("site/catalog/default/component/{name}/index.html"));
        std::fs::read_to_string(path).unwrap()
    };
    let shop = page("shop");
    assert!(
        shop.contains(r#"data-score-level="bronze""#),
        "shop passes bronze only"
    );
    assert!(shop.contains("Ships an SBOM"));
    assert!(
        shop.contains("Generate &lt;sbom.json&gt; in CI"),
        "hints are escaped"
    );
    assert!(!shop.contains("<sbom.json>"));
    let nameless = page("nameless");
    assert!(nameless.contains(r#"data-score-level="none""#));
    assert!(nameless.contains("Add metadata.description, one sentence on what it is for."));
    // The group is not scored: no card.
    let group = std::fs::read_to_string(
        out.path()
            .join("site/catalog/default/group/team/index.html"),
    )
    .unwrap();
    assert!(!group.contains(r#"id="scorecard""#));
}

#[test]
fn catalog_json_carries_each_entitys_score() {
    let (_site, out, _) = built();
    let text = std::fs::read_to_string(out.path().join("site/catalog.json")).unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let score = |name: &str| {
        let e = items
            .iter()
            .find(|e| e["metadata"]["name"] == name)
            .unwrap();
        e["score"].clone()
    };
    let shop = score("shop");
    assert_eq!(shop["level"], "bronze");
    assert_eq!(shop["levelRank"], 1);
    let failed: Vec<&str> = shop["failed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        failed.contains(&"sbom") && failed.contains(&"codeowners"),
        "{failed:?}"
    );
    assert!(!failed.contains(&"readme"), "{failed:?}");
    assert_eq!(
        shop["total"].as_u64().unwrap(),
        shop["passed"].as_u64().unwrap() + failed.len() as u64
    );
    assert_eq!(score("nameless")["level"], serde_json::Value::Null);
    assert!(
        score("nameless")["failed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "owner")
    );
    assert_eq!(
        score("team"),
        serde_json::Value::Null,
        "groups are not scored"
    );
}

#[test]
fn example_site_shows_every_level() {
    let model = load(&project_root().join("example-site"));
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for score in model.scores.by_entity.values() {
        let level = score.reached.as_ref().map_or("none", |r| r.id.as_str());
        *counts.entry(level.to_string()).or_default() += 1;
    }
    for level in ["bronze", "silver", "gold", "none"] {
        assert!(
            counts.get(level).copied().unwrap_or(0) > 0,
            "no {level} entity: {counts:?}"
        );
    }
    assert!(
        !model
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ScorecardRuleInvalid)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scorecards_page_filters_by_level_owner_and_kind_in_chromium() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let server = serve_dir(out.path().join("site"));
    b.client
        .goto(&format!("{}catalog/", server.base))
        .await
        .unwrap();
    b.click("header a[href$='scorecards/']").await;
    b.wait_until("location.pathname.endsWith('/scorecards/')")
        .await;
    let rows = "Array.from(document.querySelectorAll('[data-catalog-table] tbody tr'))";
    let visible = format!("{rows}.filter(r => !r.hidden)");
    let total = b
        .js(&format!("return {rows}.length"))
        .await
        .as_u64()
        .unwrap();
    assert!(total > 50, "{total} rows");
    let choose_in = |css: &str, value: &str| {
        format!(
            "const s = document.querySelector('{css}'); s.value = '{value}'; s.dispatchEvent(new Event('change'));"
        )
    };
    let choose = |name: &str, value: &str| choose_in(&format!("select[name={name}]"), value);

    b.js(&choose("level", "gold")).await;
    b.wait_until(&format!("{visible}.length < {total}")).await;
    assert_eq!(
        b.js(&format!(
            "return {visible}.every(r => r.dataset.level === 'gold')"
        ))
        .await,
        true
    );
    let gold = b
        .js(&format!("return {visible}.length"))
        .await
        .as_u64()
        .unwrap();
    assert!(gold >= 1, "{gold} gold rows");
    assert!(
        b.js("return location.search")
            .await
            .as_str()
            .unwrap()
            .contains("level=gold")
    );

    b.js(&choose("level", "")).await;
    let owner = b
        .js("return Array.from(document.querySelectorAll('select[name=owner] option')).map(o => o.value).find(v => v.endsWith('ledger-team'))")
        .await;
    let owner = owner
        .as_str()
        .expect("the ledger team is an owner option")
        .to_string();
    b.js(&choose("owner", &owner)).await;
    b.js(&choose("kind", "component")).await;
    b.wait_until(&format!(
        "{visible}.length > 0 && {visible}.every(r => r.dataset.kind === 'component' && r.dataset.owner === '{owner}')"
    ))
    .await;
    let ledger = b
        .js(&format!(
            "return {visible}.map(r => r.querySelector('.col-level').textContent.trim())"
        ))
        .await;
    assert!(
        ledger.as_array().unwrap().iter().any(|l| l == "Silver"),
        "{ledger}"
    );

    // Search results filter by level: only gold entities remain for "payments".
    b.client
        .goto(&format!("{}search/?q=payments", server.base))
        .await
        .unwrap();
    let hits = "[...document.querySelectorAll('[data-search-page-results] .search-hit')]";
    b.wait_until(&format!(
        "{hits}.length > 5 && document.querySelector('[data-search-level] option[value=gold]')"
    ))
    .await;
    b.js(&choose_in("[data-search-level]", "gold")).await;
    b.wait_until(&format!("{hits}.length > 0 && {hits}.length < 5"))
        .await;
    let urls = b
        .js(&format!("return {hits}.map(h => h.getAttribute('href'))"))
        .await;
    let urls: Vec<&str> = urls
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u.as_str())
        .collect();
    assert!(
        urls.iter().any(|u| u.ends_with("component/payments-api/")),
        "{urls:?}"
    );
    assert!(
        !urls.iter().any(|u| u.contains("api/payment-events")),
        "bronze API filtered out: {urls:?}"
    );

    // A row of /scorecards/ leads to the entity page's scorecard card.
    b.client
        .goto(&format!("{}scorecards/?level=silver", server.base))
        .await
        .unwrap();
    b.wait_until(&format!(
        "{visible}.length > 0 && {visible}.every(r => r.dataset.level === 'silver')"
    ))
    .await;
    b.click("[data-catalog-table] tbody tr:not([hidden]) .col-name a")
        .await;
    b.wait_until("document.querySelector('#scorecard .level-pill') !== null")
        .await;

    // On a phone the table scrolls sideways; each row's level is still in view.
    b.set_width(390).await;
    b.open(&format!("{}scorecards/", server.base)).await;
    let right = b
        .js("return document.querySelector('[data-catalog-table] tbody tr .col-level .level-pill').getBoundingClientRect().right")
        .await;
    let inner = b.js("return window.innerWidth").await;
    assert!(
        right.as_f64().unwrap_or(f64::MAX) <= inner.as_f64().unwrap_or(0.0),
        "the level pill ends at {right}, the window at {inner}"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}
