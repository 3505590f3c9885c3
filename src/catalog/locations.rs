//! Locations: a Location entity's `target`/`targets` → the catalog files they name (spec
//! §5.2). Relative paths and globs resolve against the Location's own file; a target outside
//! every walked root is refused; URL targets are read only when they point into a walked
//! repository whose `repo_url` is configured.

use std::path::{Path, PathBuf};

use globset::GlobBuilder;

use crate::diagnostics::{Code, Diagnostic};
use crate::discover::SKIPPED_DIRS;
use crate::fsutil;
use crate::repos::Repos;

/// One target as written, with its position in the Location's file.
#[derive(Clone, Debug)]
pub struct Target {
    pub text: String,
    pub line: usize,
    pub col: usize,
}

pub struct Resolution {
    pub files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves every target of one Location entity declared in `file`.
pub fn resolve_targets(
    targets: &[Target],
    file: &Path,
    optional: bool,
    is_url_type: bool,
    repos: &Repos,
    entity: &str,
) -> Resolution {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for t in targets {
        let report = |code: Code, message: String, hint: &str| {
            Diagnostic::new(code, message)
                .at(file, t.line, t.col)
                .entity(entity)
                .hint(hint)
        };
        match resolve_one(&t.text, file, is_url_type, repos) {
            Ok(found) if found.is_empty() && !optional => diags.push(report(
                Code::LocationTargetMissing,
                format!("Location target \"{}\" matches no file", t.text),
                "fix the path (relative to this file), or set spec.presence: optional",
            )),
            Ok(found) => {
                if !is_url_type
                    && !t.text.starts_with('.')
                    && !Path::new(&t.text).is_absolute()
                    && !found.is_empty()
                {
                    diags.push(report(
                        Code::LocationTargetInvalid,
                        format!("Location target \"{}\" is resolved relative to this file, but Backstage resolves it relative to its working directory", t.text),
                        "start relative targets with ./ so Backstage and stagedoor read the same file",
                    ));
                }
                files.extend(found);
            }
            Err((code, message, hint)) => diags.push(report(code, message, hint)),
        }
    }
    files.sort();
    files.dedup();
    Resolution {
        files,
        diagnostics: diags,
    }
}

type Failure = (Code, String, &'static str);

fn resolve_one(
    text: &str,
    file: &Path,
    is_url_type: bool,
    repos: &Repos,
) -> Result<Vec<PathBuf>, Failure> {
    let text = text.trim();
    if is_url_type || text.contains("://") {
        let local = repos.local_path_for_url(text).ok_or_else(|| {
            (
                Code::LocationTargetInvalid,
                format!("URL target \"{text}\" is outside the walked repositories and is not fetched"),
                "check out that repository under a root, with its repo_url configured, to include it",
            )
        })?;
        return expand(&local, repos, text);
    }
    let path_text = text.strip_prefix("file:").unwrap_or(text);
    if path_text.ends_with('/') || path_text.ends_with('\\') {
        return Err((
            Code::LocationTargetInvalid,
            format!("Location target \"{text}\" ends with a path separator"),
            "name files, not folders (e.g. ./folder/*.yaml)",
        ));
    }
    let base = file.parent().unwrap_or(Path::new("/"));
    expand(&fsutil::normalize(&base.join(path_text)), repos, text)
}

/// Expands a (possibly glob) path into existing files, all inside some root.
fn expand(path: &Path, repos: &Repos, text: &str) -> Result<Vec<PathBuf>, Failure> {
    let outside = || {
        (
            Code::LocationTargetOutside,
            format!("Location target \"{text}\" lies outside every walked root"),
            "Locations may only point at files under the roots listed in stagedoor.yaml",
        )
    };
    if repos.root_of(path).is_none() {
        return Err(outside());
    }
    let slashed = fsutil::slash_path(path);
    let candidates = if slashed.contains(['*', '?', '[', '{']) {
        glob_files(&slashed)
    } else {
        vec![path.to_path_buf()]
    };
    let mut files = Vec::new();
    for c in candidates {
        let Ok(real) = c.canonicalize() else { continue };
        if !real.is_file() {
            continue;
        }
        if repos.root_of(&real).is_none() {
            return Err(outside());
        }
        files.push(real);
    }
    Ok(files)
}

/// Files matching an absolute glob, walking from its longest literal prefix.
fn glob_files(pattern: &str) -> Vec<PathBuf> {
    let literal_end = pattern.find(['*', '?', '[', '{']).unwrap_or(pattern.len());
    let base = &pattern[..pattern[..literal_end].rfind('/').unwrap_or(0)];
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(if base.is_empty() { "/" } else { base })
        .follow_links(false)
        .max_depth(32)
        .into_iter()
        // The pattern is written by hand and may go through a folder the user named `target`
        // or `dist` (the walk's first folder is checked too): only the other skipped folders
        // are left out.
        .filter_entry(|e| {
            e.file_name()
                .to_str()
                .is_none_or(|n| matches!(n, "target" | "dist") || !SKIPPED_DIRS.contains(&n))
        })
        .flatten()
        .filter(|e| e.file_type().is_file() && matcher.is_match(fsutil::slash_path(e.path())))
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Root;
    use std::fs;

    fn setup() -> (tempfile::TempDir, PathBuf, Repos) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().canonicalize().unwrap();
        for f in [
            "repo/groups/a.yaml",
            "repo/groups/b.yaml",
            "repo/groups/sub/c.yaml",
            "repo/users.yaml",
            "outside.yaml",
        ] {
            fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            fs::write(d.join(f), "x").unwrap();
        }
        let root = Root {
            path: d.join("repo"),
            repo_url: Some("https://github.com/o/repo".into()),
            branch: "main".into(),
            trusted: false,
            recorded: None,
        };
        (dir, d, Repos::new(&[root]))
    }

    fn t(text: &str) -> Target {
        Target {
            text: text.into(),
            line: 3,
            col: 5,
        }
    }

    #[test]
    fn globs_match_within_one_folder_level() {
        let (_g, d, roots) = setup();
        let r = resolve_targets(
            &[t("./groups/*.yaml")],
            &d.join("repo/catalog-info.yaml"),
            false,
            false,
            &roots,
            "location:default/x",
        );
        assert_eq!(
            r.files,
            [d.join("repo/groups/a.yaml"), d.join("repo/groups/b.yaml")]
        );
        assert!(r.diagnostics.is_empty());
        let r = resolve_targets(
            &[t("./groups/**/*.yaml")],
            &d.join("repo/catalog-info.yaml"),
            false,
            false,
            &roots,
            "x",
        );
        assert_eq!(r.files.len(), 3);
    }

    #[test]
    fn missing_outside_and_url_targets_are_reported() {
        let (_g, d, roots) = setup();
        let file = d.join("repo/catalog-info.yaml");
        let r = resolve_targets(
            &[
                t("./nope.yaml"),
                t("../outside.yaml"),
                t("https://example.org/x.yaml"),
            ],
            &file,
            false,
            false,
            &roots,
            "x",
        );
        let codes: Vec<Code> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::LocationTargetMissing,
                Code::LocationTargetOutside,
                Code::LocationTargetInvalid
            ]
        );
        assert!(r.files.is_empty());
        let r = resolve_targets(&[t("./nope.yaml")], &file, true, false, &roots, "x");
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn urls_into_a_walked_repository_read_the_checkout() {
        let (_g, d, roots) = setup();
        let r = resolve_targets(
            &[t("https://github.com/o/repo/blob/main/users.yaml")],
            &d.join("repo/x.yaml"),
            false,
            true,
            &roots,
            "x",
        );
        assert_eq!(r.files, [d.join("repo/users.yaml")]);
    }
}
