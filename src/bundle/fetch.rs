//! The portal's side: the bundles under `URL/bundles/` → a copy of each repository in the
//! cache folder, as roots for the build. A manifest is asked for with the ETag of the copy
//! kept last time, so an unchanged bundle costs one small request and no transfer; a changed
//! one fetches only the blobs its copy lacks. Every blob is checked against the manifest
//! (size before reading, blake3 after); every path was checked when the manifest was read
//! (`manifest::parse`). A bundle that fails any of this is a diagnostic naming its
//! repository; its copy is removed, so the next build fetches it whole.
//!
//! In the cache folder: `bundles/checkouts/<repo>/` (the copy, a root of the build) and
//! `bundles/manifests/<repo>.json` with `<repo>.etag` (what the copy holds).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow};
use futures::StreamExt;
use object_store::{GetOptions, ObjectStoreExt};

use super::manifest::{self, BundleManifest, Checked, FileEntry, MANIFEST, Problem};
use super::object_of;
use crate::config::{BundlesConfig, PublishConfig, Recorded, Root};
use crate::diagnostics::{Code, Diagnostic};
use crate::publish::store::Target;

/// The bundles as roots, and what fetching them did.
pub struct Assembled {
    pub roots: Vec<Root>,
    /// The folder holding the copies (canonical); paths in it are shown from it.
    pub checkouts: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub report: FetchReport,
    /// Held while the copies are read: another build sharing the cache folder waits
    /// rather than change them under this one.
    pub lock: crate::write::OutputLock,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Bundles found under `bundles/`.
    pub listed: usize,
    /// Bundles whose manifest changed since the last build, fetched.
    pub fetched: usize,
    pub unchanged: usize,
    /// Bundles left out (each has a diagnostic).
    pub failed: usize,
    /// Blobs downloaded and their bytes.
    pub blobs: usize,
    pub bytes: u64,
}

struct Cache {
    checkouts: PathBuf,
    manifests: PathBuf,
}

impl Cache {
    fn checkout(&self, repo: &str) -> PathBuf {
        self.checkouts.join(repo)
    }
    fn manifest(&self, repo: &str) -> PathBuf {
        self.manifests.join(format!("{repo}.json"))
    }
    fn etag(&self, repo: &str) -> PathBuf {
        self.manifests.join(format!("{repo}.etag"))
    }

    /// What the copy of `repo` holds, when there is a whole copy.
    fn kept(&self, repo: &str) -> Option<(Vec<u8>, Option<String>)> {
        if !self.checkout(repo).is_dir() {
            return None;
        }
        let bytes = std::fs::read(self.manifest(repo)).ok()?;
        Some((bytes, std::fs::read_to_string(self.etag(repo)).ok()))
    }

    fn forget(&self, repo: &str) {
        let _ = std::fs::remove_file(self.manifest(repo));
        let _ = std::fs::remove_file(self.etag(repo));
        let _ = std::fs::remove_dir_all(self.checkout(repo));
    }
}

/// Lists the bundles at `config.from`, brings each copy in `cache_dir` up to date and
/// returns them as roots. Only a store that cannot be listed at all is an error: a portal
/// built from none of its repositories would replace the published one with an empty site.
pub fn assemble(
    config: &BundlesConfig,
    settings: &PublishConfig,
    cache_dir: &Path,
    jobs: usize,
) -> Result<Assembled> {
    let target = Target::open(&config.from, settings)?;
    let base = cache_dir.join("bundles");
    let cache = Cache {
        checkouts: base.join("checkouts"),
        manifests: base.join("manifests"),
    };
    for dir in [&cache.checkouts, &cache.manifests] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let lock = crate::write::lock_output(&base, |holder| {
        let pid = holder.map(|p| format!(" (pid {p})")).unwrap_or_default();
        crate::console::err(format_args!(
            "waiting for the build reading the bundles in {}{pid}…",
            base.display()
        ));
    })?;
    let checkouts = cache.checkouts.canonicalize()?;
    let cache = Cache {
        checkouts,
        manifests: cache.manifests,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the downloader")?;
    let run = Run {
        target: &target,
        cache: &cache,
        jobs: jobs.max(1),
        blobs: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
    };
    let outcome = runtime.block_on(run.all())?;
    let mut assembled = Assembled {
        roots: Vec::new(),
        checkouts: cache.checkouts.clone(),
        diagnostics: Vec::new(),
        lock,
        report: FetchReport {
            listed: outcome.len(),
            blobs: run.blobs.load(Ordering::Relaxed),
            bytes: run.bytes.load(Ordering::Relaxed),
            ..FetchReport::default()
        },
    };
    for (repo, result) in outcome {
        match result {
            Ok((m, refused, changed)) => {
                if changed {
                    assembled.report.fetched += 1;
                } else {
                    assembled.report.unchanged += 1;
                }
                assembled.diagnostics.extend(refused_files(&repo, &refused));
                assembled.roots.push(root_of(config, &cache, &repo, m));
            }
            Err(problem) => {
                assembled.report.failed += 1;
                cache.forget(&repo);
                assembled
                    .diagnostics
                    .push(problem_diagnostic(&repo, &config.from, problem));
            }
        }
    }
    Ok(assembled)
}

type Outcome = Result<(BundleManifest, Vec<(String, String)>, bool), Problem>;

struct Run<'a> {
    target: &'a Target,
    cache: &'a Cache,
    jobs: usize,
    blobs: AtomicUsize,
    bytes: AtomicU64,
}

