//! Properties over arbitrary input: rendering never panics, and nothing the page writes can
//! put a script or an event handler into the output.

use proptest::prelude::*;
use stagedoor::docs::markdown::{KeepLinks, MarkdownOptions, render_markdown};

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

/// Script elements, `on…=` attributes or `javascript:` URLs in the output's tags.
fn has_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        return true;
    }
    let mut rest = lower.as_str();
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        let (mut attrs, mut after) = (Vec::new(), &rest[name_len..]);
        loop {
            after = after.trim_start();
            if after.is_empty() || after.starts_with('>') || after.starts_with("/>") {
                break;
            }
            let key_len = after
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(after.len())
                .max(1);
            let key = &after[..key_len];
            after = &after[key_len..];
            let mut value = "";
            if let Some(v) = after.strip_prefix('=') {
                let q = v.chars().next().filter(|c| *c == '"' || *c == '\'');
                let (val, tail) = match q {
                    Some(q) => match v[1..].find(q) {
                        Some(e) => (&v[1..1 + e], &v[2 + e..]),
                        None => (&v[1..], ""),
                    },
                    None => {
                        let e = v
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len());
                        (&v[..e], &v[e..])
                    }
                };
                value = val;
                after = tail;
            }
            attrs.push((key, value));
        }
        if attrs
            .iter()
            .any(|(k, v)| k.starts_with("on") || v.trim_start().starts_with("javascript:"))
        {
            return true;
        }
        rest = after;
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        let html = render(&s);
        prop_assert!(!has_script(&html));
    }

    #[test]
    fn markdown_like_text_never_injects(doc in document()) {
        let html = render(&doc);
        prop_assert!(!has_script(&html), "script in output for {:?}:\n{}", doc, html);
        prop_assert!(!html.contains('\u{FDD0}'), "stand-in leaked for {:?}:\n{}", doc, html);
    }
}
