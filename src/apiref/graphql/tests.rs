use std::path::Path;

use super::*;
use crate::apiref::testkit::{assert_links_resolve, page_html as html, titles};

fn build(text: &str) -> Reference {
    let source = Source {
        text,
        file: Path::new("/repo/schema.graphql"),
        line: 1,
        root: Path::new("/repo"),
        markup: Default::default(),
    };
    reference(&source).expect("a reference")
}

#[test]
fn root_operations_come_from_the_default_names() {
    let r = build(
        "type Query { payments(first: Int = 10, after: String): [Payment!]! }\ntype Payment { id: ID! }\ntype Mutation { pay(amount: Int!): Payment }",
    );
    assert_eq!(
        titles(&r),
        ["query payments", "mutation pay", "type Payment"]
    );
    let all = html(&r);
    assert!(all.contains("id=\"query/payments\""), "{all}");
    assert!(all.contains("first: Int = 10"), "{all}");
    assert!(
        all.contains("[<a href=\"#type/Payment\">Payment</a>!]!"),
        "{all}"
    );
    assert_eq!(r.sections[0].anchor, "queries");
    assert_links_resolve(&r);
}

#[test]
fn schema_block_names_the_root_types() {
    let r = build(
        "schema { query: Root subscription: Events }\ntype Root { film: Film }\ntype Events { filmAdded: Film }\ntype Film { title: String root: Root }\ntype Query { notRoot: Int }",
    );
    assert_eq!(
        titles(&r),
        [
            "query film",
            "subscription filmAdded",
            "type Film",
            "type Query"
        ]
    );
    // A field of a root type's type links to its section.
    assert!(html(&r).contains("<a href=\"#queries\">Root</a>"));
    assert_links_resolve(&r);
}

#[test]
fn every_kind_of_type_has_its_section() {
    let r = build(
        "interface Node { id: ID! }\ntype A implements Node & Other { id: ID! }\nunion U = | A | B\ntype B { x: Int }\nenum Color { RED GREEN @deprecated(reason: \"use RED\") }\ninput In { a: Int = 1, c: Color = RED, l: [Int] = [1, 2] }\nscalar Date @specifiedBy(url: \"https://x\")\ndirective @auth(role: String = \"admin\") repeatable on FIELD_DEFINITION | OBJECT",
    );
    let sections: Vec<&str> = r.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        sections,
        [
            "Objects",
            "Interfaces",
            "Unions",
            "Enums",
            "Inputs",
            "Scalars",
            "Directives"
        ]
    );
    let all = html(&r);
    assert!(
        all.contains("Implements <code><a href=\"#type/Node\">Node</a></code>, <code>Other</code>"),
        "{all}"
    );
    assert!(
        all.contains(
            "One of <code><a href=\"#type/A\">A</a></code>, <code><a href=\"#type/B\">B</a></code>"
        ),
        "{all}"
    );
    assert!(
        all.contains("<strong>Deprecated:</strong> use RED"),
        "{all}"
    );
    assert!(all.contains("l: [Int] = [1, 2]"), "{all}");
    assert!(
        all.contains("Repeatable, on <code>FIELD_DEFINITION | OBJECT</code>"),
        "{all}"
    );
    assert!(
        all.contains("role: String = &quot;admin&quot;")
            || all.contains("role: String = \"admin\""),
        "{all}"
    );
    assert!(
        r.outline.iter().any(|o| o.anchor == "type/Color.GREEN")
            || all.contains("id=\"type/Color.GREEN\"")
    );
    assert!(titles(&r).contains(&"directive @auth"));
    assert_links_resolve(&r);
}

#[test]
fn descriptions_are_markdown_and_block_strings_lose_their_indentation() {
    let r = build(
        "\"\"\"\n  A *film*.\n\n  - one\n  \"\"\"\ntype Film {\n  \"the `title`\"\n  title: String @deprecated\n}",
    );
    let all = html(&r);
    assert!(all.contains("<em>film</em>"), "{all}");
    assert!(all.contains("<li>one</li>"), "{all}");
    assert!(all.contains("<code>title</code>"), "{all}");
    assert!(all.contains("apiref-deprecated\">deprecated"), "{all}");
    assert_eq!(r.search[0].text, "A *film*.\n\n- one title");
}

#[test]
fn extend_type_adds_to_the_type() {
    let r =
        build("type Query { a: Int }\nextend type Query { b: Int }\nextend type Later { c: Int }");
    assert_eq!(titles(&r), ["query a", "query b", "type Later"]);
    assert!(html(&r).contains("extended"));
}

#[test]
fn xss_in_descriptions_and_names_is_escaped() {
    let r = build(
        "\"\"\"[x](javascript:alert(3)) <script>alert(1)</script><img src=x onerror=alert(2)>\"\"\"\ntype T { \"<b onclick=x>\" f(a: String = \"<script>\"): Int @deprecated(reason: \"<script>r</script>\") }",
    );
    let all = html(&r);
    assert!(!all.contains("<script"), "{all}");
    assert!(!all.contains("onerror"), "{all}");
    assert!(!all.contains("onclick"), "{all}");
    assert!(!all.contains("href=\"javascript:"), "{all}");
}

