//! What the format modules' unit tests share: a reference's whole HTML (each section in an
//! element with its anchor, as the page draws it), its search titles, and a check that every
//! in-page link lands.

use super::Reference;

pub fn page_html(r: &Reference) -> String {
    let mut all = r.intro_html.clone();
    for s in &r.sections {
        all.push_str(&format!(
            "<section id=\"{}\">{}</section>",
            s.anchor, s.html
        ));
    }
    all
}

/// Every `href="#x"` has an element with `id="x"`.
pub fn assert_links_resolve(r: &Reference) {
    let all = page_html(r);
    let ids: Vec<&str> = all
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    for href in all
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(ids.contains(&href), "no id for #{href} in {all}");
    }
}

pub fn titles(r: &Reference) -> Vec<&str> {
    r.search.iter().map(|s| s.title.as_str()).collect()
}
