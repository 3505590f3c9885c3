//! What the GraphQL and .proto parsers share: tokens with their lines and spans, and a
//! cursor over them that reads punctuation and words and says what it expected where.

use super::graphql::Doc;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A GraphQL name, or a .proto identifier, dotted or fully qualified (`.foo.Bar`).
    Word(String),
    /// A string's value, quotes removed (GraphQL block strings also dedented).
    Str(String),
    /// Numbers and any other character sequence that is not a word or punctuation.
    Other,
    Punct(char),
    /// GraphQL's `...`.
    Spread,
}

/// One token, with the 1-based line it starts on and its byte span (default values are
/// shown as written, from the span).
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    /// .proto: the comment block directly above this token.
    pub leading: Option<Doc>,
    /// .proto: a comment after this token on its line.
    pub trailing: Option<Doc>,
}

impl Token {
    pub fn new(tok: Tok, line: usize, start: usize, end: usize) -> Self {
        Token {
            tok,
            line,
            start,
            end,
            leading: None,
            trailing: None,
        }
    }
}

/// A parse error: the line and what was expected and found.
pub type Parsed<T> = Result<T, (usize, String)>;

pub struct Cursor<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub pos: usize,
    /// What running out of tokens is called in messages ("the end of the file").
    pub end_name: &'static str,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str, tokens: Vec<Token>, end_name: &'static str) -> Self {
        Cursor {
            text,
            tokens,
            pos: 0,
            end_name,
        }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    pub fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    pub fn line(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(1, |t| t.line)
    }

    pub fn error<T>(&self, expected: &str) -> Parsed<T> {
        let found = match self.tokens.get(self.pos) {
            Some(t) => format!("`{}`", &self.text[t.start..t.end]),
            None => self.end_name.to_string(),
        };
        Err((self.line(), format!("expected {expected}, found {found}")))
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    pub fn eat_punct(&mut self, c: char) -> bool {
        let found = self.is_punct(c);
        if found {
            self.pos += 1;
        }
        found
    }

    pub fn expect_punct(&mut self, c: char) -> Parsed<()> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.error(&format!("`{c}`"))
        }
    }

    pub fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w == word)
    }

    pub fn eat_word(&mut self, word: &str) -> bool {
        let found = self.is_word(word);
        if found {
            self.pos += 1;
        }
        found
    }

    /// The next token as a word (a name, an identifier), or an error naming `what`.
    pub fn word(&mut self, what: &str) -> Parsed<String> {
        match self.peek() {
            Some(Tok::Word(w)) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => self.error(what),
        }
    }
}
