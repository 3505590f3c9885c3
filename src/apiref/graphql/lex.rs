//! GraphQL SDL text → tokens with their lines and spans; strings unquoted, block strings
//! dedented as the spec says.

use crate::apiref::tokens::{Tok, Token};

/// Splits SDL into tokens. Commas are insignificant in GraphQL and dropped; `#` comments too.
pub(super) fn lex(text: &str) -> (Vec<Token>, Vec<(usize, String)>) {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let start_line = line;
        let tok = match c {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => match lex_string(text, &mut i, &mut line) {
                Some(s) => Tok::Str(s),
                None => {
                    errors.push((start_line, "a string is never closed".to_string()));
                    continue;
                }
            },
            b'.' if text[i..].starts_with("...") => {
                i += 3;
                Tok::Spread
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Tok::Word(text[start..i].to_string())
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                Tok::Other
            }
            _ => {
                // One character (possibly multi-byte), kept as punctuation.
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                i += ch.len_utf8();
                Tok::Punct(ch)
            }
        };
        tokens.push(Token::new(tok, start_line, start, i));
    }
    (tokens, errors)
}

/// Reads a string or block string at `*i` (on its opening quote); returns its value, or
/// None when it is never closed (then `*i` is at the end of the text).
fn lex_string(text: &str, i: &mut usize, line: &mut usize) -> Option<String> {
    let rest = &text[*i..];
    if let Some(body) = rest.strip_prefix("\"\"\"") {
        let mut end = None;
        let mut k = 0;
        while k < body.len() {
            if body[k..].starts_with("\\\"\"\"") {
                k += 4;
            } else if body[k..].starts_with("\"\"\"") {
                end = Some(k);
                break;
            } else {
                k += body[k..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let Some(end) = end else {
            *line += rest.matches('\n').count();
            *i = text.len();
            return None;
        };
        let raw = &body[..end];
        *line += raw.matches('\n').count();
        *i += 3 + end + 3;
        return Some(block_string_value(&raw.replace("\\\"\"\"", "\"\"\"")));
    }
    let mut out = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => {
                *i += k + 1;
                return Some(out);
            }
            '\n' => break,
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    out.push(decoded.unwrap_or('\u{fffd}'));
                }
                Some(e) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    // Unclosed on its line: skip to the line's end so that lexing goes on.
    *i += rest.find('\n').unwrap_or(rest.len());
    None
}

/// The value of a block string: common indentation removed, blank first and last lines
/// dropped (the GraphQL spec's BlockStringValue).
fn block_string_value(raw: &str) -> String {
    let lines: Vec<&str> = raw.lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            if n == 0 {
                l
            } else {
                l.get(indent..).unwrap_or("")
            }
        })
        .collect();
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}
