//! Operations: every method of every path, with its parameters (the path's merged in),
//! request body, responses and examples, as one `<article>` each.

use std::fmt::Write as _;

use super::callbacks;
use super::refs::DocId;
use super::schema::{compact, facts, sample, schema_tree, type_label};
use super::text::{self, plain, slug};
use super::{Anchors, Cx};
use crate::apiref::{OutlineEntry, SearchEntry, identifier_words, search_names};
use crate::html::escape;
use crate::yaml::Node;

/// The HTTP methods a path item may hold, as OpenAPI spells them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// A shown example is cut after this many bytes.
const MAX_EXAMPLE_BYTES: usize = 8 * 1024;

pub struct Operation<'a> {
    pub method: &'a str,
    pub path: String,
    pub node: &'a Node,
    /// The path item: its parameters apply to every operation under it.
    pub item: &'a Node,
    pub doc: DocId,
    pub anchor: String,
    /// Drawn inside another operation's callbacks: its own callbacks are not drawn, as a
    /// `$ref` may lead back to where it started.
    pub nested: bool,
}

/// The operations of one path item: (method, operation) in the item's order.
pub fn methods(item: &Node) -> impl Iterator<Item = (&'static str, &Node)> {
    item.as_map()
        .unwrap_or_default()
        .iter()
        .filter_map(|(key, node)| {
            let method = key
                .as_str()
                .and_then(|k| METHODS.iter().find(|m| **m == k))?;
            Some((*method, node))
        })
}

/// Every operation of `paths` (or, in 3.1, `webhooks`), in the definition's order.
pub fn collect<'a>(cx: &Cx<'a>, anchors: &mut Anchors, key: &str) -> Vec<Operation<'a>> {
    let root = &cx.refs.docs[0].node;
    let paths = root.get(key).and_then(Node::as_map).unwrap_or_default();
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some((doc, item)) = cx.refs.deref(0, item) else {
            continue;
        };
        let path = path.scalar_text().unwrap_or_default();
        for (method, node) in methods(item) {
            let wanted = match node.get("operationId").and_then(Node::scalar_text) {
                Some(id) if !slug(&id).is_empty() => format!("operation/{}", slug(&id)),
                _ => format!("operation/{method}-{}", slug(&path)),
            };
            out.push(Operation {
                method,
                path: path.clone(),
                node,
                item,
                doc,
                anchor: anchors.take(wanted),
                nested: false,
            });
        }
    }
    out
}

impl Operation<'_> {
    /// The operation's tags, in its order: it is drawn under the first, linked from the others.
    pub fn tags(&self) -> Vec<String> {
        let tags = self.node.get("tags").and_then(Node::as_seq);
        tags.unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect()
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.node.get(key).and_then(Node::as_str)
    }

    fn deprecated(&self) -> bool {
        is_true(self.node.get("deprecated"))
    }

    pub fn outline_entry(&self) -> OutlineEntry {
        OutlineEntry {
            anchor: self.anchor.clone(),
            title: self
                .str("summary")
                .map_or_else(|| self.path.clone(), |s| plain(s, 80)),
            depth: 1,
            badge: Some(self.method.to_uppercase()),
            deprecated: self.deprecated(),
        }
    }

    pub fn search_entry(&self, cx: &Cx) -> SearchEntry {
        let params: Vec<String> = parameters(cx, self)
            .iter()
            .filter_map(|(_, p)| p.get("name").and_then(Node::scalar_text))
            .collect();
        let operation_id = self.str("operationId").unwrap_or_default();
        let words = [
            self.str("summary").unwrap_or_default(),
            &plain(self.str("description").unwrap_or_default(), 300),
            operation_id,
            // `createRefund` is searched for as "create refund".
            &identifier_words(operation_id),
            &params.join(" "),
        ];
        let endpoint = format!("{} {}", self.method.to_uppercase(), self.path);
        // Readers search for what an operation does (its summary) more than for its path.
        let title = match self.str("summary").map(str::trim) {
            Some(summary) if !summary.is_empty() => format!("{endpoint} · {summary}"),
            _ => endpoint,
        };
        SearchEntry {
            anchor: self.anchor.clone(),
            title,
            text: words.join(" ").trim().to_string(),
            names: search_names([self.str("summary").unwrap_or_default(), operation_id]),
        }
    }
}

