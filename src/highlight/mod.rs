//! Syntax highlighting: code text + language in, HTML with class-based spans out, in the
//! markup pymdownx.highlight produces (`<div class="language-x highlight">`, a line-number
//! table column, `hll` lines, a `filename` title). syntect does the parsing with two-face's
//! extended syntax set; the sets load once per process. The spans come in one of two
//! markups (`Markup`): flat spans named after how text looks (`styles`, the default) or
//! nested spans named after its syntax scopes (`scopes`). The languages docs show most are
//! tokenised by fast table-driven lexers (`lexers`) that give syntect's scopes; the rest by
//! syntect's grammars, with a per-thread memo (`memo`) of lines already highlighted.

pub mod agreement;
mod cascade;
mod lexers;
mod memo;
mod scopes;
mod styles;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};

use crate::html::escape_text;
pub use memo::clear_line_memo;
use memo::{MEMO, MemoLine};

/// How highlighted text is marked up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Markup {
    /// Flat spans whose classes name the text's colours and font in each theme: a fifth of
    /// the bytes, styled by the stylesheet stagedoor writes.
    #[default]
    Styles,
    /// Nested spans named after syntax scopes (`hl-keyword hl-control`), for a site whose
    /// theme brings its own `static/highlight.css` written against scope names.
    Scopes,
}

impl Markup {
    /// Scope markup when the site's theme folder overrides the highlighting stylesheet,
    /// which can only be written against scope names; style markup otherwise.
    pub fn for_theme(theme_dir: Option<&Path>) -> Markup {
        match theme_dir {
            Some(dir) if dir.join("static/highlight.css").is_file() => Markup::Scopes,
            _ => Markup::Styles,
        }
    }
}

/// Beyond this many bytes a block is shown unhighlighted: syntect's parser is superlinear on
/// pathological input and one generated file must not stall a 20,000-page build.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
/// The fast lexers take one pass per line, so a big block (an API definition's source)
/// costs only its size; past this it is still shown plain, to bound the page.
const MAX_LEXED_BYTES: usize = 4 * 1024 * 1024;

/// What a fenced or indented block asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct CodeOptions<'a> {
    pub lang: Option<&'a str>,
    pub title: Option<&'a str>,
    pub linenums: bool,
    pub linenums_start: usize,
    /// 1-based line numbers (relative to the block) to mark with `hll`.
    pub hl_lines: &'a [usize],
    pub markup: Markup,
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

/// The light and the dark theme.
fn themes() -> &'static [Theme; 2] {
    use two_face::theme::EmbeddedThemeName as N;
    static THEMES: OnceLock<[Theme; 2]> = OnceLock::new();
    THEMES.get_or_init(|| {
        let set = two_face::theme::extra();
        [
            set.get(N::InspiredGithub).clone(),
            set.get(N::OneHalfDark).clone(),
        ]
    })
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
    let lower = lang.trim().to_ascii_lowercase();
    if lower.is_empty() || PLAIN.contains(&lower.as_str()) {
        return None;
    }
    let set = syntax_set();
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
    find_engine(lang).is_some()
}

