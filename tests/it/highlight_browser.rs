//! Style markup (flat spans named after colours, the default since issue 17) must look like
//! the scope markup it replaced: the example site is built twice, once as it is and once with
//! a theme whose `static/highlight.css` is the scope stylesheet (which switches the site to
//! scope markup), and Chromium reports the colour, weight and style of every character of
//! code on code-heavy pages, in the light and in the dark theme.

use stagedoor::highlight::{Markup, stylesheet};

use crate::browser::{self, Browser, serve_dir};
use crate::support::{build_into, example_site_copy};

const PAGES: &[&str] = &[
    "docs/default/component/engineering-handbook/writing-docs/",
    "docs/default/component/payments-api/guides/api-usage/",
    "docs/default/component/payments-api/getting-started/",
    "catalog/default/api/payments-api/",
];

/// Per character of code on the page (white space aside): its computed colour, weight,
/// style, underline and the background behind it, one string per run of characters that look
/// the same.
const LOOK: &str = r#"
const transparent = 'rgba(0, 0, 0, 0)';
// The background a reader sees behind text: the nearest one set, up to the code element.
const background = (el, code) => {
  for (; el && el !== code.parentElement; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg !== transparent) return bg;
  }
  return transparent;
};
const out = [];
for (const code of document.querySelectorAll('.highlight code')) {
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const s = getComputedStyle(n.parentElement);
    const look = `${s.color}|${s.fontWeight}|${s.fontStyle}|${s.textDecorationLine}|${background(n.parentElement, code)}`;
    for (const ch of n.data) {
      if (/\s/.test(ch)) continue;
      if (last && last.look === look) { last.text += ch; }
      else { last = { look, text: ch }; out.push(last); }
    }
  }
}
return out.map(r => `${r.look} ${r.text}`);
"#;

async fn looks(b: &Browser, url: &str, theme: &str) -> Vec<String> {
    b.open(url).await;
    b.js(&format!(
        "document.documentElement.setAttribute('data-theme', '{theme}'); return true"
    ))
    .await;
    let got = b.js(LOOK).await;
    (got.as_array().expect("a list").iter())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn style_markup_looks_like_scope_markup() {
    let Some(b) = browser::start().await else {
        return;
    };
    let styles_site = example_site_copy();
    let scopes_site = example_site_copy();
    let css = scopes_site.path().join("theme/static/highlight.css");
    std::fs::create_dir_all(css.parent().expect("parent")).expect("mkdir");
    std::fs::write(&css, stylesheet(Markup::Scopes)).expect("write css");
    let out = tempfile::tempdir().expect("temp dir");
    build_into(styles_site.path(), &out.path().join("styles"));
    build_into(scopes_site.path(), &out.path().join("scopes"));
    let probe =
        std::fs::read_to_string(out.path().join("scopes").join(PAGES[0]).join("index.html"))
            .expect("page");
    assert!(
        probe.contains("class=\"hl-"),
        "the override switches to scope markup"
    );
    let styles = serve_dir(out.path().join("styles"));
    let scopes = serve_dir(out.path().join("scopes"));
    let mut compared = 0;
    for page in PAGES {
        for theme in ["light", "dark"] {
            let want = looks(&b, &format!("{}{page}", scopes.base), theme).await;
            let got = looks(&b, &format!("{}{page}", styles.base), theme).await;
            assert!(want.len() > 20, "{page}: too little code to compare");
            let differ: Vec<_> = (want.iter().zip(&got))
                .filter(|(w, g)| w != g)
                .take(5)
                .collect();
            assert!(
                differ.is_empty() && want.len() == got.len(),
                "{page} ({theme}): {} runs vs {}; first differences (scopes, styles): {differ:#?}",
                want.len(),
                got.len()
            );
            compared += want.len();
        }
    }
    assert!(compared > 500, "only {compared} runs compared");
    b.close().await;
}
