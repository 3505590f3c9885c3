//! gRPC .proto definitions → `Reference`: one section per service with its rpc methods, then
//! the messages and enums (nested ones too), then the types of imported files in the
//! repository. Type names link to `#message/<full.name>` or `#enum/<full.name>`; doc comments
//! are Markdown, rendered and sanitised like GraphQL descriptions.

mod imports;
mod lex;
mod parse;

use std::collections::{BTreeMap, BTreeSet};

use self::parse::{EnumDef, FieldDef, Message, Proto, Rpc, Service, parse_proto};
use super::graphql::{Doc, markdown_html};
use super::{OutlineEntry, Reference, SearchEntry, Section, Source, search_names};
use crate::diagnostics::{Code, Diagnostic};
// Attribute values are escaped for either quote, text content for `&<>` only.
use crate::html::{escape as attr, escaped_text as text};

pub fn reference(source: &Source<'_>) -> Option<Reference> {
    let proto = parse_proto(source.text);
    let mut diagnostics = syntax_diagnostics(&proto, source, source.line);
    let imported = imports::load(source, &proto, &mut diagnostics);
    let mut ctx = Context {
        source,
        anchors: BTreeMap::new(),
        diagnostics,
    };
    ctx.collect_anchors(&proto);
    for file in &imported {
        ctx.collect_anchors(&file.proto);
    }
    let mut out = Reference {
        intro_html: ctx.intro(&proto),
        ..Reference::default()
    };
    for service in &proto.services {
        ctx.service_section(&mut out, service, proto.package.as_deref());
    }
    let mut shown = BTreeSet::new();
    ctx.type_sections(&mut out, &[(&proto, None)], false, &mut shown);
    let imported: Vec<(&Proto, Option<&str>)> = imported
        .iter()
        .map(|f| (&f.proto, Some(f.path.as_str())))
        .collect();
    ctx.type_sections(&mut out, &imported, true, &mut shown);
    out.diagnostics = ctx.diagnostics;
    Some(out)
}

/// E119 for each syntax error, at its line in the file (`first_line` is where the text
/// starts in it).
fn syntax_diagnostics(proto: &Proto, source: &Source<'_>, first_line: usize) -> Vec<Diagnostic> {
    proto
        .errors
        .iter()
        .map(|(line, message)| {
            Diagnostic::new(Code::ApiDefinitionSyntax, format!(".proto: {message}")).at(
                source.file,
                first_line + line - 1,
                1,
            )
        })
        .collect()
}

/// The types of scalar fields: never linked.
const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

struct Context<'s, 'a> {
    source: &'s Source<'a>,
    /// Full name of every message and enum shown → its anchor: only these are linked.
    anchors: BTreeMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

impl Context<'_, '_> {
    fn collect_anchors(&mut self, proto: &Proto) {
        for_each_type(&proto.messages, &proto.enums, &mut |t| {
            let (kind, full) = match t {
                TypeRef::Message(m) => ("message", &m.full_name),
                TypeRef::Enum(e) => ("enum", &e.full_name),
            };
            self.anchors
                .entry(full.clone())
                .or_insert_with(|| format!("{kind}/{full}"));
        });
    }

    fn intro(&mut self, proto: &Proto) -> String {
        let mut html = String::new();
        if let Some(doc) = &proto.package_doc {
            html.push_str(&self.markdown(doc));
        }
        html.push_str("<dl class=\"apiref-meta\">\n");
        let syntax = proto
            .syntax
            .as_deref()
            .unwrap_or("proto2 (no syntax statement)");
        html.push_str(&format!(
            "<dt>Syntax</dt><dd><code>{}</code></dd>\n",
            text(syntax)
        ));
        if let Some(package) = &proto.package {
            html.push_str(&format!(
                "<dt>Package</dt><dd><code>{}</code></dd>\n",
                text(package)
            ));
        }
        for (path, _) in &proto.imports {
            html.push_str(&format!(
                "<dt>Import</dt><dd><code>{}</code></dd>\n",
                text(path)
            ));
        }
        for (name, value) in &proto.options {
            html.push_str(&format!(
                "<dt>Option</dt><dd><code>{} = {}</code></dd>\n",
                text(name),
                text(value)
            ));
        }
        html.push_str("</dl>\n");
        html
    }

