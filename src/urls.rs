//! URLs: the site's one URL scheme. Where every page lives (Backstage-shaped entity and docs
//! folders, radars) and how one page links to another. Pages link relatively (`../../`), so a
//! site works under any path prefix, from object storage and from `file://`. Every stage that
//! makes a URL imports it from here.

use crate::catalog::EntityRef;

/// Site-relative folder of an entity page: `catalog/<namespace>/<kind>/<name>/`. Kind and
/// namespace are lower case, the name keeps its case, as Backstage's routes do.
pub fn entity_dir(r: &EntityRef) -> String {
    format!(
        "catalog/{}/{}/{}/",
        r.namespace,
        r.kind,
        url_segment(&r.name)
    )
}

/// Site-relative path of one of an entity's README badges:
/// `badges/<namespace>/<kind>/<name>/<badge>.svg`, beside and shaped like its entity page's.
pub fn badge_file(r: &EntityRef, badge: &str) -> String {
    format!(
        "badges/{}/{}/{}/{badge}.svg",
        r.namespace,
        r.kind,
        url_segment(&r.name)
    )
}

/// Site-relative folder of a page of an API's reference split off its entity page:
/// `catalog/<namespace>/api/<name>/reference/<page>/`.
pub fn api_reference_dir(r: &EntityRef, page: &str) -> String {
    format!("{}reference/{}/", entity_dir(r), url_segment(page))
}

/// Site-relative path of the raw definition of an API whose reference was split, kept as a
/// file rather than inlined: `catalog/<namespace>/api/<name>/reference/definition.<ext>`.
pub fn api_definition_file(r: &EntityRef, ext: &str) -> String {
    format!("{}reference/definition.{ext}", entity_dir(r))
}

/// Site-relative folder of an entity's docs: `docs/<namespace>/<kind>/<name>/`.
pub fn docs_dir(r: &EntityRef) -> String {
    format!("docs/{}/{}/{}/", r.namespace, r.kind, url_segment(&r.name))
}

/// The API explorer, Backstage's `/api-docs` page.
pub const APIS_DIR: &str = "api-docs/";

/// The portal's top-level sections: a site-root link into one of them (`/catalog/…`) is the
/// author's link to the portal, not to a file of the docs.
pub const PORTAL_SECTIONS: &[&str] = &["docs", "catalog", "search", "radar", "api-docs"];

/// Names may hold characters that are not safe in a path segment (`:` from odd refs, `%`);
/// object-name rules keep real names to `[A-Za-z0-9._-]`, which pass unchanged.
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out == "." || out == ".." {
        out.replace('.', "%2E")
    } else {
        out
    }
}

/// How links are spelled: folder URLs (`a/b/`) or file URLs (`a/b/index.html`) for
/// `file://` browsing and hosts without index documents.
#[derive(Clone, Copy, Debug)]
pub struct Urls {
    pub directory_urls: bool,
}

impl Default for Urls {
    fn default() -> Self {
        Urls {
            directory_urls: true,
        }
    }
}

impl Urls {
    /// The site's link style, from its config (`--no-directory-urls` turns folders off).
    pub fn of(config: &crate::config::Config) -> Urls {
        Urls {
            directory_urls: config.directory_urls,
        }
    }

