//! Write: the rendered files → the output folder, atomically. Everything goes into a staging
//! sibling first; only a complete site is swapped in, so a failed or killed build leaves the
//! previous site untouched. Refuses output folders it could damage.
//!
//! Which folders are stagedoor's is recorded beside the output (`public.stagedoor-output`
//! next to `public/`), not in it: everything inside the output is published, and a record
//! of how the site was built is no reader's business. The record holds the identity of the
//! site it vouches for (a hash of the folder's top level), so a folder deleted and made
//! again by hand under the same name is not mistaken for stagedoor's.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use crate::output::{Content, OutputFile};
pub use lock::{OutputLock, lock_output};
use rayon::prelude::*;
pub use reuse::Placed;
use reuse::Reuse;

mod lock;
mod reuse;

/// The marker older versions left inside the output; a folder holding it is still taken as
/// stagedoor's (and the next build, which writes no marker inside, drops it).
pub const LEGACY_MARKER: &str = ".stagedoor-output";

/// Suffix of the ownership record beside the output folder: `public.stagedoor-output`.
const RECORD_SUFFIX: &str = ".stagedoor-output";

/// Where the ownership record of `out` lives: beside it, named after it.
pub fn ownership_record(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!("{name}{RECORD_SUFFIX}")))
}

/// Whether `out` holds a site stagedoor wrote (and nobody replaced since).
pub fn is_ours(out: &Path) -> bool {
    out.join(LEGACY_MARKER).is_file() || is_recorded(out, out)
}

/// Whether the record of `out` vouches for the site in `dir` (`out` itself, or the previous
/// site a killed build moved aside).
fn is_recorded(out: &Path, dir: &Path) -> bool {
    let Some(record) = ownership_record(out).and_then(|r| fs::read_to_string(r).ok()) else {
        return false;
    };
    identity(dir).is_some_and(|id| record.lines().any(|l| l == id))
}

/// A site's identity: a hash of the names at its top level and the bytes of the files
/// there (the home page, 404 page, catalog.json…), which every build writes and a folder
/// made by hand does not share. Reading only the top level keeps it cheap for big sites.
fn identity(dir: &Path) -> Option<String> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    let mut h = blake3::Hasher::new();
    for e in entries {
        h.update(e.file_name().as_encoded_bytes());
        h.update(b"\0");
        if e.file_type().ok()?.is_file() {
            h.update(&fs::read(e.path()).ok()?);
        }
        h.update(b"\0");
    }
    Some(h.finalize().to_hex().to_string())
}

