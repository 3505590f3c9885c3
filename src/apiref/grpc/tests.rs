use std::path::Path;

use super::*;
use crate::apiref::testkit::{assert_links_resolve, page_html as html, titles};

fn build(text: &str) -> Reference {
    let source = Source {
        text,
        file: Path::new("/nonexistent-repo/api.proto"),
        line: 1,
        root: Path::new("/nonexistent-repo"),
        markup: Default::default(),
    };
    reference(&source).expect("a reference")
}

const ROUTES: &str = r#"
// License text, detached by the blank line below.

syntax = "proto3";

// The route guide.
package routeguide;

option go_package = "example.com/routeguide";

// Interface exported by the server.
service RouteGuide {
  // A simple RPC.
  rpc GetFeature(Point) returns (Feature) {}
  rpc ListFeatures(Rectangle) returns (stream Feature);
  rpc RecordRoute(stream Point) returns (RouteSummary) {
    option deprecated = true;
  }
  rpc RouteChat(stream RouteNote) returns (stream RouteNote) {}
}

message Point {
  int32 latitude = 1; // Degrees times 10^7.
  int32 longitude = 2;
}

message Rectangle { Point lo = 1; Point hi = 2; }
message Feature { string name = 1; Point location = 2; }
message RouteNote {
  /* Where the note is.
   * Any point. */
  Point location = 1;
  repeated string message = 2 [deprecated = true];
  map<string, Feature> features = 3;
  oneof kind {
    string text = 4;
    Kind k = 5;
  }
  optional .routeguide.Point origin = 6;
  reserved 7, 9 to 11;
  reserved "old";
  enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1 [deprecated = true]; }
  message Inner { Kind kind = 1; }
  Inner inner = 8;
}
message RouteSummary { int32 point_count = 1; }
enum Status { STATUS_UNSPECIFIED = 0; OK = 1; }
"#;

#[test]
fn services_rpcs_and_streaming_marks() {
    let r = build(ROUTES);
    let all = html(&r);
    assert_eq!(r.sections[0].anchor, "service/RouteGuide");
    assert!(all.contains("rpc ListFeatures(<a href=\"#message/routeguide.Rectangle\">Rectangle</a>) returns (stream <a href=\"#message/routeguide.Feature\">Feature</a>)"), "{all}");
    assert!(all.contains("rpc RouteChat(stream <a"), "{all}");
    let badges: Vec<&str> = r
        .outline
        .iter()
        .filter(|o| o.anchor.starts_with("rpc/"))
        .filter_map(|o| o.badge.as_deref())
        .collect();
    assert_eq!(
        badges,
        ["rpc", "server stream", "client stream", "bidi stream"]
    );
    assert!(
        r.outline
            .iter()
            .any(|o| o.anchor == "rpc/RouteGuide.RecordRoute" && o.deprecated)
    );
    assert!(all.contains("<p>A simple RPC.</p>"), "{all}");
    assert!(
        all.contains("<p>Interface exported by the server.</p>"),
        "{all}"
    );
    assert!(
        !all.contains("License"),
        "a detached comment is no documentation: {all}"
    );
    assert_links_resolve(&r);
}

#[test]
fn messages_fields_labels_maps_oneofs_and_nested_types() {
    let r = build(ROUTES);
    let all = html(&r);
    assert!(
        all.contains("id=\"message/routeguide.RouteNote.Inner\""),
        "{all}"
    );
    assert!(
        all.contains("id=\"enum/routeguide.RouteNote.Kind\""),
        "{all}"
    );
    assert!(
        all.contains("<p>Degrees times 10^7.</p>"),
        "trailing comment: {all}"
    );
    assert!(
        all.contains("<p>Where the note is.\nAny point.</p>"),
        "block comment: {all}"
    );
    assert!(all.contains("repeated string"), "{all}");
    assert!(
        all.contains("map&lt;string, <a href=\"#message/routeguide.Feature\">Feature</a>&gt;"),
        "{all}"
    );
    assert!(all.contains("One of <code>kind</code>"), "{all}");
    // `Kind` inside RouteNote resolves to the nested enum; `.routeguide.Point` is absolute.
    assert!(
        all.contains("<a href=\"#enum/routeguide.RouteNote.Kind\">Kind</a>"),
        "{all}"
    );
    assert!(
        all.contains("optional <a href=\"#message/routeguide.Point\">.routeguide.Point</a>"),
        "{all}"
    );
    assert!(
        all.contains("Reserved: <code>7, 9 to 11; &quot;old&quot;</code>")
            || all.contains("Reserved: <code>7, 9 to 11; \"old\"</code>"),
        "{all}"
    );
    assert!(
        all.contains("KIND_A</code> <span class=\"apiref-deprecated\">"),
        "{all}"
    );
    assert!(
        all.contains("<dt>Package</dt><dd><code>routeguide</code></dd>"),
        "{all}"
    );
    assert!(
        all.contains("go_package = &quot;example.com/routeguide&quot;")
            || all.contains("go_package = \"example.com/routeguide\""),
        "{all}"
    );
    assert_eq!(
        titles(&r),
        [
            "service RouteGuide",
            "rpc RouteGuide.GetFeature",
            "rpc RouteGuide.ListFeatures",
            "rpc RouteGuide.RecordRoute",
            "rpc RouteGuide.RouteChat",
            "message Point",
            "message Rectangle",
            "message Feature",
            "message RouteNote",
            "message RouteNote.Inner",
            "enum RouteNote.Kind",
            "message RouteSummary",
            "enum Status",
        ]
    );
    assert_links_resolve(&r);
}

