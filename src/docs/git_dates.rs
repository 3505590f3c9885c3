//! "Last updated" dates: for every page of every prepared site, the date of the last commit
//! that touched its file, like mkdocs-material's git-revision-date plugin. One `git log`
//! per repository (not one per page), repositories in parallel; no dates where the
//! repository is not a git checkout or git is missing. A bundled repository (no checkout
//! here) brings the dates git gave where it was bundled (`recorded_dates`).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rayon::prelude::*;

use super::site::Prepared;

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
    let found: Vec<Vec<(usize, usize, String)>> = by_repository(prepared)
        .par_iter()
        .map(|(repo, (dirs, wanted))| match recorded.get(repo) {
            Some(dates) => recorded_dates(dates, wanted),
            None => last_commit_dates(repo, dirs, wanted),
        })
        .collect();
    for (site, page, date) in found.into_iter().flatten() {
        dates[site][page] = Some(date);
    }
    dates
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
    last_commit_dates(repo, &[".".to_string()], &wanted)
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

/// Reads `git log --name-only` newest first and keeps each wanted file's first date; stops
/// reading (and ends git) once every wanted file has one, so an old repository's long
/// history is not walked to its end.
fn last_commit_dates(repo: &Path, dirs: &[String], wanted: &Wanted) -> Vec<(usize, usize, String)> {
    let mut cmd = Command::new("git");
    cmd.arg("-c")
        .arg("core.quotepath=off")
        .arg("-C")
        .arg(repo)
        .args(["log", "--format=%x00%cs", "--name-only", "--relative", "--"])
        // Literal pathspecs: a folder named `*` or `:x` means itself.
        .args(dirs.iter().map(|d| format!(":(literal){d}")))
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
