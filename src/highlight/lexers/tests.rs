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

use proptest::prelude::{TestCaseError, prop_assert, prop_assert_eq};
use syntect::parsing::ScopeStack;

/// The share of characters of a fixture's blocks that look as the grammar makes them look.
fn fixture_agreement(name: &str) -> f64 {
    let path = format!(
        "{}/tests/fixtures/highlight/{name}.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut total = crate::highlight::agreement::Agreement::default();
    let blocks = crate::highlight::agreement::fenced_blocks(&text);
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
        let lang = langs[round % langs.len()];
        check_keeps_text(&code, &[lang]).unwrap_or_else(|e| panic!("{lang}: {code:?}: {e}"));
    }
}

/// Lexing `code` in each of `langs`: every operation in order, on a character boundary and
/// fitting the scope stack; the text of the HTML, in both markups, the escaped code.
fn check_keeps_text(code: &str, langs: &[&str]) -> Result<(), TestCaseError> {
    for &name in langs {
        let lexer = find(name).expect(name);
        let (mut open, mut stack, mut ops) = (Open::default(), ScopeStack::new(), Vec::new());
        for line in code.split('\n') {
            lexer.line(line, &mut open, &mut ops);
            let mut last = 0;
            for (i, op) in &ops {
                prop_assert!(
                    *i >= last && *i <= line.len(),
                    "{name}: op at {i} in {line:?}"
                );
                prop_assert!(
                    line.is_char_boundary(*i),
                    "{name}: op inside a char {line:?}"
                );
                prop_assert!(stack.apply(op).is_ok(), "{name}: bad op in {line:?}");
                last = *i;
            }
            ops.clear();
        }
        for markup in [
            crate::highlight::Markup::Styles,
            crate::highlight::Markup::Scopes,
        ] {
            let lines = crate::highlight::lexed_lines(code, lexer, markup);
            let text: String = text_of(&lines.html);
            let want: String = code.split('\n').map(crate::html::escaped_text).collect();
            prop_assert_eq!(text, want, "{} {:?}", name, markup);
        }
    }
    Ok(())
}

// Group b: Python, Ruby, shell, HCL, SQL, Dockerfile, YAML, JSON.

mod group_b {
    use proptest::prelude::*;
    use syntect::parsing::ScopeStack;

    use super::super::{Open, find, langs};
    use super::check_keeps_text;
    use crate::highlight::agreement;

    const LANGS_B: [&str; 8] = [
        "python",
        "ruby",
        "bash",
        "hcl",
        "sql",
        "dockerfile",
        "yaml",
        "json",
    ];

    /// The fenced blocks of `tests/fixtures/highlight/NAME.md`: (language, code).
    fn fixture_blocks(name: &str) -> Vec<(String, String)> {
        let path = format!(
            "{}/tests/fixtures/highlight/{name}.md",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut blocks = Vec::new();
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            match (&mut open, line.strip_prefix("```")) {
                (None, Some(lang)) => open = Some((lang.trim().to_string(), String::new())),
                (Some(_), Some("")) => blocks.extend(open.take()),
                (Some((_, code)), _) => {
                    code.push_str(line);
                    code.push('\n');
                }
                (None, None) => {}
            }
        }
        blocks
    }

    /// Measured with examples/highlight_agreement on each fixture, less about two points:
    /// a change that makes any of these look less like the grammar fails here.
    const FLOORS: [(&str, f64); 8] = [
        ("yaml", 0.98),
        ("json", 0.975),
        ("python", 0.93),
        ("bash", 0.85),
        ("dockerfile", 0.91),
        ("hcl", 0.83),
        ("ruby", 0.81),
        ("sql", 0.89),
    ];

    #[test]
    fn fixtures_look_as_the_grammars_make_them_b() {
        let mut below = Vec::new();
        for (name, floor) in FLOORS {
            let blocks = fixture_blocks(name);
            assert!(blocks.len() >= 2, "{name}: {} blocks", blocks.len());
            let mut total = agreement::Agreement::default();
            for (lang, code) in &blocks {
                assert!(find(lang).is_some(), "{name}: no lexer for {lang}");
                total.add(agreement::compare(code, lang).expect("the grammar parses it"));
            }
            assert!(total.chars > 400, "{name}: {} chars", total.chars);
            if total.ratio() < floor {
                below.push(format!("{name}: {:.4} < {floor}", total.ratio()));
            }
        }
        assert!(below.is_empty(), "{below:#?}");
    }

