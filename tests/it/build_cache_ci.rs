//! The build cache in CI: a fresh clone with the cache folder restored (every modification
//! time new) is up to date, while what does change the site is still seen: an edit that
//! keeps size and modification time, a new commit, another stagedoor binary.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::{assert_same_files, build_status, fixture, git, tree};

const UP_TO_DATE: &str = "is up to date (nothing changed)";

/// What CI does: clone the repository afresh to the same path, restore the cache folder,
/// build. Nothing changed but every file's times and inode: nothing is built.
#[test]
fn a_fresh_clone_at_the_same_path_with_the_cache_restored_is_up_to_date() {
    let origin = fixture("build_cache/checkout");
    git(origin.path(), &["init", "-q"], "2024-01-01T12:00:00Z");
    git(origin.path(), &["add", "."], "2024-01-01T12:00:00Z");
    git(
        origin.path(),
        &["commit", "-q", "-m", "first"],
        "2024-01-02T12:00:00Z",
    );
    let ci = tempfile::tempdir().unwrap();
    let (site, out, cache) = (
        ci.path().join("checkout"),
        ci.path().join("public"),
        ci.path().join("cache"),
    );
    let clone = || {
        let _ = std::fs::remove_dir_all(&site);
        let (from, to) = (origin.path().to_string_lossy(), site.to_string_lossy());
        git(
            ci.path(),
            &["clone", "-q", &from, &to],
            "2024-01-01T12:00:00Z",
        );
    };
    let cache_arg = cache.to_string_lossy().into_owned();
    let args = ["--cache-dir", cache_arg.as_str()];

    clone();
    let (code, first) = build_status(&site, &out, &args);
    assert_eq!(code, 0, "{first}");
    assert!(first.contains("wrote"), "{first}");
    let written = tree(&out);
    let faq = "docs/default/component/ledger/faq/index.html";
    assert!(String::from_utf8_lossy(&written[faq]).contains("datetime=\"2024-01-02\""));

    clone();
    let (_, again) = build_status(&site, &out, &args);
    assert!(again.contains(UP_TO_DATE), "{again}");
    assert_same_files(&written, &tree(&out), "fresh clone");

    // A new commit: the fresh clone of it builds, and shows the commit's date.
    std::fs::write(origin.path().join("docs/faq.md"), "# FAQ\n\nAnswered.\n").unwrap();
    git(
        origin.path(),
        &["commit", "-q", "-am", "second"],
        "2024-03-04T12:00:00Z",
    );
    clone();
    let (_, after_commit) = build_status(&site, &out, &args);
    assert!(after_commit.contains("wrote"), "{after_commit}");
    let page = std::fs::read_to_string(out.join(faq)).unwrap();
    assert!(page.contains("datetime=\"2024-03-04\""), "{page}");
}

/// The stat cache reads a file again when its size, modification time, change time or inode
/// changed: a same-size edit with the modification time set back still changes the change
/// time, which no program can set back.
#[test]
fn an_edit_that_keeps_size_and_modification_time_is_still_seen() {
    let site = fixture("build_cache/checkout");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    // Files changed within two seconds of a build are read again by the next whatever their
    // stat; older ones are what the stat cache is trusted for.
    std::thread::sleep(Duration::from_millis(2500));
    let (code, first) = build_status(site.path(), &out, &[]);
    assert_eq!(code, 0, "{first}");
    let stats = site.path().join(".stagedoor-cache/stats.bin");
    let kept = std::fs::metadata(&stats).map_or(0, |m| m.len());
    assert!(kept > 300, "the stat cache keeps every file: {kept} bytes");

    let faq = site.path().join("docs/faq.md");
    let before = std::fs::metadata(&faq).unwrap();
    let text = std::fs::read_to_string(&faq).unwrap();
    std::fs::write(&faq, text.replace("two sides", "TWO SIDES")).unwrap();
    let file = std::fs::File::options().write(true).open(&faq).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
    drop(file);
    let after = std::fs::metadata(&faq).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );

    let (_, second) = build_status(site.path(), &out, &[]);
    assert!(second.contains("wrote"), "{second}");
    let page =
        std::fs::read_to_string(out.join("docs/default/component/ledger/faq/index.html")).unwrap();
    assert!(page.contains("TWO SIDES"), "the edit is built");
}

/// Runs the stagedoor binary at `exe` (a copy); retried while the copy is busy (a test
/// spawning a process at the moment it was written may briefly hold it open).
fn build_with_exe(exe: &Path, site: &Path, out: &Path) -> String {
    for _ in 0..50 {
        let run = Command::new(exe)
            .arg("build")
            .arg(site)
            .arg("--out")
            .arg(out)
            .env("CI", "true")
            .output();
        match run {
            Ok(o) => {
                assert_eq!(o.status.code(), Some(0), "{o:?}");
                return String::from_utf8_lossy(&o.stderr).into_owned();
            }
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("{}: {e}", exe.display()),
        }
    }
    panic!("{} stayed busy", exe.display());
}

/// Another binary may render differently: its bytes, not its size or time, decide.
#[test]
fn a_different_stagedoor_binary_builds_again() {
    let site = fixture("build_cache/checkout");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let exe = dir.path().join("stagedoor");
    let mut bytes = std::fs::read(assert_cmd::cargo::cargo_bin("stagedoor")).unwrap();
    // Bytes after the end of an executable are never loaded: the program runs the same.
    bytes.push(b'A');
    std::fs::write(&exe, &bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let first = build_with_exe(&exe, site.path(), &out);
    assert!(first.contains("wrote"), "{first}");
    let again = build_with_exe(&exe, site.path(), &out);
    assert!(again.contains(UP_TO_DATE), "{again}");

    // One byte different, same size and modification time.
    let modified = std::fs::metadata(&exe).unwrap().modified().unwrap();
    if let Some(last) = bytes.last_mut() {
        *last = b'B';
    }
    std::fs::write(&exe, &bytes).unwrap();
    let file = std::fs::File::options().write(true).open(&exe).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let other = build_with_exe(&exe, site.path(), &out);
    assert!(other.contains("wrote"), "{other}");
}

/// The default output folder lies inside the site, beside the files stagedoor keeps next to
/// it (ownership record, lock, list of files), which every build rewrites: none of them is
/// an input, or no build would ever be up to date.
#[test]
fn an_output_inside_the_site_is_up_to_date_when_nothing_changed() {
    let site = fixture("build_cache/checkout");
    let run = || {
        let output = crate::support::stagedoor()
            .arg("build")
            .arg(site.path())
            .output()
            .expect("stagedoor runs");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let first = run();
    assert!(first.contains("wrote"), "{first}");
    assert!(site.path().join("public.stagedoor-files").is_file());
    let second = run();
    assert!(second.contains(UP_TO_DATE), "{second}");
}
