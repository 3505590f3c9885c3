//! Validate: one parsed document → an `Entity` (or a rejection), following Backstage's order:
//! envelope, identity, field formats, then the kind's spec. Identity problems (name,
//! namespace, kind) drop the entity with an error; everything else warns and keeps it.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use super::kinds::{self, KindRule, Need, Shape};
use super::locations::Target;
use super::model::{Entity, Link, Source};
use super::refs::EntityRef;
use super::relations::{self, DeclaredRef};
use super::rules::{self, not_valid};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::yaml::{Node, Value};

const ROOT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];

/// A validated entity with the refs its spec declares (turned into relations later).
pub struct Validated {
    pub entity: Entity,
    pub refs: Vec<DeclaredRef>,
    /// Location only: the targets as written, `presence: optional`, and `type: url`.
    pub targets: Vec<Target>,
    pub optional: bool,
    pub url_type: bool,
    /// Template only: folders its `fetch:template`/`fetch:plain` steps copy (skeletons).
    pub skeleton_dirs: Vec<PathBuf>,
    /// Line and column of `metadata.name`, where identity problems (duplicates) point.
    pub name_at: (usize, usize),
}

struct Checker<'a> {
    file: &'a Path,
    entity: Option<String>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, code: Code, node: &Node, message: String) -> &mut Diagnostic {
        let mut d = Diagnostic::new(code, message).at(self.file, node.line, node.col);
        d.entity = self.entity.clone();
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// A required string field of the envelope; reports and returns None when missing.
    fn required_str<'n>(&mut self, parent: &'n Node, key: &str, field: &str) -> Option<&'n str> {
        match parent.get(key) {
            Some(n) if n.as_str().is_some_and(|s| !s.is_empty()) => n.as_str(),
            Some(n) => {
                let found = n.type_name();
                self.report(
                    Code::MissingField,
                    n,
                    format!("\"{field}\" must be a non-empty string, found {found}"),
                );
                None
            }
            None => {
                self.report(
                    Code::MissingField,
                    parent,
                    format!("\"{field}\" is missing"),
                )
                .hint = Some(format!(
                    "every entity needs apiVersion, kind and metadata.name; add \"{field}\""
                ));
                None
            }
        }
    }
}

/// Validates one document root (a mapping). Returns None when the entity must be skipped.
pub fn validate_entity(
    root: &Node,
    source: Source,
    diags: &mut Vec<Diagnostic>,
) -> Option<Validated> {
    let file = source.file.clone();
    let mut c = Checker {
        file: &file,
        entity: None,
        diags,
    };
    let api_version = c.required_str(root, "apiVersion", "apiVersion");
    let kind = c.required_str(root, "kind", "kind");
    let Some(metadata) = root.get("metadata").filter(|m| m.as_map().is_some()) else {
        let at = root.get("metadata").unwrap_or(root);
        c.report(
            Code::MissingField,
            at,
            "\"metadata\" is missing or not a mapping".into(),
        );
        return None;
    };
    let name = c.required_str(metadata, "name", "metadata.name");
    let (api_version, kind, name) = (api_version?, kind?, name?);
    let namespace = check_identity(&mut c, root, metadata, api_version, kind, name)?;
    let entity_ref = EntityRef::new(kind, &namespace, name);
    c.entity = Some(entity_ref.to_string());

    let rule = kinds::kind_rule(kind);
    check_kind_and_version(&mut c, root, kind, api_version, rule);
    check_root_fields(&mut c, root);
    let meta = check_metadata(&mut c, metadata);
    let spec = root.get("spec");
    if let Some(rule) = rule {
        check_spec(&mut c, root, spec, rule);
    }
    let refs = declared_refs(&mut c, spec, kind, rule.is_some(), &namespace);
    let (raw, spec_json) = raw_json(root, &namespace, &meta.links);
    let is = |k: &str| rule.is_some_and(|r| r.kind == k);
    let targets = if is("Location") {
        location_targets(spec)
    } else {
        Vec::new()
    };
    let spec_text = |key: &str| spec.and_then(|s| s.get(key)).and_then(Node::as_str);
    let skeleton_dirs = if is("Template") {
        skeleton_dirs(spec, &source.file)
    } else {
        Vec::new()
    };
    let name_at = metadata
        .get("name")
        .map_or((source.line, 1), |n| (n.line, n.col));
    Some(Validated {
        name_at,
        targets,
        optional: spec_text("presence") == Some("optional"),
        url_type: spec_text("type") == Some("url"),
        skeleton_dirs,
        entity: Entity {
            entity_ref,
            kind: kind.to_string(),
            api_version: api_version.to_string(),
            title: meta.title,
            description: meta.description,
            labels: meta.labels,
            annotations: meta.annotations,
            tags: meta.tags,
            links: meta.links,
            spec: spec_json,
            raw,
            source,
            known_kind: rule.is_some(),
            relations: Vec::new(),
        },
        refs,
    })
}

