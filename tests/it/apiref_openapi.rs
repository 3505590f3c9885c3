//! OpenAPI references (`stagedoor::apiref`): the HTML of small fixture definitions that use
//! each construct once (snapshots), `$ref`s across files, out of the repository, in loops,
//! dangling and remote, hostile text, and every definition of the shared corpus.

use std::path::{Path, PathBuf};

use stagedoor::apiref::{self, Reference, Source};
use stagedoor::diagnostics::Code;

use crate::html_scan::assert_reference_inert;
use crate::support::{corpus, project_root};

/// The fixtures' folder stands for the repository: `../outside.yaml` lies beyond it.
fn repo() -> PathBuf {
    project_root()
        .join("tests/fixtures/apiref/openapi")
        .canonicalize()
        .unwrap()
}

fn reference_in(file: &Path, root: &Path) -> Reference {
    let text = std::fs::read_to_string(file).unwrap();
    let source = Source {
        text: &text,
        file,
        line: 1,
        root,
        markup: Default::default(),
    };
    apiref::reference("openapi", &source).expect("an OpenAPI reference")
}

fn fixture(name: &str) -> Reference {
    let root = repo();
    reference_in(&root.join(name), &root)
}

/// The reference as the page shows it, outline first; titles escaped as the template does.
fn page_html(r: &Reference) -> String {
    use stagedoor::html::escape;
    let mut out = String::from("<nav>\n");
    for o in &r.outline {
        let badge = o.badge.as_deref().unwrap_or("");
        out.push_str(&format!(
            "{}#{} {badge} {}{}\n",
            "  ".repeat(o.depth.into()),
            escape(&o.anchor),
            escape(&o.title),
            if o.deprecated { " (deprecated)" } else { "" }
        ));
    }
    out.push_str("</nav>\n");
    out.push_str(&r.intro_html);
    for s in &r.sections {
        out.push_str(&format!(
            "\n<section id=\"{}\"><h3>{}</h3>\n{}\n</section>",
            escape(&s.anchor),
            escape(&s.title),
            s.html
        ));
    }
    // One element per line, so a snapshot diff points at what changed.
    out.replace("><", ">\n<")
}

fn codes(r: &Reference) -> Vec<Code> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn openapi_3_reference_snapshot() {
    insta::assert_snapshot!(
        "apiref_openapi_petshop",
        page_html(&fixture("petshop.yaml"))
    );
}

#[test]
fn swagger_2_json_reference_snapshot() {
    insta::assert_snapshot!("apiref_swagger2", page_html(&fixture("swagger2.json")));
}

#[test]
fn operations_are_grouped_by_tag_in_order_with_untagged_last() {
    let r = fixture("petshop.yaml");
    let sections: Vec<&str> = r.sections.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(
        sections,
        ["tag/pets", "tag/store", "operations", "webhooks", "schemas"]
    );
    // placeOrder is tagged store first, pets second: drawn under store, linked from pets.
    assert!(
        r.sections[0]
            .html
            .contains("<a href=\"#operation/placeOrder\">")
    );
    let pets = &r.sections[0].html;
    // The path-level parameter is merged into both operations of the path.
    assert_eq!(pets.matches("<code>petId</code>").count(), 2, "{pets}");
    assert!(pets.contains("id=\"operation/getPet\""));
    assert!(pets.contains("id=\"operation/delete-pets-petId\""));
}