    fn service_section(&mut self, out: &mut Reference, s: &Service, package: Option<&str>) {
        let anchor = format!("service/{}", s.name);
        out.push_outline(&anchor, &s.name, 0, Some("service"), s.deprecated);
        let mut html = String::new();
        if s.deprecated {
            html.push_str("<p class=\"apiref-deprecated\">Deprecated.</p>\n");
        }
        if let Some(doc) = &s.doc {
            html.push_str(&self.markdown(doc));
        }
        let mut words = doc_text(&s.doc);
        for rpc in &s.rpcs {
            words.push(' ');
            words.push_str(&rpc.name);
        }
        out.search.push(SearchEntry {
            anchor: anchor.clone(),
            title: format!("service {}", s.name),
            text: words.trim().to_string(),
            names: search_names([s.name.as_str()]),
        });
        let scope = package.unwrap_or("");
        for rpc in &s.rpcs {
            html.push_str(&self.rpc_item(out, s, rpc, scope));
        }
        let title = match package {
            Some(p) => format!("{} ({p})", s.name),
            None => s.name.clone(),
        };
        out.sections.push(Section {
            anchor,
            title,
            html,
            page: None,
        });
    }

    fn rpc_item(&mut self, out: &mut Reference, s: &Service, rpc: &Rpc, scope: &str) -> String {
        let anchor = format!("rpc/{}.{}", s.name, rpc.name);
        let badge = match (rpc.request_stream, rpc.response_stream) {
            (false, false) => "rpc",
            (true, false) => "client stream",
            (false, true) => "server stream",
            (true, true) => "bidi stream",
        };
        let mut html = format!(
            "<article class=\"apiref-item\" id=\"{}\">\n<h3><span class=\"apiref-badge\">{badge}</span> <code>{}</code>{}</h3>\n",
            attr(&anchor),
            text(&rpc.name),
            deprecated_mark(rpc.deprecated)
        );
        html.push_str(&format!(
            "<pre class=\"apiref-signature\"><code>rpc {}({}{}) returns ({}{})</code></pre>\n",
            text(&rpc.name),
            if rpc.request_stream { "stream " } else { "" },
            self.type_html(&rpc.request, scope),
            if rpc.response_stream { "stream " } else { "" },
            self.type_html(&rpc.response, scope),
        ));
        if let Some(doc) = &rpc.doc {
            html.push_str(&self.markdown(doc));
        }
        html.push_str("</article>\n");
        out.push_outline(&anchor, &rpc.name, 1, Some(badge), rpc.deprecated);
        out.search.push(SearchEntry {
            anchor,
            title: format!("rpc {}.{}", s.name, rpc.name),
            text: format!("{} {} {}", doc_text(&rpc.doc), rpc.request, rpc.response)
                .trim()
                .to_string(),
            names: search_names([rpc.name.as_str()]),
        });
        html
    }

    /// The Messages and Enums sections of the definition, or with `imported` one "Imported
    /// types" section of the imported files; each type once, by full name (`shown`).
    fn type_sections(
        &mut self,
        out: &mut Reference,
        protos: &[(&Proto, Option<&str>)],
        imported: bool,
        shown: &mut BTreeSet<String>,
    ) {
        let mut groups = if imported {
            vec![Group::new("imported", "Imported types")]
        } else {
            vec![
                Group::new("messages", "Messages"),
                Group::new("enums", "Enums"),
            ]
        };
        // Markdown problems in imported files' comments belong to those files' own API
        // pages, not to a line of this file.
        let diagnostics_before = self.diagnostics.len();
        for (proto, from) in protos {
            let package = proto.package.as_deref().unwrap_or("");
            let mut types = Vec::new();
            for_each_type(&proto.messages, &proto.enums, &mut |t| types.push(t));
            for t in types {
                if !shown.insert(t.full_name().to_string()) {
                    continue;
                }
                let (group, html, entry, search) = match t {
                    TypeRef::Message(m) => (
                        0,
                        self.message_item(m, package, *from),
                        outline_of(m, package),
                        search_of_message(m, package),
                    ),
                    TypeRef::Enum(e) => (
                        1,
                        self.enum_item(e, package, *from),
                        outline_of_enum(e, package),
                        search_of_enum(e, package),
                    ),
                };
                let g = &mut groups[if imported { 0 } else { group }];
                g.html.push_str(&html);
                g.outline.push(entry);
                // Imported types are searched where they are defined.
                if !imported {
                    out.search.push(search);
                }
            }
        }
        if imported {
            self.diagnostics.truncate(diagnostics_before);
        }
        for g in groups.into_iter().filter(|g| !g.outline.is_empty()) {
            out.push_outline(g.anchor, g.title, 0, None, false);
            out.outline.extend(g.outline);
            out.sections.push(Section {
                anchor: g.anchor.to_string(),
                title: g.title.to_string(),
                html: g.html,
                page: None,
            });
        }
    }

