//! GraphQL SDL definitions → `Reference`: the root operations (queries, mutations,
//! subscriptions) first, then every type grouped by kind, then directives. Type names in
//! signatures link to the type's anchor (`#type/<Name>`); descriptions are Markdown, rendered
//! and sanitised like a docs page.

mod lex;
mod parse;

use std::collections::BTreeMap;

pub(super) use self::parse::Doc;
use self::parse::{DirectiveDef, Field, Kind, Schema, TypeDef, parse_schema};
use super::{Reference, SearchEntry, Section, Source, search_names};
use crate::diagnostics::{Code, Diagnostic};
// Attribute values are escaped for either quote, text content for `&<>` only.
use crate::html::{escape as attr, escaped_text as text};
use crate::markdown::{KeepLinks, MarkdownOptions, render_markdown};

/// The root operation kinds: (schema keyword, default root type name, section anchor and
/// title).
const ROOTS: &[(&str, &str, &str, &str)] = &[
    ("query", "Query", "queries", "Queries"),
    ("mutation", "Mutation", "mutations", "Mutations"),
    (
        "subscription",
        "Subscription",
        "subscriptions",
        "Subscriptions",
    ),
];

/// A root type the schema has: its operation keyword, its name, its section anchor and title.
struct Root {
    op: &'static str,
    name: String,
    anchor: &'static str,
    title: &'static str,
}

/// Type sections in the order shown: (kind, section anchor, title).
const TYPE_SECTIONS: &[(Kind, &str, &str)] = &[
    (Kind::Object, "objects", "Objects"),
    (Kind::Interface, "interfaces", "Interfaces"),
    (Kind::Union, "unions", "Unions"),
    (Kind::Enum, "enums", "Enums"),
    (Kind::Input, "inputs", "Inputs"),
    (Kind::Scalar, "scalars", "Scalars"),
];

