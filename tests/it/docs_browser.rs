//! A docs page in real headless Chromium: tabs switch on click, collapsible blocks open, a
//! table-of-contents link moves to its heading, Mermaid draws its diagram (and shows a broken
//! one's message in a box), code blocks copy, the current section is marked while scrolling,
//! and on a phone the pages menu folds away so the content comes first; no console errors.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::json;

use crate::browser::{self, Browser, serve_dir};
use crate::catalog_browser::build_example_site;
use crate::support::{build_with, fixture};

#[tokio::test(flavor = "multi_thread")]
async fn tabs_details_toc_and_mermaid_work_in_chromium() {
    let out = build_example_site();
    let Some(b) = browser::start().await else {
        return;
    };
    let server = serve_dir(out.path().join("site"));
    b.client
        .goto(&format!(
            "{}docs/default/component/engineering-handbook/writing-docs/",
            server.base
        ))
        .await
        .unwrap();
    b.wait_until("document.querySelector('.tabbed-set')").await;

    // Tabs: the first block shows; clicking the second label shows the second block only.
    let shown = |n: usize| {
        format!(
            "getComputedStyle(document.querySelectorAll('.tabbed-set')[0].querySelectorAll(':scope > .tabbed-content > .tabbed-block')[{n}]).display !== 'none'"
        )
    };
    assert_eq!(b.js(&format!("return {}", shown(0))).await, true);
    assert_eq!(b.js(&format!("return {}", shown(1))).await, false);
    b.click(".tabbed-set .tabbed-labels > label:nth-child(2)")
        .await;
    b.wait_until(&shown(1)).await;
    assert_eq!(b.js(&format!("return {}", shown(0))).await, false);

    // A closed collapsible block opens when its summary is clicked.
    let closed = "document.querySelector('.md-content details:not([open])')";
    assert_eq!(b.js(&format!("return !!{closed}")).await, true);
    b.js(&format!("{closed}.id = 'probe'")).await;
    b.click("#probe > summary").await;
    b.wait_until("document.getElementById('probe').open").await;

    // A table-of-contents link scrolls its heading to the top of the viewport.
    let target = b.js("const a = document.querySelectorAll('.docs-toc a')[4]; return a.getAttribute('href').slice(1)").await;
    let target = target.as_str().unwrap().to_string();
    b.js("window.scrollTo(0, 0)").await;
    b.click(&format!(".docs-toc a[href='#{target}']")).await;
    b.wait_until(&format!(
        "Math.abs(document.getElementById('{target}').getBoundingClientRect().top) < 120"
    ))
    .await;
    assert!(
        b.js("return location.hash")
            .await
            .as_str()
            .unwrap()
            .ends_with(&target)
    );

    // Mermaid (loaded only on pages with a diagram) turns the fence into an SVG.
    b.wait_until("document.querySelector('pre.mermaid svg')")
        .await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());

    // Regression: the outbox ADR's sequence diagram had `;` in a message and drew Mermaid's
    // error bomb.
    b.client
        .goto(&format!(
            "{}docs/default/component/payments-api/architecture/adr/0002-transactional-outbox/",
            server.base
        ))
        .await
        .unwrap();
    b.wait_until(
        "document.querySelector('pre.mermaid svg') || document.querySelector('.mermaid-error')",
    )
    .await;
    assert_eq!(
        b.js("return document.querySelectorAll('.mermaid-error').length")
            .await,
        0
    );

    // A page without a diagram does not load Mermaid at all.
    b.open(&format!(
        "{}docs/default/component/payments-api/",
        server.base
    ))
    .await;
    let has_mermaid = b
        .js("return document.querySelector('pre.mermaid') !== null")
        .await
        == true;
    let loads_script = b
        .js("return [...document.scripts].some(s => s.src.includes('mermaid.min.js'))")
        .await
        == true;
    assert_eq!(has_mermaid, loads_script);
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

