//! Bundles (issue 18): repositories bundled one by one, the portal assembled from the bundles
//! without a checkout, compared file by file with the build from checkouts. The big test runs
//! against moto's S3 server (skipped without it unless STAGEDOOR_REQUIRE_SERVERS=1); the
//! failure cases use a file:// store.

use std::path::Path;

use crate::stores::Moto;
use crate::support::{
    assert_same_files, build_status, copy_dir, git, project_root, stagedoor, tree,
};

const REPO_URL: &str = "https://github.com/org/{repo}";

/// `stagedoor bundle REPO --to URL` with `env`; its stderr (fails the test when it fails).
fn bundle(repo: &Path, to: &str, env: &[(&'static str, String)]) -> String {
    let out = stagedoor()
        .arg("bundle")
        .arg(repo)
        .args(["--to", to])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("stagedoor runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "bundle {}: {stderr}", repo.display());
    stderr
}

/// Builds the portal `site` (reading bundles) into `out`; its stderr.
fn build_portal(site: &Path, out: &Path, env: &[(&'static str, String)]) -> String {
    let got = crate::support::build_command(site, out)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("stagedoor runs");
    let stderr = String::from_utf8_lossy(&got.stderr).into_owned();
    assert!(got.status.success(), "portal build: {stderr}");
    stderr
}

/// A checkout site: stagedoor.yaml beside the repository folders.
fn checkout_site(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("stagedoor.yaml"),
        format!("title: Org portal\nroots:\n  - path: \"*\"\n    repo_url: {REPO_URL}\n"),
    )
    .unwrap();
}

/// A portal site reading bundles from `from`, with no root of its own.
fn portal_site(dir: &Path, from: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("stagedoor.yaml"),
        format!("title: Org portal\nbundles:\n  from: {from}\n  repo_url: {REPO_URL}\n"),
    )
    .unwrap();
}

/// Repository `gen-NN`: a documented component depending on the next one, owned by a team
/// defined in another repository, with two pages linking each other.
fn generated_repo(dir: &Path, i: usize, count: usize) {
    let name = format!("gen-{i:02}");
    let next = format!("gen-{:02}", (i + 1) % count);
    let team = format!("team-{}", i % 4);
    let mut catalog = format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  description: Generated service {i}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: group:{team}\n  dependsOn: [component:{next}]\n"
    );
    if i < 4 {
        catalog.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {team}\nspec:\n  type: team\n  children: []\n"
        ));
    }
    let files = [
        ("catalog-info.yaml", catalog),
        (
            "mkdocs.yml",
            format!("site_name: {name}\nnav:\n  - Home: index.md\n  - Guide: guide.md\n"),
        ),
        (
            "docs/index.md",
            format!("# {name}\n\nSee the [guide](guide.md#setup) and [a missing page](nope.md).\n"),
        ),
        (
            "docs/guide.md",
            format!("# Guide for {name}\n\n## Setup\n\nRun `make {i}`.\n"),
        ),
        (".github/CODEOWNERS", "* @org/team\n".to_string()),
    ];
    for (rel, text) in files {
        let p = dir.join(&name).join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// 50 repositories beside a stagedoor.yaml: the example site's 23 and 27 generated ones,
/// four of them git checkouts (their pages show commit dates).
fn fifty_repositories(site: &Path) -> Vec<String> {
    checkout_site(site);
    copy_dir(&project_root().join("example-site/repos"), site);
    for i in 0..27 {
        generated_repo(site, i, 27);
    }
    for name in ["gen-00", "gen-01", "payments-api", "engineering-handbook"] {
        let repo = site.join(name);
        git(&repo, &["init", "-q", "-b", "main"], "2024-03-01T12:00:00Z");
        git(&repo, &["add", "-A"], "2024-03-01T12:00:00Z");
        git(
            &repo,
            &["commit", "-q", "-m", "start"],
            "2024-03-01T12:00:00Z",
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 50, "{names:?}");
    names
}

/// GETs of blobs by the portal build, by repository.
fn blob_gets(moto: &Moto, since: usize) -> Vec<String> {
    moto.requests()[since..]
        .iter()
        .filter(|(m, p)| m == "GET" && p.contains("/blobs/"))
        .filter_map(|(_, p)| {
            p.split("/bundles/")
                .nth(1)?
                .split('/')
                .next()
                .map(str::to_string)
        })
        .collect()
}

/// Issue 18's must-show: 50 repositories bundled into S3, the portal assembled from them is
/// the portal built from their checkouts, file for file; after one repository changes, only
/// its bundle is fetched, and the portal is again the checkout build's.
#[test]
fn fifty_bundles_from_s3_make_the_checkout_portal_and_one_change_fetches_one_bundle() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("org");
    let env = moto.env();
    let to = "s3://org/ci";
    let work = tempfile::tempdir().unwrap();
    let checkouts = work.path().join("checkouts");
    let names = fifty_repositories(&checkouts);
    for name in &names {
        bundle(&checkouts.join(name), to, &env);
    }
    let portal = work.path().join("portal");
    portal_site(&portal, to);

    let (code, log) = build_status(&checkouts, &work.path().join("from-checkouts"), &[]);
    assert_eq!(code, 0, "{log}");
    let portal_log = build_portal(&portal, &work.path().join("from-bundles"), &env);
    assert!(portal_log.contains("50 listed, 50 fetched"), "{portal_log}");
    let expected = tree(&work.path().join("from-checkouts"));
    let assembled = tree(&work.path().join("from-bundles"));
    assert!(
        expected.len() > 200,
        "a real portal: {} files",
        expected.len()
    );
    assert_same_files(&expected, &assembled, "50 bundles vs 50 checkouts");
    let dated = &expected["docs/default/component/gen-00/index.html"];
    assert!(
        String::from_utf8_lossy(dated).contains("2024-03-01"),
        "git dates reach the pages"
    );
    let cache = portal.join(".stagedoor-cache");
    for (path, bytes) in &assembled {
        let text = String::from_utf8_lossy(bytes);
        for leak in [
            cache.to_string_lossy(),
            ".stagedoor-cache".into(),
            "checkouts/".into(),
        ] {
            assert!(
                !text.contains(&*leak),
                "{path} names the cache folder ({leak})"
            );
        }
    }

    // One repository changes: a page edited and committed later.
    let changed = checkouts.join("gen-01");
    std::fs::write(
        changed.join("docs/guide.md"),
        "# Guide, rewritten\n\n## Setup\n\nNew.\n",
    )
    .unwrap();
    git(
        &changed,
        &["commit", "-q", "-am", "edit"],
        "2024-06-01T12:00:00Z",
    );
    let again = bundle(&changed, to, &env);
    assert!(again.contains("1 blobs uploaded"), "{again}");
    let same = bundle(&checkouts.join("gen-02"), to, &env);
    assert!(same.contains("unchanged, nothing uploaded"), "{same}");

    let before = moto.requests().len();
    let portal_log = build_portal(&portal, &work.path().join("from-bundles"), &env);
    assert!(
        portal_log.contains("50 listed, 1 fetched (1 files"),
        "{portal_log}"
    );
    let fetched = blob_gets(&moto, before);
    assert_eq!(
        fetched,
        ["gen-01"],
        "only the changed bundle's blob is fetched"
    );
    let (code, log) = build_status(&checkouts, &work.path().join("from-checkouts"), &[]);
    assert_eq!(code, 0, "{log}");
    let expected = tree(&work.path().join("from-checkouts"));
    let guide = &expected["docs/default/component/gen-01/guide/index.html"];
    assert!(String::from_utf8_lossy(guide).contains("2024-06-01"));
    assert_same_files(
        &expected,
        &tree(&work.path().join("from-bundles")),
        "after one change",
    );
}

fn two_repos(dir: &Path) {
    for i in 0..2 {
        generated_repo(dir, i, 2);
    }
}

/// A blob whose bytes are not what the manifest says, a manifest of another format and an
/// entry climbing out of the repository: each named in a diagnostic, the rest of the portal
/// built, nothing written outside the copy.
#[test]
fn corrupt_incompatible_and_escaping_bundles_are_diagnostics_not_failures() {
    let work = tempfile::tempdir().unwrap();
    let repos = work.path().join("repos");
    two_repos(&repos);
    generated_repo(&repos, 2, 3);
    let store = work.path().join("store");
    std::fs::create_dir_all(&store).unwrap();
    let to = url::Url::from_directory_path(&store).unwrap().to_string();
    for name in ["gen-00", "gen-01", "gen-02"] {
        bundle(&repos.join(name), &to, &[]);
    }
    // gen-00: one blob's bytes replaced.
    let blobs = store.join("bundles/gen-00/blobs");
    let first = std::fs::read_dir(&blobs)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let len = std::fs::metadata(&first).unwrap().len() as usize;
    std::fs::write(&first, "x".repeat(len)).unwrap();
    // gen-01: a format from the future.
    let m01 = store.join("bundles/gen-01/manifest.json");
    let text = std::fs::read_to_string(&m01).unwrap();
    std::fs::write(&m01, text.replacen("\"format\": 1", "\"format\": 7", 1)).unwrap();
    // gen-02: an extra entry climbing out, and a link pointing out.
    let m02 = store.join("bundles/gen-02/manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&m02).unwrap()).unwrap();
    let some_blob = m["files"]["catalog-info.yaml"].clone();
    m["files"]["../../../escaped.txt"] = some_blob;
    m["files"]["docs/out"] = serde_json::json!({"link": "../../../../etc/passwd"});
    std::fs::write(&m02, serde_json::to_vec(&m).unwrap()).unwrap();

    let portal = work.path().join("portal");
    portal_site(&portal, &to);
    let out = work.path().join("out");
    let log = build_portal(&portal, &out, &[]);
    assert!(
        log.contains("3 listed, 1 fetched") && log.contains("2 left out"),
        "{log}"
    );
    assert!(
        log.contains("E150") && log.contains("\"gen-00\"") && log.contains("hash mismatch"),
        "{log}"
    );
    assert!(
        log.contains("E151") && log.contains("\"gen-01\"") && log.contains("format 7"),
        "{log}"
    );
    assert!(
        log.contains("E152") && log.contains("escaped.txt") && log.contains("docs/out"),
        "{log}"
    );
    assert!(
        out.join("catalog/default/component/gen-02/index.html")
            .is_file()
    );
    assert!(
        !out.join("catalog/default/component/gen-00/index.html")
            .exists()
    );
    let escaped = walkdir::WalkDir::new(work.path())
        .into_iter()
        .flatten()
        .any(|e| e.file_name() == "escaped.txt");
    assert!(!escaped, "nothing is written outside the copy");
    let problems = std::fs::read_to_string(out.join("catalog/problems/index.html")).unwrap();
    assert!(problems.contains("gen-00") && problems.contains("E150"));
}

/// `--bundles` on the command line, mixed with a local root; a bundle removed from the store
/// leaves the portal (and the cache) at the next build.
#[test]
fn bundles_mix_with_local_roots_and_removed_bundles_leave() {
    let work = tempfile::tempdir().unwrap();
    let repos = work.path().join("repos");
    two_repos(&repos);
    let store = work.path().join("store");
    std::fs::create_dir_all(&store).unwrap();
    let to = url::Url::from_directory_path(&store).unwrap().to_string();
    bundle(&repos.join("gen-01"), &to, &[]);
    let site = work.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("stagedoor.yaml"),
        format!("roots: [{}]\n", repos.join("gen-00").display()),
    )
    .unwrap();
    let out = work.path().join("out");
    let (code, log) = build_status(&site, &out, &["--bundles", &to]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("1 listed, 1 fetched"), "{log}");
    for name in ["gen-00", "gen-01"] {
        assert!(
            out.join(format!("catalog/default/component/{name}/index.html"))
                .is_file(),
            "{name}"
        );
    }
    let page =
        std::fs::read_to_string(out.join("catalog/default/component/gen-01/index.html")).unwrap();
    assert!(
        page.contains("gen-01/catalog-info.yaml"),
        "shown as a checkout beside stagedoor.yaml"
    );

    std::fs::remove_dir_all(store.join("bundles/gen-01")).unwrap();
    let (code, log) = build_status(&site, &out, &["--bundles", &to]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("0 listed"), "{log}");
    assert!(
        !out.join("catalog/default/component/gen-01/index.html")
            .exists()
    );
    assert!(
        !site
            .join(".stagedoor-cache/bundles/checkouts/gen-01")
            .exists()
    );
}

/// A new version of a bundle that turns a file into a folder, removes pages, adds a link and
/// changes a page: the copy follows, and the portal is again the checkout build's.
#[test]
fn a_bundle_that_changes_shape_updates_its_copy_in_place() {
    let work = tempfile::tempdir().unwrap();
    let checkouts = work.path().join("checkouts");
    checkout_site(&checkouts);
    two_repos(&checkouts);
    let repo = checkouts.join("gen-00");
    std::fs::write(repo.join("docs/notes.md"), "# Notes\n\nA file for now.\n").unwrap();
    std::fs::write(repo.join("docs/old.md"), "# Old\n").unwrap();
    let store = work.path().join("store");
    std::fs::create_dir_all(&store).unwrap();
    let to = url::Url::from_directory_path(&store).unwrap().to_string();
    let portal = work.path().join("portal");
    portal_site(&portal, &to);
    let compare = |when: &str| {
        for name in ["gen-00", "gen-01"] {
            bundle(&checkouts.join(name), &to, &[]);
        }
        build_portal(&portal, &work.path().join("from-bundles"), &[]);
        let (code, log) = build_status(&checkouts, &work.path().join("from-checkouts"), &[]);
        assert_eq!(code, 0, "{log}");
        assert_same_files(
            &tree(&work.path().join("from-checkouts")),
            &tree(&work.path().join("from-bundles")),
            when,
        );
    };
    compare("first version");
    std::fs::remove_file(repo.join("docs/notes.md")).unwrap();
    std::fs::remove_file(repo.join("docs/old.md")).unwrap();
    std::fs::create_dir_all(repo.join("docs/notes.md")).unwrap();
    std::fs::write(repo.join("docs/notes.md/inside.md"), "# Inside\n").unwrap();
    std::fs::write(
        repo.join("docs/guide.md"),
        "# Guide, again\n\n## Setup\n\nChanged.\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("guide.md", repo.join("docs/alias.md")).unwrap();
    compare("second version");
    let copy = portal.join(".stagedoor-cache/bundles/checkouts/gen-00/docs");
    assert!(copy.join("notes.md/inside.md").is_file());
    assert!(!copy.join("old.md").exists());
}

/// Blobs of the previous version stay one version longer (a portal that just read the
/// previous manifest still finds them); older ones are deleted; an unchanged repository
/// uploads nothing.
#[test]
fn bundling_keeps_the_previous_versions_blobs_and_deletes_older_ones() {
    let work = tempfile::tempdir().unwrap();
    let repos = work.path().join("repos");
    two_repos(&repos);
    let repo = repos.join("gen-00");
    let store = work.path().join("store");
    std::fs::create_dir_all(&store).unwrap();
    let to = url::Url::from_directory_path(&store).unwrap().to_string();
    let blob_of = |text: &str| {
        store
            .join("bundles/gen-00/blobs")
            .join(blake3::hash(text.as_bytes()).to_hex().as_str())
    };
    bundle(&repo, &to, &[]);
    let versions = ["# One\n", "# Two\n", "# Three\n"];
    for (i, text) in versions.iter().enumerate() {
        std::fs::write(repo.join("docs/guide.md"), text).unwrap();
        let said = bundle(&repo, &to, &[]);
        assert!(said.contains("1 blobs uploaded"), "{said}");
        assert!(blob_of(text).is_file());
        if i >= 1 {
            assert!(blob_of(versions[i - 1]).is_file(), "previous version kept");
        }
        if i >= 2 {
            assert!(!blob_of(versions[i - 2]).exists(), "older version deleted");
        }
    }
    let again = bundle(&repo, &to, &[]);
    assert!(again.contains("unchanged, nothing uploaded"), "{again}");
}
