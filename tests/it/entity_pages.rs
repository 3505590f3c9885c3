//! Entity pages, the catalog's facets and the API explorer as rendered HTML (no browser),
//! over the small portal in tests/fixtures/ui/portal.

use crate::support::{build_fixture, build_into, site_with};

/// Builds the fixture portal and reads the page at `path` below the output folder.
fn pages(paths: &[&str]) -> Vec<String> {
    let (_site, out) = build_fixture("ui/portal");
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(out.path().join("site").join(p))
                .unwrap_or_else(|e| panic!("{p}: {e}"))
        })
        .collect()
}

/// The page without its relation graph cards.
fn outside_graphs(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<section class=\"card relation-graph\"") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</section>")
            .map_or(rest.len(), |e| start + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn entity_pages_leave_out_empty_sections_and_repeat_no_relation() {
    let [payments, jo, max, api, solo] = pages(&[
        "catalog/default/component/payments/index.html",
        "catalog/default/user/jo/index.html",
        "catalog/default/user/max/index.html",
        "catalog/default/api/events/index.html",
        "catalog/default/user/solo/index.html",
    ])
    .try_into()
    .unwrap();
    // payments provides an API and depends on a resource, and nothing else.
    assert!(payments.contains("Provided APIs"));
    assert!(payments.contains("Depends on"));
    for empty in [
        "Consumes no APIs",
        "Consumed APIs",
        "Nothing depends on",
        "Subcomponents",
    ] {
        assert!(!payments.contains(empty), "{empty}");
    }
    // Every relation of payments is in a section or in About: no second "Relations" card.
    assert!(!payments.contains("id=\"relations\""));
    // (The relation graph is another view of the same relations, so it does not count.)
    assert_eq!(
        outside_graphs(&payments).matches("/api/pay-api/").count(),
        1
    );
    // About comes before the kind's sections in the page.
    assert!(payments.find("class=\"card about").unwrap() < payments.find("Provided APIs").unwrap());
    // The events API has consumers but no provider: no "No component provides" card.
    assert!(!api.contains("No component provides this API"));

    // A user in no group who owns nothing has no section at all, not an empty main column.
    assert!(solo.contains("entity-layout--no-main"));
    assert!(!solo.contains("entity-layout__main"));
    assert!(!solo.contains("id=\"owns\""));
    assert!(!solo.contains("Not a member of any group"));

    // A user's ownership through its group, labelled by the group.
    let owns = &jo[jo.find("id=\"owns\"").expect("ownership section")..];
    assert!(owns.contains("through Team Alpha"), "{owns}");
    assert!(owns.contains("/component/payments/"));
    assert!(!jo.contains("Owns nothing"));
    // Pictures: only http(s) URLs reach `src`; otherwise initials.
    assert!(
        !jo.contains("javascript:alert"),
        "an unsafe picture URL is published"
    );
    assert!(jo.contains("<span class=\"avatar__initials\">JD</span>"));
    assert!(max.contains("src=\"https://127.0.0.1:1/max.png\""));
    assert!(max.contains("<span class=\"avatar__initials\">MM</span>"));
}

#[test]
fn apis_have_their_own_explorer_page_linked_from_the_header() {
    let [home, apis, catalog] = pages(&["index.html", "api-docs/index.html", "catalog/index.html"])
        .try_into()
        .unwrap();
    assert!(home.contains("href=\"api-docs/\">APIs</a>"), "header link");
    assert!(apis.contains("<h1>APIs</h1>"));
    assert!(apis.contains("href=\"../api-docs/\" aria-current=\"page\">APIs</a>"));
    for r in ["api:default/pay-api", "api:default/events"] {
        assert!(apis.contains(&format!("data-ref=\"{r}\"")), "{r}");
    }
    assert!(!apis.contains("data-ref=\"component:"), "only APIs");
    // pay-api: one provider (payments), one consumer (checkout).
    let row = &apis[apis.find("data-ref=\"api:default/pay-api\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert_eq!(
        row.matches("<td class=\"col-count\" data-sort=\"1\">1</td>")
            .count(),
        2,
        "{row}"
    );
    // An owning group's members count as owners: a person finds what they own through it.
    assert!(catalog.contains("data-ref=\"component:default/payments\" data-kind=\"component\" data-type=\"service\" data-owner=\"group:team-a user:jo user:max\""));
    assert!(catalog.contains("<option value=\"user:jo\" data-count=\"7\">Jo Doe (7)</option>"));
    // The catalog's types say which kinds have them, for the Type filter to follow the Kind.
    assert!(catalog.contains("value=\"openapi\" data-count=\"1\" data-per-kind=\"api:1\""));
    assert!(catalog.contains("value=\"website\" data-count=\"1\" data-per-kind=\"component:1\""));
}

/// An API of `api_type` with `definition` (indented into the YAML block).
fn api_doc(name: &str, api_type: &str, definition: &str) -> String {
    let body: String = definition.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: {name}\nspec:\n  type: {api_type}\n  lifecycle: production\n  owner: team\n  definition: |\n{body}---\n"
    )
}

#[test]
fn the_api_explorer_links_each_api_to_its_reference_with_its_size() {
    let openapi = "openapi: 3.0.0\ninfo: {title: Pay, version: '1'}\npaths:\n  /pay:\n    post: {operationId: pay, responses: {'200': {description: ok}}}\n    get: {operationId: list, responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    Payment: {type: object}\n";
    let graphql =
        "type Query {\n  user(id: ID!): User\n}\ntype User {\n  id: ID!\n}\nenum Role { ADMIN }\n";
    let catalog = [
        api_doc("pay", "openapi", openapi),
        api_doc("people", "graphql", graphql),
        // A definition kept elsewhere: no reference on the page, so no link to one.
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: remote\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition: https://example.com/openapi.yaml\n".to_string(),
    ]
    .concat();
    let site = site_with(&[("catalog-info.yaml", &catalog)]);
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), &out.path().join("site"));
    let read = |p: &str| std::fs::read_to_string(out.path().join("site").join(p)).unwrap();
    let apis = read("api-docs/index.html");
    let row = |name: &str| {
        let start = apis
            .find(&format!("data-ref=\"api:default/{name}\""))
            .unwrap_or_else(|| panic!("row {name}"));
        let row = &apis[start..];
        row[..row.find("</tr>").expect("row ends")].to_string()
    };
    let pay = row("pay");
    assert!(
        pay.contains("<a href=\"../catalog/default/api/pay/#reference\" data-api-reference>Reference</a> · <span>2 operations</span> · <span>1 type</span></span>"),
        "{pay}"
    );
    let people = row("people");
    assert!(
        people.contains(
            "#reference\" data-api-reference>Reference</a> · <span>1 operation</span> · <span>2 types</span></span>"
        ),
        "{people}"
    );
    assert!(
        !row("remote").contains("data-api-reference"),
        "no reference, no link"
    );
    // The anchor is the reference card on the entity page.
    assert!(read("catalog/default/api/pay/index.html").contains("id=\"reference\""));
}
