//! The file watcher: notify's native watcher, debounced, on every folder of the walked roots
//! that a build reads (the same ignore rules as discovery, so `target/` or `node_modules/`
//! never exhaust the system's watches), falling back to polling where native events are not
//! available (network and some container file systems).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::Result;
use notify::event::ModifyKind;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::discover::SKIPPED_DIRS;

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(dir, RecursiveMode::NonRecursive),
            Inner::Poll(d) => d.watch(dir, RecursiveMode::NonRecursive),
        }
    }
}

pub struct Watcher {
    inner: Inner,
    rx: Receiver<Vec<PathBuf>>,
    dirs: HashSet<PathBuf>,
    skip: PathBuf,
    /// True when notify's native events failed and the watcher polls instead.
    pub polling: bool,
}

fn handler(tx: mpsc::Sender<Vec<PathBuf>>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reading a file is an event too (inotify's open/close): a rebuild would wake
            // itself up forever. Only writes, creations, removals and renames count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| {
                    matches!(
                        e.event.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                })
                .filter(|e| !matches!(e.event.kind, EventKind::Modify(ModifyKind::Metadata(_))))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    }
}

impl Watcher {
    /// Watches every folder under `paths` (and the folder of each file among them), except
    /// `skip` (the output). Changes arrive after `debounce` of quiet.
    pub fn new(paths: &[PathBuf], skip: &Path, debounce: Duration) -> Result<Watcher> {
        let dirs = folders_to_watch(paths, skip);
        let (tx, rx) = mpsc::channel();
        let native = new_debouncer(debounce, None, handler(tx.clone()))?;
        let mut w = Watcher {
            inner: Inner::Native(native),
            rx,
            dirs: HashSet::new(),
            skip: skip.to_path_buf(),
            polling: false,
        };
        if w.watch_all(&dirs).is_err() {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            let poll = new_debouncer_opt::<_, PollWatcher, NoCache>(
                debounce,
                None,
                handler(tx),
                NoCache,
                config,
            )?;
            w.inner = Inner::Poll(poll);
            w.polling = true;
            w.dirs.clear();
            w.watch_all(&dirs)?;
        }
        Ok(w)
    }

    pub fn folder_count(&self) -> usize {
        self.dirs.len()
    }

    fn watch_all(&mut self, dirs: &[PathBuf]) -> notify::Result<()> {
        for d in dirs {
            if self.dirs.insert(d.clone()) {
                self.inner.watch(d)?;
            }
        }
        Ok(())
    }

    /// The next batch of changed paths (blocking), with whatever else arrived right after it.
    /// New folders among them are watched from now on.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut batch = self.rx.recv().ok()?;
        loop {
            match self.rx.recv_timeout(Duration::from_millis(5)) {
                Ok(more) => batch.extend(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.sort();
        batch.dedup();
        let new_dirs: Vec<PathBuf> = batch
            .iter()
            .filter(|p| p.is_dir() && !self.dirs.contains(*p))
            .flat_map(|p| folders_to_watch(std::slice::from_ref(p), &self.skip))
            .collect();
        let _ = self.watch_all(&new_dirs);
        Some(batch)
    }
}

/// Every folder a build reads under `paths`, walked with the discovery ignore rules.
fn folders_to_watch(paths: &[PathBuf], skip: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.extend(p.parent().map(Path::to_path_buf));
            continue;
        }
        let skip = skip.to_path_buf();
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                is_dir
                    && !e.path().starts_with(&skip)
                    && !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n))
            })
            .build();
        out.extend(walker.flatten().map(|e| e.into_path()));
    }
    out.sort();
    out.dedup();
    out
}
