//! Large references → pages: a reference with thousands of operations would make one page of
//! many megabytes that a browser lays out slowly and a phone may not open at all. Such a
//! reference keeps its introduction, its outline and its small sections on the API's page;
//! each big section moves to a page of its own. This only decides which section goes where
//! (`Section::page`, `Reference::pages`); `render` draws the pages and resolves links.

use std::collections::HashSet;

use super::{OutlineEntry, Reference, Section};

/// A reference with more items (operations, schemas, types…) than this is split: about what
/// a reader can still scroll through on one page, and what keeps the page near a megabyte.
pub const LARGE_ITEMS: usize = 300;

/// A reference whose sections make more HTML than this is split even with few items (huge
/// schemas): past a megabyte or two, page layout and in-page find get slow on phones.
pub const LARGE_HTML_BYTES: usize = 1_000_000;

/// In a split reference, a section with more HTML than this gets a page of its own; smaller
/// ones stay on the API's page, where they cost less than a click.
pub const OWN_PAGE_BYTES: usize = 48 * 1024;

/// A section making more HTML than this is cut into parts, each on a page of its own, between
/// its items: real definitions have tags of hundreds of operations and schemas of hundreds of
/// kilobytes each (GitHub's REST API), which would make pages of several megabytes.
pub const MAX_PAGE_BYTES: usize = 1_000_000;

/// The reference with its big sections given pages, when it is large; unchanged otherwise.
pub fn split(mut r: Reference) -> Reference {
    if !is_large(&r) {
        return r;
    }
    cut_huge_sections(&mut r);
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

/// Sections over `MAX_PAGE_BYTES` become parts (`tag/repos`, `tag/repos-part-2`…), each
/// with an outline heading above its first item so that its page lists its own items.
fn cut_huge_sections(r: &mut Reference) {
    let mut sections = Vec::with_capacity(r.sections.len());
    for s in std::mem::take(&mut r.sections) {
        let parts = parts_of(&s.html, MAX_PAGE_BYTES);
        if parts.len() < 2 {
            sections.push(s);
            continue;
        }
        for (k, part) in parts.iter().enumerate().skip(1) {
            let anchor = format!("{}-part-{}", s.anchor, k + 1);
            let title = format!("{} (part {})", s.title, k + 1);
            if let Some(first) = ids(part).next() {
                let at = r
                    .outline
                    .iter()
                    .position(|o| crate::html::escape(&o.anchor) == first);
                let heading = OutlineEntry {
                    anchor: anchor.clone(),
                    title: title.clone(),
                    ..OutlineEntry::default()
                };
                r.outline.insert(at.unwrap_or(r.outline.len()), heading);
            }
            sections.push(Section {
                anchor,
                title,
                html: part.to_string(),
                page: None,
            });
        }
        let first = parts[0].to_string();
        let at = sections.len() - (parts.len() - 1);
        sections.insert(at, Section { html: first, ..s });
    }
    r.sections = sections;
}

/// `html` cut where top-level `<article>`s end, into parts of at most about `max` bytes (an
/// item bigger than that is a part alone); what precedes the first item stays in the first.
fn parts_of(html: &str, max: usize) -> Vec<&str> {
    if html.len() <= max {
        return vec![html];
    }
    let mut parts = Vec::new();
    let (mut start, mut last_end, mut depth) = (0, 0, 0usize);
    for (i, _) in html.match_indices("article") {
        let before = &html[..i];
        if before.ends_with("</") {
            depth = depth.saturating_sub(1);
            let end = html[i..].find('>').map_or(html.len(), |n| i + n + 1);
            if depth == 0 {
                if end - start > max && last_end > start {
                    parts.push(&html[start..last_end]);
                    start = last_end;
                }
                last_end = end;
            }
        } else if before.ends_with('<') {
            depth += 1;
        }
    }
    parts.push(&html[start..]);
    parts
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
    fn huge_sections_are_cut_between_items_into_parts_with_outline_headings() {
        let item = |i: usize| {
            format!(
                "<article id=\"operation/op{i}\"><article id=\"operation/op{i}/callback/c/post\"></article>{}</article>",
                "x".repeat(MAX_PAGE_BYTES / 4)
            )
        };
        let html: String = std::iter::once("<p>intro</p>".to_string())
            .chain((0..7).map(item))
            .collect();
        let mut outline = vec![OutlineEntry {
            anchor: "tag/big".into(),
            ..OutlineEntry::default()
        }];
        outline.extend(items(7));
        let r = split(Reference {
            sections: vec![
                section("tag/big", html),
                section("tag/small", "<p>s</p>".into()),
            ],
            outline,
            ..Reference::default()
        });
        let anchors: Vec<&str> = r.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["tag/big", "tag/big-part-2", "tag/big-part-3", "tag/small"]
        );
        assert!(r.sections[0].html.starts_with("<p>intro</p>"));
        for s in &r.sections[..3] {
            assert!(s.html.len() <= MAX_PAGE_BYTES, "{}", s.html.len());
            // Items whole: as many openings as closings.
            assert_eq!(
                s.html.matches("<article").count(),
                s.html.matches("</article>").count()
            );
        }
        assert_eq!(r.page_of("operation/op3"), Some("big-part-2"));
        assert_eq!(
            r.page_of("operation/op3/callback/c/post"),
            Some("big-part-2")
        );
        let headings: Vec<(&str, &str)> = r
            .outline
            .iter()
            .filter(|o| o.depth == 0)
            .map(|o| (o.anchor.as_str(), o.title.as_str()))
            .collect();
        assert_eq!(
            headings,
            [
                ("tag/big", ""),
                ("tag/big-part-2", "tag/big (part 2)"),
                ("tag/big-part-3", "tag/big (part 3)")
            ]
        );
        // Each heading stands right above its part's first item.
        let at = r
            .outline
            .iter()
            .position(|o| o.anchor == "tag/big-part-2")
            .unwrap();
        assert_eq!(r.outline[at + 1].anchor, "operation/op3");
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
