//! Large API references split into pages (`apiref::split`): a generated definition of 600
//! operations over 6 tags and 300 schemas builds into the API's page and a page per big
//! section; every link of the reference and every search result lands on a file and an id
//! that exist, with folder URLs and with `index.html` ones; the API's page stays small.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use stagedoor::config::Overrides;
use stagedoor::search::build_search;
use stagedoor::urls::Urls;

use crate::big_openapi;
use crate::support::{build_with, load, site_with};

const API_DIR: &str = "catalog/default/api/big/";

/// The API's page without the tag sections, its outline listing every section but only the
/// items of those left on it: a small fraction of the megabytes the whole reference makes.
const MAIN_PAGE_MAX_BYTES: usize = 100_000;

/// A site with one API whose definition has `operations` over `tags` and `schemas`.
fn big_site(operations: usize, tags: usize, schemas: usize) -> tempfile::TempDir {
    let catalog = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: big\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $text: ./openapi.json\n";
    site_with(&[
        ("catalog-info.yaml", catalog),
        (
            "openapi.json",
            &big_openapi::definition(operations, tags, schemas),
        ),
    ])
}

/// Every HTML file of the output below `dir`, site-relative path → its text.
fn pages(site: &Path, dir: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in walkdir::WalkDir::new(site.join(dir)) {
        let e = e.expect("walk");
        if e.path().extension().is_some_and(|x| x == "html") {
            let rel = e
                .path()
                .strip_prefix(site)
                .expect("inside")
                .to_string_lossy();
            let text = std::fs::read_to_string(e.path()).expect("read");
            out.insert(rel.replace('\\', "/"), text);
        }
    }
    out
}

/// The values of attribute `name` (` id="…"`, ` href="…"`) in `html`, entities decoded.
fn attrs<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = String> + 'a {
    html.split(name)
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(v, _)| v))
        .map(|v| {
            v.replace("&#x2f;", "/")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
}

/// The site-relative file and fragment a link from page file `from` goes to.
fn resolve(from: &str, href: &str) -> (String, String) {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = from.split('/').collect();
    if path.is_empty() {
        return (from.to_string(), fragment.to_string());
    }
    parts.pop();
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    (file, fragment.to_string())
}

/// Checks that `(file, fragment)` exists in the built `site`.
fn assert_lands(ids: &HashMap<String, HashSet<String>>, file: &str, fragment: &str, what: &str) {
    let Some(in_file) = ids.get(file) else {
        panic!("{what}: no page {file}");
    };
    assert!(
        fragment.is_empty() || in_file.contains(fragment),
        "{what}: no id {fragment:?} in {file}"
    );
}

/// The generated site built into `<out>/site`; returns (site, out).
pub fn build_big(directory_urls: bool) -> (tempfile::TempDir, tempfile::TempDir) {
    build_site(big_site(600, 6, 300), directory_urls)
}

fn build_site(
    site: tempfile::TempDir,
    directory_urls: bool,
) -> (tempfile::TempDir, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp out");
    build_with(
        site.path(),
        Overrides {
            out: Some(out.path().join("site")),
            no_directory_urls: !directory_urls,
            ..Overrides::default()
        },
    );
    (site, out)
}

fn check_build(directory_urls: bool) {
    let (site, out) = build_big(directory_urls);
    let built = out.path().join("site");
    let pages = pages(&built, API_DIR);
    for t in 0..6 {
        let file = format!("{API_DIR}reference/tag{t}/index.html");
        assert!(
            pages.contains_key(&file),
            "no page {file}: {:?}",
            pages.keys()
        );
    }
    // 300 schemas: the first 250 on a page of their own, the rest small enough to stay.
    assert!(pages.contains_key(&format!("{API_DIR}reference/schemas/index.html")));
    let main = &pages[&format!("{API_DIR}index.html")];
    assert!(main.contains("id=\"schema/Schema0299\""));
    // The raw definition is a file of its own, linked, not megabytes inlined.
    assert!(!main.contains("definition-source"));
    assert!(
        built
            .join(API_DIR)
            .join("reference/definition.json")
            .is_file()
    );
    let definition_link = attrs(main, " href=\"")
        .find(|h| h.contains("definition.json"))
        .expect("a link to the definition");
    assert_eq!(definition_link, "reference/definition.json");
    assert!(
        main.len() < MAIN_PAGE_MAX_BYTES,
        "the API's page is {} bytes",
        main.len()
    );
    let checked = assert_links_land(&pages, directory_urls);
    assert!(checked > 1500, "only {checked} links checked");
    assert_results_land(site.path(), &pages, directory_urls, 900);
}

/// A tag too big for one page (750 operations, megabytes of HTML) is cut into parts between
/// its operations: every page stays near a megabyte, and every link and result still lands.
#[test]
fn a_huge_tag_is_cut_into_parts_whose_links_land() {
    let (site, out) = build_site(big_site(1500, 2, 60), true);
    let pages = pages(&out.path().join("site"), API_DIR);
    let part = format!("{API_DIR}reference/tag0-part-2/index.html");
    assert!(pages.contains_key(&part), "{:?}", pages.keys());
    for (file, html) in &pages {
        assert!(html.len() < 1_200_000, "{file} is {} bytes", html.len());
    }
    // The part's outline lists its own operations.
    assert!(pages[&part].contains("tag0 (part 2)"));
    assert_links_land(&pages, true);
    assert_results_land(site.path(), &pages, true, 1560);
}

fn ids_of(pages: &HashMap<String, String>) -> HashMap<String, HashSet<String>> {
    pages
        .iter()
        .map(|(f, html)| (f.clone(), attrs(html, " id=\"").collect()))
        .collect()
}

/// Every link between the reference's pages lands on a page and an id; returns how many.
fn assert_links_land(pages: &HashMap<String, String>, directory_urls: bool) -> usize {
    let ids = ids_of(pages);
    let mut checked = 0;
    for (file, html) in pages {
        for href in attrs(html, " href=\"") {
            let inside =
                href.starts_with('#') || href.contains("reference/") || href.starts_with("../../");
            if !inside || href.contains("://") || href.contains('?') {
                continue;
            }
            let (to, fragment) = resolve(file, &href);
            // Pages only: the raw definition's file is checked above.
            if !to.starts_with(API_DIR) || !to.ends_with(".html") {
                continue;
            }
            if !directory_urls {
                assert!(
                    href.split('#')
                        .next()
                        .is_some_and(|p| p.is_empty() || p.ends_with(".html")),
                    "{file}: {href} is a folder URL"
                );
            }
            assert_lands(&ids, &to, &fragment, &format!("{file}: {href}"));
            checked += 1;
        }
    }
    checked
}

/// Each of the `expected` reference items in the search index lands on its page and id.
fn assert_results_land(
    site: &Path,
    pages: &HashMap<String, String>,
    directory_urls: bool,
    expected: usize,
) {
    let ids = ids_of(pages);
    let model = load(site);
    let search = build_search(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        Urls { directory_urls },
    );
    let items: Vec<_> = search.docs.iter().filter(|d| d.kind == "apiref").collect();
    assert_eq!(items.len(), expected, "operations and schemas");
    for d in items {
        let (to, fragment) = resolve("index.html", &d.url);
        assert_lands(&ids, &to, &fragment, &format!("search {}", d.url));
    }
}

#[test]
fn large_reference_pages_link_to_each_other_with_folder_urls() {
    check_build(true);
}

#[test]
fn large_reference_pages_link_to_each_other_with_file_urls() {
    check_build(false);
}
