//! The page set of a docs site and its navigation, following MkDocs' rules (spec §7.3): which
//! files are pages and which are assets, where each page is served, the explicit `nav`
//! (sections, titles, external links, monorepo `!include`s) or the nav derived from the tree.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::mkdocs::{MkdocsConfig, read_mkdocs};
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::fsutil;
use crate::yaml::{Node, Value};

const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkdn", "mkd"];
/// Files per docs site, a guard against a docs_dir that is really a whole disk.
const MAX_FILES: usize = 50_000;

/// One source file of a docs site.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DocFile {
    pub src: PathBuf,
    /// Path relative to the site's docs root, with `/` (`guide/setup.md`).
    pub rel: String,
    /// Page folder relative to the site's URL (`guide/setup/`, `` for the home page), or the
    /// asset's own relative path.
    pub url: String,
    /// The folder of mkdocs.yml this file belongs to (monorepo includes have their own).
    pub base: PathBuf,
    /// A home page stagedoor writes itself because the docs have none.
    pub synthetic: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum NavNode {
    Page {
        title: Option<String>,
        page: usize,
    },
    Section {
        title: String,
        children: Vec<NavNode>,
        /// A section the nav leaves untitled (`- "": [...]`) takes the final title of this
        /// page (`docs::title_sections`).
        title_page: Option<usize>,
    },
    Link {
        title: String,
        url: String,
    },
}

/// An SVG that is not published as a file (it could run script when opened) but is shown
/// inline where a page uses it as an image (`docs::active`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct InlineImage {
    pub src: PathBuf,
    pub rel: String,
    /// What in it could run, for the message when something links to it.
    pub why: String,
    pub data_url: String,
}

/// Pages, assets and navigation of one docs site.
#[derive(Debug, Default, serde::Serialize)]
pub struct SiteFiles {
    pub pages: Vec<DocFile>,
    pub assets: Vec<DocFile>,
    pub nav: Vec<NavNode>,
    /// Page `rel` paths excluded from the nav by `not_in_nav` (built, but not listed).
    pub hidden: BTreeSet<String>,
    /// Scripted SVGs shown only inline as images (untrusted roots).
    pub inline_images: Vec<InlineImage>,
}

pub fn is_markdown(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The URL folder of a Markdown page: `a/b.md` → `a/b/`, `a/index.md` and `a/README.md` → `a/`.
pub fn page_url(rel: &str) -> String {
    let stem_end = rel.rfind('.').unwrap_or(rel.len());
    let (dir, stem) = match rel[..stem_end].rsplit_once('/') {
        Some((d, s)) => (format!("{d}/"), s),
        None => (String::new(), &rel[..stem_end]),
    };
    if stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("readme") {
        dir
    } else {
        format!("{dir}{stem}/")
    }
}

/// Collects the files of `cfg.docs_dir` and builds the site's nav.
pub fn site_files(cfg: &MkdocsConfig, repo: &Path, diags: &mut Vec<Diagnostic>) -> SiteFiles {
    let mut files = SiteFiles::default();
    let base = cfg.root.clone();
    collect(cfg, repo, "", &base, &mut files, diags);
    ensure_home(cfg, repo, &mut files, diags);
    files.nav = match &cfg.nav {
        Some(nav) => {
            let mut ctx = NavContext {
                cfg,
                repo,
                files: &mut files,
                diags,
                depth: 0,
                by_rel: PagesByRel::default(),
            };
            ctx.explicit(nav, "")
        }
        None => derived_nav(&files.pages, ""),
    };
    apply_not_in_nav(cfg, &mut files);
    files
}

/// The docs folder's real path, or None (with a diagnostic) when it is a link that leads
/// out of the repository; a missing folder passes, to be reported as having no pages.
fn confined_docs_dir(
    cfg: &MkdocsConfig,
    repo: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    if !cfg.docs_dir.exists() {
        return Some(cfg.docs_dir.clone());
    }
    let real = fsutil::confined(&cfg.docs_dir, repo);
    if real.is_none() {
        diags.push(
            Diagnostic::new(
                Code::DocsOutsideRepo,
                format!(
                    "docs folder {} resolves outside the repository; the docs are not built",
                    display_path(&cfg.docs_dir, repo)
                ),
            )
            .in_file(&cfg.docs_dir)
            .hint("a symbolic link may only point inside its repository"),
        );
    }
    real
}

/// Why a symbolic link met in a docs folder is not followed: it leads out of the
/// repository, or (a folder) back to the docs folder or above it, a loop.
fn refused_link(link: &Path, is_dir: bool, repo: &Path, real_docs: &Path) -> Option<&'static str> {
    let Some(real) = fsutil::confined(link, repo) else {
        return Some("leads outside the repository");
    };
    (is_dir && real_docs.starts_with(&real)).then_some("leads back into its own folder (a loop)")
}

