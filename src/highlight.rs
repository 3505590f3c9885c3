//! Syntax highlighting: code text + language in, HTML with class-based spans out, in the
//! markup pymdownx.highlight produces (`<div class="language-x highlight">`, a line-number
//! table column, `hll` lines, a `filename` title). syntect does the parsing with two-face's
//! extended syntax set; the sets load once per process.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasher as _, BuildHasherDefault};
use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::html::ClassStyle;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};

use crate::html::escape_text;

/// Every highlighter class starts with this, so theme CSS never collides with page CSS.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Beyond this many bytes a block is shown unhighlighted: the parser is superlinear on
/// pathological input and one generated file must not stall a 20,000-page build.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;

/// What a fenced or indented block asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct CodeOptions<'a> {
    pub lang: Option<&'a str>,
    pub title: Option<&'a str>,
    pub linenums: bool,
    pub linenums_start: usize,
    /// 1-based line numbers (relative to the block) to mark with `hll`.
    pub hl_lines: &'a [usize],
}

/// Names people write after the fence mapped to the name of a syntax in the set. Anything
/// not here is looked up by syntect as a file extension or a syntax name.
const ALIASES: &[(&str, &str)] = &[
    ("bash", "Bourne Again Shell (bash)"),
    ("sh", "Bourne Again Shell (bash)"),
    ("shell", "Bourne Again Shell (bash)"),
    ("zsh", "Bourne Again Shell (bash)"),
    ("console", "Bourne Again Shell (bash)"),
    ("shell-session", "Bourne Again Shell (bash)"),
    ("docker-compose", "YAML"),
    ("hs", "Haskell"),
    ("django", "HTML (Jinja2)"),
    ("jinja", "HTML (Jinja2)"),
    ("jinja2", "HTML (Jinja2)"),
    ("html+jinja", "HTML (Jinja2)"),
    ("pycon", "Python"),
    ("ruby", "Ruby"),
    ("rb", "Ruby"),
    ("js", "JavaScript"),
    ("javascript", "JavaScript"),
    ("jsx", "JavaScript (Babel)"),
    ("ts", "TypeScript"),
    ("typescript", "TypeScript"),
    ("tsx", "TypeScriptReact"),
    ("py", "Python"),
    ("python3", "Python"),
    ("py3", "Python"),
    ("yml", "YAML"),
    ("yaml", "YAML"),
    ("jsonc", "JSON"),
    ("json5", "JSON"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("hcl", "Terraform"),
    ("terraform", "Terraform"),
    ("tf", "Terraform"),
    ("proto", "Protocol Buffer"),
    ("protobuf", "Protocol Buffer"),
    ("graphql", "GraphQL"),
    ("gql", "GraphQL"),
    ("kotlin", "Kotlin"),
    ("kt", "Kotlin"),
    ("golang", "Go"),
    ("rs", "Rust"),
    ("toml", "TOML"),
    ("sql", "SQL"),
    ("html", "HTML"),
    ("xml", "XML"),
    ("md", "Markdown"),
    ("markdown", "Markdown"),
    ("diff", "Diff"),
    ("patch", "Diff"),
    ("c++", "C++"),
    ("cpp", "C++"),
    ("csharp", "C#"),
    ("cs", "C#"),
    ("powershell", "PowerShell"),
    ("ps1", "PowerShell"),
    ("make", "Makefile"),
    ("makefile", "Makefile"),
    ("ini", "INI"),
    ("nginx", "nginx"),
];

/// Languages that mean "no highlighting" on purpose.
const PLAIN: &[&str] = &[
    "text",
    "plain",
    "plaintext",
    "txt",
    "none",
    "nohighlight",
    "output",
];

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Finds the syntax for a fence language, or `None` for plain text. Answers are kept per
/// thread: the lookup scans the alias table and the set's syntaxes, once per fence otherwise.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    thread_local! {
        static FOUND: RefCell<HashMap<String, Option<&'static SyntaxReference>>> =
            RefCell::new(HashMap::new());
    }
    FOUND.with(|found| {
        let mut found = found.borrow_mut();
        if let Some(s) = found.get(lang) {
            return *s;
        }
        let s = lookup_syntax(lang);
        if found.len() >= 4096 {
            // Only a page of made-up fence names gets here; never grow without bound.
            found.clear();
        }
        found.insert(lang.to_string(), s);
        s
    })
}

