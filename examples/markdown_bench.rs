//! Markdown rendering speed over the shared corpora: renders every page N times (in
//! parallel, as the build does) and prints pages per second.
//!
//! `cargo run --release --example markdown_bench [-- --rounds N] [DIR ...]`
//!   With folders, renders every `.md` under them instead of the shared corpora; a page's
//!   snippet base is the nearest folder above it holding `mkdocs.yml` (else the folder given).
//!   `RAYON_NUM_THREADS=1` measures one thread.
//!   `--cold` empties the highlighter's line memo before every round, so repeated rounds
//!   measure what a build (every page once) does rather than a warm memo.
//! `… -- --hashes OUT [DIR ...]` renders each page once and writes one line per page: its path
//!   and a BLAKE3 hash of everything `render_markdown` returned (HTML, headings, sections,
//!   diagnostics, …), for comparing output before and after a change.
//! `… -- --dump OUT_DIR [DIR ...]` writes each page's HTML under `OUT_DIR`, for diffing.
//! `… -- --render page.md` prints one page's HTML.
//! `--markup scopes` highlights code in scope markup (the default is style markup): the
//! markup pages had before issue 17, for checking that nothing else changed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use stagedoor::highlight::Markup;
use stagedoor::markdown::{KeepLinks, MarkdownOptions, render_markdown};

/// The options every page is rendered with (`--markup` sets the markup).
fn options(file: &Path, base: &Path, markup: Markup) -> MarkdownOptions {
    let mut opts = MarkdownOptions::new(file, base);
    opts.markup = markup;
    opts
}

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

type Page = (PathBuf, PathBuf, String);

fn read_tree(dir: &Path, base: impl Fn(&Path) -> PathBuf, out: &mut Vec<Page>) {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().is_some_and(|e| e == "md")
            && let Ok(text) = std::fs::read_to_string(entry.path())
        {
            let base = base(entry.path());
            out.push((entry.path().to_path_buf(), base, text));
        }
    }
}

/// The shared corpora, each page's snippet base its tree's root.
fn corpus_pages() -> Vec<Page> {
    let mut out = Vec::new();
    for (root, docs) in TREES {
        let root = Path::new(root);
        read_tree(&root.join(docs), |_| root.to_path_buf(), &mut out);
    }
    out
}

/// Every page under `dirs`, each page's snippet base the nearest folder with `mkdocs.yml`.
fn folder_pages(dirs: &[String]) -> Vec<Page> {
    let mut out = Vec::new();
    for dir in dirs {
        let dir = Path::new(dir);
        let base = |file: &Path| {
            file.ancestors()
                .skip(1)
                .take_while(|a| a.starts_with(dir))
                .find(|a| a.join("mkdocs.yml").is_file())
                .unwrap_or(dir)
                .to_path_buf()
        };
        read_tree(dir, base, &mut out);
    }
    out
}

/// The value after `flag`, removed from `args` with the flag.
fn take_value(args: &mut Vec<String>, flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    args.remove(i);
    (i < args.len()).then(|| args.remove(i))
}

fn render_one(args: &[String], file: &str) {
    let file = PathBuf::from(file);
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
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(file) = take_value(&mut args, "--render") {
        render_one(&args, &file);
        return;
    }
    let rounds: usize = take_value(&mut args, "--rounds")
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let cold = args.iter().any(|a| a == "--cold");
    let markup = match take_value(&mut args, "--markup").as_deref() {
        Some("scopes") => Markup::Scopes,
        _ => Markup::Styles,
    };
    let hashes = take_value(&mut args, "--hashes");
    let dump = take_value(&mut args, "--dump");
    let dirs: Vec<String> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
    let pages = if dirs.is_empty() {
        corpus_pages()
    } else {
        folder_pages(&dirs)
    };
    if pages.is_empty() {
        println!("no pages found; nothing to measure");
        return;
    }
    if let Some(out) = hashes {
        let lines: Vec<String> = pages
            .par_iter()
            .map(|(file, base, text)| {
                let r = render_markdown(text, &options(file, base, markup), &mut KeepLinks);
                let hash = blake3::hash(format!("{r:?}").as_bytes());
                format!("{hash} {}\n", file.display())
            })
            .collect();
        std::fs::write(&out, lines.concat()).expect("writable hash file");
        println!("{} page hashes written to {out}", lines.len());
        return;
    }
    if let Some(out) = dump {
        pages.par_iter().for_each(|(file, base, text)| {
            let r = render_markdown(text, &options(file, base, markup), &mut KeepLinks);
            let rel = file.strip_prefix("/").unwrap_or(file);
            let path = Path::new(&out).join(rel).with_extension("html");
            let _ = std::fs::create_dir_all(path.parent().expect("a parent"));
            std::fs::write(&path, &r.html).expect("writable dump");
        });
        println!("{} pages written under {out}", pages.len());
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
        if cold {
            rayon::broadcast(|_| stagedoor::highlight::clear_line_memo());
        }
        pages.par_iter().for_each(|(file, base, text)| {
            let r = render_markdown(text, &options(file, base, markup), &mut KeepLinks);
            std::hint::black_box(r.html.len());
        });
    }
    let secs = start.elapsed().as_secs_f64();
    let n = pages.len() * rounds;
    println!(
        "{} pages ({} KiB) x {rounds} rounds{} on {} threads: {:.2}s, {:.0} pages/s, {:.1} MiB/s",
        pages.len(),
        bytes / 1024,
        if cold { " (cold memo)" } else { "" },
        rayon::current_num_threads(),
        secs,
        n as f64 / secs,
        (bytes * rounds) as f64 / secs / 1024.0 / 1024.0
    );
}
