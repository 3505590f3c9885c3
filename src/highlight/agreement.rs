//! How closely a fast lexer (`lexers`) agrees with syntect's grammar for the same language:
//! character by character, whether the text looks the same (the same style classes, light
//! and dark). Tests hold each lexer to a floor; `examples/highlight_agreement.rs` prints the
//! figures and the commonest differences on any Markdown corpus.

use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp};

use super::{find_syntax, lexers, styles, syntax_set};

/// The comparison of one block (or many, added up).
#[derive(Debug, Default)]
pub struct Agreement {
    /// Characters compared (white space is not: it shows the same either way).
    pub chars: usize,
    /// Of those, how many look the same.
    pub same: usize,
    /// Each run of differently-looking text: (text, grammar's scopes, lexer's scopes), each
    /// scope list followed by its style classes in brackets.
    pub diffs: Vec<(String, String, String)>,
}

impl Agreement {
    pub fn add(&mut self, other: Agreement) {
        self.chars += other.chars;
        self.same += other.same;
        self.diffs.extend(other.diffs);
    }

    pub fn ratio(&self) -> f64 {
        if self.chars == 0 {
            1.0
        } else {
            self.same as f64 / self.chars as f64
        }
    }
}

/// Whether `lang` has a fast lexer (and so something to compare).
pub fn has_lexer(lang: &str) -> bool {
    lexers::find(lang).is_some() && find_syntax(lang).is_some()
}

/// The fast lexer's name for `lang`'s language (its first fence name).
pub fn lexer_name(lang: &str) -> Option<&'static str> {
    lexers::find(lang).and_then(|l| l.lang.names.first().copied())
}

/// Per byte of a line: its scopes (the block's own scope left out) with its style classes,
/// and the classes alone.
type Marks = Vec<(String, String)>;

fn marks(line: &str, ops: &[(usize, ScopeStackOp)], stack: &mut ScopeStack) -> Option<Marks> {
    let mut out = Vec::with_capacity(line.len());
    let fill = |out: &mut Marks, to: usize, stack: &ScopeStack| {
        let scopes: &[Scope] = stack.as_slice();
        let names: Vec<String> = scopes.iter().skip(1).map(|s| s.build_string()).collect();
        let classes = styles::classes_of(scopes);
        let mark = (format!("{} [{classes}]", names.join(" ")), classes);
        while out.len() < to {
            out.push(mark.clone());
        }
    };
    for (i, op) in ops {
        fill(&mut out, (*i).min(line.len()), stack);
        stack.apply(op).ok()?;
    }
    fill(&mut out, line.len(), stack);
    Some(out)
}

/// The fenced code blocks of a Markdown text: (language, code), for measuring agreement on
/// a corpus or a fixture (` ``` ` and `~~~` fences, indented ones too, the language the first
/// word of the info string).
pub fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, usize, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        match &mut open {
            Some((marker, lang, ind, code)) => {
                if fence.len() >= marker.len()
                    && fence.starts_with(&marker[..1])
                    && trimmed[fence.len()..].trim().is_empty()
                {
                    blocks.push((lang.clone(), std::mem::take(code)));
                    open = None;
                } else {
                    let strip = line.len() - line.trim_start().len();
                    code.push_str(&line[strip.min(*ind)..]);
                    code.push('\n');
                }
            }
            None if fence.len() >= 3 => {
                let info = trimmed[fence.len()..].trim().trim_start_matches(['{', '.']);
                let lang: String = (info.chars())
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '+' | '#' | '_'))
                    .collect();
                open = Some((fence, lang, indent, String::new()));
            }
            None => {}
        }
    }
    blocks
}

/// Compares the two tokenisers on one block of `lang`; None when either is missing or
/// syntect fails on the block.
pub fn compare(code: &str, lang: &str) -> Option<Agreement> {
    let lexer = lexers::find(lang)?;
    let syntax = find_syntax(lang)?;
    let mut state = ParseState::new(syntax);
    let (mut grammar_stack, mut lexer_stack) = (ScopeStack::new(), ScopeStack::new());
    let mut open = lexers::Open::default();
    let mut ops = vec![(0, ScopeStackOp::Push(lexer.base))];
    let mut result = Agreement::default();
    for line in code.strip_suffix('\n').unwrap_or(code).split('\n') {
        let grammar_ops = state.parse_line(&format!("{line}\n"), syntax_set()).ok()?;
        let grammar = marks(line, &grammar_ops, &mut grammar_stack)?;
        lexer.line(line, &mut open, &mut ops);
        let lexed = marks(line, &ops, &mut lexer_stack)?;
        ops.clear();
        tally(line, &grammar, &lexed, &mut result);
    }
    Some(result)
}

fn tally(line: &str, grammar: &Marks, lexed: &Marks, result: &mut Agreement) {
    // A run of differing characters with the same scopes either side is one difference.
    let mut extending = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            extending = false;
            continue;
        }
        result.chars += 1;
        let (g, l) = (&grammar[i], &lexed[i]);
        if g.1 == l.1 {
            result.same += 1;
            extending = false;
            continue;
        }
        match result.diffs.last_mut() {
            Some(d) if extending && d.1 == g.0 && d.2 == l.0 => d.0.push(c),
            _ => result.diffs.push((c.to_string(), g.0.clone(), l.0.clone())),
        }
        extending = true;
    }
}
