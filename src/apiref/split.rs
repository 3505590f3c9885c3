//! Large references → pages: a reference with thousands of operations would make one page of
//! many megabytes that a browser lays out slowly and a phone may not open at all. Such a
//! reference keeps its introduction, its outline and its small sections on the API's page;
//! each big section moves to a page of its own. This only decides which section goes where
//! (`Section::page`, `Reference::pages`); `render` draws the pages and resolves links.

use std::collections::HashSet;

use super::Reference;

/// A reference with more items (operations, schemas, types…) than this is split: about what
/// a reader can still scroll through on one page, and what keeps the page near a megabyte.
pub const LARGE_ITEMS: usize = 300;

/// A reference whose sections make more HTML than this is split even with few items (huge
/// schemas): past a megabyte or two, page layout and in-page find get slow on phones.
pub const LARGE_HTML_BYTES: usize = 1_000_000;

/// In a split reference, a section with more HTML than this gets a page of its own; smaller
/// ones stay on the API's page, where they cost less than a click.
pub const OWN_PAGE_BYTES: usize = 48 * 1024;

/// The reference with its big sections given pages, when it is large; unchanged otherwise.
pub fn split(mut r: Reference) -> Reference {
    if !is_large(&r) {
        return r;
    }
    let mut slugs = HashSet::new();
    for s in r
        .sections
        .iter_mut()
        .filter(|s| s.html.len() > OWN_PAGE_BYTES)
    {
        let slug = unique_slug(&mut slugs, &s.anchor);
        r.pages.insert(crate::html::escape(&s.anchor), slug.clone());
        for id in ids(&s.html) {
            r.pages.insert(id.to_string(), slug.clone());
        }
        s.page = Some(slug);
    }
    r
}

fn is_large(r: &Reference) -> bool {
    let items = r.outline.iter().filter(|o| o.depth > 0).count();
    let bytes: usize = r.sections.iter().map(|s| s.html.len()).sum();
    items > LARGE_ITEMS || bytes > LARGE_HTML_BYTES
}

/// A page name from a section's anchor: its last part (`tag/payments` → `payments`), made
/// distinct from the names taken before.
fn unique_slug(taken: &mut HashSet<String>, anchor: &str) -> String {
    let base = anchor.rsplit('/').next().unwrap_or(anchor);
    let base = if base.is_empty() { "section" } else { base };
    let mut slug = base.to_string();
    let mut n = 1;
    while !taken.insert(slug.clone()) {
        n += 1;
        slug = format!("{base}-{n}");
    }
    slug
}

/// The `id` attribute values in HTML the reference made (attribute values as written, still
/// escaped): every place on the section a link may point at.
fn ids(html: &str) -> impl Iterator<Item = &str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiref::{OutlineEntry, Section};

    fn section(anchor: &str, html: String) -> Section {
        Section {
            anchor: anchor.into(),
            title: anchor.into(),
            html,
            page: None,
        }
    }

    fn items(n: usize) -> Vec<OutlineEntry> {
        (0..n)
            .map(|i| OutlineEntry {
                anchor: format!("operation/op{i}"),
                depth: 1,
                ..OutlineEntry::default()
            })
            .collect()
    }

    #[test]
    fn small_references_stay_on_one_page() {
        let r = split(Reference {
            sections: vec![section("tag/a", "x".repeat(OWN_PAGE_BYTES + 1))],
            outline: items(LARGE_ITEMS),
            ..Reference::default()
        });
        assert!(r.pages.is_empty());
        assert_eq!(r.sections[0].page, None);
    }

    #[test]
    fn big_sections_of_large_references_get_pages() {
        let big = format!(
            "<article id=\"operation/op1\"></article>{}",
            "x".repeat(OWN_PAGE_BYTES)
        );
        let r = split(Reference {
            sections: vec![
                section("tag/a", big.clone()),
                section("tag/small", "<p id=\"s\"></p>".into()),
                section("other/a", big),
            ],
            outline: items(LARGE_ITEMS + 1),
            ..Reference::default()
        });
        let pages: Vec<Option<&str>> = r.sections.iter().map(|s| s.page.as_deref()).collect();
        assert_eq!(pages, [Some("a"), None, Some("a-2")]);
        assert_eq!(r.page_of("tag/a"), Some("a"));
        assert_eq!(r.page_of("operation/op1"), Some("a-2"));
        assert_eq!(r.page_of("s"), None);
    }
}
