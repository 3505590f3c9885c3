//! HTML safety: URL scheme checks, URL rewriting inside raw HTML, and the sanitiser (ammonia,
//! in the spirit of TechDocs' DOMPurify) that runs on pages which contain raw HTML. Escaping
//! lives in `crate::html`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use lol_html::html_content::{Attribute, Element};
use lol_html::{ElementContentHandlers, RewriteStrSettings, Selector, rewrite_str};
use regex::Regex;

use crate::html::escape_attr;

/// Whether a URL may be emitted: anything but a script-capable scheme. `data:` is allowed
/// only for images with an image type.
pub fn url_is_safe(url: &str, image: bool) -> bool {
    // The longest scheme prefix looked for is 11 characters: only that many of the URL,
    // white space and controls skipped (browsers skip them) and ASCII lowered, are read —
    // into an array, as every link and image of every page is asked.
    const LOOKED_AT: usize = 11;
    let mut head = [0u8; LOOKED_AT];
    let mut n = 0;
    for c in url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
    {
        if n == LOOKED_AT {
            break;
        }
        // A character beyond ASCII (0xFF, or its Latin-1 byte) matches no byte of the prefixes.
        head[n] = u8::try_from(c).map_or(0xFF, |b| b.to_ascii_lowercase());
        n += 1;
    }
    let head = &head[..n];
    if head.starts_with(b"javascript:") || head.starts_with(b"vbscript:") {
        return false;
    }
    if head.starts_with(b"data:") {
        return image && head.starts_with(b"data:image/");
    }
    true
}

static DANGEROUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<\s*(script|iframe|style|object|embed|frame|frameset)\b|\son[a-z]+\s*=|javascript:|vbscript:"#)
        .expect("valid regex")
});

/// Style values that can run or fetch something, even with escapes or comments in between.
static STYLE_VALUE_UNSAFE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)expression|url\s*\(|\\|/\*|javascript:|behavior|-moz-binding|@import")
        .expect("valid regex")
});

/// Whether raw HTML holds something the sanitiser will take out (for a warning).
pub fn has_dangerous(html: &str) -> bool {
    DANGEROUS.is_match(html)
}

/// Rewrites every `href`/`src` inside raw HTML through `rewrite(url, is_src, line_offset)`,
/// where `line_offset` counts the newlines before the attribute. Only the value is replaced,
/// always double-quoted; the rest of the markup stays byte for byte as written.
pub fn rewrite_html_urls(
    html: &str,
    mut rewrite: impl FnMut(&str, bool, usize) -> String,
) -> String {
    if !html.contains('=') || !(mentions(html, b"href") || mentions(html, b"src")) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    for attr in url_attributes(html) {
        let new = rewrite(&decode_entities(attr.url), attr.is_src, attr.line);
        out.push_str(&html[last..attr.written.start]);
        out.push('"');
        escape_attr(&mut out, &new);
        out.push('"');
        last = attr.written.end;
    }
    out.push_str(&html[last..]);
    out
}

/// An `href` or `src` attribute with a value, in the raw HTML.
struct UrlAttr<'a> {
    is_src: bool,
    /// The value without its quotes, entities still encoded.
    url: &'a str,
    /// The value with its quotes: the bytes that the rewritten value replaces.
    written: Range<usize>,
    /// Newlines before the separator in front of the name: where the earlier regex-based
    /// rewriter counted, so that the lines reported for links stay the same.
    line: usize,
}

