//! The pipeline's direction, checked: a module of `src/` may use modules of its own tier or
//! an earlier one, never a later one (`docs` may use `catalog`, `catalog` may not use
//! `docs`). Every top-level module must have a tier, so a new module is placed on purpose.

use std::collections::BTreeSet;
use std::path::Path;

/// In pipeline order. The first tier is shared ground every stage may use.
const TIERS: &[&[&str]] = &[
    &[
        "console",
        "progress",
        "fsutil",
        "html",
        "text",
        "yaml",
        "diagnostics",
        "highlight",
        "output",
        "parallel",
        "readahead",
    ],
    &["config", "cli"],
    &["repos"],
    &["discover"],
    &["catalog"],
    &["urls"],
    &["markdown"],
    &["apiref"],
    &["cache"],
    &["docs"],
    &["radar"],
    &["scorecard"],
    &["model"],
    &["badge", "graph"],
    &["search"],
    &["theme"],
    &["render"],
    &["write"],
    &["build"],
    &["publish", "serve", "bundle"],
];

fn tier_of(module: &str) -> Option<usize> {
    TIERS.iter().position(|t| t.contains(&module))
}

/// The top-level module a file under `src/` belongs to (`docs/links.rs` → `docs`).
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy());
    first
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_string()
}

/// Every top-level module a source text names through `crate::`, also inside
/// `use crate::{a, b::c}` groups.
fn used_modules(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        } else {
            used.insert(ident(rest));
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("src/ entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src/");
        let module = module_of(rel);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = tier_of(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no tier in tests/layering.rs",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        for used in used_modules(&text) {
            match tier_of(&used) {
                Some(t) if t > own => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, a later stage",
                    rel.display()
                )),
                None if used != module => wrong.push(format!(
                    "{}: `{used}` has no tier in tests/layering.rs",
                    rel.display()
                )),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_scanner_sees_grouped_and_nested_uses() {
    let text = "use crate::docs::Docs;\nuse crate::{catalog::Catalog, urls};\nlet x = crate::render::views::x();";
    let used: Vec<String> = used_modules(text).into_iter().collect();
    assert_eq!(used, ["catalog", "docs", "render", "urls"]);
}
