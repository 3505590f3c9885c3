//! mkdocs.yml as TechDocs reads it (spec §7.2): `mkdocs.yaml` before `mkdocs.yml`, a
//! synthesised config when there is none, `INHERIT`, `!ENV` tags, and the keys that shape the
//! built site. Plugins and extensions that have no effect here are reported once per file.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::fsutil;
use crate::yaml::{self, Node, Schema, Value};

/// Markdown extensions stagedoor renders itself (the techdocs-core set and its relatives).
const SUPPORTED_EXTENSIONS: &[&str] = &[
    "toc",
    "admonition",
    "attr_list",
    "def_list",
    "tables",
    "abbr",
    "footnotes",
    "md_in_html",
    "meta",
    "fenced_code",
    "codehilite",
    "sane_lists",
    "mdx_truly_sane_lists",
    "extra",
    "markdown.extensions.toc",
    "pymdownx.details",
    "pymdownx.tabbed",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.snippets",
    "pymdownx.emoji",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.caret",
    "pymdownx.tilde",
    "pymdownx.critic",
    "pymdownx.smartsymbols",
    "pymdownx.tasklist",
    "pymdownx.keys",
    "pymdownx.betterem",
    "pymdownx.extra",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.tab",
    "pymdownx.saneheaders",
    "markdown.extensions.attr_list",
    "markdown.extensions.tables",
    "markdown.extensions.admonition",
    "markdown.extensions.def_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.abbr",
    "markdown.extensions.md_in_html",
    "markdown.extensions.meta",
];

/// Plugins whose effect stagedoor provides (or that have none on the output).
const SUPPORTED_PLUGINS: &[&str] = &[
    "techdocs-core",
    "search",
    "material/search",
    "monorepo",
    "redirects",
    "group",
    "material/group",
    "mermaid2",
    "literate-nav",
];

/// What a docs site needs from its mkdocs.yml.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct MkdocsConfig {
    /// The mkdocs.yml file, or None when it was synthesised.
    pub file: Option<PathBuf>,
    /// The folder TechDocs builds: where mkdocs.yml is (or would be).
    pub root: PathBuf,
    pub site_name: String,
    pub site_description: Option<String>,
    /// Absolute docs folder.
    pub docs_dir: PathBuf,
    pub nav: Option<Node>,
    pub repo_url: Option<String>,
    pub edit_uri: Option<String>,
    pub edit_uri_template: Option<String>,
    pub exclude_docs: Vec<String>,
    pub not_in_nav: Vec<String>,
    /// `pymdownx.highlight: {linenums: …}` (techdocs-core default: true).
    pub linenums: bool,
    /// `toc: {permalink: …}` (techdocs-core default: true).
    pub permalink: bool,
    /// `toc: {toc_depth: …}`: the heading levels "on this page" lists, inclusive
    /// (Python-Markdown's default 6 lists every level).
    pub toc_levels: (u8, u8),
    /// `redirects` plugin: old page → new page (both relative to docs_dir).
    pub redirects: Vec<(String, String)>,
    /// mkdocs-literate-nav: the file in a folder whose Markdown list is that folder's nav.
    pub literate_nav_file: Option<String>,
}

