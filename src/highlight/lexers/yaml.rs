//! YAML, the language of catalog files and most docs' code blocks, by structure rather than
//! words: a line is indentation, sequence dashes, maybe a key and a colon, then a value (a
//! scalar, a quoted string, a flow collection, an anchor, alias or tag, or a block scalar
//! whose more-indented lines follow). Plain scalars are typed as the grammar types them, by
//! YAML 1.1's rules (`yes`, `0755`, `1.2.3` and `2024-01-31` are not strings there), keys
//! included.

use super::Lexer;
use super::engine::{Open, Ops, pop, push, token};

const COMMENT: &str = "comment.line.number-sign.yaml";
const KEY: &str = "meta.mapping.key.yaml string.unquoted.plain.out.yaml entity.name.tag.yaml";
const FLOW_KEY: &str = "meta.flow-pair.key.yaml string.unquoted.plain.in.yaml entity.name.tag.yaml";
const PLAIN: &str = "string.unquoted.plain.out.yaml";
const PLAIN_IN: &str = "string.unquoted.plain.in.yaml";
const DOUBLE: &str = "string.quoted.double.yaml";
const SINGLE: &str = "string.quoted.single.yaml";
const DOUBLE_ESCAPE: &str = "constant.character.escape.double-quoted.yaml";
const SINGLE_ESCAPE: &str = "constant.character.escape.single-quoted.yaml";
const BLOCK: &str = "string.unquoted.block.yaml";
const BLOCK_HEADER: &str = "keyword.control.flow.block-scalar.literal.yaml";
const INT: &str = "constant.numeric.integer.decimal.yaml";
const FLOAT: &str = "constant.numeric.float.decimal.yaml";
const TIMESTAMP: &str = "constant.other.timestamp.yaml";
const BOOL: &str = "constant.language.boolean.yaml";
const NULL: &str = "constant.language.null.yaml";
const ANCHOR_SIGN: &str = "keyword.control.property.anchor.yaml punctuation.definition.anchor.yaml";
const ANCHOR: &str = "entity.name.other.anchor.yaml";
const ALIAS_SIGN: &str = "keyword.control.flow.alias.yaml punctuation.definition.alias.yaml";
const ALIAS: &str = "variable.other.alias.yaml";
const TAG: &str = "storage.type.tag-handle.yaml";
const DOCUMENT: &str = "entity.other.document.begin.yaml";
const MAPPING_COLON: &str = "punctuation.separator.key-value.mapping.yaml";
const SEQUENCE_DASH: &str = "punctuation.definition.block.sequence.item.yaml";
const MERGE: &str = "constant.language.merge.yaml";
const DIRECTIVE: &str = "meta.directive.yaml keyword.other.directive.yaml.yaml";
const VERSION: &str = "meta.directive.yaml constant.numeric.yaml-version.yaml";
const INDENTATION: &str = "constant.numeric.integer.decimal.indentation-indicator.yaml";

/// Every scope named here, for the lexer to parse once.
pub(super) const SCOPES: [&str; 28] = [
    COMMENT,
    KEY,
    FLOW_KEY,
    PLAIN,
    PLAIN_IN,
    DOUBLE,
    SINGLE,
    DOUBLE_ESCAPE,
    SINGLE_ESCAPE,
    BLOCK,
    BLOCK_HEADER,
    INT,
    FLOAT,
    TIMESTAMP,
    BOOL,
    NULL,
    ANCHOR_SIGN,
    ANCHOR,
    ALIAS_SIGN,
    ALIAS,
    TAG,
    DOCUMENT,
    MAPPING_COLON,
    SEQUENCE_DASH,
    MERGE,
    DIRECTIVE,
    VERSION,
    INDENTATION,
];

/// YAML 1.1's booleans and nulls, as the grammar knows them.
const BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
];
const NULLS: &[&str] = &["null", "Null", "NULL", "~"];

/// `Open::Quote` holds which quote a multi-line quoted scalar is in.
const QUOTES: [u8; 2] = [b'"', b'\''];

fn indent_of(b: &[u8]) -> usize {
    b.iter().take_while(|&&c| c == b' ').count()
}

