//! The radar page in real headless Chromium: example-site's engineering radar draws all 55
//! blips, clicking a blip opens its description (also with every script removed), hovering or
//! focusing a blip highlights its legend entry and back, and nothing logs a console error.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};

use crate::browser::{self, serve_dir};
use crate::catalog_browser::build_example_site;

/// Whether an element is laid out (not `display: none` itself or through a parent).
fn shown(css: &str) -> String {
    format!(
        "(function(){{ const e = document.querySelector('{css}'); return !!e && e.getClientRects().length > 0; }})()"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn radar_blips_open_descriptions_and_highlight_the_legend() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let site = out.path().join("site");
    // A copy of the page without any script: opening entries must not need one.
    let html = std::fs::read_to_string(site.join("radar/index.html")).unwrap();
    let no_js = regex::Regex::new(r"(?s)<script.*?</script>")
        .unwrap()
        .replace_all(&html, "");
    std::fs::create_dir_all(site.join("radar/nojs")).unwrap();
    std::fs::write(
        site.join("radar/nojs/index.html"),
        no_js.replace("href=\"../", "href=\"../../"),
    )
    .unwrap();
    let server = serve_dir(site);

    b.client
        .goto(&format!("{}radar/", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelector('svg.radar-svg')")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll('svg.radar-svg a.blip').length")
            .await,
        55
    );
    // Nothing is open at first; the hint says what to do.
    assert_eq!(
        b.js(&format!("return {}", shown("#entry-kotlin"))).await,
        false
    );
    assert_eq!(
        b.js(&format!("return {}", shown(".radar-details__hint")))
            .await,
        true
    );

    // A real click on a blip opens its description and history.
    b.click("#blip-kotlin").await;
    b.wait_until(&shown("#entry-kotlin")).await;
    assert_eq!(b.js("return location.hash").await, "#entry-kotlin");
    let text = b
        .js("return document.querySelector('#entry-kotlin').innerText")
        .await;
    let text = text.as_str().unwrap();
    assert!(text.contains("default JVM language"), "{text}");
    assert!(
        text.contains("2022-06-15") && text.contains("Trial"),
        "history: {text}"
    );
    assert!(text.contains("Payments API"), "used by: {text}");
    assert_eq!(
        b.js(&format!("return {}", shown(".radar-details__hint")))
            .await,
        false
    );
    assert_eq!(
        b.js("return document.querySelector('#blip-kotlin').classList.contains('is-selected')")
            .await,
        true
    );

    // Hovering a blip highlights its legend entry; leaving it clears the highlight.
    let blip = b.client.find(Locator::Css("#blip-jenkins")).await.unwrap();
    let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: blip,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    b.client.perform_actions(hover).await.unwrap();
    b.wait_until("document.querySelector('#legend-jenkins').classList.contains('is-active')")
        .await;
    let heading = b.client.find(Locator::Css("h1")).await.unwrap();
    let away = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: heading,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    b.client.perform_actions(away).await.unwrap();
    b.wait_until("!document.querySelector('#legend-jenkins').classList.contains('is-active')")
        .await;

    // Focusing a blip (keyboard users) highlights its legend entry too; and back: focusing
    // a legend link highlights the blip.
    b.js("document.querySelector('#blip-go').focus()").await;
    b.wait_until("document.querySelector('#legend-go').classList.contains('is-active')")
        .await;
    b.js("document.querySelector('#legend-rust a').focus()")
        .await;
    b.wait_until("document.querySelector('#blip-rust').classList.contains('is-active')")
        .await;

    // Clicking a legend entry opens that entry instead.
    b.click("#legend-rust a").await;
    b.wait_until(&shown("#entry-rust")).await;
    assert_eq!(
        b.js(&format!("return {}", shown("#entry-kotlin"))).await,
        false
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());

    // Without any script, a click on a blip still opens its description.
    b.client
        .goto(&format!("{}radar/nojs/", server.base))
        .await
        .unwrap();
    b.wait_until("document.querySelector('svg.radar-svg')")
        .await;
    assert_eq!(b.js("return document.scripts.length").await, 0);
    assert_eq!(
        b.js(&format!("return {}", shown("#entry-jenkins"))).await,
        false
    );
    b.click("#blip-jenkins").await;
    b.wait_until(&shown("#entry-jenkins")).await;
    // Who still uses this Hold technology: one click away from the entry.
    let users = b
        .js("return document.querySelectorAll('#entry-jenkins .ref-list a').length")
        .await;
    assert!(users.as_u64().unwrap() >= 3, "{users}");
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}
