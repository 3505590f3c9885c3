//! The catalog portal in a real headless Chromium: example-site's catalog page loads with no
//! console errors, filters narrow the table, and a starred entity shows on the home page.

use fantoccini::Locator;

use crate::browser::{self, serve_dir};
use crate::support::{build_into, project_root};

/// Builds example-site into a temporary folder and returns it.
pub fn build_example_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp out");
    build_into(
        &project_root().join("example-site"),
        &out.path().join("site"),
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_filters_and_stars_work_in_chromium() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let server = serve_dir(out.path().join("site"));

    b.client
        .goto(&format!("{}catalog/", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelectorAll('[data-catalog-table] tbody tr').length > 50")
        .await;
    let total = b
        .js("return document.querySelectorAll('[data-catalog-table] tbody tr').length")
        .await
        .as_u64()
        .unwrap();
    let visible = "Array.from(document.querySelectorAll('[data-catalog-table] tbody tr')).filter(r => !r.hidden)";

    // Filter by kind: only APIs remain.
    b.js("const s = document.querySelector('select[name=kind]'); s.value = 'api'; s.dispatchEvent(new Event('change'));").await;
    b.wait_until(&format!("{visible}.length < {total}")).await;
    assert_eq!(
        b.js(&format!(
            "return {visible}.every(r => r.dataset.kind === 'api')"
        ))
        .await,
        true
    );
    assert!(
        b.js(&format!("return {visible}.length"))
            .await
            .as_u64()
            .unwrap()
            >= 8
    );
    assert!(
        b.js("return location.search")
            .await
            .as_str()
            .unwrap()
            .contains("kind=api"),
        "filters are kept in the URL"
    );

    // Free text narrows further, as typed by a user.
    b.js("const s = document.querySelector('select[name=kind]'); s.value = ''; s.dispatchEvent(new Event('change'));").await;
    let text = b
        .client
        .find(Locator::Css("input[data-filter=q]"))
        .await
        .unwrap();
    text.send_keys("payments").await.unwrap();
    // Keys arrive one by one and the filter follows each: wait for the whole word's result.
    b.wait_until(&format!(
        "{visible}.length > 0 && {visible}.length < {total} && \
         {visible}.every(r => r.textContent.toLowerCase().includes('payments'))"
    ))
    .await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());

    // Star the first visible entity, then find it on the home page.
    let title = b
        .js(&format!(
            "return {visible}[0].querySelector('a').textContent"
        ))
        .await
        .as_str()
        .unwrap()
        .to_string();
    b.js(&format!("{visible}[0].querySelector('a').click()"))
        .await;
    b.wait_until("document.querySelector('[data-star]')").await;
    b.click("[data-star]").await;
    assert_eq!(
        b.js("return document.querySelector('[data-star]').getAttribute('aria-pressed')")
            .await,
        "true"
    );
    b.client.goto(&server.base).await.unwrap();
    b.wait_until("document.querySelectorAll('[data-starred] a').length === 1")
        .await;
    let starred = b
        .js("return document.querySelector('[data-starred] a').textContent")
        .await;
    assert!(
        starred.as_str().unwrap().contains(&title),
        "{starred} vs {title}"
    );
    // The starred link leads back to the entity page.
    b.click("[data-starred] a").await;
    b.wait_until("document.querySelector('.entity-header h1')")
        .await;
    assert_eq!(
        b.js("return document.querySelector('.entity-header h1').textContent")
            .await,
        title.as_str()
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

/// A lower-case address of a mixed-case entity reaches its one folder through the 404 page,
/// keeping what follows the folder; the real address is never sent on.
#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_case_address_reaches_the_entity_page() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_site, out) = crate::support::build_fixture("site/mixed_case");
    let server = serve_dir(out.path().join("site"));
    b.client
        .goto(&format!(
            "{}catalog/default/component/etlpipeline/?tab=x#about",
            server.base
        ))
        .await
        .unwrap();
    b.wait_until("location.pathname.endsWith('/ETLPipeline/')")
        .await;
    assert_eq!(
        b.js("return location.search + location.hash").await,
        "?tab=x#about"
    );
    assert_eq!(
        b.js("return document.querySelector('h1').textContent")
            .await,
        "ETLPipeline"
    );
    // A page that really is missing stays the 404 page.
    b.client
        .goto(&format!(
            "{}catalog/default/component/ETLPipeline/nothing/",
            server.base
        ))
        .await
        .unwrap();
    b.wait_until("document.body.classList.contains('page-404')")
        .await;
    b.close().await;
}
