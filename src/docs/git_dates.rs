//! "Last updated" dates: for every page of every prepared site, the date of the last commit
//! that touched its file, like mkdocs-material's git-revision-date plugin. One `git log`
//! per repository (not one per page), repositories in parallel; no dates where the
//! repository is not a git checkout or git is missing, and no `git log` where the repository
//! lies in an enclosing checkout that tracks none of its docs (`Enclosing`: each such checkout
//! is listed once, not once per repository). A bundled repository (no checkout here) brings
//! the dates git gave where it was bundled (`recorded_dates`).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::{Scope, ScopedJoinHandle};

use super::site::Prepared;
use crate::parallel::{joined, map_on_own_threads};

/// Where a file's date goes: (site, page).
type Wanted = HashMap<String, Vec<(usize, usize)>>;

/// Dates per site, per page (`YYYY-MM-DD`), `None` where git knows no commit for the file.
pub fn page_dates(
    prepared: &[Prepared],
    recorded: &HashMap<PathBuf, BTreeMap<String, String>>,
) -> Vec<Vec<Option<String>>> {
    let mut dates: Vec<Vec<Option<String>>> = prepared
        .iter()
        .map(|p| vec![None; p.files.pages.len()])
        .collect();
    let repos = by_repository(prepared);
    let enclosing = Enclosing::of(repos.keys().filter(|r| !recorded.contains_key(*r)));
    let repos: Vec<_> = repos.iter().collect();
    let found = map_on_own_threads(
        &repos,
        git_threads(),
        |(repo, (dirs, wanted))| match recorded.get(*repo) {
            Some(dates) => recorded_dates(dates, wanted),
            None => last_commit_dates(repo, dirs, wanted, enclosing.tracks_any(repo, dirs)),
        },
    );
    for (site, page, date) in found.into_iter().flatten() {
        dates[site][page] = Some(date);
    }
    dates
}

/// How many `git` processes run at once: one per core (each is busy while it runs), on
/// threads of their own: pages are rendered on the pool's meanwhile, and a finished site
/// waits for its dates on one of them (`DatesAhead`).
fn git_threads() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// Dates per site, per page, as `page_dates` finds them.
type SiteDates = Vec<Vec<Option<String>>>;

/// `page_dates` asked on a thread of its own: git runs as child processes, and pages render
/// meanwhile; a site waits for the answer only once its own pages are rendered.
pub struct DatesAhead<'scope> {
    asking: Mutex<Option<ScopedJoinHandle<'scope, SiteDates>>>,
    found: OnceLock<SiteDates>,
}

impl<'scope> DatesAhead<'scope> {
    pub fn ask<'env>(
        scope: &'scope Scope<'scope, 'env>,
        prepared: &'env [Prepared],
        recorded: &'env HashMap<PathBuf, BTreeMap<String, String>>,
    ) -> DatesAhead<'scope> {
        DatesAhead {
            asking: Mutex::new(Some(scope.spawn(|| page_dates(prepared, recorded)))),
            found: OnceLock::new(),
        }
    }

    /// No dates for any page (`check` asks git nothing).
    pub fn none() -> DatesAhead<'scope> {
        DatesAhead {
            asking: Mutex::new(None),
            found: OnceLock::from(Vec::new()),
        }
    }

    /// The dates of `site`'s pages, waiting for git if it has not answered yet.
    pub fn of_site(&self, site: usize) -> Vec<Option<String>> {
        let found = self.found.get_or_init(|| {
            let asking = self
                .asking
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            asking.map_or_else(Vec::new, joined)
        });
        found.get(site).cloned().unwrap_or_default()
    }
}

