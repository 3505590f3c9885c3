//! API references in headless Chromium at a desktop and a phone width: a `#schema/…` link
//! lands on its schema, a closed schema branch opens without script, and nothing is wider
//! than the screen, and nothing logs a console error; a large reference's tag page opens and its schema links land on the
//! schemas' page.

use crate::browser::{self, serve_dir};
use crate::support::build_fixture;

const WIDTHS: [u32; 2] = [1366, 390];

#[tokio::test(flavor = "multi_thread")]
async fn schema_anchors_land_and_branches_open_at_both_widths() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, out) = build_fixture("apiref/site");
    let server = serve_dir(out.path().join("site"));
    let page = format!("{}catalog/default/api/shop/", server.base);
    for width in WIDTHS {
        b.set_width(width).await;
        // From elsewhere, so the page loads afresh (a hash change alone keeps opened branches).
        b.client.goto("about:blank").await.unwrap();
        b.open(&format!("{page}#schema/Pet")).await;
        let top = b
            .js("return document.getElementById('schema/Pet').getBoundingClientRect().top")
            .await;
        let top = top.as_f64().unwrap_or(-1.0);
        assert!(
            (0.0..200.0).contains(&top),
            "{width}: #schema/Pet lands at {top}"
        );
        // Pet's `attributes` is a closed branch; its summary opens it.
        let closed =
            "return document.querySelectorAll('[id=\"schema/Pet\"] details:not([open])').length";
        let before = b.js(closed).await.as_u64().unwrap_or(0);
        assert!(before > 0, "{width}: Pet has closed branches");
        b.click("[id=\"schema/Pet\"] details:not([open]) > summary")
            .await;
        let after = b.js(closed).await.as_u64().unwrap_or(0);
        assert_eq!(after + 1, before, "{width}: the branch opens");
        let (scroll, inner) = (
            b.js("return document.documentElement.scrollWidth").await,
            b.js("return window.innerWidth").await,
        );
        assert!(
            scroll.as_u64() <= inner.as_u64(),
            "{width}: page is {scroll} wide in {inner}"
        );
        // The outline's link goes to the operation.
        // Centred first: on a phone the outline sits above, where the sticky header covers
        // the spot WebDriver would scroll it to.
        b.js("document.querySelector(\"a[href='#operation/getPet']\").scrollIntoView({block: 'center'})")
            .await;
        b.click("a[href='#operation/getPet']").await;
        b.wait_until("location.hash === '#operation/getPet'").await;
    }
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

/// A reference split into pages: a tag page opens, and a `$ref` link from it to a schema,
/// which is on the schemas' page, lands on that schema.
#[tokio::test(flavor = "multi_thread")]
async fn split_reference_schema_links_land_across_pages() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, out) = crate::apiref_split::build_big(true);
    let server = serve_dir(out.path().join("site"));
    let tag_page = format!("{}catalog/default/api/big/reference/tag0/", server.base);
    b.open(&tag_page).await;
    // op0, in tag0, reads and returns Schema0000.
    let link = "a.type[href$='#schema/Schema0000']";
    b.js(&format!(
        "document.querySelector(\"{link}\").scrollIntoView({{block: 'center'}})"
    ))
    .await;
    b.click(link).await;
    b.wait_until(
        "location.pathname.endsWith('/reference/schemas/') && location.hash === '#schema/Schema0000' && document.readyState === 'complete'",
    )
    .await;
    let top = b
        .js("return document.getElementById('schema/Schema0000').getBoundingClientRect().top")
        .await;
    let top = top.as_f64().unwrap_or(-1.0);
    assert!(
        (0.0..200.0).contains(&top),
        "#schema/Schema0000 lands at {top}"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}
