use super::*;

#[test]
fn every_lexer_is_found_by_its_names() {
    for lang in langs::LANGS {
        for name in lang.names {
            let found = find(name).map(|l| l.lang.scope);
            assert_eq!(found, Some(lang.scope), "{name}");
        }
    }
    assert_eq!(find("Python").map(|l| l.lang.scope), Some("source.python"));
}

#[test]
fn every_scope_name_parses() {
    for lexer in lexers() {
        assert!(!lexer.base.is_empty(), "{}", lexer.lang.scope);
        for (name, scopes) in &lexer.scopes {
            assert_eq!(scopes.len(), name.split_whitespace().count(), "{name}");
        }
    }
}

// Group "a" (Java, Kotlin, C#, Go, JavaScript, TypeScript, Rust): agreement floors on the
// fixtures, tokens readers rely on, and robustness on arbitrary input.

use syntect::parsing::{ScopeStack, ScopeStackOp};

/// The fenced blocks of a Markdown fixture: (fence language, code).
fn fenced(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, code)), None) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The share of characters of a fixture's blocks that look as the grammar makes them look.
fn fixture_agreement(name: &str) -> f64 {
    let path = format!(
        "{}/tests/fixtures/highlight/{name}.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut total = crate::highlight::agreement::Agreement::default();
    let blocks = fenced(&text);
    assert!(blocks.len() >= 3, "{path}: {} blocks", blocks.len());
    for (lang, code) in blocks {
        total.add(crate::highlight::agreement::compare(&code, &lang).expect(&lang));
    }
    assert!(total.chars > 1000, "{path}: {} chars", total.chars);
    total.ratio()
}

/// Measured with `examples/highlight_agreement` on tests/fixtures/highlight, less ~2 points.
const FLOORS_A: &[(&str, f64)] = &[
    ("java", 0.74),
    ("kotlin", 0.89),
    ("csharp", 0.81),
    ("go", 0.91),
    ("javascript", 0.78),
    ("typescript", 0.76),
    ("rust", 0.91),
];

#[test]
fn lexers_agree_with_grammars_on_fixtures_a() {
    let mut low = Vec::new();
    for (name, floor) in FLOORS_A {
        let ratio = fixture_agreement(name);
        if ratio < *floor {
            low.push(format!(
                "{name}: {:.2}% < {:.0}%",
                ratio * 100.0,
                floor * 100.0
            ));
        }
    }
    assert!(low.is_empty(), "{low:?}");
}

/// The scopes (outermost first, the block's own left out) the lexer gives the first
/// character of the first `needle` in `code`.
fn scopes_at(lang: &str, code: &str, needle: &str) -> String {
    let lexer = find(lang).expect(lang);
    let at = code.find(needle).expect(needle);
    let (mut open, mut ops, mut stack) = (Open::default(), Vec::new(), ScopeStack::new());
    let mut line_start = 0;
    for line in code.split('\n') {
        lexer.line(line, &mut open, &mut ops);
        let col = (at >= line_start && at <= line_start + line.len()).then(|| at - line_start);
        for (i, op) in &ops {
            if col.is_some_and(|c| *i > c) {
                break;
            }
            stack.apply(op).expect("balanced");
        }
        if col.is_some() {
            let names: Vec<String> = stack.as_slice().iter().map(|s| s.build_string()).collect();
            return names.join(" ");
        }
        ops.clear();
        line_start += line.len() + 1;
    }
    unreachable!("{needle} is in the code")
}

#[test]
fn keywords_strings_and_comments_a() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (language, code, needle, a scope the needle must be in)
        ("java", "if (x) { return y; }", "return", "keyword.control"),
        (
            "java",
            r#"s = "say \"hi\" now";"#,
            "now",
            "string.quoted.double",
        ),
        ("java", r#"s = "a\tb";"#, "\\t", "constant.character.escape"),
        (
            "java",
            "public void run(int n) {",
            "run",
            "entity.name.function",
        ),
        (
            "java",
            "var q = \"\"\"\n  SELECT 1\n  \"\"\";",
            "SELECT",
            "string.quoted.triple",
        ),
        ("kotlin", "val n = 1 // count", "count", "comment.line"),
        (
            "kotlin",
            "val s = \"hi $name!\"",
            "name",
            "variable.parameter.template",
        ),
        (
            "kotlin",
            "val s = \"\"\"\n  still ${x}\n\"\"\"",
            "still",
            "string.quoted.triple",
        ),
        (
            "csharp",
            "var s = $\"{a} and {b}\";",
            "b}",
            "meta.interpolation",
        ),
        (
            "csharp",
            "var s = @\"one\ntwo\";",
            "two",
            "string.quoted.double.raw",
        ),
        (
            "csharp",
            "namespace Acme.Billing.Api",
            "Billing",
            "entity.name.namespace",
        ),
        ("go", "x := 1 // why: \"quoted\"", "quoted", "comment.line"),
        (
            "go",
            "func (s *Server) Start(ctx context.Context) error {",
            "Start",
            "entity.name.function",
        ),
        (
            "go",
            "q := `line one\nline two`",
            "two",
            "string.quoted.other",
        ),
        ("go", "r := '\\n'", "\\n", "constant.character.escape"),
        (
            "javascript",
            "const t = `a\n${b}\nc`;",
            "b}",
            "meta.interpolation",
        ),
        ("javascript", "/* one\ntwo */ x = 1", "two", "comment.block"),
        (
            "javascript",
            "const PORT = 80;",
            "PORT",
            "variable.other.constant",
        ),
        (
            "typescript",
            "let e: Entity = load();",
            "Entity",
            "entity.name.type",
        ),
        (
            "typescript",
            "class A extends Base {}",
            "Base",
            "entity.other.inherited-class",
        ),
        (
            "rust",
            "#[derive(Debug)]\nstruct S;",
            "derive",
            "variable.annotation",
        ),
        ("rust", "/* a\n b */ fn f() {}", "b */", "comment.block"),
        ("rust", "let s = \"a\\\"b\";", "b", "string.quoted.double"),
        (
            "rust",
            "let s = \"first\nsecond\";",
            "second",
            "string.quoted.double",
        ),
    ];
    for (lang, code, needle, want) in cases {
        let got = scopes_at(lang, code, needle);
        assert!(
            got.contains(want),
            "{lang}: {needle:?} in {code:?} is {got:?}, not {want}"
        );
    }
    // What must stay plain or keep its own look.
    assert!(!scopes_at("go", "a := b/c // d", "c").contains("comment"));
    assert!(!scopes_at("rust", "let x = a::B::new(1);", "new").contains("function-call"));
    assert!(!scopes_at("java", "String s = \"x\"; int y;", "int").contains("string"));
}

