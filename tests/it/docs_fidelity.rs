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