#[test]
fn a_relative_ref_reads_the_other_file() {
    let r = fixture("petshop.yaml");
    let html = page_html(&r);
    assert!(html.contains("What went wrong, for people."), "{html}");
    assert!(
        !codes(&r).contains(&Code::ApiRefDangling),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn a_ref_leaving_the_repository_is_refused() {
    let r = fixture("escape.yaml");
    assert!(
        codes(&r).contains(&Code::ApiRefOutside),
        "{:?}",
        r.diagnostics
    );
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ApiRefOutside)
        .unwrap();
    assert_eq!(d.line, Some(12), "the line of the $ref");
    assert!(!page_html(&r).contains("TOP-SECRET"));
}

#[test]
fn recursive_schemas_end_and_component_refs_are_links() {
    let r = fixture("petshop.yaml");
    let schemas = &r.sections.last().unwrap().html;
    // Tree's items point at themselves.
    assert!(schemas.contains("(recursive)"), "{schemas}");
    // Pet.parent is Pet: a link, not a copy.
    assert!(schemas.contains("<code>parent</code> <a class=\"type\" href=\"#schema/Pet\">Pet</a>"));
}

/// Callbacks are drawn as operations of their own (a callback reached again through its
/// own `$ref` is drawn once), response links go to the operation they name, and parameter
/// examples come from `examples` maps and 2.0's `x-example`.
#[test]
fn callbacks_links_and_parameter_examples_are_shown() {
    let html = page_html(&fixture("petshop.yaml"));
    let order = html
        .split("<article class=\"apiref-op\" id=\"operation/placeOrder\">")
        .nth(1)
        .expect("placeOrder drawn");
    assert!(order.contains("<h5>Callbacks</h5>"), "{order}");
    assert!(order.contains("id=\"operation/placeOrder/callback/orderShipped/post\""));
    assert!(order.contains("The order was shipped"));
    assert_eq!(order.matches("Called again").count(), 1, "drawn once");
    assert!(order.contains("<code>OrderedPet</code> → <a href=\"#operation/getPet\">"));
    assert!(order.contains("petId = $response.body#/petId"));
    assert!(order.contains("<code>trackOrder</code> (not in this definition)"));
    assert!(
        html.contains("example cats: {&quot;kind&quot;:&quot;cat&quot;}"),
        "named examples"
    );
    assert!(html.contains("example named: {&quot;name&quot;:&quot;Rex&quot;}"));
    let swagger = page_html(&fixture("swagger2.json"));
    assert!(swagger.contains("example: &quot;u-42&quot;"), "x-example");
}

#[test]
fn dangling_and_remote_refs_are_reported_at_their_line() {
    let r = fixture("swagger2.json");
    let dangling = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ApiRefDangling);
    let dangling = dangling.expect("the ref to #/definitions/Nope");
    assert_eq!(dangling.line, Some(36), "{dangling:?}");
    let r = fixture("petshop.yaml");
    assert!(
        codes(&r).contains(&Code::ApiRefRemote),
        "{:?}",
        r.diagnostics
    );
    assert!(page_html(&r).contains("href=\"https://schemas.example.com/pet.json\""));
}

#[test]
fn hostile_text_is_escaped() {
    let html = page_html(&fixture("xss.yaml"));
    assert_reference_inert(&html);
    // The payloads are there, as text.
    assert!(
        html.contains("&lt;script&gt;alert(15)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("alert(14)"));
}

#[test]
fn every_corpus_definition_gives_a_reference_with_operations() {
    let Some(dir) = corpus("api-definitions/openapi") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // A catalog file holds its definition in spec.definition; other files are one.
        let definition = catalog_definition(&text).unwrap_or(text);
        let source = Source {
            text: &definition,
            file: &path,
            line: 1,
            root: &dir,
            markup: Default::default(),
        };
        let r = apiref::reference("openapi", &source)
            .unwrap_or_else(|| panic!("{}: no reference", path.display()));
        let operations = r.outline.iter().filter(|o| o.badge.is_some()).count();
        assert!(
            operations > 0,
            "{}: no operations; {:?}",
            path.display(),
            r.diagnostics
        );
        seen += 1;
    }
    assert!(seen > 0, "no definitions in {}", dir.display());
}

fn catalog_definition(text: &str) -> Option<String> {
    let node = stagedoor::yaml::parse_single(text, stagedoor::yaml::Schema::Core12).ok()??;
    Some(node.get("spec")?.get("definition")?.as_str()?.to_string())
}

/// A built site: the reference on the API's page above the collapsed definition, its items
/// in the search index, and problems pointing into the file the definition came from.
#[test]
fn a_site_shows_references_indexes_them_and_points_problems_at_their_files() {
    let (_site, out) = crate::support::build_fixture("apiref/site");
    let page = std::fs::read_to_string(out.path().join("site/catalog/default/api/shop/index.html"))
        .unwrap();
    assert!(page.contains("id=\"schema/Pet\""), "{page}");
    assert!(page.contains("href=\"#operation/getPet\""));
    assert!(
        page.contains("<details class=\"definition-source\">"),
        "collapsed under the reference"
    );

    let site = crate::support::fixture("apiref/site");
    let model = crate::support::load(site.path());
    let located: Vec<String> = model
        .diagnostics
        .iter()
        .filter(|d| d.code.id().starts_with("E11"))
        .map(|d| {
            let file = d
                .file
                .as_deref()
                .and_then(Path::file_name)
                .unwrap_or_default();
            format!(
                "{} {}:{}",
                d.code.id(),
                file.to_string_lossy(),
                d.line.unwrap_or(0)
            )
        })
        .collect();
    // The $text file for `shop`; the catalog file, counted from the block's first line, for
    // `inline`; nothing for `elsewhere`, whose definition is a URL.
    assert_eq!(
        located,
        ["E111 catalog-info.yaml:28", "E113 openapi.yaml:146"]
    );
    let docs = stagedoor::search::documents::collect_documents(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        model.urls,
    );
    let item = docs
        .iter()
        .find(|d| d.url.ends_with("#operation/getPet"))
        .expect("indexed");
    assert_eq!(item.kind, "apiref");
    assert_eq!(item.fields[2], "GET /pets/{petId} · Find a pet");
}
