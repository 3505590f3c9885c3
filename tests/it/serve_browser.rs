//! `serve --watch` in real headless Chromium: an open page reloads by itself after a
//! Markdown edit, shows a broken catalog file as an overlay, and clears it after the fix.

use crate::browser;
use crate::support::{example_site_copy, serve};

#[tokio::test(flavor = "multi_thread")]
async fn an_open_page_reloads_itself_and_shows_errors() {
    let site = example_site_copy();
    let s = serve(site.path(), &["--watch"]);
    let Some(b) = browser::start().await else {
        return;
    };
    let page = format!("{}docs/default/component/payments-api/", s.base);
    b.client.goto(&page).await.unwrap();
    b.wait_until("document.documentElement.dataset.stagedoorLive === 'connected'")
        .await;
    // A property on `window` survives everything except a reload.
    b.js("window.__beforeEdit = true").await;

    let md = site.path().join("repos/payments-api/docs/index.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\nA sentence added while the page is open: RELOADED-BY-ITSELF.\n");
    std::fs::write(&md, &text).unwrap();
    b.wait_until(
        "!window.__beforeEdit && document.body.textContent.includes('RELOADED-BY-ITSELF')",
    )
    .await;

    // A broken catalog file: the page stays and an overlay names the file and the error.
    b.wait_until("document.documentElement.dataset.stagedoorLive === 'connected'")
        .await;
    b.js("window.__beforeBreak = true").await;
    let yaml = site.path().join("repos/ledger-service/catalog-info.yaml");
    let good = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{good}---\nkind: [\n")).unwrap();
    b.wait_until("document.getElementById('stagedoor-overlay')")
        .await;
    let shown = b
        .js("return document.getElementById('stagedoor-overlay').textContent")
        .await;
    let shown = shown.as_str().unwrap_or_default();
    assert!(
        shown.contains("repos/ledger-service/catalog-info.yaml:") && shown.contains("E003"),
        "{shown}"
    );
    assert_eq!(
        b.js("return window.__beforeBreak === true").await,
        true,
        "the page was kept"
    );

    // The fix reloads the page and the overlay is gone.
    std::fs::write(&yaml, &good).unwrap();
    b.wait_until(
        "!window.__beforeBreak && document.documentElement.dataset.stagedoorLive === 'connected'",
    )
    .await;
    assert_eq!(
        b.js("return !document.getElementById('stagedoor-overlay')")
            .await,
        true
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}
