//! The engine every table-driven lexer runs: one left-to-right pass over a line, trying at
//! each position a comment, a heredoc, a string, a sigil, an annotation, a number, a word, a
//! member or an operator, in that order. Token ends are always at an ASCII byte or the end
//! of the line (identifiers take in non-ASCII bytes whole), so every operation falls on a
//! character boundary.

use syntect::parsing::{Scope, ScopeStackOp};

use super::{Lexer, Quote};

/// What a line leaves open for the next one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Open {
    #[default]
    Code,
    /// Inside the block comment of this index in the table.
    Comment(usize),
    /// Inside the multi-line string of this index in the table.
    Quote(usize),
    /// Inside a heredoc ending at a line holding `end` (after tabs when `indented`).
    Heredoc { end: String, indented: bool },
    /// Inside a YAML block scalar whose lines are indented deeper than `indent`.
    Block { indent: usize },
    /// Inside YAML flow collections (`[`, `{`) nested `depth` deep.
    Flow { depth: usize },
}

pub(super) type Ops = Vec<(usize, ScopeStackOp)>;

/// `scopes` over `start..end`.
pub(super) fn token(ops: &mut Ops, start: usize, end: usize, scopes: &[Scope]) {
    if start >= end || scopes.is_empty() {
        return;
    }
    push(ops, start, scopes);
    ops.push((end, ScopeStackOp::Pop(scopes.len())));
}

pub(super) fn push(ops: &mut Ops, at: usize, scopes: &[Scope]) {
    ops.extend(scopes.iter().map(|s| (at, ScopeStackOp::Push(*s))));
}

