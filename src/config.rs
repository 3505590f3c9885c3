//! Config: `stagedoor.yaml` (or defaults for a bare repository) → the resolved settings the
//! build runs on. Unknown keys warn with the nearest valid one; wrong shapes are errors that
//! stop the build before it starts (exit 2).

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::fsutil;
use crate::yaml::{self, Node, Schema};

pub const CONFIG_FILE: &str = "stagedoor.yaml";

/// One folder to walk. A root is also the repository boundary for the files in it, unless a
/// nearer folder holds a `.git`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Root {
    pub path: PathBuf,
    /// Web URL of the repository (`{repo}` already replaced), for view/edit/source links.
    pub repo_url: Option<String>,
    pub branch: String,
    /// Raw HTML in this root's docs is not sanitised.
    pub trusted: bool,
    /// What git would say about this root when it is no checkout (a bundle's copy of a
    /// repository, `bundle`): used instead of asking git.
    pub recorded: Option<Recorded>,
}

/// A repository's history as recorded where it was bundled: HEAD's commit and the date of
/// the last commit touching each file (`YYYY-MM-DD`, by repository-relative path).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Recorded {
    pub head: String,
    pub dates: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct RadarConfig {
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub quadrants: Vec<String>,
    pub rings: Vec<String>,
    pub line: usize,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Config {
    pub site_dir: PathBuf,
    pub config_file: Option<PathBuf>,
    pub title: String,
    pub base_url: Option<String>,
    pub roots: Vec<Root>,
    pub catalog_files: Vec<String>,
    pub exclude: Vec<String>,
    pub locations: Vec<PathBuf>,
    pub out: PathBuf,
    /// The build cache folder (`cache_dir`), when the file names one. Not hashed into the
    /// build fingerprint: where the cache lives changes nothing the build writes.
    #[serde(skip)]
    pub cache_dir: Option<PathBuf>,
    pub theme_dir: Option<PathBuf>,
    pub directory_urls: bool,
    pub radars: Vec<RadarConfig>,
    pub plantuml: Option<PlantUml>,
    /// Relation graphs on entity pages (`graph:`).
    pub graph: GraphConfig,
    /// `scorecards:` as written; `scorecard::load_rules` reads it (its problems are
    /// diagnostics of the build, not fatal config errors).
    pub scorecards: Option<yaml::Node>,
    /// Where and how `stagedoor publish` uploads the site; not part of what a build makes,
    /// so left out of the build fingerprint.
    #[serde(skip)]
    pub publish: PublishConfig,
    /// `bundles:` (or `--bundles`): the object store the repositories' bundles are read
    /// from. The bundles become roots (`bundle`), which the fingerprint hashes.
    #[serde(skip)]
    pub bundles: Option<BundlesConfig>,
    /// The folder the bundles were fetched into, once they were: its files are shown from
    /// it (`diagnostics::Shown`).
    #[serde(skip)]
    pub bundle_checkouts: Option<PathBuf>,
}

/// `bundles:` in stagedoor.yaml: a URL, or a mapping with `from` and what a root says.
#[derive(Clone, Debug, Default)]
pub struct BundlesConfig {
    /// `s3://bucket/prefix` (or gs://, az://, file://) holding `bundles/<repo>/`.
    pub from: String,
    /// Web URL of each bundled repository, `{repo}` replaced by its bundle name.
    pub repo_url: Option<String>,
    pub branch: String,
}

impl Config {
    /// How paths are shown in what this build writes (`diagnostics::Shown`).
    pub fn shown(&self) -> crate::diagnostics::Shown<'_> {
        crate::diagnostics::Shown {
            site: &self.site_dir,
            bundles: self.bundle_checkouts.as_deref(),
        }
    }
}

/// `publish:` in stagedoor.yaml.
#[derive(Clone, Debug, Default)]
pub struct PublishConfig {
    /// `s3://bucket/prefix`, `gs://…`, `az://container/prefix` or `file:///path`.
    pub to: Option<String>,
    /// An S3-compatible endpoint (MinIO, Ceph, R2…) or a storage emulator's URL.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// `(glob, Cache-Control value)` pairs, tried before the defaults; the first match wins.
    pub cache_control: Vec<(String, String)>,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "roots",
    "catalog",
    "exclude",
    "locations",
    "out",
    "cache_dir",
    "theme",
    "radars",
    "directory_urls",
    "plantuml",
    "publish",
    "graph",
    "scorecards",
    "bundles",
];
const BUNDLES_KEYS: &[&str] = &["from", "repo_url", "branch"];
const PUBLISH_KEYS: &[&str] = &["to", "endpoint", "region", "cache_control"];
const CACHE_CONTROL_KEYS: &[&str] = &["match", "value"];
const PLANTUML_KEYS: &[&str] = &["server", "command"];
const GRAPH_KEYS: &[&str] = &["depth", "max_per_rank"];

