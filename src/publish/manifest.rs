//! The publish manifest: every published file's path, content hash, size, type and cache
//! header. The local one is made from the site folder; the remote one is stored beside the
//! site in the bucket (`.stagedoor-publish.json`), so the next publish knows what is there
//! without listing or downloading anything. Which objects to upload and delete is the
//! difference of the two (`Plan`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{self, CacheRules, PHASES, Phase};

/// The manifest's object name, under the prefix.
pub const MANIFEST: &str = ".stagedoor-publish.json";
const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub hash: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub content_type: String,
    #[serde(rename = "cache")]
    pub cache_control: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub generator: String,
    pub files: BTreeMap<String, Entry>,
    /// Objects of an earlier site still to be deleted: written before the deletes start, so
    /// a publish interrupted while deleting leaves the next one a list to finish.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<String>,
}

impl Manifest {
    /// Every regular file under `dir`, hashed in parallel. Symbolic links are not followed:
    /// stagedoor never writes them, and one could point anywhere on the machine.
    pub fn of_folder(dir: &Path, rules: &CacheRules) -> Result<Manifest> {
        let mut paths = Vec::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(false) {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let Some(rel) = rel.to_str().filter(|r| is_confined(r)) else {
                anyhow::bail!(
                    "{} has a name that cannot be published (not UTF-8 or not plain)",
                    entry.path().display()
                );
            };
            paths.push((rel.replace('\\', "/"), entry.into_path()));
        }
        let files = paths
            .par_iter()
            .map(|(rel, path)| {
                let bytes =
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                let entry = Entry {
                    hash: blake3::hash(&bytes).to_hex().to_string(),
                    size: bytes.len() as u64,
                    content_type: rules::content_type(rel),
                    cache_control: rules.for_path(rel).to_string(),
                };
                Ok((rel.clone(), entry))
            })
            .collect::<Result<BTreeMap<_, _>>>()?;
        Ok(Manifest {
            format: FORMAT,
            generator: format!("stagedoor {}", env!("CARGO_PKG_VERSION")),
            files,
            stale: Vec::new(),
        })
    }

    /// A manifest read back from the bucket. Entries that could name something outside the
    /// prefix (a tampered or corrupt manifest) are dropped: they are never deleted.
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        let mut m: Manifest = serde_json::from_slice(bytes)?;
        m.files.retain(|path, _| is_confined(path));
        m.stale.retain(|path| is_confined(path));
        Ok(m)
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A relative path of plain segments: no `..`, `.`, empty segment or leading slash.
pub fn is_confined(path: &str) -> bool {
    !path.is_empty()
        && path != MANIFEST
        && path
            .split(['/', '\\'])
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// What a publish does: per phase, the files to upload; then the objects to delete.
#[derive(Debug, Default)]
pub struct Plan {
    pub uploads: Vec<(Phase, Vec<String>)>,
    pub unchanged: usize,
    pub deletes: Vec<String>,
}

impl Plan {
    /// The difference between what the bucket holds (`old`) and the site (`new`): files whose
    /// hash, type or cache header differ go up; files the old site had and the new one has
    /// not, and the old manifest's unfinished deletes, go away.
    pub fn between(old: &Manifest, new: &Manifest) -> Plan {
        let mut by_phase: BTreeMap<Phase, Vec<String>> = BTreeMap::new();
        let mut unchanged = 0;
        for (path, entry) in &new.files {
            if old.files.get(path) == Some(entry) {
                unchanged += 1;
            } else {
                by_phase
                    .entry(Phase::of(path))
                    .or_default()
                    .push(path.clone());
            }
        }
        let gone = old.files.keys().chain(&old.stale);
        let mut deletes: Vec<String> = gone
            .filter(|p| !new.files.contains_key(*p))
            .cloned()
            .collect();
        deletes.sort();
        deletes.dedup();
        let uploads = PHASES
            .iter()
            .map(|p| (*p, by_phase.remove(p).unwrap_or_default()))
            .collect();
        Plan {
            uploads,
            unchanged,
            deletes,
        }
    }

    pub fn upload_count(&self) -> usize {
        self.uploads.iter().map(|(_, f)| f.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: &str) -> Entry {
        Entry {
            hash: hash.into(),
            size: 1,
            content_type: "text/html".into(),
            cache_control: "no-cache".into(),
        }
    }

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|(p, h)| (p.to_string(), entry(h)))
                .collect(),
            ..Manifest::default()
        }
    }

    #[test]
    fn only_changed_files_go_up_in_phase_order_and_gone_ones_are_deleted() {
        let old = manifest(&[
            ("index.html", "1"),
            ("a/index.html", "1"),
            ("b/index.html", "1"),
            ("assets/x.css", "1"),
        ]);
        let mut new = manifest(&[
            ("index.html", "2"),
            ("a/index.html", "1"),
            ("c/index.html", "1"),
            ("assets/x.css", "2"),
        ]);
        let plan = Plan::between(&old, &new);
        let order: Vec<(Phase, Vec<String>)> = plan.uploads.clone();
        assert_eq!(
            order,
            [
                (Phase::Asset, vec!["assets/x.css".to_string()]),
                (Phase::Page, vec!["c/index.html".to_string()]),
                (Phase::EntryPoint, vec!["index.html".to_string()]),
            ]
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.deletes, ["b/index.html"]);
        // A changed cache header alone is an upload too.
        new.files.get_mut("a/index.html").unwrap().cache_control = "max-age=5".into();
        assert_eq!(Plan::between(&old, &new).upload_count(), 4);
        assert_eq!(Plan::between(&new, &new).upload_count(), 0);
    }

    #[test]
    fn unfinished_deletes_are_finished_unless_the_file_is_back() {
        let mut old = manifest(&[("index.html", "1")]);
        old.stale = vec!["gone.html".into(), "back.html".into()];
        let new = manifest(&[("index.html", "1"), ("back.html", "1")]);
        assert_eq!(Plan::between(&old, &new).deletes, ["gone.html"]);
    }

    #[test]
    fn a_tampered_manifest_cannot_reach_outside_the_prefix() {
        let json = br#"{"format":1,"generator":"x","files":{
            "../other/index.html":{"hash":"1","size":1,"type":"t","cache":"c"},
            "/abs":{"hash":"1","size":1,"type":"t","cache":"c"},
            "ok/index.html":{"hash":"1","size":1,"type":"t","cache":"c"}},
            "stale":["a/../../b", "fine.html"]}"#;
        let m = Manifest::parse(json).unwrap();
        assert_eq!(m.files.keys().collect::<Vec<_>>(), ["ok/index.html"]);
        assert_eq!(m.stale, ["fine.html"]);
    }

    #[test]
    fn a_folder_is_hashed_with_types_and_cache_headers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.path().join("assets/s.css"), "p{}").unwrap();
        let m = Manifest::of_folder(dir.path(), &CacheRules::new(&[]).unwrap()).unwrap();
        let home = &m.files["index.html"];
        assert_eq!(home.size, 9);
        assert_eq!(home.hash, blake3::hash(b"<p>hi</p>").to_hex().to_string());
        assert_eq!(home.content_type, "text/html; charset=utf-8");
        assert_eq!(m.files["assets/s.css"].cache_control, rules::IMMUTABLE);
    }
}
