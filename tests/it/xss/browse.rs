//! The hostile site in headless Chromium: every page visited, the client-side parts used
//! (catalog filter, search box and page, radar, star button, tabs), and nothing may run.

use fantoccini::Locator;
use serde_json::Value;

use super::checks::{
    DOM_CHECK_FN, DOM_CHECK_FRAMES, DOM_CHECK_PAGE, HARNESS_PAGE, static_findings, theme_scripts_js,
};
use super::corpus::{load_payloads, marker};
use super::{build_hostile, html_pages};
use crate::browser::{self, Browser, serve_dir};

/// Runs the DOM check on the current page; returns its findings, what `top.__xss` recorded,
/// and whether a dialog (alert, confirm, prompt) is open.
async fn inspect(b: &Browser) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(text) = b.client.get_alert_text().await {
        out.push(format!("dialog opened: {text}"));
        let _ = b.client.dismiss_alert().await;
    }
    let script = format!("{}\n{DOM_CHECK_FN}\n{DOM_CHECK_PAGE}", theme_scripts_js());
    let v = match b.client.execute(&script, vec![]).await {
        Ok(v) => v,
        Err(e) => return vec![format!("page check failed: {e}")],
    };
    let url = v["url"].as_str().unwrap_or_default().to_string();
    for f in v["found"].as_array().into_iter().flatten() {
        out.push(format!("{url}: {}", f.as_str().unwrap_or_default()));
    }
    if v["xss"] != Value::Null {
        out.push(format!("{url}: payload ran: {}", v["xss"]));
    }
    out
}

/// Lets timers, fetches and async rendering (search results, Mermaid) finish.
async fn settle(b: &Browser, ms: u64) {
    let script = format!("const done = arguments[0]; setTimeout(done, {ms});");
    let _ = b.client.execute_async(&script, vec![]).await;
}

