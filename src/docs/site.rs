//! One docs site from its folder: prepare (config, pages, nav), render every page with the
//! Markdown engine and the link rewriter, then finish titles, order and edit links.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::PageId;
use super::links::{Broken, LinkIndex, PageLinks, PendingCheck};
use super::mkdocs::{MkdocsConfig, read_mkdocs};
use super::nav::{DocFile, NavNode, SiteFiles, site_files, title_from_name};
use crate::cache::packed::{Packed, PackedValue};
use crate::catalog::EntityRef;
use crate::diagnostics::{Code, Diagnostic};
use crate::fsutil;
use crate::markdown::{MAX_PAGE_BYTES, MarkdownOptions, Section, render_markdown};
use crate::urls::{Urls, docs_dir};

/// A docs site after its files are known, before any page renders.
#[derive(Debug, serde::Serialize)]
pub struct Prepared {
    pub entity: EntityRef,
    pub config: MkdocsConfig,
    pub files: SiteFiles,
    pub url: String,
    pub repo: PathBuf,
    pub trusted: bool,
    /// Web URL and branch of the repository (from stagedoor.yaml), for edit links.
    pub repo_web: Option<(String, String, PathBuf)>,
}

/// Reads the config and files of the docs in `dir`. None when they cannot be built: a bad
/// mkdocs.yml, or no docs folder, which fails a TechDocs build; `at_ref` places that
/// diagnostic (at the entity's techdocs-ref line).
pub fn prepare(
    entity: &EntityRef,
    title: &str,
    dir: &Path,
    repo: &Path,
    diags: &mut Vec<Diagnostic>,
    at_ref: &dyn Fn(Diagnostic) -> Diagnostic,
) -> Option<(MkdocsConfig, SiteFiles, String)> {
    let config = read_mkdocs(dir, title, repo, diags)?;
    if !config.docs_dir.is_dir() {
        diags.push(at_ref(missing_docs_dir(&config, repo)));
        return None;
    }
    let files = site_files(&config, repo, diags);
    Some((config, files, docs_dir(entity)))
}

/// The folder the pages should be in does not exist: say which (relative to the
/// repository), and who names it.
fn missing_docs_dir(config: &MkdocsConfig, repo: &Path) -> Diagnostic {
    let shown = |p: &Path| crate::diagnostics::display_path(p, repo);
    let named_by = match &config.file {
        Some(file) => format!("the docs_dir of {}", shown(file)),
        None => "the default docs_dir, as there is no mkdocs.yml".to_string(),
    };
    Diagnostic::new(
        Code::DocsDirMissing,
        format!(
            "docs folder {}/ ({named_by}) does not exist in the repository; no docs are published for this entity",
            shown(&config.docs_dir)
        ),
    )
    .hint("create the folder with an index.md, or point docs_dir in mkdocs.yml (or the techdocs-ref) at the folder that holds the pages")
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocPage {
    pub rel: String,
    /// Site-relative folder of the page (`docs/default/component/x/guide/`).
    pub url: String,
    pub src: PathBuf,
    pub title: String,
    /// The page body, packed until it is rendered into its page.
    pub html: Packed,
    pub headings: Vec<crate::markdown::Heading>,
    pub anchors: Anchors,
    /// The page's search sections (`search::documents`), packed if they are kept.
    pub sections: PackedValue<Vec<Section>>,
    pub has_mermaid: bool,
    pub edit_url: Option<String>,
    pub description: Option<String>,
    /// Front matter `search: exclude: true` keeps the page out of the search index.
    pub search_exclude: bool,
}

/// A page's anchors (ids a link's `#fragment` may name), kept for the anchor checks until
/// every page is rendered, long after the page is written: as one text, a line each, where
/// a list of strings held three times the memory (24 bytes and an allocation an anchor).
/// Stored in the page cache as the list it replaces.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Anchors(Box<str>);

impl Anchors {
    pub fn contains(&self, anchor: &str) -> bool {
        !anchor.is_empty() && self.0.split('\n').any(|a| a == anchor)
    }
}

impl From<Vec<String>> for Anchors {
    /// An id holding a line break (no heading's or attribute list's can) could not be named
    /// by a link's fragment anyway: it is left out.
    fn from(anchors: Vec<String>) -> Anchors {
        let kept = anchors
            .iter()
            .filter(|a| !a.is_empty() && !a.contains('\n'));
        Anchors(
            kept.map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n")
                .into(),
        )
    }
}

impl From<Anchors> for Vec<String> {
    fn from(anchors: Anchors) -> Vec<String> {
        let list = anchors.0.split('\n').filter(|a| !a.is_empty());
        list.map(str::to_string).collect()
    }
}

/// What rendering one page produced besides the page itself.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PageOutput {
    pub page: DocPage,
    pub checks: Vec<PendingCheck>,
    pub broken: Vec<Broken>,
    pub diagnostics: Vec<Diagnostic>,
    pub unsupported: Vec<String>,
}

