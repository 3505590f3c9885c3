//! .proto text → tokens with their lines and spans, each carrying the comment that
//! documents it (protoc's leading and trailing comments).

use crate::apiref::graphql::Doc;
use crate::apiref::tokens::{Tok, Token};

/// Splits .proto text into tokens, attaching comments to the tokens they document; an
/// unclosed comment or string is an error (line, message).
pub(super) fn lex(text: &str) -> (Vec<Token>, Vec<(usize, String)>) {
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::new();
    let mut errors = Vec::new();
    let mut comments = Comments::default();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        let start = i;
        let start_line = line;
        let tok = match bytes[i] {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                comments.add(&mut tokens, &text[i + 2..end], start_line, start_line);
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(text.len(), |n| i + 2 + n);
                if end == text.len() {
                    errors.push((start_line, "a /* comment is never closed".to_string()));
                }
                let body = &text[i + 2..end];
                line += body.matches('\n').count();
                comments.add(&mut tokens, &block_comment(body), start_line, line);
                i = (end + 2).min(text.len());
                continue;
            }
            b'"' | b'\'' => {
                let (value, end, closed) = lex_string(text, i);
                if !closed {
                    errors.push((start_line, "a string is never closed".to_string()));
                }
                line += text[i..end].matches('\n').count();
                i = end;
                Tok::Str(value)
            }
            c if c.is_ascii_alphabetic()
                || c == b'_'
                || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)) =>
            {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.'))
                {
                    i += 1;
                }
                Tok::Word(text[start..i].to_string())
            }
            b'-' | b'+' | b'0'..=b'9' | b'.' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                Tok::Other
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                i += ch.len_utf8();
                Tok::Punct(ch)
            }
        };
        tokens.push(Token {
            tok,
            line: start_line,
            start,
            end: i,
            leading: comments.take_leading(start_line),
            trailing: None,
        });
    }
    (tokens, errors)
}

/// The comment block being gathered above the next token.
#[derive(Default)]
struct Comments {
    lines: Vec<String>,
    first_line: usize,
    last_line: usize,
}

impl Comments {
    /// Adds a comment spanning `first..=last`: a trailing comment of the token before it
    /// when on that token's line, else part of the block above the next token.
    fn add(&mut self, tokens: &mut [Token], body: &str, first: usize, last: usize) {
        if self.lines.is_empty()
            && let Some(prev) = tokens.last_mut()
            && prev.line == first
            && prev.trailing.is_none()
        {
            prev.trailing = Some(Doc {
                text: clean_comment(body),
                line: first,
            });
            return;
        }
        // A blank line between two comments starts a new block.
        if self.lines.is_empty() || first > self.last_line + 1 {
            self.lines.clear();
            self.first_line = first;
        }
        self.lines.push(
            body.strip_prefix(' ')
                .unwrap_or(body)
                .trim_end()
                .to_string(),
        );
        self.last_line = last;
    }

    /// The block if it ends on the line right above `line` (a blank line detaches it).
    fn take_leading(&mut self, line: usize) -> Option<Doc> {
        if self.lines.is_empty() {
            return None;
        }
        let lines = std::mem::take(&mut self.lines);
        (self.last_line + 1 >= line)
            .then(|| Doc {
                text: lines.join("\n").trim().to_string(),
                line: self.first_line,
            })
            .filter(|d| !d.text.is_empty())
    }
}

/// A `/* */` comment's text without the ` * ` margin of each line.
fn block_comment(body: &str) -> String {
    let lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let t = l.trim_start();
            t.strip_prefix("* ").or(t.strip_prefix('*')).unwrap_or(t)
        })
        .collect();
    lines.join("\n").trim().to_string()
}

fn clean_comment(body: &str) -> String {
    body.trim().to_string()
}

/// A string literal at `i` (its quote): its value, the index after it, and whether it is
/// closed. An unclosed literal runs to the end of its line.
fn lex_string(text: &str, i: usize) -> (String, usize, bool) {
    let quote = text[i..].chars().next().unwrap_or('"');
    let mut out = String::new();
    let mut chars = text[i + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            c if c == quote => return (out, i + 1 + k + 1, true),
            '\n' => return (out, i + 1 + k, false),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    (out, text.len(), false)
}