pub(super) fn line(lx: &Lexer, line: &str, open: &mut Open, ops: &mut Ops) {
    let b = line.as_bytes();
    let indent = indent_of(b);
    match std::mem::take(open) {
        Open::Block { indent: parent } if indent >= b.len() || indent > parent => {
            token(ops, indent.min(b.len()), b.len(), lx.scopes(BLOCK));
            *open = Open::Block { indent: parent };
            return;
        }
        Open::Quote(k) => {
            let q = QUOTES[k.min(1)];
            match quoted(lx, b, 0, q, true, ops) {
                Some(end) => value(lx, b, end, indent, open, ops),
                None => *open = Open::Quote(k),
            }
            return;
        }
        Open::Flow { depth } => {
            let end = flow(lx, b, 0, depth, open, ops);
            value(lx, b, end, indent, open, ops);
            return;
        }
        _ => {}
    }
    if b.first() == Some(&b'%') {
        directive(lx, b, ops);
        return;
    }
    let mut i = indent;
    if (b.starts_with(b"---") || b.starts_with(b"..."))
        && matches!(b.get(3), None | Some(b' ') | Some(b'\t'))
    {
        token(ops, 0, 3, lx.scopes(DOCUMENT));
        i = run(b, 3, |c| c == b' ' || c == b'\t');
    }
    while i < b.len()
        && matches!(b[i], b'-' | b'?' | b':')
        && matches!(b.get(i + 1), None | Some(b' ') | Some(b'\t'))
    {
        if b[i] == b'-' {
            token(ops, i, i + 1, lx.scopes(SEQUENCE_DASH));
        }
        i += 1;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    let item_indent = i;
    let mut parent = indent.max(i.saturating_sub(2));
    if let Some((key_end, colon)) = key_at(b, i) {
        if matches!(b[i], b'"' | b'\'') {
            quoted(lx, b, i, b[i], false, ops);
        } else {
            let text = &b[i..key_end];
            let scope = if text == b"<<" {
                MERGE
            } else {
                typed(text).unwrap_or(KEY)
            };
            token(ops, i, key_end, lx.scopes(scope));
        }
        token(ops, colon, colon + 1, lx.scopes(MAPPING_COLON));
        parent = item_indent;
        i = colon + 1;
    }
    value(lx, b, i, parent, open, ops);
}

/// A `%YAML 1.2` or `%TAG` directive line.
fn directive(lx: &Lexer, b: &[u8], ops: &mut Ops) {
    let name_end = word_end(b, 1);
    token(ops, 1, name_end, lx.scopes(DIRECTIVE));
    if &b[1..name_end] == b"YAML" {
        let start = run(b, name_end, |c| c == b' ' || c == b'\t');
        token(ops, start, word_end(b, start), lx.scopes(VERSION));
    }
}

/// A mapping key at `i`: where the key ends and where its colon is.
fn key_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let first = *b.get(i)?;
    if matches!(first, b'#' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>') {
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
            if c == b'#' && j > i && matches!(b[j - 1], b' ' | b'\t') {
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

/// A quoted scalar from its quote at `i` (or from `i` inside it, `continued` from the line
/// before), escapes as tokens of their own. Where it ends, or None when the line ends
/// inside it (its scope left open).
fn quoted(lx: &Lexer, b: &[u8], i: usize, q: u8, continued: bool, ops: &mut Ops) -> Option<usize> {
    let scopes = lx.scopes(if q == b'"' { DOUBLE } else { SINGLE });
    let mut j = i;
    if !continued {
        push(ops, i, scopes);
        j += 1;
    }
    while j < b.len() {
        let c = b[j];
        if q == b'"' && c == b'\\' {
            let end = escape_end(b, j);
            token(ops, j, end, lx.scopes(DOUBLE_ESCAPE));
            j = end;
            continue;
        }
        if c == q {
            if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                token(ops, j, j + 2, lx.scopes(SINGLE_ESCAPE));
                j += 2;
                continue;
            }
            pop(ops, j + 1, scopes);
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// Where the escape at `i` (a backslash) ends: `\n`, `\"`, `\x41`, `\u00e9`, `\U0001F600`.
fn escape_end(b: &[u8], i: usize) -> usize {
    let hex = match b.get(i + 1) {
        Some(c) if *c >= 0x80 => return i + 1,
        None => return i + 1,
        Some(b'x') => 2,
        Some(b'u') => 4,
        Some(b'U') => 8,
        Some(_) => return i + 2,
    };
    let digits = b[i + 2..]
        .iter()
        .take(hex)
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    i + 2 + digits
}

/// A value from `i` to the end of the line; a block scalar's lines are those indented
/// deeper than `parent`.
fn value(lx: &Lexer, b: &[u8], mut i: usize, parent: usize, open: &mut Open, ops: &mut Ops) {
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b']' | b'}' | b',' => i += 1,
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => {
                token(ops, i, b.len(), lx.scopes(COMMENT));
                return;
            }
            b'&' | b'*' | b'!' => i = property(lx, b, i, ops),
            b'|' | b'>' if block_header(b, i) => {
                let end = word_end(b, i);
                for (j, c) in b[i..end].iter().enumerate() {
                    let scope = if c.is_ascii_digit() {
                        INDENTATION
                    } else {
                        BLOCK_HEADER
                    };
                    token(ops, i + j, i + j + 1, lx.scopes(scope));
                }
                *open = Open::Block { indent: parent };
                i = end;
            }
            b'"' | b'\'' => match quoted(lx, b, i, c, false, ops) {
                Some(end) => i = end,
                None => {
                    *open = Open::Quote(usize::from(c == b'\''));
                    return;
                }
            },
            b'[' | b'{' => {
                i = flow(lx, b, i + 1, 1, open, ops);
                if *open != Open::Code {
                    return;
                }
            }
            _ => {
                let end = plain_end(b, i, false);
                scalar(lx, b, i, end, PLAIN, ops);
                i = end;
            }
        }
    }
}

/// An anchor (`&name`), alias (`*name`) or tag (`!!str`) at `i`; where it ends.
fn property(lx: &Lexer, b: &[u8], i: usize, ops: &mut Ops) -> usize {
    let end = word_end(b, i + 1);
    let (sign, name) = match b[i] {
        b'&' => (ANCHOR_SIGN, ANCHOR),
        b'*' => (ALIAS_SIGN, ALIAS),
        _ => (TAG, TAG),
    };
    token(ops, i, i + 1, lx.scopes(sign));
    token(ops, i + 1, end, lx.scopes(name));
    end
}

/// Items of flow collections (`[a, "b", 3]`, `{k: v}`) from `i`, `depth` deep; where the
/// outermost closes, or the line's end with `open` saying how deep the next line starts.
fn flow(
    lx: &Lexer,
    b: &[u8],
    mut i: usize,
    mut depth: usize,
    open: &mut Open,
    ops: &mut Ops,
) -> usize {
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b',' | b':' | b'?' => i += 1,
            b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => {
                token(ops, i, b.len(), lx.scopes(COMMENT));
                i = b.len();
            }
            b'&' | b'*' | b'!' => i = property(lx, b, i, ops),
            b'"' | b'\'' => match quoted(lx, b, i, c, false, ops) {
                Some(end) => i = end,
                None => {
                    *open = Open::Quote(usize::from(c == b'\''));
                    return b.len();
                }
            },
            _ => {
                let end = plain_end(b, i, true);
                let key = b[end..].trim_ascii_start().first() == Some(&b':');
                scalar(lx, b, i, end, if key { FLOW_KEY } else { PLAIN_IN }, ops);
                i = end.max(i + 1);
            }
        }
    }
    *open = Open::Flow { depth };
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
    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b',' | b']' | b'}' | b'[' | b'{') {
        i += 1;
    }
    i
}