/// Reads the docs config of the folder `dir` (which TechDocs treats as the site's root).
/// `default_name` is used when there is no mkdocs.yml. `repo` bounds `INHERIT` and `docs_dir`.
pub fn read_mkdocs(
    dir: &Path,
    default_name: &str,
    repo: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<MkdocsConfig> {
    let yaml_file = dir.join("mkdocs.yaml");
    let yml_file = dir.join("mkdocs.yml");
    let file = match (yaml_file.is_file(), yml_file.is_file()) {
        (true, true) => {
            diags.push(
                Diagnostic::new(
                    Code::MkdocsNoEffect,
                    "both mkdocs.yaml and mkdocs.yml exist; mkdocs.yaml is used, as TechDocs does",
                )
                .in_file(&yml_file),
            );
            yaml_file
        }
        (true, false) => yaml_file,
        (false, true) => yml_file,
        (false, false) => {
            diags.push(
                Diagnostic::new(
                    Code::MkdocsMissing,
                    "no mkdocs.yml beside the docs; building them with defaults",
                )
                .in_file(&dir.join("mkdocs.yml"))
                .hint("add an mkdocs.yml with site_name and nav to control titles and order"),
            );
            return Some(defaults(dir, default_name));
        }
    };
    let root = load_with_inherit(&file, repo, diags, 0)?;
    let mut cfg = defaults(dir, default_name);
    cfg.file = Some(file.clone());
    apply(&mut cfg, &root, &file, repo, diags)?;
    Some(cfg)
}

fn defaults(dir: &Path, name: &str) -> MkdocsConfig {
    MkdocsConfig {
        root: dir.to_path_buf(),
        site_name: name.to_string(),
        docs_dir: dir.join("docs"),
        linenums: true,
        permalink: true,
        toc_levels: (1, 6),
        ..Default::default()
    }
}

fn invalid(file: &Path, at: Option<&Node>, message: String) -> Diagnostic {
    let d = Diagnostic::new(Code::MkdocsInvalid, message);
    match at {
        Some(n) => d.at(file, n.line, n.col),
        None => d.in_file(file),
    }
}

/// Parses a config file and merges the file named by its `INHERIT` key under it.
fn load_with_inherit(
    file: &Path,
    repo: &Path,
    diags: &mut Vec<Diagnostic>,
    depth: usize,
) -> Option<Node> {
    let text = match fsutil::read_text_limited(file, 1024 * 1024) {
        Ok(t) => t,
        Err(e) => {
            diags.push(invalid(
                file,
                None,
                format!("cannot read mkdocs config: {e}"),
            ));
            return None;
        }
    };
    let mut root = match yaml::parse_single(&text, Schema::Yaml11) {
        Ok(Some(n)) if n.as_map().is_some() => n,
        Ok(_) => {
            diags.push(invalid(file, None, "mkdocs config is not a mapping".into()));
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::new(Code::MkdocsInvalid, format!("YAML error: {}", e.message))
                    .at(file, e.line, e.col),
            );
            return None;
        }
    };
    resolve_env(&mut root);
    let Some(inherit) = root.get("INHERIT").cloned() else {
        return Some(root);
    };
    let parent_path = inherit
        .as_str()
        .map(|p| file.parent().unwrap_or(repo).join(p));
    match parent_path.and_then(|p| fsutil::confined(&p, repo)) {
        Some(parent) if depth < 8 => {
            let base = load_with_inherit(&parent, repo, diags, depth + 1)?;
            Some(merge(base, root))
        }
        _ => {
            diags.push(invalid(
                file,
                Some(&inherit),
                "INHERIT names no readable file inside the repository".into(),
            ));
            Some(root)
        }
    }
}

/// mkdocs' deep merge: mappings merge key by key, anything else in `child` wins.
fn merge(base: Node, child: Node) -> Node {
    match (base.value, child.value) {
        (Value::Map(mut b), Value::Map(c)) => {
            for (k, v) in c {
                let key = k.scalar_text();
                match b.iter().position(|(bk, _)| bk.scalar_text() == key) {
                    Some(i) => {
                        let old = b.remove(i).1;
                        b.insert(i, (k, merge(old, v)));
                    }
                    None => b.push((k, v)),
                }
            }
            Node {
                value: Value::Map(b),
                line: child.line,
                col: child.col,
                tag: child.tag,
            }
        }
        (_, value) => Node {
            value,
            line: child.line,
            col: child.col,
            tag: child.tag,
        },
    }
}

/// `!ENV VAR` and `!ENV [VAR, OTHER, default]` become the variable's value (never executed).
fn resolve_env(node: &mut Node) {
    if node.tag.as_deref() == Some("!ENV") {
        let names: Vec<Node> = match &node.value {
            Value::Seq(items) => items.clone(),
            _ => vec![node.clone()],
        };
        let last = names.len().saturating_sub(1);
        let found = names.iter().enumerate().find_map(|(i, n)| {
            let text = n.scalar_text()?;
            match std::env::var(&text) {
                Ok(v) => Some(Value::String(v)),
                Err(_) if i == last && names.len() > 1 => Some(n.value.clone()),
                Err(_) => None,
            }
        });
        node.value = found.unwrap_or(Value::Null);
        node.tag = None;
        return;
    }
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(resolve_env),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| resolve_env(v)),
        _ => {}
    }
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text).filter(|s| !s.is_empty())
}

