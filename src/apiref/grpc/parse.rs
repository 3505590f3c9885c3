//! Protocol Buffers (.proto) text → plain definitions (services, messages, enums, options),
//! keeping the comments protoc would attach as documentation: the comment block right above a
//! declaration (a blank line detaches it) or, failing that, the one after it on its line.
//! Tolerant: a statement with a syntax error is reported and skipped, the rest is read.

use super::lex::lex;
use crate::apiref::graphql::Doc;
use crate::apiref::tokens::{Cursor, Parsed, Tok};

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

/// Parses a .proto file. Never fails: what cannot be read is in `errors`.
pub fn parse_proto(text: &str) -> Proto {
    let (tokens, errors) = lex(text);
    let mut p = Parser {
        c: Cursor::new(text, tokens, "the end of the file"),
        proto: Proto {
            errors,
            ..Proto::default()
        },
    };
    while !p.c.at_end() {
        if let Err(e) = p.top_statement() {
            p.proto.errors.push(e);
            p.skip_statement();
            // A stray `}` at the top level would stop skip_statement: step over it.
            if p.c.is_punct('}') {
                p.c.pos += 1;
            }
        }
    }
    p.proto
}

struct Parser<'a> {
    c: Cursor<'a>,
    proto: Proto,
}

impl Parser<'_> {
    /// A string literal; adjacent literals are joined, as protoc does.
    fn string(&mut self, what: &str) -> Parsed<String> {
        let mut out = None::<String>;
        while let Some(Tok::Str(s)) = self.c.peek() {
            out.get_or_insert_default().push_str(s);
            self.c.pos += 1;
        }
        match out {
            Some(s) => Ok(s),
            None => self.c.error(what),
        }
    }

    /// The documentation of the declaration starting at the current token.
    fn leading_doc(&self) -> Option<Doc> {
        self.c
            .tokens
            .get(self.c.pos)
            .and_then(|t| t.leading.clone())
    }

    /// The comment after the token just consumed (a `;`), on its line.
    fn trailing_doc(&self) -> Option<Doc> {
        self.trailing_at(self.c.pos.checked_sub(1)?)
    }

    /// The comment after token `at` (a body's `{`), on its line.
    fn trailing_at(&self, at: usize) -> Option<Doc> {
        self.c.tokens.get(at).and_then(|t| t.trailing.clone())
    }

    /// Text as written from token `from` up to (not including) the current token.
    fn raw_since(&self, from: usize) -> String {
        let (Some(a), Some(b)) = (
            self.c.tokens.get(from),
            self.c.pos.checked_sub(1).and_then(|i| self.c.tokens.get(i)),
        ) else {
            return String::new();
        };
        if b.end <= a.start {
            return String::new();
        }
        self.c.text[a.start..b.end].to_string()
    }

    /// Skips the rest of a statement: up to and including its `;` or its `{…}` block, or up
    /// to (not including) the `}` that closes the enclosing body.
    fn skip_statement(&mut self) {
        while let Some(tok) = self.c.peek() {
            match tok {
                Tok::Punct(';') => {
                    self.c.pos += 1;
                    return;
                }
                Tok::Punct('}') => return,
                Tok::Punct('{') => {
                    self.skip_block();
                    return;
                }
                _ => self.c.pos += 1,
            }
        }
    }

    /// Skips a `{…}` block starting at the current `{`.
    fn skip_block(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.c.tokens.get(self.c.pos) {
            self.c.pos += 1;
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
        self.c.expect_punct('{')?;
        loop {
            match self.c.peek() {
                None => return self.c.error("`}`"),
                Some(Tok::Punct('}')) => {
                    self.c.pos += 1;
                    return Ok(());
                }
                Some(Tok::Punct(';')) => self.c.pos += 1,
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
        if self.c.eat_punct(';') {
            return Ok(());
        }
        let doc = self.leading_doc();
        let package = self.proto.package.clone().unwrap_or_default();
        match self
            .c
            .word("a declaration (syntax, package, import, option, message, enum, service)")?
            .as_str()
        {
            "syntax" => {
                self.c.expect_punct('=')?;
                self.proto.syntax = Some(self.string("a syntax name")?);
                self.c.expect_punct(';')
            }
            "edition" => {
                self.c.expect_punct('=')?;
                self.proto.syntax = Some(format!("edition {}", self.string("an edition")?));
                self.c.expect_punct(';')
            }
            "package" => {
                self.proto.package = Some(self.c.word("a package name")?);
                self.proto.package_doc = doc;
                self.c.expect_punct(';')
            }
            "import" => {
                let line = self.c.line();
                if !self.c.eat_word("public") {
                    self.c.eat_word("weak");
                }
                let path = self.string("an import path")?;
                self.proto.imports.push((path, line));
                self.c.expect_punct(';')
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
                self.c.word("a message name")?;
                self.skip_block();
                Ok(())
            }
            _ => {
                self.c.pos -= 1;
                self.c.error(
                    "a declaration (syntax, package, import, option, message, enum, service)",
                )
            }
        }
    }

    /// After `option`: `name = value;`, returned as (name, value as written).
    fn option_body(&mut self) -> Parsed<(String, String)> {
        let start = self.c.pos;
        while !self.c.is_punct('=') {
            if self.c.peek().is_none() || self.c.is_punct(';') {
                return self.c.error("`=`");
            }
            self.c.pos += 1;
        }
        let name = self.raw_since(start);
        self.c.pos += 1;
        let value_start = self.c.pos;
        if self.c.is_punct('{') {
            self.skip_block();
        } else {
            while !self.c.is_punct(';') {
                if self.c.peek().is_none() {
                    return self.c.error("`;`");
                }
                self.c.pos += 1;
            }
        }
        let value = self.raw_since(value_start);
        self.c.eat_punct(';');
        Ok((name, value))
    }

    fn message(&mut self, doc: Option<Doc>, scope: &str) -> Parsed<Message> {
        let name = self.c.word("a message name")?;
        let mut m = Message {
            full_name: join(scope, &name),
            ..Message::default()
        };
        let open = self.c.pos;
        self.body(&mut m, Self::message_item)?;
        m.doc = doc.or_else(|| self.trailing_at(open));
        Ok(m)
    }

    fn message_item(&mut self, m: &mut Message) -> Parsed<()> {
        let doc = self.leading_doc();
        let scope = m.full_name.clone();
        if self.c.eat_word("message") {
            let nested = self.message(doc, &scope)?;
            m.messages.push(nested);
        } else if self.c.eat_word("enum") {
            let nested = self.enum_def(doc, &scope)?;
            m.enums.push(nested);
        } else if self.c.eat_word("option") {
            let (name, value) = self.option_body()?;
            m.deprecated |= name == "deprecated" && value == "true";
        } else if self.c.eat_word("reserved") {
            m.reserved.push(self.rest_of_statement()?);
        } else if self.c.is_word("extensions") || self.c.is_word("extend") {
            self.skip_statement();
        } else if self.c.eat_word("oneof") {
            let name = self.c.word("a oneof name")?;
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
        if self.c.eat_word("option") {
            self.option_body()?;
        } else {
            let doc = self.leading_doc();
            fields.push(self.field(doc)?);
        }
        Ok(())
    }

    /// The tokens up to `;`, as written (for `reserved`), consuming the `;`.
    fn rest_of_statement(&mut self) -> Parsed<String> {
        let start = self.c.pos;
        while !self.c.is_punct(';') {
            if self.c.peek().is_none() || self.c.is_punct('}') {
                return self.c.error("`;`");
            }
            self.c.pos += 1;
        }
        let raw = self.raw_since(start);
        self.c.pos += 1;
        Ok(raw)
    }

    /// `[label] type name = number [options];`, or a map field, or a proto2 group (its
    /// fields are not shown).
    fn field(&mut self, doc: Option<Doc>) -> Parsed<FieldDef> {
        let mut f = FieldDef::default();
        for label in ["repeated", "optional", "required"] {
            if self.c.eat_word(label) {
                f.label = Some(label.to_string());
                break;
            }
        }
        f.ty = self.c.word("a field type")?;
        if f.ty == "map" && self.c.eat_punct('<') {
            f.map_key = Some(self.c.word("a map key type")?);
            self.c.expect_punct(',')?;
            f.ty = self.c.word("a map value type")?;
            self.c.expect_punct('>')?;
        }
        f.name = self.c.word("a field name")?;
        self.c.expect_punct('=')?;
        f.number = self.number("a field number")?;
        if self.c.eat_punct('[') {
            let start = self.c.pos;
            while !self.c.eat_punct(']') {
                if self.c.peek().is_none() || self.c.is_punct(';') {
                    return self.c.error("`]`");
                }
                self.c.pos += 1;
            }
            self.c.pos -= 1;
            f.options = self.raw_since(start);
            self.c.pos += 1;
            f.deprecated = is_deprecated(&f.options);
        }
        if f.ty == "group" && self.c.is_punct('{') {
            self.skip_block();
        } else {
            self.c.expect_punct(';')?;
        }
        f.doc = doc.or_else(|| self.trailing_doc());
        Ok(f)
    }

    fn number(&mut self, what: &str) -> Parsed<String> {
        let Some(t) = self.c.tokens.get(self.c.pos) else {
            return self.c.error(what);
        };
        if t.tok != Tok::Other {
            return self.c.error(what);
        }
        let n = self.c.text[t.start..t.end].to_string();
        self.c.pos += 1;
        Ok(n)
    }

    fn enum_def(&mut self, doc: Option<Doc>, scope: &str) -> Parsed<EnumDef> {
        let name = self.c.word("an enum name")?;
        let mut e = EnumDef {
            full_name: join(scope, &name),
            ..EnumDef::default()
        };
        let open = self.c.pos;
        self.body(&mut e, Self::enum_item)?;
        e.doc = doc.or_else(|| self.trailing_at(open));
        Ok(e)
    }

    fn enum_item(&mut self, e: &mut EnumDef) -> Parsed<()> {
        let doc = self.leading_doc();
        if self.c.eat_word("option") {
            let (name, value) = self.option_body()?;
            e.deprecated |= name == "deprecated" && value == "true";
            return Ok(());
        }
        if self.c.eat_word("reserved") {
            e.reserved.push(self.rest_of_statement()?);
            return Ok(());
        }
        let name = self.c.word("an enum value name")?;
        self.c.expect_punct('=')?;
        let number = self.number("an enum value number")?;
        let mut deprecated = false;
        if self.c.is_punct('[') {
            let start = self.c.pos;
            while !self.c.eat_punct(']') {
                if self.c.peek().is_none() || self.c.is_punct(';') {
                    return self.c.error("`]`");
                }
                self.c.pos += 1;
            }
            deprecated = is_deprecated(&self.raw_since(start));
        }
        self.c.expect_punct(';')?;
        e.values.push(EnumValue {
            name,
            number,
            doc: doc.or_else(|| self.trailing_doc()),
            deprecated,
        });
        Ok(())
    }

    fn service(&mut self, doc: Option<Doc>) -> Parsed<()> {
        let name = self.c.word("a service name")?;
        let mut s = Service {
            name,
            ..Service::default()
        };
        let open = self.c.pos;
        self.body(&mut s, Self::service_item)?;
        s.doc = doc.or_else(|| self.trailing_at(open));
        self.proto.services.push(s);
        Ok(())
    }

    fn service_item(&mut self, s: &mut Service) -> Parsed<()> {
        let doc = self.leading_doc();
        if self.c.eat_word("option") {
            let (name, value) = self.option_body()?;
            s.deprecated |= name == "deprecated" && value == "true";
            return Ok(());
        }
        if !self.c.eat_word("rpc") {
            return self.c.error("`rpc` or `option`");
        }
        let mut rpc = Rpc {
            name: self.c.word("a method name")?,
            ..Rpc::default()
        };
        (rpc.request_stream, rpc.request) = self.rpc_type()?;
        if !self.c.eat_word("returns") {
            return self.c.error("`returns`");
        }
        (rpc.response_stream, rpc.response) = self.rpc_type()?;
        if self.c.is_punct('{') {
            self.body(&mut rpc, |p, rpc| {
                let (name, value) = if p.c.eat_word("option") {
                    p.option_body()?
                } else {
                    return p.c.error("`option`");
                };
                rpc.deprecated |= name == "deprecated" && value == "true";
                Ok(())
            })?;
        } else {
            self.c.expect_punct(';')?;
        }
        rpc.doc = doc.or_else(|| self.trailing_doc());
        s.rpcs.push(rpc);
        Ok(())
    }

    /// `( [stream] Type )`
    fn rpc_type(&mut self) -> Parsed<(bool, String)> {
        self.c.expect_punct('(')?;
        let mut ty = self.c.word("a message type")?;
        let stream = ty == "stream" && matches!(self.c.peek(), Some(Tok::Word(_)));
        if stream {
            ty = self.c.word("a message type")?;
        }
        self.c.expect_punct(')')?;
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