/// Where a plain scalar from `i` ends: before ` #`, or (in a flow) before `,[]{}` and `: `.
fn plain_end(b: &[u8], i: usize, in_flow: bool) -> usize {
    let mut j = i;
    while j < b.len() {
        let c = b[j];
        if c == b'#' && j > i && matches!(b[j - 1], b' ' | b'\t') {
            break;
        }
        if in_flow
            && (matches!(c, b',' | b'[' | b']' | b'{' | b'}')
                || (c == b':' && matches!(b.get(j + 1), None | Some(b' ') | Some(b'\t'))))
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

/// A plain scalar: typed (number, boolean, null, date) or else a string of `scope`.
fn scalar(lx: &Lexer, b: &[u8], start: usize, end: usize, scope: &str, ops: &mut Ops) {
    token(
        ops,
        start,
        end,
        lx.scopes(typed(&b[start..end]).unwrap_or(scope)),
    );
}

/// The scope of a plain scalar the grammar reads as something other than a string.
fn typed(t: &[u8]) -> Option<&'static str> {
    let is = |words: &[&str]| words.iter().any(|w| w.as_bytes() == t);
    if is(BOOLS) {
        Some(BOOL)
    } else if is(NULLS) {
        Some(NULL)
    } else if t
        .first()
        .is_none_or(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.'))
    {
        None
    } else if is_int(t) {
        Some(INT)
    } else if is_float(t) {
        Some(FLOAT)
    } else if is_timestamp(t) {
        Some(TIMESTAMP)
    } else {
        None
    }
}

/// The end of the run of bytes from `i` that `ok` accepts.
fn run(t: &[u8], i: usize, ok: impl Fn(u8) -> bool) -> usize {
    i + t
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| ok(c))
        .count()
}

fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

fn unsigned(t: &[u8]) -> &[u8] {
    t.strip_prefix(b"-")
        .or_else(|| t.strip_prefix(b"+"))
        .unwrap_or(t)
}

/// `(:[0-5]?[0-9])+`, the base-60 tail of `190:20:30`.
fn sexagesimal(mut r: &[u8]) -> bool {
    if r.is_empty() {
        return false;
    }
    while let Some(x) = r.strip_prefix(b":") {
        r = match x {
            [a, b, rest @ ..] if (b'0'..=b'5').contains(a) && b.is_ascii_digit() => rest,
            [a, rest @ ..] if a.is_ascii_digit() => rest,
            _ => return false,
        };
    }
    r.is_empty()
}

/// YAML 1.1 integers: binary, octal, decimal, hexadecimal, base 60.
fn is_int(t: &[u8]) -> bool {
    let t = unsigned(t);
    let all = |r: &[u8], ok: fn(u8) -> bool| !r.is_empty() && r.iter().all(|&c| ok(c));
    if let Some(r) = t.strip_prefix(b"0b") {
        return all(r, |c| matches!(c, b'0' | b'1' | b'_'));
    }
    if let Some(r) = t.strip_prefix(b"0x") {
        return all(r, |c| c.is_ascii_hexdigit() || c == b'_');
    }
    match t {
        [b'0'] => true,
        [b'0', r @ ..] => all(r, |c| matches!(c, b'0'..=b'7' | b'_')),
        [b'1'..=b'9', ..] => {
            let e = run(t, 1, digit_);
            e == t.len() || sexagesimal(&t[e..])
        }
        _ => false,
    }
}

/// YAML 1.1 floats: `1.5`, `.5`, `1.2.3` (sic), `1.0e+3`, base 60, `.inf`, `.nan`.
fn is_float(t: &[u8]) -> bool {
    if matches!(t, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    let u = unsigned(t);
    if matches!(u, b".inf" | b".Inf" | b".INF") {
        return true;
    }
    let whole = if u.first().is_some_and(u8::is_ascii_digit) {
        run(u, 0, digit_)
    } else {
        0
    };
    if u.get(whole) == Some(&b'.') {
        let f = run(u, whole + 1, |c| c.is_ascii_digit() || c == b'.');
        match &u[f..] {
            [] => return true,
            [b'e' | b'E', b'-' | b'+', d @ ..]
                if !d.is_empty() && d.iter().all(u8::is_ascii_digit) =>
            {
                return true;
            }
            _ => {}
        }
    }
    let Some(dot) = u.iter().position(|&c| c == b'.') else {
        return false;
    };
    let left = &u[..dot];
    let e = run(left, 0, digit_);
    e > 0
        && left[0].is_ascii_digit()
        && sexagesimal(&left[e..])
        && u[dot + 1..].iter().all(|&c| digit_(c))
}

/// `2024-01-31`, or a date with a time: `2001-12-14t21:59:43.10-05:00`.
fn is_timestamp(t: &[u8]) -> bool {
    let digits = |i: usize, min: usize, max: usize| {
        let e = run(t, i, |c| c.is_ascii_digit());
        (e - i >= min && e - i <= max).then_some(e)
    };
    let date = || {
        let y = digits(0, 4, 4)?;
        let m = digits(y + 1, 1, 2).filter(|_| t.get(y) == Some(&b'-'))?;
        let d = digits(m + 1, 1, 2).filter(|_| t.get(m) == Some(&b'-'))?;
        Some((y, m, d))
    };
    let Some((y, m, d)) = date() else {
        return false;
    };
    if d == t.len() {
        return m - y == 3 && d - m == 3;
    }
    let mut i = d;
    if matches!(t[i], b'T' | b't') {
        i += 1;
    } else {
        i = run(t, i, |c| c == b' ' || c == b'\t');
        if i == d {
            return false;
        }
    }
    let time = || {
        let h = digits(i, 1, 2)?;
        let mm = digits(h + 1, 2, 2).filter(|_| t.get(h) == Some(&b':'))?;
        let s = digits(mm + 1, 2, 2).filter(|_| t.get(mm) == Some(&b':'))?;
        Some(s)
    };
    let Some(mut i) = time() else {
        return false;
    };
    if t.get(i) == Some(&b'.') {
        i = run(t, i + 1, |c| c.is_ascii_digit());
    }
    i = run(t, i, |c| c == b' ' || c == b'\t');
    match t.get(i) {
        None => true,
        Some(b'Z') => i + 1 == t.len(),
        Some(b'-' | b'+') => {
            let Some(h) = digits(i + 1, 1, 2) else {
                return false;
            };
            h == t.len() || (t[h] == b':' && digits(h + 1, 2, 2) == Some(t.len()))
        }
        _ => false,
    }
}
