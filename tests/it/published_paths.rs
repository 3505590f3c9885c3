//! Nothing a build publishes names the build machine's folders: every path a diagnostic
//! (message, hint, location) or a page shows is relative to the site folder or to the
//! repository, also when the site is built through an absolute path and its roots lie
//! outside the site folder.

use std::path::Path;

use crate::support::{build_command, copy_dir, copy_fixture, project_root};

/// A parent folder name that must appear in no published file.
const PARENT: &str = "builder-home-q7z";

/// Builds `site` (an absolute path) into `out` and returns every output file that contains
/// one of `secrets`, with the first line that does.
fn leaks(site: &Path, out: &Path, secrets: &[String]) -> Vec<String> {
    let run = build_command(site, out)
        .arg("--no-cache")
        .output()
        .expect("stagedoor runs");
    assert!(out.join("index.html").is_file(), "{run:?}");
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let text =
            String::from_utf8_lossy(&std::fs::read(e.path()).expect("readable")).into_owned();
        for secret in secrets {
            if let Some(line) = text.lines().find(|l| l.contains(secret.as_str())) {
                let line: String = line.chars().take(300).collect();
                found.push(format!("{}: {line}", e.path().display()));
            }
        }
    }
    found
}

/// The absolute path of `dir` and the names of its folders from the temporary folder down.
fn secrets_of(dir: &Path, top: &Path) -> Vec<String> {
    let mut out = vec![dir.display().to_string()];
    out.extend(
        dir.strip_prefix(top.parent().expect("parent"))
            .expect("inside")
            .iter()
            .map(|c| c.to_string_lossy().into_owned()),
    );
    out
}

#[test]
fn example_sites_built_through_an_absolute_path_publish_no_absolute_path() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let parent = top.join(PARENT);
    for name in ["example-site", "example-site-broken"] {
        let site = parent.join(name);
        copy_dir(&project_root().join(name), &site);
        let out = top.join(format!("out-{name}"));
        let mut secrets = secrets_of(&parent, &top);
        secrets.push(site.display().to_string());
        let found = leaks(&site, &out, &secrets);
        assert!(
            found.is_empty(),
            "{name} publishes its folders:\n{}",
            found.join("\n")
        );
    }
}

/// Roots beside the site folder: the paths pages and diagnostics show (the source of an
/// entity, a missing docs folder, a placeholder leaving its repository, a nav entry, a
/// configured location) are shown relative, with `../` where needed, never absolute.
#[test]
fn roots_outside_the_site_folder_are_shown_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let parent = top.join(PARENT);
    copy_fixture("published_paths/outside_roots", &parent);
    let out = top.join("out");
    let found = leaks(&parent.join("site"), &out, &secrets_of(&parent, &top));
    assert!(found.is_empty(), "published folders:\n{}", found.join("\n"));
    let svc = std::fs::read_to_string(out.join("catalog/default/component/svc/index.html"))
        .expect("svc page");
    assert!(
        svc.contains("<dd>../repos/svc/catalog-info.yaml:1</dd>"),
        "{svc}"
    );
    let problems = std::fs::read_to_string(out.join("catalog/problems/index.html")).unwrap();
    for shown in [
        "docs folder missing-folder does not exist",
        "leaves its repository (the folder escape)",
        "names a page that does not exist in docs",
        "configured location ../repos/svc/not-there.yaml is not a file inside a root",
        "no mkdocs.yml beside the docs",
    ] {
        assert!(problems.contains(shown), "{shown}: {problems}");
    }
}
