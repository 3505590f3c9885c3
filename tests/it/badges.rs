//! README badges as built: an SVG per badge at the stable URL of every entity, valid XML,
//! and the entity page's snippets with absolute URLs from `base_url` (or a note without one).
//! The browser test shows they render at the width their SVG says.

use std::path::Path;

use quick_xml::events::Event;
use stagedoor::config::Overrides;

use crate::browser::{self, serve_dir};
use crate::support::{build_fixture, build_into, build_with, example_site_copy, site_with};

const BASE: &str = "https://portal.brightwave.example";
const BADGES: [&str; 5] = ["pingback", "lifecycle", "owner", "docs", "score"];

/// Every entity page of a built site, as (namespace, kind, name) from its folder.
fn entity_folders(site: &Path) -> Vec<(String, String, String)> {
    let catalog = site.join("catalog");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&catalog).min_depth(4).max_depth(4) {
        let e = e.expect("walk");
        if e.file_name() != "index.html" {
            continue;
        }
        let rel = e.path().strip_prefix(&catalog).expect("inside");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        out.push((parts[0].clone(), parts[1].clone(), parts[2].clone()));
    }
    out.sort();
    out
}

/// Parses `svg` as XML; returns the root element's name and its `width` attribute.
fn parse_svg(svg: &str) -> (String, u32) {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut root: Option<(String, u32)> = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if root.is_none() => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let width = e
                    .try_get_attribute("width")
                    .expect("attributes parse")
                    .map(|a| {
                        String::from_utf8_lossy(&a.value)
                            .parse::<u32>()
                            .expect("number")
                    })
                    .unwrap_or(0);
                root = Some((name, width));
                depth += 1;
            }
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                let text = t.decode().expect("UTF-8");
                assert!(!text.contains('>'), "a bare > in {svg}");
            }
            // Only XML's own entities: an SVG has no DTD to define others.
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().expect("UTF-8");
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_ref())
                        || name.starts_with('#'),
                    "entity &{name}; in {svg}"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML at {}: {e}\n{svg}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unclosed elements in {svg}");
    root.expect("a root element")
}

