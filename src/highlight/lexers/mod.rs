//! Fast lexers for the languages documentation shows most: a table per language (`langs`)
//! run by one small engine, instead of syntect's grammars whose regex search is most of the
//! time a code-heavy docs build takes. A lexer emits the scope operations syntect would, with
//! the scopes syntect's grammar gives the same tokens, so both markups and every theme treat
//! its output like syntect's; only the tokenising is simpler (no nested contexts beyond
//! strings, comments, heredocs and YAML block scalars). `grammar_engine()` switches them off.

mod engine;
mod langs;
mod yaml;

use std::sync::OnceLock;

use syntect::parsing::{Scope, ScopeStackOp};

pub(super) use engine::Open;

/// A language's table: how its tokens look and which scopes they get (space-separated scope
/// names, outermost first). Everything not matched is left plain.
pub(super) struct Lang {
    /// Fence names (lower case) that pick this lexer.
    pub names: &'static [&'static str],
    /// The scope the whole block is in (`source.python`).
    pub scope: &'static str,
    pub comments: &'static [Comment],
    /// Line comments start only after white space or at the start of a line (`a#b` in shell).
    pub comment_after_space: bool,
    pub quotes: &'static [Quote],
    /// Word lists and their scopes: keywords, constants, built-ins. First list wins.
    pub words: &'static [(&'static str, &'static [&'static str])],
    /// Words are matched ignoring case (SQL).
    pub fold_case: bool,
    /// Bytes allowed in identifiers besides letters, digits, `_` and non-ASCII.
    pub ident_extra: &'static [u8],
    /// A byte that makes the identifier after it one token of a scope (`$name`, `@name`),
    /// and whether the byte may stand alone before a brace (`${`).
    pub sigils: &'static [(u8, &'static str)],
    /// After one of these words, the next identifier gets the scope (`def` → function name).
    pub names_after: &'static [(&'static str, &'static str)],
    /// An identifier followed by `(`.
    pub call: Option<&'static str>,
    /// An identifier at the start of a command (shell): first word of a line or after `|`,
    /// `;`, `&&`, `||`, `(` and the words in `command_after`.
    pub command: Option<&'static str>,
    pub command_after: &'static [&'static str],
    /// An identifier starting with a capital letter (types, constants by convention).
    pub capitalised: Option<&'static str>,
    /// An identifier in capitals only, two or more letters (constants).
    pub upper_case: Option<&'static str>,
    /// Any other identifier (where the grammar calls every name a variable).
    pub plain: Option<&'static str>,
    pub number: Option<&'static str>,
    /// Operator characters and their scope.
    pub operators: Option<(&'static str, &'static str)>,
    /// A quoted string followed by `:` (JSON keys).
    pub quoted_key: Option<&'static str>,
    /// An identifier followed by `=` or `:` at the start of a line (HCL attributes, TOML keys).
    pub assigned_key: Option<(&'static [u8], &'static str)>,
    /// `[section]` lines (TOML, INI).
    pub section: Option<&'static str>,
    /// An `@name` annotation or decorator, to the end of its dotted name.
    pub annotation: Option<&'static str>,
    /// A member after `.`: called (`x.f(`) and not called (`x.y`).
    pub member_call: Option<&'static str>,
    pub member: Option<&'static str>,
    /// Heredocs (`<<EOF` … `EOF`) and their scope.
    pub heredoc: Option<&'static str>,
    /// An identifier followed by one `:` (not `::`): parameters, fields, object keys.
    pub before_colon: Option<&'static str>,
    /// Operator runs left plain (`->` where the grammar calls it punctuation).
    pub plain_operators: &'static [&'static str],
    /// When a `names_after` keyword is followed by `(` (a Go method's receiver), the
    /// name is the first identifier called before `{` or `=`.
    pub name_after_receiver: bool,
    /// A call after `::` or `.` of a capitalised name (`Foo::new(`): its scope, where the
    /// grammar gives path calls a look of their own.
    pub path_call: Option<&'static str>,
    /// Attribute openers (`#[`) and the scope of the name right after one.
    pub attribute: Option<(&'static [&'static str], &'static str)>,
    /// A capitalised identifier right after one of these bytes (`: Type`, `<Type`).
    pub type_after: Option<(&'static [u8], &'static str)>,
    /// A name declared with a parameter list: a call right after a type (`void run(`,
    /// `async load(`), or first on its line with `{` after its `)` (`run(x) {`).
    pub declaration: Option<&'static str>,
    /// A `names_after` name takes in its dotted parts (`package com.example.app`).
    pub dotted_names: bool,
    /// A `-x` or `--name` word after white space (a command's option, in shell).
    pub option: Option<&'static str>,
    /// An identifier directly followed by this byte (not doubled): a keyword argument
    /// (Python's `f(name=value)`), a symbol key (Ruby's `{name: value}`); whether the byte
    /// belongs to the token; its scope.
    pub named_arg: Option<(u8, bool, &'static str)>,
    /// After one of these words and the name it declares, the names listed first in each
    /// item of the parentheses that follow (parameters after `def`, base classes after
    /// `class`).
    pub listed_after: &'static [(&'static str, &'static str)],
    /// The unquoted value after an `assigned_key` and its `=` (shell's `PATH=/bin`).
    pub assigned_value: Option<&'static str>,
    /// A line opening with a pattern and `)` (shell's `-v|--verbose)` in a `case`): the
    /// pattern stays plain, the `)` gets the scope, and a command follows.
    pub case_pattern: Option<&'static str>,
    /// A word followed by this text names a definition (shell's `name() {`), with its scope.
    pub defined_by: Option<(&'static str, &'static str)>,
}

