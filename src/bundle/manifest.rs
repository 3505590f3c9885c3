//! A bundle's manifest (`bundles/<repo>/manifest.json`): the bundle format and the stagedoor
//! that made it, the repository's name and HEAD commit, every file by repository-relative
//! path (content hash and size, or the target of a symbolic link) and the last-commit date
//! of each Markdown file. It is written last, so a portal never sees a manifest whose blobs
//! are not there yet. Read back at the portal it is untrusted input: `parse` checks the
//! format, the bounds and every path before anything is fetched or written.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::limits::{MAX_BUNDLE_BYTES, MAX_FILE_BYTES, MAX_FILES, MAX_MANIFEST_BYTES};

/// The bundle format this stagedoor writes and reads. Raised when what a bundle holds or
/// how the portal must read it changes; a portal refuses any other (`Problem::Incompatible`).
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleManifest {
    pub format: u32,
    /// `stagedoor 0.1.0`: which program made it, for the message when it is refused.
    pub stagedoor: String,
    pub repo: String,
    /// HEAD's commit where it was bundled (empty when the folder is no git checkout).
    pub head: String,
    pub files: BTreeMap<String, FileEntry>,
    /// Markdown file → `YYYY-MM-DD` of the last commit touching it (pages show it).
    #[serde(default)]
    pub dates: BTreeMap<String, String>,
}

/// A regular file (`hash`, `size`; its bytes are the blob `blobs/<hash>`) or a symbolic link
/// (`link`: its target as written, relative).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl FileEntry {
    pub fn blob(hash: String, size: u64) -> Self {
        FileEntry {
            hash,
            size,
            link: None,
        }
    }
}

/// Why a bundle cannot be used at all.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    Unusable(String),
    Incompatible(String),
}

/// A manifest read back, with the entries that were refused (path, why).
#[derive(Debug)]
pub struct Checked {
    pub manifest: BundleManifest,
    pub refused: Vec<(String, String)>,
}

impl BundleManifest {
    pub fn new(repo: &str, head: String) -> Self {
        BundleManifest {
            format: FORMAT,
            stagedoor: stagedoor_version(),
            repo: repo.to_string(),
            head,
            files: BTreeMap::new(),
            dates: BTreeMap::new(),
        }
    }

    /// Deterministic bytes (sorted maps): the same repository gives the same manifest, so
    /// an unchanged bundle uploads nothing.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// The distinct blobs: hash → size.
    pub fn blobs(&self) -> BTreeMap<&str, u64> {
        (self.files.values())
            .filter(|f| f.link.is_none())
            .map(|f| (f.hash.as_str(), f.size))
            .collect()
    }
}

pub fn stagedoor_version() -> String {
    format!("stagedoor {}", env!("CARGO_PKG_VERSION"))
}

/// Reads a manifest fetched for repository `repo`: the format first (a bundle of another
/// format is refused with what made it), then the shape, the name and the bounds (any
/// failure refuses the bundle), then each entry (a bad one is refused alone).
pub fn parse(bytes: &[u8], repo: &str) -> Result<Checked, Problem> {
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(Problem::Unusable(format!(
            "its manifest is {} bytes, over the limit of {MAX_MANIFEST_BYTES}",
            bytes.len()
        )));
    }
    #[derive(Deserialize)]
    struct Head {
        format: u32,
        #[serde(default)]
        stagedoor: String,
    }
    let head: Head = serde_json::from_slice(bytes)
        .map_err(|e| Problem::Unusable(format!("its manifest is not a bundle manifest: {e}")))?;
    if head.format != FORMAT {
        let made_by = Some(head.stagedoor.chars().take(80).collect::<String>())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "an unknown stagedoor".into());
        return Err(Problem::Incompatible(format!(
            "it has bundle format {} (made by {made_by}); {} reads format {FORMAT}",
            head.format,
            stagedoor_version()
        )));
    }
    let mut manifest: BundleManifest = serde_json::from_slice(bytes)
        .map_err(|e| Problem::Unusable(format!("its manifest is not a bundle manifest: {e}")))?;
    if manifest.repo != repo {
        return Err(Problem::Unusable(format!(
            "its manifest names another repository ({:?})",
            manifest.repo.chars().take(100).collect::<String>()
        )));
    }
    check_bounds(&manifest)?;
    let refused = refuse_bad_entries(&mut manifest);
    manifest
        .dates
        .retain(|path, date| manifest.files.contains_key(path) && is_date(date));
    manifest.head = manifest.head.chars().take(100).collect();
    Ok(Checked { manifest, refused })
}

