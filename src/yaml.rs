//! YAML with positions: turns a file into documents of `Node`s that remember their line and
//! column, so every later diagnostic can point at the exact spot. Built on yaml-rust2's event
//! parser because serde-based loaders forget where values came from.
//!
//! Two scalar schemas: YAML 1.2 core for catalog files (as Backstage's `yaml` package reads
//! them: `on`/`yes` stay strings) and YAML 1.1 for `mkdocs.yml` (as PyYAML reads it).
//! Unknown tags (`!ENV`, `!!python/name:…`) never fail: the tag is kept beside the value.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Which rules turn plain scalars into booleans and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    Core12,
    Yaml11,
}

/// At most this many nodes per document, aliases expanded: a guard against alias bombs.
const MAX_NODES: usize = 1_000_000;

/// At most this many nodes copied in by aliases per document. Real files use a few aliases
/// for shared snippets; a "billion laughs" file reached the node limit only after holding
/// 230 MB. (Backstage's `yaml` package limits aliases too.)
const MAX_ALIAS_NODES: usize = 100_000;

/// At most this many nested sequences and mappings: every later stage walks nodes
/// recursively, and a `[[[[…` line a few hundred kilobytes long would overflow its stack.
pub const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    pub value: Value,
    /// 1-based line and column of the node's first character.
    pub line: usize,
    pub col: usize,
    /// A tag other than the core ones (`!ENV`, `tag:yaml.org,2002:python/name:…`).
    pub tag: Option<String>,
}

/// One document of a stream: its root (None for an empty document) and its first line.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Option<Node>,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.col
        )
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A short name for the node's type, for messages ("expected a string, found a list").
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    /// The scalar as text, whatever its type (for keys and lenient readers).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null => Some(String::new()),
            _ => None,
        }
    }

    /// Converts to JSON; mapping order is kept, non-string keys become their text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.scalar_text().unwrap_or_default(), v.to_json()))
                    .collect(),
            ),
        }
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// Parses every document of a stream. A syntax error spoils only its own document: the
/// stream is cut at `---` lines first, which YAML forbids inside any scalar.
pub fn parse_documents(text: &str, schema: Schema) -> Vec<Result<Document, YamlError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    split_documents(text)
        .into_iter()
        .filter_map(|(first_line, chunk)| parse_chunk(chunk, first_line, schema).transpose())
        .collect()
}

/// Parses a file that must hold exactly one document (`mkdocs.yml`, `$yaml` targets).
pub fn parse_single(text: &str, schema: Schema) -> Result<Option<Node>, YamlError> {
    let mut docs = parse_documents(text, schema);
    match docs.len() {
        0 => Ok(None),
        1 => docs.remove(0).map(|d| d.root),
        _ => {
            let line = docs[1].as_ref().map_or(1, |d| d.line);
            Err(YamlError {
                line,
                col: 1,
                message: "expected one YAML document, found several".into(),
            })
        }
    }
}

/// Cuts the stream into (first line, text) chunks at document markers in column 0.
fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let is_marker = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        };
        if is_marker("---") && offset > start {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = i + 1;
        }
        offset += line.len();
        if is_marker("...") {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = i + 2;
        }
    }
    if start < text.len() {
        chunks.push((start_line, &text[start..]));
    }
    chunks
}

fn parse_chunk(
    chunk: &str,
    first_line: usize,
    schema: Schema,
) -> Result<Option<Document>, YamlError> {
    let mut builder = Builder::new(schema, first_line);
    let mut parser = Parser::new_from_str(chunk);
    if let Err(e) = feed_events(&mut parser, &mut builder) {
        let m = e.marker();
        return Err(YamlError {
            line: m.line() + first_line - 1,
            col: m.col() + 1,
            message: match e.info() {
                "recursion limit exceeded" => "collections are nested too deep".to_string(),
                info => info.to_string(),
            },
        });
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    let Some(root) = builder.root else {
        return Ok(None);
    };
    let line = if root.is_null() {
        first_line
    } else {
        root.line
    };
    let root = (!root.is_null()).then_some(root);
    Ok(Some(Document { root, line }))
}

/// Hands the parser's events to the builder one by one, up to the end of the first document
/// or the first error. yaml-rust2's own `load` recurses once per nesting level (a deeply
/// nested file overflowed the stack) and panics on some malformed streams.
fn feed_events(
    parser: &mut Parser<std::str::Chars>,
    builder: &mut Builder,
) -> Result<(), yaml_rust2::ScanError> {
    loop {
        let (ev, mark) = parser.next_token()?;
        let last = matches!(ev, Event::StreamEnd | Event::DocumentEnd);
        builder.on_event(ev, mark);
        if last || builder.error.is_some() {
            return Ok(());
        }
    }
}

enum Frame {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>),
}

