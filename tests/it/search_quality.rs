//! Search relevance over example-site and the shared MkDocs corpus, through the Rust mirror of
//! the browser's ranking (`search::query`; `search_browser.rs` checks the two agree).

use std::sync::OnceLock;

use stagedoor::build::load_model;
use stagedoor::config::{Overrides, load_config};
use stagedoor::output::Content;
use stagedoor::progress::Silent;
use stagedoor::search::{Search, SearchDoc, build_search};
use stagedoor::urls::Urls;

use crate::support::{corpus, project_root, site_with};

fn example() -> &'static Search {
    static S: OnceLock<Search> = OnceLock::new();
    S.get_or_init(|| {
        let loaded =
            load_config(&project_root().join("example-site"), &Overrides::default()).unwrap();
        let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
        build_search(
            &model.catalog,
            &model.docs,
            &model.api_refs,
            Urls {
                directory_urls: true,
            },
        )
    })
}

fn first<'a>(s: &'a Search, q: &str) -> &'a SearchDoc {
    s.query(q)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no result for {q:?}"))
}

fn urls(s: &Search, q: &str, n: usize) -> Vec<String> {
    s.query(q)
        .into_iter()
        .take(n)
        .map(|d| d.url.clone())
        .collect()
}

/// Every entity's exact name ranks that entity first (or second, when two entities of
/// different kinds share the name — both count).
#[test]
fn every_entity_name_finds_its_entity_first() {
    let s = example();
    let entities: Vec<&SearchDoc> = s
        .docs
        .iter()
        .filter(|d| d.kind != "docs" && d.kind != "apiref")
        .collect();
    assert!(entities.len() > 100);
    for e in &entities {
        let name = e.fields[0].as_str();
        let same_name: Vec<&String> = entities
            .iter()
            .filter(|o| o.fields[0].eq_ignore_ascii_case(name))
            .map(|o| &o.url)
            .collect();
        let top: Vec<String> = urls(s, name, same_name.len());
        assert!(
            top.contains(&e.url),
            "{name}: {top:?} should hold {}",
            e.url
        );
        let d = first(s, name);
        assert!(
            d.fields[0].eq_ignore_ascii_case(name),
            "{name}: first is {} ({})",
            d.title,
            d.url
        );
    }
}

