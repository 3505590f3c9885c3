//! The shared corpus, `../shared/corpus` beside the project. A developer may not have it, so
//! its tests skip with a note; CI must have it, or a green run would have tested nothing.

use std::path::{Path, PathBuf};

/// `../shared/corpus/<rel>` when it exists. When it does not: None with a printed note, or a
/// panic naming the path when the environment variable `CI` is set.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let p = corpus_root().join(rel);
    if p.exists() {
        Some(p.canonicalize().expect("canonical corpus path"))
    } else {
        missing(&p);
        None
    }
}

pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Says that `path` of the corpus is absent: a failure under CI, a note otherwise.
pub fn missing(path: &Path) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{} is absent, and CI is set: the corpus tests need the shared corpus there",
        path.display()
    );
    eprintln!("note: {} is absent; test skipped", path.display());
}
