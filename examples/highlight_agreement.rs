//! How often the fast lexers and syntect's grammars make code look the same, on the fenced
//! code blocks of any Markdown corpus: per language, the share of (non-blank) characters
//! whose style classes agree, and the commonest differences as
//! `chars  grammar scopes | lexer scopes  "sample"`.
//!
//! `cargo run --release --example highlight_agreement -- [--lang NAME] [--top N] DIR ...`

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use stagedoor::highlight::agreement::{self, Agreement, fenced_blocks};

struct Args {
    lang: Option<String>,
    top: usize,
    dirs: Vec<String>,
}

fn args() -> Args {
    let mut args = Args {
        lang: None,
        top: 12,
        dirs: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lang" => args.lang = it.next(),
            "--top" => args.top = it.next().and_then(|n| n.parse().ok()).unwrap_or(12),
            _ => args.dirs.push(a),
        }
    }
    args
}

fn main() {
    let args = args();
    let mut per_lang: BTreeMap<&'static str, (usize, Agreement)> = BTreeMap::new();
    for dir in &args.dirs {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            compare_file(path, &args, &mut per_lang);
        }
    }
    let mut total = Agreement::default();
    for (name, (blocks, a)) in &mut per_lang {
        println!(
            "{name:<12} {blocks:>7} blocks {:>10} chars {:>6.2}% alike",
            a.chars,
            100.0 * a.ratio()
        );
        print_diffs(a, args.top);
        total.chars += a.chars;
        total.same += a.same;
    }
    println!(
        "{:<12} {:>7}        {:>10} chars {:>6.2}% alike",
        "all",
        "",
        total.chars,
        100.0 * total.ratio()
    );
}

fn compare_file(
    path: &Path,
    args: &Args,
    per_lang: &mut BTreeMap<&'static str, (usize, Agreement)>,
) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for (lang, code) in fenced_blocks(&text) {
        let Some(name) = agreement::lexer_name(&lang) else {
            continue;
        };
        if args.lang.as_deref().is_some_and(|l| l != name) {
            continue;
        }
        if let Some(a) = agreement::compare(&code, &lang) {
            let entry = per_lang.entry(name).or_default();
            entry.0 += 1;
            entry.1.add(a);
        }
    }
}

/// The `top` commonest differences by characters, with up to three sample texts each.
fn print_diffs(a: &Agreement, top: usize) {
    let mut by_kind: HashMap<(&str, &str), (usize, Vec<&str>)> = HashMap::new();
    for (text, grammar, lexer) in &a.diffs {
        let e = by_kind.entry((grammar, lexer)).or_default();
        e.0 += text.chars().count();
        if e.1.len() < 3 && !e.1.contains(&text.as_str()) {
            e.1.push(text);
        }
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    for ((grammar, lexer), (chars, samples)) in kinds.into_iter().take(top) {
        println!("    {chars:>8}  {grammar} | {lexer}  {samples:?}");
    }
}
