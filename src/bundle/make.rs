//! `stagedoor bundle`: one repository's checkout → its bundle in the object store. Every
//! file a build may read (see the module above) is hashed in parallel; blobs the previous
//! manifest does not name are uploaded, then the new manifest, then blobs neither the new
//! nor the previous manifest names are deleted — so a portal that read either of the last
//! two manifests finds every blob it names.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use futures::StreamExt;
use object_store::{ObjectStoreExt, PutPayload};
use rayon::prelude::*;

use super::limits::{MAX_BUNDLE_BYTES, MAX_FILE_BYTES, MAX_FILES};
use super::manifest::{self, BundleManifest, FileEntry, MANIFEST};
use super::object_of;
use crate::config::PublishConfig;
use crate::discover::SKIPPED_DIRS;
use crate::publish::store::Target;

pub struct BundleOptions {
    /// The repository's top folder.
    pub repo: PathBuf,
    pub to: String,
    /// Its bundle name (`super::is_bundle_name`).
    pub name: String,
    pub jobs: usize,
    /// Globs of files and folders left out (`discover::Patterns`: a pattern without `/`
    /// matches a name at any depth, one with `/` the repository-relative path).
    pub exclude: Vec<String>,
}

#[derive(Debug, Default)]
pub struct BundleReport {
    pub files: usize,
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    /// Blobs the bucket already had.
    pub unchanged: usize,
    pub deleted: usize,
    /// Whether the manifest changed (false: the bundle was already up to date).
    pub changed: bool,
    /// Files left out, with why, for warnings.
    pub skipped: Vec<String>,
    pub elapsed: Duration,
}

/// A repository read for bundling: its manifest and where each blob's bytes are.
pub struct Collected {
    pub manifest: BundleManifest,
    pub sources: HashMap<String, PathBuf>,
    pub skipped: Vec<String>,
}

