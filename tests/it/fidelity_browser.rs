//! TechDocs fidelity in real headless Chromium: a scripted (draw.io) SVG shown as an image
//! is drawn from its inline `data:` URL, and its script does not run.

use crate::browser::{self, serve_dir};
use crate::support::{fixture, stagedoor};

#[tokio::test(flavor = "multi_thread")]
async fn scripted_svg_images_draw_without_running() {
    let site = fixture("docs_fidelity/site");
    let out = stagedoor().arg("build").arg(site.path()).output().unwrap();
    assert!(out.status.success());
    let Some(b) = browser::start().await else {
        return;
    };
    let server = serve_dir(site.path().join("public"));
    b.client
        .goto(&format!("{}docs/default/component/drawings/", server.base))
        .await
        .unwrap();
    let inline = "Array.from(document.querySelectorAll('img[src^=\"data:image/svg+xml,\"]'))";
    b.wait_until(&format!(
        "{inline}.length === 2 && {inline}.every(i => i.complete)"
    ))
    .await;
    let sizes = b
        .js(&format!("return {inline}.map(i => i.naturalWidth)"))
        .await;
    assert_eq!(sizes, serde_json::json!([121, 121]), "the drawing decodes");
    assert_eq!(b.js("return window.svgRan === true").await, false);
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}
