//! A real headless Chromium driven over WebDriver (chromedriver + fantoccini), against pages
//! served by a real HTTP server on 127.0.0.1. When Chromium is not installed the browser
//! tests are skipped with a note, unless STAGEDOOR_REQUIRE_BROWSER=1 (set by .ci/run).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub client: Client,
    /// Browser tests take turns: two Chromium instances starving each other on a small CI
    /// machine time out.
    _turn: tokio::sync::MutexGuard<'static, ()>,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Starts chromedriver and a headless Chromium session, or None when they are not installed.
pub async fn start() -> Option<Browser> {
    let installed = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !installed {
        assert!(
            std::env::var_os("STAGEDOOR_REQUIRE_BROWSER").is_none(),
            "Chromium and chromedriver are required (apt-get install chromium chromium-driver)"
        );
        eprintln!("note: {CHROMIUM} or {CHROMEDRIVER} missing; browser test skipped");
        return None;
    }
    let turn = TURN.lock().await;
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile dir");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display()),
            ],
        },
        "goog:loggingPrefs": {"browser": "ALL"},
    });
    let caps = caps.as_object().cloned().expect("object");
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = format!("http://127.0.0.1:{port}");
    loop {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                // Fail in seconds, not after WebDriver's five-minute default.
                let timeouts = fantoccini::wd::TimeoutConfiguration::new(
                    None,
                    Some(Duration::from_secs(60)),
                    None,
                );
                let _ = client.update_timeouts(timeouts).await;
                return Some(Browser {
                    _turn: turn,
                    client,
                    driver,
                    _profile: profile,
                });
            }
            Err(e) if Instant::now() > deadline => panic!("cannot start a Chromium session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

impl Browser {
    /// Console messages at SEVERE level (errors, uncaught exceptions, failed loads) since the
    /// last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("browser log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Loads `url` and waits for its load event: by then deferred scripts ran and every image
    /// loaded or failed (so `onerror` handlers would have fired).
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        self.wait_until("document.readyState === 'complete'").await;
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Waits until `script` (an expression) is truthy.
    pub async fn wait_until(&self, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // A page that is reloading cannot run scripts for a moment: that is "not yet".
            let v = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await;
            if matches!(v, Ok(Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {script}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Resizes the window so the page's viewport is `width` CSS pixels wide (the window's
    /// frame, if any, is measured and added).
    pub async fn set_width(&self, width: u32) {
        self.client
            .set_window_size(width, 900)
            .await
            .expect("resize");
        let inner = self
            .js("return window.innerWidth")
            .await
            .as_u64()
            .unwrap_or(0) as u32;
        if inner != width && inner > 0 {
            let frame = width.saturating_sub(inner);
            self.client
                .set_window_size(width + frame, 900)
                .await
                .expect("resize");
        }
        assert_eq!(
            self.js("return window.innerWidth").await.as_u64(),
            Some(u64::from(width)),
            "viewport width"
        );
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A built site served on 127.0.0.1 by stagedoor's own static server, in this process.
pub struct StaticServer {
    pub base: String,
}

pub fn serve_dir(dir: PathBuf) -> StaticServer {
    let addr = stagedoor::serve::serve_folder(&dir).expect("serving the built site");
    StaticServer {
        base: format!("http://{addr}/"),
    }
}

/// The harness itself: a page that throws must show up as a console error, or every
/// "no console errors" assertion in these tests would be vacuous.
#[tokio::test(flavor = "multi_thread")]
async fn the_harness_sees_console_errors() {
    let Some(b) = start().await else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><script>throw new Error('boom')</script>",
    )
    .unwrap();
    let server = serve_dir(dir.path().to_path_buf());
    b.client.goto(&server.base).await.unwrap();
    let errors = b.console_errors().await;
    assert!(errors.iter().any(|e| e.contains("boom")), "{errors:?}");
    b.close().await;
}