pub fn reference(source: &Source<'_>) -> Option<Reference> {
    let schema = parse_schema(source.text);
    let mut ctx = Context {
        source,
        links: BTreeMap::new(),
        implementors: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    for (line, message) in &schema.errors {
        ctx.diagnostics.push(
            Diagnostic::new(Code::ApiDefinitionSyntax, format!("GraphQL: {message}")).at(
                source.file,
                source.line + line - 1,
                1,
            ),
        );
    }
    let roots = root_types(&schema);
    ctx.collect_links(&schema, &roots);
    let mut out = Reference::default();
    for root in &roots {
        if let Some(def) = schema.types.iter().find(|t| t.name == root.name) {
            ctx.root_section(&mut out, root, def);
        }
    }
    for (kind, anchor, title) in TYPE_SECTIONS {
        let defs: Vec<&TypeDef> = schema
            .types
            .iter()
            .filter(|t| t.kind == *kind && !roots.iter().any(|r| r.name == t.name))
            .collect();
        ctx.type_section(&mut out, anchor, title, &defs);
    }
    ctx.directive_section(&mut out, &schema.directives);
    out.intro_html = ctx.intro(&schema, &roots);
    out.diagnostics = ctx.diagnostics;
    Some(out)
}

/// (operation, root type name, section title) for each root type the schema has: those
/// `schema { }` names, else the types called Query, Mutation and Subscription.
fn root_types(schema: &Schema) -> Vec<Root> {
    ROOTS
        .iter()
        .filter_map(|&(op, default, anchor, title)| {
            let named = schema.roots.iter().find(|(o, _)| o == op).map(|(_, t)| t);
            let name = match named {
                Some(n) => n.clone(),
                None if schema.roots.is_empty() => default.to_string(),
                None => return None,
            };
            let defined = schema.types.iter().any(|t| t.name == name);
            defined.then_some(Root {
                op,
                name,
                anchor,
                title,
            })
        })
        .collect()
}

struct Context<'s, 'a> {
    source: &'s Source<'a>,
    /// Type name → anchor, for the types the reference shows: only these are linked, so
    /// that every link has a target (built-in scalars are not linked).
    links: BTreeMap<String, String>,
    /// Interface name → the types implementing it, in definition order: a reader of an
    /// interface wants to know what can come back.
    implementors: BTreeMap<String, Vec<String>>,
    diagnostics: Vec<Diagnostic>,
}

impl Context<'_, '_> {
    fn collect_links(&mut self, schema: &Schema, roots: &[Root]) {
        for t in &schema.types {
            for i in &t.interfaces {
                self.implementors
                    .entry(i.clone())
                    .or_default()
                    .push(t.name.clone());
            }
        }
        for t in &schema.types {
            self.links
                .insert(t.name.clone(), format!("type/{}", t.name));
        }
        // A root type has no item of its own: its name links to its section.
        for root in roots {
            self.links
                .insert(root.name.clone(), root.anchor.to_string());
        }
    }

    fn intro(&mut self, schema: &Schema, roots: &[Root]) -> String {
        let mut html = String::new();
        if let Some(doc) = &schema.doc {
            html.push_str(&self.markdown(doc));
        }
        let root_types = schema
            .types
            .iter()
            .filter(|t| roots.iter().any(|r| r.name == t.name));
        let operations: usize = root_types.map(|t| t.fields.len()).sum();
        html.push_str(&format!(
            "<p class=\"apiref-summary\">GraphQL schema: {operations} root operations, {} types, {} directives.</p>\n",
            schema.types.len() - roots.len(),
            schema.directives.len(),
        ));
        html
    }

    fn root_section(&mut self, out: &mut Reference, root: &Root, def: &TypeDef) {
        let (op, anchor, title) = (root.op, root.anchor.to_string(), root.title);
        let mut html = String::new();
        if let Some(doc) = &def.doc {
            html.push_str(&self.markdown(doc));
        }
        out.push_outline(&anchor, title, 0, None, false);
        for field in &def.fields {
            let item = format!("{op}/{}", field.name);
            html.push_str(&format!("<article class=\"apiref-item\" id=\"{}\">\n<h3><span class=\"apiref-badge\">{op}</span> <code>{}</code>{}</h3>\n",
                attr(&item), text(&field.name), deprecated_mark(&field.deprecated)));
            html.push_str("<pre class=\"apiref-signature\"><code>");
            html.push_str(&self.signature(field));
            html.push_str("</code></pre>\n");
            html.push_str(&self.field_body(field));
            html.push_str(&self.field_list("Arguments", &item, &field.args));
            html.push_str("</article>\n");
            out.push_outline(&item, &field.name, 1, Some(op), field.deprecated.is_some());
            out.search.push(SearchEntry {
                anchor: item,
                title: format!("{op} {}", field.name),
                text: search_text(&field.doc, &field.args),
                names: search_names([field.name.as_str()]),
            });
        }
        out.sections.push(Section {
            anchor,
            title: format!("{title} ({})", def.name),
            html,
            page: None,
        });
    }

    fn type_section(&mut self, out: &mut Reference, anchor: &str, title: &str, defs: &[&TypeDef]) {
        if defs.is_empty() {
            return;
        }
        out.push_outline(anchor, title, 0, None, false);
        let mut html = String::new();
        for def in defs {
            html.push_str(&self.type_item(def));
            let item = format!("type/{}", def.name);
            out.push_outline(&item, &def.name, 1, Some(def.kind.keyword()), false);
            out.search.push(SearchEntry {
                anchor: item,
                title: format!("{} {}", def.kind.keyword(), def.name),
                text: format!(
                    "{} {}",
                    search_text(&def.doc, &def.fields),
                    def.members.join(" ")
                )
                .trim()
                .to_string(),
                names: search_names([def.name.as_str()]),
            });
        }
        out.sections.push(Section {
            anchor: anchor.to_string(),
            title: title.to_string(),
            html,
            page: None,
        });
    }

    fn type_item(&mut self, def: &TypeDef) -> String {
        let anchor = format!("type/{}", def.name);
        let mut html = format!(
            "<article class=\"apiref-item\" id=\"{}\">\n<h3><span class=\"apiref-badge\">{}</span> <code>{}</code>{}</h3>\n",
            attr(&anchor),
            def.kind.keyword(),
            text(&def.name),
            if def.extended {
                " <span class=\"apiref-note\">extended</span>"
            } else {
                ""
            }
        );
        if !def.interfaces.is_empty() {
            html.push_str(&format!(
                "<p>Implements {}</p>\n",
                self.name_list(&def.interfaces)
            ));
        }
        if let Some(types) = self.implementors.get(&def.name) {
            html.push_str(&format!(
                "<p>Implemented by {}</p>\n",
                self.name_list(types)
            ));
        }
        if !def.members.is_empty() {
            html.push_str(&format!("<p>One of {}</p>\n", self.name_list(&def.members)));
        }
        if let Some(doc) = &def.doc {
            html.push_str(&self.markdown(doc));
        }
        let title = match def.kind {
            Kind::Enum => "Values",
            _ => "Fields",
        };
        html.push_str(&self.field_list(title, &anchor, &def.fields));
        html.push_str("</article>\n");
        html
    }

    fn directive_section(&mut self, out: &mut Reference, directives: &[DirectiveDef]) {
        if directives.is_empty() {
            return;
        }
        out.push_outline("directives", "Directives", 0, None, false);
        let mut html = String::new();
        for d in directives {
            let anchor = format!("directive/{}", d.name);
            html.push_str(&format!(
                "<article class=\"apiref-item\" id=\"{}\">\n<h3><span class=\"apiref-badge\">directive</span> <code>@{}</code></h3>\n<p>{}on <code>{}</code></p>\n",
                attr(&anchor),
                text(&d.name),
                if d.repeatable { "Repeatable, " } else { "" },
                text(&d.locations.join(" | "))
            ));
            if let Some(doc) = &d.doc {
                html.push_str(&self.markdown(doc));
            }
            html.push_str(&self.field_list("Arguments", &anchor, &d.args));
            html.push_str("</article>\n");
            out.push_outline(
                &anchor,
                &format!("@{}", d.name),
                1,
                Some("directive"),
                false,
            );
            out.search.push(SearchEntry {
                anchor,
                title: format!("directive @{}", d.name),
                text: search_text(&d.doc, &d.args),
                names: search_names([d.name.as_str()]),
            });
        }
        out.sections.push(Section {
            anchor: "directives".into(),
            title: "Directives".into(),
            html,
            page: None,
        });
    }

    /// A definition list of fields, arguments or enum values, each anchored under `owner`.
    fn field_list(&mut self, title: &str, owner: &str, fields: &[Field]) -> String {
        if fields.is_empty() {
            return String::new();
        }
        let mut html = format!("<h4>{title}</h4>\n<dl class=\"apiref-fields\">\n");
        for f in fields {
            html.push_str(&format!(
                "<dt id=\"{}\"><code>{}</code>{}</dt>\n",
                attr(&format!("{owner}.{}", f.name)),
                self.signature(f),
                deprecated_mark(&f.deprecated)
            ));
            let mut body = self.field_body(f);
            // A field's arguments are in its signature; those with something to say get a
            // list of their own.
            if f.args
                .iter()
                .any(|a| a.doc.is_some() || a.deprecated.is_some())
            {
                let list = self.field_list("Arguments", &format!("{owner}.{}", f.name), &f.args);
                body.push_str(&list);
            }
            if !body.is_empty() {
                html.push_str(&format!("<dd>{body}</dd>\n"));
            }
        }
        html.push_str("</dl>\n");
        html
    }

    /// A field's description and deprecation reason.
    fn field_body(&mut self, f: &Field) -> String {
        let mut html = String::new();
        // The reason is Markdown too, like descriptions.
        if let Some(reason) = f.deprecated.as_deref().filter(|r| !r.is_empty()) {
            let note = Doc {
                text: format!("**Deprecated:** {reason}"),
                line: f.line,
            };
            html.push_str(&self.markdown(&note));
        }
        if let Some(doc) = &f.doc {
            html.push_str(&self.markdown(doc));
        }
        html
    }

    /// `name(arg: Type = default): Type` with type names linked; for an enum value, its name.
    fn signature(&self, f: &Field) -> String {
        let mut html = text(&f.name);
        if !f.args.is_empty() {
            let args: Vec<String> = f.args.iter().map(|a| self.signature(a)).collect();
            html.push_str(&format!("({})", args.join(", ")));
        }
        if !f.ty.is_empty() {
            html.push_str(": ");
            html.push_str(&self.type_html(&f.ty));
        }
        if let Some(default) = &f.default {
            html.push_str(&format!(" = {}", text(default)));
        }
        html
    }

    /// A type reference (`[Film!]!`) with its named type linked when the schema defines it.
    fn type_html(&self, ty: &str) -> String {
        let name = ty.trim_matches(['[', ']', '!']);
        let (before, after) = ty.split_once(name).unwrap_or(("", ""));
        format!("{}{}{}", text(before), self.name_html(name), text(after))
    }

    fn name_html(&self, name: &str) -> String {
        match self.links.get(name) {
            Some(anchor) => format!("<a href=\"#{}\">{}</a>", attr(anchor), text(name)),
            None => text(name),
        }
    }

    fn name_list(&self, names: &[String]) -> String {
        let linked: Vec<String> = names
            .iter()
            .map(|n| format!("<code>{}</code>", self.name_html(n)))
            .collect();
        linked.join(", ")
    }

    fn markdown(&mut self, doc: &Doc) -> String {
        markdown_html(doc, self.source, &mut self.diagnostics)
    }
}

fn deprecated_mark(deprecated: &Option<String>) -> &'static str {
    if deprecated.is_some() {
        " <span class=\"apiref-deprecated\">deprecated</span>"
    } else {
        ""
    }
}

