//! A docs page in real headless Chromium: tabs switch on click, collapsible blocks open, a
//! table-of-contents link moves to its heading, Mermaid draws its diagram, no console errors.

use crate::browser::{self, serve_dir};
use crate::catalog_browser::build_example_site;

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

    // A page without a diagram does not load Mermaid at all.
    b.client
        .goto(&format!(
            "{}docs/default/component/payments-api/",
            server.base
        ))
        .await
        .unwrap();
    b.wait_until("document.readyState === 'complete'").await;
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