/// Writes the record of `out`, listing the identities of the sites it vouches for, through
/// a temporary file so that it is never half written.
fn write_record(out: &Path, ids: &[String]) -> Result<()> {
    let record = ownership_record(out).context("output folder has no name")?;
    let tmp = out.with_file_name(format!(
        "{}.stagedoor-record-{}",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let text = format!(
        "# The output folder beside this file was written by stagedoor, which replaces it on\n# every build; these identify its sites.\n{}\n",
        ids.join("\n")
    );
    fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, &record).with_context(|| format!("writing {}", record.display()))
}

/// Checks that `out` is a folder stagedoor may (re)write: not `/`, not the home folder, not
/// a folder holding the input, and either empty, missing, or written by stagedoor before.
pub fn check_output_dir(out: &Path, inputs: &[&Path], force: bool) -> Result<()> {
    let resolved = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    if resolved.parent().is_none() {
        bail!(
            "refusing to write the site into {}: that is the file-system root",
            out.display()
        );
    }
    // Not even with --force: replacing the folder deletes everything in it.
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && home.canonicalize().is_ok_and(|h| h.starts_with(&resolved))
    {
        bail!(
            "refusing to write the site into {}: it is or holds your home folder {}",
            out.display(),
            home.display()
        );
    }
    for input in inputs {
        let input = input.canonicalize().unwrap_or_else(|_| input.to_path_buf());
        if input.starts_with(&resolved) {
            bail!(
                "refusing to write the site into {}: it contains the input {}; choose another --out",
                out.display(),
                input.display()
            );
        }
    }
    let not_ours = resolved.is_dir()
        && !is_ours(out)
        && fs::read_dir(&resolved).is_ok_and(|mut d| d.next().is_some());
    if not_ours && !force {
        bail!(
            "refusing to replace {}: it is not empty and is not the site stagedoor wrote there (no {name}{RECORD_SUFFIX} beside it names it); pass --force to replace it",
            out.display(),
            name = out.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    Ok(())
}

/// Writes every file into a staging folder next to `out`, then swaps it in.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<Placed> {
    let staging = Staging::begin(out)?;
    staging.put(files)?;
    staging.commit()
}

/// A site being written: files go into a sibling folder as they are rendered, and `commit`
/// swaps the finished folder in. Dropped without `commit`, the folder is removed and `out`
/// stays as it was.
pub struct Staging {
    out: PathBuf,
    /// `out`'s file name, which the staging folder and the swap are named after.
    name: String,
    dir: PathBuf,
    /// Redirect stubs, written at the end where no real file took their path.
    aliases: std::sync::Mutex<Vec<OutputFile>>,
    /// The current site's files, to link those whose bytes are written again.
    reuse: Reuse,
    /// Folders of the staging folder made so far: most files share theirs with others,
    /// and `create_dir_all` asks the file system each time.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging> {
        let parent = out.parent().context("output folder has no parent")?;
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = (out.file_name().context("output folder has no name")?)
            .to_string_lossy()
            .into_owned();
        let dir = parent.join(format!("{name}.stagedoor-tmp-{}", std::process::id()));
        recover_interrupted(out, parent, &name);
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("removing stale {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            name,
            dir,
            aliases: std::sync::Mutex::new(Vec::new()),
            reuse: Reuse::new(out),
            folders: Default::default(),
            committed: false,
        })
    }

    /// Writes files (in parallel); redirect stubs wait for `commit`.
    pub fn put(&self, files: &[OutputFile]) -> Result<()> {
        let (aliases, real): (Vec<&OutputFile>, Vec<&OutputFile>) =
            files.iter().partition(|f| f.is_alias);
        if let Ok(mut a) = self.aliases.lock() {
            a.extend(aliases.into_iter().cloned());
        }
        real.par_iter().try_for_each(|f| self.place(f))
    }

    /// Puts one file in the staging folder: linked when the current site has its bytes.
    fn place(&self, f: &OutputFile) -> Result<()> {
        let target = join_checked(&self.dir, f)?;
        if let Some(folder) = target.parent() {
            let made = self.folders.lock().is_ok_and(|m| m.contains(folder));
            if !made {
                make_folder(folder)?;
                if let Ok(mut m) = self.folders.lock() {
                    m.insert(folder.to_path_buf());
                }
            }
        }
        self.reuse
            .place(f, &target, || write_content(&target, &f.content))
    }

    /// Writes the stubs, then swaps the folder in for `out`. The ownership record names both
    /// the previous and the new site while the swap runs, so a build killed at any point
    /// leaves a site the next build recognises as its own. Then lists the new site's files
    /// for the next build to link.
    pub fn commit(mut self) -> Result<Placed> {
        let aliases = std::mem::take(
            &mut *self
                .aliases
                .lock()
                .map_err(|_| anyhow::anyhow!("poisoned"))?,
        );
        for f in &aliases {
            if !self.dir.join(&f.path).exists() {
                self.place(f)?;
            }
        }
        let new = identity(&self.dir).context("reading the new site")?;
        let previous = (is_recorded(&self.out, &self.out))
            .then(|| identity(&self.out))
            .flatten();
        let both: Vec<String> = previous.into_iter().chain([new.clone()]).collect();
        write_record(&self.out, &both)?;
        swap_in(&self.dir, &self.out, &self.name)?;
        self.committed = true;
        write_record(&self.out, &[new])?;
        self.reuse.save();
        Ok(self.reuse.placed())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Tidies up after builds that were killed: their half-written staging folders are removed,
/// and a previous site that was moved aside but never replaced is moved back. Only folders of
/// processes that are gone are touched (a build running beside this one keeps its own).
fn recover_interrupted(out: &Path, parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, pid)) = file_name
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(".stagedoor-"))
            .and_then(|rest| rest.split_once('-'))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !crate::fsutil::process_is_gone(pid) {
            continue;
        }
        let path = entry.path();
        let was_ours = path.join(LEGACY_MARKER).is_file() || is_recorded(out, &path);
        if kind == "old" && !out.exists() && was_ours {
            let _ = fs::rename(&path, out);
        } else if kind == "tmp" || kind == "old" {
            let _ = fs::remove_dir_all(&path);
        } else if kind == "record" || kind == "files" {
            let _ = fs::remove_file(&path);
        }
    }
}