/// The sites grouped by repository: each repository's docs folders (as pathspecs relative
/// to it) and the pages wanted from it, by repository-relative path.
fn by_repository(prepared: &[Prepared]) -> BTreeMap<PathBuf, (Vec<String>, Wanted)> {
    let mut repos: BTreeMap<PathBuf, (Vec<String>, Wanted)> = BTreeMap::new();
    for (si, p) in prepared.iter().enumerate() {
        let Some(dir) = repo_relative(&p.repo, &p.config.docs_dir) else {
            continue;
        };
        let (dirs, wanted) = repos.entry(p.repo.clone()).or_default();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        for (pi, f) in p.files.pages.iter().enumerate() {
            if let Some(rel) = repo_relative(&p.repo, &f.src).filter(|_| !f.synthetic) {
                wanted.entry(rel).or_default().push((si, pi));
            }
        }
    }
    repos
}

/// The wanted files' dates from a bundle's record.
fn recorded_dates(
    dates: &BTreeMap<String, String>,
    wanted: &Wanted,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (file, places) in wanted {
        if let Some(date) = dates.get(file) {
            out.extend(places.iter().map(|&(s, p)| (s, p, date.clone())));
        }
    }
    out
}

/// Each of `files` (repository-relative, `/`-separated) → the date of the last commit
/// touching it, as `page_dates` would find it in the checkout `repo` (for a bundle). Files
/// git knows no commit for are left out.
pub fn file_dates(repo: &Path, files: &[String]) -> BTreeMap<String, String> {
    if files.is_empty() {
        return BTreeMap::new();
    }
    let wanted: Wanted = (files.iter().enumerate())
        .map(|(i, f)| (f.clone(), vec![(0, i)]))
        .collect();
    last_commit_dates(repo, &[".".to_string()], &wanted, None)
        .into_iter()
        .map(|(_, i, date)| (files[i].clone(), date))
        .collect()
}

/// `path` relative to `repo` with `/` separators, as git prints it.
fn repo_relative(repo: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(repo).ok()?;
    let parts: Vec<&str> = rel.iter().map(|c| c.to_str()).collect::<Option<_>>()?;
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// Whether a checkout tracks anything in `dirs`, asked only of a repository without a `.git`
/// of its own: one lying inside an enclosing checkout (a generated corpus under `target/`)
/// that does not track it would otherwise have `git log` walk that checkout's whole history
/// to find nothing. A repository with its own `.git` is its checkout's root and is asked
/// directly (its history is its own).
fn tracks_any(repo: &Path, dirs: &[String]) -> bool {
    if repo.join(".git").exists() {
        return true;
    }
    if !in_a_checkout(repo) {
        return false;
    }
    let listed = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["ls-files", "-z", "--"])
        .args(literal_specs(dirs))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    // Not a checkout, or no git: nothing to ask `git log` either.
    listed.is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// The checkouts that hold repositories without a `.git` of their own (a monorepo's services,
/// a corpus generated inside a checkout), each listed once: which of those repositories'
/// docs they track is then looked up, where it took a `git ls-files` per repository.
#[derive(Default)]
struct Enclosing {
    /// Checkout root → the files it tracks, relative to it, sorted (None: git could not
    /// list them).
    tracked: HashMap<PathBuf, Option<Vec<String>>>,
}

impl Enclosing {
    fn of<'a>(repos: impl Iterator<Item = &'a PathBuf>) -> Enclosing {
        if std::env::var_os("GIT_DIR").is_some() {
            // git would not look for `.git` folders: every repository is asked as it was.
            return Enclosing::default();
        }
        let mut roots: Vec<&Path> = repos
            .filter(|r| !r.join(".git").exists())
            .filter_map(|r| r.ancestors().find(|a| a.join(".git").exists()))
            .collect();
        roots.sort();
        roots.dedup();
        let tracked = map_on_own_threads(&roots, git_threads(), |root| {
            (root.to_path_buf(), tracked_files(root))
        });
        let tracked = tracked.into_iter().collect();
        Enclosing { tracked }
    }

    /// Whether the checkout enclosing `repo` tracks anything in its `dirs`; None when that is
    /// not known here (the repository is a checkout's root, or its checkout could not be
    /// listed), and git is to be asked.
    fn tracks_any(&self, repo: &Path, dirs: &[String]) -> Option<bool> {
        // The nearest checkout above (a repository's own `.git` is looked for by `of`).
        let (root, files) = repo
            .ancestors()
            .find_map(|a| Some((a, self.tracked.get(a)?)))?;
        let files = files.as_ref().filter(|_| repo != root)?;
        let rel = repo_relative(root, repo)?;
        Some(dirs.iter().any(|dir| {
            let folder = match dir.as_str() {
                "." => format!("{rel}/"),
                d => format!("{rel}/{d}/"),
            };
            let at = files.partition_point(|f| f.as_str() < folder.as_str());
            files.get(at).is_some_and(|f| f.starts_with(&folder))
        }))
    }
}

