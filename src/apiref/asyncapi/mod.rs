//! AsyncAPI 2.x (2.0–2.6) and 3.0 definitions, YAML or JSON → `Reference`: the introduction
//! (title, version, description, servers, security schemes), one section per channel in the
//! definition's order with its operations (2.x `publish`/`subscribe`, 3.0 `operations` that
//! name the channel) and their messages, then the component messages and schemas. Like
//! OpenAPI, the definition is walked as a generic tree and never validated, and the OpenAPI
//! module's `$ref` resolution, schema trees and text handling are reused; `message` draws
//! messages and bindings, `intro` the introduction.

mod intro;
mod message;

use std::fmt::Write as _;

use super::openapi::refs::{DocId, split_ref};
use super::openapi::schema::{facts, schema_anchor, schema_tree};
use super::openapi::text::{plain, slug};
use super::openapi::{Anchors, Cx, load_definition};
use super::{OutlineEntry, Reference, SearchEntry, Section, Source, search_names};
use crate::html::escape;
use crate::yaml::Node;

pub fn reference(source: &Source<'_>) -> Option<Reference> {
    let refs = match load_definition(source, "AsyncAPI") {
        Ok(refs) => refs,
        Err(unreadable) => return Some(*unreadable),
    };
    let cx = Cx {
        refs: &refs,
        root: source.root,
        operation_ids: Default::default(),
        markup: source.markup,
    };
    let mut r = Reference {
        intro_html: intro::intro_html(&cx),
        ..Reference::default()
    };
    let mut anchors = Anchors::default();
    add_channels(&cx, &mut anchors, &mut r);
    add_component_messages(&cx, &mut anchors, &mut r);
    add_schemas(&cx, &mut r);
    r.diagnostics = refs.diagnostics.take();
    Some(r)
}

fn root<'a>(cx: &Cx<'a>) -> &'a Node {
    &cx.refs.docs[0].node
}

/// 3.0 moved operations out of channels; 2.x keeps `publish`/`subscribe` inside them.
fn is_v3(cx: &Cx) -> bool {
    root(cx)
        .get("asyncapi")
        .and_then(Node::scalar_text)
        .is_some_and(|v| v.starts_with('3'))
}

fn map_of(node: Option<&Node>) -> &[(Node, Node)] {
    node.and_then(Node::as_map).unwrap_or_default()
}

fn str_of<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// An operation: 2.x `publish`/`subscribe` of a channel, or a 3.0 `operations` entry.
pub struct Operation<'a> {
    doc: DocId,
    node: &'a Node,
    /// `publish`/`subscribe` (2.x, the spec's own words) or `send`/`receive` (3.0).
    verb: String,
    /// The channel's name (2.x) or address (3.0), as the title reads.
    channel: String,
    anchor: String,
    /// 3.0: the channel the operation names, whose messages it sends when it lists none.
    channel_node: Option<(DocId, &'a Node)>,
}

impl Operation<'_> {
    fn title(&self) -> String {
        format!("{} {}", self.verb, self.channel)
    }

    fn outline_entry(&self) -> OutlineEntry {
        OutlineEntry {
            anchor: self.anchor.clone(),
            title: self.channel.clone(),
            depth: 1,
            badge: Some(self.verb.clone()),
            deprecated: false,
        }
    }

    fn search_entry(&self, cx: &Cx) -> SearchEntry {
        let mut words: Vec<String> = ["operationId", "summary", "description"]
            .iter()
            .filter_map(|k| str_of(self.node, k))
            .map(|t| plain(t, 300))
            .collect();
        words.extend(message::names(cx, self));
        SearchEntry {
            anchor: self.anchor.clone(),
            title: self.title(),
            text: words.join(" ").trim().to_string(),
            names: search_names(
                ["summary", "operationId"]
                    .iter()
                    .filter_map(|k| str_of(self.node, k)),
            ),
        }
    }
}

/// One channel: its key, what the title shows, and its node.
struct Channel<'a> {
    key: String,
    title: String,
    doc: DocId,
    node: &'a Node,
    operations: Vec<Operation<'a>>,
}

fn add_channels(cx: &Cx, anchors: &mut Anchors, r: &mut Reference) {
    let v3 = is_v3(cx);
    let mut channels: Vec<Channel> = map_of(root(cx).get("channels"))
        .iter()
        .filter_map(|(k, c)| {
            let key = k.scalar_text()?;
            let (doc, node) = cx.refs.deref(0, c)?;
            let address = str_of(node, "address").filter(|_| v3);
            let title = address.map_or_else(|| key.clone(), str::to_string);
            Some(Channel {
                key,
                title,
                doc,
                node,
                operations: Vec::new(),
            })
        })
        .collect();
    let mut orphans = Vec::new();
    if v3 {
        place_v3_operations(cx, anchors, &mut channels, &mut orphans);
    } else {
        for ch in &mut channels {
            ch.operations = v2_operations(anchors, ch);
        }
    }
    for ch in channels {
        add_channel(cx, anchors, r, ch);
    }
    add_orphans(cx, anchors, r, orphans);
}

