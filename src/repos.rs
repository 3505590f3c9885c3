//! Repositories: which root and repository a path belongs to, and which local checkout a
//! repository URL names. Lookups walk a path's ancestors (or a URL's prefixes) against hash
//! maps, so they cost the depth of the path, not the number of roots: an organisation of
//! thousands of repositories stays fast.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::Root;
use crate::fsutil;

pub struct Repos {
    roots: Vec<Root>,
    by_path: HashMap<PathBuf, usize>,
    by_url: HashMap<String, usize>,
    /// Folder → its repository (nearest `.git`, else the root).
    cache: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Repos {
    pub fn new(roots: &[Root]) -> Self {
        let by_path = roots
            .iter()
            .enumerate()
            .map(|(i, r)| (r.path.clone(), i))
            .collect();
        let by_url = roots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.repo_url.clone()?.trim_end_matches('/').to_string(), i)))
            .collect();
        Repos {
            roots: roots.to_vec(),
            by_path,
            by_url,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn roots(&self) -> &[Root] {
        &self.roots
    }

    /// The root holding `path` (the deepest one when roots nest), judged on the path as
    /// written after resolving `.` and `..`.
    pub fn root_of(&self, path: &Path) -> Option<&Root> {
        let path = fsutil::normalize(path);
        path.ancestors()
            .find_map(|a| self.by_path.get(a))
            .map(|&i| &self.roots[i])
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

    /// The web URL and branch of the repository holding `path`, when its root configures one.
    /// A nested `.git` repository has no URL of its own unless it is the root.
    pub fn repo_url_of(&self, path: &Path) -> Option<(String, String, PathBuf)> {
        let root = self.root_of(path)?;
        let repo = self.repo_of(path)?;
        let url = root.repo_url.clone().filter(|_| repo == root.path)?;
        Some((url, root.branch.clone(), repo))
    }

    /// `https://github.com/org/repo/blob/main/x/catalog-info.yaml` → the local file, when a
    /// root has that `repo_url`. The branch in the URL is ignored: the checkout is what is built.
    pub fn local_path_for_url(&self, url: &str) -> Option<PathBuf> {
        let url = url.trim();
        let (root, rest) = url
            .match_indices('/')
            .map(|(i, _)| i)
            .chain([url.len()])
            .rev()
            .find_map(|end| {
                let i = *self.by_url.get(&url[..end])?;
                Some((&self.roots[i], url[end..].trim_start_matches('/')))
            })?;
        let rest = rest.strip_prefix("-/").unwrap_or(rest);
        let path = ["blob/", "tree/", "edit/", "raw/"]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
            .or((rest.is_empty()).then_some(""))?;
        let inner = path.split_once('/').map_or("", |(_branch, inner)| inner);
        Some(fsutil::normalize(
            &root.path.join(inner.trim_end_matches('/')),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(path: &Path, url: Option<&str>) -> Root {
        Root {
            path: path.to_path_buf(),
            repo_url: url.map(str::to_string),
            branch: "main".into(),
            trusted: false,
            recorded: None,
        }
    }

    #[test]
    fn repository_is_the_nearest_git_folder_or_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(d.join("mono/.git")).unwrap();
        std::fs::create_dir_all(d.join("mono/svc")).unwrap();
        std::fs::create_dir_all(d.join("plain/sub")).unwrap();
        let repos = Repos::new(&[root(&d, None)]);
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

    #[test]
    fn nested_roots_pick_the_deepest_and_dots_are_resolved() {
        let repos = Repos::new(&[
            root(Path::new("/w"), None),
            root(Path::new("/w/repos/a"), None),
        ]);
        assert_eq!(
            repos.root_of(Path::new("/w/repos/a/x.yaml")).unwrap().path,
            Path::new("/w/repos/a")
        );
        assert_eq!(
            repos.root_of(Path::new("/w/repos/b/x.yaml")).unwrap().path,
            Path::new("/w")
        );
        assert_eq!(
            repos.root_of(Path::new("/w/repos/a/../b/x")).unwrap().path,
            Path::new("/w")
        );
        assert!(repos.root_of(Path::new("/w/../etc/passwd")).is_none());
    }

    #[test]
    fn urls_map_to_checkouts() {
        let repos = Repos::new(&[
            root(Path::new("/w/a"), Some("https://github.com/o/a")),
            root(Path::new("/w/ab"), Some("https://github.com/o/ab/")),
        ]);
        assert_eq!(
            repos
                .local_path_for_url("https://github.com/o/a/blob/main/x/c.yaml")
                .unwrap(),
            Path::new("/w/a/x/c.yaml")
        );
        assert_eq!(
            repos
                .local_path_for_url("https://github.com/o/ab/tree/dev/docs/")
                .unwrap(),
            Path::new("/w/ab/docs")
        );
        assert_eq!(
            repos
                .local_path_for_url("https://github.com/o/ab/-/blob/main/y")
                .unwrap(),
            Path::new("/w/ab/y")
        );
        assert_eq!(
            repos.local_path_for_url("https://github.com/o/a").unwrap(),
            Path::new("/w/a")
        );
        assert!(
            repos
                .local_path_for_url("https://github.com/o/abc/blob/main/y")
                .is_none()
        );
        assert!(repos.local_path_for_url("https://example.org/x").is_none());
    }
}
