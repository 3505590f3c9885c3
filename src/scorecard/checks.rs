//! Check kinds: the one table of what a scorecard rule can test (`KINDS`), each kind's
//! arguments read from the rule, and the test it makes, evaluated against one entity's facts.

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

use super::facts::Facts;
use crate::catalog::Entity;
use crate::yaml::Node;

/// A check kind: its name in `check:`, the argument keys it reads, what it tests (for the
/// docs) and how its test is made from a rule.
pub struct Kind {
    pub name: &'static str,
    pub args: &'static [&'static str],
    pub summary: &'static str,
    make: fn(&Node, &mut Globs) -> Result<Test, String>,
}

/// Every check kind. A new kind is a row here and a variant of `Test`.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "field",
        args: &["field"],
        summary: "an entity field is present and not empty: `field:` one of description, title, lifecycle, system, owner, type, tags",
        make: make_field,
    },
    Kind {
        name: "owner_resolves",
        args: &[],
        summary: "spec.owner names a Group or User that is in the catalog",
        make: |_, _| Ok(Test::OwnerResolves),
    },
    Kind {
        name: "annotation",
        args: &["keys"],
        summary: "one of `keys:` (globs, e.g. `opsgenie.com/*`) is an annotation with a value",
        make: make_annotation,
    },
    Kind {
        name: "link",
        args: &["type", "link_title", "url"],
        summary: "a link in metadata.links matches every one of `type:`, `link_title:`, `url:` given (globs, any case; `link_title` because `title` is the rule's own)",
        make: make_link,
    },
    Kind {
        name: "docs",
        args: &[],
        summary: "the entity has docs (its own TechDocs, another entity's, or an external URL)",
        make: |_, _| Ok(Test::Docs),
    },
    Kind {
        name: "docs_links",
        args: &[],
        summary: "the entity has its own docs and they have no broken links, images or anchors",
        make: |_, _| Ok(Test::DocsLinks),
    },
    Kind {
        name: "repo_files",
        args: &["files"],
        summary: "a file in the entity's repository matches one of `files:` (globs relative to the repository root; `*` stays in one folder)",
        make: make_repo_files,
    },
    Kind {
        name: "api_parses",
        args: &[],
        summary: "an API's definition was read into a reference without syntax errors (a remote URL fails)",
        make: |_, _| Ok(Test::ApiParses),
    },
    Kind {
        name: "no_hold_tech",
        args: &[],
        summary: "the entity uses no technology a tech radar puts on Hold",
        make: |_, _| Ok(Test::NoHoldTech),
    },
    Kind {
        name: "any",
        args: &["of"],
        summary: "one of the checks listed in `of:` (each `{check: kind, …arguments}`) passes",
        make: make_any,
    },
];

/// What `field` checks read, by name. Present means not empty once trimmed.
type FieldTest = fn(&Entity) -> bool;

const FIELDS: &[(&str, FieldTest)] = &[
    ("description", |e| filled(e.description.as_deref())),
    ("title", |e| filled(e.title.as_deref())),
    ("lifecycle", |e| filled(e.spec_str("lifecycle"))),
    ("system", |e| filled(e.spec_str("system"))),
    ("owner", |e| filled(e.spec_str("owner"))),
    ("type", |e| filled(e.spec_str("type"))),
    ("tags", |e| !e.tags.is_empty()),
];

fn filled(s: Option<&str>) -> bool {
    s.is_some_and(|s| !s.trim().is_empty())
}

/// A rule's test, made once from its arguments.
#[derive(Clone, Debug)]
pub enum Test {
    /// Index into `FIELDS`.
    Field(usize),
    OwnerResolves,
    Annotation(GlobSet),
    Link(Box<LinkTest>),
    Docs,
    DocsLinks,
    /// Index into the repository glob sets (`Globs`), matched once per repository.
    RepoFiles(usize),
    ApiParses,
    NoHoldTech,
    Any(Vec<Test>),
}

/// The globs a link must match (None: any value).
#[derive(Clone, Debug)]
pub struct LinkTest {
    link_type: Option<GlobMatcher>,
    title: Option<GlobMatcher>,
    url: Option<GlobMatcher>,
}

impl Test {
    pub fn passes(&self, e: &Entity, facts: &Facts) -> bool {
        match self {
            Test::Field(i) => (FIELDS[*i].1)(e),
            Test::OwnerResolves => facts.owner_resolves(e),
            Test::Annotation(keys) => {
                (e.annotations.iter()).any(|(k, v)| !v.trim().is_empty() && keys.is_match(k))
            }
            Test::Link(t) => e.links.iter().any(|l| {
                let fits = |g: &Option<GlobMatcher>, v: Option<&str>| {
                    g.as_ref().is_none_or(|g| v.is_some_and(|v| g.is_match(v)))
                };
                fits(&t.link_type, l.link_type.as_deref())
                    && fits(&t.title, l.title.as_deref())
                    && fits(&t.url, Some(&l.url))
            }),
            Test::Docs => facts.has_docs(e),
            Test::DocsLinks => facts.has_own_docs(e) && !facts.docs_broken(e),
            Test::RepoFiles(i) => facts.repo_has(e, *i),
            Test::ApiParses => facts.api_parses(e),
            Test::NoHoldTech => !facts.uses_hold(e),
            Test::Any(tests) => tests.iter().any(|t| t.passes(e, facts)),
        }
    }
}

