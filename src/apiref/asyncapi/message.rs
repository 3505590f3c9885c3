//! Messages (name, title, summary, content type, headers and payload as schema trees,
//! examples) and bindings (a table of protocol → keys, not expanded: each protocol has its
//! own vocabulary and a reader mostly needs to know which ones are set).

use std::fmt::Write as _;

use super::{Cx, DocId, Operation, map_of, root, str_of};
use crate::apiref::openapi::refs::{Target, split_ref};
use crate::apiref::openapi::schema::schema_tree;
use crate::apiref::openapi::text::slug;
use crate::html::escape;
use crate::yaml::Node;

/// Example text shown per example at most; a recorded event can be huge.
const MAX_EXAMPLE_BYTES: usize = 8 * 1024;
/// `$ref` hops followed to reach a message (a loop ends here).
const MAX_HOPS: usize = 8;

/// A message reached through its refs, and the component it is when it is one.
struct Message<'a> {
    doc: DocId,
    node: &'a Node,
    component: Option<String>,
}

pub fn message_anchor(name: &str) -> String {
    format!("message/{}", slug(name))
}

/// `#/components/messages/X` in the definition itself → `X`.
fn component_name(doc: DocId, value: &str) -> Option<String> {
    let (file, pointer) = split_ref(value);
    let name = pointer.strip_prefix("/components/messages/")?;
    (doc == 0 && file.is_empty() && !name.contains('/'))
        .then(|| name.replace("~1", "/").replace("~0", "~"))
}

/// Follows `$ref`s to the message, noting the component met on the way (a 3.0 operation
/// names the channel's message, which names the component).
fn follow<'a>(cx: &Cx<'a>, doc: DocId, node: &'a Node) -> Option<Message<'a>> {
    let (mut doc, mut node, mut component) = (doc, node, None);
    for _ in 0..MAX_HOPS {
        let Some(value) = str_of(node, "$ref") else {
            return Some(Message {
                doc,
                node,
                component,
            });
        };
        component = component_name(doc, value).or(component);
        match cx.refs.resolve(doc, node, value) {
            Target::Found(d, n) => (doc, node) = (d, n),
            _ => return None,
        }
    }
    None
}

/// The messages an operation carries: 2.x `message` (each of a `oneOf`), 3.0 `messages`, or
/// when a 3.0 operation lists none, all of its channel's.
fn messages_of<'a>(cx: &Cx<'a>, op: &Operation<'a>) -> Vec<Message<'a>> {
    if let Some(m) = op.node.get("message") {
        let Some(m) = follow(cx, op.doc, m) else {
            return Vec::new();
        };
        return match m.node.get("oneOf").and_then(Node::as_seq) {
            Some(list) => list.iter().filter_map(|x| follow(cx, m.doc, x)).collect(),
            None => vec![m],
        };
    }
    if let Some(list) = op.node.get("messages").and_then(Node::as_seq) {
        return list.iter().filter_map(|x| follow(cx, op.doc, x)).collect();
    }
    match op.channel_node {
        Some((doc, channel)) => channel_messages(cx, doc, channel),
        None => Vec::new(),
    }
}

fn channel_messages<'a>(cx: &Cx<'a>, doc: DocId, channel: &'a Node) -> Vec<Message<'a>> {
    map_of(channel.get("messages"))
        .iter()
        .filter_map(|(_, m)| follow(cx, doc, m))
        .collect()
}

/// The words search matches an operation's messages by.
pub fn names(cx: &Cx, op: &Operation) -> Vec<String> {
    messages_of(cx, op)
        .iter()
        .flat_map(|m| {
            let own = ["name", "title", "summary"]
                .iter()
                .filter_map(|k| str_of(m.node, k).map(str::to_string));
            own.chain(m.component.clone()).collect::<Vec<_>>()
        })
        .collect()
}

pub fn operation_messages_html(cx: &Cx, op: &Operation) -> String {
    let messages = messages_of(cx, op);
    messages_html(cx, &messages)
}