impl Run<'_> {
    async fn all(&self) -> Result<BTreeMap<String, Outcome>> {
        let listed = self.list().await?;
        self.remove_unlisted(&listed);
        let mut work = futures::stream::iter(listed.iter().map(|repo| async move {
            let outcome = match super::is_bundle_name(repo) {
                true => self.one(repo).await,
                false => Err(Problem::Unusable(
                    "its folder name cannot name a repository".into(),
                )),
            };
            (repo.clone(), outcome)
        }))
        .buffer_unordered(self.jobs);
        let mut out = BTreeMap::new();
        while let Some((repo, outcome)) = work.next().await {
            out.insert(repo, outcome);
        }
        Ok(out)
    }

    /// The folder names under `bundles/`.
    async fn list(&self) -> Result<BTreeSet<String>> {
        let prefix = self.target.object("bundles");
        let listed = match self.target.store.list_with_delimiter(Some(&prefix)).await {
            Ok(l) => l,
            Err(object_store::Error::NotFound { .. }) => return Ok(BTreeSet::new()),
            Err(e) => {
                return Err(anyhow!(self.target.redact(&format!(
                    "listing {}/bundles/: {e}; {}",
                    self.target.url.trim_end_matches('/'),
                    self.target.credentials_hint
                ))));
            }
        };
        Ok((listed.common_prefixes.iter())
            .filter_map(|p| p.filename().map(str::to_string))
            .collect())
    }

    /// Copies of bundles no longer published go.
    fn remove_unlisted(&self, listed: &BTreeSet<String>) {
        let kept = std::fs::read_dir(&self.cache.checkouts)
            .into_iter()
            .flatten()
            .flatten();
        for entry in kept {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !listed.contains(&name) {
                self.cache.forget(&name);
            }
        }
    }

    /// One bundle: its manifest if it changed, then the blobs its copy lacks.
    async fn one(&self, repo: &str) -> Outcome {
        let kept = self.cache.kept(repo);
        let options = GetOptions {
            if_none_match: kept.as_ref().and_then(|(_, etag)| etag.clone()),
            ..GetOptions::default()
        };
        let object = object_of(self.target, repo, MANIFEST);
        let (bytes, etag) = match self.target.store.get_opts(&object, options).await {
            Ok(got) => {
                let etag = got.meta.e_tag.clone();
                let too_big = got.meta.size > super::limits::MAX_MANIFEST_BYTES;
                if too_big {
                    return Err(Problem::Unusable(
                        "its manifest is over the size limit".into(),
                    ));
                }
                let bytes = got.bytes().await.map_err(|e| self.unusable(e, MANIFEST))?;
                (bytes.to_vec(), etag)
            }
            Err(object_store::Error::NotModified { .. }) if kept.is_some() => {
                let (bytes, etag) = kept.clone().unwrap_or_default();
                (bytes, etag)
            }
            Err(object_store::Error::NotFound { .. }) => {
                return Err(Problem::Unusable(
                    "it has no manifest.json (a bundle being written for the first time, or one removed by hand)".into(),
                ));
            }
            Err(e) => return Err(self.unusable(e, MANIFEST)),
        };
        let Checked { manifest, refused } = manifest::parse(&bytes, repo)?;
        let unchanged = kept.as_ref().is_some_and(|(b, _)| *b == bytes);
        if !unchanged {
            let before = kept
                .as_ref()
                .and_then(|(b, _)| manifest::parse(b, repo).ok())
                .map(|c| c.manifest);
            self.update_copy(repo, before.as_ref(), &manifest).await?;
            write_file(&self.cache.manifest(repo), &bytes).map_err(io_problem)?;
        }
        match &etag {
            Some(e) => write_file(&self.cache.etag(repo), e.as_bytes()).map_err(io_problem)?,
            None => {
                let _ = std::fs::remove_file(self.cache.etag(repo));
            }
        }
        Ok((manifest, refused, !unchanged))
    }

    /// Makes the copy of `repo` hold `new`, from `before` (what it holds; None: start anew).
    /// The cached manifest is removed first, so a copy left half-updated is never taken for
    /// a whole one.
    async fn update_copy(
        &self,
        repo: &str,
        before: Option<&BundleManifest>,
        new: &BundleManifest,
    ) -> Result<(), Problem> {
        let dir = self.cache.checkout(repo);
        let _ = std::fs::remove_file(self.cache.manifest(repo));
        let empty = BTreeMap::new();
        let old = match before {
            Some(m) => &m.files,
            None => {
                let _ = std::fs::remove_dir_all(&dir);
                &empty
            }
        };
        std::fs::create_dir_all(&dir).map_err(io_problem)?;
        let changed = |path: &String, entry: &FileEntry| old.get(path) != Some(entry);
        for (path, entry) in old {
            if new.files.get(path) != Some(entry) {
                remove_entry(&dir.join(path)).map_err(io_problem)?;
            }
        }
        let mut wanted: BTreeMap<&str, (u64, Vec<&str>)> = BTreeMap::new();
        for (path, entry) in new.files.iter().filter(|(p, e)| changed(p, e)) {
            if entry.link.is_none() {
                let slot = wanted
                    .entry(entry.hash.as_str())
                    .or_insert((entry.size, Vec::new()));
                slot.1.push(path.as_str());
            }
        }
        let dir = &dir;
        let mut fetches =
            futures::stream::iter(wanted.iter().map(|(hash, (size, paths))| async move {
                let data = self.blob(repo, hash, *size).await?;
                for path in paths {
                    place_file(dir, path, &data).map_err(io_problem)?;
                }
                Ok::<(), Problem>(())
            }))
            .buffer_unordered(self.jobs);
        while let Some(done) = fetches.next().await {
            done?;
        }
        for (path, entry) in new.files.iter().filter(|(p, e)| changed(p, e)) {
            if let Some(target) = &entry.link {
                place_link(dir, path, target).map_err(io_problem)?;
            }
        }
        Ok(())
    }

    /// One blob, checked: its size before it is read, its hash after.
    async fn blob(&self, repo: &str, hash: &str, size: u64) -> Result<Vec<u8>, Problem> {
        let rel = format!("blobs/{hash}");
        let got = (self.target.store)
            .get(&object_of(self.target, repo, &rel))
            .await
            .map_err(|e| self.unusable(e, &rel))?;
        if got.meta.size != size {
            return Err(Problem::Unusable(format!(
                "{rel} is {} bytes, the manifest says {size}",
                got.meta.size
            )));
        }
        let data = got.bytes().await.map_err(|e| self.unusable(e, &rel))?;
        if data.len() as u64 != size || blake3::hash(&data).to_hex().as_str() != hash {
            return Err(Problem::Unusable(format!(
                "{rel} does not have the content the manifest names (hash mismatch)"
            )));
        }
        self.blobs.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(size, Ordering::Relaxed);
        Ok(data.to_vec())
    }

    fn unusable(&self, e: object_store::Error, rel: &str) -> Problem {
        let said = self.target.redact(&e.to_string());
        let said: String = said.chars().take(300).collect();
        Problem::Unusable(format!("fetching {rel} failed: {said}"))
    }
}