fn list_or_lines(node: Option<&Node>) -> Vec<String> {
    match node {
        Some(n) => match &n.value {
            Value::Seq(items) => items.iter().filter_map(Node::scalar_text).collect(),
            Value::String(s) => s
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// The keys whose values become links on every page (repository and edit links). A value
/// with a script-capable scheme is never linked (see `docs::site`); say so where it is set.
const LINK_KEYS: &[&str] = &["repo_url", "edit_uri", "edit_uri_template"];

fn warn_unsafe_urls(root: &Node, file: &Path, diags: &mut Vec<Diagnostic>) {
    for key in LINK_KEYS {
        let Some(node) = root.get(key) else { continue };
        let value = node.scalar_text().unwrap_or_default();
        let scheme_is_unsafe = url::Url::parse(&value)
            .is_ok_and(|u| !matches!(u.scheme(), "http" | "https" | "mailto"));
        if scheme_is_unsafe {
            diags.push(
                Diagnostic::new(
                    Code::UnsafeLink,
                    format!("{key} \"{value}\" is not linked: only http and https URLs are"),
                )
                .at(file, node.line, node.col),
            );
        }
    }
}

fn apply(
    cfg: &mut MkdocsConfig,
    root: &Node,
    file: &Path,
    repo: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<()> {
    if let Some(name) = text(root.get("site_name")) {
        cfg.site_name = name;
    }
    cfg.site_description = text(root.get("site_description"));
    let base = file.parent().unwrap_or(repo);
    if let Some(node) = root.get("docs_dir") {
        let rel = node.scalar_text().unwrap_or_default();
        let dir = fsutil::normalize(&base.join(&rel));
        if Path::new(&rel).is_absolute() || !fsutil::lexically_inside(&dir, base) {
            diags.push(
                Diagnostic::new(Code::DocsOutsideRepo, format!("docs_dir \"{rel}\" leaves the folder of mkdocs.yml; the docs are not built"))
                    .at(file, node.line, node.col)
                    .hint("TechDocs refuses absolute or ../ docs_dir values too; move the docs under this folder"),
            );
            return None;
        }
        cfg.docs_dir = dir;
    }
    cfg.nav = root.get("nav").filter(|n| !n.is_null()).cloned();
    warn_unsafe_urls(root, file, diags);
    cfg.repo_url = text(root.get("repo_url"));
    cfg.edit_uri =
        text(root.get("edit_uri")).map(|e| if e.ends_with('/') { e } else { format!("{e}/") });
    cfg.edit_uri_template = text(root.get("edit_uri_template"));
    cfg.exclude_docs = list_or_lines(root.get("exclude_docs"));
    cfg.not_in_nav = list_or_lines(root.get("not_in_nav"));
    read_extensions(cfg, root.get("markdown_extensions"), file, diags);
    read_plugins(cfg, root.get("plugins"), file, diags);
    Some(())
}

/// Entries of a list-or-mapping setting as (name, config) pairs.
fn named_entries(node: Option<&Node>) -> Vec<(String, Option<&Node>, &Node)> {
    let Some(node) = node else { return Vec::new() };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| match &i.value {
                Value::String(s) => Some((s.clone(), None, i)),
                Value::Map(entries) => entries
                    .first()
                    .map(|(k, v)| (k.scalar_text().unwrap_or_default(), Some(v), i)),
                _ => None,
            })
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.scalar_text().unwrap_or_default(), Some(v), k))
            .collect(),
        _ => Vec::new(),
    }
}

