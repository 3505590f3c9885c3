//! A site's theme overrides: a template that extends the built-in one it replaces.

use std::path::Path;

use stagedoor::config::Overrides;

use crate::support::{build_with, site_with};

const COMPONENT: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec:\n  type: team\n  children: []\n";
const ENTITY_PAGE: &str = "catalog/default/component/shop/index.html";

/// The site built into `out`, and the text of its entity page.
fn built_entity_page(site: &Path, out: &Path) -> String {
    build_with(
        site,
        Overrides {
            out: Some(out.to_path_buf()),
            ..Default::default()
        },
    );
    std::fs::read_to_string(out.join(ENTITY_PAGE)).expect("entity page written")
}

#[test]
fn an_override_of_base_html_extends_the_default_and_changes_one_block() {
    // The title is set because it would otherwise come from each temporary folder's name.
    let config = ("stagedoor.yaml", "title: Portal\n");
    let plain = site_with(&[config, ("catalog-info.yaml", COMPONENT)]);
    let themed = site_with(&[
        config,
        ("catalog-info.yaml", COMPONENT),
        (
            "theme/templates/base.html",
            "{% extends \"default/base.html\" %}\n\
             {% block site_header %}<div class=\"banner\">Change freeze</div>{{ super() }}{% endblock %}\n",
        ),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let before = built_entity_page(plain.path(), &out.path().join("plain"));
    let after = built_entity_page(themed.path(), &out.path().join("themed"));
    let header = "<header class=\"site-header\">";
    assert!(
        before.contains(header) && before.contains("shop"),
        "{before}"
    );
    let banner = "<div class=\"banner\">Change freeze</div>";
    assert_eq!(
        after,
        before.replacen(header, &format!("{banner}{header}"), 1)
    );
}

#[test]
fn an_override_of_entity_html_extends_the_default_and_changes_one_block() {
    let themed = site_with(&[
        ("catalog-info.yaml", COMPONENT),
        (
            "theme/templates/entity.html",
            "{% extends \"default/entity.html\" %}\n\
             {% block body_class %}{{ super() }} acme{% endblock %}\n",
        ),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let page = built_entity_page(themed.path(), &out.path().join("themed"));
    assert!(
        page.contains("<body class=\"page-entity kind-component acme\">"),
        "{page}"
    );
    assert!(page.contains("<h1>shop</h1>"), "{page}");
    assert!(page.contains("<footer"), "{page}");
}