/// Comment syntax: to the end of the line when `close` is None.
pub(super) struct Comment {
    pub open: &'static str,
    pub close: Option<&'static str>,
    pub scope: &'static str,
    /// Documentation tags (`@param name`): the tag's scope, the scope of the name after one
    /// of the listed tags, and those tags.
    pub tags: Option<DocTags>,
}

pub(super) type DocTags = (&'static str, &'static str, &'static [&'static str]);

impl Comment {
    pub const fn tagged(mut self, tags: DocTags) -> Comment {
        self.tags = Some(tags);
        self
    }
}

/// A quoted string. Escapes (`\x`) are skipped when `escape`; an interpolation
/// (`${…}`, `#{…}`) gets `interpolation`'s scope.
pub(super) struct Quote {
    pub open: &'static str,
    pub close: &'static str,
    pub scope: &'static str,
    pub escape: bool,
    pub multiline: bool,
    pub interpolation: Option<(&'static str, &'static str)>,
    /// `$name` inside the string gets this scope (shell, Kotlin, Dart).
    pub sigil_vars: Option<&'static str>,
    /// Escapes (`\n`, `\x41`, `\u00e9`) get this scope.
    pub escape_scope: Option<&'static str>,
    /// The scope instead when the string starts a statement (Python's docstrings); as many
    /// scope names as `scope`, so either closes the same way.
    pub docstring: Option<&'static str>,
}

impl Quote {
    pub const fn new(open: &'static str, close: &'static str, scope: &'static str) -> Quote {
        Quote {
            open,
            close,
            scope,
            escape: true,
            multiline: false,
            interpolation: None,
            sigil_vars: None,
            escape_scope: None,
            docstring: None,
        }
    }

    pub const fn escapes(mut self, scope: &'static str) -> Quote {
        self.escape_scope = Some(scope);
        self
    }

    pub const fn multiline(mut self) -> Quote {
        self.multiline = true;
        self
    }

    pub const fn raw(mut self) -> Quote {
        self.escape = false;
        self
    }

    pub const fn interpolating(mut self, open: &'static str, scope: &'static str) -> Quote {
        self.interpolation = Some((open, scope));
        self
    }

    pub const fn with_vars(mut self, scope: &'static str) -> Quote {
        self.sigil_vars = Some(scope);
        self
    }

    pub const fn docstring(mut self, scope: &'static str) -> Quote {
        self.docstring = Some(scope);
        self
    }
}

/// A language table with its scope names parsed and its words in a map.
pub(super) struct Lexer {
    pub lang: &'static Lang,
    pub base: Scope,
    words: foldhash::HashMap<&'static str, Scopes>,
    /// Words whose scope is a type's (`void`, `int`): a declaration's name may follow.
    types: foldhash::HashSet<&'static str>,
    scopes: foldhash::HashMap<&'static str, Scopes>,
    /// YAML has a lexer of its own (block scalars, keys by indentation); decided once, not
    /// per line.
    yaml: bool,
    /// By byte: whether a comment or a quote of the table opens with it. Most tokens start
    /// with a byte that opens neither, and skip comparing every opener at every token.
    pub opens: [bool; 256],
    /// By byte: whether it may be in an identifier (letters, digits, `_`, non-ASCII and the
    /// table's `ident_extra`): the identifier loop's one lookup.
    pub ident: [bool; 256],
}

pub(super) type Scopes = Vec<Scope>;

fn parse_scopes(names: &str) -> Scopes {
    (names.split_whitespace())
        .filter_map(|n| Scope::new(n).ok())
        .collect()
}

/// The first bytes of a table's comment and quote openers.
fn openers(lang: &Lang) -> [bool; 256] {
    let mut opens = [false; 256];
    let comments = lang.comments.iter().map(|c| c.open);
    for open in comments.chain(lang.quotes.iter().map(|q| q.open)) {
        if let Some(&first) = open.as_bytes().first() {
            opens[usize::from(first)] = true;
        }
    }
    opens
}

