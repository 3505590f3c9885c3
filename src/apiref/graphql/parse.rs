//! GraphQL SDL text → plain definitions (types, fields, directives, schema roots), by a
//! tolerant hand parser: a definition with a syntax error is reported and skipped up to the
//! next definition keyword, so one typo does not hide the whole schema. Executable documents
//! (queries written in the same file) are skipped.

use super::lex::lex;
use crate::apiref::tokens::{Cursor, Parsed, Tok};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Interface,
    Union,
    Enum,
    Input,
    Scalar,
}

impl Kind {
    /// The SDL keyword, also the badge and the word in search titles.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Object => "type",
            Kind::Interface => "interface",
            Kind::Union => "union",
            Kind::Enum => "enum",
            Kind::Input => "input",
            Kind::Scalar => "scalar",
        }
    }

    fn from_keyword(word: &str) -> Option<Kind> {
        Some(match word {
            "type" => Kind::Object,
            "interface" => Kind::Interface,
            "union" => Kind::Union,
            "enum" => Kind::Enum,
            "input" => Kind::Input,
            "scalar" => Kind::Scalar,
            _ => return None,
        })
    }
}

/// A description and the line it starts on (for diagnostics of its Markdown).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub text: String,
    pub line: usize,
}

/// A field, an argument, an input field or an enum value.
#[derive(Clone, Debug, Default)]
pub struct Field {
    pub name: String,
    /// The line of the name, where the deprecation reason's diagnostics go.
    pub line: usize,
    pub doc: Option<Doc>,
    pub args: Vec<Field>,
    /// As written, e.g. `[Film!]!`; empty for enum values.
    pub ty: String,
    /// The default value as written.
    pub default: Option<String>,
    /// `@deprecated`: Some(reason), the reason empty when none is given.
    pub deprecated: Option<String>,
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub kind: Kind,
    pub name: String,
    pub doc: Option<Doc>,
    pub interfaces: Vec<String>,
    /// Fields, input fields or enum values.
    pub fields: Vec<Field>,
    /// Union members.
    pub members: Vec<String>,
    /// Defined only by `extend`, or extended: shown with a mark.
    pub extended: bool,
}

#[derive(Clone, Debug)]
pub struct DirectiveDef {
    pub name: String,
    pub doc: Option<Doc>,
    pub args: Vec<Field>,
    pub repeatable: bool,
    pub locations: Vec<String>,
}

/// A parsed schema. Types are in definition order; an `extend` adds to the type it extends.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub doc: Option<Doc>,
    /// `query`, `mutation`, `subscription` → the root type's name, from `schema { }`.
    pub roots: Vec<(String, String)>,
    pub types: Vec<TypeDef>,
    pub directives: Vec<DirectiveDef>,
    /// Syntax errors: (line within the text, message).
    pub errors: Vec<(usize, String)>,
}

/// Parses SDL. Never fails: what cannot be read is in `errors`.
pub fn parse_schema(text: &str) -> Schema {
    let (tokens, lex_errors) = lex(text);
    let mut p = Parser {
        c: Cursor::new(text, tokens, "the end of the definition"),
        schema: Schema::default(),
    };
    p.schema.errors = lex_errors;
    while !p.c.at_end() {
        let start = p.c.pos;
        if let Err((line, message)) = p.definition() {
            p.schema.errors.push((line, message));
            p.recover(start);
        }
    }
    p.schema
}

struct Parser<'a> {
    c: Cursor<'a>,
    schema: Schema,
}

/// Words that start a top-level definition: where parsing resumes after an error.
const DEFINITION_KEYWORDS: &[&str] = &[
    "type",
    "interface",
    "union",
    "enum",
    "input",
    "scalar",
    "directive",
    "schema",
    "extend",
    "query",
    "mutation",
    "subscription",
    "fragment",
];