/// The words a search matches: the description and the names of the fields or arguments.
fn search_text(doc: &Option<Doc>, fields: &[Field]) -> String {
    let mut words = doc.as_ref().map(|d| d.text.clone()).unwrap_or_default();
    for f in fields {
        words.push(' ');
        words.push_str(&f.name);
    }
    words.trim().to_string()
}

/// A description rendered as Markdown like a docs page with untrusted HTML: raw HTML is
/// sanitised, script URLs dropped. Its diagnostics are placed at the description's line.
/// Shared with the gRPC reference, whose comments are Markdown in practice too.
pub(super) fn markdown_html(doc: &Doc, source: &Source<'_>, diags: &mut Vec<Diagnostic>) -> String {
    let mut opts = MarkdownOptions::new(source.file, source.root);
    opts.linenums = false;
    opts.permalink = false;
    // Code in descriptions is short; highlighting every one would slow big schemas down.
    opts.highlight = false;
    let rendered = render_markdown(&doc.text, &opts, &mut KeepLinks);
    let line = source.line + doc.line - 1;
    diags.extend(
        rendered
            .diagnostics
            .into_iter()
            .map(|d| d.at(source.file, line, 1)),
    );
    format!(
        "<div class=\"apiref-description\">{}</div>\n",
        rendered.html
    )
}

#[cfg(test)]
mod tests;
