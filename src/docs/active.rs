//! Docs: withholds the files of a docs folder that a browser would run as a document when
//! opened from the portal's origin (HTML pages, scripted SVG or XML). MkDocs publishes the
//! docs folder as is; for a portal anyone can push docs to, that would be stored XSS. Roots
//! marked `trusted` keep them.
//!
//! An SVG is inert inside `<img>` (no script runs, nothing loads), and diagrams (draw.io's
//! `.drawio.svg` labels are `<foreignObject>` HTML) are often flagged only for that. Such an
//! SVG is still never published as a file, since anyone could open its URL; pages that show
//! it as an image get it inline as a `data:` URL instead, which a browser will not open as a
//! document of the portal's origin. A link to it stays withheld (see `links`).

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::{Code, Diagnostic};
use crate::docs::nav::{DocFile, InlineImage, SiteFiles};

/// Extensions browsers render as HTML documents: never published from untrusted roots.
const DOCUMENT_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml"];

/// Extensions that are usually plain images or data, but can carry script: published only
/// when nothing in them can run.
const SCANNED_EXTENSIONS: &[&str] = &["svg", "svgz", "xml", "xsl", "xslt"];

/// Scanned files larger than this are withheld rather than read whole.
const MAX_SCANNED_BYTES: u64 = 4 * 1024 * 1024;

/// Active SVGs up to this size are shown inline in `<img>`; larger ones would bloat every
/// page that shows them and are withheld.
const MAX_INLINE_BYTES: usize = 1024 * 1024;

/// Markup that runs or loads script, matched on the lower-cased text.
static ACTIVE_MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<\s*(script|foreignobject|iframe|embed|object|handler|listener)\b|<\?xml-stylesheet|<!entity|http://www\.w3\.org/1999/xhtml|[\s/"']on[a-z]+\s*="#)
        .expect("valid regex")
});

/// Script-capable URL schemes, matched after entities are decoded and whitespace dropped.
const ACTIVE_SCHEMES: &[&str] = &[
    "javascript:",
    "vbscript:",
    "data:text/html",
    "data:application",
];

/// Why `text` (an SVG or XML file) could run script, or None when it cannot.
pub fn active_content(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if ACTIVE_MARKUP.is_match(&lower) {
        return Some("it has scripts, event handlers, embedded HTML or entity declarations");
    }
    let squeezed: String = decode_char_refs(&lower)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    ACTIVE_SCHEMES
        .iter()
        .any(|s| squeezed.contains(s))
        .then_some("it links to a script URL")
}

/// `&#106;` and `&#x6a;` decoded (XML resolves them inside attribute values).
fn decode_char_refs(text: &str) -> String {
    static CHAR_REF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&#(x[0-9a-f]+|[0-9]+);?").expect("valid regex"));
    CHAR_REF
        .replace_all(text, |c: &regex::Captures| {
            let digits = &c[1];
            let code = match digits.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => digits.parse().ok(),
            };
            code.and_then(char::from_u32)
                .map_or(String::new(), |ch| ch.to_string())
        })
        .into_owned()
}

/// Why an asset must not be published as a file, and its text when it was read.
enum Verdict {
    Publish,
    Withhold(String),
    /// An SVG that could run script as a document but not inside `<img>`.
    ImageOnly(String, String),
}

fn extension(asset: &DocFile) -> Option<String> {
    asset
        .src
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn verdict(asset: &DocFile) -> Verdict {
    let Some(ext) = extension(asset) else {
        return Verdict::Publish;
    };
    if DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
        return Verdict::Withhold("browsers run it as a page".into());
    }
    if !SCANNED_EXTENSIONS.contains(&ext.as_str()) {
        return Verdict::Publish;
    }
    let text = match crate::fsutil::read_text_limited(&asset.src, MAX_SCANNED_BYTES) {
        Ok(text) => text,
        Err(_) => return Verdict::Withhold("it cannot be read as text to check it".into()),
    };
    match active_content(&text) {
        None => Verdict::Publish,
        Some(why) if ext == "svg" && text.len() <= MAX_INLINE_BYTES => {
            Verdict::ImageOnly(why.to_string(), text)
        }
        Some(why) => Verdict::Withhold(why.to_string()),
    }
}

/// `data:image/svg+xml,…` for an SVG's text (percent-encoded: smaller than base64 for text).
pub fn svg_data_url(text: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b' ')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'/')
        .remove(b':')
        .remove(b'=')
        .remove(b',')
        .remove(b';');
    format!("data:image/svg+xml,{}", utf8_percent_encode(text, KEEP)).replace(' ', "%20")
}

/// Takes the assets that could run script out of the published files: scripted SVGs become
/// image-only (shown inline where a page uses them as an image), the rest are dropped with
/// a warning each.
pub fn withhold_active(files: &mut SiteFiles, diags: &mut Vec<Diagnostic>) {
    let mut inline = Vec::new();
    files.assets.retain(|asset| match verdict(asset) {
        Verdict::Publish => true,
        Verdict::ImageOnly(why, text) => {
            inline.push(InlineImage {
                src: asset.src.clone(),
                rel: asset.rel.clone(),
                why,
                data_url: svg_data_url(&text),
            });
            false
        }
        Verdict::Withhold(reason) => {
            diags.push(
                Diagnostic::new(
                    Code::ActiveAsset,
                    format!("{} is not published: {reason}", asset.rel),
                )
                .in_file(&asset.src)
                .hint("link to a rendered Markdown page or a plain image instead, or mark the root `trusted: true`"),
            );
            false
        }
    });
    files.inline_images = inline;
}

#[cfg(test)]
mod tests {
    use super::{active_content, svg_data_url};

    #[test]
    fn data_urls_escape_what_would_end_an_attribute() {
        let url = svg_data_url("<svg a=\"b\" c='d'>#%&amp;</svg>");
        assert_eq!(
            url,
            "data:image/svg+xml,%3Csvg%20a=%22b%22%20c=%27d%27%3E%23%25%26amp;%3C/svg%3E"
        );
    }

    #[test]
    fn scripted_svg_and_xml_are_active() {
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg onload=\"alert(1)\"/>",
            "<svg><a xlink:href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>",
            "<svg><a href=\"java\n script:alert(1)\">x</a></svg>",
            "<svg><foreignObject><body xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject></svg>",
            "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><r/>",
            "<!DOCTYPE svg [<!ENTITY x \"y\">]><svg/>",
        ] {
            assert!(active_content(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn plain_drawings_are_not() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 9 9\"><style>.a{fill:red}</style><a xlink:href=\"https://x.example/\"><rect class=\"a\" width=\"9\" height=\"9\" data-font=\"one\"/></a><text font-family=\"Helvetica Neue\">Monitor</text></svg>";
        assert_eq!(active_content(svg), None);
    }
}