impl Parser<'_> {
    /// At a name that does not start a definition.
    fn at_bare_name(&self) -> bool {
        matches!(self.c.peek(), Some(Tok::Word(n)) if !DEFINITION_KEYWORDS.contains(&n.as_str()))
    }

    fn description(&mut self) -> Option<Doc> {
        let t = self.c.tokens.get(self.c.pos)?;
        let Tok::Str(s) = &t.tok else { return None };
        let doc = Doc {
            text: s.clone(),
            line: t.line,
        };
        self.c.pos += 1;
        Some(doc)
    }

    /// Skips to the next definition keyword at the top level (outside braces), past the
    /// token that failed, so that the loop always moves on.
    fn recover(&mut self, start: usize) {
        self.c.pos = self.c.pos.max(start + 1);
        let mut depth = 0usize;
        while let Some(t) = self.c.tokens.get(self.c.pos) {
            match &t.tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => depth = depth.saturating_sub(1),
                Tok::Word(n) if depth == 0 && DEFINITION_KEYWORDS.contains(&n.as_str()) => {
                    // A description just before the keyword belongs to it.
                    if self.c.pos > 0 && matches!(self.c.tokens[self.c.pos - 1].tok, Tok::Str(_)) {
                        self.c.pos -= 1;
                    }
                    return;
                }
                _ => {}
            }
            self.c.pos += 1;
        }
    }

    fn definition(&mut self) -> Parsed<()> {
        let doc = self.description();
        let extend = self.c.eat_word("extend");
        let word = self.c.word("a definition (type, input, enum, schema…)")?;
        if let Some(kind) = Kind::from_keyword(&word) {
            return self.type_definition(kind, doc, extend);
        }
        match word.as_str() {
            "schema" => self.schema_definition(doc),
            "directive" => self.directive_definition(doc),
            "query" | "mutation" | "subscription" | "fragment" => self.skip_executable(),
            _ => {
                self.c.pos -= 1;
                self.c.error("a definition (type, input, enum, schema…)")
            }
        }
    }

    /// An operation or fragment in an SDL file is not part of the schema: skipped whole.
    fn skip_executable(&mut self) -> Parsed<()> {
        while !self.c.is_punct('{') {
            if self.c.pos >= self.c.tokens.len() {
                return self.c.error("`{`");
            }
            self.c.pos += 1;
        }
        self.skip_balanced()
    }

    /// Skips a bracketed group starting at the current `{`, `(` or `[`.
    fn skip_balanced(&mut self) -> Parsed<()> {
        let mut depth = 0usize;
        while let Some(t) = self.c.tokens.get(self.c.pos) {
            self.c.pos += 1;
            match t.tok {
                Tok::Punct('{' | '(' | '[') => depth += 1,
                Tok::Punct('}' | ')' | ']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        self.c.error("a closing bracket")
    }

    fn schema_definition(&mut self, doc: Option<Doc>) -> Parsed<()> {
        self.directives()?;
        if doc.is_some() {
            self.schema.doc = doc;
        }
        if !self.c.eat_punct('{') {
            // `extend schema @directive` has no body.
            return Ok(());
        }
        while !self.c.eat_punct('}') {
            let op = self.c.word("`query`, `mutation` or `subscription`")?;
            self.c.expect_punct(':')?;
            let ty = self.c.word("a type name")?;
            self.schema.roots.retain(|(o, _)| *o != op);
            self.schema.roots.push((op, ty));
        }
        Ok(())
    }

    fn directive_definition(&mut self, doc: Option<Doc>) -> Parsed<()> {
        self.c.expect_punct('@')?;
        let name = self.c.word("a directive name")?;
        let args = self.arguments_definition()?;
        let repeatable = self.c.eat_word("repeatable");
        if !self.c.eat_word("on") {
            return self.c.error("`on`");
        }
        self.c.eat_punct('|');
        let mut locations = vec![self.c.word("a directive location")?];
        while self.c.eat_punct('|') {
            locations.push(self.c.word("a directive location")?);
        }
        self.schema.directives.push(DirectiveDef {
            name,
            doc,
            args,
            repeatable,
            locations,
        });
        Ok(())
    }

    fn type_definition(&mut self, kind: Kind, doc: Option<Doc>, extend: bool) -> Parsed<()> {
        let name = self.c.word("a type name")?;
        let mut def = TypeDef {
            kind,
            name,
            doc,
            interfaces: Vec::new(),
            fields: Vec::new(),
            members: Vec::new(),
            extended: extend,
        };
        if self.c.eat_word("implements") {
            self.c.eat_punct('&');
            def.interfaces.push(self.c.word("an interface name")?);
            // Old SDL separated interfaces by spaces (or commas, which the lexer drops).
            while self.c.eat_punct('&') || self.at_bare_name() {
                def.interfaces.push(self.c.word("an interface name")?);
            }
        }
        self.directives()?;
        match kind {
            Kind::Union => self.union_members(&mut def)?,
            Kind::Enum => self.enum_values(&mut def)?,
            Kind::Scalar => {}
            Kind::Input => def.fields = self.input_fields('{', '}')?,
            Kind::Object | Kind::Interface => def.fields = self.fields()?,
        }
        self.add_type(def);
        Ok(())
    }

    /// Adds a definition, or merges an extension (or a repeated definition) into the type
    /// of the same name, so that a type's fields are listed in one place.
    fn add_type(&mut self, def: TypeDef) {
        match self.schema.types.iter_mut().find(|t| t.name == def.name) {
            Some(known) => {
                known.extended = true;
                known.interfaces.extend(def.interfaces);
                known.fields.extend(def.fields);
                known.members.extend(def.members);
                if known.doc.is_none() {
                    known.doc = def.doc;
                }
            }
            None => self.schema.types.push(def),
        }
    }

    fn union_members(&mut self, def: &mut TypeDef) -> Parsed<()> {
        if !self.c.eat_punct('=') {
            return Ok(());
        }
        self.c.eat_punct('|');
        def.members.push(self.c.word("a union member")?);
        while self.c.eat_punct('|') {
            def.members.push(self.c.word("a union member")?);
        }
        Ok(())
    }

    fn enum_values(&mut self, def: &mut TypeDef) -> Parsed<()> {
        if !self.c.eat_punct('{') {
            return Ok(());
        }
        while !self.c.eat_punct('}') {
            let doc = self.description();
            let line = self.c.line();
            let name = self.c.word("an enum value")?;
            let deprecated = self.directives()?;
            def.fields.push(Field {
                name,
                line,
                doc,
                deprecated,
                ..Field::default()
            });
        }
        Ok(())
    }

    fn fields(&mut self) -> Parsed<Vec<Field>> {
        let mut fields = Vec::new();
        if !self.c.eat_punct('{') {
            return Ok(fields);
        }
        while !self.c.eat_punct('}') {
            let doc = self.description();
            let line = self.c.line();
            let name = self.c.word("a field name")?;
            let args = self.arguments_definition()?;
            self.c.expect_punct(':')?;
            let ty = self.type_ref()?;
            let deprecated = self.directives()?;
            fields.push(Field {
                name,
                line,
                doc,
                args,
                ty,
                default: None,
                deprecated,
            });
        }
        Ok(fields)
    }

    fn arguments_definition(&mut self) -> Parsed<Vec<Field>> {
        if self.c.is_punct('(') {
            self.input_fields('(', ')')
        } else {
            Ok(Vec::new())
        }
    }

    /// Input values between `open` and `close`: arguments or an input type's fields.
    fn input_fields(&mut self, open: char, close: char) -> Parsed<Vec<Field>> {
        let mut fields = Vec::new();
        if !self.c.eat_punct(open) {
            return Ok(fields);
        }
        while !self.c.eat_punct(close) {
            let doc = self.description();
            let line = self.c.line();
            let name = self.c.word("an argument name")?;
            self.c.expect_punct(':')?;
            let ty = self.type_ref()?;
            let default = if self.c.eat_punct('=') {
                Some(self.value()?)
            } else {
                None
            };
            let deprecated = self.directives()?;
            fields.push(Field {
                name,
                line,
                doc,
                args: Vec::new(),
                ty,
                default,
                deprecated,
            });
        }
        Ok(fields)
    }

    /// A type reference as written without spaces: `Name`, `[Name!]!`.
    fn type_ref(&mut self) -> Parsed<String> {
        let mut out = String::new();
        if self.c.eat_punct('[') {
            out.push('[');
            out.push_str(&self.type_ref()?);
            self.c.expect_punct(']')?;
            out.push(']');
        } else {
            out.push_str(&self.c.word("a type")?);
        }
        if self.c.eat_punct('!') {
            out.push('!');
        }
        Ok(out)
    }

    /// A value as written in the source (lists and objects whole).
    fn value(&mut self) -> Parsed<String> {
        let Some(first) = self.c.tokens.get(self.c.pos) else {
            return self.c.error("a value");
        };
        let start = first.start;
        match first.tok {
            Tok::Punct('[' | '{') => self.skip_balanced()?,
            Tok::Punct('$') => {
                self.c.pos += 1;
                self.c.word("a variable name")?;
            }
            Tok::Word(_) | Tok::Str(_) | Tok::Other => self.c.pos += 1,
            _ => return self.c.error("a value"),
        }
        let end = self.c.tokens[self.c.pos - 1].end;
        Ok(self.c.text[start..end].to_string())
    }

    /// Reads directives; returns the `@deprecated` reason when there is one (empty when it
    /// gives none). Other directives are not shown.
    fn directives(&mut self) -> Parsed<Option<String>> {
        let mut deprecated = None;
        while self.c.eat_punct('@') {
            let name = self.c.word("a directive name")?;
            let reason = self.directive_reason()?;
            if name == "deprecated" {
                deprecated = Some(reason.unwrap_or_default());
            }
        }
        Ok(deprecated)
    }

    /// A directive's arguments; returns the value of its `reason:` string if any.
    fn directive_reason(&mut self) -> Parsed<Option<String>> {
        let mut reason = None;
        if !self.c.eat_punct('(') {
            return Ok(None);
        }
        while !self.c.eat_punct(')') {
            let arg = self.c.word("an argument name")?;
            self.c.expect_punct(':')?;
            if let (true, Some(Tok::Str(s))) = (arg == "reason", self.c.peek()) {
                reason = Some(s.clone());
            }
            self.value()?;
        }
        Ok(reason)
    }
}