/// A page's Markdown: its file, or the generated home page. A file that cannot be read
/// becomes a short page saying so, with a diagnostic.
pub fn page_text(p: &Prepared, page: usize) -> (String, Option<Diagnostic>) {
    let file: &DocFile = &p.files.pages[page];
    match fsutil::read_text_limited(&file.src, MAX_PAGE_BYTES) {
        _ if file.synthetic => (generated_home(p), None),
        Ok(t) => (t, None),
        Err(e) => {
            let code = if matches!(e, fsutil::ReadError::TooLarge { .. }) {
                Code::FileTooLarge
            } else {
                Code::FileUnreadable
            };
            let d = Diagnostic::new(code, format!("cannot read docs page: {e}"));
            let d = match e.line() {
                Some(line) => d.at(&file.src, line, 1),
                None => d.in_file(&file.src),
            }
            .entity(p.entity.to_string());
            let d = match e.hint() {
                Some(h) => d.hint(h),
                None => d,
            };
            let text = format!(
                "# {}\n\nThis page could not be read.\n",
                title_from_name(&file.rel)
            );
            (text, Some(d))
        }
    }
}

/// Renders page `id` (of the site `p`) from its Markdown `text`.
pub fn render_page(
    p: &Prepared,
    PageId { site, page }: PageId,
    text: &str,
    index: &LinkIndex,
    urls: Urls,
    highlight: Option<crate::highlight::Markup>,
    plantuml: Option<&crate::config::PlantUml>,
) -> PageOutput {
    let file: &DocFile = &p.files.pages[page];
    let mut diagnostics = Vec::new();
    let opts = MarkdownOptions {
        file: file.src.clone(),
        snippet_base: file.base.clone(),
        trusted_html: p.trusted,
        linenums: p.config.linenums,
        permalink: p.config.permalink,
        extra_abbreviations: Vec::new(),
        highlight: highlight.is_some(),
        markup: highlight.unwrap_or_default(),
        plantuml: plantuml.cloned(),
    };
    let mut links = PageLinks {
        index,
        urls,
        site,
        page,
        src: &file.src,
        docs_root: &p.config.docs_dir,
        checks: Vec::new(),
        broken: Vec::new(),
    };
    let r = render_markdown(text, &opts, &mut links);
    diagnostics.extend(
        r.diagnostics
            .into_iter()
            .map(|d| d.entity(p.entity.to_string())),
    );
    let fm = |k: &str| r.front_matter.get(k);
    let search_exclude = fm("search")
        .and_then(|s| s.get("exclude"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let page_out = DocPage {
        rel: file.rel.clone(),
        url: format!("{}{}", p.url, file.url),
        src: file.src.clone(),
        title: r.title.unwrap_or_default(),
        html: Packed::plain(r.html),
        headings: r.headings,
        anchors: Anchors::from(r.anchors),
        sections: PackedValue::plain(r.sections),
        has_mermaid: r.has_mermaid,
        edit_url: edit_url(p, file),
        description: fm("description")
            .and_then(|d| d.as_str())
            .map(str::to_string),
        search_exclude,
    };
    PageOutput {
        page: page_out,
        checks: links.checks,
        broken: links.broken,
        diagnostics,
        unsupported: r.unsupported,
    }
}

/// The "edit this page" link: mkdocs' `edit_uri_template` or `repo_url` + `edit_uri`, else the
/// repository's web URL from stagedoor.yaml, else MkDocs' GitHub/GitLab default.
fn edit_url(p: &Prepared, file: &DocFile) -> Option<String> {
    let rel_to_docs = file
        .src
        .strip_prefix(&p.config.docs_dir)
        .map(fsutil::slash_path)
        .unwrap_or_else(|_| file.rel.clone());
    let cfg = &p.config;
    let url = match (
        &cfg.repo_url,
        &cfg.edit_uri_template,
        &cfg.edit_uri,
        &p.repo_web,
    ) {
        (Some(repo), Some(template), _, _) => format!(
            "{}/{}",
            repo.trim_end_matches('/'),
            template.replace("{path}", &rel_to_docs)
        ),
        (Some(repo), None, Some(edit), _) if edit.contains("://") => format!("{edit}{rel_to_docs}"),
        (Some(repo), None, Some(edit), _) => format!(
            "{}/{}{rel_to_docs}",
            repo.trim_end_matches('/'),
            edit.trim_start_matches('/')
        ),
        (_, _, _, Some((web, branch, repo_dir))) => {
            let in_repo = fsutil::slash_path(file.src.strip_prefix(repo_dir).ok()?);
            format!("{web}/edit/{branch}/{in_repo}")
        }
        (Some(repo), None, None, None)
            if repo.contains("github.com") || repo.contains("gitlab.com") =>
        {
            format!(
                "{}/edit/master/docs/{rel_to_docs}",
                repo.trim_end_matches('/')
            )
        }
        _ => return None,
    };
    crate::catalog::rules::is_safe_link_scheme(&url).then_some(url)
}

/// Titles the explicit nav gives pages, by page index.
pub fn nav_titles(nav: &[NavNode]) -> HashMap<usize, String> {
    fn walk(nav: &[NavNode], out: &mut HashMap<usize, String>) {
        for n in nav {
            match n {
                NavNode::Page {
                    title: Some(t),
                    page,
                } => {
                    out.insert(*page, t.clone());
                }
                NavNode::Section { children, .. } => walk(children, out),
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    walk(nav, &mut out);
    out
}

/// A page's title: the nav's title, else its front matter or first H1 (`rendered`), else
/// "Home" for the site's home page, else the file name.
pub fn page_title(
    files: &SiteFiles,
    nav_titles: &HashMap<usize, String>,
    page: usize,
    rendered: &str,
) -> String {
    if let Some(t) = nav_titles.get(&page) {
        return t.clone();
    }
    if !rendered.is_empty() {
        return rendered.to_string();
    }
    let file = &files.pages[page];
    if file.url.is_empty() {
        "Home".to_string()
    } else {
        title_from_name(stem_of(&file.rel))
    }
}

fn stem_of(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("readme") {
        rel.rsplit('/').nth(1).unwrap_or(stem)
    } else {
        stem
    }
}

/// The home page of a docs site that has none: its title and a list of its pages.
fn generated_home(p: &Prepared) -> String {
    let mut md = format!("# {}\n\n", p.config.site_name);
    if let Some(d) = &p.config.site_description {
        md.push_str(&format!("{d}\n\n"));
    }
    for f in p.files.pages.iter().filter(|f| !f.synthetic) {
        let rel = f
            .src
            .strip_prefix(&p.config.docs_dir)
            .map(fsutil::slash_path)
            .unwrap_or_else(|_| f.rel.clone());
        md.push_str(&format!(
            "- [{}](<{rel}>)\n",
            title_from_name(stem_of(&f.rel))
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::Anchors;

    #[test]
    fn anchors_are_found_whole_and_stored_as_the_list_they_replace() {
        let list: Vec<String> = ["intro", "set-up", "set-up-2", "fn:1"]
            .map(String::from)
            .into();
        let anchors = Anchors::from(list.clone());
        for a in &list {
            assert!(anchors.contains(a), "{a}");
        }
        for a in ["", "set", "up", "set-up-", "intro\nset-up", "Intro"] {
            assert!(!anchors.contains(a), "{a:?}");
        }
        // The page cache keeps what it kept before: the list, in order.
        let stored = postcard::to_stdvec(&anchors).expect("serialises");
        assert_eq!(stored, postcard::to_stdvec(&list).expect("serialises"));
        let back: Anchors = postcard::from_bytes(&stored).expect("reads back");
        assert_eq!(back, anchors);
        assert_eq!(Vec::<String>::from(back), list);
        // No anchors, and ids no link could name.
        let odd = Anchors::from(vec![String::new(), "a\nb".to_string()]);
        assert_eq!(Vec::<String>::from(odd.clone()), Vec::<String>::new());
        assert!(!odd.contains("a") && !odd.contains("b"));
    }
}
