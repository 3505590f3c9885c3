//! Measures the catalog page of a built site in headless Chromium: its size, load time, and
//! how long the page is busy while someone types a filter (the longest task, and the time
//! from the last keystroke to the updated table).
//!
//! `cargo run --release --example catalog_bench -- SITE_OUTPUT_DIR [filter text]`
//! (tests/bench/catalog.sh generates and builds a 10,000-entity organisation first).

#[path = "../tests/it/browser.rs"]
#[allow(dead_code)] // the harness carries helpers only the tests use
mod browser;

use std::path::PathBuf;

use anyhow::{Context, Result};
use fantoccini::Locator;

const OBSERVE: &str = "window.__long = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(e.duration))).observe({type: 'longtask', buffered: true});";

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(
        args.next()
            .context("usage: catalog_bench SITE_OUTPUT_DIR [filter text]")?,
    );
    let text = args.next().unwrap_or_else(|| "payments".into());
    let page = std::fs::metadata(site.join("catalog/index.html"))?.len();
    let b = browser::start()
        .await
        .context("Chromium and chromedriver are needed")?;
    let server = browser::serve_dir(site);
    b.client.goto(&format!("{}catalog/", server.base)).await?;
    b.wait_until("document.readyState === 'complete'").await;
    let rows = b
        .js("return document.querySelectorAll('[data-catalog-table] tbody tr').length")
        .await;
    let load = b.js("const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime").await;
    b.js(OBSERVE).await;
    let input = b.client.find(Locator::Css("input[data-filter=q]")).await?;
    let t0 = std::time::Instant::now();
    for c in text.chars() {
        input.send_keys(&c.to_string()).await?;
    }
    let typed = t0.elapsed();
    // Settled: the count shows exactly the rows whose text holds the whole filter.
    let expected = format!(
        "String(Array.from(document.querySelectorAll('[data-catalog-table] tbody tr')).filter(r => r.textContent.toLowerCase().includes({:?})).length)",
        text.to_lowercase()
    );
    b.wait_until(&format!(
        "document.querySelector('[data-catalog-count]').textContent === {expected}"
    ))
    .await;
    let settled = t0.elapsed();
    let shown = b
        .js("return document.querySelector('[data-catalog-count]').textContent")
        .await;
    let longest = b
        .js("return window.__long.length ? Math.max(...window.__long) : 0")
        .await;
    println!(
        "catalog page: {page} bytes, {rows} rows, loaded in {:.0} ms",
        load.as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "typing {:?} ({} keystrokes over {:.0} ms): table final {:.0} ms after the first key, {} rows; longest task while typing {:.0} ms",
        text,
        text.chars().count(),
        typed.as_secs_f64() * 1000.0,
        settled.as_secs_f64() * 1000.0,
        shown,
        longest.as_f64().unwrap_or(0.0)
    );
    b.close().await;
    Ok(())
}