/// Walks one docs folder (following symlinks that stay in the repository) into `files`,
/// with `prefix` before every relative path (monorepo includes).
fn collect(
    cfg: &MkdocsConfig,
    repo: &Path,
    prefix: &str,
    base: &Path,
    files: &mut SiteFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(real_docs) = confined_docs_dir(cfg, repo, diags) else {
        return;
    };
    let excluded = gitignore(&cfg.docs_dir, &cfg.exclude_docs);
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let refused = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(&cfg.docs_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let walker = walker.filter_entry(|e| {
        let rel = e.path().strip_prefix(&cfg.docs_dir).unwrap_or(e.path());
        let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        let templates = e.depth() == 1 && e.file_type().is_dir() && e.file_name() == "templates";
        let link_ok = e.depth() == 0 || !e.path_is_symlink() || {
            let why = refused_link(e.path(), e.file_type().is_dir(), repo, &real_docs);
            why.map(|w| refused.borrow_mut().push((e.path().to_path_buf(), w)))
                .is_none()
        };
        link_ok
            && !hidden
            && !templates
            && !excluded
                .matched_path_or_any_parents(rel, e.file_type().is_dir())
                .is_ignore()
    });
    // Not resolved again file by file (a realpath is a readlink per path component, 2–3% of
    // a big build): the docs folder was (`confined_docs_dir`) and so was every symbolic link
    // on the way down (`refused_link` above), so whatever the walk reaches is inside.
    for entry in walker
        .flatten()
        .filter(|e| e.file_type().is_file())
        .take(MAX_FILES)
    {
        let rel = fsutil::slash_path(
            entry
                .path()
                .strip_prefix(&cfg.docs_dir)
                .unwrap_or(entry.path()),
        );
        found.push((rel, entry.into_path()));
    }
    for (link, why) in refused.into_inner() {
        diags.push(
            Diagnostic::new(
                Code::SymlinkRefused,
                format!(
                    "symbolic link {} {why}; it is not followed",
                    display_path(&link, &cfg.docs_dir)
                ),
            )
            .in_file(&link)
            .hint("copy the file into the repository, or point the link at a file inside it"),
        );
    }
    let indexed_dirs: Vec<String> = found
        .iter()
        .filter(|(r, _)| file_stem(r).eq_ignore_ascii_case("index") && is_markdown(r))
        .map(|(r, _)| dir_of(r))
        .collect();
    for (rel, src) in found {
        let full_rel = format!("{prefix}{rel}");
        if !is_markdown(&rel) {
            files.assets.push(DocFile {
                synthetic: false,
                url: full_rel.clone(),
                rel: full_rel,
                src,
                base: base.to_path_buf(),
            });
            continue;
        }
        if file_stem(&rel).eq_ignore_ascii_case("readme") && indexed_dirs.contains(&dir_of(&rel)) {
            diags.push(
                Diagnostic::new(
                    Code::DocsIndexConflict,
                    format!("{rel} is skipped: index.md in the same folder is the page"),
                )
                .in_file(&src),
            );
            continue;
        }
        files.pages.push(DocFile {
            synthetic: false,
            url: page_url(&full_rel),
            rel: full_rel,
            src,
            base: base.to_path_buf(),
        });
    }
}

/// Every site needs a home page: without `index.md`, TechDocs' README fallback
/// (`README.md` next to mkdocs.yml), else a page stagedoor writes listing the others.
fn ensure_home(
    cfg: &MkdocsConfig,
    repo: &Path,
    files: &mut SiteFiles,
    diags: &mut Vec<Diagnostic>,
) {
    if files.pages.iter().any(|p| p.url.is_empty()) {
        return;
    }
    let readme = ["README.md", "readme.md"]
        .iter()
        .map(|n| cfg.root.join(n))
        .find(|p| p.is_file() && fsutil::confined(p, repo).is_some());
    let (src, rel, synthetic) = match readme {
        Some(src) => (src, "README.md".to_string(), false),
        None => {
            let file = cfg
                .file
                .clone()
                .unwrap_or_else(|| cfg.docs_dir.join("index.md"));
            diags.push(
                Diagnostic::new(Code::DocsNoIndex, "the docs have no index.md (or README.md); a home page listing the pages is generated")
                    .in_file(&file)
                    .hint("add docs/index.md: it is the page the entity's \"Read the docs\" link opens"),
            );
            (cfg.docs_dir.join("index.md"), "index.md".to_string(), true)
        }
    };
    files.pages.insert(
        0,
        DocFile {
            src,
            rel,
            url: String::new(),
            base: cfg.root.clone(),
            synthetic,
        },
    );
}

/// Whether a page is its folder's index (`index.md`, `README.md`).
fn is_index(rel: &str) -> bool {
    let stem = file_stem(rel);
    stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("readme")
}

fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

fn dir_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

fn gitignore(root: &Path, patterns: &[String]) -> Gitignore {
    let mut b = GitignoreBuilder::new(root);
    for p in patterns {
        let _ = b.add_line(None, p);
    }
    b.build().unwrap_or_else(|_| Gitignore::empty())
}

/// Folder name as mkdocs titles a section: `-`/`_` → space, capitalised if all lower case.
pub fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    if spaced.chars().any(char::is_uppercase) {
        return spaced;
    }
    let mut c = spaced.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// MkDocs' order: a folder's index first, then its files by code point, then its sub-folders.
fn derived_nav(pages: &[DocFile], prefix: &str) -> Vec<NavNode> {
    let mut tree: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.rel.starts_with(prefix))
    {
        tree.entry(dir_of(&p.rel)).or_default().push(i);
    }
    build_dir(pages, &tree, prefix.trim_end_matches('/'))
}