/// Format checks of apiVersion, kind, name and namespace: any failure rejects the entity.
fn check_identity(
    c: &mut Checker,
    root: &Node,
    metadata: &Node,
    api_version: &str,
    kind: &str,
    name: &str,
) -> Option<String> {
    let mut ok = true;
    if !rules::is_api_version(api_version) {
        let at = root.get("apiVersion").unwrap_or(root);
        c.report(
            Code::InvalidApiVersion,
            at,
            not_valid("apiVersion", rules::PREFIX_EXPECTATION, api_version),
        );
        ok = false;
    }
    if !rules::is_kind(kind) {
        let at = root.get("kind").unwrap_or(root);
        c.report(
            Code::InvalidKind,
            at,
            not_valid("kind", rules::KIND_EXPECTATION, kind),
        );
        ok = false;
    }
    if !rules::is_object_name(name) {
        let at = metadata.get("name").unwrap_or(metadata);
        c.report(Code::InvalidName, at, not_valid("metadata.name", rules::OBJECT_NAME_EXPECTATION, name))
            .hint = Some("names may use letters, digits and - _ . between them, no spaces; the entity is skipped".into());
        ok = false;
    }
    let namespace = match metadata.get("namespace") {
        None => "default".to_string(),
        Some(n) if n.is_null() => "default".to_string(),
        Some(n) => {
            let text = n.scalar_text().unwrap_or_default();
            if text.is_empty() {
                "default".to_string()
            } else {
                if n.as_str().is_none() || !rules::is_dns_label(&text) {
                    c.report(
                        Code::InvalidNamespace,
                        n,
                        not_valid("metadata.namespace", rules::DNS_LABEL_EXPECTATION, &text),
                    )
                    .hint = Some("namespaces are lower case: letters, digits and -".into());
                    ok = false;
                }
                text
            }
        }
    };
    ok.then_some(namespace)
}

fn check_kind_and_version(
    c: &mut Checker,
    root: &Node,
    kind: &str,
    api_version: &str,
    rule: Option<&KindRule>,
) {
    let at = root.get("kind").unwrap_or(root);
    match rule {
        None => {
            let d = c.report(
                Code::UnknownKind,
                at,
                format!(
                    "kind \"{kind}\" is not a kind stagedoor knows; it is shown as a generic entity"
                ),
            );
            d.hint = Some(match kinds::kind_with_other_case(kind) {
                Some(known) => format!("kinds are case-sensitive: did you mean \"{known}\"?"),
                None => "known kinds: Component, API, Resource, System, Domain, Group, User, Location, Template".into(),
            });
        }
        Some(rule) if !rule.api_versions.contains(&api_version) => {
            let at = root.get("apiVersion").unwrap_or(root);
            let expected = rule.api_versions.join(" or ");
            c.report(
                Code::InvalidApiVersion,
                at,
                format!("apiVersion \"{api_version}\" is not one {kind} accepts ({expected})"),
            )
            .severity = Severity::Warning;
        }
        Some(_) => {}
    }
}