/// `graph:` in stagedoor.yaml: how much of the catalog an entity page's relation graph shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct GraphConfig {
    /// How many relation steps from the entity (1..=3).
    pub depth: usize,
    /// Entities per column before the rest fold into one "and N more" node (2..=50).
    pub max_per_rank: usize,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            depth: 1,
            max_per_rank: 8,
        }
    }
}

/// How PlantUML blocks are drawn (`plantuml:` in stagedoor.yaml). Without it they stay code.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum PlantUml {
    /// A PlantUML server (`https://www.plantuml.com/plantuml`): pages show `<img>`s of
    /// `{server}/svg/{encoded source}`, drawn by the server when a reader opens the page.
    Server(String),
    /// A program (split at spaces, run without a shell) reading the source on stdin and
    /// writing SVG on stdout, e.g. `plantuml -tsvg -pipe`; run at build time, time-limited.
    Command(Vec<String>),
}
const ROOT_KEYS: &[&str] = &["path", "repo_url", "branch", "trusted"];
const CATALOG_KEYS: &[&str] = &["files"];
const RADAR_KEYS: &[&str] = &["id", "title", "file", "quadrants", "rings"];

/// Settings given on the command line, which win over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub no_directory_urls: bool,
    /// `--bundles URL`: read bundles from there (with `bundles:`'s other settings).
    pub bundles: Option<String>,
}

pub struct Loaded {
    pub config: Config,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// True when the config is unusable (exit 2).
    pub fn is_fatal(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads `SITE/stagedoor.yaml`, or defaults that make SITE the one root.
pub fn load_config(site: &Path, overrides: &Overrides) -> std::io::Result<Loaded> {
    let site_dir = site.canonicalize()?;
    let file = site_dir.join(CONFIG_FILE);
    let mut diags = Vec::new();
    let root_node = if file.is_file() {
        match fsutil::read_text_limited(&file, 1024 * 1024) {
            Ok(text) => match yaml::parse_single(&text, Schema::Core12) {
                Ok(node) => node,
                Err(e) => {
                    diags.push(
                        Diagnostic::new(Code::ConfigInvalid, e.message).at(&file, e.line, e.col),
                    );
                    None
                }
            },
            Err(e) => {
                diags.push(
                    Diagnostic::new(Code::ConfigInvalid, format!("cannot read: {e}"))
                        .in_file(&file),
                );
                None
            }
        }
    } else {
        None
    };
    let mut reader = Reader {
        file: &file,
        site: &site_dir,
        diags: &mut diags,
    };
    let config = reader.config(root_node.as_ref(), overrides, file.is_file());
    Ok(Loaded {
        config,
        diagnostics: diags,
    })
}

struct Reader<'a> {
    file: &'a Path,
    site: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, node: &Node, message: String) {
        self.diags
            .push(Diagnostic::new(Code::ConfigInvalid, message).at(self.file, node.line, node.col));
    }

    fn check_keys(&mut self, node: &Node, allowed: &[&str], section: &str) {
        if node.as_map().is_none() {
            if !node.is_null() {
                self.error(
                    node,
                    format!("{section} must be a mapping, found {}", node.type_name()),
                );
            }
            return;
        }
        for (key, _) in node.as_map().unwrap_or_default() {
            let k = key.scalar_text().unwrap_or_default();
            if !allowed.contains(&k.as_str()) {
                let mut d = Diagnostic::new(
                    Code::ConfigUnknownKey,
                    format!("unknown key \"{k}\" in {section}"),
                )
                .at(self.file, key.line, key.col);
                if let Some(near) = nearest(&k, allowed) {
                    d = d.hint(format!("did you mean \"{near}\"?"));
                }
                self.diags.push(d);
            }
        }
    }

