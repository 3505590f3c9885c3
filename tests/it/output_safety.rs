//! The output folder is never damaged: a build killed mid-way or failing to write keeps the
//! previous site byte for byte and leaves nothing the next build trips over; folders whose
//! replacement would destroy something (the input, `/`, the home folder, a stranger's
//! folder) are refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{build_command, documented_component, site_with, tree};

/// A site with `pages` docs pages of a few paragraphs each.
fn big_site(pages: usize) -> tempfile::TempDir {
    let site = site_with(&[
        ("catalog-info.yaml", &documented_component("big")),
        ("mkdocs.yml", "site_name: Big\n"),
        ("docs/index.md", "# Big\n\nThe first version.\n"),
    ]);
    let para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. ";
    for i in 0..pages {
        let text = format!(
            "# Page {i}\n\n{}\n\n## Section\n\n{}\n\n```python\nprint({i})\n```\n",
            para.repeat(20),
            para.repeat(20)
        );
        fs::write(site.path().join(format!("docs/page-{i}.md")), text).unwrap();
    }
    site
}

fn build(site: &Path, out: &Path) -> std::process::Output {
    build_command(site, out)
        .arg("--no-cache")
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap()
}

/// Names in `dir` that a build leaves beside its output while it runs (the ownership record,
/// the lock and the list of the site's files stay for good).
fn leftovers(dir: &Path) -> Vec<String> {
    let kept = [".stagedoor-output", ".stagedoor-lock", ".stagedoor-files"];
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".stagedoor-") && !kept.iter().any(|k| n.ends_with(k)))
        .collect()
}

fn file_count(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count()
}

#[test]
fn a_build_killed_mid_write_keeps_the_previous_site_and_the_next_build_cleans_up() {
    let site = big_site(1500);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    let first = build(site.path(), &out);
    assert!(first.status.success(), "{first:?}");
    let before = tree(&out);
    fs::write(
        site.path().join("docs/index.md"),
        "# Big\n\nThe second version.\n",
    )
    .unwrap();

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("stagedoor"))
        .arg("build")
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .arg("--no-cache")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = parent
        .path()
        .join(format!("public.stagedoor-tmp-{}", child.id()));
    let started = Instant::now();
    // Kill it (SIGKILL) as soon as the new site is partly written.
    while !(staging.is_dir() && file_count(&staging) > 20) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed; make the site bigger"
        );
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.is_dir(), "killed mid-write");
    assert!(tree(&out) == before, "the previous site changed");

    let next = build(site.path(), &out);
    assert!(next.status.success(), "{next:?}");
    assert_eq!(leftovers(parent.path()), Vec::<String>::new());
    let home = fs::read_to_string(out.join("docs/default/component/big/index.html")).unwrap();
    assert!(home.contains("The second version."));
}