pub fn write_one(dir: &Path, f: &OutputFile) -> Result<()> {
    write_content(&target_of(dir, f)?, &f.content).map(|_| ())
}

/// Where `f` goes below `dir`, its folder made.
fn target_of(dir: &Path, f: &OutputFile) -> Result<PathBuf> {
    let target = join_checked(dir, f)?;
    if let Some(p) = target.parent() {
        make_folder(p)?;
    }
    Ok(target)
}

fn join_checked(dir: &Path, f: &OutputFile) -> Result<PathBuf> {
    safe_join(dir, &f.path).with_context(|| format!("output path {:?} leaves the site", f.path))
}

fn make_folder(p: &Path) -> Result<()> {
    fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))
}

/// Writes `content` to `target`; the written file's metadata (None when it cannot be
/// read), from the open file rather than by its path again.
fn write_content(target: &Path, content: &Content) -> Result<Option<fs::Metadata>> {
    match content {
        Content::Bytes(b) => {
            let file = fs::File::create(target).and_then(|mut file| {
                std::io::Write::write_all(&mut file, b)?;
                Ok(file)
            });
            let file = file.with_context(|| format!("writing {}", target.display()))?;
            Ok(file.metadata().ok())
        }
        Content::Copy(src) => {
            fs::copy(src, target)
                .with_context(|| format!("copying {} to {}", src.display(), target.display()))?;
            Ok(fs::symlink_metadata(target).ok())
        }
    }
}

/// Joins a site-relative path, refusing absolute paths and `..`.
pub fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    let ok = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    ok.then(|| dir.join(rel))
}