fn check_bounds(m: &BundleManifest) -> Result<(), Problem> {
    if m.files.len() > MAX_FILES {
        return Err(Problem::Unusable(format!(
            "it lists {} files, over the limit of {MAX_FILES}",
            m.files.len()
        )));
    }
    let total: u64 = m
        .blobs()
        .values()
        .map(|s| (*s).min(MAX_FILE_BYTES + 1))
        .sum();
    if total > MAX_BUNDLE_BYTES {
        return Err(Problem::Unusable(format!(
            "its files add up to {total} bytes, over the limit of {MAX_BUNDLE_BYTES}"
        )));
    }
    Ok(())
}

/// Drops every entry a portal must not write, and says why: paths that are not plain
/// relative paths, bad hashes, files over the size limit, links that point out of the
/// repository, and anything below a link (writing there would write through it).
fn refuse_bad_entries(m: &mut BundleManifest) -> Vec<(String, String)> {
    let links: BTreeSet<String> = (m.files.iter())
        .filter(|(_, f)| f.link.is_some())
        .map(|(p, _)| p.clone())
        .collect();
    let mut refused = Vec::new();
    m.files
        .retain(|path, entry| match why_refused(path, entry, &links) {
            Some(why) => {
                refused.push((shown_name(path), why));
                false
            }
            None => true,
        });
    refused
}

fn why_refused(path: &str, entry: &FileEntry, links: &BTreeSet<String>) -> Option<String> {
    if !is_plain_path(path) {
        return Some("its path is not a plain relative path".into());
    }
    let mut prefix = String::new();
    for seg in path.split('/') {
        if !prefix.is_empty() && links.contains(&prefix) {
            return Some(format!("it lies below the symbolic link {prefix}"));
        }
        prefix = if prefix.is_empty() {
            seg.to_string()
        } else {
            format!("{prefix}/{seg}")
        };
    }
    match &entry.link {
        Some(target) if !link_stays_inside(path, target) => {
            Some("it is a symbolic link pointing out of the repository".into())
        }
        Some(_) => None,
        None if !is_hash(&entry.hash) => Some("its content hash is not a blake3 hash".into()),
        None if entry.size > MAX_FILE_BYTES => Some(format!(
            "it is {} bytes, over the per-file limit of {MAX_FILE_BYTES}",
            entry.size
        )),
        None => None,
    }
}

/// Plain segments separated by `/`: no empty, `.` or `..` segment, no backslash, no control
/// character, no leading slash, not too long.
pub fn is_plain_path(path: &str) -> bool {
    path.len() <= 1024
        && !path.is_empty()
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// Whether a link at `path` with target `target` names a place inside the repository, read
/// lexically (the build checks every link it follows against the real path again).
pub fn link_stays_inside(path: &str, target: &str) -> bool {
    if target.is_empty() || target.starts_with('/') || target.contains(['\\', '\0']) {
        return false;
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return false;
                }
            }
            s => parts.push(s),
        }
    }
    true
}

