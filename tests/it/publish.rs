//! `stagedoor publish` against real stores on 127.0.0.1 (`stores`): moto's S3 server and
//! Azurite, plus a folder. What was uploaded and deleted, and in which order, is read from
//! the server's own request log; what readers get, with plain HTTP GETs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::stores::{AZURITE_KEY, Azurite, Moto};
use crate::support::{build_command, example_site_copy, stagedoor, tree};

const MANIFEST: &str = ".stagedoor-publish.json";

/// A copy of example-site, built into `<copy>/public`.
fn built_site() -> (tempfile::TempDir, PathBuf) {
    let site = example_site_copy();
    let out = site.path().join("public");
    rebuild(site.path(), &out);
    (site, out)
}

fn rebuild(site: &Path, out: &Path) {
    build_command(site, out)
        .arg("--no-cache")
        .assert()
        .success();
}

fn publish(site: &Path, to: &str, env: &[(&'static str, String)]) -> assert_cmd::Command {
    let mut cmd = stagedoor();
    cmd.arg("publish").arg(site).arg("--to").arg(to);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// (method, key under the bucket) of the object requests made since `from`. A bulk delete
/// (`POST /bucket?delete`, whose keys are in its body) shows as ("DELETE", "").
fn object_requests(moto: &Moto, bucket: &str, from: usize) -> Vec<(String, String)> {
    let prefix = format!("/{bucket}/");
    let bulk = format!("/{bucket}?delete");
    moto.requests()[from..]
        .iter()
        .filter_map(|(m, p)| match m.as_str() {
            "POST" if p.starts_with(&bulk) => Some(("DELETE".into(), String::new())),
            "PUT" | "DELETE" => Some((m.clone(), p.strip_prefix(&prefix)?.to_string())),
            _ => None,
        })
        .collect()
}

/// The keys in the bucket.
fn listed(moto: &Moto, bucket: &str) -> BTreeSet<String> {
    moto.keys(bucket).into_iter().collect()
}

fn keys_of(requests: &[(String, String)], method: &str) -> BTreeSet<String> {
    requests
        .iter()
        .filter(|(m, _)| m == method)
        .map(|(_, k)| k.clone())
        .collect()
}

fn under(prefix: &str, files: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    files.into_iter().map(|f| format!("{prefix}/{f}")).collect()
}

/// The objects a publish of `files` to `prefix` leaves: the files and the manifest.
fn published(prefix: &str, files: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut keys = under(prefix, files);
    keys.insert(format!("{prefix}/{MANIFEST}"));
    keys
}

/// Files added or changed from `old` to `new`.
fn changed(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    new.iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn phase_of(key: &str) -> stagedoor::publish::rules::Phase {
    let rel = key.split_once('/').map_or(key, |(_, r)| r);
    stagedoor::publish::rules::Phase::of(rel)
}

/// Uploads run assets → pages → entry points → manifest, and deletes come after every
/// upload but the manifest's.
fn assert_safe_order(requests: &[(String, String)]) {
    let mut last_phase = stagedoor::publish::rules::Phase::Asset;
    let mut deleting = false;
    for (method, key) in requests {
        let is_manifest = key.ends_with(MANIFEST);
        if method == "DELETE" {
            deleting = true;
            continue;
        }
        assert!(
            !deleting || is_manifest,
            "{key} uploaded after deletes began"
        );
        if !is_manifest {
            let phase = phase_of(key);
            assert!(phase >= last_phase, "{key} uploaded after a later phase");
            last_phase = phase;
        }
    }
}

fn edit_one_page(site: &Path) {
    let page = site.join("repos/infrastructure/docs/conventions.md");
    let mut text = std::fs::read_to_string(&page).expect("page");
    text.push_str("\n\nA paragraph added by the publish test.\n");
    std::fs::write(&page, text).expect("edit");
}

#[test]
fn s3_uploads_everything_then_nothing_then_exactly_what_changed() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    let (site, out) = built_site();
    let to = "s3://portal/site";
    publish(site.path(), to, &moto.env()).assert().success();
    let first = object_requests(&moto, "portal", 0);
    let local = tree(&out);
    let expected = published("site", local.keys().cloned());
    assert_eq!(
        keys_of(&first, "PUT"),
        expected,
        "first publish uploads all"
    );
    assert_safe_order(&first);

    let headers = |key: &str| {
        let got = moto.get(&format!("portal/site/{key}"));
        assert_eq!(got.status, 200, "{key}");
        assert_eq!(got.body, local[key], "{key} as built");
        (
            got.headers["content-type"].clone(),
            got.headers["cache-control"].clone(),
        )
    };
    let (html, html_cache) = headers("index.html");
    assert_eq!(html, "text/html; charset=utf-8");
    assert!(html_cache.contains("must-revalidate"), "{html_cache}");
    let (css, css_cache) = headers("assets/stagedoor.css");
    assert_eq!(css, "text/css; charset=utf-8");
    assert!(css_cache.contains("immutable"), "{css_cache}");
    let shard = local
        .keys()
        .find(|k| k.starts_with("search/f/"))
        .expect("a shard");
    assert!(headers(shard).1.contains("immutable"));
    let png = local
        .keys()
        .find(|k| k.ends_with(".png"))
        .expect("an image");
    assert_eq!(headers(png).0, "image/png");

    let before = moto.requests().len();
    let again = publish(site.path(), to, &moto.env()).assert().success();
    let said = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(said.contains("0 uploaded"), "{said}");
    assert!(
        object_requests(&moto, "portal", before).is_empty(),
        "unchanged republish writes nothing"
    );

    edit_one_page(site.path());
    rebuild(site.path(), &out);
    let edited = tree(&out);
    let before = moto.requests().len();
    publish(site.path(), to, &moto.env()).assert().success();
    let third = object_requests(&moto, "portal", before);
    let uploaded = published("site", changed(&local, &edited));
    assert_eq!(
        keys_of(&third, "PUT"),
        uploaded,
        "an edit uploads exactly what changed"
    );
    let expected = published("site", edited.keys().cloned());
    assert_eq!(
        listed(&moto, "portal"),
        expected,
        "replaced files are deleted"
    );
    assert_safe_order(&third);
    eprintln!(
        "one-page edit: {} of {} objects uploaded",
        uploaded.len() - 1,
        edited.len()
    );
}

#[test]
fn a_deleted_page_is_deleted_last() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    let (site, out) = built_site();
    publish(site.path(), "s3://portal/p", &moto.env())
        .assert()
        .success();
    std::fs::remove_file(site.path().join("repos/infrastructure/docs/conventions.md")).expect("rm");
    rebuild(site.path(), &out);
    let before = moto.requests().len();
    publish(site.path(), "s3://portal/p", &moto.env())
        .assert()
        .success();
    let run = object_requests(&moto, "portal", before);
    let page = "p/docs/default/component/terraform-modules/conventions/index.html";
    assert!(run.iter().any(|(m, _)| m == "DELETE"), "{run:?}");
    assert_safe_order(&run);
    assert_eq!(
        run.last().map(|(_, k)| k.as_str()),
        Some(&*format!("p/{MANIFEST}"))
    );
    assert_eq!(moto.get(&format!("portal/{page}")).status, 404);
}

/// Every site-internal link of a page, as a key under `prefix` (folders → index.html).
fn internal_links(html: &str, prefix: &str) -> Vec<String> {
    let mut links = Vec::new();
    for part in html
        .split(" href=\"")
        .skip(1)
        .chain(html.split(" src=\"").skip(1))
    {
        let url = part.split('"').next().unwrap_or("");
        let url = url.split(['#', '?']).next().unwrap_or("");
        if url.is_empty() || url.contains(':') || url.starts_with('/') {
            continue;
        }
        let mut key = format!("{prefix}/{}", url.trim_start_matches("./"));
        if key.ends_with('/') {
            key.push_str("index.html");
        }
        links.push(key);
    }
    links
}

#[test]
fn a_killed_publish_leaves_the_old_site_readable_and_the_next_one_finishes() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    let (site, out) = built_site();
    publish(site.path(), "s3://portal/s", &moto.env())
        .assert()
        .success();
    let old_home = moto.get("portal/s/index.html").body;
    // Every page changes (the title is on each), and one page goes.
    let config = site.path().join("stagedoor.yaml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace("Brightwave Developer Portal", "Brightwave Portal 2"),
    )
    .expect("retitle");
    std::fs::remove_file(site.path().join("repos/infrastructure/docs/conventions.md")).expect("rm");
    rebuild(site.path(), &out);

    let before = moto.requests().len();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stagedoor"))
        .args(["publish", "--jobs", "1", "--to", "s3://portal/s"])
        .arg(site.path())
        .envs(moto.env())
        .env("CI", "true")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("publish starts");
    let started = Instant::now();
    while object_requests(&moto, "portal", before).len() < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "publish made no progress"
        );
        assert!(
            child.try_wait().expect("status").is_none(),
            "publish ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    let _ = child.wait();

    assert_eq!(
        moto.get("portal/s/index.html").body,
        old_home,
        "entry points go up last"
    );
    let home = String::from_utf8_lossy(&old_home).into_owned();
    let links = internal_links(&home, "s");
    assert!(links.len() > 20, "{links:?}");
    for key in links {
        assert_eq!(
            moto.get(&format!("portal/{key}")).status,
            200,
            "{key} while half published"
        );
    }

    publish(site.path(), "s3://portal/s", &moto.env())
        .assert()
        .success();
    let local = tree(&out);
    let expected = published("s", local.keys().cloned());
    let listed: BTreeSet<String> = moto.keys("portal").into_iter().collect();
    assert_eq!(
        listed, expected,
        "the next publish leaves exactly the new site"
    );
    for (rel, bytes) in &local {
        assert_eq!(&moto.get(&format!("portal/s/{rel}")).body, bytes, "{rel}");
    }
}

#[test]
fn refused_credentials_exit_1_without_printing_them_or_deleting_anything() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    let (site, out) = built_site();
    publish(site.path(), "s3://portal/x", &moto.env())
        .assert()
        .success();
    let published = listed(&moto, "portal");
    std::fs::remove_file(site.path().join("repos/infrastructure/docs/conventions.md")).expect("rm");
    rebuild(site.path(), &out);
    moto.require_auth(true);
    let secret = "wrong-secret-0123456789";
    let mut env = moto.env();
    env.retain(|(k, _)| *k != "AWS_SECRET_ACCESS_KEY");
    env.push(("AWS_SECRET_ACCESS_KEY", secret.into()));
    let failed = publish(site.path(), "s3://portal/x", &env).assert().code(1);
    let said = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    moto.require_auth(false);
    assert!(
        said.contains("AWS_ACCESS_KEY_ID"),
        "says where credentials come from: {said}"
    );
    assert!(
        !said.contains(secret),
        "the secret is never printed: {said}"
    );
    assert_eq!(
        listed(&moto, "portal"),
        published,
        "nothing uploaded or deleted"
    );
}