fn identifier_bytes(lang: &Lang) -> [bool; 256] {
    let mut ident = [false; 256];
    for b in 0..=255u8 {
        ident[usize::from(b)] =
            b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 || lang.ident_extra.contains(&b);
    }
    ident
}

impl Lexer {
    fn new(lang: &'static Lang) -> Lexer {
        let mut words = foldhash::HashMap::default();
        let mut types = foldhash::HashSet::default();
        for (scope, list) in lang.words {
            for w in *list {
                words.entry(*w).or_insert_with(|| parse_scopes(scope));
            }
            if ["storage.type", "support.type", "storage.modifier"]
                .iter()
                .any(|t| scope.starts_with(t))
            {
                types.extend(list.iter().copied());
            }
        }
        Lexer {
            lang,
            base: Scope::new(lang.scope).unwrap_or_default(),
            words,
            types,
            scopes: foldhash::HashMap::default(),
            yaml: lang.scope == "source.yaml",
            opens: openers(lang),
            ident: identifier_bytes(lang),
        }
        .with_scopes()
    }

    /// Every other scope name of the table, parsed once.
    fn with_scopes(mut self) -> Lexer {
        let l = self.lang;
        let mut names: Vec<&'static str> = Vec::new();
        names.extend(l.comments.iter().map(|c| c.scope));
        names.extend(
            l.comments
                .iter()
                .filter_map(|c| c.tags)
                .flat_map(|t| [t.0, t.1]),
        );
        for q in l.quotes {
            names.push(q.scope);
            names.extend(q.interpolation.map(|i| i.1));
            names.extend(q.sigil_vars);
            names.extend(q.escape_scope);
            names.extend(q.docstring);
        }
        names.extend(l.sigils.iter().map(|s| s.1));
        names.extend(l.operators.map(|o| o.1));
        names.extend(l.assigned_key.map(|k| k.1));
        names.extend(l.names_after.iter().map(|n| n.1));
        names.extend(l.defined_by.map(|d| d.1));
        names.extend(l.listed_after.iter().map(|n| n.1));
        names.extend(l.named_arg.map(|n| n.2));
        names.extend(l.assigned_value);
        for s in [
            l.call,
            l.command,
            l.capitalised,
            l.upper_case,
            l.plain,
            l.number,
            l.quoted_key,
            l.section,
            l.annotation,
            l.member_call,
            l.member,
            l.heredoc,
            l.before_colon,
            l.path_call,
            l.attribute.map(|a| a.1),
            l.type_after.map(|t| t.1),
            l.declaration,
            l.option,
            l.case_pattern,
        ] {
            names.extend(s);
        }
        names.extend(yaml::SCOPES);
        for n in names {
            self.scopes.entry(n).or_insert_with(|| parse_scopes(n));
        }
        self
    }

    /// The parsed scopes of a name from the table.
    pub fn scopes(&self, name: &str) -> &[Scope] {
        self.scopes.get(name).map_or(&[], Vec::as_slice)
    }

    /// The scopes of a word from the word lists.
    pub fn word(&self, word: &str) -> Option<&[Scope]> {
        if self.lang.fold_case && word.bytes().any(|b| b.is_ascii_uppercase()) {
            return (self.words.get(word.to_ascii_lowercase().as_str())).map(Vec::as_slice);
        }
        self.words.get(word).map(Vec::as_slice)
    }

    /// The operations for one line (without its newline), from and to the state `open`.
    pub fn line(&self, line: &str, open: &mut Open, ops: &mut Vec<(usize, ScopeStackOp)>) {
        if self.yaml {
            yaml::line(self, line, open, ops);
        } else {
            engine::line(self, line, open, ops);
        }
    }
}

fn lexers() -> &'static [Lexer] {
    static LEXERS: OnceLock<Vec<Lexer>> = OnceLock::new();
    LEXERS.get_or_init(|| langs::LANGS.iter().map(Lexer::new).collect())
}

/// The lexer for a fence language, if one is written for it.
pub(super) fn find(lang: &str) -> Option<&'static Lexer> {
    let lang = lang.trim();
    let lower;
    let lang = if lang.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = lang.to_ascii_lowercase();
        lower.as_str()
    } else {
        lang
    };
    lexers().iter().find(|l| l.lang.names.contains(&lang))
}

/// Whether the grammar engine (syntect for every language) was asked for:
/// `STAGEDOOR_HIGHLIGHT=grammars`, read once.
pub(super) fn grammar_engine() -> bool {
    static GRAMMARS: OnceLock<bool> = OnceLock::new();
    *GRAMMARS
        .get_or_init(|| std::env::var("STAGEDOOR_HIGHLIGHT").is_ok_and(|v| v.trim() == "grammars"))
}

#[cfg(test)]
mod tests;
