//! HTML safety: URL scheme checks, URL rewriting inside raw HTML, and the sanitiser (ammonia,
//! in the spirit of TechDocs' DOMPurify) that runs on pages which contain raw HTML. Escaping
//! lives in `crate::html`.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use crate::html::escape_attr;

/// Whether a URL may be emitted: anything but a script-capable scheme. `data:` is allowed
/// only for images with an image type.
pub fn url_is_safe(url: &str, image: bool) -> bool {
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

static URL_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(href|src)\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
        .expect("valid regex")
});
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
/// where `line_offset` counts the newlines before the attribute.
pub fn rewrite_html_urls(
    html: &str,
    mut rewrite: impl FnMut(&str, bool, usize) -> String,
) -> String {
    if !html.contains('=') {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    for cap in URL_ATTR.captures_iter(html) {
        let whole = cap.get(0).expect("match");
        // Only inside a tag: the nearest `<` before must come after the nearest `>`.
        let before = &html[..whole.start()];
        if before
            .rfind('<')
            .is_none_or(|lt| before.rfind('>').is_some_and(|gt| gt > lt))
        {
            continue;
        }
        let url = cap
            .get(4)
            .or(cap.get(5))
            .or(cap.get(6))
            .map_or("", |m| m.as_str());
        let url = decode_entities(url);
        let is_src = cap[2].eq_ignore_ascii_case("src");
        let line = before.matches('\n').count();
        let new = rewrite(&url, is_src, line);
        out.push_str(&html[last..whole.start()]);
        out.push_str(&cap[1]);
        out.push('"');
        escape_attr(&mut out, &new);
        out.push('"');
        last = whole.end();
    }
    out.push_str(&html[last..]);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
