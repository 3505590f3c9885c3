//! Publish: the built site → object storage, incrementally and without a broken moment.
//!
//! The manifest of the site folder is compared with the one stored beside the published site
//! (`manifest`); only files whose bytes or headers differ go up, leaves first (`rules`):
//! assets, then pages, then entry points, then the new manifest (naming what it replaced as
//! `stale`), then the stale objects are deleted and the manifest is written once more without
//! them. A publish stopped at any point leaves the previous site readable, and the next one
//! picks up where it stopped. Nothing outside the prefix is written or deleted (`store`).

pub mod manifest;
pub mod rules;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use futures::StreamExt;
use object_store::{Attribute, Attributes, ObjectStoreExt, PutOptions, PutPayload};

use crate::config::PublishConfig;
use crate::write;
use manifest::{MANIFEST, Manifest, Plan};
use rules::{CacheRules, Phase};
use store::Target;

/// Files above this go up in parts, so a docs video never has to fit in memory at once.
const MULTIPART_BYTES: u64 = 64 * 1024 * 1024;

pub struct PublishOptions {
    /// The built site folder.
    pub dir: PathBuf,
    pub to: String,
    pub dry_run: bool,
    /// Delete objects of pages the site no longer has (the default).
    pub delete: bool,
    /// Uploads at once.
    pub jobs: usize,
    /// Publish a folder stagedoor did not write.
    pub force: bool,
}

#[derive(Debug, Default)]
pub struct PublishReport {
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub unchanged: usize,
    pub deleted: usize,
    /// Objects of removed pages left in place (`--keep-deleted`).
    pub kept: usize,
    pub elapsed: Duration,
    /// `--dry-run`: what would change, one line per object.
    pub changes: Vec<String>,
}

/// Why a publish failed, for the exit code: the store refused (1) or the request was
/// unusable (2).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Store(String),
}

pub fn publish(
    opts: &PublishOptions,
    settings: &PublishConfig,
    progress: &dyn Fn(Progress),
) -> Result<PublishReport, PublishError> {
    let started = Instant::now();
    let usage = |e: anyhow::Error| PublishError::Usage(format!("{e:#}"));
    check_site(&opts.dir, opts.force).map_err(usage)?;
    // A build swapping a new site in while this one is read would mix the two.
    let _lock = write::lock_output(&opts.dir, |holder| {
        let pid = holder.map(|p| format!(" (pid {p})")).unwrap_or_default();
        crate::console::err(format_args!(
            "waiting for the build writing {}/{pid}…",
            opts.dir.display()
        ));
    })
    .map_err(usage)?;
    let rules = CacheRules::new(&settings.cache_control).map_err(usage)?;
    let target = Target::open(&opts.to, settings).map_err(usage)?;
    let local = Manifest::of_folder(&opts.dir, &rules).map_err(usage)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| PublishError::Usage(format!("starting the uploader: {e}")))?;
    let run = Run {
        opts,
        target: &target,
        progress,
        done_files: AtomicUsize::new(0),
        done_bytes: AtomicU64::new(0),
    };
    let mut report = runtime
        .block_on(run.publish(local))
        .map_err(|e| PublishError::Store(target.redact(&format!("{e:#}"))))?;
    // Hashing the site is part of the time a publish takes.
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Only a folder stagedoor built is published: `publish` with a wrong path would otherwise
/// upload (and, with the manifest, later delete) whatever the folder holds.
fn check_site(dir: &Path, force: bool) -> Result<()> {
    if !dir.is_dir() {
        bail!(
            "{} does not exist; run `stagedoor build` first",
            dir.display()
        );
    }
    if !force && !write::is_ours(dir) {
        bail!(
            "refusing to publish {}: stagedoor did not build it (no {} beside it names it); build it with `stagedoor build`, or pass --force",
            dir.display(),
            write::ownership_record(dir).map_or_else(String::new, |r| r.display().to_string())
        );
    }
    Ok(())
}

/// How far a publish is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub files: usize,
    pub total_files: usize,
    pub bytes: u64,
    pub total_bytes: u64,
}

