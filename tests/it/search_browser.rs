//! Search in real headless Chromium: typing in the header box shows the expected first
//! result and following it lands on the right URL and anchor; the browser client ranks
//! exactly as the Rust mirror does, on an inline index and on a sharded one.

use fantoccini::{Locator, key::Key};
use serde_json::Value;
use stagedoor::build::load_model;
use stagedoor::config::{Overrides, load_config};
use stagedoor::progress::Silent;
use stagedoor::search::index::{fold, terms_of};
use stagedoor::search::{build_search, query};
use stagedoor::urls::Urls;

use crate::browser::{self, Browser, serve_dir};
use crate::catalog_browser::build_example_site;
use crate::support::{example_site_copy, site_with};

async fn type_query(b: &Browser, text: &str) {
    let input = b
        .client
        .find(Locator::Css("[data-search-input]"))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn header_search_finds_and_follows_results() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let server = serve_dir(out.path().join("site"));
    b.open(&format!("{}catalog/", server.base)).await;

    // "/" focuses the box from anywhere on the page.
    b.client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    b.wait_until("document.activeElement && document.activeElement.matches('[data-search-input]')")
        .await;

    // A prefix finds the payments domain first; arrow + Enter opens it.
    type_query(&b, "paym").await;
    b.wait_until("document.querySelector('[data-search-results] .search-hit')")
        .await;
    let first = b
        .js("return document.querySelector('.search-hit .search-hit__title').textContent")
        .await;
    assert_eq!(first, "Payments");
    assert!(
        b.js("return document.querySelector('.search-hit mark') !== null")
            .await
            == true,
        "matched words are marked"
    );
    let input = b
        .client
        .find(Locator::Css("[data-search-input]"))
        .await
        .unwrap();
    input
        .send_keys(&format!("{}{}", Key::Down, Key::Enter))
        .await
        .unwrap();
    b.wait_until("location.pathname.endsWith('/catalog/default/domain/payments/')")
        .await;

    // A misspelt word finds what it meant, fetching the vocabulary files it needs.
    type_query(&b, "paymnets").await;
    b.wait_until("[...document.querySelectorAll('[data-search-results] .search-hit__title')].some(t => t.textContent === 'Payments')")
        .await;
    let first = b
        .js("return document.querySelector('.search-hit .search-hit__title').textContent")
        .await;
    assert_eq!(first, "Payments");
    let marked = b
        .js("return document.querySelector('.search-hit .search-hit__title mark')?.textContent")
        .await;
    assert_eq!(marked, "Payments", "the corrected word is marked");

    // A docs heading is found as its section and followed to its anchor.
    type_query(&b, "paging").await;
    b.wait_until("document.querySelector('[data-search-results] .search-hit__title')?.textContent === 'Paging'")
        .await;
    b.click("[data-search-results] .search-hit").await;
    b.wait_until("location.hash === '#paging'").await;
    assert!(
        b.js("return location.pathname")
            .await
            .as_str()
            .unwrap()
            .ends_with("/docs/default/component/payments-api/runbooks/oncall/")
    );
    b.wait_until("Math.abs(document.getElementById('paging').getBoundingClientRect().top) < 120")
        .await;

    // No hit: the box says so and offers the catalog filter instead.
    type_query(&b, "xyzzy").await;
    b.wait_until("document.querySelector('[data-search-results] .search-empty')")
        .await;
    let empty = b
        .js("return document.querySelector('.search-empty').textContent")
        .await;
    assert!(
        empty.as_str().unwrap().contains("No results for"),
        "{empty}"
    );
    assert!(
        b.js("return document.querySelector('.search-empty a').getAttribute('href')")
            .await
            .as_str()
            .unwrap()
            .contains("catalog/?q=xyzzy")
    );

    // The results page filters by kind.
    b.client
        .goto(&format!("{}search/?q=payment", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelectorAll('[data-search-page-results] .search-hit').length > 5")
        .await;
    b.js("const s = document.querySelector('[data-search-kind]'); s.value = 'api'; s.dispatchEvent(new Event('change'));").await;
    b.wait_until("[...document.querySelectorAll('[data-search-page-results] .search-hit')].every(h => h.querySelector('.chip--kind').textContent === 'API')").await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

/// Words whose stems must agree between elasticlunr-rs (index) and elasticlunr.js (query).
const WORDS: &[&str] = &[
    "payments",
    "gateway",
    "happy",
    "reconciliation",
    "latency",
    "deployment",
    "running",
    "generalization",
    "hopefully",
    "oscillators",
    "agreed",
    "conditional",
    "rational",
    "digitizer",
    "operator",
    "feudalism",
    "electrical",
    "adjustment",
    "dependent",
    "adoption",
    "allowance",
    "formality",
    "sensitivity",
    "kubernetes",
    "idempotency",
    "the",
    "ponies",
    "caresses",
];

const QUERIES: &[&str] = &[
    "Who it is for",
    "Payments API",
    "Site configuration",
    "lukas brandt",
    "paym",
    "payments",
    "ledger service",
    "on-call",
    "oncall",
    "kafka",
    "terraform modules",
    "idempotency keys",
    "fraud scor",
    "Lukas Brandt",
    "checkout",
    "webhooks retry",
    "database failover",
    "graphql",
    "reconcil",
    "react",
    "xyzzy",
    "api usage",
    // Typos (one from five letters, two from nine), accents, and entities named by the query
    // above sections titled by it.
    "paymnets",
    "ledgr",
    "identiy",
    "identity servce",
    "notifcaton",
    "Payments Müller",
    "muller",
    "MÜLLER",
    "money",
    "search",
    "sessions",
];

/// Strings whose folding (lower case, accents dropped) must agree between Rust and the client.
const FOLDS: &[&str] = &[
    "Müller",
    "Ångström",
    "ÇA VA",
    "naïve café",
    "Straße",
    "Zoë",
    "ǅemal",
];

/// The client's ranking (top 5 documents) and stems equal the Rust mirror's.
async fn assert_client_agrees(
    b: &Browser,
    base: &str,
    search: &stagedoor::search::Search,
    queries: &[&str],
) {
    b.client.goto(&format!("{base}search/")).await.unwrap();
    b.wait_until("window.stagedoorSearch").await;
    let js_stems = b
        .client
        .execute_async("const [words, cb] = arguments; window.stagedoorSearch.search('warmup').then(() => cb(words.map(w => { const e = window.elasticlunr; let t = e.trimmer(w); t = t && e.stopWordFilter(t); return t ? e.stemmer(t) : null; })));", vec![serde_json::json!(WORDS)])
        .await
        .unwrap();
    let rust_stems: Vec<Value> = WORDS
        .iter()
        .map(|w| terms_of(w).pop().map_or(Value::Null, Value::String))
        .collect();
    assert_eq!(js_stems, Value::Array(rust_stems));
    let js_folds = b
        .js(&format!(
            "return {}.map(window.stagedoorSearch.fold)",
            serde_json::json!(FOLDS)
        ))
        .await;
    let rust_folds: Vec<String> = FOLDS.iter().map(|s| fold(s)).collect();
    assert_eq!(js_folds, serde_json::json!(rust_folds));
    let mut found = 0;
    for q in queries {
        let js = b
            .client
            .execute_async("const [q, cb] = arguments; window.stagedoorSearch.search(q).then(h => cb(h.slice(0, 5).map(x => x.doc)));", vec![serde_json::json!(q)])
            .await
            .unwrap();
        let rust: Vec<u32> = query::search(&search.index, q)
            .into_iter()
            .take(5)
            .map(|h| h.doc)
            .collect();
        assert_eq!(
            js,
            serde_json::json!(rust),
            "client and Rust rank {q:?} differently"
        );
        found += usize::from(!rust.is_empty());
    }
    assert!(
        found * 3 >= queries.len() * 2,
        "most queries must find something ({found} of {})",
        queries.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn client_ranks_like_rust_inline_and_sharded() {
    let Some(b) = browser::start().await else {
        return;
    };
    // example-site without this project's manual (which grows past the inline size): one
    // inline index file.
    let site = example_site_copy();
    let out = tempfile::tempdir().unwrap();
    let overrides = Overrides {
        out: Some(out.path().join("site")),
        ..Overrides::default()
    };
    let loaded = load_config(site.path(), &overrides).unwrap();
    stagedoor::build::build_site(
        &loaded.config,
        loaded.diagnostics.clone(),
        stagedoor::build::BuildOptions::default(),
        &Silent,
    )
    .expect("example-site copy builds");
    let server = serve_dir(out.path().join("site"));
    let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
    let search = build_search(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        Urls {
            directory_urls: true,
        },
    );
    assert!(search.files().1.inline);
    assert_client_agrees(&b, &server.base, &search, QUERIES).await;

    // A site big enough to be sharded: many pages of made-up vocabulary.
    let sharded = sharded_site();
    let loaded = load_config(sharded.path(), &Overrides::default()).unwrap();
    let report = stagedoor::build::build_site(
        &loaded.config,
        loaded.diagnostics,
        Default::default(),
        &Silent,
    )
    .unwrap();
    assert!(
        !report.search.inline && report.search.files > 20,
        "{:?}",
        report.search
    );
    let model = load_model(&loaded.config, Vec::new(), &Silent);
    let search = build_search(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        Urls {
            directory_urls: true,
        },
    );
    let server = serve_dir(loaded.config.out.clone());
    let queries: Vec<String> = [
        "zarotu",
        "kemi",
        "velak",
        "pom",
        "docs page 17",
        "lunawi tekar",
        "sorim",
        "guide",
        // Typos: a swap, a first letter changed, a letter left out, two in a long word.
        "zraotu",
        "xarotu",
        "lunawi tekr",
        "lkakarrimm",
        "giude",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    assert_client_agrees(&b, &server.base, &search, &queries).await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

/// A made-up word from a number: syllables, so words share prefixes the way real ones do.
fn word(mut n: usize) -> String {
    const SYL: &[&str] = &[
        "za", "ro", "tu", "ke", "mi", "ve", "lak", "po", "mo", "lu", "na", "wi", "te", "kar", "so",
        "rim",
    ];
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(SYL[n % SYL.len()]);
        n /= SYL.len();
    }
    w
}

fn sharded_site() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("catalog-info.yaml".into(), "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: team\n  children: []\n".into()),
        ("mkdocs.yml".into(), "site_name: Big guide\n".into()),
        ("docs/index.md".into(), "# Big guide\n".into()),
    ];
    for p in 0..160 {
        let mut md = format!("# Docs page {p}\n\n");
        for s in 0..6 {
            md.push_str(&format!(
                "## {} {}\n\n",
                word(p * 7 + s),
                word(p * 13 + s * 3)
            ));
            let body: Vec<String> = (0..120)
                .map(|i| word((p * 31 + s * 17 + i * 7) % 4096))
                .collect();
            md.push_str(&body.join(" "));
            md.push_str("\n\n");
        }
        files.push((format!("docs/page-{p}.md"), md));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site_with(&refs)
}
