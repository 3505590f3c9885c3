//! Protocol Buffers (.proto) text → plain definitions (services, messages, enums, options),
//! keeping the comments protoc would attach as documentation: the comment block right above a
//! declaration (a blank line detaches it) or, failing that, the one after it on its line.
//! Tolerant: a statement with a syntax error is reported and skipped, the rest is read.

use super::lex::{Tok, Token, lex};
use crate::apiref::graphql::Doc;

#[derive(Clone, Debug, Default)]
pub struct Proto {
    /// `proto3`, `proto2` or `edition 2023`.
    pub syntax: Option<String>,
    pub package: Option<String>,
    pub package_doc: Option<Doc>,
    /// (path, line)
    pub imports: Vec<(String, usize)>,
    /// File options: (name, value as written).
    pub options: Vec<(String, String)>,
    pub services: Vec<Service>,
    pub messages: Vec<Message>,
    pub enums: Vec<EnumDef>,
    /// Syntax errors: (line within the text, message).
    pub errors: Vec<(usize, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct Service {
    pub name: String,
    pub doc: Option<Doc>,
    pub rpcs: Vec<Rpc>,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Rpc {
    pub name: String,
    pub doc: Option<Doc>,
    pub request: String,
    pub request_stream: bool,
    pub response: String,
    pub response_stream: bool,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Message {
    /// Package and enclosing messages included, without a leading dot: `routeguide.Point`.
    pub full_name: String,
    pub doc: Option<Doc>,
    pub fields: Vec<FieldDef>,
    pub messages: Vec<Message>,
    pub enums: Vec<EnumDef>,
    /// Reserved numbers and names, as written.
    pub reserved: Vec<String>,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default)]
pub struct FieldDef {
    pub name: String,
    pub doc: Option<Doc>,
    /// `repeated`, `optional`, `required`, or none.
    pub label: Option<String>,
    /// The value type as written; for a map, its value type.
    pub ty: String,
    /// A map's key type.
    pub map_key: Option<String>,
    pub number: String,
    /// The oneof the field belongs to.
    pub oneof: Option<String>,
    /// Field options as written, brackets excluded.
    pub options: String,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default)]
pub struct EnumDef {
    pub full_name: String,
    pub doc: Option<Doc>,
    pub values: Vec<EnumValue>,
    pub reserved: Vec<String>,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default)]
pub struct EnumValue {
    pub name: String,
    pub number: String,
    pub doc: Option<Doc>,
    pub deprecated: bool,
}

type Parsed<T> = Result<T, (usize, String)>;

/// Parses a .proto file. Never fails: what cannot be read is in `errors`.
pub fn parse_proto(text: &str) -> Proto {
    let (tokens, errors) = lex(text);
    let mut p = Parser {
        text,
        tokens,
        pos: 0,
        proto: Proto {
            errors,
            ..Proto::default()
        },
    };
    while p.pos < p.tokens.len() {
        if let Err(e) = p.top_statement() {
            p.proto.errors.push(e);
            p.skip_statement();
            // A stray `}` at the top level would stop skip_statement: step over it.
            if p.is_punct('}') {
                p.pos += 1;
            }
        }
    }
    p.proto
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    proto: Proto,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn line(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(1, |t| t.line)
    }

    fn error<T>(&self, expected: &str) -> Parsed<T> {
        let found = match self.tokens.get(self.pos) {
            Some(t) => format!("`{}`", &self.text[t.start..t.end]),
            None => "the end of the file".to_string(),
        };
        Err((self.line(), format!("expected {expected}, found {found}")))
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let found = self.is_punct(c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect_punct(&mut self, c: char) -> Parsed<()> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.error(&format!("`{c}`"))
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(n)) if n == word)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.is_word(word);
        if found {
            self.pos += 1;
        }
        found
    }

    fn ident(&mut self, what: &str) -> Parsed<String> {
        match self.peek() {
            Some(Tok::Ident(n)) => {
                let n = n.clone();
                self.pos += 1;
                Ok(n)
            }
            _ => self.error(what),
        }
    }

