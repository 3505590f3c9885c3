//! Snapshots of example-site's output (insta): `catalog.json` and the `<main>` of a page of
//! each kind. Bless changes with `INSTA_UPDATE=always cargo test` after reading the diff.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::catalog_browser::build_example_site;

fn site() -> &'static PathBuf {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = SITE.get_or_init(|| {
        let dir = build_example_site();
        let path = dir.path().join("site");
        (dir, path)
    });
    path
}

fn main_of(page: &str) -> String {
    let html = std::fs::read_to_string(site().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn catalog_json() {
    let json = std::fs::read_to_string(site().join("catalog.json")).unwrap();
    insta::assert_snapshot!("catalog_json", json);
}

#[test]
fn component_page() {
    insta::assert_snapshot!(
        "component_payments_api",
        main_of("catalog/default/component/payments-api/index.html")
    );
}

#[test]
fn api_page() {
    insta::assert_snapshot!(
        "api_payments_api",
        main_of("catalog/default/api/payments-api/index.html")
    );
}

#[test]
fn group_page() {
    insta::assert_snapshot!(
        "group_payments_engineering",
        main_of("catalog/default/group/payments-engineering/index.html")
    );
}

#[test]
fn template_page() {
    let dir = site().join("catalog/default/template");
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .min()
        .unwrap();
    insta::assert_snapshot!(
        "template_first",
        main_of(&format!("catalog/default/template/{first}/index.html"))
    );
}

#[test]
fn location_page() {
    insta::assert_snapshot!(
        "location_org",
        main_of("catalog/default/location/brightwave-org/index.html")
    );
}

/// The engineering radar's SVG, drawn at build time: a changed layout shows up here.
#[test]
fn radar_svg() {
    let html = std::fs::read_to_string(site().join("radar/index.html")).unwrap();
    let start = html
        .find("<svg class=\"radar-svg\"")
        .expect("the radar's svg");
    let end = start + html[start..].find("</svg>").expect("</svg>") + "</svg>".len();
    insta::assert_snapshot!("radar_engineering_svg", &html[start..end]);
}
