//! The build fingerprint: one hash of everything a build reads, compared with the last
//! build's to skip a build that would write the same site. It is made of content, never of
//! modification times, so that a fresh clone or a restored CI workspace at the same path
//! matches: each file below the roots, the theme folder and the radar files by its path
//! relative to where it was found and the hash of its bytes (`stats` hashes only files whose
//! stat changed), every checkout's HEAD commit (`git_head`), the configuration with
//! command-line overrides (its absolute paths included: a clone elsewhere builds anew) and
//! this program (`build_id`).

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use ignore::{DirEntry, WalkBuilder, WalkState};

use super::stats::{Kind, Stamp, Stats, Wanted};
use super::{build_id, hash_into};
use crate::config::Config;
use crate::discover::SKIPPED_DIRS;

/// One thing found by the walk: where (relative to its walk root, with that root's label),
/// its absolute path, and what it is.
struct Found {
    key: Vec<u8>,
    path: PathBuf,
    what: What,
}

enum What {
    Dir,
    Hashed(Kind, Stamp),
    /// Neither file, link nor folder (a socket, a FIFO): never read, only its presence counts.
    Other,
    Unreadable,
}

/// A hash of everything a build reads (see the module comment). Keeps the stat cache in
/// `cache_dir`.
pub fn fingerprint(config: &Config, cache_dir: &Path) -> String {
    let started = SystemTime::now();
    let (found, dot_gits) = walk_inputs(config, cache_dir);
    let mut stats = Stats::load(cache_dir);
    let wanted: Vec<Wanted> = (found.iter())
        .filter_map(|f| match f.what {
            What::Hashed(kind, stamp) => Some(Wanted {
                path: &f.path,
                kind,
                stamp,
            }),
            _ => None,
        })
        .collect();
    let hashes = stats.hash_all(&wanted);
    stats.save(cache_dir, started);

    let mut h = blake3::Hasher::new();
    h.update(build_id().as_bytes());
    hash_into(&mut h, config);
    if let Some(file) = &config.config_file {
        h.update(&std::fs::read(file).unwrap_or_default());
    }
    hash_found(&mut h, &found, hashes);
    for dot_git in dot_gits.iter().chain(&enclosing_checkouts(config)) {
        h.update(b"\0git\0");
        h.update(dot_git.as_os_str().as_encoded_bytes());
        h.update(&super::git_head::head_state(dot_git));
    }
    h.finalize().to_hex().to_string()
}

/// Feeds each found entry to `h`: its key and what it is; for files and links, the hash of
/// their bytes (`hashes`, in the order of the hashed entries of `found`).
fn hash_found(h: &mut blake3::Hasher, found: &[Found], hashes: Vec<Option<super::stats::Hash>>) {
    let mut hashes = hashes.into_iter();
    for f in found {
        h.update(&f.key);
        match f.what {
            What::Dir => h.update(b"\0d"),
            What::Other => h.update(b"\0o"),
            What::Unreadable => h.update(b"\0?"),
            What::Hashed(..) => match hashes.next().flatten() {
                Some(hash) => h.update(b"\0f").update(&hash),
                None => h.update(b"\0?"),
            },
        };
    }
}

/// Every folder, file and link below the roots, the theme folder and the radar files
/// (hidden ones included; the skipped folders, the output, its siblings and the cache left
/// out), sorted; and every `.git` found among them.
fn walk_inputs(config: &Config, cache_dir: &Path) -> (Vec<Found>, Vec<PathBuf>) {
    let mut starts: Vec<(PathBuf, String)> = (config.roots.iter().enumerate())
        .map(|(i, r)| (r.path.clone(), format!("root{i}")))
        .collect();
    starts.extend(config.theme_dir.iter().map(|t| (t.clone(), "theme".into())));
    for (i, r) in config.radars.iter().enumerate() {
        starts.push((r.file.clone(), format!("radar{i}")));
    }
    let Some(((first, _), rest)) = starts.split_first() else {
        return (Vec::new(), Vec::new());
    };
    let mut builder = WalkBuilder::new(first);
    for (p, _) in rest {
        builder.add(p);
    }
    let labels: HashMap<PathBuf, String> = starts.iter().cloned().collect();
    let skip = Skip::new(config, cache_dir);
    let found = Mutex::new(Vec::new());
    // Skipped folders are not entered, but a `.git` folder among them is a checkout.
    let dot_gits = Arc::new(Mutex::new(Vec::new()));
    let seen_git = dot_gits.clone();
    builder
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let skipped_dir = is_dir(e) && is_skipped_dir(e);
            if skipped_dir && e.file_name() == ".git" {
                note(&seen_git, e.path());
            }
            !skipped_dir && !skip.skips(e)
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                if let Ok(entry) = entry {
                    // A worktree's or submodule's `.git` is a file naming its git folder.
                    if entry.file_name() == ".git" {
                        note(&dot_gits, entry.path());
                    }
                    if let (Some(f), Ok(mut all)) = (found_of(&entry, &labels), found.lock()) {
                        all.push(f);
                    }
                }
                WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_default();
    found.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut dot_gits = dot_gits.lock().map(|g| g.clone()).unwrap_or_default();
    dot_gits.sort();
    (found, dot_gits)
}

