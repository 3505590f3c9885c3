//! OpenAPI 2.0, 3.0 and 3.1 definitions, YAML or JSON → `Reference`: the introduction
//! (title, version, description, servers, security schemes), one section per tag with its
//! operations in the definition's order (untagged ones last), 3.1 webhooks, and a section of
//! every component schema. The definition is walked as a generic tree, never checked against
//! the OpenAPI schema, so a definition that breaks the rules still shows what it has;
//! `refs` follows `$ref`s, `operation` and `schema` draw, `text` makes strings safe.

mod callbacks;
pub(crate) mod intro;
mod operation;
pub(crate) mod refs;
pub(crate) mod schema;
pub(crate) mod text;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{OutlineEntry, Reference, SearchEntry, Section, Source, search_names};
use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{self, Node, Schema};
use operation::Operation;
use refs::{Doc, DocId, Refs};

/// What every part of the reference reads: the documents and where relative text may come
/// from.
pub struct Cx<'a> {
    pub refs: &'a Refs,
    pub root: &'a Path,
    /// Each operationId's anchor (the first operation with it), for response links.
    pub operation_ids: HashMap<String, String>,
    pub markup: crate::highlight::Markup,
}

impl Cx<'_> {
    /// A description from document `doc` as sanitised HTML.
    pub fn md(&self, doc: DocId, text: &str) -> String {
        text::markdown(text, &self.refs.docs[doc].file, self.root, self.markup)
    }
}

pub fn reference(source: &Source<'_>) -> Option<Reference> {
    let refs = match load_definition(source, "OpenAPI") {
        Ok(refs) => refs,
        Err(unreadable) => return Some(*unreadable),
    };
    let bare = Cx {
        refs: &refs,
        root: source.root,
        operation_ids: HashMap::new(),
        markup: source.markup,
    };
    let mut anchors = Anchors::default();
    let paths = operation::collect(&bare, &mut anchors, "paths");
    let hooks = operation::collect(&bare, &mut anchors, "webhooks");
    let mut operation_ids = HashMap::new();
    for op in paths.iter().chain(&hooks) {
        if let Some(id) = op.str("operationId") {
            operation_ids
                .entry(id.to_string())
                .or_insert_with(|| op.anchor.clone());
        }
    }
    let cx = Cx {
        operation_ids,
        ..bare
    };
    let mut reference = Reference {
        intro_html: intro::intro_html(&cx),
        ..Reference::default()
    };
    add_operations(&cx, &mut reference, anchors, paths, hooks);
    add_schemas(&cx, &mut reference);
    reference.diagnostics = refs.diagnostics.take();
    Some(reference)
}

/// A definition (OpenAPI or AsyncAPI, named by `format` in messages) read as a tree with the
/// documents its `$ref`s name; an unreadable one is a reference holding only its E110.
pub(crate) fn load_definition(source: &Source<'_>, format: &str) -> Result<Refs, Box<Reference>> {
    // The definition's line 1 is the source's line: positions in it are shifted by this.
    let offset = source.line.saturating_sub(1);
    let node = parse(source.text)
        .map_err(|(line, message)| Box::new(unreadable(source, format, offset + line, message)))?;
    let main = Doc {
        node,
        file: source.file.to_path_buf(),
        offset,
    };
    Ok(Refs::load(main, source.root))
}

/// The definition as a tree: YAML (which JSON mostly is), else JSON for what YAML refuses
/// (tabs, very long lines). Errors give the line of the problem.
fn parse(text: &str) -> Result<Node, (usize, String)> {
    let yaml_error = match yaml::parse_single(text, Schema::Core12) {
        Ok(Some(node)) if node.as_map().is_some() => return Ok(node),
        Ok(Some(node)) => {
            return Err((
                node.line,
                format!("the definition is a {}, not a mapping", node.type_name()),
            ));
        }
        Ok(None) => return Err((1, "the definition is empty".into())),
        Err(e) => (e.line, e.message),
    };
    let json = serde_json::from_str::<serde_json::Value>(text).map_err(|_| yaml_error)?;
    let at = Node {
        value: yaml::Value::Null,
        line: 1,
        col: 1,
        tag: None,
    };
    Ok(crate::catalog::substitute::from_json(&json, &at))
}

