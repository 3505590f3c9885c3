//! How docs links resolve: relative .md links, cross-repository links to another entity's
//! docs, Backstage-shaped /docs/ links, full portal URLs, raw HTML images, assets.

use crate::support::{
    assert_same_files, documented_component, fixture, site_with, stagedoor, tree,
};

#[test]
fn links_resolve_within_and_across_repositories() {
    let site = fixture("docs_links/two_repos");
    let out = stagedoor()
        .arg("build")
        .arg(site.path())
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(
        site.path()
            .join("public/docs/default/component/alpha/index.html"),
    )
    .unwrap();
    for href in [
        "href=\"guide/setup/#install\"",
        "href=\"../beta/deep/page/#usage\"",
        "href=\"../beta/deep/page/\"",
        "href=\"../beta/\"",
        "href=\"../../../../catalog/default/component/beta/\"",
        "href=\"files/spec.pdf\"",
        "src=\"img/logo.svg\"",
    ] {
        assert!(page.contains(href), "{href} missing in {page}");
    }
    let setup = std::fs::read_to_string(
        site.path()
            .join("public/docs/default/component/alpha/guide/setup/index.html"),
    )
    .unwrap();
    assert!(
        setup.contains("href=\"../../\""),
        "a link back to the home page"
    );
    assert!(
        site.path()
            .join("public/docs/default/component/alpha/files/spec.pdf")
            .is_file(),
        "assets are copied"
    );
}

#[test]
fn cross_repository_links_to_missing_pages_and_anchors_warn() {
    let site = fixture("docs_links/missing_targets");
    let out = stagedoor().arg("check").arg(site.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning[E068]") && err.contains("--> repos/alpha/docs/index.md:3:1"),
        "{err}"
    );
    assert!(
        err.contains("warning[E069]") && err.contains("--> repos/alpha/docs/index.md:5:1"),
        "{err}"
    );
}

/// Docs without an index page still open: TechDocs' README fallback, else a generated list.
#[test]
fn docs_without_an_index_get_a_home_page() {
    let site = fixture("docs_links/no_index");
    let out = stagedoor().arg("build").arg(site.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let alpha = std::fs::read_to_string(
        site.path()
            .join("public/docs/default/component/alpha/index.html"),
    )
    .unwrap();
    assert!(
        alpha.contains("Alpha readme") && alpha.contains("href=\"guide/\""),
        "{alpha}"
    );
    let beta = std::fs::read_to_string(
        site.path()
            .join("public/docs/default/component/beta/index.html"),
    )
    .unwrap();
    assert!(
        beta.contains("href=\"setup/\"") && beta.contains("href=\"usage/\""),
        "{beta}"
    );
    assert!(
        err.contains("warning[E095]") && err.contains("repos/beta/mkdocs.yml"),
        "{err}"
    );
    assert!(
        !err.contains("repos/alpha/mkdocs.yml"),
        "the README fallback is not a problem: {err}"
    );
}

/// A site reached through a symbolic link (a root under a linked folder, or macOS's /tmp):
/// every page's path as walked differs from its real path, and its links resolve the same.
#[cfg(unix)]
#[test]
fn links_resolve_when_the_site_is_reached_through_a_symbolic_link() {
    let site = fixture("docs_links/two_repos");
    let holder = tempfile::tempdir().unwrap();
    let linked = holder.path().join("linked");
    std::os::unix::fs::symlink(site.path(), &linked).unwrap();
    let (via_link, direct) = (holder.path().join("via-link"), holder.path().join("direct"));
    for (root, out) in [(&linked, &via_link), (&site.path().to_path_buf(), &direct)] {
        let run = stagedoor()
            .arg("build")
            .arg(root)
            .arg("--out")
            .arg(out)
            .arg("--strict")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "building {root:?}: {err}");
    }
    let page = std::fs::read_to_string(via_link.join("docs/default/component/alpha/index.html"));
    let page = page.unwrap();
    for href in [
        "href=\"guide/setup/#install\"",
        "href=\"../beta/deep/page/#usage\"",
    ] {
        assert!(page.contains(href), "{href} missing in {page}");
    }
    assert_same_files(&tree(&direct), &tree(&via_link), "built through the link");
}

/// The home page stagedoor writes for docs without one is no file: a link to `index.md`
/// there is reported, not pointed at the generated page.
#[test]
fn a_link_to_a_home_page_the_docs_do_not_have_is_reported() {
    let mkdocs = "site_name: Alpha\nnav:\n  - Guide: guide.md\n";
    let site = site_with(&[
        ("catalog-info.yaml", &documented_component("alpha")),
        ("mkdocs.yml", mkdocs),
        ("docs/guide.md", "# Guide\n\nBack [home](index.md).\n"),
    ]);
    let out = stagedoor().arg("check").arg(site.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("index.md") && err.contains("--> docs/guide.md:3:"),
        "the link is reported: {err}"
    );
}
