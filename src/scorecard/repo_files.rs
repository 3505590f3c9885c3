//! Repository files for `repo_files` checks: each repository is walked once, only as deep as
//! the longest pattern reaches, and every glob set is matched against its files. The walk
//! never leaves the repository: symbolic links count only when they lead to a file inside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::checks::Globs;
use crate::discover::SKIPPED_DIRS;
use crate::fsutil;

/// Repository root → for each glob set, whether one of its files matched.
pub fn match_repos(repos: Vec<&PathBuf>, globs: &Globs) -> HashMap<PathBuf, Vec<bool>> {
    if globs.sets.is_empty() {
        return HashMap::new();
    }
    repos
        .into_par_iter()
        .map(|root| (root.clone(), match_repo(root, globs)))
        .collect()
}

fn match_repo(root: &Path, globs: &Globs) -> Vec<bool> {
    let mut found = vec![false; globs.sets.len()];
    let mut walk = walkdir::WalkDir::new(root).follow_links(false).min_depth(1);
    if !globs.any_depth {
        walk = walk.max_depth(globs.depth);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // The folders the catalog walk and the build fingerprint skip (version control,
    // dependencies, build output): a file a check finds is one whose change rebuilds the site.
    let skipped = |d: &walkdir::DirEntry| {
        d.file_type().is_dir() && SKIPPED_DIRS.iter().any(|s| d.file_name() == *s)
    };
    let entries = walk.into_iter().filter_entry(|d| !skipped(d));
    for entry in entries.flatten() {
        if !is_file_inside(&entry, &canonical_root) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = fsutil::slash_path(rel);
        for (i, set) in globs.sets.iter().enumerate() {
            found[i] |= !found[i] && set.is_match(&rel);
        }
        if found.iter().all(|f| *f) {
            break;
        }
    }
    found
}

fn is_file_inside(entry: &walkdir::DirEntry, root: &Path) -> bool {
    if entry.file_type().is_file() {
        return true;
    }
    entry.path_is_symlink()
        && (entry.path().canonicalize()).is_ok_and(|p| p.is_file() && p.starts_with(root))
}
