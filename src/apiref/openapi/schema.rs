//! Schemas as a nested tree a reader opens one level at a time (`<details>`, no script):
//! properties with their required marks, types, constraints and variants. A `$ref` to a
//! component is a link to its own entry rather than a copy, so recursive schemas stop and a
//! big definition does not repeat itself; other refs are followed, guarded against loops.

use std::fmt::Write as _;

use serde_json::{Map, Value as Json};

use super::Cx;
use super::refs::{DocId, Target, split_ref};
use super::text::slug;
use crate::html::escape;
use crate::yaml::Node;

/// Nesting shown at most; deeper parts end in "…" (a generated schema can nest without end).
const MAX_DEPTH: usize = 8;
/// Schemas and refs being followed at once, at most (loops end sooner).
const MAX_STACK: usize = 64;
/// Properties or variants listed per schema at most.
const MAX_CHILDREN: usize = 200;
/// Enum values shown at most.
const MAX_ENUM: usize = 20;
/// A generated example goes this deep at most.
const MAX_SAMPLE_DEPTH: usize = 5;

/// Constraints shown as `name: value`, in this order.
const FACTS: &[&str] = &[
    "format",
    "default",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];
/// Boolean keywords shown as a word when true.
const FLAGS: &[&str] = &["nullable", "readOnly", "writeOnly", "deprecated"];
/// Composition keywords and how they read.
const VARIANTS: &[(&str, &str)] = &[
    ("allOf", "all of"),
    ("oneOf", "one of"),
    ("anyOf", "any of"),
];

/// The component a `$ref` names (`#/components/schemas/X`, 2.0 `#/definitions/X`), when it
/// is in the definition itself: those have entries of their own to link to.
pub fn component_name(doc: DocId, value: &str) -> Option<String> {
    let (file, pointer) = split_ref(value);
    if doc != 0 || !file.is_empty() {
        return None;
    }
    let name = pointer
        .strip_prefix("/components/schemas/")
        .or_else(|| pointer.strip_prefix("/definitions/"))?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

pub fn schema_anchor(name: &str) -> String {
    format!("schema/{}", slug(name))
}

/// The tree of `node`, open at its first level. A component ref at the top (a request or
/// response body) is drawn in place, with a link to the component's own entry.
pub fn schema_tree(cx: &Cx, doc: DocId, node: &Node) -> String {
    let mut out = String::from("<ul class=\"schema\">");
    let mut walk = Walk {
        cx,
        stack: Vec::new(),
    };
    let top = Place {
        name: None,
        required: false,
        depth: 0,
    };
    let value = node.get("$ref").and_then(Node::as_str);
    let component = value.and_then(|v| Some((component_name(doc, v)?, v)));
    match component.map(|(c, v)| (c, cx.refs.resolve(doc, node, v))) {
        Some((c, Target::Found(d, target))) => {
            walk.body(d, target, &top, &component_link(&c), &mut out)
        }
        _ => walk.item(doc, node, &top, &mut out),
    }
    out.push_str("</ul>");
    out
}

fn component_link(name: &str) -> String {
    format!(
        "<a class=\"type\" href=\"#{}\">{}</a> ",
        escape(&schema_anchor(name)),
        escape(name)
    )
}

/// Where a schema sits in the tree.
struct Place<'n> {
    name: Option<&'n str>,
    required: bool,
    depth: usize,
}

impl Place<'_> {
    fn child<'n>(&self, name: Option<&'n str>, required: bool) -> Place<'n> {
        Place {
            name,
            required,
            depth: self.depth + 1,
        }
    }
}

struct Walk<'c, 'a> {
    cx: &'c Cx<'a>,
    /// The schemas being drawn, outermost first: a schema met again is a loop.
    stack: Vec<*const Node>,
}

