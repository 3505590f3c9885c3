//! What counts as an injection, checked two ways: statically on the HTML text (a quote-aware
//! tag scan) and on the live DOM in Chromium (what the browser actually parsed).

use std::sync::LazyLock;

use crate::html_scan::{Tag, scan_tags, tag_findings};
use crate::support::project_root;

/// Text that only a template engine evaluating a payload would write (see the t0x payloads).
pub const TEMPLATE_EVALUATED: &[&str] = &["TPLEVAL", "1343433"];

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
        found.extend(tag_findings(&tag));
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
      const content = d.body || d.documentElement;
      if (!content || !content.children.length) found.push(f.src + ': empty frame');
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
