//! YAML, the language of catalog files and most docs' code blocks, by structure rather than
//! words: a line is indentation, sequence dashes, maybe a key and a colon, then a value (a
//! scalar, a quoted string, a flow collection, an anchor, alias or tag, or a block scalar
//! whose more-indented lines follow).

use super::Lexer;
use super::engine::{Open, Ops, token};

const COMMENT: &str = "comment.line.number-sign.yaml";
const KEY: &str = "meta.mapping.key.yaml string.unquoted.plain.out.yaml entity.name.tag.yaml";
const QUOTED_KEY: &str = "meta.mapping.key.yaml string.quoted.double.yaml entity.name.tag.yaml";
const SINGLE_QUOTED_KEY: &str =
    "meta.mapping.key.yaml string.quoted.single.yaml entity.name.tag.yaml";
const PLAIN: &str = "string.unquoted.plain.out.yaml";
const PLAIN_IN: &str = "string.unquoted.plain.in.yaml";
const DOUBLE: &str = "string.quoted.double.yaml";
const SINGLE: &str = "string.quoted.single.yaml";
const BLOCK: &str = "string.unquoted.block.yaml";
const BLOCK_HEADER: &str = "keyword.control.flow.block-scalar.literal.yaml";
const NUMBER: &str = "constant.numeric.integer.decimal.yaml";
const FLOAT: &str = "constant.numeric.float.decimal.yaml";
const LANGUAGE: &str = "constant.language.boolean.yaml";
const NULL: &str = "constant.language.null.yaml";
const ANCHOR: &str = "entity.name.other.anchor.yaml";
const ALIAS: &str = "variable.other.alias.yaml";
const TAG: &str = "storage.type.tag-handle.yaml";
const DOCUMENT: &str = "entity.other.document.begin.yaml";
const MAPPING_COLON: &str = "punctuation.separator.key-value.mapping.yaml";
const SEQUENCE_DASH: &str = "punctuation.definition.block.sequence.item.yaml";

/// Every scope named here, for the lexer to parse once.
pub(super) const SCOPES: [&str; 20] = [
    COMMENT,
    KEY,
    QUOTED_KEY,
    SINGLE_QUOTED_KEY,
    PLAIN,
    PLAIN_IN,
    DOUBLE,
    SINGLE,
    BLOCK,
    BLOCK_HEADER,
    NUMBER,
    FLOAT,
    LANGUAGE,
    NULL,
    ANCHOR,
    ALIAS,
    TAG,
    DOCUMENT,
    MAPPING_COLON,
    SEQUENCE_DASH,
];

fn indent_of(b: &[u8]) -> usize {
    b.iter().take_while(|&&c| c == b' ').count()
}

pub(super) fn line(lx: &Lexer, line: &str, open: &mut Open, ops: &mut Ops) {
    let b = line.as_bytes();
    let indent = indent_of(b);
    if let Open::Block { indent: parent } = *open {
        if indent >= b.len() || indent > parent {
            token(ops, indent.min(b.len()), b.len(), lx.scopes(BLOCK));
            return;
        }
        *open = Open::Code;
    }
    if (b.starts_with(b"---") || b.starts_with(b"...")) && b[3..].iter().all(|&c| c == b' ') {
        token(ops, 0, 3, lx.scopes(DOCUMENT));
        return;
    }
    let mut i = indent;
    while i < b.len() && b[i] == b'-' && matches!(b.get(i + 1), None | Some(b' ')) {
        token(ops, i, i + 1, lx.scopes(SEQUENCE_DASH));
        i += 1;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    let item_indent = i;
    if let Some((key_end, colon)) = key_at(b, i) {
        let scope = match b[i] {
            b'"' => QUOTED_KEY,
            b'\'' => SINGLE_QUOTED_KEY,
            _ => KEY,
        };
        token(ops, i, key_end, lx.scopes(scope));
        token(ops, colon, colon + 1, lx.scopes(MAPPING_COLON));
        i = colon + 1;
    }
    value(lx, b, i, item_indent.max(indent), open, ops);
}

/// A mapping key at `i`: where the key ends and where its colon is.
fn key_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let first = *b.get(i)?;
    if first == b'#' || first == b'[' || first == b'{' {
        return None;
    }
    let key_end = if first == b'"' || first == b'\'' {
        quoted_end(b, i)?
    } else {
        let mut j = i;
        loop {
            let c = *b.get(j)?;
            if c == b':' && matches!(b.get(j + 1), None | Some(b' ') | Some(b'\t')) {
                break j;
            }
            if c == b'#' && b[j - 1] == b' ' {
                return None;
            }
            j += 1;
        }
    };
    let mut colon = key_end;
    while b.get(colon) == Some(&b' ') {
        colon += 1;
    }
    let key_text_end = b[..key_end].iter().rposition(|&c| c != b' ')? + 1;
    (b.get(colon) == Some(&b':') && matches!(b.get(colon + 1), None | Some(b' ') | Some(b'\t')))
        .then_some((key_text_end, colon))
}

