//! URLs: where every page lives (Backstage-shaped) and how one page links to another.
//! Pages link relatively (`../../`), so a site works under any path prefix, from object
//! storage and from `file://`.

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

/// Site-relative folder of an entity's docs: `docs/<namespace>/<kind>/<name>/`.
pub fn docs_dir(r: &EntityRef) -> String {
    format!("docs/{}/{}/{}/", r.namespace, r.kind, url_segment(&r.name))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_pages_follow_backstage_routes() {
        let r = EntityRef::new("Component", "Default", "ETLPipeline");
        assert_eq!(entity_dir(&r), "catalog/default/component/ETLPipeline/");
        assert_eq!(docs_dir(&r), "docs/default/component/ETLPipeline/");
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
}
