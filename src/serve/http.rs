//! The preview server's HTTP side (axum): the built folder as static files — tower-http's
//! `ServeDir`, kept inside the folder, with right content types, no caching, the site's own
//! 404 page and (in watch mode) the live-reload script — and, in watch mode, a Server-Sent
//! Events channel that tells open pages to reload or to show the build's errors.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mime_guess::mime;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower_http::services::fs::{Backend, TokioBackend, TokioFile};
use tower_http::services::{ServeDir, ServeFile};

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
        .fallback_service(static_files(&state))
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

/// The served folder. `ServeDir` answers (a folder's `index.html`, a redirect for a folder
/// asked for without its slash, large files streamed, 405 for other methods); `finish` turns
/// away paths that try to leave the folder and finishes each answer.
fn static_files(st: &ServerState) -> Router {
    let files = ServeDir::with_backend(&st.root, InsideRoot(Arc::new(st.root.clone())))
        .not_found_service(ServeFile::new(st.root.join("404.html")));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(st.live, finish))
}

async fn finish(State(live): State<bool>, mut req: Request, next: Next) -> Response {
    if is_bad_path(req.uri().path()) {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    }
    forget_validators(req.headers_mut());
    let inject = live && req.method() == Method::GET;
    let mut response = next.run(req).await;
    if response.status() == StatusCode::TEMPORARY_REDIRECT {
        // The slash form of a folder is its address for good.
        *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    }
    let is_html = finish_headers(response.headers_mut());
    let whole = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if inject && is_html && whole {
        return with_live_script(response).await;
    }
    response
}

/// Validators have a resolution of a second and a rebuild is quicker: a file asked for again
/// always comes whole, as if the browser had kept nothing.
fn forget_validators(request: &mut HeaderMap) {
    for h in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_MATCH,
        header::IF_UNMODIFIED_SINCE,
    ] {
        request.remove(h);
    }
}

/// No caching and a named charset; returns whether the response is an HTML page.
fn finish_headers(headers: &mut HeaderMap) -> bool {
    headers.remove(header::ETAG);
    headers.remove(header::LAST_MODIFIED);
    // A preview is edited all the time: never let the browser keep a stale copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    name_the_charset(headers)
}

/// Whether a raw (still percent-encoded) request path tries to leave the folder, however it
/// is spelled (`..`, `%2e%2e`, `%2f`, backslashes), or cannot be a file name.
fn is_bad_path(raw: &str) -> bool {
    if raw.contains('\\') {
        return true;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return true;
    };
    decoded.contains(['\\', '\0'])
        || !Path::new(decoded.trim_start_matches('/'))
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Text says it is UTF-8 (as every file of the site is) and JavaScript goes by its current
/// name; returns whether the response is an HTML page.
fn name_the_charset(headers: &mut HeaderMap) -> bool {
    let Some(guessed) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    let essence = guessed.essence_str();
    let named = if guessed.type_() == mime::TEXT {
        format!("{essence}; charset=utf-8")
    } else if essence == "application/javascript" {
        "text/javascript; charset=utf-8".to_string()
    } else {
        essence.to_string()
    };
    if let Ok(v) = HeaderValue::from_str(&named) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    essence == "text/html"
}

async fn with_live_script(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(html) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(inject_live_script(html.to_vec())))
}

/// `ServeDir`'s file system, kept inside the served folder: `ServeDir` follows symlinks, and
/// one that leads out of the folder (a docs asset may be a symlink) must be as good as missing.
#[derive(Clone)]
struct InsideRoot(Arc<PathBuf>);

type IoFuture<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl InsideRoot {
    async fn real(&self, path: PathBuf) -> io::Result<PathBuf> {
        let real = tokio::fs::canonicalize(&path).await?;
        if real.starts_with(&*self.0) {
            Ok(real)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} leads out of the served folder", path.display()),
            ))
        }
    }
}