/// A 3.0 operation's `reply`: where the answer goes (a channel, or an address read from the
/// request at run time) and the messages it may be.
pub fn reply_html(cx: &Cx, op: &Operation) -> String {
    let Some((doc, reply)) = op.node.get("reply").and_then(|r| cx.refs.deref(op.doc, r)) else {
        return String::new();
    };
    let mut facts = Vec::new();
    let channel = reply.get("channel");
    if let Some(key) = channel
        .and_then(|c| str_of(c, "$ref"))
        .and_then(super::channel_key)
    {
        facts.push(format!(
            "on channel <a href=\"#channel/{}\"><code>{}</code></a>",
            escape(&slug(&key)),
            escape(&key)
        ));
    }
    let address = reply.get("address").and_then(|a| cx.refs.deref(doc, a));
    if let Some(location) = address.and_then(|(_, a)| str_of(a, "location")) {
        facts.push(format!(
            "to the address in <code>{}</code>",
            escape(location)
        ));
    }
    let reply_op = Operation {
        doc,
        node: reply,
        verb: "reply".into(),
        channel: String::new(),
        anchor: String::new(),
        channel_node: channel.and_then(|c| cx.refs.deref(doc, c)),
    };
    let mut out = String::from("<h5>Reply</h5>");
    if !facts.is_empty() {
        let _ = write!(out, "<p class=\"apiref-facts\">{}</p>", facts.join(" · "));
    }
    if let Some((d, a)) = address {
        out.push_str(&cx.md(d, str_of(a, "description").unwrap_or_default()));
    }
    out.push_str(&operation_messages_html(cx, &reply_op));
    out
}

pub fn channel_messages_html(cx: &Cx, doc: DocId, channel: &Node) -> String {
    messages_html(cx, &channel_messages(cx, doc, channel))
}

fn messages_html(cx: &Cx, messages: &[Message]) -> String {
    let mut out = String::new();
    if messages.len() > 1 {
        out.push_str("<p class=\"apiref-facts\">One of these messages:</p>");
    }
    for m in messages {
        out.push_str(&message_head(m));
        out.push_str(&message_body(cx, m.doc, m.node));
    }
    out
}

/// The message's name, linked to its component entry when it is one.
fn message_head(m: &Message) -> String {
    let name = str_of(m.node, "name")
        .map(str::to_string)
        .or_else(|| m.component.clone())
        .unwrap_or_else(|| "message".to_string());
    let link = match &m.component {
        Some(c) => format!(
            " <a class=\"type\" href=\"#{}\">{}</a>",
            escape(&message_anchor(c)),
            escape(c)
        ),
        None => String::new(),
    };
    format!("<h5>Message <code>{}</code>{link}</h5>", escape(&name))
}

/// A component message's own entry.
pub fn component_html(cx: &Cx, anchor: &str, name: &str, node: &Node) -> String {
    let body = match follow(cx, 0, node) {
        Some(m) => message_body(cx, m.doc, m.node),
        None => String::new(),
    };
    format!(
        "<article class=\"apiref-schema\" id=\"{}\"><h4>{}</h4>{body}</article>",
        escape(anchor),
        escape(name)
    )
}