fn build_dir(pages: &[DocFile], tree: &BTreeMap<String, Vec<usize>>, dir: &str) -> Vec<NavNode> {
    let mut own: Vec<usize> = tree.get(dir).cloned().unwrap_or_default();
    own.sort_by_key(|&i| {
        let stem = file_stem(&pages[i].rel).to_ascii_lowercase();
        (stem != "index" && stem != "readme", pages[i].rel.clone())
    });
    let mut nodes: Vec<NavNode> = own
        .into_iter()
        .map(|page| NavNode::Page { title: None, page })
        .collect();
    let child_prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let mut subdirs: Vec<&str> = tree
        .keys()
        .filter_map(|k| {
            k.strip_prefix(&child_prefix)
                .filter(|rest| !rest.is_empty() && (dir.is_empty() || k.len() > dir.len()))
        })
        .map(|rest| rest.split('/').next().unwrap_or(rest))
        .collect();
    subdirs.sort();
    subdirs.dedup();
    for sub in subdirs {
        let path = format!("{child_prefix}{sub}");
        let children = build_dir(pages, tree, &path);
        if !children.is_empty() {
            nodes.push(NavNode::Section {
                title: title_from_name(sub),
                children,
                title_page: None,
            });
        }
    }
    nodes
}

struct NavContext<'a> {
    cfg: &'a MkdocsConfig,
    repo: &'a Path,
    files: &'a mut SiteFiles,
    diags: &'a mut Vec<Diagnostic>,
    depth: usize,
    by_rel: PagesByRel,
}

/// The site's pages by `rel` (the first page of each), so that naming a page in the nav is
/// a lookup, not a search of every page: a nav listing 20,000 pages is not 200 million
/// comparisons. Pages are only ever added while the nav is read (by includes).
#[derive(Default)]
struct PagesByRel {
    pages: HashMap<String, usize>,
    seen: usize,
}

impl PagesByRel {
    fn refresh(&mut self, pages: &[DocFile]) {
        for (i, p) in pages.iter().enumerate().skip(self.seen) {
            self.pages.entry(p.rel.clone()).or_insert(i);
        }
        self.seen = pages.len();
    }

    fn get(&self, rel: &str) -> Option<usize> {
        self.pages.get(rel).copied()
    }
}