fn lookup_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntax_set();
    let lower = lang.trim().to_ascii_lowercase();
    if lower.is_empty() || PLAIN.contains(&lower.as_str()) {
        return None;
    }
    if let Some((_, name)) = ALIASES.iter().find(|(alias, _)| *alias == lower)
        && let Some(s) = set.find_syntax_by_name(name)
    {
        return Some(s);
    }
    set.find_syntax_by_token(&lower)
        .or_else(|| set.find_syntax_by_token(lang.trim()))
        .filter(|s| s.name != "Plain Text")
}

/// Whether `lang` gets real highlighting (not plain text).
pub fn language_known(lang: &str) -> bool {
    find_syntax(lang).is_some()
}

/// Highlights a whole block into pymdownx.highlight's markup. Unknown languages come out as
/// escaped plain text under `language-text`.
pub fn highlight_block(code: &str, opts: &CodeOptions) -> String {
    let syntax = opts.lang.and_then(find_syntax);
    let lang_class = match (opts.lang, syntax) {
        (Some(l), Some(_)) => sanitize_class(l),
        _ => "text".to_string(),
    };
    let lines = highlight_lines(code, syntax);
    let line_numbers = if opts.linenums { lines.len() * 40 } else { 0 };
    let mut out = String::with_capacity(lines.html.len() + lines.len() + line_numbers + 400);
    let _ = write!(out, "<div class=\"language-{lang_class} highlight\">");
    if opts.linenums {
        out.push_str("<table class=\"highlighttable\">");
        if let Some(title) = opts.title {
            out.push_str("<tr><th colspan=\"2\" class=\"filename\"><span class=\"filename\">");
            escape_text(&mut out, title);
            out.push_str("</span></th></tr>");
        }
        out.push_str("<tr><td class=\"linenos\"><div class=\"linenodiv\"><pre><span></span>");
        let start = opts.linenums_start.max(1);
        for n in 0..lines.len() {
            if n > 0 {
                out.push('\n');
            }
            let _ = write!(out, "<span class=\"normal\">{}</span>", start + n);
        }
        out.push_str("</pre></div></td><td class=\"code\"><div>");
        write_code(&mut out, &lines, opts.hl_lines);
        out.push_str("</div></td></tr></table>");
    } else {
        if let Some(title) = opts.title {
            out.push_str("<span class=\"filename\">");
            escape_text(&mut out, title);
            out.push_str("</span>");
        }
        write_code(&mut out, &lines, opts.hl_lines);
    }
    out.push_str("</div>");
    out
}

/// The `<pre><code>` part of a block, `hl_lines` (1-based) wrapped in `hll` spans.
fn write_code(out: &mut String, lines: &Lines, hl_lines: &[usize]) {
    out.push_str("<pre><span></span><code>");
    for (i, line) in lines.iter().enumerate() {
        let marked = hl_lines.contains(&(i + 1));
        if marked {
            out.push_str("<span class=\"hll\">");
        }
        out.push_str(line);
        out.push('\n');
        if marked {
            out.push_str("</span>");
        }
    }
    out.push_str("</code></pre>");
}

/// Inline code with a `#!lang` prefix: the whole `<code>` element.
pub fn highlight_inline(code: &str, lang: &str) -> String {
    let syntax = find_syntax(lang);
    let lang_class = if syntax.is_some() {
        sanitize_class(lang)
    } else {
        "text".into()
    };
    let lines = highlight_lines(code, syntax);
    let mut out = String::with_capacity(lines.html.len() + lines.len() + 64);
    let _ = write!(out, "<code class=\"language-{lang_class} highlight\">");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.push_str("</code>");
    out
}

/// Highlighted lines: their HTML one after another, and where each one ends.
#[derive(Default)]
struct Lines {
    html: String,
    ends: Vec<usize>,
}