/// 2.x: the channel's `publish` then `subscribe`.
fn v2_operations<'a>(anchors: &mut Anchors, ch: &Channel<'a>) -> Vec<Operation<'a>> {
    ["publish", "subscribe"]
        .iter()
        .filter_map(|verb| {
            let node = ch.node.get(verb)?;
            let wanted = match str_of(node, "operationId") {
                Some(id) => format!("operation/{}", slug(id)),
                None => format!("operation/{verb}-{}", slug(&ch.key)),
            };
            Some(Operation {
                doc: ch.doc,
                node,
                verb: verb.to_string(),
                channel: ch.title.clone(),
                anchor: anchors.take(wanted),
                channel_node: None,
            })
        })
        .collect()
}

/// 3.0: each operation goes under the channel its `channel.$ref` names; operations naming no
/// known channel are kept apart.
fn place_v3_operations<'a>(
    cx: &Cx<'a>,
    anchors: &mut Anchors,
    channels: &mut [Channel<'a>],
    orphans: &mut Vec<Operation<'a>>,
) {
    for (k, o) in map_of(root(cx).get("operations")) {
        let Some((doc, node)) = cx.refs.deref(0, o) else {
            continue;
        };
        let id = k.scalar_text().unwrap_or_default();
        let verb = str_of(node, "action").unwrap_or("operation").to_string();
        let named = node
            .get("channel")
            .and_then(|c| str_of(c, "$ref"))
            .and_then(channel_key);
        let at = named.and_then(|key| channels.iter().position(|c| c.key == key));
        let channel_node = node.get("channel").and_then(|c| cx.refs.deref(doc, c));
        let mut op = Operation {
            doc,
            node,
            verb,
            channel: String::new(),
            anchor: anchors.take(format!("operation/{}", slug(&id))),
            channel_node,
        };
        match at {
            Some(i) => {
                op.channel = channels[i].title.clone();
                channels[i].operations.push(op);
            }
            None => {
                op.channel = id;
                orphans.push(op);
            }
        }
    }
}

/// `#/channels/user~1signedup` → `user/signedup`.
fn channel_key(value: &str) -> Option<String> {
    let (file, pointer) = split_ref(value);
    let key = pointer.strip_prefix("/channels/")?;
    (file.is_empty() && !key.contains('/')).then(|| key.replace("~1", "/").replace("~0", "~"))
}

