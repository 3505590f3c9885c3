//! A docs page's navigation: the site's nav as HTML with the current page's sections open,
//! and its breadcrumb. Where each page sits in the nav is found in one walk per site
//! (`NavPlaces`), so drawing a site's pages never searches its whole nav once per page.

use crate::docs::DocSite;
use crate::docs::nav::NavNode;
use crate::html::escape_into;
use crate::urls::{Urls, relative};

/// A nav level longer than this is cut, with a link to the site's home page.
const MAX_NAV_ITEMS: usize = 300;

/// Links a page's nav may show with every top-level section open. A site whose nav would
/// show more opens only the sections above the current page, as mkdocs-material's
/// `navigation.prune` does: a single site of 100 sections of 200 pages would otherwise
/// write 20,000 links into each of its 20,000 pages.
const OPEN_NAV_LINKS: usize = 500;

/// Where each page of a site sits in its nav.
pub struct NavPlaces<'a> {
    /// Per page: every section holding an entry for it (a page may be listed twice), those
    /// on the way to its first entry first, outermost first.
    holders: Vec<Vec<&'a NavNode>>,
    /// Per page: how many of its holders lead to its first entry; `None` when the nav does
    /// not list the page.
    first_depth: Vec<Option<usize>>,
    /// Whether the top-level sections are open on every page (the nav is small enough).
    open_top: bool,
}

impl<'a> NavPlaces<'a> {
    pub fn of(s: &'a DocSite) -> NavPlaces<'a> {
        let n = s.pages.len();
        let mut places = NavPlaces {
            holders: vec![Vec::new(); n],
            first_depth: vec![None; n],
            open_top: links_with_top_open(&s.nav) <= OPEN_NAV_LINKS,
        };
        places.walk(&s.nav, &mut Vec::new());
        places
    }

    fn walk(&mut self, nodes: &'a [NavNode], path: &mut Vec<&'a NavNode>) {
        for node in nodes {
            match node {
                NavNode::Page { page, .. } => {
                    // At its first entry a page has no holders yet: the path is all of them.
                    if let Some(depth) = self.first_depth.get_mut(*page) {
                        depth.get_or_insert(path.len());
                    }
                    if let Some(holders) = self.holders.get_mut(*page) {
                        for &section in path.iter() {
                            if !holders.iter().any(|h| std::ptr::eq(*h, section)) {
                                holders.push(section);
                            }
                        }
                    }
                }
                NavNode::Section { children, .. } => {
                    path.push(node);
                    self.walk(children, path);
                    path.pop();
                }
                NavNode::Link { .. } => {}
            }
        }
    }

    /// Section titles from the nav root down to the page's first entry.
    pub fn breadcrumb(&self, page: usize) -> Vec<String> {
        let depth = self.first_depth.get(page).copied().flatten().unwrap_or(0);
        let holders = self.holders.get(page).map_or(&[][..], |h| &h[..depth]);
        holders
            .iter()
            .filter_map(|n| match n {
                NavNode::Section { title, .. } => Some(title.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether `section` is open on `page`'s nav: it holds the page, or it is at the top and
    /// the nav is small.
    fn is_open(&self, section: &NavNode, page: usize, depth: usize) -> bool {
        (depth == 0 && self.open_top)
            || (self.holders.get(page)).is_some_and(|h| h.iter().any(|s| std::ptr::eq(*s, section)))
    }
}

/// The links the nav shows with every top-level section open and the rest closed.
fn links_with_top_open(nav: &[NavNode]) -> usize {
    let top = &nav[..nav.len().min(MAX_NAV_ITEMS)];
    let children = |n: &NavNode| match n {
        NavNode::Section { children, .. } => children.len().min(MAX_NAV_ITEMS),
        _ => 0,
    };
    top.len() + top.iter().map(children).sum::<usize>()
}

fn first_page(nodes: &[NavNode]) -> Option<usize> {
    nodes.iter().find_map(|n| match n {
        NavNode::Page { page, .. } => Some(*page),
        NavNode::Section { children, .. } => first_page(children),
        NavNode::Link { .. } => None,
    })
}

/// The site's nav as HTML for one page: top-level sections (of a small nav) and the current
/// page's sections open, other sections collapsed to a link to their first page, so a
/// page's nav stays small however large the site.
pub fn nav_html(urls: Urls, s: &DocSite, places: &NavPlaces, current: usize) -> String {
    let mut out = String::new();
    let here = &s.pages[current].url;
    let at = Place {
        urls,
        s,
        places,
        current,
        here,
    };
    level_html(&mut out, &at, &s.nav, 0);
    out
}

/// The page a nav is drawn for.
struct Place<'a> {
    urls: Urls,
    s: &'a DocSite,
    places: &'a NavPlaces<'a>,
    current: usize,
    here: &'a str,
}

fn level_html(out: &mut String, at: &Place, nodes: &[NavNode], depth: usize) {
    let (s, here, current) = (at.s, at.here, at.current);
    // Written piece by piece into `out`: a site's nav is written again for each of its pages.
    let link = |out: &mut String, href: &str, attrs: &str, title: &str| {
        out.push_str("<a href=\"");
        escape_into(out, href);
        out.push('"');
        out.push_str(attrs);
        out.push('>');
        escape_into(out, title);
        out.push_str("</a>");
    };
    let href = |page: usize| relative(here, &at.urls.href(&s.pages[page].url));
    out.push_str("<ul>");
    for n in nodes.iter().take(MAX_NAV_ITEMS) {
        match n {
            NavNode::Page { page, .. } => {
                let cur = if *page == current {
                    " aria-current=\"page\""
                } else {
                    ""
                };
                out.push_str("<li>");
                link(out, &href(*page), cur, &s.pages[*page].title);
                out.push_str("</li>");
            }
            NavNode::Section {
                title, children, ..
            } => {
                let open = at.places.is_open(n, current, depth);
                out.push_str("<li class=\"nav-section\">");
                match (open, first_page(children)) {
                    (false, Some(first)) => link(out, &href(first), "", title),
                    _ => {
                        out.push_str("<span>");
                        escape_into(out, title);
                        out.push_str("</span>");
                    }
                }
                if open {
                    level_html(out, at, children, depth + 1);
                }
                out.push_str("</li>");
            }
            NavNode::Link { title, url } => {
                if crate::catalog::rules::is_safe_link_scheme(url) || url.starts_with('/') {
                    out.push_str("<li>");
                    out.push_str("<a class=\"nav-external\" href=\"");
                    escape_into(out, url);
                    out.push_str("\" rel=\"noopener\">");
                    escape_into(out, title);
                    out.push_str("</a></li>");
                }
            }
        }
    }
    if nodes.len() > MAX_NAV_ITEMS {
        out.push_str("<li>");
        link(
            out,
            &relative(here, &at.urls.href(&s.url)),
            "",
            "More pages…",
        );
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}