struct Builder {
    schema: Schema,
    line_offset: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    nodes: usize,
    alias_nodes: usize,
    error: Option<YamlError>,
}

impl Builder {
    fn new(schema: Schema, first_line: usize) -> Self {
        Builder {
            schema,
            line_offset: first_line - 1,
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            nodes: 0,
            alias_nodes: 0,
            error: None,
        }
    }

    fn node(&self, value: Value, mark: Marker, tag: Option<String>) -> Node {
        Node {
            value,
            line: mark.line() + self.line_offset,
            col: mark.col() + 1,
            tag,
        }
    }

    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, key)) => match key.take() {
                None => {
                    // yaml-rust2 marks a block mapping at its first `:`; its first key is
                    // where a reader sees the mapping start.
                    if matches!(&map.value, Value::Map(e) if e.is_empty()) {
                        (map.line, map.col) = (node.line, node.col);
                    }
                    *key = Some(node);
                }
                Some(k) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((k, node));
                    }
                }
            },
        }
    }

    fn fail(&mut self, mark: Marker, message: &str) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                line: mark.line() + self.line_offset,
                col: mark.col() + 1,
                message: message.to_string(),
            });
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.fail(mark, "document is too large (more than a million nodes)");
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let value = resolve_scalar(text, style, tag.as_deref(), self.schema);
                let tag = tag.filter(|t| !is_core_tag(t));
                let node = self.node(value, mark, tag);
                self.push_value(node, anchor);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.fail(
                    mark,
                    &format!("collections are nested too deep (more than {MAX_DEPTH} levels)"),
                );
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let node = self.node(Value::Seq(Vec::new()), mark, tag);
                self.stack.push(Frame::Seq(node, anchor));
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let node = self.node(Value::Map(Vec::new()), mark, tag);
                self.stack.push(Frame::Map(node, anchor, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame::Seq(node, anchor) | Frame::Map(node, anchor, _)) =
                    self.stack.pop()
                {
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(target) => {
                    let size = target.count();
                    self.nodes += size;
                    self.alias_nodes += size;
                    if self.alias_nodes > MAX_ALIAS_NODES {
                        return self.fail(
                            mark,
                            &format!("aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?)"),
                        );
                    }
                    if self.nodes > MAX_NODES {
                        return self.fail(mark, "aliases expand to more than a million nodes");
                    }
                    let mut node = target.clone();
                    node.line = mark.line() + self.line_offset;
                    node.col = mark.col() + 1;
                    self.push_value(node, 0);
                }
                None => self.fail(mark, "alias to an unknown anchor"),
            },
            _ => {}
        }
    }
}

fn is_core_tag(tag: &str) -> bool {
    matches!(
        tag.strip_prefix("tag:yaml.org,2002:"),
        Some("str" | "int" | "float" | "bool" | "null" | "map" | "seq")
    )
}

fn resolve_scalar(text: String, style: TScalarStyle, tag: Option<&str>, schema: Schema) -> Value {
    match tag.and_then(|t| t.strip_prefix("tag:yaml.org,2002:")) {
        Some("str") => return Value::String(text),
        Some("null") => return Value::Null,
        Some("int" | "float" | "bool") => {
            return resolve_plain(&text, schema).unwrap_or(Value::String(text));
        }
        _ => {}
    }
    if style != TScalarStyle::Plain || tag.is_some() {
        return Value::String(text);
    }
    resolve_plain(&text, schema).unwrap_or(Value::String(text))
}

/// Plain-scalar resolution: YAML 1.2 core schema, or PyYAML's 1.1 rules.
fn resolve_plain(text: &str, schema: Schema) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Value::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    if schema == Schema::Yaml11 {
        match text {
            "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some(Value::Bool(true)),
            "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some(Value::Bool(false)),
            _ => {}
        }
    }
    resolve_number(text, schema)
}