impl Walk<'_, '_> {
    /// One schema as a list item; a component ref is a link, other refs are followed.
    fn item(&mut self, doc: DocId, node: &Node, at: &Place, out: &mut String) {
        let Some(value) = node.get("$ref").and_then(Node::as_str) else {
            return self.body(doc, node, at, "", out);
        };
        let label = match (
            component_name(doc, value),
            self.cx.refs.resolve(doc, node, value),
        ) {
            (Some(c), Target::Found(..)) => component_link(&c),
            (None, Target::Found(d, target)) => return self.follow(node, d, target, at, out),
            (_, Target::Remote(url)) => format!(
                "<a class=\"type\" href=\"{}\" rel=\"noopener\">{}</a> ",
                escape(url),
                escape(url)
            ),
            (_, Target::Missing) => format!(
                "<code>{}</code> <span class=\"apiref-facts\">(unresolved)</span> ",
                escape(value)
            ),
        };
        let head = head(at, &label, "", &[]);
        let desc = self.description(doc, node);
        let _ = write!(out, "<li>{head}{desc}</li>");
    }

    /// A ref that is not a component's, drawn in place; a ref met again (a pointer into
    /// itself) ends the branch.
    fn follow(&mut self, node: &Node, doc: DocId, target: &Node, at: &Place, out: &mut String) {
        let ptr = node as *const Node;
        // A long chain of distinct refs (`#/x/0` → `#/x/1` → …) is cut like a loop: each
        // link is a frame of this recursion.
        if self.stack.contains(&ptr) || self.stack.len() > MAX_STACK {
            let head = head(at, "", "", &[]);
            let _ = write!(
                out,
                "<li>{head}<span class=\"apiref-facts\">(recursive)</span></li>"
            );
            return;
        }
        self.stack.push(ptr);
        self.item(doc, target, at, out);
        self.stack.pop();
    }

    /// A schema without `$ref`, its children below it when it has any.
    fn body(&mut self, doc: DocId, node: &Node, at: &Place, link: &str, out: &mut String) {
        let head = head(at, link, &type_label(node), &facts(node));
        let desc = self.description(doc, node);
        let ptr = node as *const Node;
        if self.stack.contains(&ptr) {
            let _ = write!(
                out,
                "<li>{head}<span class=\"apiref-facts\">(recursive)</span></li>"
            );
            return;
        }
        self.stack.push(ptr);
        let mut children = String::new();
        if at.depth < MAX_DEPTH {
            self.children(doc, node, at, &mut children);
        } else if has_children(node) {
            children.push_str("<li>…</li>");
        }
        self.stack.pop();
        if children.is_empty() {
            let _ = write!(out, "<li>{head}{desc}</li>");
        } else {
            let open = if at.depth == 0 { " open" } else { "" };
            let _ = write!(
                out,
                "<li><details{open}><summary>{head}</summary>{desc}<ul>{children}</ul></details></li>"
            );
        }
    }

    fn description(&self, doc: DocId, node: &Node) -> String {
        let text = node.get("description").and_then(Node::as_str);
        text.map(|d| self.cx.md(doc, d)).unwrap_or_default()
    }

    fn children(&mut self, doc: DocId, node: &Node, at: &Place, out: &mut String) {
        let required: Vec<String> = node
            .get("required")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        let props = node
            .get("properties")
            .and_then(Node::as_map)
            .unwrap_or_default();
        for (k, v) in props.iter().take(MAX_CHILDREN) {
            let key = k.scalar_text().unwrap_or_default();
            let place = at.child(Some(&key), required.contains(&key));
            self.item(doc, v, &place, out);
        }
        if props.len() > MAX_CHILDREN {
            let _ = write!(
                out,
                "<li>… {} more properties</li>",
                props.len() - MAX_CHILDREN
            );
        }
        match node.get("additionalProperties") {
            Some(extra) if extra.as_map().is_some() => {
                self.item(doc, extra, &at.child(Some("[any key]"), false), out)
            }
            Some(extra) if extra.scalar_text().as_deref() == Some("true") => {
                out.push_str("<li><code>[any key]</code> <span class=\"type\">any</span></li>")
            }
            _ => {}
        }
        if let Some(items) = node.get("items").filter(|i| i.as_map().is_some()) {
            self.item(doc, items, &at.child(Some("[items]"), false), out);
        }
        for (key, label) in VARIANTS {
            let Some(variants) = node.get(key).and_then(Node::as_seq) else {
                continue;
            };
            let _ = write!(
                out,
                "<li><span class=\"type\">{label}</span>{}<ul>",
                discriminator(node)
            );
            for v in variants.iter().take(MAX_CHILDREN) {
                self.item(doc, v, &at.child(None, false), out);
            }
            out.push_str("</ul></li>");
        }
    }
}

