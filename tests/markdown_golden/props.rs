//! Properties over arbitrary input: rendering never panics or hangs (2 s per case), and
//! nothing the page writes can put a script, an event handler or a script URL into the output.

use proptest::prelude::*;
use stagedoor::markdown::{KeepLinks, MarkdownOptions, render_markdown};

use crate::html_scan::{scan_tags, tag_findings};
use crate::limit::within;

fn render(text: &str) -> String {
    let opts = MarkdownOptions::new("/nowhere/docs/p.md", "/nowhere");
    render_markdown(text, &opts, &mut KeepLinks).html
}

/// Markdown-ish fragments so the generator reaches the interesting paths.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("!!! note \"".to_string()),
        Just("??? ".to_string()),
        Just("=== \"".to_string()),
        Just("/// tab | ".to_string()),
        Just("///".to_string()),
        Just("```".to_string()),
        Just("    ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: ".to_string()),
        Just(":   ".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<div markdown>".to_string()),
        Just("</div>".to_string()),
        Just("<a href=\"javascript:alert(1)\">".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("{: onclick=\"x\" }".to_string()),
        Just("==".to_string()),
        Just("^^".to_string()),
        Just("~~".to_string()),
        Just("{++".to_string()),
        Just("++}".to_string()),
        Just("*[X]: ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\u{FDD0}".to_string()),
        "[a-z \t|#*_`<>=!?:~^+{}()\\[\\]-]{0,12}".prop_map(|s| s),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// Script elements, `on…=` attributes, script URLs (entity-encoded or split by whitespace
/// too), frames and `expression()` styles in the output's tags.
fn has_script(html: &str) -> bool {
    html.to_ascii_lowercase().contains("<script")
        || scan_tags(html)
            .iter()
            .any(|t| t.name == "script" || !tag_findings(t).is_empty())
}

/// The payloads of the XSS corpus (tests/hostile/xss-payloads.txt), as fragments.
fn corpus_payloads() -> Vec<String> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile/xss-payloads.txt"
    );
    std::fs::read_to_string(file)
        .expect("corpus readable")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(_, p)| p.replace("\\n", "\n").replace("$M", "alert(1)"))
        .collect()
}

/// HTML and Markdown pieces that interact badly: the corpus, block starts that change how
/// the following lines are read, and constructs that open a raw-text context.
fn hostile_fragment() -> impl Strategy<Value = String> {
    let corpus = corpus_payloads();
    assert!(corpus.len() >= 40);
    prop_oneof![
        3 => prop::sample::select(corpus),
        2 => fragment(),
        1 => prop::sample::select(vec![
            "<table>", "<svg>", "<math>", "<!--", "-->", "<![CDATA[", "]]>", "<textarea>",
            "<style>", "<noscript>", "<pre>", "<xmp>", "<title>", "</p>", "<p title=\"",
            "&#x6a;avascript:", "java&#x09;script:", "&lt;", "`", "```", "\\", "<details markdown>",
            "<div markdown=\"1\">", "![x](", "[x]: ", "<", ">", "\"", "'", " onerror=", "=",
        ]).prop_map(str::to_string),
    ]
}

/// Renders within the time limit; a hang or panic fails the case.
fn render_in_time(text: String) -> Result<String, TestCaseError> {
    within(move || render(&text)).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        let html = render_in_time(s)?;
        prop_assert!(!has_script(&html));
    }

    #[test]
    fn markdown_like_text_never_injects(doc in document()) {
        let html = render_in_time(doc.clone())?;
        prop_assert!(!has_script(&html), "script in output for {:?}:\n{}", doc, html);
        prop_assert!(!html.contains('\u{FDD0}'), "stand-in leaked for {:?}:\n{}", doc, html);
    }

    #[test]
    fn hostile_html_and_markdown_never_inject(
        doc in prop::collection::vec(hostile_fragment(), 1..24).prop_map(|v| v.join(""))
    ) {
        let html = render_in_time(doc.clone())?;
        prop_assert!(!has_script(&html), "script in output for {:?}:\n{}", doc, html);
    }
}

#[test]
fn the_detector_sees_what_would_run() {
    for bad in [
        "<img src=x onerror=alert(1)>",
        "<a href=\"&#x6a;avascript:x\">x</a>",
        "<script>x</script>",
        "<iframe src=x></iframe>",
    ] {
        assert!(has_script(bad), "{bad}");
    }
    assert!(!has_script(
        "<p title=\"&lt;img onerror=x&gt;\">&lt;script&gt;</p>"
    ));
}