impl Lines {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Ends the line being written.
    fn end_line(&mut self) {
        self.ends.push(self.html.len());
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let line = &self.html[start..end];
            start = end;
            line
        })
    }
}

/// The HTML of each source line, each with every span it opens closed again, so a line can
/// be wrapped (`hll`) without breaking the nesting. No trailing newline.
fn highlight_lines(code: &str, syntax: Option<&'static SyntaxReference>) -> Lines {
    let code = code.strip_suffix('\n').unwrap_or(code);
    let syntax = match syntax {
        Some(s) if code.len() <= MAX_HIGHLIGHT_BYTES => s,
        _ => return plain_lines(code),
    };
    let set = syntax_set();
    let syntax_id = std::ptr::from_ref(syntax) as usize;
    let mut out = Lines {
        html: String::with_capacity(code.len() * 8),
        ends: Vec::new(),
    };
    let mut with_newline = String::new();
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        // Only here, between blocks, may the memo start again: the ids below stay valid.
        memo.make_room();
        let mut at = memo.start(syntax);
        // The parser state and scope stack `at` stands for, while the last line was parsed
        // here (no need to copy them out of the memo for the next line).
        let mut live: Option<(ParseState, ScopeStack)> = None;
        for line in code.split('\n') {
            let key = memo.key(syntax_id, line);
            if let Some(hit) = memo.find(key, line, at) {
                out.html.push_str(&hit.html);
                out.end_line();
                at = hit.after;
                live = None;
                continue;
            }
            let (mut state, mut stack) = live.take().unwrap_or_else(|| memo.get(at));
            let from = out.html.len();
            if !highlight_line(
                line,
                &mut state,
                &mut stack,
                set,
                &mut with_newline,
                &mut out.html,
            ) {
                return plain_lines(code);
            }
            let after = memo.intern(&state, &stack);
            memo.insert(
                key,
                MemoLine {
                    line: line.into(),
                    before: at,
                    html: out.html[from..].into(),
                    after,
                },
            );
            out.end_line();
            at = after;
            live = Some((state, stack));
        }
        out
    })
}

fn plain_lines(code: &str) -> Lines {
    let mut out = Lines {
        html: String::with_capacity(code.len() + code.len() / 8),
        ends: Vec::new(),
    };
    for line in code.split('\n') {
        escape_text(&mut out.html, line);
        out.end_line();
    }
    out
}

