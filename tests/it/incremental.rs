//! `serve --watch` rebuilds incrementally: after each kind of edit, the served folder holds
//! exactly what a clean `stagedoor build` of the same files writes, unchanged docs pages come
//! from the page cache, and only changed files are written again. `build` writes only changed
//! files too: the others are linked from the site it replaces.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stagedoor::serve::session::Session;

use crate::support::{self, assert_same_files, build_command, example_site_copy};

/// Every file `support::tree` lists, leaving out the search index data (the session
/// refreshes it in the background).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = support::tree(dir);
    files.retain(|rel, _| !(rel.starts_with("search/") && rel.ends_with(".json")));
    files
}

fn clean_build(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    build_command(site, &target)
        .assert()
        .code(predicates::ord::le(1));
    tree(&target)
}

fn assert_same(session: &Session, site: &Path, after: &str) {
    let served = tree(session.out());
    let clean = clean_build(site);
    assert_same_files(
        &clean,
        &served,
        &format!("after {after}, compared with a clean build"),
    );
}

fn edit(path: &Path, from: &str, to: &str) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    vec![path.canonicalize().unwrap()]
}

#[test]
fn every_kind_of_edit_leaves_what_a_clean_build_writes() {
    let site = example_site_copy();
    let root = site.path().canonicalize().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut s = Session::start(&root, &out.path().join("site")).unwrap();
    let total = tree(s.out()).len();
    let repos = root.join("repos");

    // A sentence in a page: that page only.
    let page = repos.join("ledger-service/docs/index.md");
    let applied = s
        .apply(&edit(&page, "\n", "\n\nAn added sentence.\n"))
        .unwrap();
    assert_eq!(applied.scope, Some("page"));
    assert!(applied.files_written <= 2, "{applied:?}");
    assert_same(&s, &root, "a page edit");

    // A broken link in a page fails its entity's docs-links check: the entity's page,
    // badges, /scorecards/ and catalog.json follow; mending it brings them back.
    let before = tree(s.out());
    s.apply(&edit(
        &page,
        "\n",
        "\n\nSee [the missing page](missing.md).\n",
    ))
    .unwrap();
    assert_same(&s, &root, "a broken link");
    let card = "catalog/default/component/ledger-service/index.html";
    assert!(
        before.get(card) != tree(s.out()).get(card),
        "the entity page changed"
    );
    s.apply(&edit(
        &page,
        "\n\nSee [the missing page](missing.md).\n",
        "\n",
    ))
    .unwrap();
    assert_same(&s, &root, "a mended link");

    // A page's title: every page of its site shows it in the navigation.
    let text = std::fs::read_to_string(&page).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("# "))
        .unwrap()
        .to_string();
    let applied = s
        .apply(&edit(&page, &title, "# A renamed ledger page"))
        .unwrap();
    assert_eq!(applied.scope, Some("page"));
    assert_same(&s, &root, "a title edit");

    // An entity's description and owner: the model reloads, docs pages come from the cache.
    let pages = s.model.docs.page_count();
    let catalog = repos.join("ledger-service/catalog-info.yaml");
    let text = std::fs::read_to_string(&catalog).unwrap();
    let description = text
        .lines()
        .find(|l| l.trim_start().starts_with("description:"))
        .unwrap();
    let mut changed = edit(
        &catalog,
        description,
        "  description: A ledger, described anew.",
    );
    let owner = std::fs::read_to_string(&catalog).unwrap();
    let owner = owner
        .lines()
        .find(|l| l.trim_start().starts_with("owner:"))
        .unwrap()
        .to_string();
    changed.extend(edit(&catalog, &owner, "  owner: group:default/platform"));
    changed.dedup();
    let applied = s.apply(&changed).unwrap();
    assert_eq!(applied.scope, Some("site"));
    assert!(
        s.model.docs.cached_pages * 10 >= pages * 8,
        "{} of {pages} pages from the cache",
        s.model.docs.cached_pages
    );
    assert!(
        applied.files_written * 4 < total,
        "{} of {total} files written",
        applied.files_written
    );
    assert_same(&s, &root, "a catalog edit");

    // A new docs page, then a removed entity file.
    let new_page = repos.join("ledger-service/docs/brand-new.md");
    std::fs::write(&new_page, "# Brand new\n\nFresh.\n").unwrap();
    let applied = s.apply(std::slice::from_ref(&new_page)).unwrap();
    assert_eq!(applied.scope, Some("site"));
    assert_same(&s, &root, "a new page");
    let gone = repos.join("legacy-admin/catalog-info.yaml");
    std::fs::remove_file(&gone).unwrap();
    s.apply(&[gone]).unwrap();
    assert_same(&s, &root, "a removed entity");
}

/// Each file's inode, modification time and bytes.
#[cfg(unix)]
fn stamps(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    support::tree(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let m = std::fs::metadata(dir.join(&rel)).unwrap();
            (rel, (m.ino(), m.modified().unwrap(), bytes))
        })
        .collect()
}

/// After a one-page edit, a build writes only the files whose bytes changed; every other file
/// keeps its inode and modification time (what rsync and `aws s3 sync` compare), and the
/// site is byte for byte what a clean build writes.
#[cfg(unix)]
#[test]
fn a_build_after_a_page_edit_rewrites_only_the_files_that_changed() {
    let site = example_site_copy();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let build = || {
        build_command(site.path(), &out)
            .assert()
            .code(predicates::ord::le(1));
    };
    build();
    let before = stamps(&out);
    let page = site.path().join("repos/ledger-service/docs/index.md");
    edit(&page, "\n", "\n\nA sentence added between builds.\n");
    build();
    let after = stamps(&out);

    let mut changed = Vec::new();
    for (rel, (inode, modified, bytes)) in &after {
        match before.get(rel) {
            Some((was_inode, was_modified, was)) if was == bytes => assert_eq!(
                (inode, modified),
                (was_inode, was_modified),
                "{rel}: same bytes, written again"
            ),
            old => {
                assert_ne!(Some(inode), old.map(|o| &o.0), "{rel} changed in place");
                changed.push(rel.as_str());
            }
        }
    }
    let edited = "docs/default/component/ledger-service/index.html";
    assert!(changed.contains(&edited), "{changed:?}");
    assert!(
        changed.len() <= 5,
        "{} of {} files written: {changed:?}",
        changed.len(),
        after.len()
    );

    let clean = dir.path().join("clean");
    build_command(site.path(), &clean)
        .arg("--no-cache")
        .assert()
        .code(predicates::ord::le(1));
    assert_same_files(&support::tree(&clean), &support::tree(&out), "a page edit");
}
