//! The introduction: title, version, description, servers and security schemes.

use std::fmt::Write as _;

use super::refs::DocId;
use super::{Cx, text};
use crate::html::escape;
use crate::yaml::Node;

pub fn intro_html(cx: &Cx) -> String {
    let root = &cx.refs.docs[0].node;
    let info = root.get("info");
    let field = |k: &str| info.and_then(|i| i.get(k)).and_then(Node::scalar_text);
    let mut out = String::new();
    let version = root
        .get("openapi")
        .or_else(|| root.get("swagger"))
        .and_then(Node::scalar_text);
    if let Some(title) = field("title") {
        let _ = write!(
            out,
            "<p class=\"apiref__title\"><strong>{}</strong>",
            escape(&title)
        );
        if let Some(v) = field("version") {
            let _ = write!(out, " <span class=\"chip\">{}</span>", escape(&v));
        }
        if let Some(v) = version {
            let name = if root.get("swagger").is_some() {
                "Swagger"
            } else {
                "OpenAPI"
            };
            let _ = write!(out, " <span class=\"chip\">{name} {}</span>", escape(&v));
        }
        out.push_str("</p>");
    }
    out.push_str(&cx.md(0, &field("description").unwrap_or_default()));
    out.push_str(&about_html(info));
    out.push_str(&text::external_docs(root.get("externalDocs")));
    out.push_str(&servers_html(cx, root));
    out.push_str(&security_html(cx, root));
    out
}

/// Contact, licence and terms of service, on one line.
fn about_html(info: Option<&Node>) -> String {
    let get = |path: &[&str]| {
        let node = path.iter().try_fold(info?, |n, k| n.get(k))?;
        node.scalar_text().filter(|t| !t.is_empty())
    };
    let mut parts = Vec::new();
    if let Some(name) = get(&["contact", "name"]).or_else(|| get(&["contact", "email"])) {
        let url = get(&["contact", "url"])
            .or_else(|| get(&["contact", "email"]).map(|e| format!("mailto:{e}")));
        parts.push(format!(
            "Contact: {}",
            text::link(&url.unwrap_or_default(), &name)
        ));
    }
    if let Some(name) = get(&["license", "name"]) {
        parts.push(format!(
            "Licence: {}",
            text::link(&get(&["license", "url"]).unwrap_or_default(), &name)
        ));
    }
    if let Some(url) = get(&["termsOfService"]) {
        parts.push(text::link(&url, "Terms of service"));
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!("<p class=\"apiref-facts\">{}</p>", parts.join(" · ")),
    }
}

/// 3.x `servers`, or the 2.0 `schemes`, `host` and `basePath` they replace.
fn servers_html(cx: &Cx, root: &Node) -> String {
    let mut rows: Vec<(String, String, String)> = root
        .get("servers")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            let url = s.get("url")?.scalar_text()?;
            let description = s
                .get("description")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            Some((url, description, server_variables(cx, 0, s)))
        })
        .collect();
    if let Some(host) = root.get("host").and_then(Node::scalar_text) {
        let base = root
            .get("basePath")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let schemes: Vec<String> = root
            .get("schemes")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        let schemes = if schemes.is_empty() {
            vec!["https".to_string()]
        } else {
            schemes
        };
        rows.extend(
            schemes
                .iter()
                .map(|s| (format!("{s}://{host}{base}"), String::new(), String::new())),
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h4>Servers</h4><ul class=\"plain-list\">");
    for (url, description, variables) in rows {
        let _ = write!(
            out,
            "<li><code>{}</code> {}{variables}</li>",
            escape(&url),
            escape(&description)
        );
    }
    out.push_str("</ul>");
    out
}