struct Run<'a> {
    opts: &'a PublishOptions,
    target: &'a Target,
    progress: &'a dyn Fn(Progress),
    done_files: AtomicUsize,
    done_bytes: AtomicU64,
}

impl Run<'_> {
    async fn publish(&self, local: Manifest) -> Result<PublishReport> {
        let remote = self.remote_manifest().await?;
        let plan = Plan::between(&remote, &local);
        let mut report = PublishReport {
            unchanged: plan.unchanged,
            ..PublishReport::default()
        };
        if self.opts.dry_run {
            report.changes = describe(&plan, &remote, self.opts.delete);
            report.uploaded = plan.upload_count();
            report.uploaded_bytes = bytes_of(&plan, &local);
            report.deleted = if self.opts.delete {
                plan.deletes.len()
            } else {
                0
            };
            report.kept = plan.deletes.len() - report.deleted;
            return Ok(report);
        }
        let total = Progress {
            files: 0,
            total_files: plan.upload_count(),
            bytes: 0,
            total_bytes: bytes_of(&plan, &local),
        };
        for (phase, files) in &plan.uploads {
            self.upload_all(*phase, files, &local, total).await?;
        }
        report.uploaded = plan.upload_count();
        report.uploaded_bytes = total.total_bytes;
        let deletes = if self.opts.delete {
            plan.deletes.clone()
        } else {
            report.kept = plan.deletes.len();
            Vec::new()
        };
        let nothing_changed = plan.upload_count() == 0 && deletes.is_empty();
        if !nothing_changed || remote.stale != deletes {
            let mut with_stale = local.clone();
            with_stale.stale = deletes.clone();
            self.put_manifest(&with_stale).await?;
        }
        if !deletes.is_empty() {
            self.delete_all(&deletes).await?;
            self.put_manifest(&local).await?;
        }
        report.deleted = deletes.len();
        Ok(report)
    }

    /// The manifest of what is published; none yet is an empty one. Any other failure
    /// (credentials refused, no such bucket) stops the publish before it changes anything.
    async fn remote_manifest(&self) -> Result<Manifest> {
        let path = self.target.object(MANIFEST);
        match self.target.store.get(&path).await {
            Ok(got) => {
                let bytes = got.bytes().await.map_err(|e| self.explain(e, MANIFEST))?;
                // A manifest we cannot read names nothing we may delete: start afresh.
                Ok(Manifest::parse(&bytes).unwrap_or_default())
            }
            Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
            Err(e) => Err(self.explain(e, MANIFEST)),
        }
    }

    async fn upload_all(
        &self,
        phase: Phase,
        files: &[String],
        local: &Manifest,
        total: Progress,
    ) -> Result<()> {
        let mut uploads = futures::stream::iter(files.iter().map(|rel| async move {
            let entry = &local.files[rel];
            self.upload(rel, entry).await?;
            let files = self.done_files.fetch_add(1, Ordering::Relaxed) + 1;
            let bytes = self.done_bytes.fetch_add(entry.size, Ordering::Relaxed) + entry.size;
            (self.progress)(Progress {
                files,
                bytes,
                ..total
            });
            Ok::<(), anyhow::Error>(())
        }))
        .buffer_unordered(self.opts.jobs.max(1));
        while let Some(result) = uploads.next().await {
            // The first failure stops this phase: later phases (and every delete) need it.
            result.with_context(|| format!("uploading {}", phase.name()))?;
        }
        Ok(())
    }

    async fn upload(&self, rel: &str, entry: &manifest::Entry) -> Result<()> {
        let file = self.opts.dir.join(rel);
        let object = self.target.object(rel);
        let attributes = self.attributes(entry);
        if entry.size > MULTIPART_BYTES {
            return self.upload_in_parts(&file, object, attributes, rel).await;
        }
        let bytes = tokio::fs::read(&file)
            .await
            .with_context(|| format!("reading {}", file.display()))?;
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.target
            .store
            .put_opts(&object, PutPayload::from(bytes), opts)
            .await
            .map_err(|e| self.explain(e, rel))?;
        Ok(())
    }

    async fn upload_in_parts(
        &self,
        file: &Path,
        object: object_store::path::Path,
        attributes: Attributes,
        rel: &str,
    ) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        let mut source = tokio::fs::File::open(file)
            .await
            .with_context(|| format!("reading {}", file.display()))?;
        let mut writer = object_store::buffered::BufWriter::new(self.target.store.clone(), object)
            .with_attributes(attributes);
        let copied = tokio::io::copy(&mut source, &mut writer).await;
        match copied {
            Ok(_) => writer.shutdown().await.map_err(|e| self.io_explain(e, rel)),
            Err(e) => {
                let _ = writer.abort().await;
                Err(self.io_explain(e, rel))
            }
        }
    }

    fn attributes(&self, entry: &manifest::Entry) -> Attributes {
        let mut attributes = Attributes::new();
        if self.target.keeps_headers {
            attributes.insert(Attribute::ContentType, entry.content_type.clone().into());
            attributes.insert(Attribute::CacheControl, entry.cache_control.clone().into());
        }
        attributes
    }

    async fn put_manifest(&self, manifest: &Manifest) -> Result<()> {
        let mut attributes = Attributes::new();
        if self.target.keeps_headers {
            attributes.insert(Attribute::ContentType, "application/json".into());
            attributes.insert(Attribute::CacheControl, "no-store".into());
        }
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let path = self.target.object(MANIFEST);
        self.target
            .store
            .put_opts(&path, PutPayload::from(manifest.to_json()), opts)
            .await
            .map_err(|e| self.explain(e, MANIFEST))?;
        Ok(())
    }

    async fn delete_all(&self, paths: &[String]) -> Result<()> {
        let mut deletes = futures::stream::iter(paths.iter().map(|rel| async move {
            match self.target.store.delete(&self.target.object(rel)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(self.explain(e, rel)),
            }
        }))
        .buffer_unordered(self.opts.jobs.max(1));
        while let Some(result) = deletes.next().await {
            result.context("deleting objects of removed pages")?;
        }
        Ok(())
    }

    /// A store error as a message a user can act on; credentials errors say where
    /// credentials come from. Retries of transient errors (with back-off) happened inside
    /// object_store before this.
    fn explain(&self, e: object_store::Error, rel: &str) -> anyhow::Error {
        let place = format!("{}/{rel}", self.target.url.trim_end_matches('/'));
        let said = shorten(&e.to_string());
        match e {
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => anyhow!(
                "{place}: the store refused the credentials ({said}); {}",
                self.target.credentials_hint
            ),
            _ => anyhow!("{place}: {said}"),
        }
    }

    fn io_explain(&self, e: std::io::Error, rel: &str) -> anyhow::Error {
        anyhow!("{}/{rel}: {e}", self.target.url.trim_end_matches('/'))
    }
}

