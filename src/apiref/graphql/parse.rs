//! GraphQL SDL text → plain definitions (types, fields, directives, schema roots), by a
//! tolerant hand parser: a definition with a syntax error is reported and skipped up to the
//! next definition keyword, so one typo does not hide the whole schema. Executable documents
//! (queries written in the same file) are skipped.

use super::lex::{Tok, Token, lex};

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
        text,
        tokens,
        pos: 0,
        schema: Schema::default(),
    };
    p.schema.errors = lex_errors;
    while p.pos < p.tokens.len() {
        let start = p.pos;
        if let Err((line, message)) = p.definition() {
            p.schema.errors.push((line, message));
            p.recover(start);
        }
    }
    p.schema
}

type Parsed<T> = Result<T, (usize, String)>;

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
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
            None => "the end of the definition".to_string(),
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
        matches!(self.peek(), Some(Tok::Name(n)) if n == word)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.is_word(word);
        if found {
            self.pos += 1;
        }
        found
    }

    /// At a name that does not start a definition.
    fn at_bare_name(&self) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if !DEFINITION_KEYWORDS.contains(&n.as_str()))
    }

    fn name(&mut self, what: &str) -> Parsed<String> {
        match self.peek() {
            Some(Tok::Name(n)) => {
                let n = n.clone();
                self.pos += 1;
                Ok(n)
            }
            _ => self.error(what),
        }
    }

    fn description(&mut self) -> Option<Doc> {
        let t = self.tokens.get(self.pos)?;
        let Tok::Str(s) = &t.tok else { return None };
        let doc = Doc {
            text: s.clone(),
            line: t.line,
        };
        self.pos += 1;
        Some(doc)
    }

    /// Skips to the next definition keyword at the top level (outside braces), past the
    /// token that failed, so that the loop always moves on.
    fn recover(&mut self, start: usize) {
        self.pos = self.pos.max(start + 1);
        let mut depth = 0usize;
        while let Some(t) = self.tokens.get(self.pos) {
            match &t.tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => depth = depth.saturating_sub(1),
                Tok::Name(n) if depth == 0 && DEFINITION_KEYWORDS.contains(&n.as_str()) => {
                    // A description just before the keyword belongs to it.
                    if self.pos > 0 && matches!(self.tokens[self.pos - 1].tok, Tok::Str(_)) {
                        self.pos -= 1;
                    }
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn definition(&mut self) -> Parsed<()> {
        let doc = self.description();
        let extend = self.eat_word("extend");
        let word = self.name("a definition (type, input, enum, schema…)")?;
        if let Some(kind) = Kind::from_keyword(&word) {
            return self.type_definition(kind, doc, extend);
        }
        match word.as_str() {
            "schema" => self.schema_definition(doc),
            "directive" => self.directive_definition(doc),
            "query" | "mutation" | "subscription" | "fragment" => self.skip_executable(),
            _ => {
                self.pos -= 1;
                self.error("a definition (type, input, enum, schema…)")
            }
        }
    }

    /// An operation or fragment in an SDL file is not part of the schema: skipped whole.
    fn skip_executable(&mut self) -> Parsed<()> {
        while !self.is_punct('{') {
            if self.pos >= self.tokens.len() {
                return self.error("`{`");
            }
            self.pos += 1;
        }
        self.skip_balanced()
    }

    /// Skips a bracketed group starting at the current `{`, `(` or `[`.
    fn skip_balanced(&mut self) -> Parsed<()> {
        let mut depth = 0usize;
        while let Some(t) = self.tokens.get(self.pos) {
            self.pos += 1;
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
        self.error("a closing bracket")
    }

    fn schema_definition(&mut self, doc: Option<Doc>) -> Parsed<()> {
        self.directives()?;
        if doc.is_some() {
            self.schema.doc = doc;
        }
        if !self.eat_punct('{') {
            // `extend schema @directive` has no body.
            return Ok(());
        }
        while !self.eat_punct('}') {
            let op = self.name("`query`, `mutation` or `subscription`")?;
            self.expect_punct(':')?;
            let ty = self.name("a type name")?;
            self.schema.roots.retain(|(o, _)| *o != op);
            self.schema.roots.push((op, ty));
        }
        Ok(())
    }

    fn directive_definition(&mut self, doc: Option<Doc>) -> Parsed<()> {
        self.expect_punct('@')?;
        let name = self.name("a directive name")?;
        let args = self.arguments_definition()?;
        let repeatable = self.eat_word("repeatable");
        if !self.eat_word("on") {
            return self.error("`on`");
        }
        self.eat_punct('|');
        let mut locations = vec![self.name("a directive location")?];
        while self.eat_punct('|') {
            locations.push(self.name("a directive location")?);
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
        let name = self.name("a type name")?;
        let mut def = TypeDef {
            kind,
            name,
            doc,
            interfaces: Vec::new(),
            fields: Vec::new(),
            members: Vec::new(),
            extended: extend,
        };
        if self.eat_word("implements") {
            self.eat_punct('&');
            def.interfaces.push(self.name("an interface name")?);
            // Old SDL separated interfaces by spaces (or commas, which the lexer drops).
            while self.eat_punct('&') || self.at_bare_name() {
                def.interfaces.push(self.name("an interface name")?);
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
        if !self.eat_punct('=') {
            return Ok(());
        }
        self.eat_punct('|');
        def.members.push(self.name("a union member")?);
        while self.eat_punct('|') {
            def.members.push(self.name("a union member")?);
        }
        Ok(())
    }

    fn enum_values(&mut self, def: &mut TypeDef) -> Parsed<()> {
        if !self.eat_punct('{') {
            return Ok(());
        }
        while !self.eat_punct('}') {
            let doc = self.description();
            let line = self.line();
            let name = self.name("an enum value")?;
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
        if !self.eat_punct('{') {
            return Ok(fields);
        }
        while !self.eat_punct('}') {
            let doc = self.description();
            let line = self.line();
            let name = self.name("a field name")?;
            let args = self.arguments_definition()?;
            self.expect_punct(':')?;
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
        if self.is_punct('(') {
            self.input_fields('(', ')')
        } else {
            Ok(Vec::new())
        }
    }

    /// Input values between `open` and `close`: arguments or an input type's fields.
    fn input_fields(&mut self, open: char, close: char) -> Parsed<Vec<Field>> {
        let mut fields = Vec::new();
        if !self.eat_punct(open) {
            return Ok(fields);
        }
        while !self.eat_punct(close) {
            let doc = self.description();
            let line = self.line();
            let name = self.name("an argument name")?;
            self.expect_punct(':')?;
            let ty = self.type_ref()?;
            let default = if self.eat_punct('=') {
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
        if self.eat_punct('[') {
            out.push('[');
            out.push_str(&self.type_ref()?);
            self.expect_punct(']')?;
            out.push(']');
        } else {
            out.push_str(&self.name("a type")?);
        }
        if self.eat_punct('!') {
            out.push('!');
        }
        Ok(out)
    }

    /// A value as written in the source (lists and objects whole).
    fn value(&mut self) -> Parsed<String> {
        let Some(first) = self.tokens.get(self.pos) else {
            return self.error("a value");
        };
        let start = first.start;
        match first.tok {
            Tok::Punct('[' | '{') => self.skip_balanced()?,
            Tok::Punct('$') => {
                self.pos += 1;
                self.name("a variable name")?;
            }
            Tok::Name(_) | Tok::Str(_) | Tok::Other => self.pos += 1,
            _ => return self.error("a value"),
        }
        let end = self.tokens[self.pos - 1].end;
        Ok(self.text[start..end].to_string())
    }

    /// Reads directives; returns the `@deprecated` reason when there is one (empty when it
    /// gives none). Other directives are not shown.
    fn directives(&mut self) -> Parsed<Option<String>> {
        let mut deprecated = None;
        while self.eat_punct('@') {
            let name = self.name("a directive name")?;
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
        if !self.eat_punct('(') {
            return Ok(None);
        }
        while !self.eat_punct(')') {
            let arg = self.name("an argument name")?;
            self.expect_punct(':')?;
            if let (true, Some(Tok::Str(s))) = (arg == "reason", self.peek()) {
                reason = Some(s.clone());
            }
            self.value()?;
        }
        Ok(reason)
    }
}
