//! Shared helpers: temporary sites, the shared corpus, and running the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stagedoor::build::{self, BuildOptions, BuildReport};
use stagedoor::config::{Overrides, load_config};
use stagedoor::diagnostics::Diagnostic;
use stagedoor::model::Model;
use stagedoor::progress::Silent;

pub use crate::shared_corpus::corpus;

/// A temporary copy of the site checked in at `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture(rel, dir.path());
    dir
}

/// Copies `tests/fixtures/<rel>` into `into`, over whatever has the same names there.
pub fn copy_fixture(rel: &str, into: &Path) {
    let src = project_root().join("tests/fixtures").join(rel);
    assert!(src.is_dir(), "no fixture at {}", src.display());
    copy_tree(&src, into, |_| true);
}

/// Copies the folder `src` (for example `example-site`) into `to`.
pub fn copy_dir(src: &Path, to: &Path) {
    copy_tree(src, to, |_| true);
}

/// Copies every file below `src` whose relative path `keep` accepts into `to`.
fn copy_tree(src: &Path, to: &Path, keep: impl Fn(&Path) -> bool) {
    for e in walkdir::WalkDir::new(src).into_iter().flatten() {
        let rel = e.path().strip_prefix(src).expect("inside");
        if !keep(rel) {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest)
                .unwrap_or_else(|err| panic!("copy {}: {err}", e.path().display()));
        }
    }
}

/// A temporary site folder with the given files (path, content).
pub fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    dir
}

/// A site whose one root is `root`, reading every `*.yaml` below it as a catalog file.
pub fn site_over(root: &Path) -> tempfile::TempDir {
    let config = format!(
        "roots: ['{}']\ncatalog:\n  files: ['**/*.yaml']\n",
        root.display()
    );
    site_with(&[("stagedoor.yaml", &config)])
}

/// A Component `name` whose docs sit beside its catalog file, and the Group `team` owning it.
pub fn documented_component(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec:\n  type: team\n  children: []\n"
    )
}

/// Copies fixture `rel` and builds it into `<out>/site`; returns (site copy, out folder).
pub fn build_fixture(rel: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let site = fixture(rel);
    let out = tempfile::tempdir().expect("temp out");
    build_into(site.path(), &out.path().join("site"));
    (site, out)
}

/// Builds `site` into `out`, nothing else set on the command line.
pub fn build_into(site: &Path, out: &Path) -> BuildReport {
    let overrides = Overrides {
        out: Some(out.to_path_buf()),
        ..Overrides::default()
    };
    build_with(site, overrides)
}

/// Builds `site` as `stagedoor build` does without a cache; `overrides` as the command line.
pub fn build_with(site: &Path, overrides: Overrides) -> BuildReport {
    let loaded = load_config(site, &overrides).expect("config");
    build::build_site(
        &loaded.config,
        loaded.diagnostics,
        BuildOptions::default(),
        &Silent,
    )
    .expect("build")
}

pub fn load(site: &Path) -> Model {
    let loaded = load_config(site, &Overrides::default()).expect("config loads");
    assert!(!loaded.is_fatal(), "{:?}", loaded.diagnostics);
    build::load_model(&loaded.config, loaded.diagnostics, &Silent)
}

/// `code file:line` for each diagnostic at warning level or above, file relative to `base`.
pub fn problems(diags: &[Diagnostic], base: &Path) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity >= stagedoor::diagnostics::Severity::Warning)
        .map(|d| format!("{} {}", d.code.id(), d.location(base).unwrap_or_default()))
        .collect()
}

pub fn stagedoor() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("stagedoor").expect("binary built");
    cmd.env("CI", "true").env_remove("NO_COLOR");
    cmd
}

/// `stagedoor build SITE --out OUT`, for the caller to add options and run.
pub fn build_command(site: impl AsRef<Path>, out: impl AsRef<Path>) -> assert_cmd::Command {
    let mut cmd = stagedoor();
    cmd.arg("build")
        .arg(site.as_ref())
        .arg("--out")
        .arg(out.as_ref());
    cmd
}

/// Runs `stagedoor build SITE --out OUT ARGS…`; its exit code and stderr.
pub fn build_status(site: &Path, out: &Path, args: &[&str]) -> (i32, String) {
    let output = build_command(site, out)
        .args(args)
        .output()
        .expect("stagedoor runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

/// Runs git in `dir` as a fixed author, with author and commit dates `date`; fails the test
/// when git does.
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Every file below `dir` by relative path (with `/`), except the build marker.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy();
            (
                rel.replace('\\', "/"),
                std::fs::read(e.path()).expect("readable"),
            )
        })
        .filter(|(rel, _)| rel != ".stagedoor-output")
        .collect()
}

/// Fails, naming them, when any file differs between two trees (or is in only one).
pub fn assert_same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, when: &str) {
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(differ.is_empty(), "{when}: these files differ: {differ:?}");
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A real `stagedoor serve` process on a free port of 127.0.0.1, killed when dropped.
pub struct Served {
    pub base: String,
    pub child: std::process::Child,
    /// Everything the server printed to stderr so far (its rebuild log).
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Served {
    pub fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Served {
    /// SIGTERM first, so the server removes its temporary site (SIGKILL would leave it in
    /// the temp folder, build after build); SIGKILL only if it has not quit in 5 s.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `stagedoor serve SITE --port 0 [extra…]` and waits until it listens.
pub fn serve(site: &Path, extra: &[&str]) -> Served {
    serve_env(site, extra, &[])
}

/// `serve` with extra environment variables for the server process.
pub fn serve_env(site: &Path, extra: &[&str], env: &[(&str, &Path)]) -> Served {
    use std::io::BufRead;
    let bin = assert_cmd::cargo::cargo_bin("stagedoor");
    let mut child = std::process::Command::new(bin)
        .arg("serve")
        .arg(site)
        .args(["--port", "0"])
        .args(extra)
        .envs(env.iter().copied())
        .env("CI", "true")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("stagedoor serve starts");
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let err_pipe = child.stderr.take().expect("stderr");
    let err_log = stderr.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err_pipe)
            .lines()
            .map_while(Result::ok)
        {
            if let Ok(mut s) = err_log.lock() {
                s.push_str(&line);
                s.push('\n');
            }
        }
    });
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(url) = line
                .split(" at ")
                .nth(1)
                .filter(|u| u.starts_with("http://"))
            {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    let base = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .unwrap_or_else(|_| {
            panic!(
                "serve did not start: {}",
                stderr.lock().map(|s| s.clone()).unwrap_or_default()
            )
        });
    Served {
        base,
        child,
        stderr,
    }
}

/// A copy of example-site that stands alone: without the root that reaches back into this
/// project (its manual), which a copy elsewhere could not find.
pub fn example_site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = project_root().join("example-site");
    copy_tree(&src, dir.path(), |rel| {
        !rel.starts_with("public") && !rel.starts_with(stagedoor::cache::CACHE_DIR)
    });
    let config = std::fs::read_to_string(dir.path().join("stagedoor.yaml")).expect("config");
    let kept: Vec<&str> = config
        .lines()
        .filter(|l| !l.contains("path: ..") && !l.contains("stagedoor/stagedoor"))
        .collect();
    std::fs::write(dir.path().join("stagedoor.yaml"), kept.join("\n")).expect("write config");
    dir
}
