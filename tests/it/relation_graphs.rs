//! Relation graphs on example-site's entity pages: every entity with relations has one, the
//! systems and domains have an architecture view reaching other systems, and in real headless
//! Chromium the nodes are links to the right pages, "and N more" opens the full list, and the
//! drawing fits a 390 px phone without making the page scroll sideways, starting with the
//! page's own entity in view.

use crate::browser::{self, serve_dir};
use crate::catalog_browser::build_example_site;

/// Entity pages of the built site: `catalog/<namespace>/<kind>/<name>/index.html`.
fn entity_pages(site: &std::path::Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for ns in std::fs::read_dir(site.join("catalog")).unwrap().flatten() {
        for kind in std::fs::read_dir(ns.path()).into_iter().flatten().flatten() {
            for entity in std::fs::read_dir(kind.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let file = entity.path().join("index.html");
                if let Ok(html) = std::fs::read_to_string(&file) {
                    let rel = file
                        .strip_prefix(site)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    pages.push((rel, html));
                }
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn example_site_draws_every_entity_with_relations_and_its_systems_architecture() {
    let out = build_example_site();
    let site = out.path().join("site");
    let pages = entity_pages(&site);
    assert!(pages.len() > 100, "{}", pages.len());
    let mut systems = 0;
    for (path, html) in &pages {
        // Locations hold no relations (what they read is listed instead); all others have some.
        if path.contains("/location/") {
            continue;
        }
        assert!(html.contains("id=\"relation-graph\""), "{path}: no graph");
        assert!(html.contains("role=\"img\""), "{path}");
        if path.contains("/system/") || path.contains("/domain/") {
            systems += 1;
            let arch = &html[html
                .find("id=\"architecture-graph\"")
                .unwrap_or_else(|| panic!("{path}: no architecture view"))..];
            let arch = &arch[..arch.find("</figure>").unwrap()];
            assert!(
                arch.matches("class=\"graph__line\"").count() >= 2,
                "{path}: {arch}"
            );
            // Every example system reaches into another one.
            assert!(arch.contains("graph__node--external"), "{path}: {arch}");
        }
    }
    assert!(systems >= 7, "{systems}");
    // A system with several components, APIs and resources.
    let (_, pp) = pages
        .iter()
        .find(|(p, _)| p.ends_with("system/payment-processing/index.html"))
        .expect("payment-processing");
    let arch = &pp[pp.find("id=\"architecture-graph\"").unwrap()..];
    for kind in ["component", "api", "resource"] {
        assert!(
            arch.matches(&format!("graph__node--kind-{kind}\"")).count() >= 2,
            "{kind}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn graph_nodes_lead_to_their_pages_and_fit_a_phone() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let server = serve_dir(out.path().join("site"));
    let base = &server.base;
    let pages = [
        "catalog/default/component/payments-api/",
        "catalog/default/system/payment-processing/",
        "catalog/default/domain/payments/",
    ];
    for width in [390, 1280] {
        b.set_width(width).await;
        for page in pages {
            b.client.goto(&format!("{base}{page}")).await.unwrap();
            b.wait_until("document.querySelector('#relation-graph .graph__svg')")
                .await;
            for svg in [
                "#relation-graph .graph__svg",
                "#architecture-graph .graph__svg",
            ] {
                let m = b
                    .js(&format!(
                        "const s = document.querySelector('{svg}'); if (!s) return null;
                         const r = s.getBoundingClientRect();
                         const box = s.closest('.graph__scroll').getBoundingClientRect();
                         return [r.width, r.height, s.viewBox.baseVal.width, box.left, box.right,
                                 document.documentElement.scrollWidth, window.innerWidth];"
                    ))
                    .await;
                if m.is_null() {
                    assert!(
                        svg.starts_with("#arch") && page.contains("/component/"),
                        "{page}: {svg}"
                    );
                    continue;
                }
                let [w, h, view_w, left, right, scroll_w, inner] =
                    [0, 1, 2, 3, 4, 5, 6].map(|i| m[i].as_f64().unwrap());
                assert!(w > 100.0 && h > 40.0, "{width} {page} {svg}: {m}");
                // Text is drawn at 13 px; it must not shrink below 10 px.
                assert!(
                    w / view_w >= 0.76,
                    "{width} {page} {svg}: scale {}",
                    w / view_w
                );
                // The drawing scrolls inside its card; the page itself does not.
                assert!(
                    scroll_w <= inner,
                    "{width} {page}: page is {scroll_w} wide in {inner}"
                );
                assert!(
                    left >= 0.0 && right <= inner,
                    "{width} {page}: {left}..{right}"
                );
                // A drawing that scrolls starts with the page's own entity in view.
                let focus = b
                    .js(&format!(
                        "const s = document.querySelector('{svg}');
                         const f = s.querySelector('.graph__node--focus');
                         if (!f) return null;
                         const r = f.getBoundingClientRect();
                         const box = s.closest('.graph__scroll').getBoundingClientRect();
                         return [r.left, r.right, box.left, box.right];"
                    ))
                    .await;
                if let Some(f) = focus.as_array() {
                    let [fl, fr, bl, br] = [0, 1, 2, 3].map(|i| f[i].as_f64().unwrap());
                    assert!(
                        fl >= bl - 1.0 && fr <= br + 1.0,
                        "{width} {page} {svg}: the entity at {fl}..{fr}, card {bl}..{br}"
                    );
                }
            }
        }
    }

    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");

    // Every node of a page links to the page of the entity it shows.
    let page = format!("{base}catalog/default/component/payments-api/");
    b.client.goto(&page).await.unwrap();
    let nodes = b
        .js("return Array.from(document.querySelectorAll('.graph a.graph__node[data-ref]')).map(a => [new URL(a.getAttribute('href'), location.href).href, a.dataset.ref])")
        .await;
    let nodes: Vec<(String, String)> = serde_json::from_value(nodes).unwrap();
    assert!(nodes.len() >= 5, "{nodes:?}");
    for (url, entity) in &nodes {
        b.client.goto(url).await.unwrap();
        let landed = b
            .js("const s = document.querySelector('[data-star]'); return s && s.dataset.ref")
            .await;
        assert_eq!(landed.as_str(), Some(entity.as_str()), "{url}");
    }

    // (A group's page loads its avatar from the example's made-up host: not ours to check.)
    b.console_errors().await;

    // A real click on a node, and on "and N more", which opens the full list.
    b.client.goto(&page).await.unwrap();
    b.click("#relation-graph a.graph__node[data-ref=\"system:default/payment-processing\"]")
        .await;
    b.wait_until("location.pathname.endsWith('/system/payment-processing/')")
        .await;
    b.client.goto(&page).await.unwrap();
    assert_eq!(
        b.js("return document.querySelector('#relations-all').closest('details').open")
            .await,
        false
    );
    b.click("#relation-graph a.graph__node--more").await;
    b.wait_until("document.querySelector('#relations-all').closest('details').open")
        .await;
    let listed = b
        .js("return document.querySelectorAll('#relations-all a.ref').length")
        .await
        .as_u64()
        .unwrap();
    let drawn = b
        .js("return document.querySelectorAll('#relation-graph a.graph__node[data-ref]').length")
        .await
        .as_u64()
        .unwrap();
    assert!(
        listed > drawn,
        "the list has the folded ones too: {listed} vs {drawn}"
    );

    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    b.close().await;
}
