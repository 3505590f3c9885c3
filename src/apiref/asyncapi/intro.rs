//! The introduction: title, version, description, default content type, servers and
//! security schemes.

use std::fmt::Write as _;

use super::{Cx, map_of, root, str_of};
use crate::apiref::openapi::intro::{security_schemes_html, server_variables};
use crate::apiref::openapi::text;
use crate::html::escape;
use crate::yaml::Node;

pub fn intro_html(cx: &Cx) -> String {
    let root = root(cx);
    let info = root.get("info");
    let field = |k: &str| info.and_then(|i| i.get(k)).and_then(Node::scalar_text);
    let mut out = String::new();
    if let Some(title) = field("title") {
        let _ = write!(
            out,
            "<p class=\"apiref__title\"><strong>{}</strong>",
            escape(&title)
        );
        if let Some(v) = field("version") {
            let _ = write!(out, " <span class=\"chip\">{}</span>", escape(&v));
        }
        if let Some(v) = root.get("asyncapi").and_then(Node::scalar_text) {
            let _ = write!(out, " <span class=\"chip\">AsyncAPI {}</span>", escape(&v));
        }
        out.push_str("</p>");
    }
    out.push_str(&cx.md(0, &field("description").unwrap_or_default()));
    out.push_str(&text::external_docs(
        info.and_then(|i| i.get("externalDocs"))
            .or_else(|| root.get("externalDocs")),
    ));
    if let Some(ct) = str_of(root, "defaultContentType") {
        let _ = write!(
            out,
            "<p class=\"apiref-facts\">default content type <code>{}</code></p>",
            escape(ct)
        );
    }
    out.push_str(&servers_html(cx, root));
    out.push_str(&security_html(cx, root));
    out
}

/// 2.x servers have a `url`; 3.0 ones a `host` and `pathname`.
fn server_url(s: &Node) -> String {
    match str_of(s, "url") {
        Some(url) => url.to_string(),
        None => format!(
            "{}{}",
            str_of(s, "host").unwrap_or_default(),
            str_of(s, "pathname").unwrap_or_default()
        ),
    }
}

fn servers_html(cx: &Cx, root: &Node) -> String {
    let servers = map_of(root.get("servers"));
    if servers.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h4>Servers</h4><table><thead><tr><th>Name</th><th>URL</th><th>Protocol</th><th>Description</th></tr></thead><tbody>",
    );
    for (name, s) in servers {
        let Some((doc, s)) = cx.refs.deref(0, s) else {
            continue;
        };
        let protocol = [
            s.get("protocol").and_then(Node::scalar_text),
            s.get("protocolVersion").and_then(Node::scalar_text),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
            escape(&name.scalar_text().unwrap_or_default()),
            escape(&server_url(s)),
            escape(&protocol),
            cx.md(doc, str_of(s, "description").unwrap_or_default()),
            server_variables(cx, doc, s) + &server_security(s),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The schemes a server asks for.
fn server_security(s: &Node) -> String {
    let names = security_names(s);
    if names.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"apiref-facts\">security: {}</p>",
        escape(&names.join(", "))
    )
}

/// The schemes a server's or operation's `security` names: 2.x as keys, 3.0 as `$ref`s.
pub fn security_names(node: &Node) -> Vec<String> {
    node.get("security")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .flat_map(|req| match str_of(req, "$ref") {
            Some(r) => vec![r.rsplit('/').next().unwrap_or(r).to_string()],
            None => map_of(Some(req))
                .iter()
                .filter_map(|(k, _)| k.scalar_text())
                .collect(),
        })
        .collect()
}

fn security_html(cx: &Cx, root: &Node) -> String {
    let components = root.get("components");
    security_schemes_html(cx, components.and_then(|c| c.get("securitySchemes")))
}
