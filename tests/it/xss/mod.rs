//! Hostile input: the XSS corpus (tests/hostile/xss-payloads.txt) injected into every place
//! untrusted text reaches a page, built by the real binary, then checked statically on every
//! HTML file and live in headless Chromium (every page visited, the client-side parts used).

mod browse;
mod checks;
mod corpus;
mod site;

use std::path::{Path, PathBuf};

use crate::support::build_command;

pub struct Built {
    pub out: PathBuf,
    pub stderr: String,
    /// The site and output folders, removed on drop unless STAGEDOOR_KEEP_HOSTILE is set.
    _dirs: Option<(tempfile::TempDir, tempfile::TempDir)>,
}

impl Built {
    pub fn root(&self) -> PathBuf {
        self.out.join("site")
    }
}

/// The hostile site, built by the real binary. It has errors (names that break the rules),
/// so the exit code is 1; the portal is still written.
pub fn build_hostile(payloads: &[corpus::Payload]) -> Built {
    let site = site::hostile_site(payloads);
    let out = tempfile::tempdir().expect("temp out");
    let output = build_command(site.path(), out.path().join("site"))
        .arg("--no-cache")
        .output()
        .expect("stagedoor runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "build crashed: {:?}\n{stderr}",
        output.status
    );
    assert!(out.path().join("site/index.html").is_file(), "{stderr}");
    // For a look at the hostile site by hand: STAGEDOOR_KEEP_HOSTILE=1 keeps both folders.
    if std::env::var_os("STAGEDOOR_KEEP_HOSTILE").is_some() {
        std::fs::write(out.path().join("build.log"), &stderr).expect("write log");
        let (site, out) = (site.keep(), out.keep());
        eprintln!("hostile site kept: {} -> {}", site.display(), out.display());
        return Built {
            out,
            stderr,
            _dirs: None,
        };
    }
    Built {
        out: out.path().to_path_buf(),
        stderr,
        _dirs: Some((site, out)),
    }
}

/// Extensions a browser renders as a document that can run script when opened directly.
const DOCUMENT_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "xht", "svg", "xml"];

/// Every file of the output a browser would run as a document, relative path with `/`.
pub fn html_pages(root: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| DOCUMENT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("inside");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages
}

/// Every HTML file, statically: no script but the theme's, no handler attributes, no script
/// URLs, no template evaluated; and the build reported the names that break the rules without
/// losing the entities around them.
#[test]
fn hostile_catalog_docs_and_radar_leave_no_script_in_the_html() {
    let payloads = corpus::load_payloads();
    let built = build_hostile(&payloads);
    let root = built.root();
    let pages = html_pages(&root);
    let mut findings = Vec::new();
    for rel in &pages {
        let html = std::fs::read_to_string(root.join(rel)).expect("utf-8 page");
        for f in checks::static_findings(&html) {
            findings.push(format!("{rel}: {f}"));
        }
    }
    assert!(
        findings.is_empty(),
        "{} injections:\n{}",
        findings.len(),
        findings.join("\n")
    );

    for p in &payloads {
        for page in [
            format!("catalog/default/component/c-{}/index.html", p.id),
            format!("catalog/default/api/a-{}/index.html", p.id),
            format!("catalog/default/template/t-{}/index.html", p.id),
        ] {
            assert!(
                root.join(&page).is_file(),
                "{page} missing:\n{}",
                built.stderr
            );
        }
    }
    // Each way input is refused is reported, not silent.
    for (what, expected) in [
        ("names made of payloads are rejected", "error[E014]"),
        (
            "bad tags and labels are reported",
            "warning[E016]: \"tags.1\"",
        ),
        (
            "script links in links[] are dropped",
            "warning[E020]: link \"javascript:",
        ),
        (
            "script URLs in view-url",
            "warning[E020]: annotation backstage.io/view-url \"javascript:",
        ),
        (
            "script URLs in mkdocs repo_url",
            "warning[E020]: repo_url \"javascript:",
        ),
        ("script URLs in Markdown links", "warning[E075]"),
        ("scripts in raw HTML are removed", "warning[E076]"),
        ("script URLs in radar links", "warning[E106]"),
        ("active files in docs folders are withheld", "warning[E099]"),
    ] {
        assert!(
            built.stderr.contains(expected),
            "{what}: no {expected} in\n{}",
            built.stderr
        );
    }
    // A plain drawing beside the withheld active files is still published.
    let first = &payloads[0].id;
    assert!(
        root.join(format!("docs/default/component/c-{first}/ok.svg"))
            .is_file()
    );
    // The search index and catalog.json are data: they must stay valid JSON with any input.
    for e in walkdir::WalkDir::new(&root).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(e.path()).expect("utf-8 json");
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
        }
    }
    assert!(pages.len() > payloads.len() * 5, "{} pages", pages.len());
}

/// The base URL is written into every page (canonical link, sitemap): a script URL there is
/// refused as a usage error, before anything is built.
#[test]
fn a_script_base_url_is_refused() {
    let site = crate::support::site_with(&[("stagedoor.yaml", "roots: [.]\n")]);
    let out = tempfile::tempdir().expect("temp out");
    let output = build_command(site.path(), out.path().join("site"))
        .args(["--base-url", "javascript:alert(1)//"])
        .output()
        .expect("stagedoor runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("absolute http or https URL"), "{stderr}");
    assert!(!out.path().join("site").exists());
}
