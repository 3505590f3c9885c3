//! The preview server's HTTP side (axum): the built folder as static files — right content
//! types, `index.html` for folders, the site's own 404 page, nothing outside the folder — and,
//! in watch mode, a Server-Sent Events channel that tells open pages to reload or to show the
//! build's errors.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

const LIVE_SCRIPT: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__stagedoor/live.js\"></script>";

/// One build error as the overlay shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShownError {
    pub code: String,
    pub location: Option<String>,
    pub message: String,
}

/// What open pages are told after a rebuild.
#[derive(Clone, Debug)]
pub enum Notice {
    /// The build succeeded: reload.
    Reload,
    /// The build has errors: show them (the page keeps its content).
    Errors(Vec<ShownError>),
}

#[derive(Clone)]
pub struct ServerState {
    /// Canonical folder being served.
    pub root: PathBuf,
    /// Watch mode: inject the live-reload script and serve the events channel.
    pub live: bool,
    pub notices: broadcast::Sender<Notice>,
    /// The errors of the latest build, sent to each page as it connects.
    pub errors: Arc<RwLock<Vec<ShownError>>>,
}

pub fn router(state: ServerState) -> Router {
    Router::new()
        .route("/__stagedoor/events", get(events))
        .route("/__stagedoor/status", get(status))
        .route("/__stagedoor/live.js", get(live_js))
        .fallback(static_file)
        .with_state(state)
}

fn status_json(errors: &[ShownError]) -> String {
    serde_json::json!({ "errors": errors }).to_string()
}

async fn status(State(st): State<ServerState>) -> impl IntoResponse {
    let errors = st.errors.read().map(|e| e.clone()).unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "application/json")],
        status_json(&errors),
    )
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_SCRIPT,
    )
}

/// The events channel: the current status first, then a notice after every rebuild.
async fn events(
    State(st): State<ServerState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let errors = st.errors.read().map(|e| e.clone()).unwrap_or_default();
    let first = tokio_stream::once(Ok(Event::default()
        .event("status")
        .data(status_json(&errors))));
    let rest = BroadcastStream::new(st.notices.subscribe()).filter_map(|n| {
        n.ok().map(|n| {
            Ok(match n {
                Notice::Reload => Event::default().event("reload").data("{}"),
                Notice::Errors(e) => Event::default().event("status").data(status_json(&e)),
            })
        })
    });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

/// Where a request path leads inside the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
    /// A path that tries to leave the folder, or cannot be a file name.
    Bad,
}

/// Resolves a raw (still percent-encoded) request path against the canonical `root`,
/// refusing `..` (however encoded), backslashes, NULs, and symlinks that point out of `root`.
pub fn resolve(root: &Path, raw: &str) -> Resolved {
    if raw.contains('\\') {
        return Resolved::Bad;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::Bad;
    };
    if decoded.contains(['\\', '\0']) {
        return Resolved::Bad;
    }
    let rel = decoded.trim_start_matches('/');
    let rel_path = Path::new(rel);
    if !rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Resolved::Bad;
    }
    let Ok(real) = root.join(rel_path).canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !raw.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    Resolved::File(real)
}

async fn static_file(State(st): State<ServerState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    let response = match resolve(&st.root, uri.path()) {
        Resolved::File(path) => file_response(&st, &path, StatusCode::OK).await,
        Resolved::Redirect(to) => {
            let to = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Resolved::NotFound => not_found(&st).await,
        Resolved::Bad => (StatusCode::BAD_REQUEST, "bad path").into_response(),
    };
    if method == Method::HEAD {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

async fn not_found(st: &ServerState) -> Response {
    let page = st.root.join("404.html");
    if page.is_file() {
        file_response(st, &page, StatusCode::NOT_FOUND).await
    } else {
        (StatusCode::NOT_FOUND, "not found").into_response()
    }
}

async fn file_response(st: &ServerState, path: &Path, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let size = tokio::fs::metadata(path).await.map_or(0, |m| m.len());
    let mut response = if !is_html && size > STREAM_ABOVE {
        let Ok(file) = std::fs::File::open(path) else {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        };
        let mut r = (status, streamed_body(file)).into_response();
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        r
    } else {
        let Ok(mut bytes) = tokio::fs::read(path).await else {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        };
        if is_html && st.live {
            bytes = inject_live_script(bytes);
        }
        (status, bytes).into_response()
    };
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".to_string()
        }
        _ => mime.essence_str().to_string(),
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // A preview is edited all the time: never let the browser keep a stale copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Files above this size are streamed from disk in chunks rather than read whole, so that
/// requests for a large download (a video in a docs folder) do not each hold all of it.
const STREAM_ABOVE: u64 = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// A body read from `file` chunk by chunk on a blocking thread; a client that hangs up drops
/// the receiver, which ends the reading.
fn streamed_body(mut file: std::fs::File) -> Body {
    use std::io::Read;
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<axum::body::Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        loop {
            let mut buf = vec![0u8; CHUNK];
            let chunk = match file.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    Ok(axum::body::Bytes::from(buf))
                }
                Err(e) => Err(e),
            };
            let failed = chunk.is_err();
            if tx.blocking_send(chunk).is_err() || failed {
                return;
            }
        }
    });
    Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject_live_script(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{LIVE_TAG}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{LIVE_TAG}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("docs/a")).unwrap();
        std::fs::write(root.join("index.html"), "<html><body>home</body></html>").unwrap();
        std::fs::write(root.join("docs/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn folders_serve_their_index_and_redirect_without_a_slash() {
        let (_d, root) = site();
        assert_eq!(resolve(&root, "/"), Resolved::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/docs/a/"),
            Resolved::File(root.join("docs/a/index.html"))
        );
        assert_eq!(
            resolve(&root, "/docs/a"),
            Resolved::Redirect("/docs/a/".into())
        );
        assert_eq!(resolve(&root, "/docs/"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/nope.html"), Resolved::NotFound);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        let (_d, root) = site();
        for raw in [
            "/../secret.txt",
            "/docs/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/docs\\..\\..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/a%00b",
        ] {
            assert_eq!(resolve(&root, raw), Resolved::Bad, "{raw}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_not_followed() {
        let (d, root) = site();
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        assert_eq!(resolve(&root, "/leak.txt"), Resolved::NotFound);
    }

    #[test]
    fn the_live_script_goes_before_the_body_end() {
        let out =
            String::from_utf8(inject_live_script(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert_eq!(out, format!("<html><body>x{LIVE_TAG}</body></html>"));
    }
}