/// Appends one line's HTML to `html`, advancing the parser state and the scope stack past
/// it; false when the syntax definition fails on it (the block is then shown without
/// colours, and what was appended is to be thrown away).
fn highlight_line(
    line: &str,
    state: &mut ParseState,
    stack: &mut ScopeStack,
    set: &SyntaxSet,
    with_newline: &mut String,
    html: &mut String,
) -> bool {
    with_newline.clear();
    with_newline.push_str(line);
    with_newline.push('\n');
    let Ok(ops) = state.parse_line(with_newline, set) else {
        return false;
    };
    let from = html.len();
    // Re-open what the previous line left open.
    for scope in stack.as_slice() {
        open_span(html, *scope);
    }
    let mut open = stack.len();
    let mut at = 0;
    for (i, op) in ops {
        let i = i.min(line.len());
        if i > at {
            escape_text(html, &line[at..i]);
            at = i;
        }
        let applied = stack.apply_with_hook(&op, |basic, _| match basic {
            BasicScopeStackOp::Push(scope) => {
                open_span(html, scope);
                open += 1;
            }
            BasicScopeStackOp::Pop => {
                if open > 0 {
                    html.push_str("</span>");
                    open -= 1;
                }
            }
        });
        if applied.is_err() {
            return false;
        }
    }
    if at < line.len() {
        escape_text(html, &line[at..]);
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    drop_empty_spans(html, from);
    true
}

/// Per-thread memo of highlighted lines. A line's HTML and the parser state after it depend
/// only on the line, the parser state and the scope stack before it, so a line seen before
/// in the same state is not parsed again. Code in a documentation site repeats a lot (the
/// same imports, config keys and commands on many pages), and syntect's regex search is most
/// of the time a page takes.
///
/// Parser states and scope stacks are stored once each and named by number: a few hundred
/// distinct ones serve many thousands of lines, and comparing two numbers is cheaper than
/// comparing (or copying) the states.
struct LineMemo {
    hasher: std::hash::RandomState,
    /// By hash of (syntax, line).
    lines: HashMap<u64, Vec<MemoLine>, BuildHasherDefault<KeyHasher>>,
    states: Vec<ParseState>,
    stacks: Vec<ScopeStack>,
    /// By hash: the states (their `Debug` text: `ParseState` has no `Hash`) and stacks stored.
    state_ids: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    stack_ids: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    /// The start state of each syntax, by syntax address.
    starts: HashMap<usize, u32>,
    /// Rough heap size of all the above, kept under [`MEMO_BYTES`].
    bytes: usize,
    /// Scratch space for a state's `Debug` text.
    debug: String,
}

/// A parser state and a scope stack, by their numbers in the memo.
#[derive(Clone, Copy, PartialEq, Eq)]
struct At {
    state: u32,
    stack: u32,
}

struct MemoLine {
    line: Box<str>,
    before: At,
    html: Box<str>,
    after: At,
}

/// The memo's size limit per thread (estimated); past it the memo starts again empty.
const MEMO_BYTES: usize = 24 * 1024 * 1024;
/// At most this many parser states are remembered for one line.
const MEMO_STATES_PER_LINE: usize = 8;
/// Estimated heap size of a stored parser state or scope stack.
const STATE_BYTES: usize = 512;

thread_local! {
    static MEMO: RefCell<LineMemo> = RefCell::new(LineMemo {
        hasher: std::hash::RandomState::new(),
        lines: HashMap::default(),
        states: Vec::new(),
        stacks: Vec::new(),
        state_ids: HashMap::default(),
        stack_ids: HashMap::default(),
        starts: HashMap::new(),
        bytes: 0,
        debug: String::new(),
    });
}

impl LineMemo {
    fn key(&self, syntax_id: usize, line: &str) -> u64 {
        self.hasher.hash_one((syntax_id, line))
    }

    fn find(&self, key: u64, line: &str, at: At) -> Option<&MemoLine> {
        self.lines
            .get(&key)?
            .iter()
            .find(|m| m.before == at && *m.line == *line)
    }

    fn insert(&mut self, key: u64, entry: MemoLine) {
        let bucket = self.lines.entry(key).or_default();
        if bucket.len() < MEMO_STATES_PER_LINE {
            self.bytes += entry.line.len() + entry.html.len() + std::mem::size_of::<MemoLine>();
            bucket.push(entry);
        }
    }

    /// Copies of the state and stack `at` names.
    fn get(&self, at: At) -> (ParseState, ScopeStack) {
        (
            self.states[at.state as usize].clone(),
            self.stacks[at.stack as usize].clone(),
        )
    }

    /// A syntax's start: its fresh parser state and an empty scope stack.
    fn start(&mut self, syntax: &SyntaxReference) -> At {
        let syntax_id = std::ptr::from_ref(syntax) as usize;
        let stack = self.intern_stack(&ScopeStack::new());
        if let Some(&state) = self.starts.get(&syntax_id) {
            return At { state, stack };
        }
        let state = self.intern_state(&ParseState::new(syntax));
        self.starts.insert(syntax_id, state);
        At { state, stack }
    }

    fn intern(&mut self, state: &ParseState, stack: &ScopeStack) -> At {
        At {
            state: self.intern_state(state),
            stack: self.intern_stack(stack),
        }
    }

    fn intern_state(&mut self, state: &ParseState) -> u32 {
        self.debug.clear();
        let _ = write!(self.debug, "{state:?}");
        let hash = self.hasher.hash_one(&self.debug);
        let ids = self.state_ids.entry(hash).or_default();
        if let Some(&id) = ids.iter().find(|&&id| self.states[id as usize] == *state) {
            return id;
        }
        let id = u32::try_from(self.states.len()).expect("memo emptied long before");
        ids.push(id);
        self.states.push(state.clone());
        self.bytes += STATE_BYTES;
        id
    }

    fn intern_stack(&mut self, stack: &ScopeStack) -> u32 {
        let hash = self.hasher.hash_one(stack.as_slice());
        let ids = self.stack_ids.entry(hash).or_default();
        if let Some(&id) = ids.iter().find(|&&id| self.stacks[id as usize] == *stack) {
            return id;
        }
        let id = u32::try_from(self.stacks.len()).expect("memo emptied long before");
        ids.push(id);
        self.stacks.push(stack.clone());
        self.bytes += STATE_BYTES;
        id
    }

    /// Starts again empty when over its size limit.
    fn make_room(&mut self) {
        if self.bytes > MEMO_BYTES {
            self.clear();
        }
    }

    fn clear(&mut self) {
        self.lines = HashMap::default();
        self.states = Vec::new();
        self.stacks = Vec::new();
        self.state_ids = HashMap::default();
        self.stack_ids = HashMap::default();
        self.starts = HashMap::new();
        self.bytes = 0;
    }
}

/// Empties the calling thread's line memo (benchmarks use it to measure a cold start).
#[doc(hidden)]
pub fn clear_line_memo() {
    MEMO.with(|memo| memo.borrow_mut().clear());
}

/// The memo's keys are hashes already.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn open_span(out: &mut String, scope: Scope) {
    thread_local! {
        // Scope names come from a global, locked repository; cache them per thread so
        // parallel rendering does not queue on that lock.
        static CLASSES: RefCell<HashMap<Scope, String>> = RefCell::new(HashMap::new());
    }
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let classes = cache.entry(scope).or_insert_with(|| {
            scope
                .build_string()
                .split('.')
                .map(|atom| format!("hl-{atom}"))
                .collect::<Vec<_>>()
                .join(" ")
        });
        out.push_str("<span class=\"");
        out.push_str(classes);
        out.push_str("\">");
    });
}