    /// The link form of a site-relative path: folders get `index.html` when needed.
    pub fn href(&self, path: &str) -> String {
        if !self.directory_urls && (path.is_empty() || path.ends_with('/')) {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// The output file of a site-relative page folder or file.
    pub fn file_for(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

/// The relative prefix from a page's output file to the site root (`../../`).
pub fn root_prefix(output_file: &str) -> String {
    "../".repeat(output_file.matches('/').count())
}

/// Where a radar's page lives: the first at `radar/`, the others at `radar/<id>/`.
pub fn radar_path(index: usize, id: &str) -> String {
    if index == 0 {
        "radar/".to_string()
    } else {
        format!("radar/{}/", url_segment(id))
    }
}

/// The relative URL from a page folder (`a/b/`) to a site-relative target (`a/c/d.png`).
pub fn relative(from_dir: &str, to: &str) -> String {
    // Walks `to`'s segments beside `from_dir`'s without collecting either: every link of
    // every page's nav goes through here.
    let mut from = from_dir.split('/').filter(|s| !s.is_empty());
    let (mut ups, mut rest) = (0, Some(to));
    for segment in from.by_ref() {
        let Some(r) = rest else {
            ups += 1;
            break;
        };
        let (head, tail) = match r.split_once('/') {
            Some((head, tail)) => (head, Some(tail)),
            None => (r, None),
        };
        if head != segment {
            ups += 1;
            break;
        }
        rest = tail;
    }
    ups += from.count();
    let rest = rest.unwrap_or("");
    let mut rel = String::with_capacity(3 * ups + rest.len() + 2);
    for _ in 0..ups {
        rel.push_str("../");
    }
    rel.push_str(rest);
    as_link(rel)
}

/// A relative path as a link: `./` for the folder itself, and a first segment holding a colon
/// prefixed so it does not read as a scheme (a page file named `javascript:x.md` must not
/// become the URL `javascript:x/`).
fn as_link(rel: String) -> String {
    let first_segment = rel.split(['/', '?', '#']).next().unwrap_or_default();
    if rel.is_empty() {
        "./".to_string()
    } else if first_segment.contains(':') {
        format!("./{rel}")
    } else {
        rel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `relative` as it was written first (collecting both paths' segments), the reference
    /// for the one that walks them.
    fn relative_by_segments(from_dir: &str, to: &str) -> String {
        let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
        let to_parts: Vec<&str> = to.split('/').collect();
        let common = (from.iter().zip(&to_parts))
            .take_while(|(a, b)| a == b)
            .count();
        as_link(format!(
            "{}{}",
            "../".repeat(from.len() - common),
            to_parts[common..].join("/")
        ))
    }

    #[test]
    fn relative_links_are_what_comparing_segments_gives() {
        let parts = ["", "a", "b", "docs", "x:y", "index.html", "#t", "?q=1"];
        let mut paths = Vec::new();
        for i in 0..parts.len() {
            for j in 0..parts.len() {
                for k in 0..parts.len() {
                    paths.push(format!("{}/{}/{}", parts[i], parts[j], parts[k]));
                    paths.push(format!("{}/{}", parts[i], parts[j]));
                }
                paths.push(parts[i].to_string());
            }
        }
        for from in &paths {
            for to in &paths {
                assert_eq!(
                    relative(from, to),
                    relative_by_segments(from, to),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn entity_pages_follow_backstage_routes() {
        let r = EntityRef::new("Component", "Default", "ETLPipeline");
        assert_eq!(entity_dir(&r), "catalog/default/component/ETLPipeline/");
        assert_eq!(docs_dir(&r), "docs/default/component/ETLPipeline/");
        let api = EntityRef::new("API", "default", "pay");
        assert_eq!(
            api_reference_dir(&api, "payments"),
            "catalog/default/api/pay/reference/payments/"
        );
        assert_eq!(
            badge_file(&r, "lifecycle"),
            "badges/default/component/ETLPipeline/lifecycle.svg"
        );
    }

    #[test]
    fn unsafe_name_characters_are_escaped() {
        assert_eq!(url_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(url_segment(".."), "%2E%2E");
    }

    #[test]
    fn file_urls_end_in_index_html() {
        let u = Urls {
            directory_urls: false,
        };
        assert_eq!(u.href("catalog/"), "catalog/index.html");
        assert_eq!(u.href(""), "index.html");
        assert_eq!(u.href("catalog.json"), "catalog.json");
        assert_eq!(
            Urls {
                directory_urls: true
            }
            .href("catalog/"),
            "catalog/"
        );
    }

    #[test]
    fn root_prefix_counts_folders() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(
            root_prefix("catalog/default/component/x/index.html"),
            "../../../../"
        );
    }

    #[test]
    fn relative_urls_between_folders() {
        assert_eq!(relative("docs/a/x/", "docs/a/x/guide/"), "guide/");
        assert_eq!(relative("docs/a/x/guide/", "docs/a/x/"), "../");
        assert_eq!(
            relative("docs/a/x/guide/", "docs/a/x/img/p.png"),
            "../img/p.png"
        );
        assert_eq!(relative("docs/a/x/", "docs/a/x/"), "./");
        // Regression: a page named like a script URL was linked as one from its siblings.
        assert_eq!(
            relative("docs/a/x/", "docs/a/x/javascript:alert(1)/"),
            "./javascript:alert(1)/"
        );
        assert_eq!(relative("docs/a/x/", "docs/a/x/a/b:c/"), "a/b:c/");
        assert_eq!(
            relative("docs/a/x/", "docs/b/y/index.html"),
            "../../b/y/index.html"
        );
    }
}
