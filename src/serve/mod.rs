//! serve = build + file watcher + static server + live reload. The site is built into a
//! temporary folder (never the user's `public/`) by an incremental `Session`; with `--watch`,
//! each batch of changes is applied and every open page is told to reload, or to show the
//! errors, only after the rebuild is written.

pub mod http;
pub mod session;
pub mod watch;

use std::future::IntoFuture;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::sync::broadcast;

use crate::console;
use crate::diagnostics::{self, Diagnostic};
use http::{Notice, ServerState, ShownError};
use session::Session;

/// Quiet time after the last file event before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// The overlay lists at most this many errors.
const MAX_SHOWN: usize = 50;

pub struct ServeOptions {
    pub site: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub watch: bool,
    pub open: bool,
}

/// Builds, serves until Ctrl-C, and (with `watch`) rebuilds on every change.
pub fn run(opts: ServeOptions) -> Result<()> {
    let temp = tempfile::Builder::new()
        .prefix("stagedoor-serve-")
        .tempdir()
        .context("creating a temporary folder")?;
    let out = temp.path().join("site");
    let session = Session::start(&opts.site, &out)?;
    report_build(&session);
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr()?;
    let (notices, _) = broadcast::channel(64);
    let state = ServerState {
        root: out.canonicalize().context("the served folder")?,
        live: opts.watch,
        notices,
        errors: Arc::new(RwLock::new(shown_errors(
            &session.errors(),
            &session.config.site_dir,
        ))),
    };
    let url = format!("http://{addr}/");
    console::out(format_args!(
        "Serving {} at {url}",
        session.config.site_dir.display()
    ));
    if opts.watch {
        let watcher = watch::Watcher::new(&session.watched(), session.out(), DEBOUNCE)?;
        let how = if watcher.polling {
            "polling"
        } else {
            "watching"
        };
        console::out(format_args!(
            "{how} {} folders for changes; open pages reload after each rebuild",
            watcher.folder_count()
        ));
        let st = state.clone();
        std::thread::spawn(move || watch_loop(session, watcher, st));
    }
    if opts.open {
        let _ = opener::open(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Not a graceful shutdown: every open page holds its reload stream, which would keep
        // the server waiting for ever after Ctrl-C.
        tokio::select! {
            served = axum::serve(listener, http::router(state)).into_future() => served,
            () = quit_signal() => Ok(()),
        }
    })?;
    runtime.shutdown_background();
    drop(temp);
    console::err(format_args!("stopped; the temporary site is removed"));
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one (a process manager, `kill`, a test).
async fn quit_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves a finished folder (no build, no live reload) from a background thread until the
/// process ends; returns its address. Tests and benchmarks use it to look at a built site.
pub fn serve_folder(root: &std::path::Path) -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let (notices, _) = broadcast::channel(1);
    let state = ServerState {
        root: root
            .canonicalize()
            .with_context(|| format!("serving {}", root.display()))?,
        live: false,
        notices,
        errors: Arc::default(),
    };
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = axum::serve(listener, http::router(state)).await;
            }
        })
    });
    Ok(addr)
}

/// Binds the address, explaining what to do when the port is taken.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    let addr = SocketAddr::new(ip, port);
    match TcpListener::bind(addr) {
        Ok(l) => {
            if !ip.is_loopback() {
                console::err(format_args!(
                    "warning: serving on {ip}, reachable from other machines; the default is 127.0.0.1"
                ));
            }
            Ok(l)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            bail!(
                "port {port} on {ip} is already in use; choose another with --port (for example --port {}), or --port 0 for any free port",
                port.wrapping_add(1).max(1024)
            )
        }
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}

fn report_build(session: &Session) {
    let diags = &session.model.diagnostics;
    let base = std::env::current_dir().unwrap_or_default();
    console::err_text(&diagnostics::format_diagnostics(diags, &base, false));
    let c = diagnostics::count(diags);
    console::err(format_args!(
        "built {} entities, {} docs pages: {} errors, {} warnings",
        session.model.catalog.len(),
        session.model.docs.page_count(),
        c.errors,
        c.warnings
    ));
}

fn shown_errors(errors: &[&Diagnostic], base: &std::path::Path) -> Vec<ShownError> {
    errors
        .iter()
        .take(MAX_SHOWN)
        .map(|d| ShownError {
            code: d.code.id().to_string(),
            location: d.location(base),
            message: d.message.clone(),
        })
        .collect()
}

/// Applies each batch of changes, then notifies the open pages (the session refreshes the
/// search index in the background).
fn watch_loop(mut session: Session, mut watcher: watch::Watcher, state: ServerState) {
    while let Some(batch) = watcher.next_batch() {
        let notice = match session.apply(&batch) {
            Ok(applied) if applied.scope.is_none() => continue,
            Ok(applied) => {
                let errors = shown_errors(&session.errors(), &session.config.site_dir);
                let errors_before = state.errors.read().map(|e| e.clone()).unwrap_or_default();
                // A save that changed no output (an editor touching a file, a formatter
                // rewriting it alike) reloads nothing: the reader keeps their place.
                if applied.files_written == 0 && errors == errors_before {
                    console::err(format_args!(
                        "checked ({}) in {:.0} ms, nothing changed",
                        applied.scope.unwrap_or("site"),
                        applied.elapsed.as_secs_f64() * 1000.0
                    ));
                    continue;
                }
                console::err(format_args!(
                    "rebuilt ({}) in {:.0} ms, {} files written{}",
                    applied.scope.unwrap_or("site"),
                    applied.elapsed.as_secs_f64() * 1000.0,
                    applied.files_written,
                    if errors.is_empty() {
                        String::new()
                    } else {
                        format!(", {} errors", errors.len())
                    }
                ));
                let before = state
                    .errors
                    .write()
                    .map(|mut e| std::mem::replace(&mut *e, errors.clone()))
                    .unwrap_or_default();
                // New errors are shown over the last good page; otherwise the page reloads
                // (and shows errors that were there before once it reconnects).
                if errors.is_empty() || errors == before {
                    Notice::Reload
                } else {
                    Notice::Errors(errors)
                }
            }
            Err(e) => {
                console::err(format_args!("error: {e:#}"));
                Notice::Errors(vec![ShownError {
                    code: "build".into(),
                    location: None,
                    message: format!("{e:#}"),
                }])
            }
        };
        let _ = state.notices.send(notice);
        session.refresh_search();
    }
}
