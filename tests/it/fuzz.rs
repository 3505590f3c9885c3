//! Properties over hostile input for the parsers that read files users write: the catalog
//! parser (arbitrary bytes, YAML-ish text), the mkdocs.yml reader with its nav, the OpenAPI
//! reference (hostile schemas and `$ref`s). None may panic, hang (each case must finish
//! within `LIMIT`), or report a position outside its file.
//! The Markdown renderer's properties live in tests/markdown_golden/props.rs.

use std::path::Path;

use proptest::prelude::*;
use stagedoor::catalog::parse::parse_catalog_file;
use stagedoor::diagnostics::Diagnostic;
use stagedoor::docs::{mkdocs::read_mkdocs, nav::site_files};

use crate::limit::{LIMIT, within};

/// Diagnostics must point inside the file they name (line 1..=lines+1).
fn positions_fit(diags: &[Diagnostic], file: &Path, lines: usize) -> Result<(), String> {
    for d in diags {
        if d.file.as_deref() == Some(file)
            && let Some(line) = d.line
            && (line == 0 || line > lines + 1)
        {
            return Err(format!("line {line} of {lines}: {d:?}"));
        }
    }
    Ok(())
}

/// A secret beside the repository: `$text: ../secret.txt` must never read it.
const SECRET: &str = "SECRET-OUTSIDE-THE-REPOSITORY";

fn parse_catalog_bytes(bytes: Vec<u8>) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).map_err(|e| e.to_string())?;
    std::fs::write(dir.path().join("secret.txt"), SECRET).map_err(|e| e.to_string())?;
    std::fs::write(repo.join("inside.txt"), "inside").map_err(|e| e.to_string())?;
    let file = repo.join("catalog-info.yaml");
    std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let f = file.clone();
    let parsed =
        within(move || parse_catalog_file(&f, &repo, Some("https://git.example/r".into())))?;
    positions_fit(&parsed.diagnostics, &file, lines)?;
    for e in &parsed.entities {
        let name = &e.entity.entity_ref.name;
        if !stagedoor::catalog::rules::is_object_name(name) {
            return Err(format!("an invalid name was accepted: {name:?}"));
        }
        if e.entity.document().to_string().contains(SECRET) {
            return Err("a substitution read a file outside the repository".into());
        }
    }
    Ok(())
}