    /// A string literal; adjacent literals are joined, as protoc does.
    fn string(&mut self, what: &str) -> Parsed<String> {
        let mut out = None::<String>;
        while let Some(Tok::Str(s)) = self.peek() {
            out.get_or_insert_default().push_str(s);
            self.pos += 1;
        }
        match out {
            Some(s) => Ok(s),
            None => self.error(what),
        }
    }

    /// The documentation of the declaration starting at the current token.
    fn leading_doc(&self) -> Option<Doc> {
        self.tokens.get(self.pos).and_then(|t| t.leading.clone())
    }

    /// The comment after the token just consumed (a `;`), on its line.
    fn trailing_doc(&self) -> Option<Doc> {
        self.trailing_at(self.pos.checked_sub(1)?)
    }

    /// The comment after token `at` (a body's `{`), on its line.
    fn trailing_at(&self, at: usize) -> Option<Doc> {
        self.tokens.get(at).and_then(|t| t.trailing.clone())
    }

    /// Text as written from token `from` up to (not including) the current token.
    fn raw_since(&self, from: usize) -> String {
        let (Some(a), Some(b)) = (
            self.tokens.get(from),
            self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)),
        ) else {
            return String::new();
        };
        if b.end <= a.start {
            return String::new();
        }
        self.text[a.start..b.end].to_string()
    }

    /// Skips the rest of a statement: up to and including its `;` or its `{…}` block, or up
    /// to (not including) the `}` that closes the enclosing body.
    fn skip_statement(&mut self) {
        while let Some(tok) = self.peek() {
            match tok {
                Tok::Punct(';') => {
                    self.pos += 1;
                    return;
                }
                Tok::Punct('}') => return,
                Tok::Punct('{') => {
                    self.skip_block();
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Skips a `{…}` block starting at the current `{`.
    fn skip_block(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.tokens.get(self.pos) {
            self.pos += 1;
            match t.tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the statements of a `{…}` body with `item`, each error reported and its
    /// statement skipped, up to the closing `}`.
    fn body<T>(&mut self, target: &mut T, item: fn(&mut Self, &mut T) -> Parsed<()>) -> Parsed<()> {
        self.expect_punct('{')?;
        loop {
            match self.peek() {
                None => return self.error("`}`"),
                Some(Tok::Punct('}')) => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(Tok::Punct(';')) => self.pos += 1,
                Some(_) => {
                    if let Err(e) = item(self, target) {
                        self.proto.errors.push(e);
                        self.skip_statement();
                    }
                }
            }
        }
    }

    fn top_statement(&mut self) -> Parsed<()> {
        if self.eat_punct(';') {
            return Ok(());
        }
        let doc = self.leading_doc();
        let package = self.proto.package.clone().unwrap_or_default();
        match self
            .ident("a declaration (syntax, package, import, option, message, enum, service)")?
            .as_str()
        {
            "syntax" => {
                self.expect_punct('=')?;
                self.proto.syntax = Some(self.string("a syntax name")?);
                self.expect_punct(';')
            }
            "edition" => {
                self.expect_punct('=')?;
                self.proto.syntax = Some(format!("edition {}", self.string("an edition")?));
                self.expect_punct(';')
            }
            "package" => {
                self.proto.package = Some(self.ident("a package name")?);
                self.proto.package_doc = doc;
                self.expect_punct(';')
            }
            "import" => {
                let line = self.line();
                if !self.eat_word("public") {
                    self.eat_word("weak");
                }
                let path = self.string("an import path")?;
                self.proto.imports.push((path, line));
                self.expect_punct(';')
            }
            "option" => {
                let option = self.option_body()?;
                self.proto.options.push(option);
                Ok(())
            }
            "message" => {
                let m = self.message(doc, &package)?;
                self.proto.messages.push(m);
                Ok(())
            }
            "enum" => {
                let e = self.enum_def(doc, &package)?;
                self.proto.enums.push(e);
                Ok(())
            }
            "service" => self.service(doc),
            "extend" => {
                // Extensions add fields to other messages; they are not shown.
                self.ident("a message name")?;
                self.skip_block();
                Ok(())
            }
            _ => {
                self.pos -= 1;
                self.error(
                    "a declaration (syntax, package, import, option, message, enum, service)",
                )
            }
        }
    }

    /// After `option`: `name = value;`, returned as (name, value as written).
    fn option_body(&mut self) -> Parsed<(String, String)> {
        let start = self.pos;
        while !self.is_punct('=') {
            if self.peek().is_none() || self.is_punct(';') {
                return self.error("`=`");
            }
            self.pos += 1;
        }
        let name = self.raw_since(start);
        self.pos += 1;
        let value_start = self.pos;
        if self.is_punct('{') {
            self.skip_block();
        } else {
            while !self.is_punct(';') {
                if self.peek().is_none() {
                    return self.error("`;`");
                }
                self.pos += 1;
            }
        }
        let value = self.raw_since(value_start);
        self.eat_punct(';');
        Ok((name, value))
    }

    fn message(&mut self, doc: Option<Doc>, scope: &str) -> Parsed<Message> {
        let name = self.ident("a message name")?;
        let mut m = Message {
            full_name: join(scope, &name),
            ..Message::default()
        };
        let open = self.pos;
        self.body(&mut m, Self::message_item)?;
        m.doc = doc.or_else(|| self.trailing_at(open));
        Ok(m)
    }

    fn message_item(&mut self, m: &mut Message) -> Parsed<()> {
        let doc = self.leading_doc();
        let scope = m.full_name.clone();
        if self.eat_word("message") {
            let nested = self.message(doc, &scope)?;
            m.messages.push(nested);
        } else if self.eat_word("enum") {
            let nested = self.enum_def(doc, &scope)?;
            m.enums.push(nested);
        } else if self.eat_word("option") {
            let (name, value) = self.option_body()?;
            m.deprecated |= name == "deprecated" && value == "true";
        } else if self.eat_word("reserved") {
            m.reserved.push(self.rest_of_statement()?);
        } else if self.is_word("extensions") || self.is_word("extend") {
            self.skip_statement();
        } else if self.eat_word("oneof") {
            let name = self.ident("a oneof name")?;
            let mut fields = Vec::new();
            self.body(&mut fields, Self::oneof_item)?;
            for mut f in fields {
                f.oneof = Some(name.clone());
                m.fields.push(f);
            }
        } else {
            let field = self.field(doc)?;
            m.fields.push(field);
        }
        Ok(())
    }

    fn oneof_item(&mut self, fields: &mut Vec<FieldDef>) -> Parsed<()> {
        if self.eat_word("option") {
            self.option_body()?;
        } else {
            let doc = self.leading_doc();
            fields.push(self.field(doc)?);
        }
        Ok(())
    }

    /// The tokens up to `;`, as written (for `reserved`), consuming the `;`.
    fn rest_of_statement(&mut self) -> Parsed<String> {
        let start = self.pos;
        while !self.is_punct(';') {
            if self.peek().is_none() || self.is_punct('}') {
                return self.error("`;`");
            }
            self.pos += 1;
        }
        let raw = self.raw_since(start);
        self.pos += 1;
        Ok(raw)
    }

    /// `[label] type name = number [options];`, or a map field, or a proto2 group (its
    /// fields are not shown).
    fn field(&mut self, doc: Option<Doc>) -> Parsed<FieldDef> {
        let mut f = FieldDef::default();
        for label in ["repeated", "optional", "required"] {
            if self.eat_word(label) {
                f.label = Some(label.to_string());
                break;
            }
        }
        f.ty = self.ident("a field type")?;
        if f.ty == "map" && self.eat_punct('<') {
            f.map_key = Some(self.ident("a map key type")?);
            self.expect_punct(',')?;
            f.ty = self.ident("a map value type")?;
            self.expect_punct('>')?;
        }
        f.name = self.ident("a field name")?;
        self.expect_punct('=')?;
        f.number = self.number("a field number")?;
        if self.eat_punct('[') {
            let start = self.pos;
            while !self.eat_punct(']') {
                if self.peek().is_none() || self.is_punct(';') {
                    return self.error("`]`");
                }
                self.pos += 1;
            }
            self.pos -= 1;
            f.options = self.raw_since(start);
            self.pos += 1;
            f.deprecated = is_deprecated(&f.options);
        }
        if f.ty == "group" && self.is_punct('{') {
            self.skip_block();
        } else {
            self.expect_punct(';')?;
        }
        f.doc = doc.or_else(|| self.trailing_doc());
        Ok(f)
    }

    fn number(&mut self, what: &str) -> Parsed<String> {
        let Some(t) = self.tokens.get(self.pos) else {
            return self.error(what);
        };
        if t.tok != Tok::Other {
            return self.error(what);
        }
        let n = self.text[t.start..t.end].to_string();
        self.pos += 1;
        Ok(n)
    }

    fn enum_def(&mut self, doc: Option<Doc>, scope: &str) -> Parsed<EnumDef> {
        let name = self.ident("an enum name")?;
        let mut e = EnumDef {
            full_name: join(scope, &name),
            ..EnumDef::default()
        };
        let open = self.pos;
        self.body(&mut e, Self::enum_item)?;
        e.doc = doc.or_else(|| self.trailing_at(open));
        Ok(e)
    }

    fn enum_item(&mut self, e: &mut EnumDef) -> Parsed<()> {
        let doc = self.leading_doc();
        if self.eat_word("option") {
            let (name, value) = self.option_body()?;
            e.deprecated |= name == "deprecated" && value == "true";
            return Ok(());
        }
        if self.eat_word("reserved") {
            e.reserved.push(self.rest_of_statement()?);
            return Ok(());
        }
        let name = self.ident("an enum value name")?;
        self.expect_punct('=')?;
        let number = self.number("an enum value number")?;
        let mut deprecated = false;
        if self.is_punct('[') {
            let start = self.pos;
            while !self.eat_punct(']') {
                if self.peek().is_none() || self.is_punct(';') {
                    return self.error("`]`");
                }
                self.pos += 1;
            }
            deprecated = is_deprecated(&self.raw_since(start));
        }
        self.expect_punct(';')?;
        e.values.push(EnumValue {
            name,
            number,
            doc: doc.or_else(|| self.trailing_doc()),
            deprecated,
        });
        Ok(())
    }

    fn service(&mut self, doc: Option<Doc>) -> Parsed<()> {
        let name = self.ident("a service name")?;
        let mut s = Service {
            name,
            ..Service::default()
        };
        let open = self.pos;
        self.body(&mut s, Self::service_item)?;
        s.doc = doc.or_else(|| self.trailing_at(open));
        self.proto.services.push(s);
        Ok(())
    }

    fn service_item(&mut self, s: &mut Service) -> Parsed<()> {
        let doc = self.leading_doc();
        if self.eat_word("option") {
            let (name, value) = self.option_body()?;
            s.deprecated |= name == "deprecated" && value == "true";
            return Ok(());
        }
        if !self.eat_word("rpc") {
            return self.error("`rpc` or `option`");
        }
        let mut rpc = Rpc {
            name: self.ident("a method name")?,
            ..Rpc::default()
        };
        (rpc.request_stream, rpc.request) = self.rpc_type()?;
        if !self.eat_word("returns") {
            return self.error("`returns`");
        }
        (rpc.response_stream, rpc.response) = self.rpc_type()?;
        if self.is_punct('{') {
            self.body(&mut rpc, |p, rpc| {
                let (name, value) = if p.eat_word("option") {
                    p.option_body()?
                } else {
                    return p.error("`option`");
                };
                rpc.deprecated |= name == "deprecated" && value == "true";
                Ok(())
            })?;
        } else {
            self.expect_punct(';')?;
        }
        rpc.doc = doc.or_else(|| self.trailing_doc());
        s.rpcs.push(rpc);
        Ok(())
    }

    /// `( [stream] Type )`
    fn rpc_type(&mut self) -> Parsed<(bool, String)> {
        self.expect_punct('(')?;
        let mut ty = self.ident("a message type")?;
        let stream = ty == "stream" && matches!(self.peek(), Some(Tok::Ident(_)));
        if stream {
            ty = self.ident("a message type")?;
        }
        self.expect_punct(')')?;
        Ok((stream, ty))
    }
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// Field or value options (`deprecated = true, json_name = "x"`) say deprecated.
fn is_deprecated(options: &str) -> bool {
    options.split(',').any(|o| {
        let o: String = o.chars().filter(|c| !c.is_whitespace()).collect();
        o.trim_matches(['[', ']']) == "deprecated=true"
    })
}