/// The `href` and `src` attributes of the start tags in `html`, in document order, as an HTML
/// tokenizer (lol_html) reads them: nothing in comments, text, scripts or other attribute
/// values. lol_html only locates them: its own attribute setter would re-serialise the whole
/// tag (whitespace between attributes, spaces around `=`), and trusted pages are not
/// re-serialised by the sanitiser afterwards.
fn url_attributes(html: &str) -> Vec<UrlAttr<'_>> {
    static SELECTOR: LazyLock<Selector> =
        LazyLock::new(|| "[href], [src]".parse().expect("valid selector"));
    let mut found = Vec::new();
    let settings = RewriteStrSettings::new()
        .with_strict(false)
        .append_element_content_handler((
            Cow::Borrowed(&*SELECTOR),
            ElementContentHandlers::default().element(|el: &mut Element<'_, '_>| {
                found.extend(el.attributes().iter().filter_map(|a| url_attr(html, a)));
                Ok(())
            }),
        ));
    // Non-strict, without memory limit and with a handler that cannot fail, rewriting cannot
    // fail either; if it ever did, the attributes found before still get rewritten.
    let _ = rewrite_str(html, settings);
    found
}

/// The attribute as a [`UrlAttr`], or `None` for other names and attributes without value.
fn url_attr<'a>(html: &'a str, attr: &Attribute<'_>) -> Option<UrlAttr<'a>> {
    let name = attr.name();
    let is_src = name == "src";
    if !is_src && name != "href" {
        return None;
    }
    let bytes = html.as_bytes();
    let separator = attr.name_source_location()?.bytes().start.saturating_sub(1);
    let line = bytes
        .get(..separator)?
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let value = attr.value_source_location()?.bytes();
    let url = html.get(value.clone())?;
    let quote = value
        .start
        .checked_sub(1)
        .and_then(|q| bytes.get(q))
        .filter(|q| matches!(q, b'"' | b'\''));
    let closed = quote.is_some() && bytes.get(value.end) == quote;
    let written = value.start - usize::from(quote.is_some())..value.end + usize::from(closed);
    Some(UrlAttr {
        is_src,
        url,
        written,
        line,
    })
}

/// Whether `html` contains `word`, in any ASCII case: most raw HTML (`<br>`, `<span …>`)
/// has no URL attribute and skips the tokenizer.
fn mentions(html: &str, word: &[u8]) -> bool {
    html.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Decodes the few entities that show up in URLs written in HTML.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Elements kept by the sanitiser beyond ammonia's defaults (ours and common authoring ones).
const EXTRA_TAGS: &[&str] = &[
    "details",
    "summary",
    "input",
    "label",
    "mark",
    "figure",
    "figcaption",
    "picture",
    "source",
    "video",
    "audio",
    "track",
    "svg",
    "path",
    "g",
    "circle",
    "rect",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "text",
    "tspan",
    "defs",
    "use",
    "title",
    "desc",
    "marker",
    "nav",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "button",
];

const GENERIC_ATTRS: &[&str] = &[
    "class", "id", "title", "lang", "dir", "style", "role", "align", "hidden",
];

/// Attributes kept per element beyond the generic ones.
const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "name", "target", "download", "rel"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "loading", "srcset", "sizes",
        ],
    ),
    (
        "input",
        &[
            "type",
            "checked",
            "disabled",
            "name",
            "value",
            "placeholder",
        ],
    ),
    ("label", &["for"]),
    ("details", &["open"]),
    ("abbr", &["title"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("td", &["colspan", "rowspan"]),
    ("ol", &["start", "type", "reversed"]),
    ("li", &["value"]),
    ("source", &["src", "srcset", "type", "media", "sizes"]),
    (
        "video",
        &[
            "src",
            "controls",
            "width",
            "height",
            "poster",
            "loop",
            "muted",
            "autoplay",
            "playsinline",
        ],
    ),
    ("audio", &["src", "controls", "loop", "muted"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    (
        "svg",
        &[
            "viewbox",
            "viewBox",
            "width",
            "height",
            "xmlns",
            "fill",
            "stroke",
            "preserveaspectratio",
        ],
    ),
    (
        "path",
        &["d", "fill", "stroke", "stroke-width", "transform"],
    ),
    ("g", &["fill", "stroke", "transform"]),
    ("circle", &["cx", "cy", "r", "fill", "stroke"]),
    (
        "rect",
        &["x", "y", "width", "height", "rx", "ry", "fill", "stroke"],
    ),
    ("line", &["x1", "y1", "x2", "y2", "stroke"]),
    ("polyline", &["points", "fill", "stroke"]),
    ("polygon", &["points", "fill", "stroke"]),
    ("ellipse", &["cx", "cy", "rx", "ry", "fill", "stroke"]),
    ("text", &["x", "y", "fill", "font-size", "text-anchor"]),
    ("button", &["type", "disabled"]),
];

/// CSS properties allowed in `style` attributes: layout basics, nothing that can overlay.
const STYLE_PROPERTIES: &[&str] = &[
    "text-align",
    "width",
    "height",
    "max-width",
    "max-height",
    "min-width",
    "vertical-align",
    "float",
];

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(EXTRA_TAGS.iter().copied())
            .rm_tags(["iframe"])
            .add_generic_attributes(GENERIC_ATTRS.iter().copied())
            .add_generic_attribute_prefixes(["data-", "aria-"])
            .link_rel(None)
            .add_url_schemes(["data"])
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect::<HashSet<_>>())
            .strip_comments(true);
        let mut tag_attrs: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (tag, attrs) in TAG_ATTRS {
            tag_attrs
                .entry(*tag)
                .or_default()
                .extend(attrs.iter().copied());
        }
        b.tag_attributes(tag_attrs);
        b.attribute_filter(|element, attribute, value| {
            let lower = value.trim_start().to_ascii_lowercase();
            if lower.starts_with("data:")
                && !(element == "img" && attribute == "src" && lower.starts_with("data:image/"))
            {
                return None;
            }
            // Property names are filtered by ammonia, values are not: old IE ran
            // `expression()`, and `url()` fetches whatever it names.
            if attribute == "style" && STYLE_VALUE_UNSAFE.is_match(&lower) {
                return None;
            }
            if element == "input"
                && attribute == "type"
                && !matches!(lower.as_str(), "checkbox" | "radio")
            {
                return None;
            }
            Some(value.into())
        });
        b
    })
}