/// Removes `<span …></span>` pairs with nothing inside (left by re-opening at line ends)
/// from `html[from..]`.
fn drop_empty_spans(html: &mut String, from: usize) {
    loop {
        let Some(end) = html[from..].find("\"></span>").map(|e| from + e) else {
            return;
        };
        let Some(start) = html[from..end].rfind("<span class=\"").map(|s| from + s) else {
            return;
        };
        if html[start + 13..end].contains('<') {
            return;
        }
        html.replace_range(start..end + 9, "");
    }
}

/// Class-safe version of a language name (`c++` stays readable, quotes cannot escape).
fn sanitize_class(lang: &str) -> String {
    lang.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect()
}

fn theme(name: two_face::theme::EmbeddedThemeName) -> Theme {
    two_face::theme::extra().get(name).clone()
}

/// The highlighter's stylesheet: light colours by default, dark ones when the reader's
/// system prefers dark (unless the page forces light) or the page says `data-theme=dark`.
pub fn stylesheet() -> String {
    use two_face::theme::EmbeddedThemeName as N;
    let light =
        syntect::html::css_for_theme_with_class_style(&theme(N::InspiredGithub), CLASS_STYLE)
            .unwrap_or_default();
    let dark = syntect::html::css_for_theme_with_class_style(&theme(N::OneHalfDark), CLASS_STYLE)
        .unwrap_or_default();
    let mut css = String::new();
    css.push_str("/* stagedoor code highlighting (generated from syntect themes) */\n");
    css.push_str(BASE_CSS);
    css.push_str(&light);
    css.push_str("\n@media (prefers-color-scheme: dark) {\n");
    css.push_str(&prefix_selectors(&dark, ":root:not([data-theme=light])"));
    css.push_str(&prefix_selectors(
        DARK_BASE_CSS,
        ":root:not([data-theme=light])",
    ));
    css.push_str("}\n");
    css.push_str(&prefix_selectors(&dark, "[data-theme=dark]"));
    css.push_str(&prefix_selectors(DARK_BASE_CSS, "[data-theme=dark]"));
    css
}

