//! Page-level behaviour of `render_markdown`: what callers get besides the HTML.

use std::path::Path;

use super::*;
use crate::diagnostics::Code;

/// Records every URL it is asked about.
#[derive(Default)]
struct Recorder {
    seen: Vec<(String, LinkKind, usize)>,
}

impl LinkRewriter for Recorder {
    fn rewrite(&mut self, url: &str, kind: LinkKind, line: usize) -> String {
        self.seen.push((url.to_string(), kind, line));
        format!("/r/{url}")
    }
}

fn render_with(text: &str, base: &Path) -> (Rendered, Vec<(String, LinkKind, usize)>) {
    let mut rec = Recorder::default();
    let opts = MarkdownOptions::new(base.join("docs/page.md"), base);
    let r = render_markdown(text, &opts, &mut rec);
    (r, rec.seen)
}

#[test]
fn every_url_is_rewritten_with_its_source_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inc.md"), "[inc](inc-link.md)\n").unwrap();
    let text = "---\ntitle: T\n---\n[a](a.md)\n\n<img src=\"images/x.png\">\n\n!!! note\n    ![pic](p.png)\n\n--8<-- \"inc.md\"\n\nSee https://example.org\n";
    let (r, seen) = render_with(text, dir.path());
    let got: Vec<(&str, LinkKind, usize)> =
        seen.iter().map(|(u, k, l)| (u.as_str(), *k, *l)).collect();
    assert_eq!(
        got,
        [
            ("a.md", LinkKind::Link, 4),
            ("images/x.png", LinkKind::HtmlSrc, 6),
            ("p.png", LinkKind::Image, 9),
            ("inc-link.md", LinkKind::Link, 11),
            ("https://example.org", LinkKind::Link, 13),
        ]
    );
    assert!(r.html.contains("src=\"/r/images/x.png\""), "{}", r.html);
    assert!(r.html.contains("href=\"/r/a.md\""));
}

#[test]
fn title_front_matter_headings_and_sections() {
    let text = "---\ntags: [a]\n---\nIntro text.\n\n# Main Title\n\nFirst `code` words.\n\n```python\nsecret_code = 1\n```\n\n## Sub {#sub}\n\n!!! tip \"Tip title\"\n    Tip body.\n";
    let (r, _) = render_with(text, Path::new("/nowhere"));
    assert_eq!(r.title.as_deref(), Some("Main Title"));
    assert_eq!(r.front_matter["tags"], serde_json::json!(["a"]));
    let ids: Vec<(&str, u8)> = r
        .headings
        .iter()
        .map(|h| (h.id.as_str(), h.level))
        .collect();
    assert_eq!(ids, [("main-title", 1), ("sub", 2)]);
    assert_eq!(r.sections.len(), 3);
    assert_eq!(r.sections[0].id, None);
    assert_eq!(r.sections[0].text, "Intro text.");
    assert_eq!(r.sections[1].text, "First code words.");
    assert_eq!(r.sections[2].heading, "Sub");
    assert_eq!(r.sections[2].text, "Tip title Tip body.");
    assert!(!r.sections.iter().any(|s| s.text.contains("secret_code")));
}

#[test]
fn front_matter_title_wins() {
    let (r, _) = render_with("---\ntitle: From YAML\n---\n# From H1\n", Path::new("/x"));
    assert_eq!(r.title.as_deref(), Some("From YAML"));
}

#[test]
fn mermaid_and_unsupported_are_reported() {
    let text = "```mermaid\ngraph TD; A-->B\n```\n\n```plantuml\n@startuml\n@enduml\n```\n\n:material-check: {{ macro }}\n";
    let (r, _) = render_with(text, Path::new("/x"));
    assert!(r.has_mermaid);
    assert!(r.unsupported.iter().any(|u| u == "plantuml"));
    assert!(
        r.unsupported
            .iter()
            .any(|u| u.starts_with("icon shortcodes"))
    );
    // Macros are reported per page (E098), not as a construct of the build.
    assert!(!r.unsupported.iter().any(|u| u.starts_with("jinja")));
}

#[test]
fn unexpanded_directives_are_reported_once_per_page_outside_code() {
    let cases = [
        ("Intro.\n\nVersion {{ config.version }} is out.\n", Some(3)),
        (
            "`{{ x }}` and\n\n```\n{% include 'a' %}\n```\n\n    {* a.py *}\n",
            None,
        ),
        ("A\n\n{* ../src/app.py ln[1:3] *}\n\n{!inc.md!}\n", Some(3)),
        ("| a |\n|---|\n| {% raw %} |\n", Some(3)),
        (
            "# T\n\n::: pkg.mod\n    options:\n      x: 1\n\n{{ y }}\n",
            Some(3),
        ),
        ("Set {x} and {{ unclosed\n", None),
    ];
    for (text, line) in cases {
        let (r, _) = render_with(text, Path::new("/x"));
        let found: Vec<Option<usize>> = (r.diagnostics.iter())
            .filter(|d| d.code == Code::UnexpandedDirective)
            .map(|d| d.line)
            .collect();
        assert_eq!(
            found,
            line.map(Some).into_iter().collect::<Vec<_>>(),
            "{text}"
        );
    }
}

