//! The highlighter over the languages portal docs use most: each gets real token spans.

use stagedoor::highlight::{
    CodeOptions, Markup, highlight_block, highlight_inline, language_known,
};

const SAMPLES: &[(&str, &str)] = &[
    (
        "typescript",
        "const x: number = 1;\nexport function f(a: string): void {}\n",
    ),
    (
        "tsx",
        "export const A = () => <div className=\"a\">{1}</div>;\n",
    ),
    ("toml", "[package]\nname = \"x\"\nversion = 1\n"),
    ("dockerfile", "FROM rust:1\nRUN cargo build --release\n"),
    (
        "hcl",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
    ),
    ("rust", "fn main() { let x = 1; }\n"),
    ("python", "def f(x):\n    return x + 1\n"),
    ("go", "package main\nfunc main() { x := 1 }\n"),
    ("yaml", "apiVersion: v1\nkind: Component\n"),
    ("json", "{\"a\": [1, true, null]}\n"),
    ("bash", "echo \"$HOME\" && ls -la\n"),
    ("sql", "SELECT id FROM users WHERE name = 'x';\n"),
    ("java", "public class A { int x = 1; }\n"),
    ("kotlin", "fun main() { val x = 1 }\n"),
    (
        "proto",
        "syntax = \"proto3\";\nmessage A { string name = 1; }\n",
    ),
    ("graphql", "query Q { user(id: 1) { name } }\n"),
];

#[test]
fn each_language_gets_token_spans() {
    for (lang, code) in SAMPLES {
        assert!(language_known(lang), "{lang} is not known");
        // Scope markup: a span per scope; style markup: a span per run that looks different
        // (at least two looks besides the plain text in every sample).
        for (markup, prefix, least) in [
            (Markup::Scopes, "<span class=\"hl-", 3),
            (Markup::Styles, "<span class=\"l", 2),
        ] {
            let html = highlight_block(
                code,
                &CodeOptions {
                    lang: Some(lang),
                    markup,
                    ..Default::default()
                },
            );
            let spans = html.matches(prefix).count();
            assert!(spans >= least, "{lang}: only {spans} token spans in {html}");
            assert!(
                html.starts_with(&format!("<div class=\"language-{lang} highlight\">")),
                "{html}"
            );
        }
    }
}

#[test]
fn aliases_are_known() {
    for alias in [
        "ts",
        "js",
        "py",
        "sh",
        "shell",
        "console",
        "yml",
        "tf",
        "terraform",
        "jsonc",
    ] {
        assert!(language_known(alias), "{alias}");
    }
    for plain in ["text", "plain", "", "no-such-language"] {
        assert!(!language_known(plain), "{plain}");
    }
}

#[test]
fn unknown_language_is_escaped_plain_text() {
    let html = highlight_block(
        "<b>&x</b>\n",
        &CodeOptions {
            lang: Some("nosuch"),
            ..Default::default()
        },
    );
    assert_eq!(
        html,
        "<div class=\"language-text highlight\"><pre><span></span><code>&lt;b&gt;&amp;x&lt;/b&gt;\n</code></pre></div>"
    );
}

#[test]
fn line_numbers_sit_in_their_own_column() {
    let html = highlight_block(
        "a\nb\n",
        &CodeOptions {
            lang: Some("rust"),
            linenums: true,
            linenums_start: 7,
            hl_lines: &[2],
            title: Some("t.rs"),
            markup: Markup::Styles,
        },
    );
    assert!(html.contains("<td class=\"linenos\"><div class=\"linenodiv\"><pre><span></span><span class=\"normal\">7</span>\n<span class=\"normal\">8</span></pre>"));
    assert!(html.contains(
        "<th colspan=\"2\" class=\"filename\"><span class=\"filename\">t.rs</span></th>"
    ));
    let code = html.split("<td class=\"code\">").nth(1).unwrap_or_default();
    assert!(
        !code.contains('7') && !code.contains('8'),
        "numbers leaked into the code column"
    );
    assert!(code.contains("<span class=\"hll\">"));
}

#[test]
fn inline_code_is_highlighted() {
    let html = highlight_inline("let x = 1;", "rust", Markup::Scopes);
    assert!(
        html.starts_with("<code class=\"language-rust highlight\">") && html.contains("hl-"),
        "{html}"
    );
    let html = highlight_inline("let x = 1;", "rust", Markup::Styles);
    assert!(
        html.starts_with("<code class=\"language-rust highlight\">")
            && html.contains("<span class=\"l"),
        "{html}"
    );
}