/// Where a quoted scalar starting at `i` ends (past its quote), if on this line.
fn quoted_end(b: &[u8], i: usize) -> Option<usize> {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// A value from `i` to the end of the line.
fn value(lx: &Lexer, b: &[u8], mut i: usize, indent: usize, open: &mut Open, ops: &mut Ops) {
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'#' if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => {
                token(ops, i, b.len(), lx.scopes(COMMENT));
                return;
            }
            b'&' | b'*' | b'!' => {
                let end = word_end(b, i + 1);
                let scope = match c {
                    b'&' => ANCHOR,
                    b'*' => ALIAS,
                    _ => TAG,
                };
                token(ops, i, end, lx.scopes(scope));
                i = end;
            }
            b'|' | b'>' if block_header(b, i) => {
                let end = word_end(b, i);
                token(ops, i, end, lx.scopes(BLOCK_HEADER));
                *open = Open::Block { indent };
                i = end;
            }
            b'"' | b'\'' => {
                let end = quoted_end(b, i).unwrap_or(b.len());
                let scope = if c == b'"' { DOUBLE } else { SINGLE };
                token(ops, i, end, lx.scopes(scope));
                i = end;
            }
            b'[' | b'{' | b']' | b'}' | b',' => {
                i = flow(lx, b, i + 1, ops);
            }
            _ => {
                let end = plain_end(b, i, false);
                scalar(lx, b, i, end, PLAIN, ops);
                i = end;
            }
        }
    }
}

/// Items of a flow collection (`[a, "b", 3]`, `{k: v}`) from `i`; where they end.
fn flow(lx: &Lexer, b: &[u8], mut i: usize, ops: &mut Ops) -> usize {
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'[' | b'{' | b']' | b'}' | b',' | b':' => i += 1,
            b'#' if b[i - 1] == b' ' => {
                token(ops, i, b.len(), lx.scopes(COMMENT));
                return b.len();
            }
            b'"' | b'\'' => {
                let end = quoted_end(b, i).unwrap_or(b.len());
                let scope = if b[i] == b'"' { DOUBLE } else { SINGLE };
                token(ops, i, end, lx.scopes(scope));
                i = end;
            }
            _ => {
                let end = plain_end(b, i, true);
                scalar(lx, b, i, end, PLAIN_IN, ops);
                i = end;
            }
        }
    }
    i
}

/// A block scalar's header at `i`: `|` or `>` with indentation and chomping indicators,
/// then nothing but a comment.
fn block_header(b: &[u8], i: usize) -> bool {
    let end = word_end(b, i);
    b[i + 1..end]
        .iter()
        .all(|c| c.is_ascii_digit() || *c == b'+' || *c == b'-')
        && matches!(b[end..].trim_ascii_start().first(), None | Some(b'#'))
}

fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b',' | b']' | b'}') {
        i += 1;
    }
    i
}

/// Where a plain scalar from `i` ends: before ` #`, or (in a flow) before `,]}` and `: `.
fn plain_end(b: &[u8], i: usize, in_flow: bool) -> usize {
    let mut j = i;
    while j < b.len() {
        let c = b[j];
        if c == b'#' && j > i && b[j - 1] == b' ' {
            break;
        }
        if in_flow
            && (matches!(c, b',' | b']' | b'}') || (c == b':' && b.get(j + 1) == Some(&b' ')))
        {
            break;
        }
        j += 1;
    }
    // Trailing blanks belong to no token; ASCII, so a character boundary.
    while j > i && matches!(b[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    j
}

/// A plain scalar: a number, a boolean or null, or else a string of `scope`.
fn scalar(lx: &Lexer, b: &[u8], start: usize, end: usize, scope: &str, ops: &mut Ops) {
    let text = std::str::from_utf8(&b[start..end]).unwrap_or_default();
    let scope = match text {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "yes" | "no" | "on" | "off" => {
            LANGUAGE
        }
        "null" | "Null" | "NULL" | "~" => NULL,
        _ if is_int(text) => NUMBER,
        _ if is_float(text) => FLOAT,
        _ => scope,
    };
    token(ops, start, end, lx.scopes(scope));
}

fn is_int(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())
        || (t.starts_with("0x") && t.len() > 2 && t[2..].bytes().all(|c| c.is_ascii_hexdigit()))
}

fn is_float(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.parse::<f64>().is_ok() && t.bytes().any(|c| c.is_ascii_digit()) && !t.contains(['i', 'n'])
        || matches!(t, ".inf" | ".Inf" | ".nan" | ".NaN")
}