/// Everything in a message after its name.
fn message_body(cx: &Cx, doc: DocId, m: &Node) -> String {
    let mut out = String::new();
    let mut facts = Vec::new();
    if let Some(name) = str_of(m, "name") {
        facts.push(format!("name <code>{}</code>", escape(name)));
    }
    if let Some(title) = str_of(m, "title") {
        facts.push(format!("title {}", escape(title)));
    }
    let content_type = traited(cx, doc, m, "contentType")
        .and_then(|(_, n)| n.as_str())
        .or_else(|| str_of(root(cx), "defaultContentType"));
    if let Some(ct) = content_type {
        facts.push(format!("content type <code>{}</code>", escape(ct)));
    }
    if !facts.is_empty() {
        let _ = write!(out, "<p class=\"apiref-facts\">{}</p>", facts.join(" · "));
    }
    if let Some(summary) = str_of(m, "summary") {
        let _ = write!(out, "<p><strong>{}</strong></p>", escape(summary));
    }
    out.push_str(&cx.md(doc, str_of(m, "description").unwrap_or_default()));
    if let Some((d, headers)) = traited(cx, doc, m, "headers") {
        out.push_str("<p class=\"apiref-facts\">Headers</p>");
        out.push_str(&schema_tree(cx, d, unwrap_multiformat(headers)));
    }
    if let Some(payload) = m.get("payload") {
        out.push_str("<p class=\"apiref-facts\">Payload</p>");
        out.push_str(&schema_tree(cx, doc, unwrap_multiformat(payload)));
    }
    out.push_str(&examples_html(m));
    out.push_str(&bindings_html(m));
    out
}

/// A message's or operation's own `key`, else the first of its `traits` that sets it: traits
/// are how definitions share headers, content types and bindings, and a message or
/// operation without them would look bare.
pub(super) fn traited<'a>(
    cx: &Cx<'a>,
    doc: DocId,
    m: &'a Node,
    key: &str,
) -> Option<(DocId, &'a Node)> {
    if let Some(own) = m.get(key) {
        return Some((doc, own));
    }
    m.get("traits")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| cx.refs.deref(doc, t))
        .find_map(|(d, t)| Some((d, t.get(key)?)))
}

/// 3.0 lets a payload be `{schemaFormat, schema}`: the schema is what to draw.
fn unwrap_multiformat(node: &Node) -> &Node {
    match (node.get("schemaFormat"), node.get("schema")) {
        (Some(_), Some(schema)) => schema,
        _ => node,
    }
}

/// A message's `examples`: 2.2+ objects with `headers`/`payload`, 2.0 bare values.
fn examples_html(m: &Node) -> String {
    let mut out = String::new();
    for (i, e) in m
        .get("examples")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let title = str_of(e, "summary")
            .or_else(|| str_of(e, "name"))
            .map_or_else(|| format!("Example {}", i + 1), |t| format!("Example: {t}"));
        let value = match (e.get("payload"), e.get("headers")) {
            (None, None) => e.to_json(),
            (payload, headers) => {
                let mut shown = serde_json::Map::new();
                if let Some(h) = headers {
                    shown.insert("headers".into(), h.to_json());
                }
                if let Some(p) = payload {
                    shown.insert("payload".into(), p.to_json());
                }
                serde_json::Value::Object(shown)
            }
        };
        out.push_str(&example_block(&title, &value));
    }
    out
}

fn example_block(title: &str, value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        v => serde_json::to_string_pretty(v).unwrap_or_default(),
    };
    let mut end = text.len().min(MAX_EXAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = if end < text.len() { "\n…" } else { "" };
    format!(
        "<p class=\"apiref-facts\">{}</p><pre><code>{}{cut}</code></pre>",
        escape(title),
        escape(&text[..end])
    )
}

/// `bindings` as protocol → the keys it sets.
pub fn bindings_html(node: &Node) -> String {
    bindings_table(node.get("bindings"))
}

pub fn bindings_table(bindings: Option<&Node>) -> String {
    let bindings = map_of(bindings);
    if bindings.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<table class=\"apiref-bindings\"><thead><tr><th>Binding</th><th>Keys</th></tr></thead><tbody>",
    );
    for (protocol, b) in bindings {
        let keys: Vec<String> = map_of(Some(b))
            .iter()
            .filter_map(|(k, _)| k.scalar_text())
            .map(|k| format!("<code>{}</code>", escape(&k)))
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&protocol.scalar_text().unwrap_or_default()),
            keys.join(" ")
        );
    }
    out.push_str("</tbody></table>");
    out
}