pub(super) fn pop(ops: &mut Ops, at: usize, scopes: &[Scope]) {
    if !scopes.is_empty() {
        ops.push((at, ScopeStackOp::Pop(scopes.len())));
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident(lx: &Lexer, b: u8) -> bool {
    lx.ident[usize::from(b)]
}

/// Where a sigil variable's name from `i` ends (`$dir/x`: the name is `dir`, whatever else
/// identifiers may hold), or its `{…}` group.
fn sigil_end(b: &[u8], i: usize) -> usize {
    if b.get(i) == Some(&b'{') {
        return braces_end(b, i + 1);
    }
    i + (b[i..].iter())
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        .count()
}

fn ident_end(lx: &Lexer, b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ident(lx, b[i]) {
        i += 1;
    }
    i
}

/// The first byte after `i` that is not a space or a tab.
fn next_visible(b: &[u8], mut i: usize) -> Option<u8> {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    b.get(i).copied()
}

/// Where a number starting at `i` ends: digits, letters (hex, suffixes, exponents), `_`,
/// a `.` followed by a digit, and an exponent's sign.
fn number_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let c = b[i];
        let exponent_sign = (c == b'+' || c == b'-')
            && matches!(b[i - 1], b'e' | b'E')
            && !b[..i].starts_with(b"0x")
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let dot = c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_alphanumeric() || c == b'_' || dot || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Scans a string's body from `i` (past its opening quote): interpolations and variables as
/// tokens into `ops`. Where the closing quote ends, or None when the line ends first.
fn quote_body(lx: &Lexer, q: &Quote, b: &[u8], mut i: usize, ops: &mut Ops) -> Option<usize> {
    let close = q.close.as_bytes();
    while i < b.len() {
        if q.escape && b[i] == b'\\' {
            let end = escape_end(b, i);
            if let Some(scope) = q.escape_scope {
                token(ops, i, end, lx.scopes(scope));
            }
            i = end.max(i + 2);
            continue;
        }
        if b[i..].starts_with(close) {
            return Some(i + close.len());
        }
        if let Some((open, scope)) = q.interpolation
            && b[i..].starts_with(open.as_bytes())
        {
            let end = group_end(b, i + open.len(), open.as_bytes());
            token(ops, i, end, lx.scopes(scope));
            i = end;
            continue;
        }
        if let Some(scope) = q.sigil_vars
            && b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
        {
            // `${name:-default}`: the braces and what follows the name look like the string.
            let end = sigil_end(b, i + 2);
            token(ops, i, i + 1, lx.scopes(scope));
            token(ops, i + 2, end, lx.scopes(scope));
            i = end.max(i + 2);
            continue;
        }
        if let Some(scope) = q.sigil_vars
            && b[i] == b'$'
            && b.get(i + 1).is_some_and(|&c| is_ident_start(c))
        {
            let end = sigil_end(b, i + 1);
            token(ops, i, end, lx.scopes(scope));
            i = end;
            continue;
        }
        i += 1;
    }
    None
}

/// Where the escape starting with the backslash at `i` ends: the escaped character (whole,
/// when not ASCII) and the hex or octal digits of `\x41`, `\u0041`, `\u{1F600}`, `\101`.
fn escape_end(b: &[u8], i: usize) -> usize {
    let Some(&c) = b.get(i + 1) else {
        return b.len();
    };
    let mut j = i + 2;
    if c >= 0x80 {
        while b.get(j).is_some_and(|&n| n & 0xC0 == 0x80) {
            j += 1;
        }
        return j;
    }
    let (digits, max): (fn(&u8) -> bool, usize) = match c {
        b'x' => (u8::is_ascii_hexdigit, 2),
        b'u' if b.get(j) == Some(&b'{') => {
            let close = b[j..].iter().position(|&n| n == b'}');
            return close.map_or(j, |k| j + k + 1);
        }
        b'u' => (u8::is_ascii_hexdigit, 4),
        b'U' => (u8::is_ascii_hexdigit, 8),
        b'0'..=b'7' => (|n: &u8| (b'0'..=b'7').contains(n), 2),
        _ => return j,
    };
    let end = (j + max).min(b.len());
    while j < end && digits(&b[j]) {
        j += 1;
    }
    j
}

/// The end of an interpolation whose opening (`${`, `#{`, `$(`, `{`) is just before `i`:
/// its bracket's pair counted, the line's end when it does not close.
fn group_end(b: &[u8], i: usize, open: &[u8]) -> usize {
    match open.last() {
        Some(b'(') => pair_end(b, i, b'(', b')'),
        Some(b'[') => pair_end(b, i, b'[', b']'),
        _ => braces_end(b, i),
    }
}

fn pair_end(b: &[u8], mut i: usize, open: u8, close: u8) -> usize {
    let mut depth = 1;
    while i < b.len() {
        if b[i] == open {
            depth += 1;
        } else if b[i] == close {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    b.len()
}

/// The end of a `{…}` group whose opening brace is just before `i`, nested braces counted;
/// the line's end when it does not close.
fn braces_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Continues what the previous line left open; where code resumes, or None when the whole
/// line is inside it.
fn resume(lx: &Lexer, line: &str, open: &mut Open, ops: &mut Ops) -> Option<usize> {
    let b = line.as_bytes();
    match std::mem::take(open) {
        Open::Code | Open::Block { .. } | Open::Flow { .. } => Some(0),
        Open::Comment(k) => {
            let c = &lx.lang.comments[k];
            let close = c.close.unwrap_or_default();
            match line.find(close) {
                Some(at) => {
                    comment_tags(lx, c, b, 0, at, ops);
                    pop(ops, at + close.len(), lx.scopes(c.scope));
                    Some(at + close.len())
                }
                None => {
                    comment_tags(lx, c, b, 0, b.len(), ops);
                    *open = Open::Comment(k);
                    None
                }
            }
        }
        Open::Quote(k) => {
            let q = &lx.lang.quotes[k];
            match quote_body(lx, q, b, 0, ops) {
                Some(end) => {
                    pop(ops, end, lx.scopes(q.scope));
                    Some(end)
                }
                None => {
                    *open = Open::Quote(k);
                    None
                }
            }
        }
        Open::Heredoc { end, indented } => {
            let text = if indented {
                line.trim_start_matches(['\t', ' '])
            } else {
                line
            };
            if text == end {
                pop(ops, 0, lx.scopes(lx.lang.heredoc.unwrap_or_default()));
                Some(line.len())
            } else {
                *open = Open::Heredoc { end, indented };
                None
            }
        }
    }
}

/// The documentation tags in a comment's text `from..to` (`@param name`), as tokens.
fn comment_tags(lx: &Lexer, cm: &super::Comment, b: &[u8], from: usize, to: usize, ops: &mut Ops) {
    let Some((tag, name, naming)) = cm.tags else {
        return;
    };
    let mut i = from;
    while i < to {
        let starts = b[i] == b'@' && (i == 0 || !is_ident(lx, b[i - 1]));
        if !starts || !b.get(i + 1).is_some_and(|&c| is_ident_start(c)) {
            i += 1;
            continue;
        }
        let end = ident_end(lx, b, i + 1).min(to);
        token(ops, i, end, lx.scopes(tag));
        let tag_name = &b[i + 1..end];
        i = end;
        if !naming.iter().any(|n| n.as_bytes() == tag_name) {
            continue;
        }
        // The name after the tag, past a `{Type}`.
        let mut j = visible_at(b, end);
        if b.get(j) == Some(&b'{') {
            j = visible_at(b, braces_end(b, j + 1));
        }
        if j < to && is_ident_start(b[j]) {
            let name_end = ident_end(lx, b, j).min(to);
            token(ops, j, name_end, lx.scopes(name));
            i = name_end;
        }
    }
}

/// A heredoc's marker at `i` (`<<EOF`, `<<-'EOF'`): where the marker ends, the word that
/// ends the heredoc, and whether tabs may indent it.
fn heredoc_marker(b: &[u8], i: usize) -> Option<(usize, String, bool)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'<') {
        return None; // a here-string
    }
    let indented = b.get(j) == Some(&b'-');
    if indented {
        j += 1;
    }
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    if b.get(j) == Some(&b'\\') {
        j += 1;
    }
    let quote = b.get(j).copied().filter(|&c| c == b'\'' || c == b'"');
    if quote.is_some() {
        j += 1;
    }
    let start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    if j == start {
        return None;
    }
    let word = String::from_utf8_lossy(&b[start..j]).into_owned();
    if let Some(q) = quote
        && b.get(j) == Some(&q)
    {
        j += 1;
    }
    Some((j, word, indented))
}

/// The `)` ending a `case` pattern that opens the line at `i` (`-v|--verbose)`, `*)`,
/// `"a b"|c)`): none when a `(`, `$`, `=`, `#` or unquoted blank comes first.
fn case_pattern_end(b: &[u8], i: usize) -> Option<usize> {
    let mut quote = None;
    let first = (i..b.len()).find(|&j| b[j] != b' ' && b[j] != b'\t')?;
    for (j, &c) in b.iter().enumerate().skip(first) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b')') => return (j > first).then_some(j),
            (None, b'(' | b'$' | b'=' | b'#' | b' ' | b'\t' | b';' | b'`' | b'<' | b'>') => {
                return None;
            }
            _ => {}
        }
    }
    None
}

