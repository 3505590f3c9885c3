//! API references of GraphQL SDL and gRPC .proto definitions (`stagedoor::apiref`): the HTML
//! of small fixtures covering every construct (insta snapshots), and the shared corpus's
//! definitions, each of which must give a reference whose every in-page link has its target.

use std::path::Path;

use stagedoor::apiref::{Reference, Source, reference};

use crate::support::{corpus, project_root};

fn fixture(rel: &str) -> std::path::PathBuf {
    project_root().join("tests/fixtures/apiref").join(rel)
}

fn reference_of(api_type: &str, file: &Path, root: &Path) -> Reference {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let source = Source {
        text: &text,
        file,
        line: 1,
        root,
        markup: Default::default(),
    };
    reference(api_type, &source).unwrap_or_else(|| panic!("no reference for {}", file.display()))
}

/// The reference as a page would show it, plus its outline, search entries and diagnostics:
/// what the snapshots hold.
fn page(r: &Reference, root: &Path) -> String {
    let mut out = r.intro_html.clone();
    for s in &r.sections {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            s.anchor, s.title, s.html
        ));
    }
    out.push_str("\n--- outline\n");
    for o in &r.outline {
        let badge = o.badge.as_deref().unwrap_or("-");
        let dep = if o.deprecated { " (deprecated)" } else { "" };
        out.push_str(&format!(
            "{}{badge} {} #{}{dep}\n",
            "  ".repeat(o.depth.into()),
            o.title,
            o.anchor
        ));
    }
    out.push_str("\n--- search\n");
    for s in &r.search {
        out.push_str(&format!(
            "#{} {} | {}\n",
            s.anchor,
            s.title,
            s.text.replace('\n', " ")
        ));
    }
    out.push_str("\n--- diagnostics\n");
    for d in &r.diagnostics {
        let at = d.location(root).unwrap_or_default();
        out.push_str(&format!("{} {at} {}\n", d.code.id(), d.message));
    }
    out
}

fn html_of(r: &Reference) -> String {
    let mut all = r.intro_html.clone();
    for s in &r.sections {
        all.push_str(&format!(
            "<section id=\"{}\">{}</section>",
            s.anchor, s.html
        ));
    }
    all
}

/// Every `href="#x"` in the reference has an element `id="x"`, every id is unique (a deep
/// link has one target), and it has items.
fn assert_readable(r: &Reference, what: &str) {
    let all = html_of(r);
    assert!(r.outline.iter().any(|o| o.depth == 1), "{what}: no items");
    assert!(!r.search.is_empty(), "{what}: no search entries");
    let ids: Vec<&str> = all
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: an id is used twice");
    for href in all
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(ids.contains(&href), "{what}: no id for #{href}");
    }
    for o in &r.outline {
        assert!(
            ids.contains(&o.anchor.as_str()),
            "{what}: outline entry #{} has no target",
            o.anchor
        );
    }
    for s in &r.search {
        assert!(
            ids.contains(&s.anchor.as_str()),
            "{what}: search entry #{} has no target",
            s.anchor
        );
    }
}

#[test]
fn graphql_fixture_snapshot() {
    let root = fixture("graphql");
    let r = reference_of("graphql", &root.join("schema.graphql"), &root);
    assert_readable(&r, "schema.graphql");
    assert!(!html_of(&r).contains("<script"));
    insta::assert_snapshot!("apiref_graphql_schema", page(&r, &root));
}

#[test]
fn graphql_corpus_definitions_give_references() {
    let Some(dir) = corpus("api-definitions/graphql") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let path = entry.expect("corpus entry").path();
        let r = reference_of("graphql", &path, &dir);
        assert_readable(&r, &path.display().to_string());
        assert!(
            r.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            r.diagnostics
        );
        seen += 1;
    }
    assert!(seen > 0, "no GraphQL definitions in {}", dir.display());
}

#[test]
fn grpc_fixture_snapshot() {
    let root = fixture("grpc");
    let r = reference_of("grpc", &root.join("protos/payments/payments.proto"), &root);
    assert_readable(&r, "payments.proto");
    assert!(!html_of(&r).contains("<script"));
    assert!(!html_of(&r).contains("onerror"));
    insta::assert_snapshot!("apiref_grpc_payments", page(&r, &root));
}

#[test]
fn grpc_corpus_definitions_give_references() {
    let Some(dir) = corpus("api-definitions/grpc") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let path = entry.expect("corpus entry").path();
        let r = match path.extension().and_then(|e| e.to_str()) {
            Some("proto") => reference_of("grpc", &path, &dir),
            Some("yaml" | "yml") => embedded_reference(&path, &dir),
            _ => continue,
        };
        assert_readable(&r, &path.display().to_string());
        assert!(
            r.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            r.diagnostics
        );
        assert!(
            r.sections.iter().any(|s| s.anchor.starts_with("service/")),
            "{}: no service",
            path.display()
        );
        seen += 1;
    }
    assert!(seen > 0, "no gRPC definitions in {}", dir.display());
}

/// The reference of a catalog file's API entity whose `spec.definition` is written inline.
fn embedded_reference(path: &Path, root: &Path) -> Reference {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("corpus YAML");
    let definition = docs[0]["spec"]["definition"]
        .as_str()
        .expect("spec.definition");
    let api_type = docs[0]["spec"]["type"].as_str().expect("spec.type");
    let source = Source {
        text: definition,
        file: path,
        line: 1,
        root,
        markup: Default::default(),
    };
    reference(api_type, &source).unwrap_or_else(|| panic!("no reference for {}", path.display()))
}