/// Every file the checkout at `root` tracks, sorted; None if git cannot list it.
fn tracked_files(root: &Path) -> Option<Vec<String>> {
    let listed = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let mut files: Vec<String> = (listed.stdout.split(|&b| b == 0))
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    files.sort_unstable();
    Some(files)
}

/// Whether git could find a checkout at `repo` the way git looks for one: a `.git` (a folder,
/// or a file in worktrees and submodules) in it or a folder above it, or `GIT_DIR` set. A tree
/// that is no checkout (generated, unpacked from an archive) then starts no git at all, where
/// it started one per repository (at 500 pages, a quarter of the build).
fn in_a_checkout(repo: &Path) -> bool {
    std::env::var_os("GIT_DIR").is_some() || repo.ancestors().any(|a| a.join(".git").exists())
}

/// Literal pathspecs: a folder named `*` or `:x` means itself.
fn literal_specs(dirs: &[String]) -> impl Iterator<Item = String> + '_ {
    dirs.iter().map(|d| format!(":(literal){d}"))
}

/// Reads `git log --name-only` newest first and keeps each wanted file's first date; stops
/// reading (and ends git) once every wanted file has one, so an old repository's long
/// history is not walked to its end. `tracked`: whether a checkout tracks anything in `dirs`,
/// when that is known already (`Enclosing`); git is asked otherwise.
fn last_commit_dates(
    repo: &Path,
    dirs: &[String],
    wanted: &Wanted,
    tracked: Option<bool>,
) -> Vec<(usize, usize, String)> {
    if !tracked.unwrap_or_else(|| tracks_any(repo, dirs)) {
        return Vec::new();
    }
    let mut cmd = Command::new("git");
    cmd.arg("-c")
        .arg("core.quotepath=off")
        .arg("-C")
        .arg(repo)
        .args(["log", "--format=%x00%cs", "--name-only", "--relative", "--"])
        .args(literal_specs(dirs))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let Ok(mut child) = cmd.spawn() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let mut date = String::new();
        let mut seen = std::collections::HashSet::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(d) = line.strip_prefix('\0') {
                date = d.to_string();
            } else if let Some(places) = wanted.get(&line).filter(|_| !date.is_empty()) {
                if seen.insert(line.clone()) {
                    out.extend(places.iter().map(|&(s, p)| (s, p, date.clone())));
                }
                if seen.len() == wanted.len() {
                    break;
                }
            }
        }
    }
    // Ending git early is the point; its exit status says nothing we need (a folder that is
    // not a checkout simply printed nothing).
    let _ = child.kill();
    let _ = child.wait();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, "# Page\n").expect("write");
    }

    /// A checkout holding `tracked/docs/a.md` committed and `untracked/docs/b.md` not, the
    /// way a generated corpus lies untracked under `target/` in stagedoor's own checkout.
    #[test]
    fn only_repositories_a_checkout_tracks_are_asked_for_dates() {
        let top = tempfile::tempdir().expect("temp dir");
        let (tracked, untracked) = (top.path().join("tracked"), top.path().join("untracked"));
        write(&tracked.join("docs/a.md"));
        write(&untracked.join("docs/b.md"));
        git(top.path(), &["init", "-q"]);
        git(top.path(), &["add", "tracked"]);
        git(top.path(), &["commit", "-q", "-m", "first"]);
        let docs = ["docs".to_string()];

        assert!(tracks_any(&tracked, &docs));
        assert!(!tracks_any(&untracked, &docs));
        // The checkout's own root is asked directly.
        assert!(tracks_any(top.path(), &["untracked".to_string()]));

        let wanted = |file: &str| Wanted::from([(file.to_string(), vec![(0, 0)])]);
        let dates = last_commit_dates(&tracked, &docs, &wanted("docs/a.md"), None);
        assert_eq!(dates.len(), 1, "{dates:?}");
        assert!(last_commit_dates(&untracked, &docs, &wanted("docs/b.md"), None).is_empty());
    }

    /// The checkout around many repositories without a `.git` of their own is listed once,
    /// and each repository's docs are looked up in that list.
    #[test]
    fn a_checkout_holding_many_repositories_is_listed_once() {
        let top = tempfile::tempdir().expect("temp dir");
        let repo = |name: &str| top.path().join(name);
        for name in ["tracked", "track", "untracked"] {
            write(&repo(name).join("docs/a.md"));
        }
        write(&repo("tracked/src/lib.md"));
        git(top.path(), &["init", "-q"]);
        git(top.path(), &["add", "tracked"]);
        git(top.path(), &["commit", "-q", "-m", "first"]);
        let repos = [repo("tracked"), repo("track"), repo("untracked")];
        let enclosing = Enclosing::of(repos.iter());
        assert_eq!(enclosing.tracked.len(), 1);
        let dirs = |d: &str| vec![d.to_string()];
        // "track/docs/" is not a prefix of "tracked/docs/a.md".
        let cases = [
            ("tracked", "docs", true),
            ("tracked", ".", true),
            ("tracked", "doc", false),
            ("track", "docs", false),
            ("untracked", "docs", false),
        ];
        for (name, dir, tracked) in cases {
            let found = enclosing.tracks_any(&repo(name), &dirs(dir));
            assert_eq!(found, Some(tracked), "{name}/{dir}");
        }
        // What the listing says is not asked again, and the dates come from the checkout.
        let known = enclosing.tracks_any(&repo("tracked"), &dirs("docs"));
        let wanted = Wanted::from([("docs/a.md".to_string(), vec![(0, 0)])]);
        let dates = last_commit_dates(&repo("tracked"), &dirs("docs"), &wanted, known);
        assert_eq!(dates.len(), 1, "{dates:?}");
        // The checkout's own root is asked directly, as is a folder outside it.
        assert_eq!(enclosing.tracks_any(top.path(), &dirs("tracked")), None);
        let outside = tempfile::tempdir().expect("temp dir");
        assert_eq!(enclosing.tracks_any(outside.path(), &dirs("docs")), None);
    }

    #[test]
    fn a_folder_outside_any_checkout_is_not_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(&dir.path().join("docs/a.md"));
        assert!(!in_a_checkout(dir.path()) || std::env::var_os("GIT_DIR").is_some());
        assert!(!tracks_any(dir.path(), &["docs".to_string()]));
    }

    /// A worktree's or submodule's `.git` is a file naming the real one; a repository below
    /// the checkout's root has none of its own.
    #[test]
    fn a_git_file_or_a_checkout_above_counts() {
        let top = tempfile::tempdir().expect("temp dir");
        let repo = top.path().join("group/service");
        write(&repo.join("docs/a.md"));
        assert!(!in_a_checkout(&repo) || std::env::var_os("GIT_DIR").is_some());
        std::fs::write(top.path().join(".git"), "gitdir: /elsewhere\n").expect("write");
        assert!(in_a_checkout(&repo));
    }
}