/// A server's `variables` (the `{port}` in its URL): default, allowed values, description.
/// Shared with AsyncAPI, whose variables may also be `$ref`s.
pub(crate) fn server_variables(cx: &Cx, doc: DocId, server: &Node) -> String {
    let variables = server.get("variables").and_then(Node::as_map);
    let mut out = String::new();
    for (name, v) in variables.unwrap_or_default() {
        let Some((_, v)) = cx.refs.deref(doc, v) else {
            continue;
        };
        let mut facts = Vec::new();
        if let Some(default) = v.get("default").and_then(Node::scalar_text) {
            facts.push(format!("default <code>{}</code>", escape(&default)));
        }
        let allowed: Vec<String> = v
            .get("enum")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .map(|e| format!("<code>{}</code>", escape(&e)))
            .collect();
        if !allowed.is_empty() {
            facts.push(format!("one of {}", allowed.join(", ")));
        }
        if let Some(d) = v.get("description").and_then(Node::as_str) {
            facts.push(escape(&text::plain(d, 200)));
        }
        let _ = write!(
            out,
            "<li><code>{{{}}}</code> {}</li>",
            escape(&name.scalar_text().unwrap_or_default()),
            facts.join(" · ")
        );
    }
    if out.is_empty() {
        return out;
    }
    format!("<ul class=\"apiref-vars\">{out}</ul>")
}

/// 3.x `components.securitySchemes` or 2.0 `securityDefinitions`.
fn security_html(cx: &Cx, root: &Node) -> String {
    let schemes = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .or_else(|| root.get("securityDefinitions"));
    security_schemes_html(cx, schemes)
}

/// A table of security schemes: name, kind, description and OAuth scopes. Shared with
/// AsyncAPI, whose schemes have the same fields.
pub(crate) fn security_schemes_html(cx: &Cx, schemes: Option<&Node>) -> String {
    let schemes = schemes.and_then(Node::as_map).unwrap_or_default();
    if schemes.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h4>Security schemes</h4><table><thead><tr><th>Name</th><th>Type</th><th>Description</th></tr></thead><tbody>",
    );
    for (name, s) in schemes {
        let Some((doc, s)) = cx.refs.deref(0, s) else {
            continue;
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
            escape(&name.scalar_text().unwrap_or_default()),
            escape(&scheme_kind(s)),
            cx.md(
                doc,
                s.get("description")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
            ),
            scopes_html(s),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// `http bearer (JWT)`, `apiKey in header X-Key`, `oauth2 authorizationCode`…
fn scheme_kind(s: &Node) -> String {
    let text = |k: &str| s.get(k).and_then(Node::scalar_text).unwrap_or_default();
    let mut parts = vec![text("type"), text("scheme")];
    if let Some(format) = s.get("bearerFormat").and_then(Node::scalar_text) {
        parts.push(format!("({format})"));
    }
    if s.get("in").is_some() {
        parts.push(format!("in {}", text("in")));
        parts.push(text("name"));
    }
    parts.push(text("flow"));
    let flows = s.get("flows").and_then(Node::as_map).unwrap_or_default();
    parts.extend(flows.iter().filter_map(|(k, _)| k.scalar_text()));
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// OAuth scopes, from 2.0 `scopes` or every 3.x flow (AsyncAPI 3.0: `availableScopes`).
fn scopes_html(s: &Node) -> String {
    let flows = s.get("flows").and_then(Node::as_map).unwrap_or_default();
    let mut scopes: Vec<&(Node, Node)> = s
        .get("scopes")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .collect();
    for (_, flow) in flows {
        scopes.extend(
            flow.get("scopes")
                .or_else(|| flow.get("availableScopes"))
                .and_then(Node::as_map)
                .unwrap_or_default(),
        );
    }
    if scopes.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"plain-list\">");
    for (k, v) in scopes {
        let _ = write!(
            out,
            "<li><code>{}</code> {}</li>",
            escape(&k.scalar_text().unwrap_or_default()),
            escape(&v.scalar_text().unwrap_or_default())
        );
    }
    out.push_str("</ul>");
    out
}