fn is_hash(h: &str) -> bool {
    h.len() == 64
        && h.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A path from an untrusted manifest, safe to print: escaped and cut short.
fn shown_name(path: &str) -> String {
    path.chars()
        .take(200)
        .flat_map(char::escape_debug)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";

    fn manifest_with(files: &[(&str, FileEntry)]) -> Vec<u8> {
        let mut m = BundleManifest::new("svc", "abc".into());
        for (p, f) in files {
            m.files.insert(p.to_string(), f.clone());
        }
        m.dates.insert("docs/index.md".into(), "2024-05-01".into());
        m.dates.insert("docs/gone.md".into(), "2024-05-01".into());
        m.to_json()
    }

    fn link(t: &str) -> FileEntry {
        FileEntry {
            hash: String::new(),
            size: 0,
            link: Some(t.into()),
        }
    }

    #[test]
    fn a_manifest_round_trips_and_dates_of_absent_files_are_dropped() {
        let bytes = manifest_with(&[("docs/index.md", FileEntry::blob(H.into(), 5))]);
        let checked = parse(&bytes, "svc").unwrap();
        assert!(checked.refused.is_empty());
        assert_eq!(checked.manifest.files.len(), 1);
        assert_eq!(
            checked.manifest.dates.keys().collect::<Vec<_>>(),
            ["docs/index.md"]
        );
        assert_eq!(checked.manifest.to_json(), {
            let mut m = checked.manifest.clone();
            m.dates.clear();
            m.dates.insert("docs/index.md".into(), "2024-05-01".into());
            m.to_json()
        });
    }

    #[test]
    fn escaping_paths_links_and_big_files_are_refused_one_by_one() {
        let bytes = manifest_with(&[
            ("ok.md", FileEntry::blob(H.into(), 5)),
            ("../etc/passwd", FileEntry::blob(H.into(), 5)),
            ("a/./b", FileEntry::blob(H.into(), 5)),
            ("/abs", FileEntry::blob(H.into(), 5)),
            ("back\\slash", FileEntry::blob(H.into(), 5)),
            ("badhash", FileEntry::blob("zz".into(), 5)),
            ("huge.bin", FileEntry::blob(H.into(), MAX_FILE_BYTES + 1)),
            ("out", link("../../x")),
            ("abs-link", link("/etc")),
            ("docs/shared", link("../common")),
            ("docs/shared/x.md", FileEntry::blob(H.into(), 5)),
        ]);
        let checked = parse(&bytes, "svc").unwrap();
        let kept: Vec<&String> = checked.manifest.files.keys().collect();
        assert_eq!(kept, ["docs/shared", "ok.md"]);
        let refused: Vec<&str> = checked.refused.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(refused.len(), 9, "{refused:?}");
        assert!(refused.contains(&"docs/shared/x.md"), "below a link");
    }

    #[test]
    fn another_format_is_refused_naming_what_made_it() {
        let text = String::from_utf8(manifest_with(&[])).unwrap().replacen(
            "\"format\": 1",
            "\"format\": 9",
            1,
        );
        match parse(text.as_bytes(), "svc") {
            Err(Problem::Incompatible(why)) => {
                assert!(
                    why.contains("format 9") && why.contains("stagedoor 0."),
                    "{why}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_another_name_and_too_many_bytes_refuse_the_bundle() {
        assert!(matches!(parse(b"{nope", "svc"), Err(Problem::Unusable(_))));
        assert!(matches!(
            parse(&manifest_with(&[]), "other"),
            Err(Problem::Unusable(_))
        ));
        let many: Vec<(String, FileEntry)> = (0..30)
            .map(|i| (format!("f{i}"), FileEntry::blob(H.into(), MAX_FILE_BYTES)))
            .collect();
        let mut m = BundleManifest::new("svc", String::new());
        // Distinct hashes: the bound is on distinct blobs.
        for (i, (p, mut f)) in many.into_iter().enumerate() {
            f.hash = format!("{:064x}", i);
            m.files.insert(p, f);
        }
        assert!(matches!(
            parse(&m.to_json(), "svc"),
            Err(Problem::Unusable(why)) if why.contains("add up")
        ));
    }

    #[test]
    fn links_are_read_lexically_from_their_folder() {
        assert!(link_stays_inside("docs/a.md", "../README.md"));
        assert!(link_stays_inside("a/b/c", "../../d"));
        assert!(!link_stays_inside("a/b/c", "../../../d"));
        assert!(!link_stays_inside("x", "/etc/passwd"));
        assert!(!link_stays_inside("x", ""));
    }
}