fn has_children(node: &Node) -> bool {
    [
        "properties",
        "items",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
    ]
    .iter()
    .any(|k| node.get(k).is_some())
}

fn head(at: &Place, link: &str, type_label: &str, facts: &[String]) -> String {
    let mut out = String::new();
    if let Some(name) = at.name {
        let _ = write!(out, "<code>{}</code> ", escape(name));
    }
    out.push_str(link);
    if !type_label.is_empty() {
        let _ = write!(out, "<span class=\"type\">{}</span> ", escape(type_label));
    }
    if at.required {
        out.push_str("<span class=\"req\">required</span> ");
    }
    if !facts.is_empty() {
        let _ = write!(
            out,
            "<span class=\"apiref-facts\">{}</span> ",
            escape(&facts.join(" · "))
        );
    }
    out
}

/// `string`, `integer | null` (3.1 type lists), else what the keywords imply.
pub fn type_label(node: &Node) -> String {
    match node.get("type") {
        Some(t) if t.as_seq().is_some() => t
            .as_seq()
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect::<Vec<_>>()
            .join(" | "),
        Some(t) => t.scalar_text().unwrap_or_default(),
        None if node.get("properties").is_some() => "object".into(),
        None if node.get("items").is_some() => "array".into(),
        None => String::new(),
    }
}

pub fn facts(node: &Node) -> Vec<String> {
    let mut out: Vec<String> = FACTS
        .iter()
        .filter_map(|k| Some(format!("{k}: {}", fact_value(k, node.get(k)?))))
        .collect();
    if let Some(values) = node.get("enum").and_then(Node::as_seq) {
        let mut shown: Vec<String> = values.iter().take(MAX_ENUM).map(compact).collect();
        if values.len() > MAX_ENUM {
            shown.push(format!("… {} more", values.len() - MAX_ENUM));
        }
        out.push(format!("one of: {}", shown.join(", ")));
    }
    out.extend(
        FLAGS
            .iter()
            .filter(|k| node.get(k).and_then(|v| v.scalar_text()).as_deref() == Some("true"))
            .map(|k| k.to_string()),
    );
    out
}

fn discriminator(node: &Node) -> String {
    let Some(d) = node.get("discriminator") else {
        return String::new();
    };
    let name = d
        .as_str()
        .or_else(|| d.get("propertyName").and_then(Node::as_str))
        .unwrap_or_default();
    let mapping: Vec<String> = d
        .get("mapping")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| {
            let target = v.as_str().unwrap_or_default();
            let label = escape(&k.scalar_text().unwrap_or_default());
            match component_name(0, target) {
                Some(c) => format!("<a href=\"#{}\">{label}</a>", escape(&schema_anchor(&c))),
                None => label,
            }
        })
        .collect();
    let mapping = if mapping.is_empty() {
        String::new()
    } else {
        format!(": {}", mapping.join(", "))
    };
    format!(
        " <span class=\"apiref-facts\">by <code>{}</code>{mapping}</span>",
        escape(name)
    )
}

/// A format is a word (`int64`); other values keep their JSON form, so `"1"` and `1` differ.
fn fact_value(key: &str, value: &Node) -> String {
    match (key, value.as_str()) {
        ("format", Some(word)) => super::text::plain(word, 40),
        _ => compact(value),
    }
}

/// A value on one line, cut when long.
pub fn compact(node: &Node) -> String {
    let text = match node.as_str() {
        Some(s) => serde_json::to_string(s).unwrap_or_default(),
        None => serde_json::to_string(&node.to_json()).unwrap_or_default(),
    };
    super::text::plain(&text, 80)
}

