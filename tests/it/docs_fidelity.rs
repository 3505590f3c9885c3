//! TechDocs fidelity on real-world docs: untitled nav sections, missing docs folders,
//! site-root URLs in raw HTML, unexpanded include/macro directives, and SVG diagrams shown
//! as images. One fixture site (`tests/fixtures/docs_fidelity/site`), one repository per case.

use std::sync::OnceLock;

use crate::support::{fixture, stagedoor};

/// The fixture built once: (its folder, the build's stderr).
fn built() -> &'static (tempfile::TempDir, String) {
    static BUILT: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = fixture("docs_fidelity/site");
        let out = stagedoor().arg("build").arg(site.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        (site, err)
    })
}

fn public(rel: &str) -> std::path::PathBuf {
    built().0.path().join("public").join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(public(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The diagnostic block (header to blank line) that names `code` and contains `needle`.
fn diagnostic<'a>(err: &'a str, code: &str, needle: &str) -> Option<&'a str> {
    err.split("\n\n")
        .find(|d| d.contains(&format!("[{code}]")) && d.contains(needle))
}

// A draw.io SVG has <foreignObject> labels: harmless in <img>, active if opened directly.
#[test]
fn scripted_svgs_show_inline_as_images_and_are_never_published() {
    let (_, err) = built();
    let page = read("docs/default/component/drawings/index.html");
    assert_eq!(
        page.matches("src=\"data:image/svg+xml,").count(),
        2,
        "both the Markdown image and the <img> show the drawing inline: {page}"
    );
    assert!(page.contains("src=\"plain.svg\""), "{page}");
    assert!(public("docs/default/component/drawings/plain.svg").is_file());
    assert!(
        !public("docs/default/component/drawings/arch.drawio.svg").exists(),
        "a scripted SVG is never a file of the portal"
    );
    let link = diagnostic(err, "E099", "link to \"arch.drawio.svg\"")
        .unwrap_or_else(|| panic!("the link to the drawing is reported: {err}"));
    assert!(link.contains("repos/drawings/docs/index.md:9:1"), "{link}");
    assert!(
        diagnostic(err, "E099", "arch.drawio.svg is not published").is_none(),
        "no warning for the image uses: {err}"
    );
}

// Backstage fails a build whose docs folder is missing; an empty site with a title misleads.
#[test]
fn entities_whose_docs_folder_is_missing_get_no_docs_site() {
    let (_, err) = built();
    for (name, folder) in [
        ("moved-docs", "folder pages/ (the docs_dir of mkdocs.yml)"),
        ("bare", "folder docs/ (the default docs_dir"),
        ("wrong-ref", "docs folder documentation does not exist"),
    ] {
        let d = diagnostic(err, "E061", folder)
            .unwrap_or_else(|| panic!("{name}: the missing folder is named: {err}"));
        assert!(
            d.contains(&format!("repos/{name}/catalog-info.yaml:7:1")),
            "{name}: at the techdocs-ref line: {d}"
        );
        assert!(
            !public(&format!("docs/default/component/{name}")).exists(),
            "{name}: no docs site"
        );
        let entity = read(&format!("catalog/default/component/{name}/index.html"));
        assert!(!entity.contains("Read the docs"), "{name}: {entity}");
        assert!(!entity.contains("/docs/default/component/"), "{name}");
    }
    assert!(
        diagnostic(err, "E095", "moved-docs").is_none()
            && !err.contains("moved-docs/pages/index.md"),
        "no generated home page is reported: {err}"
    );
}

// `<img src="/img/x.png">` was left as written (pointing at the portal's root) and unreported.
#[test]
fn site_root_urls_resolve_against_the_docs_folder_or_are_reported() {
    let (_, err) = built();
    let page = read("docs/default/component/rooted/guide/setup/index.html");
    assert_eq!(
        page.matches("src=\"../../img/logo.png\"").count(),
        2,
        "raw HTML and Markdown images: {page}"
    );
    assert!(
        page.contains("href=\"../../\">Home of these docs"),
        "{page}"
    );
    assert!(page.contains("href=\"./#setup\""), "{page}");
    assert!(
        page.contains("href=\"/\""),
        "the portal's home stays: {page}"
    );
    let missing = diagnostic(err, "E090", "\"/img/missing.png\"")
        .unwrap_or_else(|| panic!("the missing image is reported: {err}"));
    assert!(
        missing.contains("repos/rooted/docs/guide/setup.md:9:1"),
        "{missing}"
    );
    assert!(
        missing.contains("looked up in the docs folder"),
        "{missing}"
    );
    assert!(
        !err.contains("rooted/docs/guide/setup.md:3:")
            && !err.contains("setup.md:11:")
            && !err.contains("setup.md:13:"),
        "{err}"
    );
}

// `- "": [...]` rendered blank nav headings and a breadcrumb "Sections / / ".
#[test]
fn untitled_nav_sections_take_their_index_page_title() {
    let (_, err) = built();
    let page = read("docs/default/component/sections/guide/install/index.html");
    let crumb = |html: &str| {
        let b = html
            .split("class=\"breadcrumb\"")
            .nth(1)
            .expect("a breadcrumb");
        b.split("</nav>").next().unwrap_or(b).trim_end().to_string()
    };
    assert!(
        crumb(&page).ends_with("</span> User guide"),
        "{}",
        crumb(&page)
    );
    let reference = read("docs/default/component/sections/reference/cli/index.html");
    assert!(
        crumb(&reference).ends_with("</span> API"),
        "the section without an index page is titled after its first page: {reference}"
    );
    for p in [&page, &reference] {
        assert!(
            p.contains("<li class=\"nav-section\"><span>User guide</span>"),
            "{p}"
        );
        assert!(
            p.contains("<li class=\"nav-section\"><span>API</span>"),
            "{p}"
        );
        assert!(!p.contains("<span></span>"), "an empty nav heading: {p}");
    }
    let d = diagnostic(err, "E097", "no index page")
        .unwrap_or_else(|| panic!("the untitled section without index is reported: {err}"));
    assert!(d.contains("repos/sections/mkdocs.yml:7:5"), "{d}");
    assert!(d.contains("reference/api.md"), "{d}");
    assert!(
        !err.contains("repos/sections/mkdocs.yml:4:"),
        "the section with an index page is not reported: {err}"
    );
}

// Macro and include syntax showed as text with at most one note for the whole build.
#[test]
fn unexpanded_directives_are_reported_per_page() {
    let (_, err) = built();
    let reported: Vec<&str> = err
        .split("\n\n")
        .filter(|d| d.contains("[E098]"))
        .filter_map(|d| d.lines().find(|l| l.contains("--> ")))
        .collect();
    assert_eq!(
        reported,
        [
            "  --> repos/macros/docs/api.md:5:1",
            "  --> repos/macros/docs/index.md:3:1"
        ],
        "{err}"
    );
    let api = read("docs/default/component/macros/api/index.html");
    assert!(
        api.contains("<div class=\"admonition info mkdocstrings-placeholder\">"),
        "{api}"
    );
    assert!(
        !api.contains("show_source"),
        "the options are not shown: {api}"
    );
    assert!(api.contains("{* ../src/client.py ln[1:9] *}"), "{api}");
}
