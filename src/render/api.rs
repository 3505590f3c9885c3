//! API pages: the definition shown highlighted, with a readable summary of what it offers
//! (OpenAPI operations, AsyncAPI channels, GraphQL types, gRPC methods).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::api_reference::{Place, ReferenceView, reference_view};
use crate::apiref::Reference;
use crate::catalog::Entity;
use crate::urls::{self, Urls};
use crate::yaml::{self, Node, Schema};

/// Summaries list at most this many items; the full definition is always below them.
const MAX_SUMMARY_ITEMS: usize = 300;

#[derive(Serialize)]
pub struct ApiView {
    pub api_type: String,
    pub definition_html: Option<String>,
    pub remote_url: Option<String>,
    pub remotes: Vec<Remote>,
    pub summary: Option<Summary>,
    /// For a reference split into pages: the link to the raw definition, a file of its own,
    /// in place of `definition_html` (megabytes that would double the API's page).
    pub definition_file: Option<String>,
    /// The reference made at build time (`apiref`); when there is one, it replaces the
    /// summary and the raw definition is shown collapsed below it.
    pub reference: Option<ReferenceView>,
}

#[derive(Serialize)]
pub struct Remote {
    pub kind: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Summary {
    pub title: &'static str,
    pub items: Vec<Operation>,
}

#[derive(Serialize)]
pub struct Operation {
    pub method: Option<String>,
    pub path: String,
    pub text: Option<String>,
}

pub fn api_view(
    e: &Entity,
    reference: Option<&Reference>,
    urls: Urls,
    markup: crate::highlight::Markup,
) -> ApiView {
    let api_type = e.spec_str("type").unwrap_or("unknown").to_string();
    let definition = e.spec_str("definition").unwrap_or_default();
    let is_remote = !definition.contains('\n')
        && (definition.starts_with("https://") || definition.starts_with("http://"));
    let remotes = e
        .spec
        .get("remotes")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let url = r.get("url")?.as_str()?.to_string();
            Some(Remote {
                kind: r
                    .get("type")
                    .and_then(|t| t.as_str())
                    .unwrap_or("remote")
                    .to_string(),
                url,
            })
        })
        .collect();
    let has_definition = !definition.trim().is_empty() && !is_remote;
    let as_file = reference.is_some_and(|r| !r.pages.is_empty());
    let language = definition_language(&api_type, definition);
    ApiView {
        definition_file: (has_definition && as_file).then(|| {
            let file = urls::api_definition_file(&e.entity_ref, language);
            urls::relative(&urls::entity_dir(&e.entity_ref), &file)
        }),
        reference: reference.map(|r| {
            let at = Place {
                api: &e.entity_ref,
                urls,
                page: None,
            };
            reference_view(r, at)
        }),
        summary: (reference.is_none() && has_definition)
            .then(|| summarize(&api_type, definition))
            .flatten(),
        definition_html: (has_definition && !as_file)
            .then(|| highlight_definition(definition, language, markup)),
        remote_url: is_remote.then(|| definition.to_string()),
        remotes,
        api_type,
    }
}

/// The highlighting language for an API type's definition text.
pub fn definition_language(api_type: &str, text: &str) -> &'static str {
    match api_type.to_ascii_lowercase().as_str() {
        "graphql" => "graphql",
        "grpc" => "proto",
        _ if text.trim_start().starts_with('{') => "json",
        _ => "yaml",
    }
}

fn highlight_definition(text: &str, lang: &str, markup: crate::highlight::Markup) -> String {
    let opts = crate::highlight::CodeOptions {
        lang: Some(lang),
        title: None,
        linenums: true,
        linenums_start: 1,
        hl_lines: &[],
        markup,
    };
    crate::highlight::highlight_block(text, &opts)
}

fn summarize(api_type: &str, text: &str) -> Option<Summary> {
    let (title, mut items) = match api_type.to_ascii_lowercase().as_str() {
        "openapi" => ("Operations", openapi_operations(&parse(text)?)),
        "asyncapi" => ("Channels", asyncapi_channels(&parse(text)?)),
        "graphql" => ("Types", graphql_types(text)),
        "grpc" => ("Methods", grpc_methods(text)),
        _ => return None,
    };
    items.truncate(MAX_SUMMARY_ITEMS);
    (!items.is_empty()).then_some(Summary { title, items })
}

