//! Shared helpers: temporary sites, the shared corpus, and running the real binary.

use std::path::{Path, PathBuf};

use stagedoor::build::{self, Model};
use stagedoor::config::{Overrides, load_config};
use stagedoor::diagnostics::Diagnostic;
use stagedoor::progress::Silent;

/// `../shared/corpus/<rel>`, or None (with a note) when the shared folder is absent.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    if p.exists() {
        Some(p.canonicalize().expect("canonical corpus path"))
    } else {
        eprintln!("note: {} is absent; test skipped", p.display());
        None
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

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