#[test]
fn xss_in_comments_and_options_is_escaped() {
    let r = build(
        "syntax = \"proto3\";\noption x = \"<script>alert(1)</script>\";\n// <img src=x onerror=alert(1)> [a](javascript:alert(2))\nmessage M { string a = 1 [json_name = \"<b onclick=x>\"]; }",
    );
    let all = html(&r);
    assert!(!all.contains("<script"), "{all}");
    assert!(!all.contains("onerror"), "{all}");
    assert!(!all.contains("<b onclick"), "{all}");
    assert!(!all.contains("href=\"javascript"), "{all}");
}

#[test]
fn a_syntax_error_is_reported_and_the_rest_is_read() {
    let source = Source {
        text: "syntax = \"proto3\";\nmessage A { int32 x = ; string y = 2; }\nmessage B { int32 z = 1; }\nwhat;",
        file: Path::new("/nonexistent-repo/catalog-info.yaml"),
        line: 5,
        root: Path::new("/nonexistent-repo"),
        markup: Default::default(),
    };
    let r = reference(&source).expect("a reference");
    assert_eq!(titles(&r), ["message A", "message B"]);
    assert!(html(&r).contains("id=\"message/A.y\""));
    let lines: Vec<Option<usize>> = r.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(6), Some(8)]);
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code == Code::ApiDefinitionSyntax)
    );
}

#[test]
fn garbage_does_not_panic() {
    for text in [
        "message",
        "message A {",
        "service S { rpc X(",
        "/* never closed",
        "\"open",
        "}}}",
        "enum E { A = }",
        "message M { map<string",
        "\u{1F600}",
    ] {
        let r = build(text);
        assert!(!r.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn editions_and_proto2_groups() {
    let r = build(
        "edition = \"2023\";\nmessage M { optional group G = 1 { int32 a = 2; } int32 b = 3; }",
    );
    let all = html(&r);
    assert!(all.contains("edition 2023"), "{all}");
    assert!(all.contains("id=\"message/M.b\""), "{all}");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn imports_are_read_from_the_repository_and_escapes_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    write(
        &dir.path().join("secret.proto"),
        "message Secret { string key = 1; }",
    );
    write(
        &repo.join("protos/common/money.proto"),
        "syntax = \"proto3\";\npackage common;\nimport \"common/currency.proto\";\n// An amount.\nmessage Money { Currency currency = 1; int64 units = 2; }",
    );
    write(
        &repo.join("protos/common/currency.proto"),
        "package common;\nenum Currency { EUR = 0; }",
    );
    let text = "syntax = \"proto3\";\nimport \"common/money.proto\";\nimport \"../../secret.proto\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"missing.proto\";\nmessage Pay { common.Money amount = 1; google.protobuf.Timestamp at = 2; }";
    let file = repo.join("protos/api/pay.proto");
    write(&file, text);
    let source = Source {
        text,
        file: &file,
        line: 1,
        root: &repo,
        markup: Default::default(),
    };
    let r = reference(&source).expect("a reference");
    let all = html(&r);
    assert!(
        all.contains("<a href=\"#message/common.Money\">common.Money</a>"),
        "{all}"
    );
    assert!(all.contains("id=\"enum/common.Currency\""), "{all}");
    assert!(
        all.contains("From <code>protos/common/money.proto</code>"),
        "{all}"
    );
    assert!(!all.contains("Secret"), "{all}");
    let messages: Vec<(&str, Option<usize>)> = r
        .diagnostics
        .iter()
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "import \"../../secret.proto\" leaves the repository; it is not read",
                Some(3)
            ),
            (
                "import \"missing.proto\" is not in the repository beside the definition or in a folder above it",
                Some(5)
            ),
        ]
    );
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code == Code::ApiImportRefused)
    );
    assert_links_resolve(&r);
}