    fn string(&mut self, node: Option<&Node>, what: &str) -> Option<String> {
        let node = node.filter(|n| !n.is_null())?;
        match node.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(
                    node,
                    format!("{what} must be a string, found {}", node.type_name()),
                );
                None
            }
        }
    }

    /// An absolute http(s) URL: it is written into every page's canonical link and the
    /// sitemap, where any other scheme (`javascript:`) would be a script URL.
    fn web_url(&mut self, node: Option<&Node>, what: &str) -> Option<String> {
        let text = self.string(node, what)?;
        if is_web_url(&text) {
            return Some(text);
        }
        if let Some(node) = node {
            self.error(
                node,
                format!("{what} must be an absolute http or https URL, found \"{text}\""),
            );
        }
        None
    }

    /// A YAML boolean; anything else (`yes` is a string in YAML 1.2) is an error, not a guess.
    fn boolean(&mut self, node: Option<&Node>, what: &str) -> Option<bool> {
        let node = node.filter(|n| !n.is_null())?;
        match node.value {
            yaml::Value::Bool(b) => Some(b),
            _ => {
                self.error(
                    node,
                    format!("{what} must be true or false, found {}", node.type_name()),
                );
                None
            }
        }
    }

    fn strings(&mut self, node: Option<&Node>, what: &str) -> Option<Vec<String>> {
        let node = node.filter(|n| !n.is_null())?;
        if let Some(s) = node.as_str() {
            return Some(vec![s.to_string()]);
        }
        let Some(items) = node.as_seq() else {
            self.error(
                node,
                format!(
                    "{what} must be a list of strings, found {}",
                    node.type_name()
                ),
            );
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|i| self.string(Some(i), what))
                .collect(),
        )
    }

    fn path(&self, s: &str) -> PathBuf {
        fsutil::normalize(&self.site.join(s))
    }

    fn config(&mut self, node: Option<&Node>, o: &Overrides, from_file: bool) -> Config {
        let empty = Node {
            value: yaml::Value::Map(Vec::new()),
            line: 1,
            col: 1,
            tag: None,
        };
        let node = node.unwrap_or(&empty);
        self.check_keys(node, TOP_KEYS, CONFIG_FILE);
        let default_title = self
            .site
            .file_name()
            .map_or("Developer Portal".into(), |n| {
                n.to_string_lossy().into_owned()
            });
        let title = self
            .string(node.get("title"), "title")
            .unwrap_or(default_title);
        let base_url = o
            .base_url
            .clone()
            .or_else(|| self.web_url(node.get("base_url"), "base_url"));
        let bundles = self.bundles(node.get("bundles"), o);
        // A portal of bundles only walks no folder unless told to.
        let roots = match node.get("roots") {
            None if bundles.is_some() => Vec::new(),
            given => self.roots(given),
        };
        let catalog = node.get("catalog");
        if let Some(c) = catalog {
            self.check_keys(c, CATALOG_KEYS, "catalog");
        }
        let catalog_files = self
            .strings(catalog.and_then(|c| c.get("files")), "catalog.files")
            .unwrap_or_else(|| vec!["catalog-info.yaml".into(), "catalog-info.yml".into()]);
        let exclude = self
            .strings(node.get("exclude"), "exclude")
            .unwrap_or_default();
        let locations = self
            .strings(node.get("locations"), "locations")
            .unwrap_or_default();
        let out = o
            .out
            .clone()
            .map(|p| fsutil::normalize(&std::env::current_dir().unwrap_or_default().join(p)));
        let out_text = self
            .string(node.get("out"), "out")
            .unwrap_or_else(|| "public".into());
        let out = out.unwrap_or_else(|| self.path(&out_text));
        let cache_dir = (self.string(node.get("cache_dir"), "cache_dir")).map(|c| self.path(&c));
        let theme_dir = match self.string(node.get("theme"), "theme") {
            Some(t) => Some(self.path(&t)),
            None => Some(self.site.join("theme")).filter(|p| p.is_dir()),
        };
        let directory_urls = !o.no_directory_urls
            && self
                .boolean(node.get("directory_urls"), "directory_urls")
                .unwrap_or(true);
        let radars = self.radars(node.get("radars"));
        let plantuml = node.get("plantuml").and_then(|p| {
            self.check_keys(p, PLANTUML_KEYS, "plantuml");
            let command = self.string(p.get("command"), "plantuml.command");
            let argv: Vec<String> = command
                .iter()
                .flat_map(|c| c.split_whitespace())
                .map(str::to_string)
                .collect();
            if !argv.is_empty() {
                return Some(PlantUml::Command(argv));
            }
            self.web_url(p.get("server"), "plantuml.server")
                .map(|url| PlantUml::Server(url.trim_end_matches('/').to_string()))
        });
        let publish = self.publish(node.get("publish"));
        let graph = self.graph(node.get("graph"));
        Config {
            site_dir: self.site.to_path_buf(),
            config_file: from_file.then(|| self.file.to_path_buf()),
            title,
            base_url,
            roots,
            catalog_files,
            exclude,
            locations: locations.iter().map(|l| self.path(l)).collect(),
            out,
            cache_dir,
            theme_dir,
            directory_urls,
            radars,
            plantuml,
            graph,
            publish,
            bundles,
            bundle_checkouts: None,
            scorecards: node.get("scorecards").cloned(),
        }
    }

    fn bundles(&mut self, node: Option<&Node>, o: &Overrides) -> Option<BundlesConfig> {
        let node = node.filter(|n| !n.is_null());
        let mut config = BundlesConfig {
            branch: "main".into(),
            ..BundlesConfig::default()
        };
        let mut from = None;
        if let Some(node) = node {
            if node.as_str().is_some() {
                from = self.string(Some(node), "bundles");
            } else {
                self.check_keys(node, BUNDLES_KEYS, "bundles");
                from = self.string(node.get("from"), "bundles.from");
                config.repo_url = self.web_url(node.get("repo_url"), "bundles.repo_url");
                if let Some(b) = self.string(node.get("branch"), "bundles.branch") {
                    config.branch = b;
                }
                if from.is_none() && o.bundles.is_none() {
                    self.error(
                        node,
                        "bundles needs \"from\": the URL bundles are read from".into(),
                    );
                }
            }
        }
        config.from = o.bundles.clone().or(from)?;
        Some(config)
    }

    fn graph(&mut self, node: Option<&Node>) -> GraphConfig {
        let d = GraphConfig::default();
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return d;
        };
        self.check_keys(node, GRAPH_KEYS, "graph");
        GraphConfig {
            depth: self.count(node.get("depth"), "graph.depth", 1..=3, d.depth),
            max_per_rank: self.count(
                node.get("max_per_rank"),
                "graph.max_per_rank",
                2..=50,
                d.max_per_rank,
            ),
        }
    }

    /// A whole number in `range`; anything else is an error and the default is used.
    fn count(
        &mut self,
        node: Option<&Node>,
        what: &str,
        range: std::ops::RangeInclusive<usize>,
        default: usize,
    ) -> usize {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return default;
        };
        let n = match node.value {
            yaml::Value::Int(i) => usize::try_from(i).ok().filter(|n| range.contains(n)),
            _ => None,
        };
        n.unwrap_or_else(|| {
            let found = match node.value {
                yaml::Value::Int(i) => i.to_string(),
                _ => node.type_name().to_string(),
            };
            self.error(
                node,
                format!(
                    "{what} must be a whole number from {} to {}, found {}",
                    range.start(),
                    range.end(),
                    found
                ),
            );
            default
        })
    }

    fn publish(&mut self, node: Option<&Node>) -> PublishConfig {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return PublishConfig::default();
        };
        self.check_keys(node, PUBLISH_KEYS, "publish");
        let mut cache_control = Vec::new();
        if let Some(rules) = node.get("cache_control").filter(|n| !n.is_null()) {
            match rules.as_seq() {
                Some(items) => {
                    for item in items {
                        self.check_keys(item, CACHE_CONTROL_KEYS, "publish.cache_control");
                        let glob = self.string(item.get("match"), "publish.cache_control[].match");
                        let value = self.string(item.get("value"), "publish.cache_control[].value");
                        match (glob, value) {
                            (Some(g), Some(v)) => cache_control.push((g, v)),
                            _ => self.error(
                                item,
                                "a cache_control rule needs \"match\" (a glob) and \"value\""
                                    .into(),
                            ),
                        }
                    }
                }
                None => self.error(rules, "publish.cache_control must be a list".into()),
            }
        }
        PublishConfig {
            to: self.string(node.get("to"), "publish.to"),
            endpoint: self.web_url(node.get("endpoint"), "publish.endpoint"),
            region: self.string(node.get("region"), "publish.region"),
            cache_control,
        }
    }

    fn roots(&mut self, node: Option<&Node>) -> Vec<Root> {
        let default = || {
            vec![Root {
                path: PathBuf::from("."),
                repo_url: None,
                branch: "main".into(),
                trusted: false,
                recorded: None,
            }]
        };
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return self.expand_roots(default(), None);
        };
        let items: Vec<&Node> = match node.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![node],
        };
        let mut roots = Vec::new();
        for item in items {
            let (path, repo_url, branch, trusted) = if let Some(s) = item.as_str() {
                (s.to_string(), None, "main".to_string(), false)
            } else if item.as_map().is_some() {
                self.check_keys(item, ROOT_KEYS, "roots");
                let Some(path) = self.string(item.get("path"), "roots[].path") else {
                    self.error(item, "a root needs a \"path\"".into());
                    continue;
                };
                let repo_url = self.web_url(item.get("repo_url"), "roots[].repo_url");
                let branch = self
                    .string(item.get("branch"), "roots[].branch")
                    .unwrap_or_else(|| "main".into());
                let trusted = self
                    .boolean(item.get("trusted"), "roots[].trusted")
                    .unwrap_or(false);
                (path, repo_url, branch, trusted)
            } else {
                self.error(
                    item,
                    format!(
                        "a root must be a path or a mapping, found {}",
                        item.type_name()
                    ),
                );
                continue;
            };
            let root = Root {
                path: PathBuf::from(path),
                repo_url,
                branch,
                trusted,
                recorded: None,
            };
            roots.extend(self.expand_roots(vec![root], Some(item)));
        }
        roots
    }

    /// Expands glob roots (`repos/*`) into one root per matching folder, canonical and sorted.
    fn expand_roots(&mut self, roots: Vec<Root>, at: Option<&Node>) -> Vec<Root> {
        let mut out = Vec::new();
        for root in roots {
            let pattern = fsutil::slash_path(&root.path);
            let matches = expand_dir_glob(self.site, &pattern);
            if matches.is_empty() {
                let node = at.cloned().unwrap_or(Node {
                    value: yaml::Value::Null,
                    line: 1,
                    col: 1,
                    tag: None,
                });
                self.error(&node, format!("root \"{pattern}\" matches no folder"));
            }
            for dir in matches {
                let repo = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let repo_url = root
                    .repo_url
                    .as_ref()
                    .map(|u| u.replace("{repo}", &repo).trim_end_matches('/').to_string());
                out.push(Root {
                    path: dir,
                    repo_url,
                    branch: root.branch.clone(),
                    trusted: root.trusted,
                    recorded: None,
                });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.dedup_by(|a, b| a.path == b.path);
        out
    }

    fn radars(&mut self, node: Option<&Node>) -> Vec<RadarConfig> {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Vec::new();
        };
        let Some(items) = node.as_seq() else {
            self.error(node, "radars must be a list".into());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            self.check_keys(item, RADAR_KEYS, "radars");
            let (Some(id), Some(file)) = (
                self.string(item.get("id"), "radars[].id"),
                self.string(item.get("file"), "radars[].file"),
            ) else {
                self.error(item, "a radar needs an \"id\" and a \"file\"".into());
                continue;
            };
            let title = self
                .string(item.get("title"), "radars[].title")
                .unwrap_or_else(|| id.clone());
            let quadrants = self
                .strings(item.get("quadrants"), "radars[].quadrants")
                .unwrap_or_default();
            let rings = self
                .strings(item.get("rings"), "radars[].rings")
                .unwrap_or_default();
            out.push(RadarConfig {
                id,
                title,
                file: self.path(&file),
                quadrants,
                rings,
                line: item.line,
            });
        }
        out
    }
}