#[test]
fn every_entity_of_the_example_site_has_its_badges_and_snippets() {
    let site = example_site_copy();
    let out = tempfile::tempdir().unwrap();
    let built = out.path().join("site");
    build_into(site.path(), &built);
    let entities = entity_folders(&built);
    assert!(entities.len() > 20, "{entities:?}");
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(built.join("catalog.json")).unwrap())
            .expect("catalog.json");
    // (namespace, kind, name) as the URLs spell them → the entity's score in catalog.json.
    let scores: std::collections::HashMap<(String, String, String), serde_json::Value> = catalog
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            let key = (
                e["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("default")
                    .to_lowercase(),
                e["kind"].as_str().unwrap_or_default().to_lowercase(),
                e["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
            (key, e["score"].clone())
        })
        .collect();
    assert!(
        scores.values().any(|s| !s.is_null()),
        "example-site is scored"
    );
    for (ns, kind, name) in &entities {
        let dir = format!("badges/{ns}/{kind}/{name}");
        let mut files: Vec<String> = std::fs::read_dir(built.join(&dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|f| f.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        for file in &files {
            let svg = std::fs::read_to_string(built.join(format!("{dir}/{file}"))).expect("read");
            let (root, width) = parse_svg(&svg);
            assert_eq!(root, "svg", "{dir}/{file}");
            assert!(width > 20, "{dir}/{file}: width {width}");
        }
        // Every entity links back; components and APIs always have lifecycle and owner.
        let must: &[&str] = match kind.as_str() {
            "component" => &BADGES,
            "api" => &["pingback", "lifecycle", "owner"],
            _ => &["pingback"],
        };
        for badge in must {
            assert!(files.contains(&format!("{badge}.svg")), "{dir}: {files:?}");
        }
        // A score badge where a scorecard check applies, saying the level catalog.json gives.
        let score = &scores[&(ns.clone(), kind.clone(), name.clone())];
        let score_svg = built.join(format!("{dir}/score.svg"));
        assert_eq!(score_svg.is_file(), !score.is_null(), "{dir}: {score}");
        if !score.is_null() {
            let svg = std::fs::read_to_string(&score_svg).expect("score badge");
            let level = score["levelTitle"].as_str().unwrap_or("none");
            assert!(
                svg.contains(&format!(">{level}</text>")),
                "{dir}: {score} {svg}"
            );
        }

        let page =
            std::fs::read_to_string(built.join(format!("catalog/{ns}/{kind}/{name}/index.html")))
                .expect("entity page");
        let section = &page[page
            .find("id=\"badges\"")
            .unwrap_or_else(|| panic!("{dir}"))..];
        let section = &section[..section.find("</section>").expect("section ends")];
        // The page shows exactly the badges there are files for.
        assert_eq!(section.matches("data-badge=").count(), files.len(), "{dir}");
        for file in &files {
            let badge = file.trim_end_matches(".svg");
            assert!(
                section.contains(&format!("src=\"../../../../{dir}/{badge}.svg\"")),
                "{dir}: {section}"
            );
            // Markdown: [![alt](badge URL)](page URL); the HTML snippet is shown escaped.
            assert!(
                section.contains(&format!(
                    "]({BASE}/{dir}/{badge}.svg)]({BASE}/catalog/{ns}/{kind}/{name}/)"
                )),
                "{dir}: {section}"
            );
            assert!(
                section.contains(&format!(
                    "&lt;a href=&quot;{BASE}/catalog/{ns}/{kind}/{name}/&quot;&gt;&lt;img src=&quot;{BASE}/{dir}/{badge}.svg&quot;"
                )),
                "{dir}: {section}"
            );
        }
        assert!(!section.contains("Set <code>base_url</code>"), "{dir}");
    }
    // Every badge folder belongs to an entity page.
    let badge_dirs = walkdir::WalkDir::new(built.join("badges"))
        .min_depth(3)
        .max_depth(3)
        .into_iter()
        .count();
    assert_eq!(badge_dirs, entities.len());
    // What a badge says follows the entity.
    let lifecycle =
        std::fs::read_to_string(built.join("badges/default/component/payments-api/lifecycle.svg"))
            .expect("payments-api has a lifecycle badge");
    assert!(
        lifecycle.contains("aria-label=\"lifecycle: production\""),
        "{lifecycle}"
    );
}

#[test]
fn without_base_url_the_page_says_so_instead_of_relative_snippets() {
    let (_site, out) = build_fixture("ui/portal");
    let page = std::fs::read_to_string(
        out.path()
            .join("site/catalog/default/component/payments/index.html"),
    )
    .expect("page");
    let section = &page[page.find("id=\"badges\"").expect("badges section")..];
    let section = &section[..section.find("</section>").expect("section ends")];
    assert!(section.contains("data-snippet=\"none\""), "{section}");
    assert!(!section.contains("data-snippet=\"markdown\""), "{section}");
    assert!(
        !section.contains("]("),
        "no Markdown with relative URLs: {section}"
    );
    assert!(
        section.contains("<img src=\"../../../../badges/default/component/payments/owner.svg\"")
    );
}

#[test]
fn hostile_text_stays_text_in_badges_and_snippets() {
    let site = site_with(&[(
        "catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: evil\nspec:\n  type: service\n  lifecycle: \"<script>alert(1)</script>&\\\"'\"\n  owner: \"user:o'brien\"\n",
    )]);
    let out = tempfile::tempdir().unwrap();
    build_with(
        site.path(),
        Overrides {
            out: Some(out.path().join("site")),
            base_url: Some(format!("{BASE}/")),
            ..Overrides::default()
        },
    );
    let built = out.path().join("site");
    for badge in BADGES {
        let svg = std::fs::read_to_string(
            built.join(format!("badges/default/component/evil/{badge}.svg")),
        )
        .expect("badge");
        parse_svg(&svg);
        assert!(!svg.contains("<script"), "{svg}");
    }
    let lifecycle =
        std::fs::read_to_string(built.join("badges/default/component/evil/lifecycle.svg")).unwrap();
    assert!(
        lifecycle.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;\"'</text>"),
        "{lifecycle}"
    );
    let page = std::fs::read_to_string(built.join("catalog/default/component/evil/index.html"))
        .expect("page");
    assert!(!page.contains("<script>alert(1)"), "raw script in the page");
    // The Markdown alt escapes Markdown syntax; the page then escapes it as HTML.
    assert!(
        page.contains(r"[![lifecycle: \&lt;script\&gt;alert\(1\)\&lt;/script\&gt;\&amp;"),
        "markdown alt"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn badges_render_on_the_entity_page_at_their_svg_width() {
    let Some(b) = browser::start().await else {
        return;
    };
    let site = crate::support::fixture("ui/portal");
    let out = tempfile::tempdir().unwrap();
    build_with(
        site.path(),
        Overrides {
            out: Some(out.path().join("site")),
            base_url: Some(format!("{BASE}/")),
            ..Overrides::default()
        },
    );
    let server = serve_dir(out.path().join("site"));
    b.open(&format!(
        "{}catalog/default/component/payments/",
        server.base
    ))
    .await;
    b.wait_until("Array.from(document.querySelectorAll('img[data-badge]')).every(i => i.complete)")
        .await;
    // Each badge as the browser drew it, beside the width its SVG file declares.
    let drawn = b
        .js("return Promise.all(Array.from(document.querySelectorAll('img[data-badge]')).map(i => fetch(i.src).then(r => r.text()).then(t => [i.dataset.badge, i.naturalWidth, Number(new DOMParser().parseFromString(t, 'image/svg+xml').documentElement.getAttribute('width'))])))")
        .await;
    let drawn = drawn.as_array().expect("a list").clone();
    let names: Vec<&str> = drawn.iter().filter_map(|d| d[0].as_str()).collect();
    assert_eq!(names, BADGES);
    for d in &drawn {
        let natural = d[1].as_u64().unwrap_or(0);
        assert!(natural > 0, "not drawn: {d}");
        assert_eq!(Some(natural), d[2].as_u64(), "{d}");
    }
    // With JS the copy buttons show, and a click answers.
    assert_eq!(
        b.js("return Array.from(document.querySelectorAll('#badges [data-copy]')).filter(x => !x.hidden && x.getClientRects().length).length").await,
        2
    );
    b.click("#badges [data-copy]").await;
    b.wait_until("document.querySelector('#badges [data-copy]').dataset.state")
        .await;
    assert!(b.console_errors().await.is_empty());
    b.close().await;
}
