//! Bundles: one repository's sources, published from its own CI, so that a portal of
//! thousands of repositories is built without checking any of them out.
//!
//! `stagedoor bundle` (`make`) puts under `URL/bundles/<repo>/` every file of the repository
//! a build may read — all of them but the folders no stage reads (`.git`, `node_modules`…,
//! the same rule as the build fingerprint) and files over the size limit — as blobs named
//! by their blake3 hash, then a manifest (`manifest`) listing them with the commit dates git
//! gives their pages. Only blobs the bucket lacks go up; an unchanged repository uploads
//! nothing. Pages are not rendered there: the portal renders them (so its output is the
//! output of a build from checkouts, by construction), and the page cache spares it the work
//! for pages whose inputs did not change.
//!
//! `stagedoor build --bundles URL` (`fetch`) lists the bundles, asks for each manifest only
//! if it changed since the last build (its ETag), fetches the blobs a changed bundle lacks,
//! checks each one's size and hash, and keeps a copy of each repository in the cache folder;
//! those copies become roots, carrying their recorded dates, and the build runs as usual.
//! A missing, corrupt or incompatible bundle is a diagnostic naming the repository, which is
//! left out; the rest of the portal builds.

pub mod fetch;
pub mod make;
pub mod manifest;

/// What a portal accepts from one bundle (a bundle is untrusted input, like a repository).
pub mod limits {
    /// One file; larger ones are left out when bundling and refused when fetching.
    pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
    /// All distinct blobs of one bundle.
    pub const MAX_BUNDLE_BYTES: u64 = 1024 * 1024 * 1024;
    pub const MAX_FILES: usize = 100_000;
    pub const MAX_MANIFEST_BYTES: u64 = 32 * 1024 * 1024;
}

/// A repository's name as a bundle folder: letters, digits, `.`, `_`, `-`, not starting with
/// a dot, at most 100 characters — one plain path segment in the bucket and the cache.
pub fn is_bundle_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `bundles/<repo>/<rel>` below the store's prefix.
fn object_of(
    target: &crate::publish::store::Target,
    repo: &str,
    rel: &str,
) -> object_store::path::Path {
    target.object(&format!("bundles/{repo}/{rel}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_names_are_one_plain_segment() {
        for ok in ["svc", "payments-api", "a.b_c-1"] {
            assert!(is_bundle_name(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "é",
            &"x".repeat(101),
        ] {
            assert!(!is_bundle_name(bad), "{bad}");
        }
    }
}