#[test]
fn problems_point_at_the_source_line() {
    let text = "# T\n\n[x](javascript:alert(1))\n\n```\nnever closed\n";
    let (r, _) = render_with(text, Path::new("/x"));
    let found: Vec<(Code, Option<usize>)> =
        r.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert!(found.contains(&(Code::UnsafeUrl, Some(3))), "{found:?}");
    assert!(found.contains(&(Code::UnclosedBlock, Some(5))), "{found:?}");
}

#[test]
fn trusted_html_is_not_sanitised() {
    let mut opts = MarkdownOptions::new("/x/p.md", "/x");
    opts.trusted_html = true;
    let r = render_markdown(
        "<div style=\"color: red\" onclick=\"x()\">hi</div>\n",
        &opts,
        &mut KeepLinks,
    );
    assert!(r.html.contains("onclick"));
    opts.trusted_html = false;
    let r = render_markdown(
        "<div style=\"color: red\" onclick=\"x()\">hi</div>\n",
        &opts,
        &mut KeepLinks,
    );
    assert!(!r.html.contains("onclick") && !r.html.contains("color"));
    assert!(r.diagnostics.iter().any(|d| d.code == Code::HtmlRemoved));
}

#[test]
fn pages_without_raw_html_skip_the_sanitiser() {
    // The sanitiser would turn `&para;` into `¶`: its absence shows it did not run.
    let (r, _) = render_with("# A\n", Path::new("/x"));
    assert!(r.html.contains("&para;"));
}

#[test]
fn extra_abbreviations_apply() {
    let mut opts = MarkdownOptions::new("/x/p.md", "/x");
    opts.extra_abbreviations = vec![("API".into(), "Application Programming Interface".into())];
    let r = render_markdown("An API call.\n", &opts, &mut KeepLinks);
    assert!(
        r.html
            .contains("<abbr title=\"Application Programming Interface\">API</abbr>")
    );
}

// Regression: a broken diagram showed Mermaid's error bomb to readers and was never reported.
#[test]
fn mermaid_mistakes_are_reported_at_the_page_line() {
    let text = "# T\n\n```mermaid\nflowchart LR\n  subgraph s\n    A[open --> B\n```\n\n!!! note\n    ```mermaid\n    sequencediagram\n    ```\n";
    let (r, _) = render_with(text, Path::new("/x"));
    let found: Vec<(Code, Option<usize>)> =
        r.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        found,
        [
            (Code::MermaidSyntax, Some(5)),
            (Code::MermaidSyntax, Some(6)),
            (Code::MermaidSyntax, Some(11)),
        ]
    );
}

#[test]
fn bad_dot_is_a_warning_at_its_fence_and_stays_code() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# T\n\nText.\n\n```dot\ndigraph { a -> ; }\n```\n";
    let (r, _) = render_with(text, dir.path());
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MermaidSyntax)
        .collect();
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(d[0].line, Some(5));
    assert!(d[0].message.contains("not valid DOT"), "{}", d[0].message);
    assert!(
        r.html.contains("language-dot highlight") && !r.html.contains("<svg"),
        "{}",
        r.html
    );
}

#[test]
fn drawn_dot_survives_the_raw_html_sanitiser() {
    // A page with raw HTML is sanitised as a whole, which would drop any SVG.
    let dir = tempfile::tempdir().unwrap();
    let text = "<span>raw</span>\n\n```dot\ndigraph { a -> b }\n```\n";
    let (r, _) = render_with(text, dir.path());
    assert!(r.html.contains("<svg class=\"dot-diagram\""), "{}", r.html);
    assert!(!r.html.contains('\u{FDD0}'), "{}", r.html);
}

#[test]
fn plantuml_is_code_and_noted_without_a_server_and_an_image_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<b>raw</b>\n\n```plantuml\nBob -> Alice : hello\n```\n";
    let (r, _) = render_with(text, dir.path());
    assert!(
        r.html.contains("<code>Bob -&gt; Alice : hello"),
        "{}",
        r.html
    );
    assert_eq!(r.unsupported, ["plantuml"]);
    let mut opts = MarkdownOptions::new(dir.path().join("docs/page.md"), dir.path());
    opts.plantuml = Some(crate::config::PlantUml::Server(
        "https://uml.example".into(),
    ));
    let r = render_markdown(text, &opts, &mut KeepLinks);
    let encoded = super::plantuml::encode("Bob -> Alice : hello\n");
    let img = format!(
        "<img class=\"plantuml\" alt=\"PlantUML diagram\" src=\"https://uml.example/svg/{encoded}\""
    );
    assert!(r.html.contains(&img), "{}", r.html);
    assert!(r.unsupported.is_empty());
}