/// Where the line is, for words whose meaning depends on what came before.
struct Context {
    /// The next word names what the previous keyword declared.
    name_next: Option<usize>,
    /// The next word is a command (shell).
    command: bool,
    /// Only white space so far on this line.
    line_start: bool,
    /// A declaring keyword was followed by a receiver (`func (r T) name(`).
    receiver: Option<usize>,
    /// The last token may be a type (`String`, `void`, `List<T>`, `int[]`).
    after_type: bool,
    /// Inside the parentheses after a `listed_after` word's name: its index and the depth.
    list: Option<(usize, u32)>,
    /// The last word was an assigned key: its unquoted value follows the operator.
    assigning: bool,
}

pub(super) fn line(lx: &Lexer, line: &str, open: &mut Open, ops: &mut Ops) {
    let Some(mut i) = resume(lx, line, open, ops) else {
        return;
    };
    let b = line.as_bytes();
    let mut cx = Context {
        name_next: None,
        command: true,
        line_start: i == 0,
        receiver: None,
        after_type: false,
        list: None,
        assigning: false,
    };
    if let Some(scope) = lx.lang.case_pattern
        && cx.line_start
        && let Some(close) = case_pattern_end(b, i)
    {
        token(ops, close, close + 1, lx.scopes(scope));
        i = close + 1;
        cx.line_start = false;
    }
    let mut heredoc: Option<(String, bool)> = None;
    let mut inner = Ops::new();
    'line: while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let spaced = i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t';
        // Openers are compared only where one may start.
        let (comments, quotes) = match lx.opens[usize::from(c)] {
            true => (lx.lang.comments, lx.lang.quotes),
            false => (&[][..], &[][..]),
        };
        for (k, cm) in comments.iter().enumerate() {
            if !rest.starts_with(cm.open.as_bytes())
                || (cm.close.is_none() && lx.lang.comment_after_space && !spaced)
            {
                continue;
            }
            let scopes = lx.scopes(cm.scope);
            let Some(close) = cm.close else {
                token(ops, i, b.len(), scopes);
                break 'line;
            };
            let from = i + cm.open.len();
            match line[from..].find(close) {
                Some(at) => {
                    push(ops, i, scopes);
                    comment_tags(lx, cm, b, from, from + at, ops);
                    pop(ops, from + at + close.len(), scopes);
                    i = from + at + close.len();
                    continue 'line;
                }
                None => {
                    push(ops, i, scopes);
                    comment_tags(lx, cm, b, from, b.len(), ops);
                    *open = Open::Comment(k);
                    return;
                }
            }
        }
        if lx.lang.heredoc.is_some()
            && rest.starts_with(b"<<")
            && let Some((end, word, indented)) = heredoc_marker(b, i)
        {
            heredoc = Some((word, indented));
            i = end;
            continue;
        }
        for (k, q) in quotes.iter().enumerate() {
            if !rest.starts_with(q.open.as_bytes()) {
                continue;
            }
            inner.clear();
            let body = quote_body(lx, q, b, i + q.open.len(), &mut inner);
            let is_key = body.is_some_and(|end| next_visible(b, end) == Some(b':'));
            let scope = match (lx.lang.quoted_key, q.docstring) {
                (Some(key), _) if is_key => key,
                (_, Some(doc)) if cx.line_start => doc,
                _ => q.scope,
            };
            let scopes = lx.scopes(scope);
            push(ops, i, scopes);
            ops.append(&mut inner);
            match body {
                Some(end) => {
                    pop(ops, end, scopes);
                    i = end;
                    cx.command = false;
                    cx.line_start = false;
                    continue 'line;
                }
                None if q.multiline => {
                    *open = Open::Quote(k);
                    return;
                }
                None => {
                    pop(ops, b.len(), scopes);
                    break 'line;
                }
            }
        }
        i = word_or_symbol(lx, line, i, &mut cx, ops);
    }
    if let Some((end, indented)) = heredoc
        && open == &Open::Code
    {
        push(ops, b.len(), lx.scopes(lx.lang.heredoc.unwrap_or_default()));
        *open = Open::Heredoc { end, indented };
    }
}