pub fn render(cx: &Cx, op: &Operation) -> String {
    let mut out = String::new();
    let method = op.method.to_uppercase();
    let _ = write!(
        out,
        "<article class=\"apiref-op\" id=\"{}\"><h4><span class=\"method method--{}\">{method}</span> <code{}>{}</code>{}</h4>",
        escape(&op.anchor),
        op.method,
        if op.deprecated() {
            " class=\"deprecated\""
        } else {
            ""
        },
        escape(&op.path),
        if op.deprecated() {
            " <span class=\"chip\">deprecated</span>"
        } else {
            ""
        },
    );
    if let Some(summary) = op.str("summary") {
        let _ = write!(
            out,
            "<p class=\"apiref-op__summary\"><strong>{}</strong></p>",
            escape(summary)
        );
    }
    out.push_str(&cx.md(op.doc, op.str("description").unwrap_or_default()));
    out.push_str(&text::external_docs(op.node.get("externalDocs")));
    out.push_str(&facts_line(cx, op));
    out.push_str(&parameters_html(cx, op));
    out.push_str(&request_body_html(cx, op));
    out.push_str(&responses_html(cx, op));
    if !op.nested {
        out.push_str(&callbacks::callbacks_html(cx, op));
    }
    out.push_str("</article>");
    out
}

fn is_true(node: Option<&Node>) -> bool {
    node.and_then(Node::scalar_text).as_deref() == Some("true")
}

/// operationId and the security the operation needs.
fn facts_line(cx: &Cx, op: &Operation) -> String {
    let mut facts = Vec::new();
    if let Some(id) = op.node.get("operationId").and_then(Node::scalar_text) {
        facts.push(format!("operationId <code>{}</code>", escape(&id)));
    }
    let root = &cx.refs.docs[0].node;
    if let Some(security) = op
        .node
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Node::as_seq)
    {
        let alternatives: Vec<String> = security
            .iter()
            .map(|req| {
                let names: Vec<String> = req
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(k, _)| k.scalar_text())
                    .collect();
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(" + ")
                }
            })
            .collect();
        if !alternatives.is_empty() {
            facts.push(format!("security: {}", escape(&alternatives.join(" or "))));
        }
    }
    if facts.is_empty() {
        return String::new();
    }
    format!("<p class=\"apiref-facts\">{}</p>", facts.join(" · "))
}

/// The path item's parameters with the operation's own, which replace those of the same
/// name and place.
fn parameters<'a>(cx: &Cx<'a>, op: &Operation<'a>) -> Vec<(DocId, &'a Node)> {
    let read = |holder: &'a Node| -> Vec<(DocId, &'a Node)> {
        let list = holder
            .get("parameters")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        list.iter()
            .filter_map(|p| cx.refs.deref(op.doc, p))
            .collect()
    };
    let key = |p: &Node| {
        (
            p.get("in").and_then(Node::scalar_text),
            p.get("name").and_then(Node::scalar_text),
        )
    };
    let own = read(op.node);
    let mut all: Vec<(DocId, &Node)> = read(op.item)
        .into_iter()
        .filter(|(_, p)| !own.iter().any(|(_, o)| key(o) == key(p)))
        .collect();
    all.extend(own);
    all
}

