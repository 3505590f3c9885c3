//! The output lock: one build at a time writes an output folder. Two builds swapping their
//! sites into one folder at once could each move the other's aside, and a build reusing the
//! files of the current site (`reuse`) needs them to stay put while it links them. The lock
//! is an OS file lock on `public.stagedoor-lock` beside `public/`, so the OS releases it when
//! the build ends, however it ends (exit, Ctrl-C, kill -9); the file itself stays, because
//! removing it would let a later build lock a new file while a waiting one locks the old.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Suffix of the lock file beside the output folder: `public.stagedoor-lock`.
const LOCK_SUFFIX: &str = ".stagedoor-lock";

/// Held while a build writes its output folder; dropping it (or the process ending)
/// releases the lock.
pub struct OutputLock {
    _file: Option<File>,
}

/// Where the lock of `out` lives: beside it, named after it.
pub fn lock_path(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!("{name}{LOCK_SUFFIX}")))
}

/// Locks `out` for this process, waiting for the build that holds it; `waiting` is called
/// first, with that build's process id when it is known. Where the file system has no locks
/// (some network file systems), the build goes on unlocked, as builds did before the lock.
pub fn lock_output(out: &Path, waiting: impl FnOnce(Option<u32>)) -> Result<OutputLock> {
    let path = lock_path(out).context("output folder has no name")?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("opening the lock {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting(holder(&mut file));
            file.lock()
                .with_context(|| format!("waiting for the lock {}", path.display()))?;
        }
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            return Ok(OutputLock { _file: None });
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", path.display()));
        }
    }
    // For the message of the next build that has to wait; a lock without it works as well.
    let _ = note_holder(&mut file);
    Ok(OutputLock { _file: Some(file) })
}

/// The process id the holder of the lock wrote into it.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn note_holder(file: &mut File) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    write!(file, "{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first_and_learns_its_pid() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = lock_output(&out, |_| panic!("nobody holds it")).unwrap();
        assert!(dir.path().join("public.stagedoor-lock").is_file());
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let second = lock_output(&out, |pid| tx.send(pid).unwrap());
            second.is_ok()
        });
        // The second waits (a lock of another open file description, like another process's).
        let pid = rx.recv().unwrap();
        assert_eq!(pid, Some(std::process::id()));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiter.is_finished());
        drop(first);
        assert!(waiter.join().unwrap());
    }
}
