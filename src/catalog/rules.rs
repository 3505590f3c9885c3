//! Field-format rules of Backstage's default validators (spec §1.6), each a small predicate,
//! and the expectation text Backstage prints when one fails.

use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static pattern compiles")
}

static OBJECT_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"));
static DNS_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-z0-9]+(?:-+[a-z0-9]+)*$"));
static VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-z0-9A-Z]+$"));
static KIND: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-zA-Z][a-z0-9A-Z]*$"));
static TAG: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$"));

pub const OBJECT_NAME_EXPECTATION: &str = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total";
pub const DNS_LABEL_EXPECTATION: &str =
    "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total";
pub const PREFIX_EXPECTATION: &str = "a valid prefix and/or suffix";
pub const KIND_EXPECTATION: &str =
    "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total";
pub const TAG_EXPECTATION: &str =
    "a string that is sequences of [a-z0-9+#:] separated by [-], at most 63 characters in total";

fn within(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max
}

pub fn is_object_name(s: &str) -> bool {
    within(s, 63) && OBJECT_NAME.is_match(s)
}

pub fn is_dns_label(s: &str) -> bool {
    within(s, 63) && DNS_LABEL.is_match(s)
}

pub fn is_dns_subdomain(s: &str) -> bool {
    within(s, 253) && s.split('.').all(is_dns_label)
}

pub fn is_api_version(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, version)) => {
            is_dns_subdomain(prefix) && within(version, 63) && VERSION.is_match(version)
        }
        None => within(s, 63) && VERSION.is_match(s),
    }
}

pub fn is_kind(s: &str) -> bool {
    within(s, 63) && KIND.is_match(s)
}

/// Label and annotation keys: `[prefix/]name`, at most one slash.
pub fn is_prefixed_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_object_name(name),
        None => is_object_name(s),
    }
}

pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_object_name(s)
}

pub fn is_tag(s: &str) -> bool {
    within(s, 63) && TAG.is_match(s)
}

/// An absolute URL as WHATWG `new URL()` accepts it.
pub fn is_absolute_url(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

/// Annotations whose value the entity page turns into a link, and the prefix (if any) in
/// front of the URL.
pub const LINK_ANNOTATIONS: &[(&str, &str)] = &[
    ("backstage.io/source-location", "url:"),
    ("backstage.io/view-url", ""),
    ("backstage.io/edit-url", ""),
];

/// A link annotation's value that is a URL with a scheme the page will not link to
/// (`javascript:`, `data:`…), or None when it is linked or not a URL at all.
pub fn unsafe_link_annotation<'a>(key: &str, value: &'a str) -> Option<&'a str> {
    let (_, prefix) = LINK_ANNOTATIONS.iter().find(|(k, _)| *k == key)?;
    // `dir:.` or `github:…` in a location are types, not URL schemes.
    let url = value.strip_prefix(prefix)?;
    url::Url::parse(url)
        .is_ok_and(|u| !matches!(u.scheme(), "http" | "https"))
        .then_some(url)
}

/// Schemes a rendered link may carry; anything else (`javascript:`, `data:`…) is dropped.
pub fn is_safe_link_scheme(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
}

/// Backstage's message shape for a failed field rule.
pub fn not_valid(field: &str, expectation: &str, found: &str) -> String {
    format!("\"{field}\" is not valid; expected {expectation} but found \"{found}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names() {
        for ok in ["a", "a-b", "a--b", "a._b", "A1", "x.y_z-9", &"a".repeat(63)] {
            assert!(is_object_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "invalid component",
            "a/b",
            &"a".repeat(64),
            "ä",
        ] {
            assert!(!is_object_name(bad), "{bad}");
        }
    }

    #[test]
    fn namespaces_are_lower_case_dns_labels() {
        assert!(is_dns_label("default"));
        assert!(is_dns_label("a--b"));
        assert!(!is_dns_label("Payments"));
        assert!(!is_dns_label("a_b"));
        assert!(!is_dns_label("-a"));
    }

    #[test]
    fn tags() {
        for ok in ["c++", "c#", "k8s:prod", "go-1-15", "java"] {
            assert!(is_tag(ok), "{ok}");
        }
        for bad in ["node.js", "go1.15", "Java", "go 1.15.3", "a_b", "", "a--b"] {
            assert!(!is_tag(bad), "{bad}");
        }
    }

    #[test]
    fn keys_and_values() {
        assert!(is_prefixed_key("backstage.io/techdocs-ref"));
        assert!(is_prefixed_key("goVersion"));
        assert!(!is_prefixed_key("a/b/c"));
        assert!(!is_prefixed_key("Backstage.io/x"));
        assert!(is_label_value(""));
        assert!(is_label_value("go1.15.3"));
        assert!(!is_label_value("go 1.15"));
    }

    #[test]
    fn api_versions_and_kinds() {
        assert!(is_api_version("backstage.io/v1alpha1"));
        assert!(is_api_version("v1"));
        assert!(!is_api_version("a/b/c"));
        assert!(!is_api_version("Backstage.io/v1"));
        assert!(is_kind("Component"));
        assert!(!is_kind("1Component"));
        assert!(!is_kind("my-kind"));
    }

    #[test]
    fn urls() {
        assert!(is_absolute_url("https://example.org"));
        assert!(is_absolute_url("mailto:a@b.c"));
        assert!(!is_absolute_url("/relative/path"));
        assert_eq!(
            unsafe_link_annotation("backstage.io/view-url", " JaVaScRiPt:alert(1)"),
            Some(" JaVaScRiPt:alert(1)")
        );
        assert!(
            unsafe_link_annotation("backstage.io/source-location", "url:data:text/html,x")
                .is_some()
        );
        assert!(
            unsafe_link_annotation("backstage.io/source-location", "url:https://x.y/").is_none()
        );
        assert!(unsafe_link_annotation("backstage.io/source-location", "dir:.").is_none());
        assert!(unsafe_link_annotation("example.com/other", "javascript:x").is_none());
        assert!(is_safe_link_scheme("http://x.y"));
        assert!(!is_safe_link_scheme("javascript:alert(1)"));
        assert!(!is_safe_link_scheme("JaVaScRiPt:alert(1)"));
        assert!(!is_safe_link_scheme("data:text/html,x"));
    }
}