/// A docs heading's words find that section, with its anchor, among the first three.
#[test]
fn docs_headings_find_their_section_with_its_anchor() {
    let s = example();
    // Headings several pages share ("Overview") or that name an entity exactly (whose page
    // rightly comes first) cannot single out one section; every other multi-word heading must.
    let lower = |t: &str| t.trim().to_lowercase();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for d in s.docs.iter().filter(|d| d.kind == "docs") {
        *seen.entry(lower(&d.fields[2])).or_default() += 1;
    }
    let entity_names: std::collections::HashSet<String> = s
        .docs
        .iter()
        .filter(|d| d.kind != "docs")
        .flat_map(|d| [lower(&d.fields[0]), lower(&d.fields[1])])
        .collect();
    let sections: Vec<&SearchDoc> = s
        .docs
        .iter()
        .filter(|d| {
            d.kind == "docs" && d.url.contains('#') && d.fields[2].split_whitespace().count() >= 2
        })
        .filter(|d| seen[&lower(&d.fields[2])] == 1 && !entity_names.contains(&lower(&d.fields[2])))
        .collect();
    assert!(sections.len() > 100, "{}", sections.len());
    let mut missed = Vec::new();
    for d in &sections {
        let heading = &d.fields[2];
        if !urls(s, heading, 3).contains(&d.url) {
            missed.push(format!("{heading:?} → {}", d.url));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} headings miss the top 3: {missed:#?}",
        missed.len(),
        sections.len()
    );
}

#[test]
fn hand_picked_queries_over_example_site() {
    let s = example();
    let cases: &[(&str, &str)] = &[
        ("paym", "catalog/default/domain/payments/"),
        ("payments", "catalog/default/domain/payments/"),
        ("Lukas Brandt", "catalog/default/user/lukas.brandt/"),
        ("ledg", "catalog/default/group/ledger-team/"),
        ("terraform", "catalog/default/component/terraform-modules/"),
        ("ETLPipeline", "catalog/data/component/ETLPipeline/"),
        ("etlpipeline", "catalog/data/component/ETLPipeline/"),
        ("fraud", "catalog/default/system/fraud-detection/"),
        (
            "paging",
            "docs/default/component/payments-api/runbooks/oncall/#paging",
        ),
        // Only stop words: found by the whole heading.
        (
            "who it is for",
            "docs/default/component/stagedoor/#who-it-is-for",
        ),
        (
            "oncall policy",
            "docs/default/component/engineering-handbook/oncall/#on-call-policy",
        ),
        (
            "on-call policy",
            "docs/default/component/engineering-handbook/oncall/#on-call-policy",
        ),
    ];
    for (q, url) in cases {
        assert_eq!(first(s, q).url, *url, "{q}");
    }
    let idem = first(s, "idempotency keys");
    assert!(
        idem.url.contains("idempotency") && idem.url.contains('#'),
        "{}",
        idem.url
    );
    let kafka = first(s, "kafka");
    assert!(
        kafka.title.to_lowercase().contains("kafka"),
        "{}",
        kafka.title
    );
    for q in ["xyzzy", "qwertyuiop plugh", "the and of"] {
        assert!(s.query(q).is_empty(), "{q} should find nothing");
    }
}

/// Misspelt words find what they meant: one typo from five letters (a swap counts as one),
/// two from nine; a word found as written is never corrected.
#[test]
fn typos_are_forgiven() {
    let s = example();
    let cases: &[(&str, &str)] = &[
        ("paymnets", "catalog/default/domain/payments/"),
        ("ledgr", "catalog/default/group/ledger-team/"),
        ("identiy", "catalog/default/resource/identity-db/"),
        (
            "identity servce",
            "catalog/default/component/identity-service/",
        ),
        // Two typos in a word of nine letters or more.
        (
            "notifcaton",
            "catalog/default/component/notification-service/",
        ),
    ];
    for (q, url) in cases {
        assert_eq!(first(s, q).url, *url, "{q}");
    }
    let ledger = s.query("ledgr");
    assert!(ledger.len() > 5);
    assert!(
        ledger
            .iter()
            .all(|d| d.fields.iter().any(|f| f.to_lowercase().contains("ledger"))),
        "every hit holds the corrected word"
    );
    // Too short to correct, and too far from every word.
    for q in ["ldgr", "pymnts", "xyzzyq"] {
        assert!(s.query(q).is_empty(), "{q} should find nothing");
    }
}

#[test]
fn accents_are_folded() {
    let s = example();
    for q in ["muller", "Müller", "MULLER", "hannah muller"] {
        assert_eq!(
            first(s, q).url,
            "catalog/default/user/hannah.mueller/",
            "{q}"
        );
    }
}

/// An entity whose name holds the query comes before a docs section that has it as its heading.
#[test]
fn entities_named_by_the_query_outrank_sections_titled_by_it() {
    let s = example();
    let cases: &[(&str, &str, &str)] = &[
        (
            "money",
            "catalog/default/component/money-rs/",
            "docs/default/component/storefront-graphql-gateway/schema-guide/#money",
        ),
        (
            "search",
            "catalog/default/component/search-service/",
            "docs/default/component/stagedoor/concepts/search/#search",
        ),
        (
            "sessions",
            "catalog/default/resource/checkout-sessions-cache/",
            "docs/default/component/checkout-web/architecture/#sessions",
        ),
    ];
    for (q, entity, section) in cases {
        let top = urls(s, q, 10);
        let at = |u: &str| top.iter().position(|t| t == u);
        assert_eq!(at(entity), Some(0), "{q}: {top:?}");
        assert!(
            at(section).is_some(),
            "{q}: the section is still found: {top:?}"
        );
    }
}

fn material() -> Option<Search> {
    let root = corpus("mkdocs-material-docs")?;
    let entity = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: material\n  annotations:\n    backstage.io/techdocs-ref: url:https://github.com/squidfunk/mkdocs-material/tree/master/\nspec:\n  type: documentation\n  lifecycle: production\n  owner: team\n";
    let config = format!(
        "roots:\n  - path: catalog\n  - path: '{}'\n    repo_url: https://github.com/squidfunk/mkdocs-material\n",
        root.display()
    );
    let site = site_with(&[
        ("stagedoor.yaml", &config),
        ("catalog/catalog-info.yaml", entity),
    ]);
    let loaded = load_config(site.path(), &Overrides::default()).unwrap();
    let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
    Some(build_search(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        Urls {
            directory_urls: true,
        },
    ))
}

#[test]
fn hand_picked_queries_over_the_material_docs() {
    let Some(s) = material() else { return };
    let cases: &[(&str, &str)] = &[
        ("admonitions", "reference/admonitions/"),
        ("content tabs", "reference/content-tabs/"),
        ("code blocks", "reference/code-blocks/"),
        ("footnotes", "reference/footnotes/"),
        ("data tables", "reference/data-tables/"),
        ("social cards", "plugins/social/#social-cards"),
        ("setting up social cards", "setup/setting-up-social-cards/"),
        ("site search", "setup/setting-up-site-search/"),
        ("mermaid diagrams", "reference/diagrams/"),
        ("mathjax", "reference/math/"),
        ("formatting", "reference/formatting/"),
    ];
    for (q, page) in cases {
        let top = urls(&s, q, 3);
        assert!(
            top.iter().any(|u| u.contains(page)),
            "{q}: {top:?} should reach {page}"
        );
    }
    let anchors = urls(&s, "collapsible blocks", 3);
    assert!(
        anchors
            .iter()
            .any(|u| u.contains("reference/admonitions/#collapsible-blocks")),
        "{anchors:?}"
    );
}

/// An API operation is found by what it does: its summary and its operationId's words.
#[test]
fn api_operations_are_found_by_what_they_do() {
    let s = example();
    let refund = "catalog/default/api/payments-api/#operation/createRefund";
    assert_eq!(first(s, "create refund").url, refund);
    assert_eq!(first(s, "refund a captured payment").url, refund);
    // The operation comes before the guide section titled exactly like the query, which
    // stays second.
    let intent = "catalog/default/api/payments-api/#operation/createPaymentIntent";
    let top = urls(s, "create payment intent", 2);
    assert_eq!(top[0], intent, "{top:?}");
    assert!(
        top[1].ends_with("/api-usage/#create-a-payment-intent"),
        "{top:?}"
    );
    // Its summary as written finds it too, and a schema by its name.
    assert_eq!(first(s, "Create a payment intent").url, intent);
    assert_eq!(
        first(s, "PaymentIntent").url,
        "catalog/default/api/payments-api/#schema/PaymentIntent"
    );
}

/// The index is made a batch of documents at a time (so the texts are never all copied at
/// once): the files must be those of indexing every document together.
#[test]
fn batched_indexing_writes_the_same_files() {
    let loaded = load_config(&project_root().join("example-site"), &Overrides::default()).unwrap();
    let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
    assert!(model.docs.sites.len() > 3, "several sites to batch");
    let urls = Urls {
        directory_urls: true,
    };
    let scores = Some(&model.scores);
    let docs = stagedoor::search::documents::collect_scored_documents(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        urls,
        scores,
    );
    let (whole, _) = stagedoor::search::files_of(docs);
    for per_batch in [1, 2, 1000] {
        let (batched, _) = stagedoor::search::files_in_batches(
            &model.catalog,
            &model.docs,
            &model.api_refs,
            urls,
            scores,
            per_batch,
        );
        assert_eq!(batched.len(), whole.len());
        for (a, b) in whole.iter().zip(&batched) {
            assert_eq!(a.path, b.path);
            let same = match (&a.content, &b.content) {
                (Content::Bytes(x), Content::Bytes(y)) => x == y,
                _ => false,
            };
            assert!(
                same,
                "{} differs with {per_batch} documents a batch",
                a.path
            );
        }
    }
}

/// A build indexes each docs site as soon as it is drawn, in whatever order the sites are
/// done, and the entities last (`search::Streaming`): the files it hands out as they are made
/// must be those `files_of_model` makes of the whole model at once, with the same counts.
#[test]
fn files_indexed_site_by_site_are_the_files_made_at_once() {
    let loaded = load_config(&project_root().join("example-site"), &Overrides::default()).unwrap();
    let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
    let scores = Some(&model.scores);
    let (whole, whole_stats) = stagedoor::search::files_of_model(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        model.urls,
        scores,
    );
    let n = model.docs.sites.len();
    assert!(n > 3, "several sites to hand over");
    let forward: Vec<usize> = (0..n).collect();
    let backward: Vec<usize> = (0..n).rev().collect();
    let odd_first: Vec<usize> = (0..n)
        .filter(|i| i % 2 == 1)
        .chain((0..n).step_by(2))
        .collect();
    // Each site whole, and in parts of one and of two pages, the parts of the sites handed
    // over later waiting for the ones before.
    let ways = [forward, backward, odd_first]
        .into_iter()
        .flat_map(|order| [(order.clone(), 512), (order.clone(), 1), (order, 2)]);
    for (order, pages_per_part) in ways {
        let loaded = load_config(&project_root().join("example-site"), &Overrides::default());
        let loaded = loaded.unwrap();
        let mut sites = load_model(&loaded.config, loaded.diagnostics, &Silent)
            .docs
            .sites;
        let index = stagedoor::search::Streaming::new(&model.catalog, &model.api_refs, model.urls)
            .in_parts_of(pages_per_part);
        let mut handed = Vec::new();
        for &i in &order {
            handed.push(index.add_site(i, &model.catalog, &mut sites[i]));
        }
        let left = (sites.iter().flat_map(|s| &s.pages)).filter(|p| p.sections.get().is_some());
        assert_eq!(left.count(), 0, "the sections were moved out of the pages");
        let (rest, stats) = index.finish(&model.catalog, &model.api_refs, scores);
        handed.push(rest);
        check_same_files(handed, &whole, &order);
        assert_eq!(
            (stats.docs, stats.files, stats.bytes),
            (whole_stats.docs, whole_stats.files, whole_stats.bytes)
        );
    }
}

fn check_same_files(
    handed: Vec<Vec<stagedoor::output::OutputFile>>,
    whole: &[stagedoor::output::OutputFile],
    order: &[usize],
) {
    let streamed: Vec<_> = handed.into_iter().flatten().collect();
    let bytes = |files: &[stagedoor::output::OutputFile]| {
        let mut out: Vec<(String, Vec<u8>)> = (files.iter())
            .map(|f| match &f.content {
                Content::Bytes(b) => (f.path.clone(), b.clone()),
                Content::Copy(from) => panic!("{} copies {from:?}", f.path),
            })
            .collect();
        out.sort();
        out
    };
    assert!(!whole.is_empty());
    assert!(
        bytes(&streamed) == bytes(whole),
        "sites given in the order {order:?}"
    );
}