/// Folders matching a relative pattern whose parts may hold `*`, `?` or `[…]`.
fn expand_dir_glob(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let start = if pattern.starts_with('/') {
        PathBuf::from("/")
    } else {
        base.to_path_buf()
    };
    let mut current = vec![start];
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let is_glob = part.contains(['*', '?', '[']);
        let mut next = Vec::new();
        for dir in &current {
            if !is_glob {
                next.push(fsutil::normalize(&dir.join(part)));
                continue;
            }
            let Ok(matcher) = globset::Glob::new(part).map(|g| g.compile_matcher()) else {
                continue;
            };
            let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.path().is_dir() && matcher.is_match(e.file_name()))
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect();
            found.sort();
            next.extend(found);
        }
        current = next;
    }
    current
        .into_iter()
        .filter_map(|p| p.canonicalize().ok())
        .filter(|p| p.is_dir())
        .collect()
}

/// The allowed key closest to a mistyped one, when it is close enough to be a typo.
fn nearest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map(|(_, a)| a)
}

/// Whether `s` is an absolute http or https URL (also used for `--base-url`).
pub fn is_web_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Loaded {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repos/a")).unwrap();
        std::fs::create_dir_all(dir.path().join("repos/b")).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), yaml).unwrap();
        let loaded = load_config(dir.path(), &Overrides::default()).unwrap();
        std::mem::forget(dir);
        loaded
    }

    #[test]
    fn base_and_repo_urls_must_be_web_urls() {
        let l = load(
            "base_url: javascript:alert(1)//\nroots:\n  - path: repos/*\n    repo_url: \"JaVaScRiPt:alert(1)//{repo}\"\n",
        );
        let invalid: Vec<_> = l
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ConfigInvalid)
            .map(|d| d.line)
            .collect();
        assert_eq!(invalid, [Some(1), Some(4)], "{:?}", l.diagnostics);
        assert!(l.is_fatal());
        assert!(is_web_url("https://portal.example/dev/"));
        assert!(!is_web_url("/relative/"));
    }

    #[test]
    fn unknown_keys_warn_with_the_nearest_valid_key() {
        let l = load("titel: X\nroots: [repos/*]\n");
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].code, Code::ConfigUnknownKey);
        assert_eq!(
            l.diagnostics[0].hint.as_deref(),
            Some("did you mean \"title\"?")
        );
        assert!(!l.is_fatal());
    }

    #[test]
    fn glob_roots_expand_to_one_root_per_folder_with_repo_urls() {
        let l = load("roots:\n  - path: repos/*\n    repo_url: https://github.com/acme/{repo}\n");
        let urls: Vec<_> = l
            .config
            .roots
            .iter()
            .map(|r| r.repo_url.clone().unwrap())
            .collect();
        assert_eq!(
            urls,
            ["https://github.com/acme/a", "https://github.com/acme/b"]
        );
    }

    #[test]
    fn wrong_shapes_are_fatal() {
        let l = load("roots: 12\n");
        assert!(l.is_fatal());
        let l = load("catalog:\n  files: {a: 1}\n");
        assert!(l.is_fatal());
    }

    #[test]
    fn booleans_must_be_booleans() {
        let l = load("directory_urls: false\nroots:\n  - path: repos/a\n    trusted: true\n");
        assert!(!l.is_fatal());
        assert!(!l.config.directory_urls);
        assert!(l.config.roots[0].trusted);
        let l = load("roots:\n  - path: repos/a\n    trusted: yes\n");
        assert!(
            l.is_fatal(),
            "yes is a string in YAML 1.2: {:?}",
            l.diagnostics
        );
    }

    #[test]
    fn defaults_make_the_site_the_only_root() {
        let dir = tempfile::tempdir().unwrap();
        let l = load_config(dir.path(), &Overrides::default()).unwrap();
        assert_eq!(l.config.roots.len(), 1);
        assert_eq!(l.config.roots[0].path, dir.path().canonicalize().unwrap());
        assert!(l.config.out.ends_with("public"));
        assert_eq!(l.config.cache_dir, None);
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn cache_dir_is_relative_to_the_site_folder() {
        let l = load("cache_dir: ../ci-cache\n");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let dir = l.config.cache_dir.unwrap();
        assert_eq!(dir, l.config.site_dir.parent().unwrap().join("ci-cache"));
    }

    #[test]
    fn graph_settings_are_read_and_checked() {
        let l = load("graph: { depth: 2, max_per_rank: 5 }\n");
        assert_eq!(
            l.config.graph,
            GraphConfig {
                depth: 2,
                max_per_rank: 5
            }
        );
        let l = load("graph: { depth: 9 }\n");
        assert!(l.is_fatal());
        assert_eq!(l.config.graph.depth, 1);
        assert_eq!(load("").config.graph, GraphConfig::default());
    }

    #[test]
    fn plantuml_server_is_read_and_checked() {
        let l = load("plantuml:\n  server: https://uml.example/plantuml/\n");
        let server = PlantUml::Server("https://uml.example/plantuml".into());
        assert_eq!(l.config.plantuml, Some(server));
        let l = load("plantuml:\n  sever: https://uml.example\n");
        assert_eq!(l.config.plantuml, None);
        assert!(
            l.diagnostics
                .iter()
                .any(|d| d.message.contains("\"sever\""))
        );
        let l = load("plantuml:\n  command: plantuml  -tsvg -pipe\n");
        let argv = ["plantuml", "-tsvg", "-pipe"].map(String::from).to_vec();
        assert_eq!(l.config.plantuml, Some(PlantUml::Command(argv)));
        let l = load("plantuml:\n  server: uml.example\n");
        assert!(l.is_fatal() || !l.diagnostics.is_empty());
    }
}
