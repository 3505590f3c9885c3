//! Markdown rendering speed over the shared corpora: renders every page N times (in
//! parallel, as the build does) and prints pages per second.
//!
//! `cargo run --release --example markdown_bench [-- --rounds N]`
//! `cargo run --release --example markdown_bench -- --render page.md` prints one page's HTML.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use stagedoor::docs::markdown::{KeepLinks, MarkdownOptions, render_markdown};

const TREES: &[(&str, &str)] = &[
    ("/work/shared/corpus/mkdocs-material-docs", "docs"),
    ("/work/shared/corpus/mkdocs-docs", "docs"),
    (
        "/work/shared/corpus/backstage-examples/backstage-demo",
        "docs",
    ),
    (
        "/work/shared/corpus/techdocs-core-fixture/test-fixtures",
        "docs",
    ),
];

fn pages() -> Vec<(PathBuf, PathBuf, String)> {
    let mut out = Vec::new();
    for (root, docs) in TREES {
        let root = Path::new(root);
        for entry in walkdir::WalkDir::new(root.join(docs)).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                out.push((entry.path().to_path_buf(), root.to_path_buf(), text));
            }
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--render") {
        let file = PathBuf::from(args.get(i + 1).expect("--render needs a file"));
        let text = std::fs::read_to_string(&file).expect("readable file");
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut opts = MarkdownOptions::new(&file, base);
        opts.linenums = !args.iter().any(|a| a == "--no-linenums");
        let r = render_markdown(&text, &opts, &mut KeepLinks);
        print!("{}", r.html);
        for d in &r.diagnostics {
            eprintln!(
                "{:?} {} {:?}:{:?} {}",
                d.severity,
                d.code.id(),
                d.file,
                d.line,
                d.message
            );
        }
        eprintln!("unsupported: {:?}", r.unsupported);
        return;
    }
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let pages = pages();
    if pages.is_empty() {
        println!("no corpus pages found under /work/shared; nothing to measure");
        return;
    }
    let bytes: usize = pages.iter().map(|p| p.2.len()).sum();
    // Warm up: loads the syntax set once, as a real build does.
    let _ = render_markdown(
        "```rust\nfn x() {}\n```\n",
        &MarkdownOptions::new("/w.md", "/"),
        &mut KeepLinks,
    );
    let start = Instant::now();
    for _ in 0..rounds {
        pages.par_iter().for_each(|(file, base, text)| {
            let r = render_markdown(text, &MarkdownOptions::new(file, base), &mut KeepLinks);
            std::hint::black_box(r.html.len());
        });
    }
    let secs = start.elapsed().as_secs_f64();
    let n = pages.len() * rounds;
    println!(
        "{} pages ({} KiB) x {rounds} rounds on {} threads: {:.2}s, {:.0} pages/s, {:.1} MiB/s",
        pages.len(),
        bytes / 1024,
        rayon::current_num_threads(),
        secs,
        n as f64 / secs,
        (bytes * rounds) as f64 / secs / 1024.0 / 1024.0
    );
}