fn parameters_html(cx: &Cx, op: &Operation) -> String {
    let params: Vec<(DocId, &Node)> = parameters(cx, op)
        .into_iter()
        .filter(|(_, p)| p.get("in").and_then(Node::as_str) != Some("body"))
        .collect();
    if params.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h5>Parameters</h5><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>",
    );
    for (doc, p) in params {
        let name = p
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let place = p.get("in").and_then(Node::scalar_text).unwrap_or_default();
        let schema = param_schema(cx, doc, p);
        let mut notes: Vec<String> = facts(schema);
        notes.extend(parameter_examples(cx, doc, p, schema));
        let _ = write!(
            out,
            "<tr><td><code>{}</code>{}{}</td><td>{}</td><td><span class=\"type\">{}</span></td><td>{}{}</td></tr>",
            escape(&name),
            if is_true(p.get("required")) {
                " <span class=\"req\">required</span>"
            } else {
                ""
            },
            if is_true(p.get("deprecated")) {
                " <span class=\"chip\">deprecated</span>"
            } else {
                ""
            },
            escape(&place),
            escape(&param_type(schema)),
            cx.md(
                doc,
                p.get("description")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
            ),
            if notes.is_empty() {
                String::new()
            } else {
                format!(
                    "<p class=\"apiref-facts\">{}</p>",
                    escape(&notes.join(" · "))
                )
            },
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// At most this many of a parameter's `examples` are listed.
const MAX_PARAMETER_EXAMPLES: usize = 3;

/// A parameter's examples: its `example` (2.0 tools write `x-example`), else those of its
/// `examples` map, else its schema's `example`.
fn parameter_examples(cx: &Cx, doc: DocId, p: &Node, schema: &Node) -> Vec<String> {
    if let Some(example) = p.get("example").or_else(|| p.get("x-example")) {
        return vec![format!("example: {}", compact(example))];
    }
    let named: Vec<String> = p
        .get("examples")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|(name, e)| {
            let (_, e) = cx.refs.deref(doc, e)?;
            let value = e.get("value").or_else(|| e.get("externalValue"))?;
            let name = name.scalar_text().unwrap_or_default();
            Some(format!("example {name}: {}", compact(value)))
        })
        .take(MAX_PARAMETER_EXAMPLES)
        .collect();
    if !named.is_empty() {
        return named;
    }
    schema
        .get("example")
        .map(|e| vec![format!("example: {}", compact(e))])
        .unwrap_or_default()
}

/// A parameter's schema: 3.x `schema`, or the first media type's under `content`; a 2.0
/// parameter is its own schema.
fn param_schema<'a>(cx: &Cx<'a>, doc: DocId, p: &'a Node) -> &'a Node {
    let in_content = || p.get("content")?.as_map()?.first()?.1.get("schema");
    let schema = p.get("schema").or_else(in_content);
    schema
        .and_then(|s| cx.refs.deref(doc, s))
        .map_or(p, |(_, s)| s)
}

/// `array of string`, `integer`…: 2.0 parameters carry the type themselves, 3.x in a schema.
fn param_type(schema: &Node) -> String {
    let label = type_label(schema);
    match schema.get("items") {
        Some(items) if label == "array" => format!("array of {}", type_label(items)),
        _ => label,
    }
}

/// Media types of a 2.0 operation: its own `consumes`/`produces`, else the definition's.
fn media_types_v2(cx: &Cx, op: &Operation, key: &str) -> Vec<String> {
    let root = &cx.refs.docs[0].node;
    let listed = op
        .node
        .get(key)
        .or_else(|| root.get(key))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let types: Vec<String> = listed.iter().filter_map(Node::scalar_text).collect();
    if types.is_empty() {
        vec!["application/json".into()]
    } else {
        types
    }
}

fn request_body_html(cx: &Cx, op: &Operation) -> String {
    if let Some((doc, body)) = op
        .node
        .get("requestBody")
        .and_then(|b| cx.refs.deref(op.doc, b))
    {
        let mut out = String::from("<h5>Request body</h5>");
        if is_true(body.get("required")) {
            out.push_str("<p><span class=\"req\">required</span></p>");
        }
        out.push_str(
            &cx.md(
                doc,
                body.get("description")
                    .and_then(Node::as_str)
                    .unwrap_or_default(),
            ),
        );
        out.push_str(&content_html(cx, doc, body.get("content")));
        return out;
    }
    let body = parameters(cx, op)
        .into_iter()
        .find(|(_, p)| p.get("in").and_then(Node::as_str) == Some("body"));
    let Some((doc, param)) = body else {
        return String::new();
    };
    let mut out = String::from("<h5>Request body</h5>");
    out.push_str(
        &cx.md(
            doc,
            param
                .get("description")
                .and_then(Node::as_str)
                .unwrap_or_default(),
        ),
    );
    let media = media_types_v2(cx, op, "consumes").join(", ");
    let _ = write!(out, "<p><code>{}</code></p>", escape(&media));
    if let Some(schema) = param.get("schema") {
        out.push_str(&schema_tree(cx, doc, schema));
        out.push_str(&example_block(
            "Example (generated)",
            &sample(cx, doc, schema),
        ));
    }
    out
}

/// A 3.x `content` map: each media type's schema and examples.
fn content_html(cx: &Cx, doc: DocId, content: Option<&Node>) -> String {
    let mut out = String::new();
    for (media, m) in content.and_then(Node::as_map).unwrap_or_default() {
        let _ = write!(
            out,
            "<p><code>{}</code></p>",
            escape(&media.scalar_text().unwrap_or_default())
        );
        if let Some(schema) = m.get("schema") {
            out.push_str(&schema_tree(cx, doc, schema));
        }
        out.push_str(&examples_html(cx, doc, m, m.get("schema")));
    }
    out
}

/// The examples a media type gives (`example`, `examples`), else one made from its schema.
fn examples_html(cx: &Cx, doc: DocId, media: &Node, schema: Option<&Node>) -> String {
    if let Some(example) = media.get("example") {
        return example_block("Example", &example.to_json());
    }
    let mut out = String::new();
    for (name, e) in media
        .get("examples")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let Some((_, e)) = cx.refs.deref(doc, e) else {
            continue;
        };
        let title = e
            .get("summary")
            .and_then(Node::as_str)
            .map_or_else(|| name.scalar_text().unwrap_or_default(), str::to_string);
        match e.get("value") {
            Some(v) => out.push_str(&example_block(&format!("Example: {title}"), &v.to_json())),
            None => {
                let external = e
                    .get("externalValue")
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                out.push_str(&example_block(
                    &format!("Example: {title}"),
                    &serde_json::Value::String(external.to_string()),
                ));
            }
        }
    }
    if let (true, Some(schema)) = (out.is_empty(), schema) {
        out = example_block("Example (generated)", &sample(cx, doc, schema));
    }
    out
}