/// A store's error without the XML document S3 and Azure send with it: their error code and
/// message are what a user needs, the request ids are noise.
fn shorten(message: &str) -> String {
    let Some(xml) = message.find("<?xml") else {
        return message.to_string();
    };
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = message[xml..].find(&open)? + xml + open.len();
        let end = message[start..].find('<')? + start;
        Some(message[start..end].to_string())
    };
    let head = message[..xml].trim_end().trim_end_matches(':');
    match (tag("Code"), tag("Message")) {
        (Some(code), Some(text)) => format!("{head}: {code}: {text}"),
        _ => message.to_string(),
    }
}

fn bytes_of(plan: &Plan, local: &Manifest) -> u64 {
    (plan.uploads.iter())
        .flat_map(|(_, files)| files)
        .map(|f| local.files[f].size)
        .sum()
}

/// `--dry-run` lines: `+ path` (new), `~ path` (changed), `- path` (deleted) or
/// `= path` (removed from the site, kept in the bucket).
fn describe(plan: &Plan, remote: &Manifest, delete: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (_, files) in &plan.uploads {
        for f in files {
            let mark = if remote.files.contains_key(f) {
                '~'
            } else {
                '+'
            };
            lines.push(format!("{mark} {f}"));
        }
    }
    let mark = if delete { '-' } else { '=' };
    lines.extend(plan.deletes.iter().map(|f| format!("{mark} {f}")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("public");
        let files: Vec<write::OutputFile> = files
            .iter()
            .map(|(p, c)| write::OutputFile::bytes(*p, *c))
            .collect();
        write::write_site(&out, &files).unwrap();
        parent
    }

    fn options(dir: &Path, to: &Path) -> PublishOptions {
        PublishOptions {
            dir: dir.join("public"),
            to: format!("file://{}", to.display()),
            dry_run: false,
            delete: true,
            jobs: 4,
            force: false,
        }
    }

    #[test]
    fn publishes_incrementally_to_a_folder() {
        let bucket = tempfile::tempdir().unwrap();
        let one = site(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("b.html", "b"),
        ]);
        let opts = options(one.path(), bucket.path());
        let first = publish(&opts, &PublishConfig::default(), &|_| {}).unwrap();
        assert_eq!((first.uploaded, first.unchanged, first.deleted), (3, 0, 0));
        assert_eq!(
            std::fs::read_to_string(bucket.path().join("a/index.html")).unwrap(),
            "a"
        );
        let again = publish(&opts, &PublishConfig::default(), &|_| {}).unwrap();
        assert_eq!((again.uploaded, again.unchanged), (0, 3));
        let two = site(&[("index.html", "home 2"), ("a/index.html", "a")]);
        let opts = options(two.path(), bucket.path());
        let dry = PublishOptions {
            dry_run: true,
            ..options(two.path(), bucket.path())
        };
        let planned = publish(&dry, &PublishConfig::default(), &|_| {}).unwrap();
        assert_eq!(planned.changes, ["~ index.html", "- b.html"]);
        assert!(
            bucket.path().join("b.html").exists(),
            "a dry run changes nothing"
        );
        let second = publish(&opts, &PublishConfig::default(), &|_| {}).unwrap();
        assert_eq!(
            (second.uploaded, second.unchanged, second.deleted),
            (1, 1, 1)
        );
        assert!(!bucket.path().join("b.html").exists());
    }

    #[test]
    fn store_errors_keep_their_code_and_message_only() {
        let raw = "Error performing GET http://h/b/k in 7ms - Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>The key does not exist.</Message><RequestId>x</RequestId></Error>";
        assert_eq!(
            shorten(raw),
            "Error performing GET http://h/b/k in 7ms - Server returned non-2xx status code: 403 Forbidden: InvalidAccessKeyId: The key does not exist."
        );
        assert_eq!(shorten("plain"), "plain");
    }

    /// Files above MULTIPART_BYTES go up in parts and arrive whole.
    #[test]
    fn big_files_go_up_in_parts() {
        let bucket = tempfile::tempdir().unwrap();
        let big: String = "0123456789abcdef".repeat((MULTIPART_BYTES as usize) / 16 + 1000);
        let one = site(&[("index.html", "home"), ("docs/video.bin", big.as_str())]);
        let report = publish(
            &options(one.path(), bucket.path()),
            &PublishConfig::default(),
            &|_| {},
        )
        .unwrap();
        assert_eq!(report.uploaded, 2);
        let arrived = std::fs::read(bucket.path().join("docs/video.bin")).unwrap();
        assert!(arrived == big.as_bytes(), "the big file arrived whole");
    }

    #[test]
    fn refuses_folders_stagedoor_did_not_build() {
        let bucket = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("public")).unwrap();
        std::fs::write(dir.path().join("public/thesis.tex"), "x").unwrap();
        let opts = options(dir.path(), bucket.path());
        let err = publish(&opts, &PublishConfig::default(), &|_| {}).unwrap_err();
        assert!(matches!(err, PublishError::Usage(ref m) if m.contains("did not build")));
        assert_eq!(std::fs::read_dir(bucket.path()).unwrap().count(), 0);
    }
}
