//! How docs links resolve: relative .md links, cross-repository links to another entity's
//! docs, Backstage-shaped /docs/ links, full portal URLs, raw HTML images, assets.

use crate::support::{site_with, stagedoor};

fn entity(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n"
    )
}

const TEAM: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec:\n  type: team\n  children: []\n";

#[test]
fn links_resolve_within_and_across_repositories() {
    let a_index = "# Alpha\n\n[guide](guide/setup.md#install) · [other repo](../../beta/docs/deep/page.md#usage) · \
[portal link](/docs/default/component/beta/deep/page/) · [full URL](https://portal.example/docs/default/component/beta/) · \
[entity](/catalog/default/component/beta) · [pdf](files/spec.pdf)\n\n<img src=\"img/logo.svg\" alt=\"logo\">\n";
    let site = site_with(&[
        (
            "stagedoor.yaml",
            "base_url: https://portal.example/\nroots: [repos/*]\n",
        ),
        ("repos/team/catalog-info.yaml", TEAM),
        ("repos/alpha/catalog-info.yaml", &entity("alpha")),
        ("repos/alpha/mkdocs.yml", "site_name: Alpha\n"),
        ("repos/alpha/docs/index.md", a_index),
        (
            "repos/alpha/docs/guide/setup.md",
            "# Setup\n\n## Install\n\nBack [home](../index.md).\n",
        ),
        ("repos/alpha/docs/files/spec.pdf", "%PDF-1.4"),
        (
            "repos/alpha/docs/img/logo.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
        ("repos/beta/catalog-info.yaml", &entity("beta")),
        ("repos/beta/mkdocs.yml", "site_name: Beta\n"),
        ("repos/beta/docs/index.md", "# Beta\n"),
        (
            "repos/beta/docs/deep/page.md",
            "# Page\n\n## Usage\n\nText.\n",
        ),
    ]);
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
    let site = site_with(&[
        ("stagedoor.yaml", "roots: [repos/*]\n"),
        ("repos/team/catalog-info.yaml", TEAM),
        ("repos/alpha/catalog-info.yaml", &entity("alpha")),
        (
            "repos/alpha/docs/index.md",
            "# Alpha\n\n[a](../../beta/docs/nope.md)\n\n[b](/docs/default/component/beta/#missing)\n",
        ),
        ("repos/beta/catalog-info.yaml", &entity("beta")),
        ("repos/beta/docs/index.md", "# Beta\n"),
    ]);
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
    let site = site_with(&[
        ("stagedoor.yaml", "roots: [repos/*]\n"),
        ("repos/team/catalog-info.yaml", TEAM),
        ("repos/alpha/catalog-info.yaml", &entity("alpha")),
        ("repos/alpha/mkdocs.yml", "site_name: Alpha\n"),
        (
            "repos/alpha/README.md",
            "# Alpha readme\n\nSee [the guide](docs/guide.md).\n",
        ),
        ("repos/alpha/docs/guide.md", "# Guide\n"),
        ("repos/beta/catalog-info.yaml", &entity("beta")),
        ("repos/beta/mkdocs.yml", "site_name: Beta\n"),
        ("repos/beta/docs/setup.md", "# Setup\n"),
        ("repos/beta/docs/usage.md", "# Usage\n"),
    ]);
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
