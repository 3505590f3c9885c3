//! What counts as an injection, checked two ways: statically on the HTML text (a quote-aware
//! tag scan) and on the live DOM in Chromium (what the browser actually parsed).

use std::sync::LazyLock;

use crate::support::project_root;

/// Text that only a template engine evaluating a payload would write (see the t0x payloads).
pub const TEMPLATE_EVALUATED: &[&str] = &["TPLEVAL", "1343433"];

/// Attributes whose value is fetched or navigated to.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "srcdoc",
    "srcset",
    "ping",
    "cite",
];

/// Elements stagedoor never writes from input: each one can load or run something.
const FORBIDDEN_TAGS: &[&str] = &[
    "iframe", "object", "embed", "frame", "frameset", "base", "applet",
];

/// The inline scripts of the default theme, read from its templates: the only inline
/// scripts a page may hold.
static THEME_INLINE_SCRIPTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = project_root().join("themes/default/templates");
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<script>") {
            let body = &rest[at + 8..];
            let end = body.find("</script>").expect("closed theme script");
            found.push(body[..end].to_string());
            rest = &body[end..];
        }
    }
    assert!(
        !found.is_empty(),
        "the theme has its inline theme-switch script"
    );
    found
});

/// `&#58;`, `&#x6a;`, `&colon;`-style entities decoded, then ASCII whitespace and controls
/// dropped and lower-cased: what a browser compares a URL scheme against.
fn normalise_url(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let code = if let Some(hex) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = ent.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match ent {
                    "colon" => Some(58),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    "amp" => Some(38),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether a URL attribute's value could run script.
fn is_script_url(tag: &str, attr: &str, value: &str) -> bool {
    let v = normalise_url(value);
    if attr == "srcdoc" {
        return !value.is_empty();
    }
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || (v.starts_with("data:") && !(tag == "img" && v.starts_with("data:image/")))
}

struct Tag<'a> {
    name: String,
    attrs: Vec<(String, &'a str)>,
    /// Text right after the tag (for inline scripts: their body).
    after: &'a str,
}

/// Splits HTML into its tags, reading attribute values with their quotes as a browser does.
fn scan_tags(html: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(c) = rest.strip_prefix("!--") {
            rest = c.find("-->").map_or("", |e| &c[e + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let mut after = &rest[name_len..];
        let mut attrs = Vec::new();
        loop {
            after = after.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if after.is_empty() || after.starts_with('>') {
                break;
            }
            let key_len = after
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(after.len())
                .max(1);
            let key = after[..key_len].to_ascii_lowercase();
            after = &after[key_len..];
            let mut value = "";
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'');
                let (val, tail) = match quote {
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
        let body = after.strip_prefix('>').unwrap_or(after);
        tags.push(Tag {
            name,
            attrs,
            after: body,
        });
        rest = body;
    }
    tags
}

/// Whether a `<script>` tag is one of the theme's: an inline theme script, or an external
/// one from the site's own assets folder.
fn is_theme_script(tag: &Tag) -> bool {
    match tag.attrs.as_slice() {
        [] => THEME_INLINE_SCRIPTS.iter().any(|s| {
            tag.after.starts_with(s.as_str()) && tag.after[s.len()..].starts_with("</script>")
        }),
        [(src, url), (defer, "")] if src == "src" && defer == "defer" => {
            let path = url.trim_start_matches("../").trim_start_matches('/');
            path.starts_with("assets/") && !url.contains(':')
        }
        _ => false,
    }
}

/// Every injection found in one page's HTML, as `what: detail` lines.
pub fn static_findings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in scan_tags(html) {
        if tag.name == "script" && !is_theme_script(&tag) {
            found.push(format!("script tag: <script {:?}>", tag.attrs));
        }
        if FORBIDDEN_TAGS.contains(&tag.name.as_str()) {
            found.push(format!("forbidden tag <{}>", tag.name));
        }
        if tag.name == "meta" && tag.attrs.iter().any(|(k, _)| k == "http-equiv") {
            found.push("meta http-equiv".to_string());
        }
        for (k, v) in &tag.attrs {
            if k.starts_with("on") {
                found.push(format!("event handler <{} {k}={v:?}>", tag.name));
            }
            if URL_ATTRS.contains(&k.as_str()) && is_script_url(&tag.name, k, v) {
                found.push(format!("script URL <{} {k}={v:?}>", tag.name));
            }
            if k == "style" && normalise_url(v).contains("expression(") {
                found.push(format!("CSS expression <{} style={v:?}>", tag.name));
            }
        }
    }
    for t in TEMPLATE_EVALUATED {
        if html.contains(t) {
            found.push(format!("template evaluated: {t}"));
        }
    }
    found
}

/// Defines `__domCheck(doc)` in the page: the same kinds of findings as `static_findings`,
/// from the DOM the browser parsed (shadow roots and same-origin frames included).
pub const DOM_CHECK_FN: &str = r#"
window.__domCheck = function (doc) {
  const found = [];
  const urlAttrs = ['href','src','action','formaction','data','xlink:href','poster','background','srcdoc','srcset','ping','cite'];
  const forbidden = ['IFRAME','OBJECT','EMBED','FRAME','FRAMESET','BASE','APPLET'];
  function visit(root, where) {
    root.querySelectorAll('*').forEach(function (el) {
      const tag = el.tagName.toUpperCase();
      if (forbidden.indexOf(tag) >= 0) found.push(where + 'element ' + tag);
      if (tag === 'META' && el.hasAttribute('http-equiv')) found.push(where + 'meta http-equiv');
      if (tag === 'SCRIPT') {
        const src = el.getAttribute('src');
        const own = src ? /^\/?(\.\.\/)*assets\/[^:]*$/.test(src) : window.__themeScripts.indexOf(el.textContent) >= 0;
        if (!own) found.push(where + 'script ' + (src || el.textContent.slice(0, 80)));
      }
      for (const a of Array.from(el.attributes)) {
        const n = a.name.toLowerCase();
        const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
        if (n.startsWith('on')) found.push(where + 'handler ' + tag + ' ' + n);
        if (urlAttrs.indexOf(n) >= 0 && (/^(javascript|vbscript):/.test(v) ||
            (v.startsWith('data:') && !(tag === 'IMG' && v.startsWith('data:image/'))) || (n === 'srcdoc' && v)))
          found.push(where + 'url ' + tag + ' ' + n + '=' + a.value.slice(0, 80));
      }
      if (el.shadowRoot) visit(el.shadowRoot, where + 'shadow:');
      if (tag === 'IFRAME') { try { visit(el.contentDocument, where + 'frame:'); } catch (e) {} }
    });
  }
  visit(doc, '');
  return found;
};
"#;

/// Checks the current page: its findings, what `top.__xss` recorded, and its URL.
pub const DOM_CHECK_PAGE: &str = "return { found: window.__domCheck(document), xss: window.top.__xss || null, url: location.href };";

/// Loads `arguments[0]` (a list of URLs) into same-origin frames of the harness page at
/// once, waits for every frame's load event and a moment more, then checks each frame's
/// document. The markers write to `top.__xss`, which here is the harness itself.
pub const DOM_CHECK_FRAMES: &str = r#"
const urls = arguments[0], done = arguments[arguments.length - 1];
const box = document.getElementById('frames');
box.textContent = '';
let left = urls.length;
const frames = urls.map(function (u) {
  const f = document.createElement('iframe');
  f.addEventListener('load', function () { if (--left === 0) setTimeout(finish, 150); });
  f.src = u;
  box.appendChild(f);
  return f;
});
function finish() {
  const found = [];
  frames.forEach(function (f) {
    try {
      const d = f.contentDocument;
      window.__domCheck(d).forEach(function (x) { found.push(f.contentWindow.location.href + ': ' + x); });
      if (!d.body || !d.body.children.length) found.push(f.src + ': empty frame');
    } catch (e) { found.push(f.src + ': frame unreadable: ' + e); }
  });
  done({ found: found, xss: window.__xss || null });
}
"#;

/// The harness page that frames the site's pages (written into the served folder).
pub const HARNESS_PAGE: &str = "<!doctype html><meta charset=utf-8><title>harness</title><style>iframe{width:1000px;height:700px}</style><div id=frames></div>";

/// The theme's inline scripts as a JS array literal, set before `DOM_CHECK_FN` runs.
pub fn theme_scripts_js() -> String {
    format!(
        "window.__themeScripts = {};",
        serde_json::to_string(&*THEME_INLINE_SCRIPTS).expect("json")
    )
}

#[test]
fn the_static_check_sees_each_kind_of_injection() {
    let page = |s: &str| format!("<html><body>{s}</body></html>");
    let theme = format!("<script>{}</script>", THEME_INLINE_SCRIPTS[0]);
    assert!(
        static_findings(&theme).is_empty(),
        "{:?}",
        static_findings(&theme)
    );
    assert!(static_findings(r#"<script src="../assets/x.js?v=1" defer></script>"#).is_empty());
    for bad in [
        "<img src=x onerror=alert(1)>",
        "<a href=\"&#x6a;avascript:x\">",
        "<a href=' java&#x09;script:x'>",
        "<iframe srcdoc=\"x\"></iframe>",
        "<a href=\"data:text/html,x\">",
        "<div style=\"width:expression(x)\">",
        "<meta http-equiv=refresh content=\"0;url=x\">",
        "TPLEVAL",
    ] {
        assert!(!static_findings(&page(bad)).is_empty(), "{bad}");
    }
    assert!(static_findings("<p title=\"&lt;img onerror=x&gt;\">a &lt;script&gt;</p>").is_empty());
    assert!(static_findings("<img src=\"data:image/png;base64,AA\">").is_empty());
}