fn resolve_number(text: &str, schema: Schema) -> Option<Value> {
    let first = text.chars().next()?;
    if !(first.is_ascii_digit() || matches!(first, '-' | '+' | '.')) {
        return None;
    }
    let cleaned;
    let text = if schema == Schema::Yaml11 && text.contains('_') {
        cleaned = text.replace('_', "");
        cleaned.as_str()
    } else {
        text
    };
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Value::Int);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .ok()
            .map(Value::Int)
            .or_else(|| text.parse().ok().map(Value::Float));
    }
    let is_float = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if is_float {
        return text.parse::<f64>().ok().map(Value::Float);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, schema: Schema) -> Node {
        parse_single(text, schema).unwrap().unwrap()
    }

    #[test]
    fn core_schema_keeps_yes_and_on_as_strings() {
        let n = one(
            "a: on\nb: yes\nc: true\nd: 12\ne: 1.5\nf: '12'\ng: ~\n",
            Schema::Core12,
        );
        assert_eq!(n.get("a").unwrap().value, Value::String("on".into()));
        assert_eq!(n.get("b").unwrap().value, Value::String("yes".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("d").unwrap().value, Value::Int(12));
        assert_eq!(n.get("e").unwrap().value, Value::Float(1.5));
        assert_eq!(n.get("f").unwrap().value, Value::String("12".into()));
        assert_eq!(n.get("g").unwrap().value, Value::Null);
    }

    #[test]
    fn yaml11_reads_yes_and_on_as_booleans() {
        let n = one("a: on\nb: no\n", Schema::Yaml11);
        assert_eq!(n.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("b").unwrap().value, Value::Bool(false));
    }

    #[test]
    fn positions_are_one_based() {
        let n = one("kind: Component\nmetadata:\n  name: x\n", Schema::Core12);
        let name = n.get("metadata").unwrap().get("name").unwrap();
        assert_eq!((name.line, name.col), (3, 9));
    }

    #[test]
    fn block_mappings_start_at_their_first_key() {
        let n = one("spec:\n  type: service\n", Schema::Core12);
        let spec = n.get("spec").unwrap();
        assert_eq!((spec.line, spec.col), (2, 3));
    }

    #[test]
    fn an_error_spoils_only_its_own_document() {
        let docs = parse_documents("a: 1\n---\nb: [\n---\nc: 3\n", Schema::Core12);
        assert_eq!(docs.len(), 3);
        assert!(docs[0].is_ok());
        let err = docs[1].as_ref().unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        let third = docs[2].as_ref().unwrap();
        assert_eq!(third.line, 5);
        assert_eq!(
            third.root.as_ref().unwrap().get("c").unwrap().value,
            Value::Int(3)
        );
    }

    #[test]
    fn empty_and_comment_only_documents_have_no_root() {
        let docs = parse_documents("---\n# just a comment\n---\na: 1\n---\n", Schema::Core12);
        let roots: Vec<bool> = docs
            .iter()
            .map(|d| d.as_ref().unwrap().root.is_some())
            .collect();
        assert_eq!(roots, [false, true, false]);
    }

    #[test]
    fn merge_keys_stay_literal_and_aliases_expand() {
        let n = one("base: &b {x: 1}\nother:\n  <<: *b\n", Schema::Core12);
        let other = n.get("other").unwrap();
        assert!(other.get("<<").is_some());
        assert_eq!(
            other.get("<<").unwrap().get("x").unwrap().value,
            Value::Int(1)
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let err = parse_single(&text, Schema::Core12).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{err:?}");
    }

    /// Regression: `[[[[…` 100,000 deep overflowed the stack of every recursive walk.
    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse_single(&deep, Schema::Core12).unwrap_err();
        assert_eq!(err.line, 1);
        let block: String = (0..2_000)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let err = parse_single(&block, Schema::Core12).unwrap_err();
        assert!(err.message.contains("nested"), "{err:?}");
        assert_eq!(err.line, MAX_DEPTH + 1);
        let ok = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_single(&ok, Schema::Core12).is_ok());
    }

    #[test]
    fn unknown_tags_are_kept_not_fatal() {
        let n = one(
            "a: !ENV [HOME, x]\nb: !!python/name:pkg.fn\n",
            Schema::Yaml11,
        );
        assert_eq!(n.get("a").unwrap().tag.as_deref(), Some("!ENV"));
        assert!(
            n.get("b")
                .unwrap()
                .tag
                .as_deref()
                .unwrap()
                .ends_with("python/name:pkg.fn")
        );
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let n = one("\u{feff}a: 1\r\nb: two\r\n", Schema::Core12);
        assert_eq!(n.get("b").unwrap().value, Value::String("two".into()));
    }
}