/// A sigil variable, an annotation, a number, a word, a member or an operator at `i`; where
/// the next token may start.
fn word_or_symbol(lx: &Lexer, line: &str, i: usize, cx: &mut Context, ops: &mut Ops) -> usize {
    let l = lx.lang;
    let b = line.as_bytes();
    let c = b[i];
    let next = b.get(i + 1).copied().unwrap_or(b' ');
    let was_start = std::mem::replace(&mut cx.line_start, false);
    receiver(l, c, cx);
    let after_type = std::mem::replace(&mut cx.after_type, matches!(c, b'>' | b']'));
    if let Some(end) = attribute(lx, b, i, ops) {
        return end;
    }
    if cx.assigning
        && c != b'='
        && std::mem::replace(&mut cx.assigning, false)
        && let Some(scope) = l.assigned_value
        && i > 0
        && b[i - 1] == b'='
        && !matches!(c, b'$' | b'`' | b'(' | b';')
    {
        let end = i
            + (b[i..].iter())
                .take_while(|&&c| {
                    !matches!(c, b' ' | b'\t' | b';' | b'$' | b'"' | b'\'' | b'`' | b')')
                })
                .count();
        token(ops, i, end, lx.scopes(scope));
        return end;
    }
    track_parens(cx, c);
    if c == b'['
        && was_start
        && let Some(scope) = l.section
    {
        let end = b[i..]
            .iter()
            .position(|&c| c == b']')
            .map_or(b.len(), |e| i + e + 1);
        token(ops, i, end, lx.scopes(scope));
        return end;
    }
    // A doubled sigil byte is an operator, not a sigil (Ruby's `A::B`).
    if let Some((_, scope)) = l.sigils.iter().find(|(s, _)| *s == c)
        && !(i > 0 && b[i - 1] == c)
    {
        let end = if next == b'{' {
            braces_end(b, i + 2)
        } else if is_ident_start(next) || (c == b'$' && next.is_ascii_digit()) {
            sigil_end(b, i + 1)
        } else {
            i + 1
        };
        if end > i + 1 {
            token(ops, i, end, lx.scopes(scope));
            cx.command = false;
            return end;
        }
    }
    if c == b'@'
        && let Some(scope) = l.annotation
        && is_ident_start(next)
    {
        let mut end = ident_end(lx, b, i + 1);
        while b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(|&n| is_ident_start(n)) {
            end = ident_end(lx, b, end + 1);
        }
        token(ops, i, end, lx.scopes(scope));
        return end;
    }
    let after_ident = i > 0 && is_ident(lx, b[i - 1]);
    if let Some(scope) = l.number
        && !after_ident
        && (c.is_ascii_digit() || (c == b'.' && next.is_ascii_digit()))
    {
        let end = number_end(b, i + 1);
        token(ops, i, end, lx.scopes(scope));
        cx.command = false;
        return end;
    }
    if is_ident_start(c) {
        let end = ident_end(lx, b, i);
        cx.after_type = after_type;
        let end = word(lx, line, i, end, was_start, cx, ops);
        return end + named_arg_follow(lx, b, end);
    }
    if let Some(scope) = l.option
        && c == b'-'
        && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t')
        && (next.is_ascii_alphanumeric() || next == b'-')
    {
        let end = ident_end(lx, b, i + 1);
        token(ops, i, end, lx.scopes(scope));
        return end;
    }
    if c == b'.' && is_ident_start(next) && (l.member.is_some() || l.member_call.is_some()) {
        let end = ident_end(lx, b, i + 1);
        let scope = if next_visible(b, end) == Some(b'(') {
            l.member_call
        } else {
            l.member
        };
        if lx.word(line.get(i + 1..end).unwrap_or_default()).is_none() {
            token(ops, i + 1, end, lx.scopes(scope.unwrap_or_default()));
            return end;
        }
        return i + 1;
    }
    if let Some((chars, scope)) = l.operators
        && chars.as_bytes().contains(&c)
    {
        let mut end = i + 1;
        while end < b.len() && chars.as_bytes().contains(&b[end]) {
            end += 1;
        }
        if !l
            .plain_operators
            .contains(&line.get(i..end).unwrap_or_default())
        {
            token(ops, i, end, lx.scopes(scope));
        }
        cx.command = matches!(&b[i..end], b"|" | b"||" | b"&&" | b";" | b"&" | b"|&");
        return end;
    }
    cx.command = matches!(c, b';' | b'|' | b'&' | b'(' | b'`' | b'{');
    i + 1
}