fn example_block(title: &str, value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        v => serde_json::to_string_pretty(v).unwrap_or_default(),
    };
    let mut shown = text.as_str();
    if shown.len() > MAX_EXAMPLE_BYTES {
        let mut end = MAX_EXAMPLE_BYTES;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        shown = &shown[..end];
    }
    let cut = if shown.len() < text.len() {
        "\n…"
    } else {
        ""
    };
    format!(
        "<p class=\"apiref-facts\">{}</p><pre><code>{}{cut}</code></pre>",
        escape(title),
        escape(shown)
    )
}

fn responses_html(cx: &Cx, op: &Operation) -> String {
    let responses = op
        .node
        .get("responses")
        .and_then(Node::as_map)
        .unwrap_or_default();
    if responses.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h5>Responses</h5>");
    for (status, resp) in responses {
        let status = status.scalar_text().unwrap_or_default();
        let Some((doc, resp)) = cx.refs.deref(op.doc, resp) else {
            let _ = write!(out, "<p><code>{}</code> (unresolved)</p>", escape(&status));
            continue;
        };
        let description = resp
            .get("description")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let short = plain(description, 120);
        // The summary line holds a short description whole; a longer one is shown below it.
        let long = if short == description.trim() {
            String::new()
        } else {
            cx.md(doc, description)
        };
        let open = if status.starts_with('2') { " open" } else { "" };
        let _ = write!(
            out,
            "<details class=\"apiref-resp\"{open}><summary><code>{}</code> {}</summary>{}{}",
            escape(&status),
            escape(&short),
            long,
            headers_html(cx, doc, resp),
        );
        if resp.get("content").is_some() {
            out.push_str(&content_html(cx, doc, resp.get("content")));
        } else {
            out.push_str(&response_v2(cx, op, doc, resp));
        }
        out.push_str(&callbacks::links_html(cx, doc, resp));
        out.push_str("</details>");
    }
    out
}

/// A 2.0 response: one schema for the operation's `produces`, examples by media type.
fn response_v2(cx: &Cx, op: &Operation, doc: DocId, resp: &Node) -> String {
    let Some(schema) = resp.get("schema") else {
        return String::new();
    };
    let mut out = format!(
        "<p><code>{}</code></p>",
        escape(&media_types_v2(cx, op, "produces").join(", "))
    );
    out.push_str(&schema_tree(cx, doc, schema));
    let given = resp
        .get("examples")
        .and_then(Node::as_map)
        .unwrap_or_default();
    for (media, value) in given {
        out.push_str(&example_block(
            &format!("Example: {}", media.scalar_text().unwrap_or_default()),
            &value.to_json(),
        ));
    }
    if given.is_empty() {
        out.push_str(&example_block(
            "Example (generated)",
            &sample(cx, doc, schema),
        ));
    }
    out
}

fn headers_html(cx: &Cx, doc: DocId, resp: &Node) -> String {
    let headers = resp
        .get("headers")
        .and_then(Node::as_map)
        .unwrap_or_default();
    if headers.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<table><thead><tr><th>Header</th><th>Type</th><th>Description</th></tr></thead><tbody>",
    );
    for (name, h) in headers {
        let Some((hdoc, h)) = cx.refs.deref(doc, h) else {
            continue;
        };
        let schema = h
            .get("schema")
            .and_then(|s| cx.refs.deref(hdoc, s))
            .map_or(h, |(_, s)| s);
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><span class=\"type\">{}</span></td><td>{}</td></tr>",
            escape(&name.scalar_text().unwrap_or_default()),
            escape(&param_type(schema)),
            cx.md(
                hdoc,
                h.get("description")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
            ),
        );
    }
    out.push_str("</tbody></table>");
    out
}
