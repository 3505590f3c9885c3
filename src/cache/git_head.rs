//! What a checkout's history is, as far as the build can see it: pages show the date of the
//! last commit touching their file (`docs::git_dates` runs `git log` from HEAD), so a commit
//! that changes no file still changes the site, while staging files or moving the index
//! changes nothing. The fingerprint therefore takes the commit HEAD names, read from the
//! files git keeps (HEAD, loose refs, `packed-refs`; a worktree's or submodule's `.git` file
//! points to its git folder), and the shallow and grafts lists, which cut the history
//! `git log` walks (a shallow CI clone shows other dates than a full one).

use std::path::{Path, PathBuf};

/// Symbolic refs are followed this deep (git itself stops at 5).
const MAX_DEPTH: usize = 5;

/// The state of the checkout whose `.git` (folder or file) is `dot_git`, as bytes to hash:
/// HEAD's commit (or the ref it names when that has no commit yet), then the shallow and
/// grafts lists. Empty when `dot_git` is no git folder.
pub fn head_state(dot_git: &Path) -> Vec<u8> {
    let Some(git_dir) = git_dir(dot_git) else {
        return Vec::new();
    };
    let common = common_dir(&git_dir);
    let mut state = resolve_head(&git_dir, &common).into_bytes();
    for extra in ["shallow", "info/grafts"] {
        state.extend_from_slice(b"\n");
        state.extend(std::fs::read(common.join(extra)).unwrap_or_default());
    }
    state
}

/// The git folder: `.git` itself, or where its `gitdir:` line points.
fn git_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    let text = std::fs::read_to_string(dot_git).ok()?;
    let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
    Some(dot_git.parent()?.join(target))
}

/// Where branches live: a linked worktree's git folder names the main one in `commondir`.
fn common_dir(git_dir: &Path) -> PathBuf {
    std::fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf())
}

/// The commit id HEAD resolves to; `unborn <ref>` for a branch without commits, and for
/// refs this cannot read (reftable), the ref name and the reftable list.
fn resolve_head(git_dir: &Path, common: &Path) -> String {
    let mut value = read_trimmed(&git_dir.join("HEAD")).unwrap_or_default();
    for _ in 0..MAX_DEPTH {
        let Some(name) = value.strip_prefix("ref:").map(str::trim) else {
            return value;
        };
        match read_ref(git_dir, common, name) {
            Some(next) => value = next,
            None => {
                let tables = read_trimmed(&common.join("reftable/tables.list"));
                return format!("unborn {name} {}", tables.unwrap_or_default());
            }
        }
    }
    value
}

/// A ref's value: its loose file (per worktree, then shared), else its `packed-refs` line.
fn read_ref(git_dir: &Path, common: &Path, name: &str) -> Option<String> {
    // A ref name is a relative path of plain parts; anything else is no ref of ours to read.
    let plain = !name.is_empty()
        && (Path::new(name).components()).all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain {
        return None;
    }
    (read_trimmed(&git_dir.join(name)).filter(|v| !v.is_empty()))
        .or_else(|| read_trimmed(&common.join(name)).filter(|v| !v.is_empty()))
        .or_else(|| packed_ref(common, name))
}

fn packed_ref(common: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('^'))
        .find_map(|l| {
            let (id, r) = l.split_once(' ')?;
            (r.trim() == name).then(|| id.to_string())
        })
}

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn head(dot_git: &Path) -> String {
        String::from_utf8(head_state(dot_git)).unwrap()
    }

    #[test]
    fn head_resolves_through_loose_and_packed_refs() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs\n{A} refs/heads/main\n"),
        );
        assert!(head(&git).starts_with(A));
        write(&git.join("refs/heads/main"), &format!("{B}\n"));
        assert!(
            head(&git).starts_with(B),
            "a loose ref wins over packed-refs"
        );
        write(&git.join("HEAD"), &format!("{A}\n"));
        assert!(head(&git).starts_with(A), "a detached HEAD is the commit");
        write(&git.join("HEAD"), "ref: refs/heads/new\n");
        assert!(head(&git).starts_with("unborn refs/heads/new"));
        write(&git.join("shallow"), A);
        assert!(head(&git).contains(&format!("\n{A}")));
    }

    #[test]
    fn a_worktree_reads_head_of_its_own_and_branches_of_the_main_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main/.git");
        write(&main.join("refs/heads/topic"), &format!("{B}\n"));
        let wt_git = main.join("worktrees/wt");
        write(&wt_git.join("HEAD"), "ref: refs/heads/topic\n");
        write(&wt_git.join("commondir"), "../..\n");
        let wt = dir.path().join("wt");
        write(&wt.join(".git"), &format!("gitdir: {}\n", wt_git.display()));
        assert!(head(&wt.join(".git")).starts_with(B));
        assert_eq!(head(&dir.path().join("nothing/.git")), "");
    }
}
