//! Small file-system helpers every stage shares: bounded reads with errors that name the
//! file, and the confinement checks that keep paths inside their repository.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("file is {}, over the {} limit", megabytes(*size), megabytes(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("file is not valid UTF-8 (line {line}, byte {byte})")]
    NotUtf8 { line: usize, byte: usize },
}

impl ReadError {
    /// What the user can do about it, for a diagnostic's hint.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ReadError::TooLarge { .. } => {
                Some("split the file, or keep large data out of the repository's docs and catalog")
            }
            ReadError::NotUtf8 { .. } => {
                Some("save the file as UTF-8 (Latin-1 and UTF-16 are not read)")
            }
            ReadError::Io(_) => None,
        }
    }

    /// The 1-based line the problem is on, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ReadError::NotUtf8 { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// `10 MiB`, `0.1 MiB`: sizes for messages, in the binary megabytes the limits are set in.
pub fn megabytes(bytes: u64) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib.fract() == 0.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

/// Reads a text file of at most `limit` bytes. The size is checked before reading, and the
/// read itself is bounded too, so a file that grows meanwhile cannot exhaust memory.
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bytes_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count();
        ReadError::NotUtf8 { line, byte }
    })
}

/// Reads a file of at most `limit` bytes, checked before and while reading.
pub fn read_bytes_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Resolves `.` and `..` without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `path`, with `..` resolved lexically, lies inside `root` (or is `root`).
pub fn lexically_inside(path: &Path, root: &Path) -> bool {
    normalize(path).starts_with(normalize(root))
}

/// Whether an already canonical path lies inside `root` (canonicalised here when needed).
pub fn real_inside(real: &Path, root: &Path) -> bool {
    real.starts_with(root) || root.canonicalize().is_ok_and(|r| real.starts_with(r))
}

/// Canonical form of a path inside `root`: None when it does not exist or resolves (through
/// symlinks) to somewhere outside `root`.
pub fn confined(path: &Path, root: &Path) -> Option<PathBuf> {
    if !lexically_inside(path, root) {
        return None;
    }
    let real = path.canonicalize().ok()?;
    real_inside(&real, root).then_some(real)
}

/// Real paths of many files in few folders, each folder resolved once: a realpath costs a
/// readlink per path component, a file that is no symbolic link only an lstat.
#[derive(Default)]
pub struct RealPaths {
    folders: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl RealPaths {
    /// What `path.canonicalize()` gives, or None where it fails.
    pub fn of(&mut self, path: &Path) -> Option<PathBuf> {
        // A path with a file name ends in a plain component (`.` is normalised away, and a
        // path ending in `..` has no file name).
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize().ok();
        };
        let meta = fs::symlink_metadata(path).ok()?;
        if meta.file_type().is_symlink() || parent.as_os_str().is_empty() {
            return path.canonicalize().ok();
        }
        let folder = (self.folders.entry(parent.to_path_buf()))
            .or_insert_with(|| parent.canonicalize().ok());
        folder.as_ref().map(|f| f.join(name))
    }
}

/// A path with forward slashes, for URLs, globs and messages.
pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Whether no process `pid` runs (known only where /proc exists; elsewhere nothing is
/// assumed gone, so nothing is removed).
pub fn process_is_gone(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn real_paths_are_what_canonicalize_gives() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("real/sub")).unwrap();
        fs::write(d.join("real/sub/page.md"), "x").unwrap();
        fs::write(d.join("real/top.md"), "x").unwrap();
        symlink(d.join("real/sub"), d.join("linked")).unwrap();
        symlink(d.join("real/top.md"), d.join("real/sub/alias.md")).unwrap();
        symlink(d.join("nowhere.md"), d.join("real/dangling.md")).unwrap();
        let paths = [
            "real/sub/page.md",
            "real/top.md",
            "linked/page.md",
            "linked/alias.md",
            "real/sub/alias.md",
            "real/dangling.md",
            "real/missing.md",
            "real/sub/./page.md",
            "linked/../top.md",
            "real/sub/..",
            "real/sub",
            "linked",
        ];
        let mut real = RealPaths::default();
        for _ in 0..2 {
            for p in paths {
                let path = d.join(p);
                assert_eq!(real.of(&path), path.canonicalize().ok(), "{p}");
            }
        }
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert!(!lexically_inside(
            Path::new("/repo/x/../../etc"),
            Path::new("/repo")
        ));
        assert!(lexically_inside(
            Path::new("/repo/x/../y"),
            Path::new("/repo")
        ));
    }

    #[test]
    fn limited_reads_refuse_large_and_binary_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        fs::write(&big, vec![b'a'; 100]).unwrap();
        assert!(matches!(
            read_text_limited(&big, 10),
            Err(ReadError::TooLarge { .. })
        ));
        let bin = dir.path().join("bin");
        fs::write(&bin, [b'a', 0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_text_limited(&bin, 10),
            Err(ReadError::NotUtf8 { line: 1, byte: 1 })
        ));
        assert_eq!(read_text_limited(&big, 100).unwrap().len(), 100);
    }
}