#[test]
fn a_syntax_error_is_reported_at_its_line_and_the_rest_is_shown() {
    let source = Source {
        text: "type A { x: Int }\ntype B { y: }\ntype C { z: Int }",
        file: Path::new("/repo/catalog-info.yaml"),
        line: 10,
        root: Path::new("/repo"),
        markup: Default::default(),
    };
    let r = reference(&source).expect("a reference");
    assert_eq!(titles(&r), ["type A", "type C"]);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].code, Code::ApiDefinitionSyntax);
    assert_eq!(r.diagnostics[0].line, Some(11));
    assert!(
        r.diagnostics[0]
            .message
            .contains("expected a type, found `}`"),
        "{}",
        r.diagnostics[0].message
    );
}

#[test]
fn unclosed_strings_and_garbage_do_not_panic() {
    for text in [
        "\"\"\"never closed",
        "type A { \"x",
        "}}}{{{",
        "type",
        "type A implements",
        "directive @x on",
        "enum E { A @deprecated(reason: ",
        "\u{1F600} type A { x: Int }",
    ] {
        let r = build(text);
        assert!(!r.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn operations_in_the_file_are_skipped() {
    let r = build("query Q { a { b } }\ntype A { b: Int }");
    assert_eq!(titles(&r), ["type A"]);
    assert!(r.diagnostics.is_empty());
}

/// Constructs of real schemas (federation, GitHub's, Relay's) read without a diagnostic.
#[test]
fn real_world_constructs_read_cleanly() {
    let r = build(
        r#"
# A comment, ignored.
extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])
"""The schema."""
schema { query: Query }
interface Entity { id: ID! }
interface Named implements Node & Entity { id: ID! name: String }
type Query {
  "Search with an escaped \" quote and ünïcode."
  search(
    """Words to find: \""" is a block quote."""
    q: String! @length(max: 100)
    filter: Filter = {kinds: [A, B], nested: {on: true}}
    limit: Float = -1.5e3
  ): [SearchResult!]! @cacheControl(maxAge: 30)
}
type Federated @key(fields: "id") @shareable
type Empty {}
input Filter @oneOf { kinds: [Kind!] nested: Nested @deprecated(reason: "gone") }
input Nested { on: Boolean }
enum Kind { A B }
union SearchResult @unionDir = Named | Federated
scalar JSON
directive @length(max: Int) on | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
directive @cacheControl(maxAge: Int) on FIELD_DEFINITION
fragment F on Query { search(q: "x") { __typename } }
"#,
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let all = html(&r);
    assert!(all.contains("<p>The schema.</p>"), "{all}");
    assert!(
        all.contains(
            "Implements <code>Node</code>, <code><a href=\"#type/Entity\">Entity</a></code>"
        ),
        "{all}"
    );
    assert!(
        all.contains(
            "filter: <a href=\"#type/Filter\">Filter</a> = {kinds: [A, B], nested: {on: true}}"
        ),
        "{all}"
    );
    assert!(all.contains("limit: Float = -1.5e3"), "{all}");
    // Arguments of a root field and of a type's field with a description are listed.
    assert!(all.contains("id=\"query/search.q\""), "{all}");
    assert!(
        all.contains("<p>Words to find: &quot;&quot;&quot; is a block quote.</p>")
            || all.contains("<p>Words to find: \"\"\" is a block quote.</p>"),
        "{all}"
    );
    assert!(
        all.contains("an escaped &quot; quote and ünïcode")
            || all.contains("an escaped \" quote and ünïcode"),
        "{all}"
    );
    assert_eq!(
        titles(&r),
        [
            "query search",
            "type Federated",
            "type Empty",
            "interface Entity",
            "interface Named",
            "union SearchResult",
            "enum Kind",
            "input Filter",
            "input Nested",
            "scalar JSON",
            "directive @length",
            "directive @cacheControl",
        ]
    );
    assert_links_resolve(&r);
}

mod fuzz {
    use proptest::prelude::*;

    use super::*;

    /// Text made of SDL's own pieces, so that most cases reach deep into the parser.
    fn sdl_like() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "type ",
            "input ",
            "enum ",
            "union ",
            "interface ",
            "scalar ",
            "schema ",
            "extend ",
            "directive ",
            "implements ",
            "on ",
            "query ",
            "A",
            "b",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            ":",
            "=",
            "!",
            "|",
            "&",
            "@",
            "@deprecated(reason: \"r\")",
            "\"",
            "\"\"\"",
            "\\",
            "\n",
            " ",
            "#",
            "-1",
            "é",
            "...",
            "$",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn any_text_gives_a_reference_whose_links_resolve(text in sdl_like()) {
            let r = build(&text);
            assert_links_resolve(&r);
        }

        #[test]
        fn any_unicode_does_not_panic(text in "\\PC{0,200}") {
            build(&text);
        }
    }
}