/// A small example made from the schema: its own `example`, `default` or first enum value
/// where given, else a value of its type.
pub fn sample(cx: &Cx, doc: DocId, node: &Node) -> Json {
    sample_at(cx, doc, node, 0, &mut Vec::new())
}

fn sample_at(cx: &Cx, doc: DocId, node: &Node, depth: usize, stack: &mut Vec<*const Node>) -> Json {
    let Some((doc, node)) = cx.refs.deref(doc, node) else {
        return Json::Null;
    };
    let ptr = node as *const Node;
    if depth > MAX_SAMPLE_DEPTH || stack.contains(&ptr) || stack.len() > MAX_STACK {
        return Json::Null;
    }
    if let Some(given) = given_value(node) {
        return given;
    }
    stack.push(ptr);
    let out = sample_of_type(cx, doc, node, depth, stack);
    stack.pop();
    out
}

fn given_value(node: &Node) -> Option<Json> {
    let first = |k: &str| {
        node.get(k)
            .and_then(|e| e.as_seq()?.first())
            .map(Node::to_json)
    };
    node.get("example")
        .map(Node::to_json)
        .or_else(|| first("examples"))
        .or_else(|| node.get("default").map(Node::to_json))
        .or_else(|| node.get("const").map(Node::to_json))
        .or_else(|| first("enum"))
}

fn sample_of_type(
    cx: &Cx,
    doc: DocId,
    node: &Node,
    depth: usize,
    stack: &mut Vec<*const Node>,
) -> Json {
    if let Some(object) = object_sample(cx, doc, node, depth, stack) {
        return object;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = node.get(key).and_then(Node::as_seq).and_then(|v| v.first()) {
            return sample_at(cx, doc, first, depth, stack);
        }
    }
    let label = type_label(node);
    match label.split(" | ").next().unwrap_or_default() {
        "object" => Json::Object(Map::new()),
        "array" => node.get("items").map_or(Json::Array(Vec::new()), |i| {
            Json::Array(vec![sample_at(cx, doc, i, depth + 1, stack)])
        }),
        "string" => Json::String(
            string_sample(
                node.get("format")
                    .and_then(Node::as_str)
                    .unwrap_or_default(),
            )
            .into(),
        ),
        "integer" => Json::from(0),
        "number" => Json::from(0.5),
        "boolean" => Json::Bool(true),
        _ => Json::Null,
    }
}

/// An object from the schema's properties, `allOf` parts and first `oneOf`/`anyOf` variant
/// merged; None when the schema has no properties or parts to make one of.
fn object_sample(
    cx: &Cx,
    doc: DocId,
    node: &Node,
    depth: usize,
    stack: &mut Vec<*const Node>,
) -> Option<Json> {
    let props = node.get("properties").and_then(Node::as_map);
    let all = node.get("allOf").and_then(Node::as_seq);
    if props.is_none() && all.is_none() {
        return None;
    }
    let mut map = Map::new();
    for (k, v) in props.unwrap_or_default().iter().take(MAX_CHILDREN) {
        let value = sample_at(cx, doc, v, depth + 1, stack);
        map.insert(k.scalar_text().unwrap_or_default(), value);
    }
    let first = |k: &str| node.get(k).and_then(Node::as_seq).and_then(|v| v.first());
    let parts = all
        .unwrap_or_default()
        .iter()
        .chain(first("oneOf"))
        .chain(first("anyOf"));
    for part in parts {
        if let Json::Object(m) = sample_at(cx, doc, part, depth, stack) {
            map.extend(m);
        }
    }
    Some(Json::Object(map))
}

fn string_sample(format: &str) -> &'static str {
    match format {
        "date-time" => "2024-01-31T12:00:00Z",
        "date" => "2024-01-31",
        "time" => "12:00:00",
        "email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" => "https://example.com",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "U3dhZ2dlcg==",
        "binary" => "<binary>",
        "password" => "********",
        _ => "string",
    }
}