fn io_problem(e: std::io::Error) -> Problem {
    Problem::Unusable(format!(
        "its copy in the cache folder cannot be written: {e}"
    ))
}

/// Removes what the copy has at `path` (a file or a link; never what a link points to).
fn remove_entry(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes one file of the copy; `rel` is a plain path no link of the bundle lies above
/// (`manifest::parse`). A folder left where the file goes (a path that was a folder in the
/// copy's previous version) is removed first.
fn place_file(dir: &Path, rel: &str, data: &[u8]) -> std::io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    remove_entry(&path)?;
    write_file(&path, data)
}

#[cfg(unix)]
fn place_link(dir: &Path, rel: &str, target: &str) -> std::io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    remove_entry(&path)?;
    std::os::unix::fs::symlink(target, &path)
}

/// Without symbolic links, a linked file is left out; the build reports what misses it.
#[cfg(not(unix))]
fn place_link(_dir: &Path, _rel: &str, _target: &str) -> std::io::Result<()> {
    Ok(())
}

fn write_file(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path)
}

fn root_of(config: &BundlesConfig, cache: &Cache, repo: &str, m: BundleManifest) -> Root {
    Root {
        path: cache.checkout(repo),
        repo_url: (config.repo_url.as_ref())
            .map(|u| u.replace("{repo}", repo).trim_end_matches('/').to_string()),
        branch: config.branch.clone(),
        trusted: false,
        recorded: Some(Recorded {
            head: m.head,
            dates: m.dates,
        }),
    }
}

fn problem_diagnostic(repo: &str, from: &str, problem: Problem) -> Diagnostic {
    let place = format!("{}/bundles/{repo}/", from.trim_end_matches('/'));
    match problem {
        Problem::Unusable(why) => Diagnostic::new(
            Code::BundleUnusable,
            format!("the bundle of repository \"{repo}\" cannot be used: {why}; the repository is left out"),
        )
        .hint(format!("run `stagedoor bundle --to {from}` in {repo}'s CI again (it was read from {place})")),
        Problem::Incompatible(why) => Diagnostic::new(
            Code::BundleIncompatible,
            format!("the bundle of repository \"{repo}\" cannot be read: {why}; the repository is left out"),
        )
        .hint(format!(
            "make the bundle again with {} in {repo}'s CI",
            manifest::stagedoor_version()
        )),
    }
}

fn refused_files(repo: &str, refused: &[(String, String)]) -> Vec<Diagnostic> {
    (refused.iter())
        .map(|(path, why)| {
            Diagnostic::new(
                Code::BundleFileRefused,
                format!(
                    "the bundle of repository \"{repo}\" lists {path}, which is left out: {why}"
                ),
            )
        })
        .collect()
}