/// Replaces `out` with `staging`: rename the old site aside, rename the new one in, delete
/// the old one. Between the two renames `out` is briefly absent, never half-written.
fn swap_in(staging: &Path, out: &Path, name: &str) -> Result<()> {
    let old = out.with_file_name(format!("{name}.stagedoor-old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old)
            .with_context(|| format!("moving the previous site {} aside", out.display()))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(e).with_context(|| format!("moving the new site into {}", out.display()));
    }
    if had_old {
        fs::remove_dir_all(&old)
            .with_context(|| format!("removing the previous site at {}", old.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("a/index.html", "one")]).unwrap();
        write_site(&out, &[OutputFile::bytes("b.html", "two")]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let mut beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        beside.sort();
        assert_eq!(
            beside,
            [
                "public",
                "public.stagedoor-files",
                "public.stagedoor-output"
            ]
        );
    }

    /// A file changed in place after the build (by a post-processing step, say) is written
    /// again, even in the clock tick it was written in and with the same size.
    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_and_files_changed_in_place_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = |b: &str| {
            [
                OutputFile::bytes("a.html", "one"),
                OutputFile::bytes("b/c.html", b.to_string()),
            ]
        };
        let first = write_site(&out, &site("two")).unwrap();
        assert_eq!((first.written, first.linked), (2, 0));
        let inode =
            |rel: &str| std::os::unix::fs::MetadataExt::ino(&fs::metadata(out.join(rel)).unwrap());
        let a = inode("a.html");
        fs::write(out.join("b/c.html"), "TWO").unwrap();

        let second = write_site(&out, &site("two")).unwrap();
        assert_eq!((second.written, second.linked), (1, 1));
        assert_eq!(inode("a.html"), a, "linked: the same file");
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "two");

        let third = write_site(&out, &site("three")).unwrap();
        assert_eq!((third.written, third.linked), (1, 1));
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "three");
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("index.html", "good")]).unwrap();
        let bad = [
            OutputFile::bytes("x.html", "new"),
            OutputFile::copy("y.bin", dir.path().join("missing")),
        ];
        assert!(write_site(&out, &bad).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("repos")).unwrap();
        assert!(check_output_dir(Path::new("/"), &[&site], false).is_err());
        assert!(check_output_dir(&site, &[&site.join("repos")], false).is_err());
        let foreign = dir.path().join("foreign");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("thesis.tex"), "x").unwrap();
        assert!(check_output_dir(&foreign, &[&site], false).is_err());
        assert!(check_output_dir(&foreign, &[&site], true).is_ok());
        assert!(check_output_dir(&site.join("public"), &[&site.join("repos")], false).is_ok());
    }

    /// Regression: a build killed mid-write left `public.stagedoor-tmp-<pid>` behind for good,
    /// and one killed between the two renames left no `public` at all.
    #[test]
    fn leftovers_of_killed_builds_are_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No process has a pid this large (Linux caps pids at 2^22).
        let dead = 4_000_000_000u32;
        let half = dir.path().join(format!("public.stagedoor-tmp-{dead}"));
        fs::create_dir_all(&half).unwrap();
        fs::write(half.join("x.html"), "half").unwrap();
        let old = dir.path().join(format!("public.stagedoor-old-{dead}"));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        // The record named the previous site while the killed build swapped.
        write_record(&out, &[identity(&old).unwrap()]).unwrap();
        let record_tmp = dir.path().join(format!("public.stagedoor-record-{dead}"));
        fs::write(&record_tmp, "half").unwrap();
        // pid 1 always runs: a build of another process is left alone.
        let running = dir.path().join("public.stagedoor-tmp-1");
        fs::create_dir_all(&running).unwrap();
        let staging = Staging::begin(&out).unwrap();
        assert!(!half.exists());
        assert!(!old.exists());
        assert!(!record_tmp.exists());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(running.exists(), "a running build's staging folder stays");
        drop(staging);
    }

    /// Nothing about ownership is published: the record lives beside the output, and it
    /// vouches only for the site it was written with.
    #[test]
    fn ownership_is_recorded_beside_the_output_not_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = tempfile::tempdir().unwrap();
        write_site(&out, &[OutputFile::bytes("index.html", "home")]).unwrap();
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["index.html"]);
        assert!(dir.path().join("public.stagedoor-output").is_file());
        assert!(is_ours(&out));
        assert!(check_output_dir(&out, &[site.path()], false).is_ok());
        write_site(&out, &[OutputFile::bytes("index.html", "two")]).unwrap();
        assert!(is_ours(&out), "the record follows each new site");
        // Deleted and made again by hand: the record beside it does not vouch for it.
        fs::remove_dir_all(&out).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("thesis.tex"), "precious").unwrap();
        assert!(!is_ours(&out));
        assert!(check_output_dir(&out, &[site.path()], false).is_err());
        // A site written by an older version, with the marker inside, is still ours.
        fs::write(out.join(LEGACY_MARKER), "").unwrap();
        assert!(check_output_dir(&out, &[site.path()], false).is_ok());
    }

    #[test]
    fn paths_cannot_leave_the_output() {
        assert!(safe_join(Path::new("/o"), "../x").is_none());
        assert!(safe_join(Path::new("/o"), "/etc/x").is_none());
        assert!(safe_join(Path::new("/o"), "a/b.html").is_some());
    }
}
