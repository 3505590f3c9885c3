//! Discover: walk the configured roots in parallel → the catalog files to read, and the
//! repository each file belongs to. Honours `.gitignore`, skips `.git`, `node_modules`,
//! `target`, the output folder and the configured excludes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::config::{Config, Root};
use crate::fsutil::slash_path;

const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target"];

/// File-name and path globs: a pattern without `/` matches a file name at any depth, one with
/// `/` matches the path relative to its root (gitignore-like).
pub struct Patterns {
    names: GlobSet,
    paths: GlobSet,
}

impl Patterns {
    pub fn new(patterns: &[String]) -> Self {
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for p in patterns {
            let p = p.trim_start_matches("./");
            let target = if p.contains('/') {
                &mut paths
            } else {
                &mut names
            };
            if let Ok(glob) = Glob::new(p) {
                target.add(glob);
            }
        }
        let empty = || GlobSet::empty();
        Patterns {
            names: names.build().unwrap_or_else(|_| empty()),
            paths: paths.build().unwrap_or_else(|_| empty()),
        }
    }

    pub fn is_match(&self, relative: &Path) -> bool {
        let name_hit = relative.file_name().is_some_and(|n| self.names.is_match(n));
        name_hit || self.paths.is_match(slash_path(relative))
    }
}

/// Walks every root and returns the catalog files, canonical and sorted.
pub fn discover_catalog_files(config: &Config) -> Vec<PathBuf> {
    let catalog = Patterns::new(&config.catalog_files);
    let exclude = Patterns::new(&config.exclude);
    let found = Mutex::new(Vec::new());
    for root in &config.roots {
        walk_root(root, config, &catalog, &exclude, &found);
    }
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    files.dedup();
    files
}

fn walk_root(
    root: &Root,
    config: &Config,
    catalog: &Patterns,
    exclude: &Patterns,
    found: &Mutex<Vec<PathBuf>>,
) {
    let root_path = root.path.clone();
    let out = config.out.clone();
    let config_file = config.config_file.clone();
    let walker = WalkBuilder::new(&root.path)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry({
            let root_path = root_path.clone();
            let exclude_rel = Patterns::new(&config.exclude);
            move |entry| {
                let path = entry.path();
                if is_output(path, &out) {
                    return false;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n))
                {
                    return false;
                }
                let rel = path.strip_prefix(&root_path).unwrap_or(path);
                rel.as_os_str().is_empty() || !exclude_rel.is_match(rel)
            }
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if entry.file_type().is_some_and(|t| t.is_file()) {
                let rel = entry
                    .path()
                    .strip_prefix(&root_path)
                    .unwrap_or(entry.path());
                if catalog.is_match(rel)
                    && !exclude.is_match(rel)
                    && config_file.as_deref() != Some(entry.path())
                    && let Ok(real) = entry.path().canonicalize()
                {
                    found.lock().map(|mut f| f.push(real)).ok();
                }
            }
            WalkState::Continue
        })
    });
}

/// The output folder and its staging siblings are never read as input.
fn is_output(path: &Path, out: &Path) -> bool {
    path == out
        || path
            .to_string_lossy()
            .starts_with(&format!("{}.stagedoor-", out.to_string_lossy()))
}

/// Maps files to their repository: the nearest folder with a `.git` inside the file's root,
/// else the root itself. Results are cached per folder.
pub struct Repos {
    roots: Vec<Root>,
    cache: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Repos {
    pub fn new(roots: &[Root]) -> Self {
        Repos {
            roots: roots.to_vec(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The root holding `path` (the deepest one when roots nest).
    pub fn root_of(&self, path: &Path) -> Option<&Root> {
        self.roots
            .iter()
            .filter(|r| path.starts_with(&r.path))
            .max_by_key(|r| r.path.as_os_str().len())
    }

    pub fn repo_of(&self, path: &Path) -> Option<PathBuf> {
        let root = self.root_of(path)?;
        let dir = path.parent()?;
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(dir).cloned()) {
            return Some(hit);
        }
        let repo = dir
            .ancestors()
            .take_while(|a| a.starts_with(&root.path))
            .find(|a| a.join(".git").exists())
            .unwrap_or(&root.path)
            .to_path_buf();
        if let Ok(mut c) = self.cache.lock() {
            c.insert(dir.to_path_buf(), repo.clone());
        }
        Some(repo)
    }

    /// The web URL of the repository holding `path`, when the root configures one. A nested
    /// `.git` repository has no URL of its own unless it is the root.
    pub fn repo_url_of(&self, path: &Path) -> Option<(String, String, PathBuf)> {
        let root = self.root_of(path)?;
        let repo = self.repo_of(path)?;
        let url = root.repo_url.clone().filter(|_| repo == root.path)?;
        Some((url, root.branch.clone(), repo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, load_config};
    use std::fs;

    #[test]
    fn finds_catalog_files_at_any_depth_and_skips_ignored_folders() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "catalog-info.yaml",
            "svc/a/catalog-info.yaml",
            "node_modules/x/catalog-info.yaml",
            "public/catalog-info.yaml",
            "ignored/catalog-info.yaml",
            "vendor/catalog-info.yaml",
            "svc/a/other.yaml",
        ] {
            fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            fs::write(d.join(f), "x").unwrap();
        }
        fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
        fs::write(d.join("stagedoor.yaml"), "exclude: [vendor]\n").unwrap();
        let loaded = load_config(d, &Overrides::default()).unwrap();
        let files = discover_catalog_files(&loaded.config);
        let rel: Vec<String> = files
            .iter()
            .map(|f| slash_path(f.strip_prefix(d.canonicalize().unwrap()).unwrap()))
            .collect();
        assert_eq!(rel, ["catalog-info.yaml", "svc/a/catalog-info.yaml"]);
    }

    #[test]
    fn repository_is_the_nearest_git_folder_or_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().canonicalize().unwrap();
        fs::create_dir_all(d.join("mono/.git")).unwrap();
        fs::create_dir_all(d.join("mono/svc")).unwrap();
        fs::create_dir_all(d.join("plain/sub")).unwrap();
        let root = Root {
            path: d.clone(),
            repo_url: None,
            branch: "main".into(),
            trusted: false,
        };
        let repos = Repos::new(&[root]);
        assert_eq!(
            repos
                .repo_of(&d.join("mono/svc/catalog-info.yaml"))
                .unwrap(),
            d.join("mono")
        );
        assert_eq!(
            repos
                .repo_of(&d.join("plain/sub/catalog-info.yaml"))
                .unwrap(),
            d
        );
        assert!(repos.repo_of(Path::new("/elsewhere/x.yaml")).is_none());
    }
}