    /// The lexer's scope names at the first byte of `needle` in `code`, outermost first.
    fn scopes_at(lang: &str, code: &str, needle: &str) -> String {
        let lexer = find(lang).expect(lang);
        let at = code.find(needle).expect(needle);
        let (mut open, mut stack, mut ops) = (Open::default(), ScopeStack::new(), Vec::new());
        let mut line_start = 0;
        for line in code.split('\n') {
            lexer.line(line, &mut open, &mut ops);
            let line_end = line_start + line.len();
            let here = at <= line_end;
            for (i, op) in &ops {
                if here && line_start + i > at {
                    break;
                }
                stack.apply(op).expect("ops fit the stack");
            }
            if here {
                let names: Vec<String> =
                    stack.as_slice().iter().map(|s| s.build_string()).collect();
                return names.join(" ");
            }
            ops.clear();
            line_start = line_end + 1;
        }
        unreachable!("{needle} is in the code")
    }

    #[track_caller]
    fn has(lang: &str, code: &str, needle: &str, scope: &str) {
        let got = scopes_at(lang, code, needle);
        assert!(
            got.contains(scope),
            "{lang} {needle:?}: {got:?} lacks {scope}"
        );
    }

    #[track_caller]
    fn lacks(lang: &str, code: &str, needle: &str, scope: &str) {
        let got = scopes_at(lang, code, needle);
        assert!(
            !got.contains(scope),
            "{lang} {needle:?}: {got:?} has {scope}"
        );
    }

    #[test]
    fn python_tokens() {
        let code = "if ok:\n    s = \"a \\\" b\" + tail  # note\n";
        has("python", code, "if", "keyword.control");
        has("python", code, "b\"", "string.quoted.double");
        has("python", code, "\\\"", "constant.character.escape");
        lacks("python", code, "tail", "string");
        has("python", code, "# note", "comment.line");
        let doc = "def f(a, b=1):\n    \"\"\"Doc.\n    more\n    \"\"\"\n    return a\n";
        has("python", doc, "more", "comment.block.documentation");
        lacks("python", doc, "return", "comment");
        has("python", doc, "a,", "variable.parameter");
        let raw = "p = r\"\"\"\\d\n\"\"\"\nq = 1\n";
        has("python", raw, "\\d", "string.quoted.double.block");
        lacks("python", raw, "q =", "string");
        has("python", "x = f\"{n} é\"\n", "é", "string.quoted.double");
    }

    #[test]
    fn shell_tokens() {
        let code = "echo issue#42 # real\n";
        lacks("bash", code, "#42", "comment");
        has("bash", code, "# real", "comment.line");
        let heredoc = "cat <<EOF\nhello $x\nEOF\nls -la\n";
        has("bash", heredoc, "hello", "heredoc");
        lacks("bash", heredoc, "ls", "heredoc");
        has("bash", heredoc, "-la", "variable.parameter.option");
        let nested = "echo \"$(printf \"%s\" a) b\"; ls\nrm \"$dir/file\"\n";
        lacks("bash", nested, "ls", "string");
        lacks("bash", nested, "/file", "variable");
        has("bash", nested, "/file", "string.quoted.double");
        let multi = "msg=\"first\nsecond\" ; next\n";
        has("bash", multi, "second", "string.quoted.double");
        lacks("bash", multi, "next", "string");
        has(
            "bash",
            "deploy() {\n  :\n}\n",
            "deploy",
            "entity.name.function",
        );
        has(
            "bash",
            "PATH=/opt/bin:$PATH\n",
            "PATH",
            "variable.other.readwrite.assignment",
        );
        has("bash", "PATH=/opt/bin:$PATH\n", "/opt", "string.unquoted");
        let case = "case $1 in\n  -v|--verbose) level=2 ;;\n  *) usage ;;\nesac\n";
        lacks("bash", case, "--verbose", "variable.parameter");
        has(
            "bash",
            case,
            ") level",
            "keyword.control.conditional.patterns",
        );
        has("bash", case, "level", "variable.other.readwrite.assignment");
    }

    #[test]
    fn yaml_tokens() {
        let code =
            "name: x\n\"quoted\": 1\non: push\nversion: 1.2.3\nwhen: 2024-01-31\nurl: a#b # c\n";
        has("yaml", code, "name", "entity.name.tag");
        lacks("yaml", code, "quoted", "entity.name.tag");
        has("yaml", code, "on", "constant.language.boolean");
        has("yaml", code, "1.2.3", "constant.numeric.float");
        has("yaml", code, "2024", "constant.other.timestamp");
        has("yaml", code, "a#b", "string.unquoted.plain");
        has("yaml", code, "# c", "comment");
        let block = "run: |\n  echo {\n  key: no\nnext: 1\n";
        has("yaml", block, "echo", "string.unquoted.block");
        has("yaml", block, "key: no", "string.unquoted.block");
        has("yaml", block, "next", "entity.name.tag");
        let flow = "args: {chdir: /tmp,\n  mode: \"0644\"}\nafter: y\n";
        has("yaml", flow, "chdir", "entity.name.tag");
        has("yaml", flow, "mode", "entity.name.tag");
        has("yaml", flow, "0644", "string.quoted.double");
        has("yaml", flow, "after", "entity.name.tag");
        let quoted = "m: \"one\\\"\n  two\"\nk: 'it''s'\n";
        has("yaml", quoted, "\\\"", "constant.character.escape");
        has("yaml", quoted, "two", "string.quoted.double");
        has("yaml", quoted, "''", "constant.character.escape");
        let refs = "base: &b\n  <<: *b\n";
        has("yaml", refs, "&", "punctuation.definition.anchor");
        has("yaml", refs, "b\n", "entity.name.other.anchor");
        has("yaml", refs, "<<", "constant.language.merge");
        has("yaml", refs, "*", "punctuation.definition.alias");
    }

