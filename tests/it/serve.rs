//! `stagedoor serve` as a real process on 127.0.0.1: live rebuilds and reload events, the
//! error overlay's data, safe paths, many clients, a taken port, one repository.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{example_site_copy, fixture, serve, serve_env, stagedoor};

fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(mut r) => (
            r.status().as_u16(),
            r.body_mut().read_to_string().unwrap_or_default(),
        ),
        Err(ureq::Error::StatusCode(code)) => (code, String::new()),
        Err(e) => panic!("{url}: {e}"),
    }
}

/// The server's event stream, as (event, data) pairs arriving on a channel.
fn events(base: &str) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let url = format!("{base}__stagedoor/events");
    std::thread::spawn(move || {
        let Ok(mut resp) = ureq::get(&url).call() else {
            return;
        };
        let reader = BufReader::new(resp.body_mut().as_reader());
        let mut event = String::new();
        for line in reader.lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn next_event(rx: &mpsc::Receiver<(String, String)>, wanted: &str) -> String {
    loop {
        let (event, data) = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no {wanted} event"));
        if event == wanted {
            return data;
        }
    }
}

#[test]
fn watch_rebuilds_reloads_and_reports_errors() {
    let site = example_site_copy();
    let s = serve(site.path(), &["--watch"]);
    let page = format!("{}docs/default/component/payments-api/", s.base);
    let (code, html) = get(&page);
    assert_eq!(code, 200);
    assert!(
        html.contains("/__stagedoor/live.js"),
        "served pages carry the live-reload script"
    );
    let rx = events(&s.base);
    assert_eq!(next_event(&rx, "status"), r#"{"errors":[]}"#);

    // Edit a Markdown page: a reload event, then the new text is served.
    let md = site.path().join("repos/payments-api/docs/index.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\nA sentence added while serving: LIVE-EDIT-MARKER.\n");
    std::fs::write(&md, &text).unwrap();
    next_event(&rx, "reload");
    assert!(get(&page).1.contains("LIVE-EDIT-MARKER"));
    assert!(
        s.log().contains("rebuilt (page)"),
        "a page edit re-renders pages, not the site:\n{}",
        s.log()
    );

    // Break a catalog file: the overlay's data names the file and line; the server stays up.
    let yaml = site.path().join("repos/ledger-service/catalog-info.yaml");
    let good = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!("{good}---\napiVersion: backstage.io/v1alpha1\nkind: [\n"),
    )
    .unwrap();
    let status = next_event(&rx, "status");
    // The unclosed `[` is on the third added line; the parser notices at the end, one later.
    let at = |n: usize| {
        format!(
            "repos/ledger-service/catalog-info.yaml:{}:",
            good.lines().count() + n
        )
    };
    assert!(
        status.contains("E003") && (status.contains(&at(3)) || status.contains(&at(4))),
        "{status}"
    );
    assert!(
        get(&format!("{}__stagedoor/status", s.base))
            .1
            .contains("E003")
    );
    assert_eq!(get(&page).0, 200, "the server keeps serving");

    // Fix it: a reload, and the errors are gone.
    std::fs::write(&yaml, &good).unwrap();
    next_event(&rx, "reload");
    assert_eq!(
        get(&format!("{}__stagedoor/status", s.base)).1,
        r#"{"errors":[]}"#
    );
    assert!(
        !site.path().join("public").exists(),
        "serve never writes into the site's public/"
    );
}

/// Sends one raw request line (clients would normalise these paths) and returns the status.
fn raw_status(base: &str, method: &str, path: &str) -> u16 {
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut head = String::new();
    let _ = s.read_to_string(&mut head);
    head.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn paths_never_leave_the_site_and_folders_serve_their_index() {
    let site = fixture("serve/one_team");
    let s = serve(site.path(), &[]);
    for path in [
        "/../../../etc/passwd",
        "/catalog/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2fetc/passwd",
        "/catalog\\..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
    ] {
        let code = raw_status(&s.base, "GET", path);
        assert!(code == 400 || code == 404, "{path} answered {code}");
    }
    assert_eq!(
        raw_status(&s.base, "GET", "/catalog/default/group/team/"),
        200
    );
    assert_eq!(
        raw_status(&s.base, "GET", "/catalog/default/group/team"),
        301
    );
    assert_eq!(raw_status(&s.base, "HEAD", "/"), 200);
    assert_eq!(raw_status(&s.base, "POST", "/"), 405);
    let resp = ureq::get(&format!("{}no/such/page/", s.base))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
    assert_eq!(resp.status(), 404);
    let css = ureq::get(&format!("{}assets/stagedoor.css", s.base))
        .call()
        .unwrap();
    assert_eq!(
        css.headers().get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    let html = get(&s.base).1;
    assert!(
        !html.contains("__stagedoor"),
        "without --watch nothing is injected"
    );
}

#[test]
fn fifty_clients_at_once_are_all_served() {
    let site = example_site_copy();
    let s = serve(site.path(), &[]);
    let pages = [
        "",
        "catalog/",
        "docs/",
        "catalog/default/component/payments-api/",
        "assets/stagedoor.css",
        "search/index.json",
    ];
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let url = format!("{}{}", s.base, pages[i % pages.len()]);
            std::thread::spawn(move || (0..4).map(|_| get(&url).0).collect::<Vec<u16>>())
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap().iter().all(|&c| c == 200));
    }
}

#[test]
fn a_taken_port_is_explained() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = fixture("serve/empty_catalog");
    let out = stagedoor()
        .arg("serve")
        .arg(site.path())
        .args(["--port", &port])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn one_repository_previews_its_entity_and_docs() {
    let repo = fixture("serve/one_repository");
    let s = serve(repo.path(), &["--watch"]);
    assert!(
        get(&format!("{}catalog/default/component/my-service/", s.base))
            .1
            .contains("my-service")
    );
    assert!(
        get(&format!("{}docs/default/component/my-service/", s.base))
            .1
            .contains("Hello from the docs.")
    );
    assert!(!repo.path().join("public").exists());
}

/// Ctrl-C and SIGTERM stop the server at once, even while a page holds its reload stream,
/// and the temporary site goes with it.
#[test]
fn quits_at_once_with_a_page_open_and_removes_its_folder() {
    for signal in ["INT", "TERM"] {
        let repo = fixture("serve/one_repository");
        let tmp = tempfile::tempdir().unwrap();
        let mut s = serve_env(repo.path(), &["--watch"], &[("TMPDIR", tmp.path())]);
        let rx = events(&s.base);
        next_event(&rx, "status");
        assert!(
            std::fs::read_dir(tmp.path()).unwrap().count() > 0,
            "the site is built in a temporary folder"
        );
        let pid = s.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "SIG{signal} did not stop the server:\n{}",
                s.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "SIG{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
}

/// A save that changes no output reloads nothing, and files that tools rewrite all the time
/// (hidden folders, `__pycache__`, `dist`) do not even start a rebuild.
#[test]
fn saves_that_change_nothing_and_tool_folders_reload_nothing() {
    let repo = fixture("serve/one_repository");
    let s = serve(repo.path(), &["--watch"]);
    let rx = events(&s.base);
    next_event(&rx, "status");
    let page = repo.path().join("docs/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, &text).unwrap();
    for noise in [
        ".idea/workspace.xml",
        "__pycache__/x.pyc",
        "dist/catalog-info.yaml",
    ] {
        let file = repo.path().join(noise);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "rewritten by a tool").unwrap();
    }
    let waited = std::time::Instant::now();
    while !s.log().contains("nothing changed") && waited.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let log = s.log();
    assert!(log.contains("checked (page)"), "{log}");
    assert!(!log.contains("rebuilt"), "{log}");
    assert!(
        rx.try_iter().all(|(event, _)| event != "reload"),
        "no reload for a save that changed nothing"
    );
    // A real edit still reloads.
    std::fs::write(&page, format!("{text}\nNew words.\n")).unwrap();
    next_event(&rx, "reload");
}