/// The walk's entry as found: its key is its walk root's label and its path below it.
fn found_of(entry: &DirEntry, labels: &HashMap<PathBuf, String>) -> Option<Found> {
    let start = entry.path().ancestors().nth(entry.depth())?;
    let label = labels.get(start)?;
    let rel = entry.path().strip_prefix(start).ok()?;
    let mut key = label.as_bytes().to_vec();
    key.push(b'/');
    key.extend_from_slice(rel.as_os_str().as_encoded_bytes());
    let what = match entry.metadata() {
        Ok(m) => what_of(&m),
        Err(_) => What::Unreadable,
    };
    Some(Found {
        key,
        path: entry.path().to_path_buf(),
        what,
    })
}

fn what_of(m: &Metadata) -> What {
    let t = m.file_type();
    if t.is_dir() {
        What::Dir
    } else if t.is_symlink() {
        What::Hashed(Kind::Link, Stamp::of(m))
    } else if t.is_file() {
        What::Hashed(Kind::File, Stamp::of(m))
    } else {
        What::Other
    }
}

fn note(list: &Mutex<Vec<PathBuf>>, path: &Path) {
    if let Ok(mut l) = list.lock() {
        l.push(path.to_path_buf());
    }
}

fn is_dir(e: &DirEntry) -> bool {
    e.file_type().is_some_and(|t| t.is_dir())
}

/// `.git`, `node_modules`… : what no stage reads (`discover::SKIPPED_DIRS`).
fn is_skipped_dir(e: &DirEntry) -> bool {
    (e.file_name().to_str()).is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

/// What the walk leaves out besides the skipped folders: the output, the cache, and the
/// files stagedoor keeps beside the output (`public.stagedoor-output`, `-lock`, `-files`,
/// and the staging folders of builds running now), which every build rewrites.
struct Skip {
    paths: Vec<PathBuf>,
    beside_out: Option<(PathBuf, String)>,
}

impl Skip {
    fn new(config: &Config, cache_dir: &Path) -> Skip {
        let beside_out = (config.out.parent())
            .zip(config.out.file_name())
            .map(|(p, n)| {
                (
                    p.to_path_buf(),
                    format!("{}.stagedoor-", n.to_string_lossy()),
                )
            });
        Skip {
            paths: vec![config.out.clone(), cache_dir.to_path_buf()],
            beside_out,
        }
    }

    /// Whether the walk leaves `e` out (and does not enter it).
    fn skips(&self, e: &DirEntry) -> bool {
        let path = e.path();
        let beside_out = self.beside_out.as_ref().is_some_and(|(parent, prefix)| {
            path.parent() == Some(parent.as_path())
                && e.file_name().to_string_lossy().starts_with(prefix.as_str())
        });
        beside_out || self.paths.iter().any(|s| path == s)
    }
}

/// The checkouts holding a root from above (a root inside a repository): `git log` run in
/// the root reads their history.
fn enclosing_checkouts(config: &Config) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = (config.roots.iter())
        .filter(|r| !r.path.join(".git").exists())
        .filter_map(|r| {
            let above = r.path.ancestors().skip(1);
            above.map(|a| a.join(".git")).find(|g| g.exists())
        })
        .collect();
    found.sort();
    found.dedup();
    found
}
