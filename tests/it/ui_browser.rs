//! The catalog table, the header search, entity pages and the API explorer in a real
//! headless Chromium at a desktop (1366 px) and a phone (390 px) width, over the small
//! portal in tests/fixtures/ui/portal.

use fantoccini::Locator;

use crate::browser::{self, Browser, serve_dir};
use crate::support::build_fixture;

const WIDTHS: [u32; 2] = [1366, 390];

/// Builds the fixture portal; returns (kept temp folders, served base URL).
fn portal() -> (tempfile::TempDir, tempfile::TempDir, String) {
    let (site, out) = build_fixture("ui/portal");
    let server = serve_dir(out.path().join("site"));
    (site, out, server.base)
}

/// Whether the element matched by `css` takes up space on the page.
fn shown(css: &str) -> String {
    format!(
        "(() => {{ const e = document.querySelector('{css}'); return !!e && e.getClientRects().length > 0; }})()"
    )
}

async fn open(b: &Browser, url: &str) {
    b.open(url).await;
}

const VISIBLE_ROWS: &str =
    "Array.from(document.querySelectorAll('[data-catalog-table] tbody tr')).filter(r => !r.hidden)";

#[tokio::test(flavor = "multi_thread")]
async fn catalog_table_fits_filters_and_sorts_at_both_widths() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    for width in WIDTHS {
        b.set_width(width).await;
        open(&b, &format!("{base}catalog/")).await;

        // `hidden` hides a .button: no "Show more" (let alone "Show -N more") with 11 rows.
        assert_eq!(
            b.js(&format!("return {}", shown("[data-catalog-more]")))
                .await,
            false,
            "{width}"
        );
        b.js("const s = document.querySelector('select[name=kind]'); s.value = 'api'; s.dispatchEvent(new Event('change'));").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 2")).await;
        assert_eq!(
            b.js(&format!("return {}", shown("[data-catalog-more]")))
                .await,
            false,
            "{width}"
        );
        let label = b
            .js("return document.querySelector('[data-catalog-more]').textContent")
            .await;
        assert!(!label.as_str().unwrap_or_default().contains('-'), "{label}");

        // With a kind chosen, the Type filter offers that kind's types only.
        let types = b
            .js("return Array.from(document.querySelectorAll('select[name=type] option')).filter(o => o.value && !o.disabled && !o.hidden).map(o => o.value).sort()")
            .await;
        assert_eq!(types, serde_json::json!(["asyncapi", "openapi"]), "{width}");
        b.js("const s = document.querySelector('select[name=kind]'); s.value = ''; s.dispatchEvent(new Event('change'));").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 11")).await;

        // Kind and type words are never broken mid-word: each single word sits on one line.
        let broken = b
            .js("const words = []; document.querySelectorAll('td.col-kind, td.col-type').forEach(td => { const w = document.createTreeWalker(td, NodeFilter.SHOW_TEXT); for (let n = w.nextNode(); n; n = w.nextNode()) if (n.parentElement.getClientRects().length && /^[A-Za-z]+$/.test(n.textContent.trim())) words.push(n); }); return words.filter(n => { const r = document.createRange(); r.selectNodeContents(n); return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1; }).map(n => n.textContent)")
            .await;
        assert_eq!(
            broken,
            serde_json::json!([]),
            "{width}: words broken mid-word"
        );
        // Tag chips stay inside their cell.
        let overflowing = b
            .js("return Array.from(document.querySelectorAll('td.col-tags .chip')).filter(c => c.getClientRects().length).filter(c => c.getBoundingClientRect().right > c.closest('td').getBoundingClientRect().right + 0.5).map(c => c.textContent)")
            .await;
        assert_eq!(overflowing, serde_json::json!([]), "{width}: tags overflow");
        // The table fits the screen: nothing scrolls sideways.
        assert_eq!(
            b.js("return document.querySelector('.table-wrap').scrollWidth <= document.querySelector('.table-wrap').clientWidth").await,
            true,
            "{width}: the table scrolls sideways"
        );

        // Sorting by keyboard: focus the Name header's button and press Enter, twice.
        let button = b
            .client
            .find(Locator::Css("th[data-sort-column=name] button"))
            .await
            .unwrap();
        button.send_keys("\u{E007}").await.unwrap();
        b.wait_until("document.querySelector('th[data-sort-column=name]').getAttribute('aria-sort') === 'ascending'").await;
        let names = format!("{VISIBLE_ROWS}.map(r => r.cells[0].textContent.trim().toLowerCase())");
        let asc = b.js(&format!("return {names}")).await;
        let mut sorted: Vec<String> = serde_json::from_value(asc.clone()).unwrap();
        sorted.sort();
        assert_eq!(asc, serde_json::json!(sorted), "{width}: ascending");
        button.send_keys("\u{E007}").await.unwrap();
        b.wait_until("document.querySelector('th[data-sort-column=name]').getAttribute('aria-sort') === 'descending'").await;
        sorted.reverse();
        assert_eq!(
            b.js(&format!("return {names}")).await,
            serde_json::json!(sorted),
            "{width}: descending"
        );
        assert!(
            b.js("return location.search")
                .await
                .as_str()
                .unwrap()
                .contains("sort=name")
        );

        // Owner: a person owns what their groups own (Backstage's "Owned"): Jo owns checkout
        // and events, and Team Alpha's five entities.
        b.js("const s = document.querySelector('select[name=owner]'); s.value = 'user:jo'; s.dispatchEvent(new Event('change'));").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 7")).await;
        b.js("const s = document.querySelector('select[name=owner]'); s.value = ''; s.dispatchEvent(new Event('change'));").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 11")).await;

        // "Starred only" keeps the reader's starred entities.
        b.js("localStorage.setItem('stagedoor-stars', JSON.stringify([{ref: 'component:default/checkout', title: 'checkout', kind: 'Component', url: 'catalog/default/component/checkout/'}]))").await;
        b.click("input[data-filter=starred]").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 1")).await;
        assert_eq!(
            b.js(&format!("return {VISIBLE_ROWS}[0].dataset.ref")).await,
            "component:default/checkout"
        );
        b.js("localStorage.clear()").await;
        assert_eq!(b.console_errors().await, Vec::<String>::new());
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn header_search_results_stay_on_screen() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    for width in WIDTHS {
        b.set_width(width).await;
        open(&b, &format!("{base}catalog/")).await;
        let input = b
            .client
            .find(Locator::Css("[data-search-input]"))
            .await
            .unwrap();
        input.send_keys("payments").await.unwrap();
        b.wait_until(&shown("[data-search-results]")).await;
        let rect = b
            .js("const r = document.querySelector('[data-search-results]').getBoundingClientRect(); return [r.left, r.right, window.innerWidth]")
            .await;
        let [left, right, inner] = [0, 1, 2].map(|i| rect[i].as_f64().unwrap());
        assert!(
            left >= 0.0 && right <= inner,
            "{width}: dropdown at {left}..{right} of {inner}"
        );

        // The search page's "Show more" shows only when there is more to show.
        open(&b, &format!("{base}search/?q=payments")).await;
        b.wait_until("document.querySelector('[data-search-page-results] a')")
            .await;
        assert_eq!(
            b.js(&format!("return {}", shown("[data-search-more]")))
                .await,
            false,
            "{width}"
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn entity_pages_show_about_first_on_phones_and_each_relation_once() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    let page = format!("{base}catalog/default/component/payments/");
    for width in WIDTHS {
        b.set_width(width).await;
        // A page with nothing but About opens with About on the left, not an empty column.
        open(&b, &format!("{base}catalog/default/user/solo/")).await;
        assert!(
            b.js("return document.querySelector('.about').getBoundingClientRect().left < window.innerWidth / 4")
                .await
                .as_bool()
                .unwrap(),
            "{width}: About on the left"
        );
        open(&b, &page).await;
        let about = b
            .js("const r = document.querySelector('.about').getBoundingClientRect(); return [r.top, r.left]")
            .await;
        let main = b
            .js("const r = document.querySelector('.entity-layout__main').getBoundingClientRect(); return [r.top, r.right]")
            .await;
        if width < 900 {
            assert!(
                about[0].as_f64() < main[0].as_f64(),
                "{width}: About comes first: {about} {main}"
            );
        } else {
            assert!(
                about[1].as_f64() >= main[1].as_f64(),
                "{width}: About is beside: {about} {main}"
            );
        }
        // Each related entity is linked once (besides the relation graph's own drawing and
        // list, another view of the same relations); no empty section cards.
        let links = b
            .js("return Array.from(document.querySelectorAll('.entity-layout a.ref')).filter(a => !a.closest('.relation-graph')).map(a => a.getAttribute('href'))")
            .await;
        let links: Vec<String> = serde_json::from_value(links).unwrap();
        let mut unique = links.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(links.len(), unique.len(), "{width}: {links:?}");
        assert_eq!(
            b.js("return document.querySelectorAll('.entity-layout__main .card .empty').length")
                .await,
            0
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn users_show_group_ownership_and_pictures_or_initials() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    for width in WIDTHS {
        b.set_width(width).await;
        // Jo owns checkout and events, and through Team Alpha what the team owns.
        open(&b, &format!("{base}catalog/default/user/jo/")).await;
        let owns = b
            .js("return document.querySelector('#owns').textContent")
            .await;
        let owns = owns.as_str().unwrap();
        for name in [
            "checkout",
            "events",
            "payments",
            "pay-api",
            "through Team Alpha",
        ] {
            assert!(owns.contains(name), "{width}: {name} in {owns}");
        }
        // A javascript: picture is never used: initials instead.
        assert_eq!(
            b.js("return document.querySelectorAll('.avatar img').length")
                .await,
            0
        );
        assert_eq!(
            b.js("return document.querySelector('.avatar').textContent.trim()")
                .await,
            "JD"
        );
        // A picture that does not load leaves the initials showing.
        open(&b, &format!("{base}catalog/default/user/max/")).await;
        b.wait_until("document.querySelectorAll('.avatar img').length === 0")
            .await;
        assert_eq!(
            b.js(&format!("return {}", shown(".avatar__initials")))
                .await,
            true
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_explorer_lists_apis_with_their_providers_and_consumers() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    for width in WIDTHS {
        b.set_width(width).await;
        open(&b, &base).await;
        b.click("a[href$='api-docs/']").await;
        b.wait_until(
            "document.querySelector('h1') && document.querySelector('h1').textContent === 'APIs'",
        )
        .await;
        assert_eq!(
            b.js("return document.querySelector('.site-nav a[aria-current=page]').textContent")
                .await,
            "APIs"
        );
        assert_eq!(b.js(&format!("return {VISIBLE_ROWS}.length")).await, 2);
        b.js("const s = document.querySelector('select[name=type]'); s.value = 'openapi'; s.dispatchEvent(new Event('change'));").await;
        b.wait_until(&format!("{VISIBLE_ROWS}.length === 1")).await;
        assert_eq!(
            b.js(&format!("return {VISIBLE_ROWS}[0].dataset.ref")).await,
            "api:default/pay-api"
        );
        assert_eq!(
            b.js("return document.querySelector('.table-wrap').scrollWidth <= document.querySelector('.table-wrap').clientWidth").await,
            true,
            "{width}: the table scrolls sideways"
        );
        assert_eq!(b.console_errors().await, Vec::<String>::new());
    }
    b.close().await;
}

/// Screenshots for a person to look at (`STAGEDOOR_SCREENSHOTS=folder`); not an assertion.
#[tokio::test(flavor = "multi_thread")]
async fn screenshots_at_phone_width() {
    let Some(dir) = std::env::var_os("STAGEDOOR_SCREENSHOTS") else {
        return;
    };
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, _out, base) = portal();
    b.set_width(390).await;
    for (name, path) in [
        ("catalog", "catalog/"),
        ("entity", "catalog/default/component/payments/"),
        ("user", "catalog/default/user/jo/"),
        ("apis", "api-docs/"),
    ] {
        open(&b, &format!("{base}{path}")).await;
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}-390.png")),
            png,
        )
        .unwrap();
    }
    b.close().await;
}