    fn message_item(&mut self, m: &Message, package: &str, from: Option<&str>) -> String {
        let anchor = format!("message/{}", m.full_name);
        let mut html = item_head(
            &anchor,
            "message",
            short_name(&m.full_name, package),
            m.deprecated,
            from,
        );
        if let Some(doc) = &m.doc {
            html.push_str(&self.markdown(doc));
        }
        if !m.fields.is_empty() {
            html.push_str("<table class=\"apiref-fields\">\n<thead><tr><th>Field</th><th>Number</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
            for f in &m.fields {
                html.push_str(&self.field_row(&anchor, f, &m.full_name));
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str(&reserved_html(&m.reserved));
        let nested: Vec<String> = m
            .messages
            .iter()
            .map(|n| &n.full_name)
            .chain(m.enums.iter().map(|e| &e.full_name))
            .map(|full| {
                format!(
                    "<code>{}</code>",
                    self.name_html(full, short_name(full, package))
                )
            })
            .collect();
        if !nested.is_empty() {
            html.push_str(&format!("<p>Nested: {}</p>\n", nested.join(", ")));
        }
        html.push_str("</article>\n");
        html
    }

    fn field_row(&mut self, owner: &str, f: &FieldDef, scope: &str) -> String {
        let mut ty = String::new();
        if let Some(label) = &f.label {
            ty.push_str(&format!("{label} "));
        }
        match &f.map_key {
            Some(key) => ty.push_str(&format!(
                "map&lt;{}, {}&gt;",
                self.type_html(key, scope),
                self.type_html(&f.ty, scope)
            )),
            None => ty.push_str(&self.type_html(&f.ty, scope)),
        }
        let mut desc = String::new();
        if let Some(oneof) = &f.oneof {
            desc.push_str(&format!(
                "<p class=\"apiref-note\">One of <code>{}</code></p>\n",
                text(oneof)
            ));
        }
        if !f.options.is_empty() {
            desc.push_str(&format!(
                "<p class=\"apiref-note\"><code>[{}]</code></p>\n",
                text(&f.options)
            ));
        }
        if let Some(doc) = &f.doc {
            desc.push_str(&self.markdown(doc));
        }
        format!(
            "<tr id=\"{}\"><td><code>{}</code>{}</td><td>{}</td><td><code>{ty}</code></td><td>{desc}</td></tr>\n",
            attr(&format!("{owner}.{}", f.name)),
            text(&f.name),
            deprecated_mark(f.deprecated),
            text(&f.number),
        )
    }

    fn enum_item(&mut self, e: &EnumDef, package: &str, from: Option<&str>) -> String {
        let anchor = format!("enum/{}", e.full_name);
        let mut html = item_head(
            &anchor,
            "enum",
            short_name(&e.full_name, package),
            e.deprecated,
            from,
        );
        if let Some(doc) = &e.doc {
            html.push_str(&self.markdown(doc));
        }
        if !e.values.is_empty() {
            html.push_str("<table class=\"apiref-fields\">\n<thead><tr><th>Value</th><th>Number</th><th>Description</th></tr></thead>\n<tbody>\n");
            for v in &e.values {
                let desc = match &v.doc {
                    Some(doc) => self.markdown(doc),
                    None => String::new(),
                };
                html.push_str(&format!(
                    "<tr id=\"{}\"><td><code>{}</code>{}</td><td>{}</td><td>{desc}</td></tr>\n",
                    attr(&format!("{anchor}.{}", v.name)),
                    text(&v.name),
                    deprecated_mark(v.deprecated),
                    text(&v.number)
                ));
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str(&reserved_html(&e.reserved));
        html.push_str("</article>\n");
        html
    }

    /// A type name as written, linked to the message or enum it resolves to from `scope`
    /// (protobuf's rule: the innermost enclosing scope first, then outwards).
    fn type_html(&self, ty: &str, scope: &str) -> String {
        if SCALARS.contains(&ty) {
            return text(ty);
        }
        match self.resolve(ty, scope) {
            Some(full) => self.name_html(full, ty),
            None => text(ty),
        }
    }

    fn resolve(&self, ty: &str, scope: &str) -> Option<&str> {
        if let Some(full) = ty.strip_prefix('.') {
            return self.anchors.get_key_value(full).map(|(k, _)| k.as_str());
        }
        let mut scope = scope;
        loop {
            let candidate = if scope.is_empty() {
                ty.to_string()
            } else {
                format!("{scope}.{ty}")
            };
            if let Some((k, _)) = self.anchors.get_key_value(&candidate) {
                return Some(k.as_str());
            }
            if scope.is_empty() {
                return None;
            }
            scope = scope.rsplit_once('.').map_or("", |(outer, _)| outer);
        }
    }

    fn name_html(&self, full: &str, shown: &str) -> String {
        match self.anchors.get(full) {
            Some(anchor) => format!("<a href=\"#{}\">{}</a>", attr(anchor), text(shown)),
            None => text(shown),
        }
    }

    fn markdown(&mut self, doc: &Doc) -> String {
        markdown_html(doc, self.source, &mut self.diagnostics)
    }
}

/// A section being filled: its items' HTML and outline entries.
struct Group {
    anchor: &'static str,
    title: &'static str,
    html: String,
    outline: Vec<OutlineEntry>,
}

impl Group {
    fn new(anchor: &'static str, title: &'static str) -> Self {
        Group {
            anchor,
            title,
            html: String::new(),
            outline: Vec::new(),
        }
    }
}

#[derive(Clone, Copy)]
enum TypeRef<'p> {
    Message(&'p Message),
    Enum(&'p EnumDef),
}

impl TypeRef<'_> {
    fn full_name(&self) -> &str {
        match self {
            TypeRef::Message(m) => &m.full_name,
            TypeRef::Enum(e) => &e.full_name,
        }
    }
}

/// Calls `f` on every message (each followed by its nested types) and then every top-level
/// enum, in definition order.
fn for_each_type<'p>(
    messages: &'p [Message],
    enums: &'p [EnumDef],
    f: &mut dyn FnMut(TypeRef<'p>),
) {
    for m in messages {
        f(TypeRef::Message(m));
        for_each_type(&m.messages, &m.enums, f);
    }
    for e in enums {
        f(TypeRef::Enum(e));
    }
}

/// The name shown for a type: its full name without the package.
fn short_name<'n>(full: &'n str, package: &str) -> &'n str {
    full.strip_prefix(package)
        .and_then(|r| r.strip_prefix('.'))
        .filter(|_| !package.is_empty())
        .unwrap_or(full)
}

fn item_head(anchor: &str, kind: &str, name: &str, deprecated: bool, from: Option<&str>) -> String {
    let mut html = format!(
        "<article class=\"apiref-item\" id=\"{}\">\n<h3><span class=\"apiref-badge\">{kind}</span> <code>{}</code>{}</h3>\n",
        attr(anchor),
        text(name),
        deprecated_mark(deprecated)
    );
    if let Some(path) = from {
        html.push_str(&format!(
            "<p class=\"apiref-note\">From <code>{}</code></p>\n",
            text(path)
        ));
    }
    html
}

fn reserved_html(reserved: &[String]) -> String {
    if reserved.is_empty() {
        return String::new();
    }
    format!(
        "<p>Reserved: <code>{}</code></p>\n",
        text(&reserved.join("; "))
    )
}

fn outline_of(m: &Message, package: &str) -> OutlineEntry {
    OutlineEntry {
        anchor: format!("message/{}", m.full_name),
        title: short_name(&m.full_name, package).to_string(),
        depth: 1,
        badge: Some("message".into()),
        deprecated: m.deprecated,
    }
}

fn outline_of_enum(e: &EnumDef, package: &str) -> OutlineEntry {
    OutlineEntry {
        anchor: format!("enum/{}", e.full_name),
        title: short_name(&e.full_name, package).to_string(),
        depth: 1,
        badge: Some("enum".into()),
        deprecated: e.deprecated,
    }
}

fn search_of_message(m: &Message, package: &str) -> SearchEntry {
    let mut words = doc_text(&m.doc);
    for f in &m.fields {
        words.push(' ');
        words.push_str(&f.name);
    }
    SearchEntry {
        anchor: format!("message/{}", m.full_name),
        title: format!("message {}", short_name(&m.full_name, package)),
        text: words.trim().to_string(),
        names: search_names([short_name(&m.full_name, package)]),
    }
}

fn search_of_enum(e: &EnumDef, package: &str) -> SearchEntry {
    let mut words = doc_text(&e.doc);
    for v in &e.values {
        words.push(' ');
        words.push_str(&v.name);
    }
    SearchEntry {
        anchor: format!("enum/{}", e.full_name),
        title: format!("enum {}", short_name(&e.full_name, package)),
        text: words.trim().to_string(),
        names: search_names([short_name(&e.full_name, package)]),
    }
}

fn doc_text(doc: &Option<Doc>) -> String {
    doc.as_ref().map(|d| d.text.clone()).unwrap_or_default()
}

fn deprecated_mark(deprecated: bool) -> &'static str {
    if deprecated {
        " <span class=\"apiref-deprecated\">deprecated</span>"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests;