impl Backend for InsideRoot {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = IoFuture<TokioFile>;
    type MetadataFuture = IoFuture<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let inside = self.clone();
        Box::pin(async move { TokioBackend.open(inside.real(path).await?).await })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let inside = self.clone();
        Box::pin(async move { TokioBackend.metadata(inside.real(path).await?).await })
    }
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
    use tower::ServiceExt;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("docs/a")).unwrap();
        std::fs::write(root.join("index.html"), "<html><body>home</body></html>").unwrap();
        std::fs::write(root.join("docs/a/index.html"), "a").unwrap();
        std::fs::write(root.join("style.css"), "p {}").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    fn state(root: &Path, live: bool) -> ServerState {
        ServerState {
            root: root.to_path_buf(),
            live,
            notices: broadcast::channel(1).0,
            errors: Arc::default(),
        }
    }

    struct Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: String,
    }

    impl Answer {
        fn header(&self, name: header::HeaderName) -> &str {
            self.headers.get(name).map_or("", |v| v.to_str().unwrap())
        }
    }

    async fn ask(st: &ServerState, method: Method, path: &str) -> Answer {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = router(st.clone()).oneshot(req).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        Answer {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn get(st: &ServerState, path: &str) -> Answer {
        ask(st, Method::GET, path).await
    }

    #[tokio::test]
    async fn folders_serve_their_index_and_redirect_without_a_slash() {
        let (_d, root) = site();
        let st = state(&root, false);
        let home = get(&st, "/").await;
        assert_eq!(
            (home.status, home.body.as_str()),
            (StatusCode::OK, "<html><body>home</body></html>")
        );
        assert_eq!(get(&st, "/docs/a/").await.body, "a");
        let moved = get(&st, "/docs/a?q=1").await;
        assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(moved.header(header::LOCATION), "/docs/a/?q=1");
        assert_eq!(get(&st, "/docs/").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&st, "/nope.html").await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn traversal_in_any_spelling_is_refused() {
        let (_d, root) = site();
        let st = state(&root, false);
        for raw in [
            "/../secret.txt",
            "/docs/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/%5c..%5csecret.txt",
            "/docs\\..\\..\\secret.txt",
            "/a%00b",
        ] {
            assert_eq!(get(&st, raw).await.status, StatusCode::BAD_REQUEST, "{raw}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symlinks_out_of_the_folder_are_not_followed() {
        let (d, root) = site();
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("style.css"), root.join("inside.css")).unwrap();
        let st = state(&root, false);
        assert_eq!(get(&st, "/leak.txt").await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            get(&st, "/up/secret.txt").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(get(&st, "/inside.css").await.body, "p {}");
    }

    #[tokio::test]
    async fn the_sites_own_404_page_answers_for_missing_files() {
        let (_d, root) = site();
        std::fs::write(root.join("404.html"), "<body>lost</body>").unwrap();
        let lost = get(&state(&root, false), "/no/such/page/").await;
        assert_eq!(
            (lost.status, lost.body.as_str()),
            (StatusCode::NOT_FOUND, "<body>lost</body>")
        );
        assert_eq!(
            lost.header(header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
    }

    #[tokio::test]
    async fn files_name_their_type_and_are_never_cached() {
        let (_d, root) = site();
        std::fs::write(root.join("app.js"), "1").unwrap();
        std::fs::write(root.join("logo.png"), "png").unwrap();
        let st = state(&root, false);
        for (path, wanted) in [
            ("/style.css", "text/css; charset=utf-8"),
            ("/app.js", "text/javascript; charset=utf-8"),
            ("/logo.png", "image/png"),
        ] {
            let answer = get(&st, path).await;
            assert_eq!(answer.header(header::CONTENT_TYPE), wanted, "{path}");
            assert_eq!(answer.header(header::CACHE_CONTROL), "no-cache", "{path}");
            assert_eq!(answer.header(header::LAST_MODIFIED), "", "{path}");
            assert_eq!(answer.header(header::ETAG), "", "{path}");
        }
    }

    #[tokio::test]
    async fn head_is_answered_and_other_methods_are_not() {
        let (_d, root) = site();
        let st = state(&root, false);
        let head = ask(&st, Method::HEAD, "/").await;
        assert_eq!((head.status, head.body.as_str()), (StatusCode::OK, ""));
        let post = ask(&st, Method::POST, "/").await;
        assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn big_files_come_whole() {
        let (_d, root) = site();
        let big: String = (0..300_000).map(|i| format!("{i}\n")).collect();
        std::fs::write(root.join("big.txt"), &big).unwrap();
        let answer = get(&state(&root, false), "/big.txt").await;
        assert_eq!(answer.header(header::CONTENT_LENGTH), big.len().to_string());
        assert!(answer.body == big);
    }

    #[tokio::test]
    async fn only_pages_get_the_live_script_and_only_when_live() {
        let (_d, root) = site();
        let live = state(&root, true);
        assert_eq!(
            get(&live, "/").await.body,
            format!("<html><body>home{LIVE_TAG}</body></html>")
        );
        assert_eq!(get(&live, "/style.css").await.body, "p {}");
        assert_eq!(
            get(&state(&root, false), "/").await.body,
            "<html><body>home</body></html>"
        );
    }

    #[test]
    fn the_live_script_goes_before_the_body_end() {
        let out =
            String::from_utf8(inject_live_script(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert_eq!(out, format!("<html><body>x{LIVE_TAG}</body></html>"));
    }
}