/// Runs `stagedoor build` with `HOME` set, returning (exit code, stderr).
fn build_into(site: &Path, out: &Path, home: &Path, force: bool) -> (Option<i32>, String) {
    let mut cmd = build_command(site, out);
    cmd.arg("--no-cache").env("HOME", home);
    if force {
        cmd.arg("--force");
    }
    let run = cmd.output().unwrap();
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn dangerous_output_folders_are_refused_even_with_force() {
    let top = tempfile::tempdir().unwrap();
    let top = top.path().canonicalize().unwrap();
    let site = top.join("work/site");
    let home = top.join("users/me");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("thesis.tex"), "precious").unwrap();
    fs::create_dir_all(site.join("repos/a")).unwrap();
    fs::write(
        site.join("repos/a/catalog-info.yaml"),
        documented_component("big"),
    )
    .unwrap();
    fs::write(site.join("stagedoor.yaml"), "roots:\n  - path: repos/*\n").unwrap();
    // A site folder holding only its config, its root elsewhere.
    let config_only = top.join("work/config-only");
    fs::create_dir_all(&config_only).unwrap();
    fs::write(
        config_only.join("stagedoor.yaml"),
        "roots:\n  - path: ../site/repos/a\n",
    )
    .unwrap();
    let (code, stderr) = build_into(&config_only, &config_only, &home, true);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("contains the input"), "{stderr}");
    assert!(config_only.join("stagedoor.yaml").is_file());
    let cases: &[(PathBuf, bool, &str)] = &[
        (site.clone(), true, "contains the input"),
        (top.join("work"), true, "contains the input"),
        (site.join("repos"), true, "contains the input"),
        (PathBuf::from("/"), false, "file-system root"),
        (PathBuf::from("/"), true, "file-system root"),
        (home.clone(), false, "home folder"),
        (home.clone(), true, "home folder"),
        (top.join("users"), true, "home folder"),
    ];
    for (out, force, why) in cases {
        let (code, stderr) = build_into(&site, out, &home, *force);
        assert_eq!(code, Some(2), "{} (force {force}): {stderr}", out.display());
        assert!(
            stderr.contains(why),
            "{} (force {force}) should say {why:?}: {stderr}",
            out.display()
        );
    }
    assert!(home.join("thesis.tex").is_file());
    assert!(site.join("stagedoor.yaml").is_file());
    assert!(site.join("repos/a/catalog-info.yaml").is_file());

    // A stranger's non-empty folder: refused, then replaced with --force.
    let foreign = top.join("foreign");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let (code, stderr) = build_into(&site, &foreign, &home, false);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(foreign.join("notes.txt").is_file());
    let (code, stderr) = build_into(&site, &foreign, &home, true);
    assert_eq!(code, Some(0), "{stderr}");
    // The record of ownership is beside the site, not published with it.
    assert!(top.join("foreign.stagedoor-output").is_file());
    assert!(!foreign.join(".stagedoor-output").exists());
    let (code, stderr) = build_into(&site, &foreign, &home, false);
    assert_eq!(code, Some(0), "now stagedoor's: {stderr}");
    assert!(
        foreign
            .join("catalog/default/component/big/index.html")
            .is_file()
    );
}

/// Runs `stagedoor build` through `sh` with a file-size limit: every write past `kb` KiB
/// fails (EFBIG; the signal is ignored), as on a full disk.
fn build_with_file_limit(site: &Path, out: &Path, kb: u64) -> (Option<i32>, String) {
    let run = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {}; exec \"$0\" \"$@\"",
            kb * 2
        ))
        .arg(assert_cmd::cargo::cargo_bin("stagedoor"))
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .arg("--no-cache")
        .env("CI", "true")
        .output()
        .unwrap();
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn a_failed_write_keeps_the_previous_site() {
    let site = big_site(3);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    let first = build(site.path(), &out);
    assert!(first.status.success(), "{first:?}");
    let before = tree(&out);
    // A 4 MB download the docs link to: copied into the site, it passes the limit.
    let blob: Vec<u8> = (0..4 * 1024 * 1024u32)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    fs::write(site.path().join("docs/data.bin"), blob).unwrap();
    fs::write(
        site.path().join("docs/index.md"),
        "# Big\n\nThe second version, with [data](data.bin).\n",
    )
    .unwrap();
    let (code, stderr) = build_with_file_limit(site.path(), &out, 1024);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("data.bin"),
        "the failing file is named: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(tree(&out) == before, "the previous site changed");
    assert_eq!(leftovers(parent.path()), Vec::<String>::new());
    // Without the limit the same build goes through.
    let next = build(site.path(), &out);
    assert!(next.status.success(), "{next:?}");
    assert!(out.join("docs/default/component/big/data.bin").is_file());
}

#[cfg(unix)]
#[test]
fn a_read_only_parent_keeps_the_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let site = big_site(3);
    let parent = tempfile::tempdir().unwrap();
    let locked = parent.path().join("locked");
    let out = locked.join("public");
    let first = build(site.path(), &out);
    assert!(first.status.success(), "{first:?}");
    let before = tree(&out);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "").is_ok() {
        eprintln!("note: permissions do not bind this user (root); test skipped");
        return;
    }
    fs::write(site.path().join("docs/index.md"), "# Big\n\nNew.\n").unwrap();
    let run = build(site.path(), &out);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("locked"));
    assert!(tree(&out) == before);
}