/// Cleans a whole rendered page that contains raw HTML.
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// A `style` value as the sanitiser leaves it on raw HTML (allowed properties, no value that
/// runs or fetches), or None when nothing survives. attr_list styles go through this so that
/// `{: style="width: 50px" }` and `<img style="width: 50px">` give the same page.
pub fn clean_style(style: &str) -> Option<String> {
    let mut probe = String::from("<span style=\"");
    escape_attr(&mut probe, style);
    probe.push_str("\"></span>");
    let clean = sanitize(&probe);
    let value = clean.split_once("style=\"")?.1.split_once('"')?.0;
    (!value.is_empty()).then(|| decode_entities(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `url_is_safe` as it was first written: the text cleaned and lowered whole.
    fn url_is_safe_by_copy(url: &str, image: bool) -> bool {
        let cleaned: String = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .take(32)
            .collect::<String>()
            .to_ascii_lowercase();
        if cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:") {
            return false;
        }
        if cleaned.starts_with("data:") {
            return image && cleaned.starts_with("data:image/");
        }
        true
    }

    #[test]
    fn script_schemes_are_unsafe_however_written() {
        let cases = [
            ("javascript:alert(1)", false, false),
            (" JaVa\tScRiPt:alert(1)", false, false),
            ("ja\u{0}vas\ncript:x", false, false),
            ("vbscript:x", true, false),
            ("data:text/html,x", true, false),
            ("data:image/png;base64,x", true, true),
            ("DATA:IMAGE/png", false, false),
            ("https://example.com/javascript:", false, true),
            ("\u{a0}javascript:x", false, false),
            ("javaſcript:x", false, true),
        ];
        for (url, image, safe) in cases {
            assert_eq!(url_is_safe(url, image), safe, "{url:?}");
            assert_eq!(url_is_safe_by_copy(url, image), safe, "{url:?}");
        }
    }

    proptest! {
        #[test]
        fn url_safety_reads_only_the_scheme(
            url in "(( |\t|\u{0}|\u{a0}|\n)?(java|JaVa|vb|data|DATA|image|é|ſ|:|/|s|c|r|i|p|t|a)){0,14}",
            image in any::<bool>()
        ) {
            prop_assert_eq!(url_is_safe(&url, image), url_is_safe_by_copy(&url, image));
        }
    }

    #[test]
    fn sanitizer_keeps_our_markup_and_drops_scripts() {
        let ours = r#"<div class="tabbed-set" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">A</label></div><th style="text-align: left;">x</th>"#;
        let clean = sanitize(&format!(
            "{ours}<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:x\">j</a>"
        ));
        assert!(clean.contains("data-tabs=\"1:2\""));
        assert!(clean.contains("type=\"radio\""));
        assert!(clean.contains("for=\"__tabbed_1_1\""));
        assert!(!clean.contains("script"));
        assert!(!clean.contains("onerror"));
        assert!(!clean.contains("javascript"));
    }

    #[test]
    fn style_values_that_run_or_fetch_are_dropped() {
        for bad in [
            "width:expression(alert(1))",
            "width:expr\\65ssion(alert(1))",
            "width:exp/**/ression(alert(1))",
            "float:left;background:url(javascript:alert(1))",
        ] {
            let clean = sanitize(&format!("<div style=\"{bad}\">x</div>"));
            assert_eq!(clean, "<div>x</div>", "{bad}");
        }
        let kept = sanitize("<div style=\"text-align: center\">x</div>");
        assert!(kept.contains("text-align:center"), "{kept}");
    }

    #[test]
    fn clean_style_follows_the_sanitiser() {
        assert_eq!(
            clean_style("width: 50px; position: fixed").as_deref(),
            Some("width:50px")
        );
        assert_eq!(clean_style("position: fixed; top: 0"), None);
        assert_eq!(clean_style("width:expression(alert(1))"), None);
    }

    #[test]
    fn data_urls_only_for_images() {
        let clean =
            sanitize(r#"<img src="data:image/png;base64,AAAA"><a href="data:text/html,x">l</a>"#);
        assert!(clean.contains("data:image/png"));
        assert!(!clean.contains("data:text"));
    }

    #[test]
    fn raw_html_urls_are_rewritten() {
        let out = rewrite_html_urls(
            "<img src=\"a.png\">\n<a href='b.md'>b</a> href=\"no\"",
            |u, src, line| format!("{u}|{src}|{line}"),
        );
        assert_eq!(
            out,
            "<img src=\"a.png|true|0\">\n<a href=\"b.md|false|1\">b</a> href=\"no\""
        );
    }

    fn marked(html: &str) -> String {
        rewrite_html_urls(html, |u, src, line| format!("{u}|{src}|{line}&\""))
    }

    #[test]
    fn only_url_values_change_in_raw_html() {
        assert_eq!(
            marked("<a\n  class=c\n  HREF = x.md\n  >x</a><img\tsrc='a&amp;b.png' />"),
            "<a\n  class=c\n  HREF = \"x.md|false|2&amp;&quot;\"\n  >x</a>\
             <img\tsrc=\"a&amp;b.png|true|3&amp;&quot;\" />"
        );
        // The line is counted up to the separator before the name.
        assert_eq!(
            marked("<a\nhref=\"\">"),
            "<a\nhref=\"|false|0&amp;&quot;\">"
        );
        for untouched in [
            "<a href>x</a>",
            "<a data-src=\"x\" xlink:href=\"y\">",
            "<br>",
        ] {
            assert_eq!(marked(untouched), untouched);
        }
    }

    #[test]
    fn urls_outside_start_tags_are_left_alone() {
        for html in [
            "<!-- <a href=\"c.md\"> -->",
            "<script>var a = '<a href=\"s\">';</script>",
            "<textarea><a href=\"t\"></textarea>",
            "</a href=\"e\">",
            "<p>src=\"x\" and href=\"y\" in text</p>",
        ] {
            assert_eq!(marked(html), html);
        }
        assert_eq!(
            marked("<a title=\"x>y\" href=\"z\">"),
            "<a title=\"x>y\" href=\"z|false|0&amp;&quot;\">"
        );
    }
}
