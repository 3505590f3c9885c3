//! Files a stage is about to read, asked of the operating system a little ahead of their
//! reader. Sources the OS no longer caches (a CI runner's workspace, a machine that has
//! since read other things) come from disk; asked for ahead, that wait overlaps with the
//! work on the files before them instead of stalling a worker at every file.

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, Thread};
use std::time::Duration;

/// How many groups (docs sites) ahead of the furthest one reached the files are asked for:
/// enough to keep the disk busy while the workers are on the groups before, few enough
/// that what is read ahead is still cached when its turn comes.
const AHEAD: usize = 16;

/// What the work tells the thread reading ahead.
pub struct Progress {
    reached: AtomicUsize,
    stopped: AtomicBool,
    reader: OnceLock<Thread>,
}

impl Progress {
    /// Group `i` is being worked on: the groups up to `i + AHEAD` may be read.
    pub fn reached(&self, i: usize) {
        if self.reached.fetch_max(i + 1, Ordering::Relaxed) <= i {
            self.wake_reader();
        }
    }

    fn wake_reader(&self) {
        if let Some(reader) = self.reader.get() {
            reader.unpark();
        }
    }

    /// Whether group `i` may be read now; waits (woken by `reached`) until it may, or
    /// `None` once the work is over.
    fn wait_for(&self, i: usize) -> Option<()> {
        loop {
            if self.stopped.load(Ordering::Relaxed) {
                return None;
            }
            if i < self.reached.load(Ordering::Relaxed) + AHEAD {
                return Some(());
            }
            // The timeout only guards against a wake-up missed before `reader` was set.
            thread::park_timeout(Duration::from_millis(20));
        }
    }
}

/// Runs `work`, while another thread asks the OS for the files of group 0, 1, … in order
/// (`files(i)`), staying within `AHEAD` groups of the furthest group `work` has reported
/// through `Progress::reached`. Reading ahead stops when `work` returns.
pub fn while_working<'a, R>(
    groups: usize,
    files: impl Fn(usize) -> Vec<&'a Path> + Sync,
    work: impl FnOnce(&Progress) -> R,
) -> R {
    ahead_with(groups, files, ask, work)
}

fn ahead_with<'a, R>(
    groups: usize,
    files: impl Fn(usize) -> Vec<&'a Path> + Sync,
    ask: impl Fn(&Path) + Sync,
    work: impl FnOnce(&Progress) -> R,
) -> R {
    let progress = Progress {
        reached: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        reader: OnceLock::new(),
    };
    thread::scope(|s| {
        let reader = s.spawn(|| {
            for i in 0..groups {
                if progress.wait_for(i).is_none() {
                    return;
                }
                files(i).into_iter().for_each(&ask);
            }
        });
        let _ = progress.reader.set(reader.thread().clone());
        // Also when `work` panics: the scope waits for the reader before passing it on.
        let _stop = StopOnDrop(&progress);
        work(&progress)
    })
}

struct StopOnDrop<'a>(&'a Progress);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stopped.store(true, Ordering::Relaxed);
        self.0.wake_reader();
    }
}

/// Asks the OS to start reading the file into its cache, without waiting for it; a file
/// that cannot be opened is left to its reader to report.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
pub fn ask(path: &Path) {
    if let Ok(file) = std::fs::File::open(path) {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
    }
}

/// Without a way to ask, the file is read (into nothing): what the OS reads stays cached.
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
pub fn ask(path: &Path) {
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = std::io::copy(&mut file, &mut std::io::sink());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Mutex;
    use std::time::Instant;

    fn groups_of_two(n: usize) -> Vec<Vec<PathBuf>> {
        (0..n)
            .map(|i| vec![format!("g{i}/a.md").into(), format!("g{i}/b.md").into()])
            .collect()
    }

    fn group_of(path: &Path) -> usize {
        let first = path.components().next().expect("a group folder");
        let name = first.as_os_str().to_string_lossy();
        name.trim_start_matches('g')
            .parse()
            .expect("a group number")
    }

    #[test]
    fn files_are_asked_for_in_order_and_never_far_ahead_of_the_work() {
        let groups = groups_of_two(300);
        // Furthest group reported + 1, raised before `Progress` hears of it.
        let reported = AtomicUsize::new(0);
        let asked: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
        let files = |i: usize| groups[i].iter().map(PathBuf::as_path).collect();
        let ask = |path: &Path| {
            let limit = reported.load(Ordering::SeqCst) + AHEAD;
            assert!(
                group_of(path) < limit,
                "{path:?} asked for past group {limit}"
            );
            asked.lock().expect("not poisoned").push(path.to_path_buf());
        };
        let out = ahead_with(groups.len(), files, ask, |progress| {
            for i in 0..groups.len() {
                reported.fetch_max(i + 1, Ordering::SeqCst);
                progress.reached(i);
                thread::sleep(Duration::from_micros(200));
            }
            let start = Instant::now();
            while asked.lock().expect("not poisoned").len() < 600 {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "reading ahead stalled"
                );
                thread::sleep(Duration::from_millis(1));
            }
            "done"
        });
        assert_eq!(out, "done");
        let asked = asked.into_inner().expect("not poisoned");
        assert_eq!(asked, groups.concat());
    }

    #[test]
    fn reading_ahead_ends_with_the_work() {
        let groups = groups_of_two(100_000);
        let asked = AtomicUsize::new(0);
        let files = |i: usize| groups[i].iter().map(PathBuf::as_path).collect();
        let ask = |_: &Path| {
            asked.fetch_add(1, Ordering::SeqCst);
        };
        let start = Instant::now();
        let out = ahead_with(groups.len(), files, ask, |_| 7);
        assert_eq!(out, 7);
        // Nothing reported: at most the first groups were asked for, and nothing waited.
        assert!(asked.load(Ordering::SeqCst) <= 2 * AHEAD);
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_panic_in_the_work_ends_reading_ahead_and_reaches_the_caller() {
        let (done, finished) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let groups = groups_of_two(100_000);
            let files = |i: usize| groups[i].iter().map(PathBuf::as_path).collect();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                ahead_with(groups.len(), files, |_| {}, |_| -> () { panic!("a bug") })
            }));
            let _ = done.send(result.is_err());
        });
        let panicked = finished.recv_timeout(Duration::from_secs(10));
        assert_eq!(
            panicked,
            Ok(true),
            "the panic is passed on, not waited on forever"
        );
    }

    #[test]
    fn the_os_is_asked_for_real_files_and_missing_ones_are_left_to_their_reader() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let page = dir.path().join("page.md");
        std::fs::write(&page, "# Title\n").expect("written");
        let missing = dir.path().join("missing.md");
        let groups = [vec![page.as_path(), missing.as_path()]];
        let text = while_working(
            1,
            |i| groups[i].clone(),
            |progress| {
                progress.reached(0);
                std::fs::read_to_string(&page)
            },
        );
        assert_eq!(text.expect("the page reads"), "# Title\n");
    }
}