/// A fixed-seed generator of awkward text: the languages' delimiters, escapes, non-ASCII
/// text and line breaks in random order, so constructs are left open and closed anywhere.
fn awkward_text(seed: &mut u64) -> String {
    const PIECES: &[&str] = &[
        "\"", "'", "`", "\"\"\"", "/*", "*/", "//", "\\", "${", "{", "}", "$", "@", "#[", "r#\"",
        "\"#", "@\"", "$\"", "\n", "\n", " ", "\t", "é", "日本", "🚀", "\u{301}", "0x1F", "1.5e-3",
        "fn", "func", "class", "fun", "def", "import", "(", ")", ":", "::", ".", "<", ">", "=",
        "x", "Name", "MAX", "\\u{", "\\x", "<<EOF", "--", "#", "?", "!", ";", ",",
    ];
    let mut text = String::new();
    for _ in 0..(*seed % 40) {
        // xorshift64: reproducible without a crate.
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        text.push_str(PIECES[(*seed % PIECES.len() as u64) as usize]);
    }
    text
}

/// The text of some HTML (tags removed), still escaped.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn lexers_never_panic_a() {
    let langs = [
        "java",
        "kotlin",
        "csharp",
        "go",
        "javascript",
        "typescript",
        "rust",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    for round in 0..3000 {
        let code = awkward_text(&mut seed);
        let lexer = find(langs[round % langs.len()]).expect("lexer");
        for markup in [
            crate::highlight::Markup::Styles,
            crate::highlight::Markup::Scopes,
        ] {
            let (mut open, mut stack) = (Open::default(), ScopeStack::new());
            let mut ops = vec![(0, ScopeStackOp::Push(lexer.base))];
            for line in code.split('\n') {
                lexer.line(line, &mut open, &mut ops);
                let mut html = String::new();
                let ok = crate::highlight::write_ops(line, &ops, &mut stack, &mut html, markup);
                assert!(ok, "{}: {code:?}", lexer.lang.scope);
                let mut want = String::new();
                crate::html::escape_text(&mut want, line);
                assert_eq!(text_of(&html), want, "{}: {code:?}", lexer.lang.scope);
                ops.clear();
            }
        }
    }
}