fn add_channel(cx: &Cx, anchors: &mut Anchors, r: &mut Reference, ch: Channel) {
    let anchor = anchors.take(format!("channel/{}", slug(&ch.key)));
    r.outline.push(OutlineEntry {
        anchor: anchor.clone(),
        title: ch.title.clone(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let description = str_of(ch.node, "description").unwrap_or_default();
    r.search.push(SearchEntry {
        anchor: anchor.clone(),
        title: format!("channel {}", ch.title),
        text: plain(description, 300),
        names: search_names([ch.key.as_str()]),
    });
    let mut html = channel_facts(&ch);
    html.push_str(&cx.md(ch.doc, description));
    html.push_str(&parameters_html(cx, ch.doc, ch.node));
    html.push_str(&message::bindings_html(ch.node));
    if ch.operations.is_empty() {
        // A 3.0 channel no operation uses still shows what it carries.
        html.push_str(&message::channel_messages_html(cx, ch.doc, ch.node));
    }
    for op in &ch.operations {
        html.push_str(&render_operation(cx, op));
        r.outline.push(op.outline_entry());
        r.search.push(op.search_entry(cx));
    }
    r.sections.push(Section {
        anchor,
        title: ch.title,
        html,
        page: None,
    });
}

/// The 3.0 channel id when the title shows the address, so both can be found.
fn channel_facts(ch: &Channel) -> String {
    if ch.title == ch.key {
        return String::new();
    }
    format!(
        "<p class=\"apiref-facts\">channel <code>{}</code></p>",
        escape(&ch.key)
    )
}

fn add_orphans(cx: &Cx, anchors: &mut Anchors, r: &mut Reference, orphans: Vec<Operation>) {
    if orphans.is_empty() {
        return;
    }
    let anchor = anchors.take("operations".into());
    r.outline.push(OutlineEntry {
        anchor: anchor.clone(),
        title: "Other operations".into(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let mut html = String::new();
    for op in &orphans {
        html.push_str(&render_operation(cx, op));
        r.outline.push(op.outline_entry());
        r.search.push(op.search_entry(cx));
    }
    r.sections.push(Section {
        anchor,
        title: "Other operations".into(),
        html,
        page: None,
    });
}

/// Channel parameters (`{userId}` in the name or address): name, description, schema.
fn parameters_html(cx: &Cx, doc: DocId, channel: &Node) -> String {
    let params = map_of(channel.get("parameters"));
    if params.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<table><thead><tr><th>Parameter</th><th>Description</th></tr></thead><tbody>",
    );
    for (k, p) in params {
        let Some((d, p)) = cx.refs.deref(doc, p) else {
            continue;
        };
        let name = k.scalar_text().unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}",
            escape(&name),
            cx.md(d, str_of(p, "description").unwrap_or_default())
        );
        // 2.x parameters carry a schema; 3.0 ones list `enum`, `default` and `location`
        // directly, and drawing them as a schema would repeat the description.
        match p.get("schema") {
            Some(schema) => out.push_str(&schema_tree(cx, d, schema)),
            None => out.push_str(&v3_parameter_facts(p)),
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn v3_parameter_facts(p: &Node) -> String {
    let mut facts = facts(p);
    facts.extend(str_of(p, "location").map(|l| format!("location: {l}")));
    if facts.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"apiref-facts\">{}</p>",
        escape(&facts.join(" · "))
    )
}

/// operationId and the security schemes the operation asks for (2.x names them as keys,
/// 3.0 gives `$ref`s).
fn operation_facts(op: &Operation) -> String {
    let mut facts = Vec::new();
    if let Some(id) = str_of(op.node, "operationId") {
        facts.push(format!("operationId <code>{}</code>", escape(id)));
    }
    let schemes = intro::security_names(op.node);
    if !schemes.is_empty() {
        facts.push(format!("security: {}", escape(&schemes.join(", "))));
    }
    if facts.is_empty() {
        return String::new();
    }
    format!("<p class=\"apiref-facts\">{}</p>", facts.join(" · "))
}

fn render_operation(cx: &Cx, op: &Operation) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<article class=\"apiref-op\" id=\"{}\"><h4><span class=\"method method--{}\">{}</span> <code>{}</code></h4>",
        escape(&op.anchor),
        escape(&slug(&op.verb)),
        escape(&op.verb),
        escape(&op.channel),
    );
    let traited = |key| message::traited(cx, op.doc, op.node, key);
    if let Some(summary) = traited("summary").and_then(|(_, s)| s.as_str()) {
        let _ = write!(
            out,
            "<p class=\"apiref-op__summary\"><strong>{}</strong></p>",
            escape(summary)
        );
    }
    if let Some((doc, description)) = traited("description") {
        out.push_str(&cx.md(doc, description.as_str().unwrap_or_default()));
    }
    out.push_str(&operation_facts(op));
    out.push_str(&message::bindings_table(
        traited("bindings").map(|(_, b)| b),
    ));
    out.push_str(&message::operation_messages_html(cx, op));
    out.push_str(&message::reply_html(cx, op));
    out.push_str("</article>");
    out
}

/// `components.messages`, each with a `message/<name>` anchor that operations link to.
fn add_component_messages(cx: &Cx, anchors: &mut Anchors, r: &mut Reference) {
    let messages = map_of(root(cx).get("components").and_then(|c| c.get("messages")));
    if messages.is_empty() {
        return;
    }
    let section = anchors.take("messages".into());
    r.outline.push(OutlineEntry {
        anchor: section.clone(),
        title: "Messages".into(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let mut html = String::new();
    for (k, m) in messages {
        let name = k.scalar_text().unwrap_or_default();
        let anchor = anchors.take(message::message_anchor(&name));
        html.push_str(&message::component_html(cx, &anchor, &name, m));
        r.outline.push(OutlineEntry {
            anchor,
            title: name,
            depth: 1,
            ..OutlineEntry::default()
        });
    }
    r.sections.push(Section {
        anchor: section,
        title: "Messages".into(),
        html,
        page: None,
    });
}

/// `components.schemas`, each with the `schema/<name>` anchor schema trees link to.
fn add_schemas(cx: &Cx, r: &mut Reference) {
    let schemas = map_of(root(cx).get("components").and_then(|c| c.get("schemas")));
    if schemas.is_empty() {
        return;
    }
    r.outline.push(OutlineEntry {
        anchor: "schemas".into(),
        title: "Schemas".into(),
        depth: 0,
        ..OutlineEntry::default()
    });
    let mut html = String::new();
    for (k, node) in schemas {
        let name = k.scalar_text().unwrap_or_default();
        let anchor = schema_anchor(&name);
        let _ = write!(
            html,
            "<article class=\"apiref-schema\" id=\"{}\"><h4>{}</h4>{}</article>",
            escape(&anchor),
            escape(&name),
            schema_tree(cx, 0, node)
        );
        r.outline.push(OutlineEntry {
            anchor: anchor.clone(),
            title: name.clone(),
            depth: 1,
            ..OutlineEntry::default()
        });
        r.search.push(SearchEntry {
            anchor,
            title: format!("schema {name}"),
            text: plain(str_of(node, "description").unwrap_or_default(), 300),
            names: search_names([name.as_str()]),
        });
    }
    r.sections.push(Section {
        anchor: "schemas".into(),
        title: "Schemas".into(),
        html,
        page: None,
    });
}

#[cfg(test)]
mod tests;
