//! The command line as the user typed it (clap); `main.rs` turns it into calls.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "stagedoor",
    version,
    about = "A static developer portal from catalog-info.yaml and TechDocs, without a server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the portal into the output folder.
    Build(BuildArgs),
    /// Parse and validate only; print diagnostics; exit 1 on any error.
    Check(CheckArgs),
    /// Build into a temporary folder and serve it on 127.0.0.1; with --watch, rebuild and
    /// reload open pages on every change.
    Serve(ServeArgs),
    /// Upload the built site to object storage (S3 and S3-compatible, GCS, Azure Blob, a
    /// folder): only what changed, assets before the pages that use them, deletes last.
    Publish(PublishArgs),
    /// In one repository's CI: publish its bundle (the files a portal build reads from it,
    /// content-addressed, with its commit dates) under URL/bundles/NAME/, for `build
    /// --bundles URL` to assemble the portal from without a checkout.
    Bundle(BundleArgs),
}

#[derive(clap::Args, Debug)]
pub struct BundleArgs {
    /// The repository (its checkout's top folder).
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Where the portal reads bundles: s3://bucket/prefix, gs://, az:// or file:///path.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// The repository's name in the portal (default: the folder's name); letters, digits,
    /// `.`, `_` and `-`.
    #[arg(long)]
    pub name: Option<String>,
    /// Uploads at once.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Leave out files and folders matching GLOB (a name at any depth, or a path with `/`
    /// from the repository's top). Only for what no build reads: the portal would otherwise
    /// differ from a build of the checkout. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct PublishArgs {
    /// The site folder (holding stagedoor.yaml) whose built output is published.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Where to: s3://bucket/prefix, gs://bucket/prefix, az://container/prefix or
    /// file:///path (default: `publish.to` in stagedoor.yaml).
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// The built site to publish (default: SITE/public, or `out` in stagedoor.yaml).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// List what would be uploaded and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete objects of pages the site no longer has (the default).
    #[arg(long, overrides_with = "keep_deleted")]
    pub delete: bool,
    /// Leave objects of removed pages in the bucket (they stop being tracked).
    #[arg(long, overrides_with = "delete")]
    pub keep_deleted: bool,
    /// Uploads at once.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Publish a folder that stagedoor did not build.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The site folder (holding stagedoor.yaml), or any repository.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Output folder (default: SITE/public, or `out` in stagedoor.yaml).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Public URL of the site, for canonical links and sitemap.xml.
    #[arg(long, value_parser = parse_web_url)]
    pub base_url: Option<String>,
    /// Fail (exit 1) and write nothing when there is any error or warning.
    #[arg(long)]
    pub strict: bool,
    /// Links end in index.html, for browsing from file:// or hosts without index files.
    #[arg(long)]
    pub no_directory_urls: bool,
    /// Replace a non-empty output folder that stagedoor did not create.
    #[arg(long)]
    pub force: bool,
    /// Build cache folder (default: `cache_dir` in stagedoor.yaml, else SITE/.stagedoor-cache);
    /// safe to delete at any time, and to share between builds running at once.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Build everything from scratch and keep no cache.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
    /// Also read the repositories bundled under URL/bundles/ (`stagedoor bundle`), fetching
    /// only bundles that changed since the last build into the cache folder.
    #[arg(long, value_name = "URL")]
    pub bundles: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The site folder (holding stagedoor.yaml), or any repository.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Also fail on warnings.
    #[arg(long)]
    pub strict: bool,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The site folder (holding stagedoor.yaml), or any repository.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on; the default keeps the preview on this machine.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Rebuild on every change and reload the open pages.
    #[arg(long)]
    pub watch: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// `--base-url` must be an absolute http(s) URL: it goes into every page's canonical link.
fn parse_web_url(s: &str) -> Result<String, String> {
    if crate::config::is_web_url(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "expected an absolute http or https URL, found \"{s}\""
        ))
    }
}