async fn type_into(b: &Browser, css: &str, text: &str) {
    let input = b
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

/// Payloads whose pages are also opened as the top-level page (all are opened in frames):
/// those that rely on focus, on the whole document, or on navigation.
const TOP_LEVEL_IDS: &[&str] = &["s05", "e07", "e08", "e09", "f07", "f08", "b05"];

/// Every page in batches of same-origin frames of one harness page: the fast way to load
/// hundreds of pages, each with its scripts and images, while `top.__xss` collects.
async fn visit_in_frames(
    b: &Browser,
    root: &std::path::Path,
    base: &str,
    pages: &[String],
) -> Vec<String> {
    std::fs::write(root.join("__harness.html"), HARNESS_PAGE).expect("write harness");
    b.open(&format!("{base}__harness.html")).await;
    b.js(&format!(
        "{}\n{DOM_CHECK_FN}\nreturn 0;",
        theme_scripts_js()
    ))
    .await;
    let mut findings = Vec::new();
    for batch in pages.chunks(16) {
        let urls: Vec<Value> = batch
            .iter()
            .map(|rel| Value::String(format!("{base}{rel}")))
            .collect();
        let v = b
            .client
            .execute_async(DOM_CHECK_FRAMES, vec![Value::Array(urls)])
            .await
            .unwrap_or_else(|e| panic!("frames {batch:?}: {e}"));
        findings.extend(
            v["found"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| f.as_str().unwrap_or_default().to_string()),
        );
        if let Ok(text) = b.client.get_alert_text().await {
            findings.push(format!("dialog opened in {batch:?}: {text}"));
            let _ = b.client.dismiss_alert().await;
        }
    }
    let v = b.js("return window.__xss || null;").await;
    if v != Value::Null {
        findings.push(format!("payload ran in a framed page: {v}"));
    }
    std::fs::remove_file(root.join("__harness.html")).expect("remove harness");
    findings
}

/// Every payload once in each URL parameter the client-side code reads (the catalog's and
/// docs index's filters, the search page's query and facets) and in the radar's fragment.
fn parameter_urls(payloads: &[super::corpus::Payload]) -> Vec<String> {
    let mut urls = Vec::new();
    let pages: [(&str, &[&str]); 3] = [
        (
            "catalog/",
            &["q", "kind", "type", "owner", "lifecycle", "tag", "system"],
        ),
        ("docs/", &["q", "kind", "owner"]),
        ("search/", &["q", "kind", "owner"]),
    ];
    for (page, params) in pages {
        for chunk in payloads.chunks(params.len()) {
            let query: Vec<String> = params
                .iter()
                .zip(chunk)
                .map(|(k, p)| format!("{k}={}", urlencode(&p.text)))
                .collect();
            urls.push(format!("{page}?{}", query.join("&")));
        }
    }
    urls.extend(
        payloads
            .iter()
            .map(|p| format!("radar/#entry-{}", urlencode(&p.text))),
    );
    urls
}

/// Queries that match payload text, so the results show it.
const QUERIES: &[&str] = &[
    "hostile",
    "script",
    "img onerror",
    "javascript",
    "svg onload",
    "iframe srcdoc",
    "TPL EVAL",
    "source",
    "title",
    "style",
    "noscript",
    "<script>",
    "\"><img",
    "e01",
    "u06",
];

#[tokio::test(flavor = "multi_thread")]
async fn hostile_site_runs_no_payload_in_chromium() {
    let Some(b) = browser::start().await else {
        return;
    };
    let payloads = load_payloads();
    let built = build_hostile(&payloads);
    let root = built.root();
    let pages = html_pages(&root);
    let server = serve_dir(root.clone());
    let mut findings = Vec::new();

    self_check(&b, &root, &server.base).await;

    let started = std::time::Instant::now();
    findings.extend(visit_in_frames(&b, &root, &server.base, &pages).await);
    eprintln!("{} pages in frames: {:?}", pages.len(), started.elapsed());
    let started = std::time::Instant::now();
    let top_level: Vec<&String> = pages
        .iter()
        .filter(|rel| {
            TOP_LEVEL_IDS.iter().any(|id| {
                *rel == &format!("catalog/default/component/c-{id}/index.html")
                    || *rel == &format!("docs/default/component/c-{id}/index.html")
            }) || rel.matches('/').count() < 2
        })
        .collect();
    for rel in &top_level {
        b.open(&format!("{}{rel}", server.base)).await;
        if rel.starts_with("docs/") {
            // Mermaid draws the page's diagrams (with payload labels) after load.
            settle(&b, 100).await;
        }
        findings.extend(inspect(&b).await);
    }
    eprintln!(
        "{} pages at top level: {:?}",
        top_level.len(),
        started.elapsed()
    );

    // Every payload in the URL the client-side code reads: filter parameters of the catalog
    // and the docs index, the search page's query and facets, the radar's fragment.
    let started = std::time::Instant::now();
    let urls = parameter_urls(&payloads);
    findings.extend(visit_in_frames(&b, &root, &server.base, &urls).await);
    eprintln!(
        "{} URLs with payloads in parameters: {:?}",
        urls.len(),
        started.elapsed()
    );

    // Catalog filter: the rows that stay visible hold payload text.
    b.open(&format!("{}catalog/", server.base)).await;
    for q in QUERIES {
        type_into(&b, "[data-filter=q]", q).await;
        findings.extend(inspect(&b).await);
    }
    // Header search box: result titles and snippets come from the index.
    for q in QUERIES {
        type_into(&b, "[data-search-input]", q).await;
        settle(&b, 250).await;
        findings.extend(inspect(&b).await);
    }
    let hits = b
        .js("return document.querySelectorAll('[data-search-results] .search-hit').length")
        .await;
    assert!(
        hits.as_u64().unwrap_or(0) > 0,
        "the search box shows results for payload text"
    );
    // The search page with each query.
    for q in QUERIES {
        let url = format!("{}search/?q={}", server.base, urlencode(q));
        b.open(&url).await;
        settle(&b, 250).await;
        findings.extend(inspect(&b).await);
    }
    // Radar entries opened by their fragment; hovering blips.
    for p in payloads.iter().take(12) {
        b.open(&format!("{}radar/#entry-e-{}", server.base, p.id))
            .await;
        findings.extend(inspect(&b).await);
    }
    // Star an entity whose title is a payload, then see it listed on the home page.
    for p in payloads
        .iter()
        .filter(|p| ["s01", "e01", "b01", "b03"].contains(&p.id.as_str()))
    {
        b.open(&format!(
            "{}catalog/default/component/c-{}/",
            server.base, p.id
        ))
        .await;
        b.click("[data-star]").await;
        // Open the collapsed parts (annotations) too.
        b.js(
            "document.querySelectorAll('summary').forEach(function (s) { s.click(); }); return 0;",
        )
        .await;
        findings.extend(inspect(&b).await);
    }
    b.open(&server.base).await;
    let starred = b
        .js("return document.querySelectorAll('[data-starred] li a').length")
        .await;
    assert_eq!(starred.as_u64(), Some(4), "the starred entities are listed");
    findings.extend(inspect(&b).await);
    // Content tabs and details on a docs page: click every tab label and summary.
    for p in payloads.iter().take(20) {
        let docs = format!("{}docs/default/component/c-{}/", server.base, p.id);
        b.open(&docs).await;
        settle(&b, 100).await;
        let _ = b.js("document.querySelectorAll('.tabbed-labels label, .tabbed-set label, summary').forEach(function (l) { l.click(); }); return 0;").await;
        findings.extend(inspect(&b).await);
    }
    b.close().await;
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The detector itself: a copy of a built page with a known-executing snippet must be caught
/// by both the static and the live check, or every "nothing ran" above would be vacuous.
async fn self_check(b: &Browser, root: &std::path::Path, base: &str) {
    let page = std::fs::read_to_string(root.join("catalog/index.html")).expect("catalog page");
    let snippet = format!("<img src=x onerror={}>", marker("selfcheck"));
    let hostile = page.replacen("</main>", &format!("{snippet}</main>"), 1);
    assert_ne!(hostile, page, "the snippet went in");
    std::fs::write(root.join("catalog/selfcheck.html"), &hostile).expect("write copy");
    assert!(
        static_findings(&hostile)
            .iter()
            .any(|f| f.contains("onerror")),
        "the static check sees the snippet"
    );
    b.open(&format!("{base}catalog/selfcheck.html")).await;
    let found = inspect(b).await;
    assert!(
        found
            .iter()
            .any(|f| f.contains("payload ran") && f.contains("selfcheck")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| f.contains("handler IMG onerror")),
        "{found:?}"
    );
    let framed = visit_in_frames(b, root, base, &["catalog/selfcheck.html".to_string()]).await;
    assert!(
        framed
            .iter()
            .any(|f| f.contains("payload ran") && f.contains("selfcheck")),
        "{framed:?}"
    );
    assert!(
        framed.iter().any(|f| f.contains("handler IMG onerror")),
        "{framed:?}"
    );
    std::fs::remove_file(root.join("catalog/selfcheck.html")).expect("remove copy");
}