fn check_root_fields(c: &mut Checker, root: &Node) {
    for (key, _) in root.as_map().unwrap_or_default() {
        let k = key.scalar_text().unwrap_or_default();
        if !ROOT_FIELDS.contains(&k.as_str()) {
            let why = if k == "relations" || k == "status" {
                "is computed by the catalog"
            } else {
                "is not an entity field"
            };
            c.report(
                Code::ForeignRootField,
                key,
                format!("root field \"{k}\" {why} and is ignored"),
            )
            .hint = Some("an entity file holds only apiVersion, kind, metadata and spec".into());
        }
    }
}

struct Meta {
    title: Option<String>,
    description: Option<String>,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
    tags: Vec<String>,
    links: Vec<Link>,
}

fn check_metadata(c: &mut Checker, metadata: &Node) -> Meta {
    Meta {
        title: optional_text(c, metadata, "title"),
        description: optional_text(c, metadata, "description"),
        labels: check_pairs(c, metadata, "labels"),
        annotations: check_pairs(c, metadata, "annotations"),
        tags: check_tags(c, metadata),
        links: check_links(c, metadata),
    }
}

fn optional_text(c: &mut Checker, metadata: &Node, key: &str) -> Option<String> {
    let node = metadata.get(key).filter(|n| !n.is_null())?;
    match node.as_str() {
        Some(s) if !s.trim().is_empty() => Some(s.to_string()),
        _ => {
            c.report(
                Code::InvalidField,
                node,
                format!(
                    "\"metadata.{key}\" must be a non-empty string, found {}",
                    node.type_name()
                ),
            );
            node.scalar_text().filter(|s| !s.is_empty())
        }
    }
}

