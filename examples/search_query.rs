//! Prints the ranked results stagedoor's search gives for queries over a site, the way the
//! browser ranks them: `cargo run --example search_query -- example-site payments "paym"`.

use std::path::Path;

use stagedoor::build::load_model;
use stagedoor::config::{Overrides, load_config};
use stagedoor::progress::Silent;
use stagedoor::search::build_search;
use stagedoor::urls::Urls;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let site = args.next().unwrap_or_else(|| "example-site".into());
    let loaded = load_config(Path::new(&site), &Overrides::default())?;
    let model = load_model(&loaded.config, loaded.diagnostics, &Silent);
    let search = build_search(
        &model.catalog,
        &model.docs,
        &model.api_refs,
        Urls {
            directory_urls: true,
        },
    );
    for q in args {
        println!("== {q}");
        for (i, d) in search.query(&q).iter().take(5).enumerate() {
            println!(
                "{}. [{}] {} — {} ({})",
                i + 1,
                d.kind_label,
                d.title,
                d.url,
                d.context
            );
        }
    }
    Ok(())
}
