//! The real trees in `../shared/corpus`: every page renders without a panic or an
//! error-severity diagnostic, and pages that use the block extensions get their HTML.
//! Skipped (with a note) when the corpus is not there, and failed when CI is set.

use std::path::{Path, PathBuf};

use stagedoor::diagnostics::Severity;
use stagedoor::markdown::{KeepLinks, MarkdownOptions, Rendered, render_markdown};

use crate::shared_corpus::{corpus, corpus_root};

const TREES: &[&str] = &[
    "mkdocs-material-docs",
    "mkdocs-docs",
    "backstage-examples/backstage-demo",
];

fn pages(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join("docs"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    out.sort();
    out
}

fn render(file: &Path, root: &Path) -> (String, Rendered) {
    let text = std::fs::read_to_string(file).expect("readable page");
    let r = render_markdown(&text, &MarkdownOptions::new(file, root), &mut KeepLinks);
    (text, r)
}

/// The HTML with `<pre>…</pre>` blocks removed (code may show Markdown syntax).
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</pre>") {
            Some(end) => rest = &rest[start + end + 6..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Whether a construct appears at the start of a line outside fenced code in the source.
fn uses(source: &str, prefix: &str) -> bool {
    let mut in_fence = false;
    for line in source.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && t.starts_with(prefix) && line.len() - t.len() <= 12 {
            return true;
        }
    }
    false
}

#[test]
fn corpus_pages_render_cleanly() {
    let roots: Vec<PathBuf> = TREES.iter().filter_map(|rel| corpus(rel)).collect();
    if roots.is_empty() {
        eprintln!(
            "note: {} is absent; corpus test skipped",
            corpus_root().display()
        );
        return;
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for root in &roots {
        for file in pages(root) {
            let (source, r) = render(&file, root);
            checked += 1;
            let name = file.display();
            for d in r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                problems.push(format!("{name}: error {} {}", d.code.id(), d.message));
            }
            let html = outside_code(&r.html);
            for line in html.lines() {
                if line.starts_with("!!! ")
                    || line.starts_with("??? ")
                    || line.starts_with("=== \"")
                {
                    problems.push(format!("{name}: literal block syntax in output: {line}"));
                }
            }
            let expect = [
                ("!!! ", "class=\"admonition"),
                ("??? ", "<details"),
                ("=== \"", "class=\"tabbed-set tabbed-alternate\""),
                ("```", "highlight\">"),
                ("[^", "class=\"footnote\""),
                ("|--", "<table>"),
                ("| --", "<table>"),
            ];
            for (syntax, element) in expect {
                if uses(&source, syntax) && !r.html.contains(element) {
                    problems.push(format!("{name}: uses `{syntax}` but has no `{element}`"));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} corpus pages found");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Regression: the demo's lists.md is TechDocs' own example of 2-space nesting
/// (CommonMark would make the sub-items siblings).
#[test]
fn demo_lists_nest_with_two_spaces() {
    let Some(file) = corpus("backstage-examples/backstage-demo/docs/examples/lists.md") else {
        return;
    };
    let Some(root) = corpus("backstage-examples/backstage-demo") else {
        return;
    };
    let (_, r) = render(&file, &root);
    let html: String = r
        .html
        .split("<h2 id=\"markdown\"")
        .next()
        .unwrap_or_default()
        .replace('\n', "");
    let expected = "<ol><li>A list item</li><li>Another list item<ol><li>The first sub item</li>\
<li>Another sub item<ol><li>Oh wait, we have a deeply nested item here</li>\
<li>Why not another, you might need it!</li></ol></li><li>A third and final sub item</li></ol></li>\
<li>The last item in this list</li></ol>";
    assert!(html.contains(expected), "nesting differs:\n{html}");
}