/// Labels and annotations: keys by the prefixed-key rule; label values by the name rule,
/// annotation values must be YAML strings (an unquoted number or boolean is a mistake).
fn check_pairs(c: &mut Checker, metadata: &Node, which: &str) -> Vec<(String, String)> {
    let Some(node) = metadata.get(which).filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let Some(entries) = node.as_map() else {
        c.report(
            Code::InvalidField,
            node,
            format!("\"metadata.{which}\" must be a mapping of strings"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let key = k.scalar_text().unwrap_or_default();
        if !rules::is_prefixed_key(&key) {
            c.report(
                Code::InvalidField,
                k,
                not_valid(&format!("{which}.{key}"), rules::PREFIX_EXPECTATION, &key),
            );
        }
        let value = v.scalar_text().unwrap_or_default();
        if which == "labels" && (v.as_str().is_none() || !rules::is_label_value(&value)) {
            c.report(
                Code::InvalidField,
                v,
                not_valid(
                    &format!("labels.{key}"),
                    rules::OBJECT_NAME_EXPECTATION,
                    &value,
                ),
            );
        }
        if which == "annotations" && v.as_str().is_none() {
            c.report(
                Code::InvalidField,
                v,
                not_valid(&format!("annotations.{key}"), "a string", &value),
            )
            .hint = Some(format!("quote the value: {key}: \"{value}\""));
        }
        if which == "annotations"
            && let Some(url) = rules::unsafe_link_annotation(&key, &value)
        {
            c.report(
                Code::UnsafeLink,
                v,
                format!("annotation {key} \"{url}\" is not linked: only http and https URLs are"),
            );
        }
        out.push((key, value));
    }
    out
}

fn check_tags(c: &mut Checker, metadata: &Node) -> Vec<String> {
    let Some(node) = metadata.get("tags").filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let Some(items) = node.as_seq() else {
        c.report(
            Code::InvalidField,
            node,
            "\"metadata.tags\" must be a list of strings".into(),
        );
        return Vec::new();
    };
    let mut tags = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let tag = item.scalar_text().unwrap_or_default();
        if item.as_str().is_none() || !rules::is_tag(&tag) {
            c.report(
                Code::InvalidField,
                item,
                not_valid(&format!("tags.{i}"), rules::TAG_EXPECTATION, &tag),
            )
            .hint = Some(
                "tags are lower case, without spaces, dots or underscores (e.g. nodejs, go-1-15)"
                    .into(),
            );
        }
        if !tag.is_empty() {
            tags.push(tag);
        }
    }
    tags
}

fn check_links(c: &mut Checker, metadata: &Node) -> Vec<Link> {
    let Some(node) = metadata.get("links").filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let Some(items) = node.as_seq() else {
        c.report(
            Code::InvalidField,
            node,
            "\"metadata.links\" must be a list".into(),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| check_link(c, i, item))
        .collect()
}

fn check_link(c: &mut Checker, i: usize, item: &Node) -> Option<Link> {
    let url_node = item.get("url");
    let url = url_node
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .trim()
        .to_string();
    if !rules::is_absolute_url(&url) {
        c.report(
            Code::InvalidField,
            url_node.unwrap_or(item),
            not_valid(
                &format!("links.{i}.url"),
                "a string that is a valid url",
                &url,
            ),
        )
        .hint = Some("links need an absolute URL such as https://…".into());
        return None;
    }
    if !rules::is_safe_link_scheme(&url) {
        c.report(
            Code::UnsafeLink,
            url_node.unwrap_or(item),
            format!("link \"{url}\" was dropped: only http, https and mailto links are shown"),
        );
        return None;
    }
    let text = |c: &mut Checker, key: &str| -> Option<String> {
        let n = item.get(key).filter(|n| !n.is_null())?;
        let s = n.scalar_text().unwrap_or_default();
        if n.as_str().is_none() || s.trim().is_empty() {
            c.report(
                Code::InvalidField,
                n,
                not_valid(&format!("links.{i}.{key}"), "a non empty string", &s),
            );
        }
        Some(s).filter(|s| !s.trim().is_empty())
    };
    Some(Link {
        title: text(c, "title"),
        icon: text(c, "icon"),
        link_type: text(c, "type"),
        url,
    })
}

fn check_spec(c: &mut Checker, root: &Node, spec: Option<&Node>, rule: &KindRule) {
    let Some(spec) = spec.filter(|s| s.as_map().is_some()) else {
        let at = spec.unwrap_or(root);
        c.report(
            Code::MissingSpecField,
            at,
            format!(
                "\"spec\" is missing or not a mapping; a {} needs one",
                rule.kind
            ),
        );
        return;
    };
    let spec_type = spec.get("type").and_then(Node::as_str);
    for field in rule.fields {
        let required = match field.need {
            Need::Optional => false,
            Need::Required => true,
            Need::UnlessType(t) => spec_type != Some(t),
            Need::IfType(t) => spec_type == Some(t),
        };
        match spec.get(field.name).filter(|n| !n.is_null()) {
            None if required => {
                c.report(
                    Code::MissingSpecField,
                    spec,
                    format!("\"spec.{}\" is required for a {}", field.name, rule.kind),
                )
                .hint = Some(format!(
                    "add spec.{}: {}",
                    field.name,
                    field.shape.describe()
                ));
            }
            None => {}
            Some(n) if !fits(n, field.shape) => {
                c.report(
                    Code::MissingSpecField,
                    n,
                    format!(
                        "\"spec.{}\" must be {}, found {}",
                        field.name,
                        field.shape.describe(),
                        n.type_name()
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

fn fits(node: &Node, shape: Shape) -> bool {
    match (shape, &node.value) {
        (Shape::String, Value::String(s)) => !s.is_empty(),
        (Shape::StringList, Value::Seq(items)) => items.iter().all(|i| i.as_str().is_some()),
        (Shape::Object, Value::Map(_)) | (Shape::List, Value::Seq(_)) => true,
        (Shape::ObjectOrList, Value::Map(_) | Value::Seq(_)) => true,
        _ => false,
    }
}

/// Parses every ref field the relation rules name; a bad ref drops only that relation.
fn declared_refs(
    c: &mut Checker,
    spec: Option<&Node>,
    kind: &str,
    known: bool,
    namespace: &str,
) -> Vec<DeclaredRef> {
    let Some(spec) = spec else { return Vec::new() };
    let mut out = Vec::new();
    for rule in relations::rules_for(kind, known) {
        let Some(node) = spec.get(rule.field).filter(|n| !n.is_null()) else {
            continue;
        };
        let items: Vec<&Node> = match node.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![node],
        };
        for item in items {
            let Some(text) = item.as_str() else { continue };
            match EntityRef::parse(text, rule.default_kind, namespace) {
                Ok(target) => out.push(DeclaredRef {
                    field: rule.field,
                    forward: rule.forward,
                    target,
                    line: item.line,
                    col: item.col,
                }),
                Err(e) => {
                    let hint = match rule.default_kind {
                        None => format!(
                            "spec.{} has no default kind: write it, e.g. resource:{text}",
                            rule.field
                        ),
                        Some(k) => {
                            format!("write [kind:][namespace/]name; the default kind here is {k}")
                        }
                    };
                    c.report(
                        Code::InvalidRef,
                        item,
                        format!("\"spec.{}\" value \"{text}\": {e}", rule.field),
                    )
                    .hint = Some(hint);
                }
            }
        }
    }
    out
}

/// `target` first, then `targets`, as Backstage processes them.
fn location_targets(spec: Option<&Node>) -> Vec<Target> {
    let Some(spec) = spec else { return Vec::new() };
    let single = spec.get("target").into_iter();
    let many = spec
        .get("targets")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter();
    single
        .chain(many)
        .filter_map(|n| {
            n.as_str().map(|t| Target {
                text: t.to_string(),
                line: n.line,
                col: n.col,
            })
        })
        .collect()
}

/// Local folders a Template's `fetch:template`/`fetch:plain` steps copy: their files are
/// skeletons with `${{ }}` placeholders, not entities.
fn skeleton_dirs(spec: Option<&Node>, file: &Path) -> Vec<PathBuf> {
    let steps = spec
        .and_then(|s| s.get("steps"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let base = file.parent().unwrap_or(file);
    steps
        .iter()
        .filter(|step| {
            step.get("action")
                .and_then(Node::as_str)
                .is_some_and(|a| a.starts_with("fetch:template") || a == "fetch:plain")
        })
        .filter_map(|step| step.get("input")?.get("url")?.as_str())
        .filter(|url| !url.contains("://"))
        .map(|url| crate::fsutil::normalize(&base.join(url)))
        .collect()
}

/// The document as `catalog.json` shows it (namespace defaulted, unsafe links removed,
/// `relations`/`status` from the input left out: they are computed), and its spec (`{}`
/// when it has none) taken out of it: kept once, in `Entity::spec`, its place in the
/// document held by a null (`Entity::document` puts them together).
fn raw_json(root: &Node, namespace: &str, links: &[Link]) -> (Json, Json) {
    let mut json = root.to_json();
    let mut spec = None;
    if let Some(obj) = json.as_object_mut() {
        obj.retain(|k, _| ROOT_FIELDS.contains(&k.as_str()));
        spec = obj.get_mut("spec").map(std::mem::take);
        if let Some(meta) = obj.get_mut("metadata").and_then(Json::as_object_mut) {
            meta.insert("namespace".into(), Json::String(namespace.into()));
            if meta.contains_key("links") {
                meta.insert(
                    "links".into(),
                    serde_json::to_value(links).unwrap_or_default(),
                );
            }
        }
    }
    (json, spec.unwrap_or_else(|| Json::Object(Map::new())))
}