const BASE_CSS: &str = "\
.highlight pre { margin: 0; overflow: auto; }
.highlight .hll { display: block; background-color: rgba(255, 213, 0, 0.25); }
.highlight .filename { display: block; font-weight: bold; padding: 0.3em 0.6em; }
.highlighttable { border-collapse: collapse; width: 100%; }
.highlighttable td.linenos { width: 1%; text-align: right; user-select: none; opacity: 0.5; padding-right: 0.6em; vertical-align: top; }
.highlighttable td.code { width: 99%; }
";

const DARK_BASE_CSS: &str = "\
.highlight .hll { background-color: rgba(255, 213, 0, 0.15); }
";

/// Puts `prefix ` before every selector of every rule (comments kept as they are).
fn prefix_selectors(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let (head, tail) = rest.split_at(open);
        let Some(close) = tail.find('}') else { break };
        let (selectors, comment) = split_comment(head);
        out.push_str(comment);
        let prefixed: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{prefix} {s}"))
            .collect();
        out.push_str(&prefixed.join(", "));
        out.push(' ');
        out.push_str(&tail[..=close]);
        out.push('\n');
        rest = &tail[close + 1..];
    }
    out
}

/// Splits a leading `/* … */` comment off a rule head.
fn split_comment(head: &str) -> (&str, &str) {
    match head.rfind("*/") {
        Some(end) => (&head[end + 2..], &head[..end + 2]),
        None => (head, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_real_syntaxes() {
        for (alias, name) in ALIASES {
            assert!(
                syntax_set().find_syntax_by_name(name).is_some(),
                "alias {alias} points at missing syntax {name}"
            );
        }
    }

    #[test]
    fn lines_are_self_contained() {
        let html = highlight_block(
            "/* a\n b */\nlet x = 1;\n",
            &CodeOptions {
                lang: Some("rust"),
                ..Default::default()
            },
        );
        for line in html.split('\n') {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        let marked = highlight_block(
            "a\nb\n",
            &CodeOptions {
                lang: Some("rust"),
                hl_lines: &[2],
                ..Default::default()
            },
        );
        assert!(marked.contains("<span class=\"hll\">"));
    }

    /// `highlight_lines` without the memo.
    fn unmemoized(code: &str, lang: &str) -> Vec<String> {
        let code = code.strip_suffix('\n').unwrap_or(code);
        let syntax = find_syntax(lang).expect("a known language");
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut buf = String::new();
        code.split('\n')
            .map(|l| {
                let mut html = String::new();
                assert!(highlight_line(
                    l,
                    &mut state,
                    &mut stack,
                    syntax_set(),
                    &mut buf,
                    &mut html
                ));
                html
            })
            .collect()
    }

    #[test]
    fn memo_gives_what_parsing_gives() {
        // The same line in different states (in a comment, in a string, at the top level,
        // first line or not), in different orders, twice over.
        let blocks = [
            ("rust", "let x = 1;\n/* a\nlet x = 1;\n*/\nlet x = 1;\n"),
            ("rust", "let x = 1;\nlet s = \"\nlet x = 1;\n\";\n"),
            ("python", "x = 1\n'''\nx = 1\n'''\nx = 1\n"),
            ("python", "'''\nx = 1\n'''\n"),
            ("bash", "cat <<EOF\nx = 1\nEOF\nx = 1\n"),
            ("bash", "cat <<END\nEOF\nx = 1\nEND\nEOF\n"),
            ("yaml", "a: |\n  x = 1\nx = 1\n"),
        ];
        clear_line_memo();
        for _ in 0..2 {
            for (lang, code) in blocks.iter().chain(blocks.iter().rev()) {
                let syntax = find_syntax(lang);
                assert_eq!(
                    highlight_lines(code, syntax).iter().collect::<Vec<_>>(),
                    unmemoized(code, lang),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(":root:not([data-theme=light]) .hl-"));
        assert!(css.contains("[data-theme=dark] .hl-"));
    }
}
