//! `import "x.proto"` → the imported files' definitions, read only from inside the
//! repository (`Source.root`). A path is looked for beside the importing file, then in each
//! folder above it up to the root, which finds it whichever folder `protoc -I` named; a path
//! that leaves the root, itself or through a symbolic link, is refused with a diagnostic.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::parse::{Proto, parse_proto};
use super::syntax_diagnostics;
use crate::apiref::Source;
use crate::diagnostics::{Code, Diagnostic};

/// Imports followed per definition: a guard against huge or generated import trees.
const MAX_FILES: usize = 64;
/// Imported files larger than this are not read.
const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// An imported file: its path relative to the root, and what it defines.
pub struct Imported {
    pub path: String,
    pub proto: Proto,
}

/// One `import` to follow: the path as written, and the file and line it is written at.
struct Pending {
    import: String,
    from: PathBuf,
    line: usize,
}

/// Reads every file `proto` imports, directly or through other imports, breadth first.
pub fn load(source: &Source<'_>, proto: &Proto, diags: &mut Vec<Diagnostic>) -> Vec<Imported> {
    let Ok(root) = source.root.canonicalize() else {
        return Vec::new();
    };
    let from = source
        .file
        .canonicalize()
        .unwrap_or_else(|_| source.file.to_path_buf());
    let mut queue: Vec<Pending> = proto
        .imports
        .iter()
        .map(|(import, line)| Pending {
            import: import.clone(),
            from: from.clone(),
            line: source.line + line - 1,
        })
        .collect();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::from([from]);
    let mut out = Vec::new();
    let mut next = 0;
    while let Some(p) = queue.get(next) {
        next += 1;
        let path = match resolve(&p.import, &p.from, &root) {
            Resolved::WellKnown => continue,
            Resolved::File(path) => path,
            Resolved::Refused(why) => {
                diags.push(
                    Diagnostic::new(
                        Code::ApiImportRefused,
                        format!("import \"{}\" {why}", p.import),
                    )
                    .at(&p.from, p.line, 1),
                );
                continue;
            }
        };
        if !seen.insert(path.clone()) {
            continue;
        }
        if out.len() >= MAX_FILES {
            break;
        }
        let Some(text) = read_small(&path) else {
            diags.push(
                Diagnostic::new(
                    Code::ApiImportRefused,
                    format!("import \"{}\" cannot be read (or is over 2 MiB)", p.import),
                )
                .at(&p.from, p.line, 1),
            );
            continue;
        };
        let imported = parse_proto(&text);
        let file_source = Source {
            text: &text,
            file: &path,
            line: 1,
            root: &root,
            markup: Default::default(),
        };
        diags.extend(syntax_diagnostics(&imported, &file_source, 1));
        queue.extend(imported.imports.iter().map(|(import, line)| Pending {
            import: import.clone(),
            from: path.clone(),
            line: *line,
        }));
        let shown = path.strip_prefix(&root).unwrap_or(&path);
        out.push(Imported {
            path: shown.to_string_lossy().replace('\\', "/"),
            proto: imported,
        });
    }
    out
}

enum Resolved {
    /// `google/protobuf/…`: protoc's own types, never in the repository.
    WellKnown,
    File(PathBuf),
    /// Why it is not read.
    Refused(&'static str),
}

/// Finds `import` for a file at `from` (canonical) without reading anything outside `root`.
fn resolve(import: &str, from: &Path, root: &Path) -> Resolved {
    if import.starts_with("google/protobuf/") {
        return Resolved::WellKnown;
    }
    let rel = Path::new(import);
    if rel.has_root() || rel.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Resolved::Refused("is an absolute path; imports are read from the repository only");
    }
    let mut escaped = false;
    let mut dir = from.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(root)) {
        dir = d.parent();
        // Checked on the path as written before the file system is asked anything.
        let Some(candidate) = normalize(&d.join(rel)).filter(|c| c.starts_with(root)) else {
            escaped = true;
            continue;
        };
        if !candidate.is_file() {
            continue;
        }
        return match candidate.canonicalize() {
            Ok(real) if real.starts_with(root) => Resolved::File(real),
            _ => Resolved::Refused(
                "leads outside the repository through a symbolic link; it is not read",
            ),
        };
    }
    if escaped {
        Resolved::Refused("leaves the repository; it is not read")
    } else {
        Resolved::Refused("is not in the repository beside the definition or in a folder above it")
    }
}

/// `path` with `.` and `..` resolved lexically; None when `..` climbs above its root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > MAX_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}