/// The reader fixture built and served.
fn reader_site() -> (tempfile::TempDir, browser::StaticServer) {
    let site = fixture("docs_ux/reader");
    build_with(
        site.path(),
        stagedoor::config::Overrides {
            out: Some(site.path().join("site")),
            ..Default::default()
        },
    );
    let server = serve_dir(site.path().join("site"));
    (site, server)
}

/// Resizes the window so the page's viewport is `width` CSS pixels wide.
async fn set_width(b: &Browser, width: u32) {
    b.client.set_window_size(width, 900).await.unwrap();
    let inner = b.js("return window.innerWidth").await.as_u64().unwrap_or(0) as u32;
    if inner != width {
        let outer = width + (width - inner.min(width)) + inner.saturating_sub(width);
        b.client.set_window_size(outer, 900).await.unwrap();
    }
    b.wait_until(&format!("window.innerWidth === {width}"))
        .await;
}

/// chromedriver's permissions extension: lets the test read back what a button copied.
#[derive(Debug)]
struct GrantClipboard;

impl fantoccini::wd::WebDriverCompatibleCommand for GrantClipboard {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/permissions",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"descriptor": {"name": "clipboard-read"}, "state": "granted"});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Saves a screenshot to `$STAGEDOOR_SCREENSHOT_DIR/<name>` when that is set, for a person to
/// look at.
async fn screenshot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("STAGEDOOR_SCREENSHOT_DIR") {
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

const GUIDE: &str = "docs/default/component/guide/";

#[tokio::test(flavor = "multi_thread")]
async fn docs_page_copies_code_and_follows_the_reader_at_1366() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, server) = reader_site();
    set_width(&b, 1366).await;
    b.client
        .goto(&format!("{}{GUIDE}", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelector('.md-content .copy-button')")
        .await;
    let _ = b.client.issue_cmd(GrantClipboard).await;

    // The copy button is reached with the keyboard and copies the code without line numbers.
    b.js("document.querySelector('.copy-button').focus()").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .unwrap();
    b.wait_until("document.querySelector('.copy-button').textContent === 'Copied'")
        .await;
    let copied = b
        .client
        .execute_async(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERR ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        copied,
        "curl -sSf https://example.com/install.sh | sh\nstagedoor --version"
    );

    // On a wide screen the pages nav shows and its toggle does not.
    assert_eq!(
        b.js("return getComputedStyle(document.querySelector('.docs-nav-toggle')).display")
            .await,
        "none"
    );
    assert_eq!(
        b.js("return getComputedStyle(document.querySelector('.docs-nav')).display !== 'none'")
            .await,
        true
    );

    // "On this page" lists the later h1 and the h4, and marks the section being read.
    for id in ["deep-detail", "part-two"] {
        b.client
            .find(Locator::Css(&format!(".docs-toc a[href='#{id}']")))
            .await
            .unwrap_or_else(|e| panic!("{id} not in the TOC: {e}"));
    }
    let active = "document.querySelector('.docs-toc a.is-active')?.getAttribute('href')";
    for id in ["part-two", "deep-detail", "later"] {
        b.js(&format!(
            "document.getElementById('{id}').scrollIntoView({{block: 'start'}})"
        ))
        .await;
        b.wait_until(&format!("{active} === '#{id}'")).await;
    }
    assert_eq!(
        b.js("return document.querySelectorAll('.docs-toc a.is-active').length")
            .await,
        1
    );
    screenshot(&b, "docs-1366.png").await;

    // A diagram Mermaid cannot parse shows its message in a box, not the error bomb; the
    // good diagram on the same page is still drawn.
    b.client
        .goto(&format!("{}{GUIDE}diagrams/", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelectorAll('.mermaid-error').length === 2 && document.querySelector('pre.mermaid svg')")
        .await;
    screenshot(&b, "docs-mermaid-1366.png").await;
    let text = b
        .js("return document.querySelector('.mermaid-error').innerText")
        .await;
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("could not be drawn"), "{text}");
    assert!(text.contains("Diagram source"), "{text}");
    assert_eq!(
        b.js("return document.body.innerText.includes('Syntax error in text')")
            .await,
        false
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

// Regression: on a phone the whole pages nav came before the content, with no way to fold it.
#[tokio::test(flavor = "multi_thread")]
async fn docs_page_on_a_phone_shows_content_first_at_390() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, server) = reader_site();
    set_width(&b, 390).await;
    b.client
        .goto(&format!("{}{GUIDE}", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelector('.docs-layout.has-nav-toggle')")
        .await;
    screenshot(&b, "docs-390.png").await;

    let nav_shown = "getComputedStyle(document.getElementById('docs-nav')).display !== 'none'";
    assert_eq!(b.js(&format!("return {nav_shown}")).await, false);
    // The page's title is in the first screenful, right under the menu button.
    let title_top = b
        .js("return document.querySelector('.md-content h1').getBoundingClientRect().top")
        .await
        .as_f64()
        .unwrap();
    assert!(title_top < 300.0, "title at {title_top}px");
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true
    );

    // The button opens the menu above the content, and Escape folds it again.
    b.click(".docs-nav-toggle").await;
    b.wait_until(nav_shown).await;
    assert_eq!(
        b.js("return document.querySelector('.docs-nav-toggle').getAttribute('aria-expanded')")
            .await,
        "true"
    );
    assert_eq!(
        b.js("return document.getElementById('docs-nav').getBoundingClientRect().bottom <= document.querySelector('.docs-main').getBoundingClientRect().top")
            .await,
        true
    );
    screenshot(&b, "docs-390-menu.png").await;
    b.js("document.querySelector('#docs-nav a').focus()").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&String::from(char::from(Key::Escape)))
        .await
        .unwrap();
    b.wait_until(&format!("!({nav_shown})")).await;
    assert_eq!(
        b.js("return document.activeElement.classList.contains('docs-nav-toggle')")
            .await,
        true
    );

    // Code blocks copy on a phone too.
    b.click(".md-content .copy-button").await;
    b.wait_until("document.querySelector('.copy-button').dataset.state")
        .await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

// The browser's error box must not fire on valid diagrams: every diagram of the corpus'
// Mermaid showcase (GitHub's examples, many diagram types) draws, and none is reported at
// build time either.
#[tokio::test(flavor = "multi_thread")]
async fn real_world_mermaid_diagrams_draw_without_error_boxes() {
    let Some(demo) = crate::support::corpus("backstage-examples/backstage-demo") else {
        return;
    };
    let config = format!("roots: ['{}']\n", demo.display());
    let site = crate::support::site_with(&[("stagedoor.yaml", &config)]);
    let report = build_with(
        site.path(),
        stagedoor::config::Overrides {
            out: Some(site.path().join("site")),
            ..Default::default()
        },
    );
    let e078: Vec<_> = (report.diagnostics.iter())
        .filter(|d| d.code == stagedoor::diagnostics::Code::MermaidSyntax)
        .collect();
    assert!(e078.is_empty(), "{e078:?}");
    let Some(b) = browser::start().await else {
        return;
    };
    let server = serve_dir(site.path().join("site"));
    let page = walkdir::WalkDir::new(site.path().join("site"))
        .into_iter()
        .flatten()
        .find(|e| e.path().ends_with("mermaid-github/index.html"))
        .expect("the showcase page is built");
    let rel = page.path().strip_prefix(site.path().join("site")).unwrap();
    let url = format!("{}{}", server.base, rel.parent().unwrap().display());
    b.client.goto(&format!("{url}/")).await.unwrap();
    let count = b
        .js("return document.querySelectorAll('pre.mermaid').length")
        .await;
    assert!(count.as_u64().unwrap_or(0) > 20, "{count}");
    b.wait_until("[...document.querySelectorAll('pre.mermaid')].every(p => p.querySelector('svg')) || document.querySelector('.mermaid-error')")
        .await;
    let errors = b
        .js("return [...document.querySelectorAll('.mermaid-error')].map(e => e.innerText)")
        .await;
    assert_eq!(errors, serde_json::json!([]));
    b.close().await;
}
