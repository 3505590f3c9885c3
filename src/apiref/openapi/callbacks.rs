//! How operations point at each other: an operation's `callbacks` (requests the API makes
//! back to the caller, drawn as operations of their own) and a response's `links` (which
//! operation to call next, with what), linked to that operation's anchor.

use std::fmt::Write as _;

use super::Cx;
use super::operation::{self, Operation};
use super::refs::DocId;
use super::text::slug;
use crate::html::escape;
use crate::yaml::Node;

/// Every callback of `op`: for each name and runtime expression, the operations of its path
/// item, each folded under a summary line and drawn as a full operation.
pub fn callbacks_html(cx: &Cx, op: &Operation) -> String {
    let callbacks = op.node.get("callbacks").and_then(Node::as_map);
    let mut out = String::new();
    for (name, callback) in callbacks.unwrap_or_default() {
        let Some((doc, callback)) = cx.refs.deref(op.doc, callback) else {
            continue;
        };
        let name = name.scalar_text().unwrap_or_default();
        for (expression, item) in callback.as_map().unwrap_or_default() {
            let Some((doc, item)) = cx.refs.deref(doc, item) else {
                continue;
            };
            let expression = expression.scalar_text().unwrap_or_default();
            for (method, node) in operation::methods(item) {
                let nested = Operation {
                    method,
                    path: expression.clone(),
                    node,
                    item,
                    doc,
                    anchor: format!("{}/callback/{}/{method}", op.anchor, slug(&name)),
                    nested: true,
                };
                let _ = write!(
                    out,
                    "<details class=\"apiref-callback\"><summary><code>{}</code> <span class=\"method method--{method}\">{}</span> <code>{}</code></summary>{}</details>",
                    escape(&name),
                    method.to_uppercase(),
                    escape(&expression),
                    operation::render(cx, &nested)
                );
            }
        }
    }
    if out.is_empty() {
        return out;
    }
    format!("<h5>Callbacks</h5>{out}")
}

/// A response's `links`: the operation each names (by operationId, linked to its anchor, or
/// by operationRef, shown as written), the parameters it passes and its description.
pub fn links_html(cx: &Cx, doc: DocId, resp: &Node) -> String {
    let links = resp.get("links").and_then(Node::as_map).unwrap_or_default();
    let mut out = String::new();
    for (name, link) in links {
        let Some((doc, link)) = cx.refs.deref(doc, link) else {
            continue;
        };
        let _ = write!(
            out,
            "<li><code>{}</code> → {}{}{}</li>",
            escape(&name.scalar_text().unwrap_or_default()),
            target(cx, link),
            passed(link),
            cx.md(
                doc,
                link.get("description")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
            ),
        );
    }
    if out.is_empty() {
        return out;
    }
    format!("<h6>Links</h6><ul class=\"apiref-links\">{out}</ul>")
}

fn target(cx: &Cx, link: &Node) -> String {
    if let Some(id) = link.get("operationId").and_then(Node::scalar_text) {
        return match cx.operation_ids.get(&id) {
            Some(anchor) => format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                escape(anchor),
                escape(&id)
            ),
            None => format!("<code>{}</code> (not in this definition)", escape(&id)),
        };
    }
    let reference = link.get("operationRef").and_then(Node::scalar_text);
    format!("<code>{}</code>", escape(&reference.unwrap_or_default()))
}

/// `with id = $response.body#/id, …`: the parameters and request body the link passes.
fn passed(link: &Node) -> String {
    let mut given: Vec<String> = link
        .get("parameters")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| {
            let value = v.scalar_text().unwrap_or_else(|| v.to_json().to_string());
            format!("{} = {value}", k.scalar_text().unwrap_or_default())
        })
        .collect();
    if let Some(body) = link.get("requestBody") {
        let value = body
            .scalar_text()
            .unwrap_or_else(|| body.to_json().to_string());
        given.push(format!("body = {value}"));
    }
    if given.is_empty() {
        return String::new();
    }
    format!(
        " <span class=\"apiref-facts\">with <code>{}</code></span>",
        escape(&given.join(", "))
    )
}
