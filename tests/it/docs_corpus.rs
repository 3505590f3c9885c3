//! The two real MkDocs trees of ../shared/corpus built as TechDocs: no error, a page for every
//! nav entry, and the techdocs-core extensions rendered as HTML elements, never as literal
//! `!!!`, `???` or `=== "` text.

use std::path::{Path, PathBuf};

use stagedoor::build::{BuildOptions, BuildReport, build_site};
use stagedoor::config::{Overrides, load_config};
use stagedoor::diagnostics::Severity;
use stagedoor::docs::nav::page_url;
use stagedoor::progress::Silent;
use stagedoor::yaml::{self, Node, Schema, Value};

use crate::support::{corpus, site_with};

struct Built {
    _site: tempfile::TempDir,
    root: PathBuf,
    docs: PathBuf,
    report: BuildReport,
}

/// Builds `rel` as the docs of one component, as a Backstage catalog would register it: the
/// entity lives in its own repository and points at the docs with a `url:` techdocs-ref.
fn build_docs_of(rel: &str, repo_url: &str) -> Option<Built> {
    let root = corpus(rel)?;
    let entity = format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: manual\n  annotations:\n    backstage.io/techdocs-ref: url:{repo_url}/tree/master/\nspec:\n  type: documentation\n  lifecycle: production\n  owner: team\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec:\n  type: team\n  children: []\n"
    );
    let config = format!(
        "roots:\n  - path: catalog\n  - path: '{}'\n    repo_url: {repo_url}\ncatalog:\n  files: [catalog-info.yaml]\n",
        root.display()
    );
    let site = site_with(&[
        ("stagedoor.yaml", &config),
        ("catalog/catalog-info.yaml", &entity),
    ]);
    let loaded = load_config(site.path(), &Overrides::default()).expect("config");
    assert!(!loaded.is_fatal(), "{:?}", loaded.diagnostics);
    let report = build_site(
        &loaded.config,
        loaded.diagnostics,
        BuildOptions::default(),
        &Silent,
    )
    .expect("build");
    let docs = loaded.config.out.join("docs/default/component/manual");
    Some(Built {
        _site: site,
        root,
        docs,
        report,
    })
}

/// Every `.md` target named in mkdocs.yml's nav (folders expand to their Markdown files).
fn nav_pages(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("mkdocs.yml")).unwrap();
    let cfg = yaml::parse_single(&text, Schema::Yaml11).unwrap().unwrap();
    let mut out = Vec::new();
    fn walk(n: &Node, root: &Path, out: &mut Vec<String>) {
        match &n.value {
            Value::String(s) if s.ends_with(".md") => out.push(s.clone()),
            Value::String(s) if s.ends_with('/') => {
                for e in std::fs::read_dir(root.join("docs").join(s))
                    .unwrap()
                    .flatten()
                {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".md") {
                        out.push(format!("{s}{name}"));
                    }
                }
            }
            Value::Seq(items) => items.iter().for_each(|i| walk(i, root, out)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, root, out)),
            _ => {}
        }
    }
    walk(cfg.get("nav").unwrap(), root, &mut out);
    out
}

fn all_html(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn article(html: &str) -> &str {
    let start = html.find("<article").unwrap_or(0);
    let end = html.find("</article>").unwrap_or(html.len());
    &html[start..end]
}

/// The text outside `<pre>` blocks: code samples may show block syntax on purpose.
fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</pre>")
            .map_or("", |end| &rest[start + end..]);
    }
    out.push_str(rest);
    out
}

fn check(b: &Built, must_contain: &[(&str, &str)]) {
    let errors: Vec<String> = b
        .report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {:?}:{:?} {}", d.code.id(), d.file, d.line, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let pages = nav_pages(&b.root);
    assert!(pages.len() > 10, "nav lists {} pages", pages.len());
    for p in &pages {
        let out = b.docs.join(page_url(p)).join("index.html");
        assert!(out.is_file(), "nav page {p} has no {}", out.display());
    }
    let html = all_html(&b.docs);
    for (what, needle) in must_contain {
        assert!(
            html.iter().any(|(_, h)| article(h).contains(needle)),
            "no page has {what} ({needle})"
        );
    }
    for (path, h) in &html {
        for line in without_code(article(h)).lines() {
            let t = line.trim_start();
            assert!(
                !t.starts_with("!!! ") && !t.starts_with("??? ") && !t.starts_with("=== \""),
                "{}: literal block syntax: {t}",
                path.display()
            );
        }
    }
}

#[test]
fn mkdocs_material_docs_build_as_techdocs() {
    let Some(b) = build_docs_of(
        "mkdocs-material-docs",
        "https://github.com/squidfunk/mkdocs-material",
    ) else {
        return;
    };
    check(
        &b,
        &[
            ("an admonition", "<div class=\"admonition"),
            ("content tabs", "<div class=\"tabbed-set"),
            ("a collapsible block", "<details"),
            ("highlighted code", "highlight\"><"),
            ("a footnote", "class=\"footnote"),
            ("a table", "<table"),
            ("a task list", "task-list-item"),
        ],
    );
    // The corpus left out images over 200 KB (its SOURCE.md lists them): exactly those, and
    // nothing else, are reported missing.
    let mut missing: Vec<String> = b
        .report
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                stagedoor::diagnostics::Code::MissingImage
                    | stagedoor::diagnostics::Code::BrokenLink
            )
        })
        .map(|d| {
            d.message
                .split('"')
                .nth(1)
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            "blog.png",
            "consent.png",
            "creating-your-site.png",
            "navigation-tabs-collapsed.png",
            "screenshot-dark.png",
            "screenshot-search-dark.png",
            "screenshot-search.png",
            "screenshot.png",
            "search-preview-before.png",
            "social-cards-layer-background-image.png",
            "social-cards-layer-background.png",
        ]
    );
}

#[test]
fn mkdocs_docs_build_as_techdocs() {
    let Some(b) = build_docs_of("mkdocs-docs", "https://github.com/mkdocs/mkdocs") else {
        return;
    };
    // This tree writes call-outs with the `callouts` extension (`NOTE:`), which techdocs-core
    // does not enable: they stay readable paragraphs, as in TechDocs.
    check(
        &b,
        &[("highlighted code", "highlight\"><"), ("a table", "<table")],
    );
    // mkdocs-redirects stubs lead to the pages' new homes.
    let stub = std::fs::read_to_string(b.docs.join("user-guide/plugins/index.html")).unwrap();
    assert!(stub.contains("dev-guide/plugins/"), "{stub}");
}
