//! The `stagedoor` binary: parse arguments, run one command, map the outcome to an exit
//! code (0 ok, 1 build errors or strict warnings, 2 usage or config).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use stagedoor::build::{self, BuildOptions};
use stagedoor::cli::{BuildArgs, BundleArgs, CheckArgs, Cli, Command, PublishArgs, ServeArgs};
use stagedoor::config::{self, Overrides};
use stagedoor::diagnostics::{self, Counts, Diagnostic};
use stagedoor::progress::{Progress, Silent, Spinner};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => run_serve(args),
        Command::Publish(args) => run_publish(args),
        Command::Bundle(args) => run_bundle(args),
    }
}

fn load(site: &Path, overrides: &Overrides) -> Result<config::Loaded, ExitCode> {
    let loaded = config::load_config(site, overrides).map_err(|e| {
        eprintln!("error: cannot open site folder {}: {e}", site.display());
        ExitCode::from(2)
    })?;
    if loaded.is_fatal() {
        print_diagnostics(&loaded.diagnostics, &loaded.config.site_dir);
        eprintln!(
            "error: {} is not usable; fix the errors above",
            config::CONFIG_FILE
        );
        return Err(ExitCode::from(2));
    }
    Ok(loaded)
}

fn run_build(args: BuildArgs) -> ExitCode {
    let overrides = Overrides {
        out: args.out.clone(),
        base_url: args.base_url.clone(),
        no_directory_urls: args.no_directory_urls,
        bundles: args.bundles.clone(),
    };
    let mut loaded = match load(&args.site, &overrides) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let spinner = Spinner::for_terminal();
    let progress: &dyn Progress = spinner.as_ref().map_or(&Silent, |s| s as &dyn Progress);
    // Absolute, like the output folder: the fingerprint's walk compares absolute paths to
    // leave the cache out.
    let cwd = std::env::current_dir().unwrap_or_default();
    let cache_dir = (args.cache_dir.clone())
        .map(|c| stagedoor::fsutil::normalize(&cwd.join(c)))
        .or_else(|| loaded.config.cache_dir.clone())
        .unwrap_or_else(|| loaded.config.site_dir.join(stagedoor::cache::CACHE_DIR));
    // Held until the build is done with the bundles' copies.
    let _bundles = match add_bundles(&mut loaded, &cache_dir) {
        Ok(lock) => lock,
        Err(code) => return code,
    };
    let opts = BuildOptions {
        strict: args.strict,
        force: args.force,
        cache: (!args.no_cache).then_some(cache_dir),
        exits_after: true,
    };
    let report = match build::build_site(&loaded.config, loaded.diagnostics, opts, progress) {
        Ok(r) => r,
        Err(e) => {
            progress.finish();
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    print_diagnostics(&report.diagnostics, &loaded.config.site_dir);
    let written = if report.up_to_date && report.written {
        format!("{} is up to date (nothing changed)", report.out.display())
    } else if report.written {
        format!("wrote {}", report.out.display())
    } else {
        "nothing written (--strict)".to_string()
    };
    eprintln!(
        "{} entities, {} pages, {} in {:.2}s; {written}",
        report.entities,
        report.pages,
        summary(report.counts),
        report.elapsed.as_secs_f64()
    );
    if report.written {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// With `bundles:` (or `--bundles`): the bundled repositories, fetched into the cache folder
/// (also with `--no-cache`: they are where the build reads them), become roots.
fn add_bundles(
    loaded: &mut config::Loaded,
    cache_dir: &Path,
) -> Result<Option<stagedoor::write::OutputLock>, ExitCode> {
    let Some(bundles) = loaded.config.bundles.clone() else {
        return Ok(None);
    };
    let assembled = stagedoor::bundle::fetch::assemble(
        &bundles,
        &loaded.config.publish,
        cache_dir,
        BUNDLE_JOBS,
    )
    .map_err(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })?;
    let r = &assembled.report;
    let failed = if r.failed > 0 {
        format!(", {} left out", r.failed)
    } else {
        String::new()
    };
    eprintln!(
        "bundles from {}: {} listed, {} fetched ({} files, {}), {} unchanged{failed}",
        bundles.from,
        r.listed,
        r.fetched,
        r.blobs,
        stagedoor::fsutil::megabytes(r.bytes),
        r.unchanged
    );
    let config = &mut loaded.config;
    config.roots.extend(assembled.roots);
    config.roots.sort_by(|a, b| a.path.cmp(&b.path));
    config.bundle_checkouts = Some(assembled.checkouts);
    loaded.diagnostics.extend(assembled.diagnostics);
    Ok(Some(assembled.lock))
}

/// Bundles (and their blobs) fetched at once.
const BUNDLE_JOBS: usize = 32;

fn run_bundle(args: BundleArgs) -> ExitCode {
    let loaded = match load(&args.repo, &Overrides::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let repo = loaded.config.site_dir.clone();
    let name = args.name.clone().unwrap_or_else(|| {
        repo.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let opts = stagedoor::bundle::make::BundleOptions {
        repo,
        to: args.to.clone(),
        name: name.clone(),
        jobs: usize::from(args.jobs),
        exclude: args.exclude.clone(),
    };
    let report = match stagedoor::bundle::make::bundle(&opts, &loaded.config.publish) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    for skipped in &report.skipped {
        eprintln!("warning: left out of the bundle: {skipped}");
    }
    let state = if report.changed {
        format!(
            "{} blobs uploaded ({}), {} already there, {} deleted",
            report.uploaded,
            stagedoor::fsutil::megabytes(report.uploaded_bytes),
            report.unchanged,
            report.deleted
        )
    } else {
        "unchanged, nothing uploaded".to_string()
    };
    eprintln!(
        "bundled {name} ({} files) to {}/bundles/{name}/: {state} in {:.2}s",
        report.files,
        args.to.trim_end_matches('/'),
        report.elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}

fn run_check(args: CheckArgs) -> ExitCode {
    let mut loaded = match load(&args.site, &Overrides::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let cache_dir = (loaded.config.cache_dir.clone())
        .unwrap_or_else(|| loaded.config.site_dir.join(stagedoor::cache::CACHE_DIR));
    let _bundles = match add_bundles(&mut loaded, &cache_dir) {
        Ok(lock) => lock,
        Err(code) => return code,
    };
    let model = build::check_model(&loaded.config, loaded.diagnostics, &Silent);
    print_diagnostics(&model.diagnostics, &loaded.config.site_dir);
    let counts = diagnostics::count(&model.diagnostics);
    eprintln!(
        "{} entities checked, {}",
        model.catalog.len(),
        summary(counts)
    );
    let failed = counts.errors > 0 || (args.strict && counts.warnings > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(c: Counts) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning")
    )
}

fn print_diagnostics(diags: &[Diagnostic], site: &Path) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let base = std::env::current_dir()
        .ok()
        .filter(|cwd| site.starts_with(cwd))
        .unwrap_or_else(|| site.to_path_buf());
    eprint!("{}", diagnostics::format_diagnostics(diags, &base, color));
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let opts = stagedoor::serve::ServeOptions {
        site: args.site,
        port: args.port,
        bind: args.bind,
        watch: args.watch,
        open: args.open,
    };
    match stagedoor::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_publish(args: PublishArgs) -> ExitCode {
    let overrides = Overrides {
        out: args.out.clone(),
        ..Overrides::default()
    };
    let loaded = match load(&args.site, &overrides) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let settings = &loaded.config.publish;
    let Some(to) = args.to.clone().or_else(|| settings.to.clone()) else {
        eprintln!(
            "error: where to? pass --to s3://bucket/prefix (or gs://, az://, file://), or set publish.to in stagedoor.yaml"
        );
        return ExitCode::from(2);
    };
    let opts = stagedoor::publish::PublishOptions {
        dir: loaded.config.out.clone(),
        to: to.clone(),
        dry_run: args.dry_run,
        delete: !args.keep_deleted,
        jobs: usize::from(args.jobs),
        force: args.force,
    };
    let bar = stagedoor::progress::transfer_bar();
    let on_progress = |p: stagedoor::publish::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total_bytes);
            bar.set_position(p.bytes);
            bar.set_message(format!("{}/{} files", p.files, p.total_files));
        }
    };
    let result = stagedoor::publish::publish(&opts, settings, &on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return match e {
                stagedoor::publish::PublishError::Usage(_) => ExitCode::from(2),
                stagedoor::publish::PublishError::Store(_) => {
                    eprintln!("nothing was deleted; the site published before is still whole");
                    ExitCode::from(1)
                }
            };
        }
    };
    for line in &report.changes {
        println!("{line}");
    }
    let verb = if args.dry_run {
        "would publish"
    } else {
        "published"
    };
    let kept = if report.kept > 0 {
        format!(", {} removed pages kept", report.kept)
    } else {
        String::new()
    };
    eprintln!(
        "{verb} {} to {to}: {} uploaded ({}), {} unchanged, {} deleted{kept} in {:.2}s",
        loaded.config.out.display(),
        report.uploaded,
        stagedoor::fsutil::megabytes(report.uploaded_bytes),
        report.unchanged,
        report.deleted,
        report.elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}