#[test]
fn publish_never_touches_anything_outside_its_prefix() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    for key in ["other/index.html", "site-old/index.html", "sitex.html"] {
        moto.put(&format!("portal/{key}"), "not ours");
    }
    // A manifest tampered with to name objects outside the prefix as stale.
    let tampered = r#"{"format":1,"generator":"x","files":{
        "../other/index.html":{"hash":"1","size":1,"type":"t","cache":"c"}},
        "stale":["../sitex.html","../site-old/index.html"]}"#;
    moto.put(&format!("portal/site/{MANIFEST}"), tampered);
    let (site, _out) = built_site();
    let before = moto.requests().len();
    publish(site.path(), "s3://portal/site", &moto.env())
        .assert()
        .success();
    for (method, key) in object_requests(&moto, "portal", before) {
        assert!(
            key.starts_with("site/"),
            "{method} {key} outside the prefix"
        );
    }
    for key in ["other/index.html", "site-old/index.html", "sitex.html"] {
        assert_eq!(
            moto.get(&format!("portal/{key}")).body,
            b"not ours",
            "{key}"
        );
    }
}

#[test]
fn azure_blob_storage_with_the_az_cli_credentials() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.public_container("web");
    let (site, out) = built_site();
    let env = azurite.env(AZURITE_KEY);
    publish(site.path(), "az://web/portal", &env)
        .assert()
        .success();
    let local = tree(&out);
    let home = azurite.get("web/portal/index.html");
    assert_eq!(home.status, 200);
    assert_eq!(home.body, local["index.html"]);
    assert_eq!(home.headers["content-type"], "text/html; charset=utf-8");
    assert!(home.headers["cache-control"].contains("must-revalidate"));
    let css = azurite.get("web/portal/assets/stagedoor.css");
    assert!(css.headers["cache-control"].contains("immutable"));
    let again = publish(site.path(), "az://web/portal", &env)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(said.contains(" 0 uploaded"), "{said}");

    // Another account key, with a change to make: refused, exit 1, the key not printed,
    // nothing deleted.
    std::fs::remove_file(site.path().join("repos/infrastructure/docs/conventions.md")).expect("rm");
    rebuild(site.path(), &out);
    let wrong = "d3JvbmcgYWNjb3VudCBrZXkgZm9yIHRoZSB0ZXN0IG9mIHB1Ymxpc2g=";
    let failed = publish(site.path(), "az://web/portal", &azurite.env(wrong))
        .assert()
        .code(1);
    let said = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(!said.contains(wrong), "{said}");
    assert_eq!(
        azurite.get("web/portal/index.html").body,
        local["index.html"]
    );
}

