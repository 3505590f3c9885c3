//! The build cache: an unchanged site is reported, not rebuilt; after an edit a cached build
//! writes exactly what a build without the cache writes; a damaged or deleted cache only
//! costs time; `--cache-dir` and `--no-cache` put it elsewhere or nowhere.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{assert_same_files, build_status, example_site_copy, fixture, tree};

fn uncached(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (code, stderr) = build_status(site, &out, &["--no-cache"]);
    assert!(code <= 1, "{stderr}");
    tree(&out)
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

#[test]
fn unchanged_site_is_reported_and_an_edit_rebuilds_what_a_clean_build_writes() {
    let site = example_site_copy();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");

    let (_, first) = build_status(site.path(), &out, &[]);
    assert!(first.contains("wrote"), "{first}");
    let cache = site.path().join(".stagedoor-cache");
    assert!(cache.join("last-build.json").is_file());
    let pack = std::fs::metadata(cache.join("pages.pack")).map_or(0, |m| m.len());
    assert!(pack > 10_000, "the rendered pages are kept: {pack} bytes");
    let written = tree(&out);
    assert_same_files(&written, &uncached(site.path()), "first build");

    let (_, second) = build_status(site.path(), &out, &[]);
    assert!(
        second.contains("is up to date (nothing changed)"),
        "{second}"
    );
    assert_same_files(&written, &tree(&out), "unchanged rebuild");

    let page = site.path().join("repos/ledger-service/docs/index.md");
    append(&page, "\nA sentence added after the first build.\n");
    let entity = site.path().join("repos/ledger-service/catalog-info.yaml");
    let yaml = std::fs::read_to_string(&entity).unwrap();
    std::fs::write(
        &entity,
        yaml.replacen("description:", "description: Edited —", 1),
    )
    .unwrap();
    let (_, third) = build_status(site.path(), &out, &[]);
    assert!(third.contains("wrote"), "{third}");
    let rebuilt = tree(&out);
    assert_same_files(&rebuilt, &uncached(site.path()), "after an edit");
    let docs_index = rebuilt
        .iter()
        .find(|(k, _)| k.ends_with("/ledger-service/index.html") && k.starts_with("docs/"))
        .expect("ledger-service docs page");
    assert!(String::from_utf8_lossy(docs_index.1).contains("A sentence added after"));

    std::fs::remove_dir_all(&out).unwrap();
    let (_, after_delete) = build_status(site.path(), &out, &[]);
    assert!(after_delete.contains("wrote"), "{after_delete}");
    assert_same_files(&rebuilt, &tree(&out), "output folder deleted");
}

#[test]
fn a_damaged_or_deleted_cache_only_costs_time() {
    let site = example_site_copy();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    build_status(site.path(), &out, &[]);
    let cache = site.path().join(".stagedoor-cache");
    let expected = uncached(site.path());

    for entry in walkdir::WalkDir::new(&cache).into_iter().flatten() {
        if entry.file_type().is_file() {
            std::fs::write(entry.path(), b"\x00not what was written\xff").unwrap();
        }
    }
    let (code, damaged) = build_status(site.path(), &out, &[]);
    assert!(code <= 1 && damaged.contains("wrote"), "{damaged}");
    assert!(!damaged.contains("panicked"), "{damaged}");
    assert_same_files(&expected, &tree(&out), "damaged cache");

    std::fs::remove_dir_all(&cache).unwrap();
    let (_, deleted) = build_status(site.path(), &out, &[]);
    assert!(deleted.contains("wrote"), "{deleted}");
    assert_same_files(&expected, &tree(&out), "deleted cache");
}

#[test]
fn cache_dir_moves_the_cache_and_no_cache_keeps_none() {
    let site = example_site_copy();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let elsewhere = out_dir.path().join("ci-cache");
    let default_cache = site.path().join(".stagedoor-cache");

    let cache_arg = elsewhere.to_string_lossy().into_owned();
    build_status(site.path(), &out, &["--cache-dir", &cache_arg]);
    assert!(elsewhere.join("last-build.json").is_file());
    assert!(!default_cache.exists());
    let (_, again) = build_status(site.path(), &out, &["--cache-dir", &cache_arg]);
    assert!(again.contains("up to date"), "{again}");

    for _ in 0..2 {
        let (_, uncached) = build_status(site.path(), &out, &["--no-cache"]);
        assert!(uncached.contains("wrote") && !uncached.contains("up to date"));
    }
    assert!(!default_cache.exists());
}

#[test]
fn strict_judges_an_unchanged_site_as_it_would_a_new_build() {
    let site = fixture("build_cache/missing_owner");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let (code, first) = build_status(site.path(), &out, &[]);
    assert_eq!(code, 0, "{first}");
    assert!(
        first.contains("warning"),
        "the missing owner warns: {first}"
    );

    let (code, strict) = build_status(site.path(), &out, &["--strict"]);
    assert_eq!(code, 1, "{strict}");
    assert!(strict.contains("nothing written (--strict)"), "{strict}");
    assert!(
        strict.contains("nobody"),
        "the warning is shown again: {strict}"
    );
}