fn unreadable(source: &Source<'_>, format: &str, line: usize, message: String) -> Reference {
    let d = Diagnostic::new(
        Code::ApiDefinitionInvalid,
        format!("the {format} definition cannot be read: {message}"),
    )
    .at(source.file, line, 1);
    Reference {
        diagnostics: vec![d],
        ..Reference::default()
    }
}

/// Anchors given out so far: two operations with one operationId (or two tags with one
/// slug) still get distinct anchors.
#[derive(Default)]
pub struct Anchors(HashSet<String>);

impl Anchors {
    pub fn take(&mut self, wanted: String) -> String {
        let mut anchor = wanted.clone();
        let mut n = 1;
        while !self.0.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{wanted}-{n}");
        }
        anchor
    }
}

/// A group of operations: a tag (declared, or first met on an operation) or the untagged.
struct Group<'a> {
    name: Option<String>,
    description: Option<(DocId, &'a str)>,
    operations: Vec<Operation<'a>>,
    /// Operations drawn under their first tag that list this one too: linked from here.
    also: Vec<OutlineEntry>,
    /// The tag's `externalDocs`.
    external: Option<&'a Node>,
}

impl<'a> Group<'a> {
    fn new(name: Option<String>, description: Option<(DocId, &'a str)>) -> Self {
        Group {
            name,
            description,
            operations: Vec::new(),
            also: Vec::new(),
            external: None,
        }
    }
}

/// The operations of `paths` grouped by tag, then the 3.1 `webhooks` (requests the API makes,
/// not receives) in a section of their own.
fn add_operations<'a>(
    cx: &Cx<'a>,
    r: &mut Reference,
    mut anchors: Anchors,
    paths: Vec<Operation<'a>>,
    webhooks: Vec<Operation<'a>>,
) {
    let groups = group_operations(cx, paths);
    let any_tagged = groups.iter().any(|g| g.name.is_some());
    for g in groups {
        let (title, wanted) = match &g.name {
            Some(name) => (name.clone(), format!("tag/{}", text::slug(name))),
            None if any_tagged => ("Other operations".to_string(), "operations".to_string()),
            None => ("Operations".to_string(), "operations".to_string()),
        };
        add_group(cx, r, g, title, anchors.take(wanted));
    }
    let mut hooks = Group::new(None, None);
    hooks.operations = webhooks;
    add_group(
        cx,
        r,
        hooks,
        "Webhooks".into(),
        anchors.take("webhooks".into()),
    );
}