#[test]
fn a_folder_target_a_dry_run_and_a_folder_stagedoor_did_not_build() {
    let (site, out) = built_site();
    let bucket = tempfile::tempdir().expect("temp dir");
    let to = format!("file://{}", bucket.path().join("www").display());
    let dry = publish(site.path(), &to, &[])
        .arg("--dry-run")
        .assert()
        .success();
    let listed = String::from_utf8_lossy(&dry.get_output().stdout).into_owned();
    assert!(listed.lines().any(|l| l == "+ index.html"), "{listed}");
    assert!(
        !bucket.path().join("www/index.html").exists(),
        "a dry run writes nothing"
    );
    // publish.to in stagedoor.yaml stands in for --to.
    let config = site.path().join("stagedoor.yaml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str(&format!("\npublish:\n  to: {to}\n"));
    std::fs::write(&config, text).expect("config");
    let mut cmd = stagedoor();
    cmd.arg("publish").arg(site.path()).assert().success();
    crate::support::assert_same_files(
        &tree(&out),
        &tree(&bucket.path().join("www"))
            .into_iter()
            .filter(|(k, _)| k != MANIFEST)
            .collect(),
        "published folder",
    );

    let foreign = tempfile::tempdir().expect("temp dir");
    std::fs::write(foreign.path().join("notes.txt"), "mine").expect("write");
    let refused = stagedoor()
        .arg("publish")
        .arg(site.path())
        .arg("--out")
        .arg(foreign.path())
        .arg("--to")
        .arg(&to)
        .assert()
        .code(2);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(said.contains("did not build"), "{said}");
}

#[test]
fn transient_errors_are_retried_and_the_publish_completes() {
    let Some(moto) = Moto::start() else { return };
    moto.public_bucket("portal");
    // Every fifth request fails with 503, as an overloaded store does.
    let proxy = crate::stores::FlakyProxy::start(&moto.endpoint, 5);
    let (site, out) = built_site();
    let mut env = moto.env();
    env.retain(|(k, _)| *k != "AWS_ENDPOINT_URL");
    env.push(("AWS_ENDPOINT_URL", proxy.endpoint.clone()));
    publish(site.path(), "s3://portal/r", &env)
        .assert()
        .success();
    let failed = proxy.failed.load(std::sync::atomic::Ordering::Relaxed);
    assert!(failed > 10, "the proxy failed {failed} requests");
    let expected = published("r", tree(&out).into_keys());
    assert_eq!(listed(&moto, "portal"), expected, "everything arrived");
}