/// Pieces of catalog files: envelope keys, YAML syntax that trips parsers (anchors, aliases,
/// tags, flow collections, block scalars, document markers), substitutions that read other
/// files, and hostile values.
fn catalog_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("apiVersion: backstage.io/v1alpha1\n".to_string()),
        Just("kind: Component\n".to_string()),
        Just("kind: API\n".to_string()),
        Just("kind: Location\n".to_string()),
        Just("metadata:\n  name: a\n".to_string()),
        Just("  namespace: ".to_string()),
        Just("  title: ".to_string()),
        Just("  links:\n    - url: ".to_string()),
        Just("  annotations:\n    backstage.io/view-url: ".to_string()),
        Just("  tags: [".to_string()),
        Just("spec:\n  type: service\n  owner: ".to_string()),
        Just("  definition:\n    $text: ".to_string()),
        Just("  definition:\n    $yaml: ".to_string()),
        Just("  definition:\n    $json: ".to_string()),
        Just("  targets: [".to_string()),
        Just("../secret.txt".to_string()),
        Just("inside.txt".to_string()),
        Just("./inside.txt".to_string()),
        Just("/etc/passwd".to_string()),
        Just("https://x.example/a.yaml".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("<<: *a\n".to_string()),
        Just("!!binary ".to_string()),
        Just("!ENV ".to_string()),
        Just("? ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("|\n".to_string()),
        Just(">-\n".to_string()),
        Just("# ".to_string()),
        Just("%YAML 1.2\n".to_string()),
        Just("${{ parameters.name }}".to_string()),
        Just("\t".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("\u{2028}".to_string()),
        Just("\0".to_string()),
        Just("9223372036854775808".to_string()),
        Just("1e999".to_string()),
        Just(".nan".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("\n  ".to_string()),
        Just("\n    ".to_string()),
        "[a-zA-Z0-9_./:-]{1,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn catalog_text() -> impl Strategy<Value = String> {
    prop::collection::vec(catalog_fragment(), 0..48).prop_map(|v| v.concat())
}

/// A valid entity whose values (`{default}`) are each kept, or replaced by a few fragments:
/// reaches validation, substitution and relations, which broken YAML never gets to.
const ENTITY_WITH_HOLES: &str = "apiVersion: backstage.io/v1alpha1
kind: {Component}
metadata:
  name: {svc}
  namespace: {default}
  title: {Title}
  tags: [{java}]
  links:
    - url: {https://x.example/}
      title: {Docs}
  annotations:
    backstage.io/view-url: {https://x.example/v}
    backstage.io/source-location: {url:https://x.example/s}
spec:
  type: {service}
  owner: {team}
  system: {sys}
  dependsOn: [{component:other}]
  definition:
    $text: {inside.txt}
  targets: [{./inside.txt}]
";

fn entity_with_holes() -> impl Strategy<Value = String> {
    let holes = ENTITY_WITH_HOLES.matches('{').count();
    let fill = prop_oneof![
        6 => Just(None),
        1 => prop::collection::vec(catalog_fragment(), 1..4).prop_map(|v| Some(v.concat())),
    ];
    prop::collection::vec(fill, holes).prop_map(|fills| {
        let mut out = String::new();
        let mut rest = ENTITY_WITH_HOLES;
        for fill in fills {
            let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) else {
                break;
            };
            out.push_str(&rest[..open]);
            out.push_str(fill.as_deref().unwrap_or(&rest[open + 1..close]));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    })
}

/// Pieces of mkdocs.yml: nav shapes (nested sections, links, literate-nav), INHERIT and
/// docs_dir that try to leave the repository, plugins and extensions with odd configs,
/// Python tags.
fn mkdocs_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("site_name: ".to_string()),
        Just("nav:\n".to_string()),
        Just("  - ".to_string()),
        Just("    - ".to_string()),
        Just("index.md".to_string()),
        Just("a/b.md".to_string()),
        Just("Section:\n".to_string()),
        Just("Home: index.md\n".to_string()),
        Just("Link: https://x.example/\n".to_string()),
        Just("Bad: javascript:alert(1)\n".to_string()),
        Just("INHERIT: ".to_string()),
        Just("docs_dir: ".to_string()),
        Just("repo_url: ".to_string()),
        Just("edit_uri: ".to_string()),
        Just("edit_uri_template: ".to_string()),
        Just("exclude_docs: |\n  *.tmp\n".to_string()),
        Just("not_in_nav: ".to_string()),
        Just("../".to_string()),
        Just("/etc".to_string()),
        Just("mkdocs.yml".to_string()),
        Just("plugins:\n  - ".to_string()),
        Just("techdocs-core".to_string()),
        Just("redirects:\n      redirect_maps:\n        ".to_string()),
        Just("literate-nav:\n      nav_file: ".to_string()),
        Just("markdown_extensions:\n  - ".to_string()),
        Just("pymdownx.highlight:\n      linenums: ".to_string()),
        Just("toc:\n      permalink: ".to_string()),
        Just(
            "pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                .to_string()
        ),
        Just("!ENV [A, b]".to_string()),
        Just("!relative $config_dir".to_string()),
        Just("&x ".to_string()),
        Just("*x".to_string()),
        Just("{".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("\n  ".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        "[a-zA-Z0-9_./ -]{1,10}",
    ]
}

fn mkdocs_text() -> impl Strategy<Value = String> {
    prop::collection::vec(mkdocs_fragment(), 0..40).prop_map(|v| v.concat())
}

/// mkdocs.yml beside a small docs folder, read and its nav built.
fn read_mkdocs_text(text: String) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let repo = dir.path().join("repo");
    for (path, content) in [
        ("mkdocs.yml", text.as_str()),
        ("docs/index.md", "# Home\n"),
        ("docs/a/b.md", "# B\n"),
        ("docs/SUMMARY.md", "* [B](a/b.md)\n"),
        ("base.yml", "site_name: Base\nnav: [index.md]\n"),
    ] {
        let p = repo.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).map_err(|e| e.to_string())?;
        std::fs::write(p, content).map_err(|e| e.to_string())?;
    }
    std::fs::write(dir.path().join("outside.yml"), "site_name: Outside\n")
        .map_err(|e| e.to_string())?;
    let lines = text.lines().count() + 1;
    let file = repo.join("mkdocs.yml");
    let diags = within(move || {
        let mut diags = Vec::new();
        if let Some(cfg) = read_mkdocs(&repo, "fallback", &repo, &mut diags) {
            let files = site_files(&cfg, &repo, &mut diags);
            // Nothing outside the repository may become a page or an asset.
            for f in files.pages.iter().chain(&files.assets) {
                assert!(
                    f.src.starts_with(&repo),
                    "{} left the repository",
                    f.src.display()
                );
            }
        }
        diags
    })?;
    positions_fit(&diags, &file, lines)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn catalog_parser_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1500)) {
        parse_catalog_bytes(bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn catalog_parser_survives_yaml_like_text(text in catalog_text()) {
        parse_catalog_bytes(text.into_bytes()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn catalog_parser_survives_entities_with_hostile_values(text in entity_with_holes()) {
        parse_catalog_bytes(text.into_bytes()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mkdocs_reader_survives_yaml_like_text(text in mkdocs_text()) {
        read_mkdocs_text(text).map_err(TestCaseError::fail)?;
    }
}

/// The detector itself: a hang and a panic are both reported, not waited for or swallowed.
#[test]
fn within_reports_hangs_and_panics() {
    assert!(within(|| std::thread::sleep(LIMIT * 2)).is_err());
    assert!(within(|| panic!("boom")).is_err());
    assert_eq!(within(|| 7), Ok(7));
}

/// OpenAPI schemas and operations made of the keywords the reference reads, with `$ref`s
/// that loop, dangle, leave the repository, point into lists or name remote files.
fn openapi_tree() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let refs = prop_oneof![
        Just("#/components/schemas/A"),
        Just("#/components/schemas/B"),
        Just("#/components/schemas/Nope"),
        Just("#/paths/~1a/get"),
        Just("#/components/schemas/A/properties/x"),
        Just("#/components/schemas/A/allOf/0"),
        Just("#"),
        Just("../secret.yaml#/S"),
        Just("./inside.yaml#/S"),
        Just("https://x.example/s.json"),
        Just("#/%zz/~2"),
    ];
    let leaf = prop_oneof![
        refs.prop_map(|r| json!({ "$ref": r })),
        Just(json!({"type": "string", "format": "date-time", "enum": ["a", 1, null]})),
        Just(json!({"type": ["integer", "null"], "minimum": 0, "default": "<script>"})),
        Just(json!({"type": "array"})),
        Just(json!("<img src=x onerror=alert(1)>")),
        Just(json!(null)),
        Just(json!(7)),
        Just(json!([])),
    ];
    let keys = prop_oneof![
        Just("properties"),
        Just("items"),
        Just("allOf"),
        Just("oneOf"),
        Just("anyOf"),
        Just("additionalProperties"),
        Just("x"),
        Just("example"),
        Just("examples"),
        Just("discriminator"),
        Just("required"),
        Just("description"),
        Just("schema"),
        Just("content"),
        Just("parameters"),
        Just("responses"),
        Just("requestBody"),
        Just("headers"),
        Just("tags"),
    ];
    leaf.prop_recursive(6, 64, 4, move |inner| {
        prop_oneof![
            prop::collection::vec((keys.clone(), inner.clone()), 0..4).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
            prop::collection::vec(inner, 0..3).prop_map(Value::Array),
        ]
    })
}

fn reference_of_tree(
    a: serde_json::Value,
    b: serde_json::Value,
    op: serde_json::Value,
) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.path().join("secret.yaml"),
        format!("S: {{description: {SECRET}}}\n"),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(repo.join("inside.yaml"), "S: {$ref: './inside.yaml#/S'}\n")
        .map_err(|e| e.to_string())?;
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "paths": {"/a": {"get": op, "parameters": [a.clone()]}},
        "webhooks": {"h": {"post": b.clone()}},
        "components": {"schemas": {"A": a, "B": b}},
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    let lines = text.lines().count();
    let file = repo.join("openapi.json");
    let (f, root) = (file.clone(), repo.clone());
    let r = within(move || {
        let source = stagedoor::apiref::Source {
            text: &text,
            file: &f,
            line: 1,
            root: &root,
            markup: Default::default(),
        };
        stagedoor::apiref::reference("openapi", &source)
    })?;
    let r = r.ok_or("no reference")?;
    positions_fit(&r.diagnostics, &file, lines)?;
    let html: String = r.sections.iter().map(|s| s.html.as_str()).collect();
    if html.contains(SECRET) || html.contains("<script") || html.contains("<img src=x onerror") {
        return Err(format!("unsafe output: {html}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn openapi_references_survive_hostile_schemas(a in openapi_tree(), b in openapi_tree(), op in openapi_tree()) {
        reference_of_tree(a, b, op).map_err(TestCaseError::fail)?;
    }
}
