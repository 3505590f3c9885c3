//! The radar page in real headless Chromium: example-site's engineering radar draws all 55
//! blips, clicking a blip opens its description (also with every script removed), hovering or
//! focusing a blip highlights its legend entry and back, and nothing logs a console error.
//! On a phone (390 px) the quadrant buttons make every blip number at least 11 px without
//! the page scrolling sideways; at 1366 px the radar stays as it was.

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

/// `radar/nojs/`: the radar page with every script removed (links one folder deeper).
fn write_script_free_copy(site: &std::path::Path) {
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
}

#[tokio::test(flavor = "multi_thread")]
async fn radar_blips_open_descriptions_and_highlight_the_legend() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let site = out.path().join("site");
    // A copy of the page without any script: opening entries must not need one.
    write_script_free_copy(&site);
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

/// Measures the radar as a reader sees it: the SVG's rendered width, the smallest rendered
/// blip number (CSS px: the SVG's font size times its on-screen scale), the page's
/// horizontal overflow, and where the legend sits relative to the SVG.
const MEASURE: &str = r#"
const svg = document.querySelector('svg.radar-svg');
const r = svg.getBoundingClientRect();
let smallest = Infinity;
for (const t of svg.querySelectorAll('a.blip text.blip-number')) {
  if (t.getClientRects().length === 0) continue;
  const h = t.getBoundingClientRect();
  if (h.width === 0) continue;
  const m = t.getScreenCTM();
  const px = parseFloat(t.getAttribute('font-size')) * Math.hypot(m.a, m.b);
  smallest = Math.min(smallest, px);
}
const legend = document.querySelector('.radar-legend').getBoundingClientRect();
return {
  svg_width: r.width,
  smallest_number_px: smallest,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  legend_below: legend.top >= r.bottom - 1,
};
"#;

async fn measure(b: &browser::Browser) -> serde_json::Value {
    b.js(MEASURE).await
}

async fn open_radar(b: &browser::Browser, url: &str) -> serde_json::Value {
    b.client.goto(url).await.unwrap();
    b.wait_until("document.querySelector('svg.radar-svg')")
        .await;
    measure(b).await
}

fn px(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Saves a screenshot to `$STAGEDOOR_SCREENSHOT_DIR/<name>` for a person to look at.
async fn screenshot(b: &browser::Browser, name: &str) {
    if let Some(dir) = std::env::var_os("STAGEDOOR_SCREENSHOT_DIR") {
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

/// At 390 px the whole radar's numbers are ~4 px: the quadrant buttons show one quadrant with
/// every blip number at least 11 px, panning inside the radar's frame (never the page); the
/// whole radar comes back, the legend stays below, and without a script there are no buttons
/// and the whole radar shows at full width. At 1366 px nothing of this appears.
#[tokio::test(flavor = "multi_thread")]
async fn radar_quadrants_are_readable_on_a_phone_and_desktop_is_unchanged() {
    let Some(b) = browser::start().await else {
        return;
    };
    let out = build_example_site();
    let site = out.path().join("site");
    write_script_free_copy(&site);
    let server = serve_dir(site);
    let radar = format!("{}radar/", server.base);
    let zoom_shown = shown(".radar-zoom");

    // Desktop: the radar beside its legend, no quadrant buttons, nothing overflowing.
    b.set_width(1366).await;
    let m = open_radar(&b, &radar).await;
    assert!(px(&m, "svg_width") >= 600.0, "{m}");
    assert_eq!(m["legend_below"], false, "{m}");
    assert_eq!(px(&m, "overflow"), 0.0, "{m}");
    assert_eq!(b.js(&format!("return {zoom_shown}")).await, false);
    screenshot(&b, "radar-1366.png").await;

    // Phone: the whole radar at full width first, legend below it, buttons above it.
    b.set_width(390).await;
    let m = open_radar(&b, &radar).await;
    assert!(px(&m, "svg_width") >= 340.0, "{m}");
    assert_eq!(m["legend_below"], true, "{m}");
    assert_eq!(px(&m, "overflow"), 0.0, "{m}");
    assert!(px(&m, "smallest_number_px") < 11.0, "{m}");
    b.wait_until(&zoom_shown).await;
    let names = b
        .js("return [...document.querySelectorAll('.radar-zoom button')].map(b => b.textContent)")
        .await;
    assert_eq!(
        names,
        serde_json::json!([
            "Whole radar",
            "Tools",
            "Techniques",
            "Platforms",
            "Languages & Frameworks"
        ]),
        "buttons in the legend's reading order"
    );
    screenshot(&b, "radar-390.png").await;

    // Each quadrant: readable numbers, the page itself never scrolls sideways.
    for k in 2..=5 {
        let button = format!(".radar-zoom button:nth-child({k})");
        b.click(&button).await;
        let m = measure(&b).await;
        assert!(px(&m, "smallest_number_px") >= 11.0, "quadrant {k}: {m}");
        assert!(px(&m, "svg_width") >= 340.0, "quadrant {k}: {m}");
        assert_eq!(px(&m, "overflow"), 0.0, "quadrant {k}: {m}");
        assert_eq!(
            b.js(&format!(
                "return document.querySelector('{button}').getAttribute('aria-pressed')"
            ))
            .await,
            "true"
        );
    }
    screenshot(&b, "radar-390-languages.png").await;
    b.js("document.querySelector('.radar-legend').scrollIntoView()")
        .await;
    screenshot(&b, "radar-390-legend.png").await;
    b.js("window.scrollTo(0, 0)").await;
    // A blip in the zoomed quadrant still opens its entry.
    b.click("#blip-kotlin").await;
    b.wait_until(&shown("#entry-kotlin")).await;

    // Keyboard: the buttons are real buttons, so Enter on a focused one works.
    b.js("document.querySelector('.radar-zoom button:nth-child(1)').focus()")
        .await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    let m = measure(&b).await;
    assert!(
        px(&m, "smallest_number_px") < 11.0,
        "whole radar again: {m}"
    );
    assert_eq!(
        b.js("return document.querySelector('svg.radar-svg').getAttribute('viewBox')")
            .await,
        "-440 -440 880 880"
    );

    // Back to desktop width: the whole radar, no buttons.
    b.click(".radar-zoom button:nth-child(3)").await;
    b.set_width(1366).await;
    b.wait_until(&format!("!{zoom_shown}")).await;
    assert_eq!(
        b.js("return document.querySelector('svg.radar-svg').getAttribute('viewBox')")
            .await,
        "-440 -440 880 880"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());

    // Without a script: no buttons, the whole radar at full width, no sideways scroll.
    b.set_width(390).await;
    let m = open_radar(&b, &format!("{radar}nojs/")).await;
    assert_eq!(b.js(&format!("return {zoom_shown}")).await, false);
    assert!(px(&m, "svg_width") >= 340.0, "{m}");
    assert_eq!(px(&m, "overflow"), 0.0, "{m}");
    b.close().await;
}