pub fn bundle(opts: &BundleOptions, settings: &PublishConfig) -> Result<BundleReport> {
    let started = Instant::now();
    if !super::is_bundle_name(&opts.name) {
        bail!(
            "\"{}\" cannot name a bundle: use letters, digits, '.', '_' and '-' (pass --name)",
            opts.name
        );
    }
    let collected = collect(&opts.repo, &opts.name, &opts.exclude)?;
    let target = Target::open(&opts.to, settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the uploader")?;
    let mut report = runtime
        .block_on(upload(&target, opts, &collected))
        .map_err(|e| anyhow!(target.redact(&format!("{e:#}"))))?;
    report.files = collected.manifest.files.len();
    report.skipped = collected.skipped;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Every file of `repo` a build may read, hashed; the dates git gives its Markdown files.
pub fn collect(repo: &Path, name: &str, exclude: &[String]) -> Result<Collected> {
    let repo = repo
        .canonicalize()
        .with_context(|| format!("cannot open the repository folder {}", repo.display()))?;
    let (found, skipped) = walk(&repo, &crate::discover::Patterns::new(exclude))?;
    let hashed: Vec<(String, FileEntry, PathBuf)> = found
        .into_par_iter()
        .map(|Found { rel, path, link }| {
            let entry = match link {
                Some(target) => FileEntry {
                    hash: String::new(),
                    size: 0,
                    link: Some(target),
                },
                None => {
                    let bytes = std::fs::read(&path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    FileEntry::blob(
                        blake3::hash(&bytes).to_hex().to_string(),
                        bytes.len() as u64,
                    )
                }
            };
            Ok((rel, entry, path))
        })
        .collect::<Result<_>>()?;
    let mut manifest = BundleManifest::new(name, head_commit(&repo));
    let mut sources = HashMap::new();
    for (rel, entry, path) in hashed {
        if entry.link.is_none() {
            sources.entry(entry.hash.clone()).or_insert(path);
        }
        manifest.files.insert(rel, entry);
    }
    check_size(&manifest)?;
    let pages: Vec<String> = (manifest.files.iter())
        .filter(|(rel, f)| f.link.is_none() && crate::docs::nav::is_markdown(rel))
        .map(|(rel, _)| rel.clone())
        .collect();
    manifest.dates = crate::docs::file_dates(&repo, &pages);
    Ok(Collected {
        manifest,
        sources,
        skipped,
    })
}

/// A bundle the portal would refuse is not made at all.
fn check_size(m: &BundleManifest) -> Result<()> {
    let total: u64 = m.blobs().values().sum();
    if m.files.len() > MAX_FILES || total > MAX_BUNDLE_BYTES {
        bail!(
            "the repository has {} files of {total} bytes; a bundle holds at most {MAX_FILES} files of {MAX_BUNDLE_BYTES} bytes",
            m.files.len()
        );
    }
    Ok(())
}

struct Found {
    rel: String,
    path: PathBuf,
    /// A symbolic link's target, as written.
    link: Option<String>,
}

/// The files (and links inside the repository) below `repo`, leaving out the folders no
/// stage reads, the build cache and what `exclude` names; what else is left out, with why.
fn walk(repo: &Path, exclude: &crate::discover::Patterns) -> Result<(Vec<Found>, Vec<String>)> {
    let skipped_dir = |e: &walkdir::DirEntry| {
        e.file_type().is_dir()
            && (e.file_name().to_str())
                .is_some_and(|n| SKIPPED_DIRS.contains(&n) || n == crate::cache::CACHE_DIR)
    };
    let excluded = |e: &walkdir::DirEntry| {
        (e.path().strip_prefix(repo)).is_ok_and(|rel| exclude.is_match(rel))
    };
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(repo)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !skipped_dir(e) && !excluded(e));
    for entry in walker {
        let entry = entry.with_context(|| format!("reading {}", repo.display()))?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(repo).unwrap_or(entry.path());
        let shown = rel.display().to_string();
        let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
            skipped.push(format!("{shown}: its name is not UTF-8"));
            continue;
        };
        if !manifest::is_plain_path(&rel) {
            skipped.push(format!("{shown}: its name cannot be bundled"));
            continue;
        }
        if kind.is_symlink() {
            let target = std::fs::read_link(entry.path()).ok();
            match target.as_deref().and_then(Path::to_str) {
                Some(t) if manifest::link_stays_inside(&rel, t) => found.push(Found {
                    rel,
                    path: entry.into_path(),
                    link: Some(t.to_string()),
                }),
                _ => skipped.push(format!(
                    "{shown}: a symbolic link pointing out of the repository"
                )),
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_BYTES {
            skipped.push(format!(
                "{shown}: {}, over the per-file limit of {}",
                crate::fsutil::megabytes(size),
                crate::fsutil::megabytes(MAX_FILE_BYTES)
            ));
            continue;
        }
        found.push(Found {
            rel,
            path: entry.into_path(),
            link: None,
        });
    }
    Ok((found, skipped))
}

/// HEAD's commit, or nothing where `repo` is no git checkout (or git is missing).
fn head_commit(repo: &Path) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => String::new(),
    }
}

/// Blobs the previous manifest does not name, then the manifest, then blobs only the
/// previous one named. Nothing at all when the manifest is the same.
async fn upload(target: &Target, opts: &BundleOptions, c: &Collected) -> Result<BundleReport> {
    let name = &opts.name;
    let manifest_object = object_of(target, name, MANIFEST);
    let before = match target.store.get(&manifest_object).await {
        Ok(got) => Some(got.bytes().await?.to_vec()),
        Err(object_store::Error::NotFound { .. }) => None,
        Err(e) => return Err(explain(target, e, MANIFEST)),
    };
    let bytes = c.manifest.to_json();
    let mut report = BundleReport::default();
    if before.as_deref() == Some(&bytes[..]) {
        report.unchanged = c.manifest.blobs().len();
        return Ok(report);
    }
    let had: BTreeSet<String> = (before.as_deref())
        .and_then(|b| serde_json::from_slice::<BundleManifest>(b).ok())
        .map(|m| m.blobs().keys().map(|h| h.to_string()).collect())
        .unwrap_or_default();
    let blobs = c.manifest.blobs();
    let missing: Vec<(&str, u64)> = (blobs.iter())
        .filter(|(h, _)| !had.contains(**h))
        .map(|(h, s)| (*h, *s))
        .collect();
    report.unchanged = blobs.len() - missing.len();
    let mut puts = futures::stream::iter(missing.iter().map(|&(hash, size)| async move {
        let path = c
            .sources
            .get(hash)
            .ok_or_else(|| anyhow!("no file for blob {hash}"))?;
        let data = tokio::fs::read(path)
            .await
            .with_context(|| format!("reading {}", path.display()))?;
        let rel = format!("blobs/{hash}");
        (target.store)
            .put(&object_of(target, name, &rel), PutPayload::from(data))
            .await
            .map_err(|e| explain(target, e, &rel))?;
        Ok::<u64, anyhow::Error>(size)
    }))
    .buffer_unordered(opts.jobs.max(1));
    while let Some(done) = puts.next().await {
        report.uploaded_bytes += done?;
        report.uploaded += 1;
    }
    (target.store)
        .put(&manifest_object, PutPayload::from(bytes))
        .await
        .map_err(|e| explain(target, e, MANIFEST))?;
    report.changed = true;
    // Blobs of the previous version stay for one more: a portal that read the previous
    // manifest a moment ago still finds every blob it names.
    let gone: Vec<String> = stored_blobs(target, name)
        .await?
        .into_iter()
        .filter(|h| !blobs.contains_key(h.as_str()) && !had.contains(h))
        .collect();
    let mut deletes = futures::stream::iter(gone.iter().map(|hash| async move {
        let rel = format!("blobs/{hash}");
        match target.store.delete(&object_of(target, name, &rel)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(explain(target, e, &rel)),
        }
    }))
    .buffer_unordered(opts.jobs.max(1));
    while let Some(done) = deletes.next().await {
        done?;
        report.deleted += 1;
    }
    Ok(report)
}

/// The blob names under `bundles/<name>/blobs/`.
async fn stored_blobs(target: &Target, name: &str) -> Result<Vec<String>> {
    let prefix = object_of(target, name, "blobs");
    let mut listing = target.store.list(Some(&prefix));
    let mut names = Vec::new();
    while let Some(meta) = listing.next().await {
        match meta {
            Ok(m) => names.extend(m.location.filename().map(str::to_string)),
            Err(object_store::Error::NotFound { .. }) => break,
            Err(e) => return Err(explain(target, e, "blobs/")),
        }
    }
    Ok(names)
}

fn explain(target: &Target, e: object_store::Error, rel: &str) -> anyhow::Error {
    let denied = matches!(
        e,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
    );
    let hint = if denied {
        format!("; {}", target.credentials_hint)
    } else {
        String::new()
    };
    anyhow!("{}/{rel}: {e}{hint}", target.url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_takes_every_file_but_skipped_folders_and_keeps_links_inside() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "catalog-info.yaml",
            "docs/index.md",
            ".github/CODEOWNERS",
            "node_modules/x/y.js",
            ".git/HEAD",
            "target/debug/z",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), f).unwrap();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("../catalog-info.yaml", d.join("docs/cat.yaml")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", d.join("docs/out")).unwrap();
        }
        let c = collect(d, "svc", &[]).unwrap();
        let files: Vec<&String> = c.manifest.files.keys().collect();
        #[cfg(unix)]
        assert_eq!(
            files,
            [
                ".github/CODEOWNERS",
                "catalog-info.yaml",
                "docs/cat.yaml",
                "docs/index.md"
            ]
        );
        #[cfg(unix)]
        assert!(
            c.skipped.iter().any(|s| s.starts_with("docs/out")),
            "{:?}",
            c.skipped
        );
        let index = &c.manifest.files["docs/index.md"];
        assert_eq!(
            index.hash,
            blake3::hash(b"docs/index.md").to_hex().to_string()
        );
        assert_eq!(index.size, "docs/index.md".len() as u64);
        assert!(c.sources.contains_key(&index.hash));
        assert!(c.manifest.dates.is_empty(), "no git here, no dates");
        let narrowed = collect(d, "svc", &["docs".into(), ".github/*".into()]).unwrap();
        let files: Vec<&String> = narrowed.manifest.files.keys().collect();
        assert_eq!(files, ["catalog-info.yaml"]);
    }
}