fn parse(text: &str) -> Option<Node> {
    yaml::parse_single(text, Schema::Core12).ok().flatten()
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn openapi_operations(doc: &Node) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc.get("paths").and_then(Node::as_map).unwrap_or_default() {
        for (method, op) in item.as_map().unwrap_or_default() {
            let m = method.scalar_text().unwrap_or_default();
            if !METHODS.contains(&m.as_str()) {
                continue;
            }
            let text = op
                .get("summary")
                .or_else(|| op.get("operationId"))
                .and_then(Node::as_str)
                .map(str::to_string);
            out.push(Operation {
                method: Some(m.to_uppercase()),
                path: path.scalar_text().unwrap_or_default(),
                text,
            });
        }
    }
    out
}

fn asyncapi_channels(doc: &Node) -> Vec<Operation> {
    let mut out = Vec::new();
    for (name, channel) in doc
        .get("channels")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let path = channel
            .get("address")
            .and_then(Node::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| name.scalar_text().unwrap_or_default());
        let mut any = false;
        for verb in ["publish", "subscribe"] {
            if let Some(op) = channel.get(verb) {
                any = true;
                let text = op
                    .get("summary")
                    .or_else(|| op.get("operationId"))
                    .and_then(Node::as_str)
                    .map(str::to_string);
                out.push(Operation {
                    method: Some(verb.to_uppercase()),
                    path: path.clone(),
                    text,
                });
            }
        }
        if !any {
            let text = channel
                .get("description")
                .and_then(Node::as_str)
                .map(|s| s.lines().next().unwrap_or_default().to_string());
            out.push(Operation {
                method: None,
                path,
                text,
            });
        }
    }
    for (name, op) in doc
        .get("operations")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let action = op
            .get("action")
            .and_then(Node::as_str)
            .map(str::to_uppercase);
        let text = op.get("summary").and_then(Node::as_str).map(str::to_string);
        out.push(Operation {
            method: action,
            path: name.scalar_text().unwrap_or_default(),
            text,
        });
    }
    out
}

static GRAPHQL_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(type|input|enum|interface|union|scalar)\s+([_A-Za-z][_0-9A-Za-z]*)")
        .expect("static regex")
});

fn graphql_types(text: &str) -> Vec<Operation> {
    GRAPHQL_TYPE
        .captures_iter(text)
        .map(|c| Operation {
            method: Some(c[1].to_uppercase()),
            path: c[2].to_string(),
            text: None,
        })
        .collect()
}

static PROTO_SERVICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"service\s+(\w+)\s*\{").expect("static regex"));
static PROTO_RPC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"rpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)",
    )
    .expect("static regex")
});

fn grpc_methods(text: &str) -> Vec<Operation> {
    let services: Vec<(usize, &str)> = PROTO_SERVICE
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.start(), c.get(1)?.as_str())))
        .collect();
    PROTO_RPC
        .captures_iter(text)
        .map(|c| {
            let at = c.get(0).map_or(0, |m| m.start());
            let service = services
                .iter()
                .rev()
                .find(|(pos, _)| *pos < at)
                .map_or("", |(_, s)| s);
            let stream = |i: usize| if c.get(i).is_some() { "stream " } else { "" };
            Operation {
                method: Some("RPC".into()),
                path: if service.is_empty() {
                    c[1].to_string()
                } else {
                    format!("{service}.{}", &c[1])
                },
                text: Some(format!("{}{} → {}{}", stream(2), &c[3], stream(4), &c[5])),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_paths_become_operations() {
        let doc = parse("paths:\n  /pets:\n    get:\n      summary: List pets\n    post:\n      operationId: createPet\n    parameters: []\n").unwrap();
        let ops = openapi_operations(&doc);
        let shown: Vec<String> = ops
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}",
                    o.method.as_deref().unwrap(),
                    o.path,
                    o.text.as_deref().unwrap()
                )
            })
            .collect();
        assert_eq!(shown, ["GET /pets List pets", "POST /pets createPet"]);
    }

    #[test]
    fn grpc_methods_name_their_service_and_streams() {
        let ops = grpc_methods(
            "service Greeter {\n  rpc SayHello (HelloRequest) returns (stream HelloReply) {}\n}\n",
        );
        assert_eq!(ops[0].path, "Greeter.SayHello");
        assert_eq!(
            ops[0].text.as_deref(),
            Some("HelloRequest → stream HelloReply")
        );
    }

    #[test]
    fn graphql_types_are_listed() {
        let ops = graphql_types("type Query {\n  a: Int\n}\nenum Color { RED }\n");
        let names: Vec<&str> = ops.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(names, ["Query", "Color"]);
    }

    #[test]
    fn asyncapi_v2_channels_show_their_verbs() {
        let doc =
            parse("channels:\n  light/measured:\n    subscribe:\n      summary: Lux readings\n")
                .unwrap();
        let ops = asyncapi_channels(&doc);
        assert_eq!(ops[0].method.as_deref(), Some("SUBSCRIBE"));
        assert_eq!(ops[0].path, "light/measured");
    }
}