fn read_extensions(
    cfg: &mut MkdocsConfig,
    node: Option<&Node>,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let mut unsupported = Vec::new();
    for (name, conf, at) in named_entries(node) {
        let flag = |key: &str| {
            conf.and_then(|c| c.get(key))
                .map(|v| !matches!(v.value, Value::Bool(false) | Value::Null))
        };
        match name.as_str() {
            "pymdownx.highlight" | "codehilite" => {
                cfg.linenums = flag("linenums").unwrap_or(cfg.linenums)
            }
            "toc" | "markdown.extensions.toc" => {
                cfg.permalink = flag("permalink").unwrap_or(cfg.permalink);
                if let Some(depth) = conf.and_then(|c| c.get("toc_depth")) {
                    match toc_levels(depth) {
                        Some(levels) => cfg.toc_levels = levels,
                        None => diags.push(invalid(
                            file,
                            Some(depth),
                            "toc_depth must be a level 1-6 or a range like \"2-4\"; \
                             listing every level"
                                .into(),
                        )),
                    }
                }
            }
            n if SUPPORTED_EXTENSIONS.contains(&n) => {}
            _ => unsupported.push((name, at.line, at.col)),
        }
    }
    report_no_effect(&unsupported, "Markdown extension", file, diags);
}

/// Python-Markdown's `toc_depth`: `N` lists levels 1..=N, `"A-B"` levels A..=B.
fn toc_levels(node: &Node) -> Option<(u8, u8)> {
    let text = node.scalar_text()?;
    let (top, bottom) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => (1, text.trim().parse().ok()?),
    };
    ((1..=6).contains(&top) && (top..=6).contains(&bottom)).then_some((top, bottom))
}

fn read_plugins(
    cfg: &mut MkdocsConfig,
    node: Option<&Node>,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let mut unsupported = Vec::new();
    for (name, conf, at) in named_entries(node) {
        if name == "literate-nav" {
            let file = conf
                .and_then(|c| c.get("nav_file"))
                .and_then(Node::scalar_text);
            cfg.literate_nav_file = Some(file.unwrap_or_else(|| "SUMMARY.md".into()));
        }
        if name == "redirects" {
            let maps = conf
                .and_then(|c| c.get("redirect_maps"))
                .and_then(Node::as_map)
                .unwrap_or_default();
            cfg.redirects = maps
                .iter()
                .filter_map(|(k, v)| Some((k.scalar_text()?, v.scalar_text()?)))
                .collect();
        }
        if !SUPPORTED_PLUGINS.contains(&name.as_str()) {
            unsupported.push((name, at.line, at.col));
        }
    }
    report_no_effect(&unsupported, "plugin", file, diags);
}

