//! API reference: an API entity's definition (OpenAPI, AsyncAPI, GraphQL SDL, gRPC .proto)
//! turned at build time into a reference a reader can read without JavaScript: sections with
//! stable anchors, an outline, and entries for search. Each format has a module of its own;
//! they all produce the same plain data (`Reference`), which `render` draws and `search`
//! indexes. A definition that cannot be read fully still gives what could be read, with
//! diagnostics; the raw definition stays on the page below the reference.

pub mod asyncapi;
pub mod graphql;
pub mod grpc;
pub mod load;
pub mod openapi;
pub mod split;
#[cfg(test)]
mod testkit;
mod tokens;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostic;

pub use load::{ApiRefs, load_references};

/// One API's reference. HTML in it is already escaped or sanitised by the module that made it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Reference {
    /// Introduction (title, version, description, servers…), shown before the sections.
    pub intro_html: String,
    /// In the definition's order: tags, channels, services, type groups, schemas.
    pub sections: Vec<Section>,
    /// The left-hand outline: every section and the items in it.
    pub outline: Vec<OutlineEntry>,
    /// One entry per operation, schema, type, channel or rpc, for the search index.
    #[serde(skip)]
    pub search: Vec<SearchEntry>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// For a reference split into pages (`split`): each id (as written in the HTML) on a page
    /// of its own → that page. Empty when everything is on the API's page.
    #[serde(skip)]
    pub pages: HashMap<String, String>,
}

impl Reference {
    /// The page (None: the API's page) where the element with id `anchor` is.
    pub fn page_of(&self, anchor: &str) -> Option<&str> {
        if self.pages.is_empty() {
            return None;
        }
        self.pages
            .get(&crate::html::escape(anchor))
            .map(String::as_str)
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Section {
    /// Without `#`: `tag/payments`, `schema/Pet`, `type/Query`, `rpc/Greeter.SayHello`.
    pub anchor: String,
    pub title: String,
    pub html: String,
    /// The slug of the page of its own this section is on (`split`); None: the API's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OutlineEntry {
    pub anchor: String,
    pub title: String,
    /// 0 for a section, 1 for an item in it.
    pub depth: u8,
    /// A short mark shown before the title: `GET`, `query`, `stream`…
    pub badge: Option<String>,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchEntry {
    pub anchor: String,
    /// What a result shows: `POST /payment_intents`, `type Pet`, `rpc Greeter.SayHello`.
    pub title: String,
    /// Summary, description, operationId, parameter names…: the words a search matches.
    pub text: String,
    /// What the item is called (an operation's summary and operationId as words, a type's
    /// name): a query equal to one of them ranks the item above docs headings.
    pub names: Vec<String>,
}

/// An item's names for `SearchEntry::names`: each as written, and an identifier also as
/// words (`createPaymentIntent` → `create Payment Intent`), blanks dropped.
pub fn search_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
        for n in [name.to_string(), identifier_words(name)] {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// `createPaymentIntent` → `create Payment Intent`, `get_pet-by-id` → `get pet by id`.
pub fn identifier_words(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    let mut prev_lower = false;
    for c in id.chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.push(if c == '_' || c == '-' { ' ' } else { c });
    }
    out
}

impl Reference {
    /// Adds an outline entry (for the formats that build their outline item by item).
    pub fn push_outline(
        &mut self,
        anchor: &str,
        title: &str,
        depth: u8,
        badge: Option<&str>,
        deprecated: bool,
    ) {
        self.outline.push(OutlineEntry {
            anchor: anchor.to_string(),
            title: title.to_string(),
            depth,
            badge: badge.map(str::to_string),
            deprecated,
        });
    }
}

/// What an outline item is, by the first segment of its anchor (each format's own words):
/// something a client calls, or a type it sends or receives. Sections (`tag/`, `channel/`,
/// `service/`) and directives are neither.
const OPERATION_ANCHORS: &[&str] = &["operation", "rpc", "query", "mutation", "subscription"];
const TYPE_ANCHORS: &[&str] = &["schema", "type", "message", "enum"];

/// How many operations and types a reference describes (the API explorer shows them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ItemCounts {
    pub operations: usize,
    pub types: usize,
}

impl Reference {
    pub fn item_counts(&self) -> ItemCounts {
        let mut counts = ItemCounts::default();
        for o in self.outline.iter().filter(|o| o.depth > 0) {
            let kind = o.anchor.split('/').next().unwrap_or_default();
            if OPERATION_ANCHORS.contains(&kind) {
                counts.operations += 1;
            } else if TYPE_ANCHORS.contains(&kind) {
                counts.types += 1;
            }
        }
        counts
    }
}

/// A definition and where it came from.
pub struct Source<'a> {
    pub text: &'a str,
    /// The file the definition was read from (the catalog file, or the file `$text` named),
    /// for diagnostics and for relative `$ref`s / imports.
    pub file: &'a Path,
    /// The line in `file` where the definition starts (1 when it is the whole file).
    pub line: usize,
    /// Relative references may not leave this folder (the repository).
    pub root: &'a Path,
    /// How code in descriptions is highlighted (the site's).
    pub markup: crate::highlight::Markup,
}

/// The reference of a definition of `api_type` (`openapi`, `asyncapi`, `graphql`, `grpc`);
/// None for other types and for definitions too broken to show anything of.
pub fn reference(api_type: &str, source: &Source<'_>) -> Option<Reference> {
    let made = match api_type {
        "openapi" => openapi::reference(source),
        "asyncapi" => asyncapi::reference(source),
        "graphql" => graphql::reference(source),
        "grpc" => grpc::reference(source),
        _ => None,
    };
    made.map(split::split)
}

#[cfg(test)]
mod tests {
    use super::{identifier_words, search_names};

    #[test]
    fn identifiers_split_into_words() {
        assert_eq!(
            identifier_words("createPaymentIntent"),
            "create Payment Intent"
        );
        assert_eq!(identifier_words("get_user-v2"), "get user v2");
        assert_eq!(identifier_words("URLs"), "URLs");
    }

    #[test]
    fn search_names_keep_each_name_and_its_words_once() {
        assert_eq!(
            search_names(["Create a payment intent", " ", "createPaymentIntent"]),
            [
                "Create a payment intent",
                "createPaymentIntent",
                "create Payment Intent"
            ]
        );
    }
}
