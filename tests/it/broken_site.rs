//! example-site-broken holds one deliberate problem per file (see its EXPECTED.md): each is
//! reported once, at its file and line, and everything else still builds.

use std::collections::BTreeMap;

use stagedoor::config::Overrides;
use stagedoor::diagnostics::Severity;

use crate::support::{build_with, fixture, project_root};

#[test]
fn every_catalog_problem_is_reported_once_and_the_rest_builds() {
    let site = project_root().join("example-site-broken");
    let out = tempfile::tempdir().unwrap();
    let report = build_with(
        &site,
        Overrides {
            out: Some(out.path().join("s")),
            ..Default::default()
        },
    );
    assert!(report.written);
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| {
        d.file
            .as_ref()
            .is_some_and(|f| f.ends_with("catalog-info.yaml"))
    }) {
        let file = stagedoor::diagnostics::display_path(d.file.as_deref().unwrap(), &site);
        by_file
            .entry(file)
            .or_default()
            .push(format!("{}:{}", d.code.id(), d.line.unwrap_or(0)));
    }
    let expected: &[(&str, &str)] = &[
        ("repos/malformed-yaml/catalog-info.yaml", "E003:19"),
        ("repos/missing-kind/catalog-info.yaml", "E010:3"),
        ("repos/unknown-kind/catalog-info.yaml", "E013:4"),
        ("repos/bad-name/catalog-info.yaml", "E014:7"),
        ("repos/bad-namespace/catalog-info.yaml", "E015:8"),
        ("repos/missing-lifecycle/catalog-info.yaml", "E018:10"),
        ("repos/unquoted-annotation/catalog-info.yaml", "E016:9"),
        ("repos/bad-tag/catalog-info.yaml", "E016:9"),
        ("repos/duplicate-ref-second/catalog-info.yaml", "E019:8"),
        ("repos/dangling-owner/catalog-info.yaml", "E031:11"),
        ("repos/dangling-api/catalog-info.yaml", "E031:12"),
        ("repos/dependson-without-kind/catalog-info.yaml", "E030:13"),
        ("repos/location-missing-target/catalog-info.yaml", "E040:10"),
        ("repos/location-outside-repo/catalog-info.yaml", "E041:9"),
        (
            "repos/placeholder-outside-repo/catalog-info.yaml",
            "E044:15",
        ),
        (
            "repos/yaml-placeholder-two-docs/catalog-info.yaml",
            "E043:10",
        ),
        ("repos/javascript-link/catalog-info.yaml", "E020:13"),
        ("repos/root-relations/catalog-info.yaml", "E017:12"),
        ("repos/openapi-ref-outside/catalog-info.yaml", "E112:27"),
        (
            "repos/skeleton-outside-template/old-skeleton/catalog-info.yaml",
            "E021:6",
        ),
    ];
    let expected: BTreeMap<String, Vec<String>> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), vec![c.to_string()]))
        .collect();
    assert_eq!(by_file, expected);

    // What must still be there, and what must never leak into the output.
    let json = std::fs::read_to_string(out.path().join("s/catalog.json")).unwrap();
    for name in [
        "yaml-first",
        "yaml-third",
        "dashboard-widget",
        "duplicate-service",
        "skeleton-host-service",
        "kindless-dependency-service",
    ] {
        assert!(
            json.contains(&format!("\"name\": \"{name}\"")),
            "{name} should load"
        );
    }
    for entry in walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        let shown = entry.path().display();
        assert!(
            !text.contains("CANARY-OUTSIDE-TXT")
                && !text.contains("CANARY-OUTSIDE-YAML")
                && !text.contains("root:x:0:0"),
            "{shown} leaks a file from outside"
        );
        if shown.to_string().ends_with(".html") {
            assert!(
                !text.contains("<script>alert(1)"),
                "{shown} carries a live script"
            );
            assert!(
                !text.to_lowercase().contains("href=\"javascript:"),
                "{shown}"
            );
        }
    }
    assert!(
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
            >= 8
    );

    // The docs problems of repos/techdocs-broken, each at its page and line.
    let docs: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.file
                .as_ref()
                .is_some_and(|f| f.extension().is_some_and(|e| e == "md"))
        })
        .map(|d| format!("{} {}", d.code.id(), d.location(&site).unwrap()))
        .collect();
    assert_eq!(
        docs,
        [
            "E069 repos/techdocs-broken/docs/missing-anchor.md:6:1",
            "E090 repos/techdocs-broken/docs/missing-image.md:6:1",
            "E068 repos/techdocs-broken/docs/missing-page.md:6:1",
            "E072 repos/techdocs-broken/docs/snippet-escape.md:7:1",
        ]
    );
    for entry in walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        assert!(
            !text.contains("CANARY-SECRET-TXT"),
            "{} includes a snippet from outside",
            entry.path().display()
        );
    }
    // The docs site is still built: the page with a broken link is there.
    assert!(
        out.path()
            .join("s/docs/default/component/broken-docs-service/missing-page/index.html")
            .is_file()
    );
}

/// A docs-only problem (a broken link, a warning) is enough for --strict to fail the build.
#[test]
fn strict_fails_on_a_broken_docs_link() {
    let site = fixture("broken_site/broken_docs_link");
    let out = crate::support::stagedoor()
        .arg("build")
        .arg(site.path())
        .arg("--strict")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning[E068]") && err.contains("--> docs/index.md:3:1"),
        "{err}"
    );
    assert!(err.contains("warning[E090]"), "{err}");
    assert!(
        err.contains("warning[E069]") && err.contains("--> docs/index.md:5:1"),
        "{err}"
    );
    assert!(!site.path().join("public").exists());
    // The docs pages went to a staging folder while the docs were read, before the build
    // knew it would fail: that folder is gone too (only the lock file stays beside).
    let left: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("public") && !n.ends_with("-lock"))
        .collect();
    assert!(left.is_empty(), "left beside the output: {left:?}");
}

/// `check` skips highlighting (most of a page's rendering) but reports exactly what a build
/// reports: every problem of example-site-broken, docs links and anchors included.
#[test]
fn check_reports_what_build_reports_without_highlighting() {
    use stagedoor::config::load_config;
    use stagedoor::model::Model;
    use stagedoor::progress::Silent;
    let both = |site: &std::path::Path| -> (Model, Model) {
        let loaded = load_config(site, &Overrides::default()).expect("config");
        let diags = loaded.diagnostics;
        let built = stagedoor::build::load_model(&loaded.config, diags.clone(), &Silent);
        let checked = stagedoor::build::check_model(&loaded.config, diags, &Silent);
        (built, checked)
    };
    let (built, checked) = both(&project_root().join("example-site-broken"));
    assert!(
        built.diagnostics.len() > 10,
        "the broken site reports its problems"
    );
    assert_eq!(checked.diagnostics, built.diagnostics);
    let html = |m: &Model| -> String {
        (m.docs.sites.iter().flat_map(|s| &s.pages))
            .map(|p| p.html.unpack())
            .collect()
    };
    let (built, checked) = both(&project_root().join("example-site"));
    assert_eq!(checked.diagnostics, built.diagnostics);
    assert!(
        html(&built).contains("<div class=\"language-"),
        "a site highlights code"
    );
    assert!(!html(&checked).contains("<div class=\"language-"));
    assert!(
        html(&checked).contains("<pre><code>"),
        "check still reads the code blocks"
    );
}