/// What tokenises a language: a fast lexer where one is written for it (unless the grammar
/// engine is asked for), syntect's grammar otherwise.
#[derive(Clone, Copy)]
enum Engine {
    Lexer(&'static lexers::Lexer),
    Grammar(&'static SyntaxReference),
}

fn find_engine(lang: &str) -> Option<Engine> {
    if !lexers::grammar_engine()
        && let Some(lexer) = lexers::find(lang)
    {
        return Some(Engine::Lexer(lexer));
    }
    find_syntax(lang).map(Engine::Grammar)
}

/// Highlights a whole block into pymdownx.highlight's markup. Unknown languages come out as
/// escaped plain text under `language-text`.
pub fn highlight_block(code: &str, opts: &CodeOptions) -> String {
    let engine = opts.lang.and_then(find_engine);
    let lang_class = match (opts.lang, engine) {
        (Some(l), Some(_)) => sanitize_class(l),
        _ => "text".to_string(),
    };
    let lines = highlight_lines(code, engine, opts.markup);
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
pub fn highlight_inline(code: &str, lang: &str, markup: Markup) -> String {
    let engine = find_engine(lang);
    let lang_class = if engine.is_some() {
        sanitize_class(lang)
    } else {
        "text".into()
    };
    let lines = highlight_lines(code, engine, markup);
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
fn highlight_lines(code: &str, engine: Option<Engine>, markup: Markup) -> Lines {
    let code = code.strip_suffix('\n').unwrap_or(code);
    match engine {
        Some(Engine::Lexer(lexer)) if code.len() <= MAX_LEXED_BYTES => {
            lexed_lines(code, lexer, markup)
        }
        Some(Engine::Grammar(syntax)) if code.len() <= MAX_HIGHLIGHT_BYTES => {
            grammar_lines(code, syntax, markup)
        }
        _ => plain_lines(code),
    }
}

/// Lines written a line at a time from scope operations, the scope stack carried over.
fn write_ops(
    line: &str,
    ops: &[(usize, ScopeStackOp)],
    stack: &mut ScopeStack,
    html: &mut String,
    markup: Markup,
) -> bool {
    let written = match markup {
        Markup::Styles => styles::write_line(line, ops, stack, html),
        Markup::Scopes => scopes::write_line(line, ops, stack, html),
    };
    written.is_ok()
}

/// A fast lexer's lines: cheap enough that no memo is needed.
fn lexed_lines(code: &str, lexer: &lexers::Lexer, markup: Markup) -> Lines {
    let mut out = Lines {
        html: String::with_capacity(code.len() * 4),
        ends: Vec::with_capacity(code.len() / 24 + 1),
    };
    let mut stack = ScopeStack::new();
    let mut open = lexers::Open::default();
    let mut ops = vec![(0, ScopeStackOp::Push(lexer.base))];
    for line in crate::text::split_lines(code) {
        lexer.line(line, &mut open, &mut ops);
        if !write_ops(line, &ops, &mut stack, &mut out.html, markup) {
            return plain_lines(code);
        }
        out.end_line();
        ops.clear();
    }
    out
}

/// syntect's lines, through the line memo.
fn grammar_lines(code: &str, syntax: &'static SyntaxReference, markup: Markup) -> Lines {
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
        for line in crate::text::split_lines(code) {
            let key = memo.key(syntax_id, markup, line);
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
                markup,
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
    for line in crate::text::split_lines(code) {
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
    markup: Markup,
) -> bool {
    with_newline.clear();
    with_newline.push_str(line);
    with_newline.push('\n');
    let Ok(ops) = state.parse_line(with_newline, set) else {
        return false;
    };
    write_ops(line, &ops, stack, html, markup)
}

/// Class-safe version of a language name (`c++` stays readable, quotes cannot escape).
fn sanitize_class(lang: &str) -> String {
    lang.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect()
}

/// The highlighter's stylesheet for `markup`: light colours by default, dark ones when the
/// reader's system prefers dark (unless the page forces light) or the page says
/// `data-theme=dark`.
pub fn stylesheet(markup: Markup) -> String {
    let [light_theme, dark_theme] = themes();
    let (light, dark) = match markup {
        Markup::Styles => styles::css(),
        Markup::Scopes => (
            scopes::theme_css(light_theme),
            scopes::theme_css(dark_theme),
        ),
    };
    let mut css = String::new();
    css.push_str("/* stagedoor code highlighting (generated from syntect themes) */\n");
    css.push_str(BASE_CSS);
    css.push_str(&light);
    css.push_str("\n@media (prefers-color-scheme: dark) {\n");
    for rules in [&dark, DARK_BASE_CSS] {
        css.push_str(&prefix_selectors(rules, ":root:not([data-theme=light])"));
    }
    css.push_str("}\n");
    for rules in [&dark, DARK_BASE_CSS] {
        css.push_str(&prefix_selectors(rules, "[data-theme=dark]"));
    }
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

    const MARKUPS: [Markup; 2] = [Markup::Styles, Markup::Scopes];

    fn block(code: &str, lang: &str, markup: Markup) -> String {
        highlight_block(
            code,
            &CodeOptions {
                lang: Some(lang),
                markup,
                ..Default::default()
            },
        )
    }

    /// The text of some HTML, tags dropped.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn lines_are_self_contained() {
        for markup in MARKUPS {
            let html = block("/* a\n b */\nlet x = 1;\n", "rust", markup);
            for line in html.split('\n') {
                assert_eq!(
                    line.matches("<span").count(),
                    line.matches("</span>").count(),
                    "{markup:?}: {line}"
                );
            }
            let marked = highlight_block(
                "a\nb\n",
                &CodeOptions {
                    lang: Some("rust"),
                    hl_lines: &[2],
                    markup,
                    ..Default::default()
                },
            );
            assert!(marked.contains("<span class=\"hll\">"));
        }
    }

    const SAMPLE: &str = "import logging\n\n@dataclass\nclass Order:\n    \"\"\"An order.\"\"\"\n    def total(self, rate: float = 0.2) -> int:\n        return int(self.amount * (1 + rate))  # rounded\n";

    /// A block's lines as syntect's grammar highlights them, lexer or not.
    fn grammar_block(code: &str, lang: &str, markup: Markup) -> String {
        let grammar = find_syntax(lang).map(Engine::Grammar);
        let lines = highlight_lines(code, grammar, markup);
        lines.iter().collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn style_spans_are_flat_and_keep_the_text() {
        let styles = grammar_block(SAMPLE, "python", Markup::Styles);
        let scopes = grammar_block(SAMPLE, "python", Markup::Scopes);
        assert_eq!(text_of(&styles), text_of(&scopes));
        for line in styles.split('\n') {
            let mut depth = 0;
            for tag in line.split('<').skip(1) {
                if tag.starts_with("span class=\"hll") {
                    continue;
                }
                if tag.starts_with("span") {
                    depth += 1;
                    assert_eq!(depth, 1, "nested span in {line}");
                } else if tag.starts_with("/span") && depth > 0 {
                    depth -= 1;
                }
            }
        }
        assert!(
            styles.len() * 3 < scopes.len(),
            "styles {} bytes, scopes {}",
            styles.len(),
            scopes.len()
        );
    }

    /// The declaration of `.highlight .{class}` in the light rules of `css`.
    fn light_rule<'c>(css: &'c str, class: &str) -> &'c str {
        let head = format!(".highlight .{class} {{");
        let at = css
            .find(&head)
            .unwrap_or_else(|| panic!("no rule for {class}"));
        let rule = &css[at + head.len()..];
        rule[..rule.find('}').unwrap_or(rule.len())].trim()
    }

    #[test]
    fn style_classes_carry_the_themes_look() {
        let html = block("def f():\n    pass\n", "python", Markup::Styles);
        let css = stylesheet(Markup::Styles);
        let def = html.find(">def").expect("def begins a span");
        let open = html[..def].rfind("class=\"").expect("a class") + 7;
        let classes: Vec<&str> = html[open..def - 1].split(' ').collect();
        // InspiredGithub draws keywords bold #a71d5d; OneHalfDark #c678dd.
        let light: Vec<&str> = (classes.iter())
            .filter(|c| c.starts_with('l'))
            .map(|c| light_rule(&css, c))
            .collect();
        assert!(
            light.contains(&"color: #a71d5d;"),
            "{classes:?} → {light:?}"
        );
        assert!(classes.contains(&"lb"), "{classes:?}");
        let dark = classes
            .iter()
            .find(|c| c.starts_with('d'))
            .expect("a dark class");
        assert!(css.contains(&format!(
            "[data-theme=dark] .highlight .{dark} {{ color: #c678dd; }}"
        )));
        // Every class of every span has a rule.
        let spans = html.split("<span class=\"").skip(1);
        for class in spans.flat_map(|c| c[..c.find('"').unwrap_or(0)].split(' ')) {
            assert!(css.contains(&format!(" .{class} ")), "no rule for {class}");
        }
    }

    #[test]
    fn a_theme_with_its_own_highlight_css_gets_scope_markup() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Markup::for_theme(Some(dir.path())), Markup::Styles);
        assert_eq!(Markup::for_theme(None), Markup::Styles);
        std::fs::create_dir_all(dir.path().join("static")).expect("mkdir");
        std::fs::write(dir.path().join("static/highlight.css"), ".hl-keyword {}").expect("write");
        assert_eq!(Markup::for_theme(Some(dir.path())), Markup::Scopes);
    }

    /// `highlight_lines` without the memo.
    fn unmemoized(code: &str, lang: &str, markup: Markup) -> Vec<String> {
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
                    &mut html,
                    markup,
                ));
                html
            })
            .collect()
    }

    #[test]
    fn memo_gives_what_parsing_gives() {
        // The same line in different states (in a comment, in a string, at the top level,
        // first line or not), in different orders and markups, twice over.
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
                for markup in MARKUPS {
                    let syntax = find_syntax(lang).map(Engine::Grammar);
                    assert_eq!(
                        highlight_lines(code, syntax, markup)
                            .iter()
                            .collect::<Vec<_>>(),
                        unmemoized(code, lang, markup),
                        "{markup:?}: {code}"
                    );
                }
            }
        }
    }

    #[test]
    fn big_blocks_are_highlighted_by_a_lexer_not_by_a_grammar() {
        let yaml = "key: value # note\n".repeat(40_000);
        let haskell = "main = putStrLn \"hi\" -- note\n".repeat(20_000);
        assert!(yaml.len() > MAX_HIGHLIGHT_BYTES && haskell.len() > MAX_HIGHLIGHT_BYTES);
        let lexed = block(&yaml, "yaml", Markup::Styles);
        assert!(lexed.matches("<span class=\"l").count() > 40_000);
        let plain = block(&haskell, "haskell", Markup::Styles);
        assert!(
            !plain.contains("<span class=\"l"),
            "a grammar never runs that long"
        );
        let huge = "key: value\n".repeat(MAX_LEXED_BYTES / 10);
        assert!(!block(&huge, "yaml", Markup::Styles).contains("<span class=\"l"));
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = stylesheet(Markup::Scopes);
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(":root:not([data-theme=light]) .hl-"));
        assert!(css.contains("[data-theme=dark] .hl-"));
        let css = stylesheet(Markup::Styles);
        assert!(css.contains(":root:not([data-theme=light]) .highlight .d0 {"));
        assert!(
            css.contains("[data-theme=dark] .highlight .l0, "),
            "light classes undone"
        );
    }
}