    #[test]
    fn other_tokens_b() {
        let json = "{\"a\\\"b\": [1, true, \"x\"]}\n";
        has("json", json, "a\\", "meta.mapping.key");
        has("json", json, "\\\"", "constant.character.escape");
        has("json", json, "true", "constant.language");
        let sql = "SELECT 'it''s' FROM t -- why\n/* a\nb */ select 1\n";
        has("sql", sql, "SELECT", "keyword");
        has("sql", sql, "s'", "string.quoted.single");
        has("sql", sql, "-- why", "comment.line");
        has("sql", sql, "b */", "comment.block");
        has("sql", sql, "select 1", "keyword");
        let hcl = "name = \"x-${var.env}\"\nok = a == b\n";
        has("hcl", hcl, "name", "variable.declaration");
        has("hcl", hcl, "${", "meta.interpolation");
        let docker = "FROM rust AS build\nRUN echo \"a # b\" # c\n";
        has("dockerfile", docker, "FROM", "keyword.control");
        has("dockerfile", docker, "a # b", "string.quoted.double");
        let ruby = "puts \"n=#{n}\" # done\n=begin\nnotes\n=end\n";
        has("ruby", ruby, "#{", "meta.embedded");
        has("ruby", ruby, "# done", "comment.line");
        has("ruby", ruby, "notes", "comment.block");
        let hash = "opts = { kind: :api, a::b }\n";
        has("ruby", hash, "kind:", "constant.other.symbol");
        lacks("ruby", hash, "a::b", "constant.other.symbol");
        lacks(
            "ruby",
            "x = Catalog::Importer\n",
            "Importer",
            "constant.other.symbol",
        );
        let tf = "locals {\n  s = <<-EOT\n    text\n  EOT\n  n = 1\n}\n";
        has("hcl", tf, "text", "string.unquoted.heredoc");
        lacks("hcl", tf, "n = 1", "heredoc");
        has(
            "sql",
            "select * from Entities e\n",
            "Entities",
            "constant.other.table-name",
        );
    }

    #[test]
    fn docstring_scopes_close_like_their_strings() {
        for lang in langs::LANGS {
            for q in lang.quotes {
                if let Some(doc) = q.docstring {
                    let n = |s: &str| s.split_whitespace().count();
                    assert_eq!(n(doc), n(q.scope), "{} {}", lang.scope, q.open);
                }
            }
        }
    }

    /// Text that leans on what lexers get wrong: openers without closers, escapes at a
    /// line's end, non-ASCII next to every kind of token.
    const FRAGMENTS: &[&str] = &[
        "\"",
        "'",
        "`",
        "\"\"\"",
        "'''",
        "r\"\"\"",
        "f\"",
        "\\",
        "\\\"",
        "\\x4",
        "\\u00",
        "#",
        "#{",
        "${",
        "$(",
        "$",
        "@",
        ":",
        ": ",
        "- ",
        "-",
        "--",
        "? ",
        "|",
        "|-",
        ">2",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a",
        "*a",
        "!!str",
        "<<",
        "<<EOF",
        "<<-'E'",
        "EOF",
        "E",
        "/*",
        "*/",
        "//",
        "=begin",
        "=end",
        "---",
        "...",
        "%YAML",
        "=",
        "==",
        "()",
        " {",
        "é",
        "日本",
        "🦀",
        " ",
        "  ",
        "\t",
        "\n",
        "\n  ",
        "key",
        "x1",
        "0x1F",
        "1.2.3",
        "2024-01-31",
        "on",
        "def ",
        "class ",
        "SELECT",
        "FROM",
        "echo",
        "\r",
    ];

    /// Cases generated text once broke (ops out of order).
    #[test]
    fn known_hard_texts_keep_their_text_b() {
        for code in ["𞺀:A", "a: b:\n", "x = \"\\", "echo \"${\n}\"", "k: \"é\\"] {
            check_keeps_text(code, &LANGS_B).unwrap_or_else(|e| panic!("{code:?}: {e}"));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn lexers_never_panic_b(
            parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
        ) {
            check_keeps_text(&parts.concat(), &LANGS_B)?;
        }

        #[test]
        fn lexers_never_panic_on_any_text_b(code in any::<String>()) {
            check_keeps_text(&code, &LANGS_B)?;
        }
    }
}
