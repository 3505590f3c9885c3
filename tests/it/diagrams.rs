//! Diagrams through a whole build: Graphviz drawn into the page, PlantUML code with one note
//! naming the stagedoor.yaml key, or an image from the configured server.

use stagedoor::config::Overrides;
use stagedoor::diagnostics::Code;

use crate::support::{build_with, documented_component, site_with};

const PAGE: &str = "# A\n\n```dot\ndigraph { api -> db }\n```\n\n```plantuml\nA -> B\n```\n";

fn site(config: &str) -> tempfile::TempDir {
    let catalog = documented_component("svc");
    site_with(&[
        ("stagedoor.yaml", config),
        ("catalog-info.yaml", &catalog),
        ("mkdocs.yml", "site_name: svc\n"),
        ("docs/index.md", PAGE),
        ("docs/other.md", PAGE),
    ])
}

fn page_html(out: &std::path::Path) -> String {
    let found = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().ends_with("other/index.html"))
        .expect("page written");
    std::fs::read_to_string(found.path()).expect("read page")
}

#[test]
fn unconfigured_plantuml_is_noted_once_naming_the_key() {
    let dir = site("title: T\n");
    let report = build_with(dir.path(), Overrides::default());
    let notes: Vec<_> = (report.diagnostics.iter())
        .filter(|d| d.code == Code::UnsupportedConstruct)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].message.contains("plantuml: { server:"),
        "{}",
        notes[0].message
    );
    let html = page_html(&dir.path().join("public"));
    assert!(html.contains("<svg class=\"dot-diagram\""), "dot drawn");
    assert!(html.contains("A -&gt; B"), "PlantUML shown as code");
}

#[test]
fn configured_plantuml_is_an_image_from_the_server() {
    let dir = site("plantuml:\n  server: https://uml.example/plantuml\n");
    let report = build_with(dir.path(), Overrides::default());
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnsupportedConstruct)
    );
    let html = page_html(&dir.path().join("public"));
    assert!(
        html.contains("src=\"https://uml.example/plantuml/svg/"),
        "server image"
    );
}
