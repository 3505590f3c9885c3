//! Measures search on a built site in headless Chromium: total index size, and for sample
//! queries the files fetched (raw and gzip bytes) and the time to ranked, displayable results,
//! cold (first search of the page) and warm.
//!
//! `cargo run --release --example search_bench -- SITE_OUTPUT_DIR [query…]`
//! (see tests/bench/search.sh, which generates and builds a 20,000-page corpus first).

#[path = "../tests/it/browser.rs"]
#[allow(dead_code)] // the harness carries helpers only the tests use
mod browser;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

/// Raw and gzip bytes of every file under `dir`.
fn sizes(dir: &Path) -> (usize, usize, usize) {
    let mut files = 0;
    let (mut raw, mut gz) = (0, 0);
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        files += 1;
        raw += bytes.len();
        gz += gzip_len(&bytes);
    }
    (files, raw, gz)
}

const SEARCH: &str = "const [q, cb] = arguments; const t0 = performance.now(); \
  window.stagedoorSearch.search(q).then(h => window.stagedoorSearch.docs(h.slice(0, 8).map(x => x.doc)).then(rows => \
  cb({ms: performance.now() - t0, hits: h.length, first: rows.length ? rows[0][0] + ' ' + rows[0][1] : null, \
      files: performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('/search/') || n.includes('elasticlunr'))})));";

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(
        args.next()
            .context("usage: search_bench SITE_OUTPUT_DIR [query…]")?,
    );
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = vec![
            "payments".into(),
            "deployment latency".into(),
            "kube".into(),
        ];
    }
    let (files, raw, gz) = sizes(&site.join("search"));
    println!(
        "index: {files} files, {raw} bytes raw, {gz} bytes gzip (every file compressed on its own)"
    );
    let browser = browser::start()
        .await
        .context("Chromium and chromedriver are needed")?;
    let server = browser::serve_dir(site.clone());
    println!(
        "| query | hits | first result | files fetched | bytes fetched (raw) | bytes fetched (gzip) | client ready ms | first query ms | repeat ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for q in &queries {
        // A fresh page each time, so every query is a first search.
        browser
            .client
            .goto(&format!("{}search/", server.base))
            .await?;
        browser.wait_until("window.stagedoorSearch").await;
        // What focusing the search box does: load the client and the manifest.
        let t0 = std::time::Instant::now();
        let ready = browser
            .client
            .execute_async("const cb = arguments[0]; window.stagedoorSearch.search('').then(() => cb(true), e => cb(String(e)));", vec![])
            .await?;
        anyhow::ensure!(
            ready == serde_json::Value::Bool(true),
            "the client did not load: {ready}"
        );
        let ready_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let cold = browser
            .client
            .execute_async(SEARCH, vec![serde_json::json!(q)])
            .await?;
        let warm = browser
            .client
            .execute_async(SEARCH, vec![serde_json::json!(q)])
            .await?;
        let fetched: Vec<String> = cold["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        let (mut fraw, mut fgz) = (0, 0);
        for url in &fetched {
            let path = url
                .split("127.0.0.1")
                .nth(1)
                .and_then(|p| p.split_once('/'))
                .map(|(_, p)| p.split('?').next().unwrap_or(p))
                .unwrap_or("");
            let local = site.join(path);
            let bytes = std::fs::read(&local).unwrap_or_default();
            fraw += bytes.len();
            fgz += gzip_len(&bytes);
        }
        println!(
            "| `{q}` | {} | {} | {} | {fraw} | {fgz} | {ready_ms:.1} | {:.1} | {:.1} |",
            cold["hits"],
            cold["first"].as_str().unwrap_or("—"),
            fetched.len(),
            cold["ms"].as_f64().unwrap_or(f64::NAN),
            warm["ms"].as_f64().unwrap_or(f64::NAN)
        );
    }
    browser.close().await;
    Ok(())
}