/// An attribute's opener and name (`#[derive`): where it ends, when there is one at `i`.
fn attribute(lx: &Lexer, b: &[u8], i: usize, ops: &mut Ops) -> Option<usize> {
    let (opens, scope) = lx.lang.attribute?;
    let open = opens.iter().find(|o| b[i..].starts_with(o.as_bytes()))?;
    let start = i + open.len();
    if !b.get(start).is_some_and(|&c| is_ident_start(c)) {
        return None;
    }
    let end = ident_end(lx, b, start);
    token(ops, start, end, lx.scopes(scope));
    Some(end)
}

/// Notes a declaring keyword's receiver (`func (`) and forgets it where the body starts.
fn receiver(l: &super::Lang, c: u8, cx: &mut Context) {
    if !l.name_after_receiver {
        return;
    }
    match c {
        b'(' if cx.name_next.is_some() => cx.receiver = cx.name_next.take(),
        b'{' | b'=' => cx.receiver = None,
        _ => {}
    }
}

/// The first position at or after `i` that is not a space or a tab.
fn visible_at(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

/// The byte after a word that a `named_arg` token took in (Ruby's `name:`): 1, else 0.
fn named_arg_follow(lx: &Lexer, b: &[u8], end: usize) -> usize {
    match lx.lang.named_arg {
        Some((follow, true, _))
            if b.get(end) == Some(&follow) && b.get(end + 1) != Some(&follow) =>
        {
            1
        }
        _ => 0,
    }
}

/// Follows the parentheses of a `listed_after` list.
fn track_parens(cx: &mut Context, c: u8) {
    if let Some((k, depth)) = cx.list {
        cx.list = match c {
            b'(' | b'[' | b'{' => Some((k, depth + 1)),
            b')' | b']' | b'}' if depth <= 1 => None,
            b')' | b']' | b'}' => Some((k, depth - 1)),
            _ => cx.list,
        };
    }
}

/// Whether the operator after `end` (past blanks) is `==`, not an assignment.
fn is_comparison(b: &[u8], end: usize) -> bool {
    let at = end
        + (b[end..].iter())
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
    b.get(at + 1) == Some(&b'=')
}

/// The last byte before `i` that is not a space or a tab.
fn prev_visible(b: &[u8], i: usize) -> Option<u8> {
    b[..i]
        .iter()
        .rev()
        .find(|&&c| c != b' ' && c != b'\t')
        .copied()
}

/// Scopes a word by what it is (keyword, declared name, key, command, call, type) and by
/// what came before it. Where the token ends (past a dotted name's last part).
fn word(
    lx: &Lexer,
    line: &str,
    start: usize,
    end: usize,
    line_start: bool,
    cx: &mut Context,
    ops: &mut Ops,
) -> usize {
    let l = lx.lang;
    let b = line.as_bytes();
    // Identifiers end at an ASCII byte or the line's end: always a character boundary.
    let text = line.get(start..end).unwrap_or_default();
    let command = std::mem::replace(&mut cx.command, false);
    if let Some(k) = cx.name_next.take() {
        let (_, scope) = l.names_after[k];
        let end = if l.dotted_names {
            dotted_end(lx, b, end)
        } else {
            end
        };
        token(ops, start, end, lx.scopes(scope));
        return end;
    }
    let after_type = std::mem::replace(&mut cx.after_type, false);
    let next = next_visible(b, end);
    if let Some((follow, with_it, scope)) = l.named_arg
        && b.get(end) == Some(&follow)
        && b.get(end + 1) != Some(&follow)
    {
        token(ops, start, end + usize::from(with_it), lx.scopes(scope));
        return end;
    }
    if let Some((k, 1)) = cx.list
        && matches!(prev_visible(b, start), Some(b'(' | b',' | b'*'))
    {
        token(ops, start, end, lx.scopes(l.listed_after[k].1));
        return end;
    }
    if let Some((after, scope)) = l.defined_by
        && b[end..].starts_with(after.as_bytes())
        && lx.word(text).is_none()
    {
        token(ops, start, end, lx.scopes(scope));
        return end;
    }
    if let Some(scopes) = lx.word(text) {
        token(ops, start, end, scopes);
        cx.after_type = lx.types.contains(text);
        cx.name_next = (l.names_after.iter())
            .position(|(w, _)| *w == text || (l.fold_case && w.eq_ignore_ascii_case(text)));
        if let Some(k) = l.listed_after.iter().position(|(w, _)| *w == text) {
            cx.list = Some((k, 0));
        }
        cx.command = l.command_after.contains(&text);
        return end;
    }
    if let Some(k) = cx.receiver
        && next == Some(b'(')
    {
        cx.receiver = None;
        token(ops, start, end, lx.scopes(l.names_after[k].1));
        return end;
    }
    let colon = visible_at(b, end);
    let upper = text.len() > 1
        && text
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c == b'_' || c.is_ascii_digit());
    let capital = text.as_bytes()[0].is_ascii_uppercase();
    let before = b[..start].iter().rev().find(|&&c| c != b' ' && c != b'\t');
    let scope = if let Some((follow, key)) = l.assigned_key
        && (line_start || (command && l.command.is_some()))
        && next.is_some_and(|n| follow.contains(&n))
        && !is_comparison(b, end)
    {
        cx.assigning = true;
        Some(key)
    } else if let Some((after, scope)) = l.type_after
        && capital
        && before.is_some_and(|c| after.contains(c))
    {
        Some(scope)
    } else if l.before_colon.is_some()
        && !(upper && l.upper_case.is_some())
        && next == Some(b':')
        && b.get(colon + 1) != Some(&b':')
        && !b[..start].ends_with(b"::")
    {
        l.before_colon
    } else if command && l.command.is_some() {
        l.command
    } else if next == Some(b'(') && l.path_call.is_some() && b[..start].ends_with(b"::") {
        l.path_call
    } else if let Some(scope) = l.declaration
        && next == Some(b'(')
        && before != Some(&b'.')
        && (after_type || (line_start && paren_then_brace(b, colon)))
    {
        Some(scope)
    } else if next == Some(b'(') && l.call.is_some() {
        l.call
    } else if l.upper_case.is_some() && upper {
        l.upper_case
    } else if capital && l.capitalised.is_some() {
        l.capitalised
    } else {
        l.plain
    };
    cx.after_type = scope == l.plain || scope == l.capitalised || scope == l.upper_case;
    if let Some(scope) = scope {
        token(ops, start, end, lx.scopes(scope));
    }
    end
}

/// The end of a dotted name whose first part ends at `end` (`java.util.List`, `a.b.*`).
fn dotted_end(lx: &Lexer, b: &[u8], mut end: usize) -> usize {
    while b.get(end) == Some(&b'.') {
        match b.get(end + 1) {
            Some(&c) if is_ident_start(c) => end = ident_end(lx, b, end + 1),
            Some(b'*') => end += 2,
            _ => break,
        }
    }
    end
}

/// Whether the `(` at `open` closes on this line and a `{` follows (`run(x) {`).
fn paren_then_brace(b: &[u8], open: usize) -> bool {
    let mut depth = 0;
    for (k, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'(' => depth += 1,
            b')' if depth == 1 => return next_visible(b, k + 1) == Some(b'{'),
            b')' => depth -= 1,
            _ => {}
        }
    }
    false
}