/// One info diagnostic per file listing everything that has no effect here.
fn report_no_effect(
    names: &[(String, usize, usize)],
    what: &str,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((_, line, col)) = names.first() else {
        return;
    };
    let list: Vec<&str> = names.iter().map(|(n, _, _)| n.as_str()).collect();
    let plural = if list.len() == 1 { "" } else { "s" };
    diags.push(
        Diagnostic::new(
            Code::MkdocsNoEffect,
            format!(
                "{what}{plural} with no effect in stagedoor: {}",
                list.join(", ")
            ),
        )
        .at(file, *line, *col)
        .hint("the pages still build; content these would transform stays readable as text"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(files: &[(&str, &str)]) -> (Option<MkdocsConfig>, Vec<Diagnostic>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        for (p, c) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, c).unwrap();
        }
        let mut diags = Vec::new();
        let cfg = read_mkdocs(&dir.path().join("site"), "fallback", dir.path(), &mut diags);
        (cfg, diags, dir)
    }

    #[test]
    fn toc_depth_takes_a_level_or_a_range() {
        let depth = |conf: &str| {
            let yml = format!("site_name: A\nmarkdown_extensions:\n  - toc:\n      {conf}\n");
            let (cfg, diags, _dir) = read(&[("site/mkdocs.yml", &yml)]);
            (cfg.unwrap().toc_levels, diags.len())
        };
        assert_eq!(depth("permalink: true"), ((1, 6), 0));
        assert_eq!(depth("toc_depth: 3"), ((1, 3), 0));
        assert_eq!(depth("toc_depth: \"2-4\""), ((2, 4), 0));
        assert_eq!(depth("toc_depth: seven"), ((1, 6), 1));
        assert_eq!(depth("toc_depth: \"4-2\""), ((1, 6), 1));
    }

    #[test]
    fn yaml_spelling_wins_and_docs_dir_is_relative() {
        let (cfg, diags, dir) = read(&[
            (
                "site/mkdocs.yaml",
                "site_name: A\ndocs_dir: documentation\n",
            ),
            ("site/mkdocs.yml", "site_name: B\n"),
        ]);
        let cfg = cfg.unwrap();
        assert_eq!(cfg.site_name, "A");
        assert_eq!(cfg.docs_dir, dir.path().join("site/documentation"));
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn missing_config_is_synthesised_with_a_warning() {
        let (cfg, diags, _dir) = read(&[("site/docs/index.md", "# Hi\n")]);
        assert_eq!(cfg.unwrap().site_name, "fallback");
        assert_eq!(diags[0].code, Code::MkdocsMissing);
    }

    #[test]
    fn escaping_docs_dir_is_refused() {
        let (cfg, diags, _dir) = read(&[("site/mkdocs.yml", "site_name: A\ndocs_dir: ../..\n")]);
        assert!(cfg.is_none());
        assert_eq!(diags[0].code, Code::DocsOutsideRepo);
        assert_eq!(diags[0].line, Some(2));
    }

    #[test]
    fn inherit_merges_deeply_and_child_wins() {
        let (cfg, _, _dir) = read(&[
            (
                "base.yml",
                "site_name: Base\nmarkdown_extensions:\n  - pymdownx.highlight:\n      linenums: false\nrepo_url: https://x\n",
            ),
            (
                "site/mkdocs.yml",
                "INHERIT: ../base.yml\nsite_name: Child\n",
            ),
        ]);
        let cfg = cfg.unwrap();
        assert_eq!(cfg.site_name, "Child");
        assert_eq!(cfg.repo_url.as_deref(), Some("https://x"));
        assert!(!cfg.linenums);
    }

    #[test]
    fn unknown_plugins_and_extensions_are_listed_once_and_python_tags_tolerated() {
        let yml = "site_name: A\nplugins:\n  - techdocs-core\n  - macros\n  - awesome-pages\nmarkdown_extensions:\n  - admonition\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n  - markdown_inline_graphviz\n";
        let (cfg, diags, _dir) = read(&[("site/mkdocs.yml", yml)]);
        assert!(cfg.is_some());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Markdown extension with no effect in stagedoor: markdown_inline_graphviz",
                "plugins with no effect in stagedoor: macros, awesome-pages"
            ]
        );
    }

    #[test]
    fn env_tags_read_variables_with_defaults() {
        let (cfg, _, _dir) = read(&[(
            "site/mkdocs.yml",
            "site_name: !ENV [STAGEDOOR_SURELY_UNSET_VAR, Fallback Name]\n",
        )]);
        assert_eq!(cfg.unwrap().site_name, "Fallback Name");
    }

    #[test]
    fn script_urls_in_repo_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mkdocs.yml"),
            "site_name: A\nrepo_url: JaVaScRiPt:alert(1)\nedit_uri: https://x/edit/\n",
        )
        .unwrap();
        let mut diags = Vec::new();
        read_mkdocs(dir.path(), "a", dir.path(), &mut diags);
        let unsafe_links: Vec<_> = diags
            .iter()
            .filter(|d| d.code == Code::UnsafeLink)
            .collect();
        assert_eq!(unsafe_links.len(), 1, "{diags:?}");
        assert_eq!(unsafe_links[0].line, Some(2));
    }

    #[test]
    fn redirect_maps_are_read() {
        let (cfg, _, _dir) = read(&[(
            "site/mkdocs.yml",
            "site_name: A\nplugins:\n  - redirects:\n      redirect_maps:\n        old.md: new.md\n",
        )]);
        assert_eq!(
            cfg.unwrap().redirects,
            [("old.md".to_string(), "new.md".to_string())]
        );
    }
}