/// Constructs of real .proto files (googleapis, protoc-gen-validate, proto2) read without a
/// diagnostic.
#[test]
fn real_world_constructs_read_cleanly() {
    let r = build(
        r#"syntax = 'proto2';
package shelf.v1;
import public "other.proto";
import weak "weak.proto";
option (my.file_opt) = "a" "b";
service Library { // The library.
  rpc GetShelf(GetShelfRequest) returns (Shelf) {
    option (google.api.http) = { get: "/v1/{name=shelves/*}" body: "*" };
  }
  rpc Ping(.shelf.v1.Shelf) returns (Shelf); // Checks it is up.
}
message Shelf { // A shelf.
  required string name = 1 [(validate.rules).string.min_len = 1, json_name = "n", default = "x"];
  extensions 100 to max;
  message Empty {}
  optional int32 stream = 2;
}
message GetShelfRequest { optional string name = 1; }
extend google.protobuf.FieldOptions { optional string tag = 50000; }
enum Aliased {
  option allow_alias = true;
  NEG = -1;
  ZERO = 0;
  NIL = 0;
}
"#,
    );
    let refused: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::ApiImportRefused)
        .map(|d| d.message.as_str())
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    let all = html(&r);
    assert!(all.contains("<p>The library.</p>"), "{all}");
    assert!(all.contains("<p>Checks it is up.</p>"), "{all}");
    assert!(all.contains("<p>A shelf.</p>"), "{all}");
    assert!(all.contains("required string"), "{all}");
    assert!(
        all.contains("id=\"message/shelf.v1.Shelf.stream\""),
        "{all}"
    );
    assert!(all.contains("<td>-1</td>"), "{all}");
    assert!(
        all.contains("(my.file_opt) = &quot;a&quot; &quot;b&quot;")
            || all.contains("(my.file_opt) = \"a\" \"b\""),
        "{all}"
    );
    assert_eq!(
        titles(&r),
        [
            "service Library",
            "rpc Library.GetShelf",
            "rpc Library.Ping",
            "message Shelf",
            "message Shelf.Empty",
            "message GetShelfRequest",
            "enum Aliased",
        ]
    );
    assert_links_resolve(&r);
}

/// A symbolic link inside the repository to a file outside it is not followed.
#[cfg(unix)]
#[test]
fn an_import_through_a_symlink_out_of_the_repository_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    write(
        &dir.path().join("secret.proto"),
        "message Secret { string key = 1; }",
    );
    std::fs::create_dir_all(&repo).expect("mkdir");
    std::os::unix::fs::symlink(dir.path().join("secret.proto"), repo.join("link.proto"))
        .expect("symlink");
    let text = "import \"link.proto\";\nmessage A { Secret s = 1; }";
    let file = repo.join("a.proto");
    write(&file, text);
    let r = reference(&Source {
        text,
        file: &file,
        line: 1,
        root: &repo,
        markup: Default::default(),
    })
    .expect("a reference");
    assert!(!html(&r).contains("id=\"message/Secret\""));
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert!(
        r.diagnostics[0].message.contains("symbolic link"),
        "{}",
        r.diagnostics[0].message
    );
}

mod fuzz {
    use proptest::prelude::*;

    use super::*;

    /// Text made of .proto's own pieces, so that most cases reach deep into the parser.
    fn proto_like() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "syntax",
            "package ",
            "import ",
            "option ",
            "message ",
            "enum ",
            "service ",
            "rpc ",
            "returns ",
            "stream ",
            "oneof ",
            "map",
            "reserved ",
            "repeated ",
            "group ",
            "A",
            "b.C",
            ".d",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "<",
            ">",
            ",",
            "=",
            ";",
            "1",
            "-2",
            "\"s\"",
            "\"",
            "'",
            "//",
            "/*",
            "*/",
            "\n",
            " ",
            "é",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn any_text_gives_a_reference_whose_links_resolve(text in proto_like()) {
            let r = build(&text);
            assert_links_resolve(&r);
        }

        #[test]
        fn any_unicode_does_not_panic(text in "\\PC{0,200}") {
            build(&text);
        }
    }
}