fn add_group(cx: &Cx, r: &mut Reference, g: Group, title: String, anchor: String) {
    if g.operations.is_empty() && g.also.is_empty() {
        return;
    }
    r.outline.push(OutlineEntry {
        anchor: anchor.clone(),
        title: title.clone(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let mut html = g
        .description
        .map(|(doc, d)| cx.md(doc, d))
        .unwrap_or_default();
    html.push_str(&text::external_docs(g.external));
    for op in &g.operations {
        html.push_str(&operation::render(cx, op));
        r.outline.push(op.outline_entry());
        r.search.push(op.search_entry(cx));
    }
    if !g.also.is_empty() {
        html.push_str("<p class=\"apiref-facts\">Also in this tag:</p><ul class=\"plain-list\">");
        for e in g.also {
            html.push_str(&also_item(&e));
            r.outline.push(e);
        }
        html.push_str("</ul>");
    }
    r.sections.push(Section {
        anchor,
        title,
        html,
        page: None,
    });
}

fn also_item(e: &OutlineEntry) -> String {
    let method = e.badge.as_deref().unwrap_or_default();
    format!(
        "<li><a href=\"#{}\"><span class=\"method method--{}\">{}</span> {}</a></li>",
        crate::html::escape(&e.anchor),
        crate::html::escape(&method.to_lowercase()),
        crate::html::escape(method),
        crate::html::escape(&e.title)
    )
}

/// Operations by their first tag: declared tags in the definition's order, then tags met
/// only on operations in the order met, then the untagged.
fn group_operations<'a>(cx: &Cx<'a>, operations: Vec<Operation<'a>>) -> Vec<Group<'a>> {
    let root = &cx.refs.docs[0].node;
    let mut groups: Vec<Group> = root
        .get("tags")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| {
            let name = t.get("name")?.scalar_text()?;
            let description = t.get("description").and_then(Node::as_str).map(|d| (0, d));
            let mut group = Group::new(Some(name), description);
            group.external = t.get("externalDocs");
            Some(group)
        })
        .collect();
    let mut untagged = Group::new(None, None);
    for op in operations {
        let tags = op.tags();
        let Some((first, others)) = tags.split_first() else {
            untagged.operations.push(op);
            continue;
        };
        let entry = op.outline_entry();
        let i = group_of(&mut groups, first);
        groups[i].operations.push(op);
        for tag in others {
            let i = group_of(&mut groups, tag);
            groups[i].also.push(entry.clone());
        }
    }
    groups.push(untagged);
    groups
}

/// The index of the group of `tag`, made when the tag was not declared.
fn group_of(groups: &mut Vec<Group>, tag: &str) -> usize {
    if let Some(i) = groups.iter().position(|g| g.name.as_deref() == Some(tag)) {
        return i;
    }
    groups.push(Group::new(Some(tag.to_string()), None));
    groups.len() - 1
}

/// More component schemas than this make more than one section, each named by the range of
/// names it holds: a large reference split into pages (`apiref::split`) then puts a thousand
/// schemas on pages of a few hundred kilobytes rather than on one of megabytes.
const SCHEMAS_PER_SECTION: usize = 250;

fn add_schemas(cx: &Cx, r: &mut Reference) {
    let root = &cx.refs.docs[0].node;
    let schemas = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .or_else(|| root.get("definitions"))
        .and_then(Node::as_map)
        .unwrap_or_default();
    let several = schemas.len() > SCHEMAS_PER_SECTION;
    for (i, chunk) in schemas.chunks(SCHEMAS_PER_SECTION).enumerate() {
        let anchor = match i {
            0 => "schemas".to_string(),
            _ => format!("schemas-{}", i + 1),
        };
        let title = if several {
            let name =
                |e: Option<&(Node, Node)>| e.and_then(|(k, _)| k.scalar_text()).unwrap_or_default();
            format!("Schemas ({} – {})", name(chunk.first()), name(chunk.last()))
        } else {
            "Schemas".to_string()
        };
        add_schema_section(cx, r, chunk, anchor, title);
    }
}

fn add_schema_section(
    cx: &Cx,
    r: &mut Reference,
    schemas: &[(Node, Node)],
    anchor: String,
    title: String,
) {
    r.outline.push(OutlineEntry {
        anchor: anchor.clone(),
        title: title.clone(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let mut html = String::new();
    for (k, node) in schemas {
        let name = k.scalar_text().unwrap_or_default();
        let anchor = schema::schema_anchor(&name);
        html.push_str(&format!(
            "<article class=\"apiref-schema\" id=\"{}\"><h4>{}</h4>{}</article>",
            crate::html::escape(&anchor),
            crate::html::escape(&name),
            schema::schema_tree(cx, 0, node)
        ));
        r.outline.push(OutlineEntry {
            anchor: anchor.clone(),
            title: name.clone(),
            depth: 1,
            deprecated: node
                .get("deprecated")
                .and_then(|d| d.scalar_text())
                .as_deref()
                == Some("true"),
            ..OutlineEntry::default()
        });
        r.search.push(schema_search_entry(anchor, &name, node));
    }
    r.sections.push(Section {
        anchor,
        title,
        html,
        page: None,
    });
}

fn schema_search_entry(anchor: String, name: &str, node: &Node) -> SearchEntry {
    let description = node
        .get("description")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let properties: Vec<String> = node
        .get("properties")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .collect();
    SearchEntry {
        anchor,
        title: format!("schema {name}"),
        text: format!("{} {}", text::plain(description, 300), properties.join(" ")),
        names: search_names([name]),
    }
}

#[cfg(test)]
mod tests;