impl NavContext<'_> {
    /// The page `rel` names.
    fn page_of(&mut self, rel: &str) -> Option<usize> {
        self.by_rel.refresh(&self.files.pages);
        self.by_rel.get(rel)
    }

    /// An explicit `nav:` list; `prefix` is where an included site's pages live.
    fn explicit(&mut self, node: &Node, prefix: &str) -> Vec<NavNode> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .filter_map(|item| self.item(item, prefix))
            .collect()
    }

    fn item(&mut self, item: &Node, prefix: &str) -> Option<NavNode> {
        match &item.value {
            Value::String(s) => self.target(None, s, item, prefix),
            Value::Map(entries) => {
                let (key, value) = entries.first()?;
                // `"": …` (recent mkdocs-material projects) gives no title: as if none.
                let title = key.scalar_text().filter(|t| !t.trim().is_empty());
                match &value.value {
                    Value::Seq(_) => {
                        let children = self.explicit(value, prefix);
                        Some(match title {
                            Some(title) => NavNode::Section {
                                title,
                                children,
                                title_page: None,
                            },
                            None => self.untitled_section(children, key),
                        })
                    }
                    Value::String(s) if value.tag.as_deref() == Some("!include") => {
                        self.include(title.unwrap_or_default(), s, value)
                    }
                    Value::String(s) => self.target(title, s, value, prefix),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A section without a title takes its index page's (a direct child `index.md` or
    /// `README.md`, as mkdocs-material's navigation.indexes does), else, with a warning, its
    /// first page's. The titles are known once the pages are rendered.
    fn untitled_section(&mut self, children: Vec<NavNode>, at: &Node) -> NavNode {
        let index = children.iter().find_map(|c| match c {
            NavNode::Page { page, .. } if is_index(&self.files.pages[*page].rel) => Some(*page),
            _ => None,
        });
        let title_page = index.or_else(|| pages_in_order(&children).first().copied());
        if index.is_none() {
            let file = self.cfg.file.clone().unwrap_or_default();
            let fallback = match title_page {
                Some(p) => format!("titled after its first page, {}", self.files.pages[p].rel),
                None => "shown as \"Section\"".to_string(),
            };
            self.diags.push(
                Diagnostic::new(
                    Code::NavSectionUntitled,
                    format!("a nav section has an empty title and no index page; it is {fallback}"),
                )
                .at(&file, at.line, at.col)
                .hint("give the section a title, or list its index.md first in it"),
            );
        }
        NavNode::Section {
            title: if title_page.is_some() {
                String::new()
            } else {
                "Section".into()
            },
            children,
            title_page,
        }
    }

    fn target(
        &mut self,
        title: Option<String>,
        target: &str,
        at: &Node,
        prefix: &str,
    ) -> Option<NavNode> {
        if let Some(path) = target.strip_prefix("!include ") {
            return self.include(title.unwrap_or_default(), path.trim(), at);
        }
        if target.contains("://") || target.starts_with('/') || target.starts_with("mailto:") {
            return Some(NavNode::Link {
                title: title.unwrap_or_else(|| target.to_string()),
                url: target.to_string(),
            });
        }
        let rel = format!("{prefix}{}", target.trim_start_matches("./"));
        if rel.ends_with('/') {
            return self.folder(title, &rel);
        }
        match self.page_of(&rel) {
            Some(page) => Some(NavNode::Page { title, page }),
            None => {
                let file = self.cfg.file.clone().unwrap_or_default();
                self.diags.push(
                    Diagnostic::new(
                        Code::NavMissingPage,
                        format!(
                            "nav entry \"{target}\" names a page that does not exist in {}",
                            display_path(&self.cfg.docs_dir, file.parent().unwrap_or(&file))
                        ),
                    )
                    .at(&file, at.line, at.col)
                    .hint("nav paths are relative to docs_dir"),
                );
                None
            }
        }
    }

    /// A folder in the nav (`User Guide: user-guide/`), as mkdocs-literate-nav reads it: the
    /// Markdown list of links in the folder's nav file, else the folder's derived nav.
    fn folder(&mut self, title: Option<String>, rel: &str) -> Option<NavNode> {
        let name = rel.trim_end_matches('/').rsplit('/').next().unwrap_or(rel);
        let title = title.unwrap_or_else(|| title_from_name(name));
        let nav_file = self
            .cfg
            .literate_nav_file
            .as_deref()
            .map(|f| format!("{rel}{f}"));
        let listed = nav_file.as_deref().and_then(|f| self.page_of(f));
        let children = match listed {
            Some(index) => {
                let text = fsutil::read_text_limited(&self.files.pages[index].src, 1024 * 1024)
                    .unwrap_or_default();
                let mut nodes = vec![NavNode::Page {
                    title: None,
                    page: index,
                }];
                nodes.extend(literate_list(&text, rel, &self.by_rel));
                nodes
            }
            None => derived_nav(&self.files.pages, rel),
        };
        (!children.is_empty()).then_some(NavNode::Section {
            title,
            children,
            title_page: None,
        })
    }

    /// mkdocs-monorepo-plugin: `!include ./sub/mkdocs.yml` merges another docs tree as a
    /// section titled by its site_name, served under `<site_name slug>/`.
    fn include(&mut self, title: String, path: &str, at: &Node) -> Option<NavNode> {
        let file = self.cfg.file.clone().unwrap_or_default();
        let target = file.parent().unwrap_or(self.repo).join(path);
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        let usable = self.depth < 4 && fsutil::confined(&target, self.repo).is_some();
        let sub = usable
            .then(|| read_mkdocs(&dir, &title, self.repo, self.diags))
            .flatten();
        let Some(sub) = sub else {
            self.diags.push(
                Diagnostic::new(
                    Code::NavMissingPage,
                    format!(
                        "nav !include \"{path}\" names no readable mkdocs.yml in this repository"
                    ),
                )
                .at(&file, at.line, at.col),
            );
            return None;
        };
        let slug = super::slug_segment(&sub.site_name);
        let prefix = format!("{slug}/");
        collect(&sub, self.repo, &prefix, &dir, self.files, self.diags);
        self.depth += 1;
        let children = match &sub.nav {
            Some(nav) => self.explicit(nav, &prefix),
            None => derived_nav(&self.files.pages, &prefix),
        };
        self.depth -= 1;
        let title = if title.is_empty() {
            sub.site_name.clone()
        } else {
            title
        };
        Some(NavNode::Section {
            title,
            children,
            title_page: None,
        })
    }
}

/// The last Markdown list of links in a literate-nav file, nested by indentation:
/// `- [Title](page.md)`, with `- Section` items holding indented children.
fn literate_list(text: &str, rel: &str, pages: &PagesByRel) -> Vec<NavNode> {
    let items: Vec<(usize, String, Option<String>)> = text
        .lines()
        .filter_map(|line| {
            let indent = line.len() - line.trim_start().len();
            let item = line
                .trim_start()
                .strip_prefix(['-', '*', '+'])?
                .strip_prefix(' ')?
                .trim();
            match item.strip_prefix('[').and_then(|r| r.split_once("](")) {
                Some((title, rest)) => Some((
                    indent,
                    title.to_string(),
                    Some(rest.trim_end_matches(')').to_string()),
                )),
                None => Some((indent, item.to_string(), None)),
            }
        })
        .collect();
    let mut pos = 0;
    nest_items(&items, &mut pos, 0, rel, pages)
}

fn nest_items(
    items: &[(usize, String, Option<String>)],
    pos: &mut usize,
    indent: usize,
    rel: &str,
    pages: &PagesByRel,
) -> Vec<NavNode> {
    let mut out = Vec::new();
    while let Some((i, title, href)) = items.get(*pos) {
        if *i < indent {
            break;
        }
        *pos += 1;
        let children = match items.get(*pos) {
            Some((next, _, _)) if next > i => nest_items(items, pos, *next, rel, pages),
            _ => Vec::new(),
        };
        let target = href
            .as_deref()
            .map(|h| fsutil::slash_path(&fsutil::normalize(Path::new(&format!("{rel}{h}")))));
        match target.and_then(|t| pages.get(&t)) {
            Some(page) if children.is_empty() => out.push(NavNode::Page {
                title: Some(title.clone()),
                page,
            }),
            _ if !children.is_empty() => out.push(NavNode::Section {
                title: title.clone(),
                children,
                title_page: None,
            }),
            _ => {}
        }
    }
    out
}

fn nav_pages(nav: &[NavNode], out: &mut Vec<usize>) {
    for n in nav {
        match n {
            NavNode::Page { page, .. } => out.push(*page),
            NavNode::Section { children, .. } => nav_pages(children, out),
            NavNode::Link { .. } => {}
        }
    }
}

/// All pages in nav order.
pub fn pages_in_order(nav: &[NavNode]) -> Vec<usize> {
    let mut out = Vec::new();
    nav_pages(nav, &mut out);
    out
}

/// Pages an explicit nav does not list (excluding `not_in_nav` ones).
pub fn unlisted_pages(files: &SiteFiles) -> Vec<&DocFile> {
    let listed: HashSet<usize> = pages_in_order(&files.nav).into_iter().collect();
    files
        .pages
        .iter()
        .enumerate()
        .filter(|(i, p)| !listed.contains(i) && !files.hidden.contains(&p.rel))
        .map(|(_, p)| p)
        .collect()
}

fn apply_not_in_nav(cfg: &MkdocsConfig, files: &mut SiteFiles) {
    if cfg.not_in_nav.is_empty() {
        return;
    }
    let matcher = gitignore(&cfg.docs_dir, &cfg.not_in_nav);
    files.hidden = files
        .pages
        .iter()
        .filter(|p| {
            matcher
                .matched_path_or_any_parents(&p.rel, false)
                .is_ignore()
        })
        .map(|p| p.rel.clone())
        .collect();
    let hidden: HashSet<usize> = files
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| files.hidden.contains(&p.rel))
        .map(|(i, _)| i)
        .collect();
    remove_pages(&mut files.nav, &hidden);
}

fn remove_pages(nav: &mut Vec<NavNode>, hidden: &HashSet<usize>) {
    nav.retain_mut(|n| match n {
        NavNode::Page { page, .. } => !hidden.contains(page),
        NavNode::Section { children, .. } => {
            remove_pages(children, hidden);
            !children.is_empty()
        }
        NavNode::Link { .. } => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Schema, parse_single};

    fn site(
        files: &[&str],
        mkdocs: Option<&str>,
    ) -> (SiteFiles, Vec<Diagnostic>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for f in files {
            let p = root.join("docs").join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "# x\n").unwrap();
        }
        let mut cfg = MkdocsConfig {
            root: root.clone(),
            docs_dir: root.join("docs"),
            file: Some(root.join("mkdocs.yml")),
            ..Default::default()
        };
        if let Some(m) = mkdocs {
            let node = parse_single(m, Schema::Yaml11).unwrap().unwrap();
            cfg.nav = node.get("nav").cloned();
            cfg.not_in_nav = node
                .get("not_in_nav")
                .and_then(|n| n.scalar_text())
                .map(|s| vec![s])
                .unwrap_or_default();
        }
        let mut diags = Vec::new();
        let files = site_files(&cfg, &root, &mut diags);
        (files, diags, dir)
    }

    fn outline(files: &SiteFiles, nodes: &[NavNode]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                NavNode::Page { title, page } => format!(
                    "{}={}",
                    title.clone().unwrap_or_default(),
                    files.pages[*page].rel
                ),
                NavNode::Section {
                    title,
                    children,
                    title_page,
                } => {
                    let from =
                        title_page.map_or(String::new(), |p| format!("<{}>", files.pages[p].rel));
                    format!("[{title}{from}: {}]", outline(files, children).join(", "))
                }
                NavNode::Link { title, url } => format!("{title}->{url}"),
            })
            .collect()
    }

    #[test]
    fn urls_follow_directory_url_rules() {
        assert_eq!(page_url("index.md"), "");
        assert_eq!(page_url("README.md"), "");
        assert_eq!(page_url("guide/setup.md"), "guide/setup/");
        assert_eq!(page_url("guide/index.md"), "guide/");
    }

    #[test]
    fn derived_nav_sorts_like_mkdocs() {
        let (files, _, _d) = site(
            &[
                "b.md",
                "index.md",
                "B.md",
                "10.md",
                "2.md",
                "user-guide/index.md",
                "user-guide/z.md",
                "API_Ref/a.md",
                "images/x.png",
            ],
            None,
        );
        assert_eq!(
            outline(&files, &files.nav),
            [
                "=index.md",
                "=10.md",
                "=2.md",
                "=B.md",
                "=b.md",
                "[API Ref: =API_Ref/a.md]",
                "[User guide: =user-guide/index.md, =user-guide/z.md]"
            ]
        );
        assert_eq!(files.assets.len(), 1);
    }

    #[test]
    fn readme_is_the_index_unless_index_exists() {
        let (files, diags, _d) = site(&["README.md", "sub/README.md", "sub/index.md"], None);
        let rels: Vec<&str> = files.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(rels, ["README.md", "sub/index.md"]);
        assert_eq!(diags[0].code, Code::DocsIndexConflict);
    }

    #[test]
    fn explicit_nav_with_sections_links_and_missing_pages() {
        let nav = "nav:\n  - Home: index.md\n  - Guide:\n      - guide/a.md\n      - Second: guide/b.md\n  - GitHub: https://github.com/x\n  - Gone: nope.md\n";
        let (files, diags, _d) = site(
            &["index.md", "guide/a.md", "guide/b.md", "extra.md"],
            Some(nav),
        );
        assert_eq!(
            outline(&files, &files.nav),
            [
                "Home=index.md",
                "[Guide: =guide/a.md, Second=guide/b.md]",
                "GitHub->https://github.com/x"
            ]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::NavMissingPage);
        let unlisted: Vec<&str> = unlisted_pages(&files)
            .iter()
            .map(|p| p.rel.as_str())
            .collect();
        assert_eq!(unlisted, ["extra.md"]);
    }

    #[test]
    fn untitled_sections_take_their_index_page_or_warn() {
        let nav = "nav:\n  - index.md\n  - \"\":\n      - guide/a.md\n      - guide/index.md\n  - '':\n      - other/b.md\n  - \"\": folder/\n";
        let (files, diags, _d) = site(
            &[
                "index.md",
                "guide/index.md",
                "guide/a.md",
                "other/b.md",
                "folder/c.md",
            ],
            Some(nav),
        );
        assert_eq!(
            outline(&files, &files.nav),
            [
                "=index.md",
                "[<guide/index.md>: =guide/a.md, =guide/index.md]",
                "[<other/b.md>: =other/b.md]",
                "[Folder: =folder/c.md]"
            ]
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::NavSectionUntitled);
        assert_eq!(diags[0].line, Some(6));
        assert!(
            diags[0].message.contains("other/b.md"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn hidden_files_templates_and_not_in_nav() {
        let (files, _, _d) = site(
            &[
                "index.md",
                ".hidden.md",
                "templates/t.md",
                "sub/templates/ok.md",
                "drafts/d.md",
            ],
            Some("not_in_nav: drafts/\n"),
        );
        let rels: Vec<&str> = files.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(rels, ["drafts/d.md", "index.md", "sub/templates/ok.md"]);
        assert_eq!(files.hidden, BTreeSet::from(["drafts/d.md".to_string()]));
    }

    #[test]
    fn folder_entries_read_the_literate_nav_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |p: &str, c: &str| {
            let p = root.join("docs").join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        };
        write("index.md", "# Home\n");
        write(
            "guide/README.md",
            "# Guide\n\nIntro.\n\n- [Install](install.md)\n- Deep\n    - [Config](config.md)\n",
        );
        write("guide/install.md", "# I\n");
        write("guide/config.md", "# C\n");
        let node = parse_single(
            "nav:\n  - Home: index.md\n  - User Guide: guide/\n",
            Schema::Yaml11,
        )
        .unwrap()
        .unwrap();
        let cfg = MkdocsConfig {
            root: root.clone(),
            docs_dir: root.join("docs"),
            file: Some(root.join("mkdocs.yml")),
            nav: node.get("nav").cloned(),
            literate_nav_file: Some("README.md".into()),
            ..Default::default()
        };
        let files = site_files(&cfg, &root, &mut Vec::new());
        assert_eq!(
            outline(&files, &files.nav),
            [
                "Home=index.md",
                "[User Guide: =guide/README.md, Install=guide/install.md, [Deep: Config=guide/config.md]]"
            ]
        );
    }

    #[test]
    fn section_titles() {
        assert_eq!(title_from_name("user-guide"), "User guide");
        assert_eq!(title_from_name("API_Ref"), "API Ref");
    }
}