/// The glob sets of every `repo_files` test, numbered in the order they were made.
#[derive(Clone, Debug, Default)]
pub struct Globs {
    pub sets: Vec<GlobSet>,
    /// Path components the longest pattern has: how deep a repository is walked.
    pub depth: usize,
    /// A pattern holds `**`: the whole repository is walked.
    pub any_depth: bool,
}

pub fn kind_named(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The test of a rule (or of one `any` alternative) whose `check:` names `kind`.
pub fn make_test(kind: &Kind, node: &Node, globs: &mut Globs) -> Result<Test, String> {
    (kind.make)(node, globs)
}

fn text<'a>(node: &'a Node, key: &str) -> Result<Option<&'a str>, String> {
    match node.get(key).filter(|n| !n.is_null()) {
        None => Ok(None),
        Some(n) => n
            .as_str()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a string, found {}", n.type_name())),
    }
}

fn texts<'a>(node: &'a Node, key: &str) -> Result<Vec<&'a str>, String> {
    let Some(n) = node.get(key).filter(|n| !n.is_null()) else {
        return Err(format!("`{key}` is required"));
    };
    if let Some(s) = n.as_str() {
        return Ok(vec![s]);
    }
    let items = n.as_seq().unwrap_or_default();
    let out: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
    if out.is_empty() || out.len() != items.len() {
        return Err(format!("`{key}` must be a non-empty list of strings"));
    }
    Ok(out)
}

/// A path glob keeps `*` within one folder; a text glob (link titles, URLs) does not.
fn glob(pattern: &str, any_case: bool, path: bool) -> Result<globset::Glob, String> {
    GlobBuilder::new(pattern)
        .literal_separator(path)
        .case_insensitive(any_case)
        .build()
        .map_err(|e| format!("bad glob \"{pattern}\": {}", e.kind()))
}

fn glob_set(patterns: &[&str], path: bool) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p, false, path)?);
    }
    b.build().map_err(|e| e.to_string())
}

fn make_field(node: &Node, _: &mut Globs) -> Result<Test, String> {
    let name = text(node, "field")?.ok_or("`field` is required")?;
    FIELDS
        .iter()
        .position(|(f, _)| *f == name)
        .map(Test::Field)
        .ok_or_else(|| {
            let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
            format!("unknown field \"{name}\" (one of {})", known.join(", "))
        })
}

fn make_annotation(node: &Node, _: &mut Globs) -> Result<Test, String> {
    Ok(Test::Annotation(glob_set(&texts(node, "keys")?, false)?))
}

fn make_link(node: &Node, _: &mut Globs) -> Result<Test, String> {
    let matcher = |key: &str| -> Result<Option<GlobMatcher>, String> {
        text(node, key)?
            .map(|p| glob(p, true, false).map(|g| g.compile_matcher()))
            .transpose()
    };
    let (link_type, title, url) = (matcher("type")?, matcher("link_title")?, matcher("url")?);
    if link_type.is_none() && title.is_none() && url.is_none() {
        return Err("a link check needs `type`, `link_title` or `url`".into());
    }
    Ok(Test::Link(Box::new(LinkTest {
        link_type,
        title,
        url,
    })))
}

fn make_repo_files(node: &Node, globs: &mut Globs) -> Result<Test, String> {
    let patterns = texts(node, "files")?;
    // Confined to the repository: nothing above or outside its root is looked at.
    if let Some(p) = patterns
        .iter()
        .find(|p| p.starts_with('/') || p.split('/').any(|s| s == ".."))
    {
        return Err(format!(
            "\"{p}\" leaves the repository; files are globs relative to its root"
        ));
    }
    let set = glob_set(&patterns, true)?;
    for p in &patterns {
        globs.any_depth |= p.contains("**");
        globs.depth = globs.depth.max(p.split('/').count());
    }
    globs.sets.push(set);
    Ok(Test::RepoFiles(globs.sets.len() - 1))
}

fn make_any(node: &Node, globs: &mut Globs) -> Result<Test, String> {
    let items = node
        .get("of")
        .and_then(Node::as_seq)
        .filter(|s| !s.is_empty())
        .ok_or("`of` must be a non-empty list of checks")?;
    let mut tests = Vec::new();
    for item in items {
        let name = text(item, "check")?.ok_or("each check in `of` needs `check`")?;
        let kind = kind_named(name).ok_or_else(|| unknown_kind(name))?;
        tests.push(make_test(kind, item, globs)?);
    }
    Ok(Test::Any(tests))
}

pub fn unknown_kind(name: &str) -> String {
    let known: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    format!(
        "unknown check kind \"{name}\" (one of {})",
        known.join(", ")
    )
}
