//! Unit tests over whole definitions: the pieces the integration snapshots cannot pin down
//! cheaply (positions, bounds, generated examples).

use std::fmt::Write as _;
use std::path::Path;

use super::reference;
use crate::apiref::Source;
use crate::diagnostics::Code;

fn reference_of(text: &str, line: usize) -> crate::apiref::Reference {
    let source = Source {
        text,
        file: Path::new("/repo/catalog-info.yaml"),
        line,
        root: Path::new("/repo"),
        markup: Default::default(),
    };
    reference(&source).expect("a reference")
}

/// A definition of `n` operations over `n / 4` paths, each with a body and a response
/// sharing one schema, as a big generated API is.
fn generated(n: usize) -> String {
    let mut out = String::from("openapi: 3.0.0\ninfo: {title: Big, version: '1'}\npaths:\n");
    for i in 0..n / 4 {
        let _ = write!(
            out,
            "  /things/{i}/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n"
        );
        for m in ["get", "put", "post", "delete"] {
            let _ = write!(
                out,
                "    {m}:\n      tags: [t{}]\n      summary: Do {m} {i} with *words*\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Thing'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n",
                i % 20
            );
        }
    }
    out.push_str("components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {type: string}\n        child: {$ref: '#/components/schemas/Thing'}\n        tags: {type: array, items: {type: string}}\n");
    out
}

/// Not a timing assert: prints the figure (`cargo test -- --nocapture`) and checks the
/// output grows with the operations, not with the schemas' nesting.
#[test]
fn a_big_definition_stays_linear() {
    let text = generated(2000);
    let started = std::time::Instant::now();
    let r = reference_of(&text, 1);
    let size: usize = r.sections.iter().map(|s| s.html.len()).sum();
    eprintln!(
        "2000 operations ({} KB definition): {:?}, {} KB of HTML",
        text.len() / 1024,
        started.elapsed(),
        size / 1024
    );
    assert_eq!(r.outline.iter().filter(|o| o.badge.is_some()).count(), 2000);
    assert_eq!(r.search.len(), 2001);
    assert!(size < 2000 * 6 * 1024, "{size} bytes");
}

#[test]
fn an_unreadable_definition_is_reported_at_its_line_in_the_catalog_file() {
    let r = reference_of("openapi: 3.0.0\npaths:\n  /a: [\n", 20);
    assert!(r.sections.is_empty());
    let d = &r.diagnostics[0];
    assert_eq!(d.code, Code::ApiDefinitionInvalid);
    assert!(d.line.is_some_and(|l| l >= 21), "{d:?}");
}

#[test]
fn a_dangling_ref_in_an_inline_definition_counts_lines_from_the_definition() {
    let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n";
    let r = reference_of(text, 10);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ApiRefDangling)
        .expect("dangling");
    assert_eq!(d.line, Some(16));
}

#[test]
fn examples_are_generated_from_the_schema() {
    let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  when: {type: string, format: date-time}\n                  n: {type: integer, example: 7}\n                  kind: {type: string, enum: [big, small]}\n";
    let html = &reference_of(text, 1).sections[0].html;
    assert!(html.contains("Example (generated)"), "{html}");
    assert!(
        html.contains("&quot;when&quot;: &quot;2024-01-31T12:00:00Z&quot;"),
        "{html}"
    );
    assert!(html.contains("&quot;n&quot;: 7"));
    assert!(html.contains("&quot;kind&quot;: &quot;big&quot;"));
}

/// Thousands of components each extending the next, and a chain of pointers: both end
/// without exhausting the stack.
#[test]
fn long_ref_chains_end() {
    let mut text = String::from(
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..5000 {
        let _ = writeln!(
            text,
            "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}], properties: {{p: {{$ref: '#/x/{i}'}}}}}}",
            i + 1
        );
    }
    text.push_str("x:\n");
    for i in 0..5000 {
        let _ = writeln!(text, "  - {{$ref: '#/x/{}'}}", i + 1);
    }
    let r = reference_of(&text, 1);
    assert_eq!(r.outline.iter().filter(|o| o.depth == 1).count(), 5001);
}

#[test]
fn many_schemas_make_sections_named_by_their_range() {
    let mut text = String::from(
        "openapi: 3.0.0\ninfo: {title: S, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for j in 0..260 {
        let _ = writeln!(text, "    S{j:03}: {{type: string}}");
    }
    let r = reference_of(&text, 1);
    let sections: Vec<(&str, &str)> = r
        .sections
        .iter()
        .map(|s| (s.anchor.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        sections,
        [
            ("schemas", "Schemas (S000 – S249)"),
            ("schemas-2", "Schemas (S250 – S259)")
        ]
    );
    assert_eq!(r.search.len(), 260);
}
