//! Things at once: two builds of one site sharing its cache folder, two builds of one output
//! folder (the second waits), and a `serve` under clients that hang up mid-response, a
//! thousand requests in a row, and a terminal that went away.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{assert_same_files, build_command, example_site_copy, fixture, serve, tree};

fn spawn_build(site: &Path, out: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("stagedoor"))
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stagedoor build starts")
}

fn finish(child: std::process::Child) -> String {
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("warning: cannot write the cache"),
        "{stderr}"
    );
    stderr
}

#[test]
fn two_builds_at_once_share_the_cache_and_write_identical_sites() {
    let site = example_site_copy();
    let outs = tempfile::tempdir().unwrap();
    // Three rounds: a cold cache, a warm one, and one after an edit (half the pages cached).
    for round in 0..3 {
        if round == 2 {
            let md = site.path().join("repos/payments-api/docs/index.md");
            let text = std::fs::read_to_string(&md).unwrap();
            std::fs::write(&md, format!("{text}\nEdited between rounds.\n")).unwrap();
        }
        let (a, b) = (
            outs.path().join(format!("a{round}")),
            outs.path().join(format!("b{round}")),
        );
        let (first, second) = (spawn_build(site.path(), &a), spawn_build(site.path(), &b));
        finish(first);
        finish(second);
        let (ta, tb) = (tree(&a), tree(&b));
        assert!(ta.len() > 50, "round {round}: {} files", ta.len());
        assert_same_files(&ta, &tb, &format!("round {round}"));
    }
    // The cache holds no half-written entries.
    let cache = site.path().join(".stagedoor-cache");
    let temp: Vec<_> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(temp.is_empty(), "{temp:?}");
}

/// Two builds into one output folder take turns: each waits for the lock beside the folder
/// (held here, as a running build holds it), saying whose it is, then builds; the second
/// finds the first's site up to date. The folder ends as a clean build writes it.
#[test]
fn builds_of_one_output_folder_wait_for_each_other() {
    let site = fixture("build_cache/checkout");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut held = std::fs::File::create(dir.path().join("public.stagedoor-lock")).unwrap();
    held.lock().unwrap();
    write!(held, "{}", std::process::id()).unwrap();

    let mut builds: Vec<_> = (0..2).map(|_| spawn_build(site.path(), &out)).collect();
    let mut logs = Vec::new();
    for b in &mut builds {
        let mut stderr = BufReader::new(b.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let expected = format!(
            "waiting for the build writing {}/ (pid {})",
            out.display(),
            std::process::id()
        );
        assert!(first.contains(&expected), "{first}");
        logs.push(stderr);
    }
    std::thread::sleep(Duration::from_millis(300));
    for b in &mut builds {
        assert!(b.try_wait().unwrap().is_none(), "a build did not wait");
    }
    assert!(!out.exists());

    drop(held);
    let mut said = Vec::new();
    for (mut b, mut log) in builds.into_iter().zip(logs) {
        let mut rest = String::new();
        log.read_to_string(&mut rest).unwrap();
        assert_eq!(b.wait().unwrap().code(), Some(0), "{rest}");
        said.push(rest);
    }
    let wrote = said.iter().filter(|s| s.contains("; wrote")).count();
    let up_to_date = said.iter().filter(|s| s.contains("is up to date")).count();
    assert_eq!((wrote, up_to_date), (1, 1), "{said:?}");

    let clean = dir.path().join("clean");
    build_command(site.path(), &clean)
        .arg("--no-cache")
        .assert()
        .success();
    assert_same_files(&tree(&clean), &tree(&out), "after two builds in turn");
}

/// The server's resident memory in kB, from /proc.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .expect("VmRSS")
}

fn host_of(base: &str) -> String {
    base.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// One keep-alive-less GET over a raw socket; the status code.
fn get_status(host: &str, path: &str) -> u16 {
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut first = String::new();
    BufReader::new(&s).read_line(&mut first).unwrap();
    first
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {first:?}"))
}

#[test]
fn serve_survives_clients_that_hang_up_and_does_not_grow() {
    let site = example_site_copy();
    let s = serve(site.path(), &["--watch"]);
    let host = host_of(&s.base);
    let pid = s.child.id();
    // The biggest files: the search index shards and a large page.
    let big = "/search/index.json";
    let page = "/docs/default/component/payments-api/";
    assert_eq!(get_status(&host, page), 200);

    // Hang up mid-response, many times: after the request, after one byte, on the event stream.
    for i in 0..300 {
        let mut c = TcpStream::connect(&host).unwrap();
        let path = match i % 3 {
            0 => big,
            1 => page,
            _ => "/__stagedoor/events",
        };
        let _ = write!(c, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        if i % 2 == 0 {
            let mut one = [0u8; 1];
            let _ = c.read(&mut one);
        }
        drop(c);
    }
    assert!(s.child.id() == pid);
    assert_eq!(get_status(&host, page), 200, "still serving");

    // A thousand requests in a row, memory measured after a warm-up.
    for _ in 0..100 {
        assert_eq!(get_status(&host, page), 200);
    }
    let before = rss_kb(pid);
    let started = Instant::now();
    for i in 0..1000 {
        let path = if i % 10 == 0 { big } else { page };
        assert_eq!(get_status(&host, path), 200);
    }
    let after = rss_kb(pid);
    eprintln!(
        "1000 requests in {:.1}s; RSS {before} kB -> {after} kB",
        started.elapsed().as_secs_f64()
    );
    assert!(
        after < before + 20 * 1024,
        "RSS grew from {before} kB to {after} kB"
    );
}

/// Regression: serve logged with eprintln!, which panics once stderr is a closed pipe; the
/// first rebuild after the terminal went away killed the rebuild thread.
#[test]
fn serve_keeps_rebuilding_after_its_output_pipes_close() {
    let site = example_site_copy();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("stagedoor"))
        .arg("serve")
        .arg(site.path())
        .args(["--port", "0", "--watch"])
        .env("CI", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains(" at http://") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve exited");
    }
    let base = line.split(" at ").nth(1).unwrap().trim().to_string();
    // The watcher is ready once it says so; edits before that would not be seen.
    while !line.contains("for changes") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve exited");
    }
    // The reader goes away: both pipes are closed from now on.
    drop(out);
    drop(child.stderr.take());
    let host = host_of(&base);
    let path = "/docs/default/component/payments-api/";
    let md = site.path().join("repos/payments-api/docs/index.md");
    let original = std::fs::read_to_string(&md).unwrap();
    for edit in ["FIRST-EDIT-AFTER-CLOSE", "SECOND-EDIT-AFTER-CLOSE"] {
        std::fs::write(&md, format!("{original}\n{edit}\n")).unwrap();
        let started = Instant::now();
        loop {
            assert!(
                child.try_wait().unwrap().is_none(),
                "serve died after its pipes closed"
            );
            let body = ureq::get(&format!("http://{host}{path}"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .unwrap_or_default();
            if body.contains(edit) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{edit} never served: the rebuild thread is gone"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The server's peak resident memory in kB, from /proc.
fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Regression: serve hashed every copied docs file by reading it whole, and served it read
/// whole per request, so a 200 MB video in a docs folder took 200 MB of memory per use.
#[test]
fn serve_does_not_hold_large_docs_files_in_memory() {
    let site = crate::support::fixture("concurrency/video");
    let big = std::fs::File::create(site.path().join("docs/demo.bin")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    let s = serve(site.path(), &[]);
    let host = host_of(&s.base);
    assert_eq!(
        get_status(&host, "/docs/default/component/video/"),
        200,
        "{}",
        s.log()
    );
    // Downloaded whole, then hung up on twenty times: streamed, never held.
    let path = "/docs/default/component/video/demo.bin";
    let mut c = TcpStream::connect(&host).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    let received = c.read_to_end(&mut all).map(|_| all.len()).unwrap();
    assert!(
        received > 200 * 1024 * 1024,
        "{received} bytes: {:?}",
        String::from_utf8_lossy(&all[..all.len().min(300)])
    );
    drop(all);
    for _ in 0..20 {
        let mut c = TcpStream::connect(&host).unwrap();
        let _ = write!(c, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let mut some = [0u8; 4096];
        let _ = c.read(&mut some);
    }
    assert_eq!(get_status(&host, "/docs/default/component/video/"), 200);
    let peak = peak_kb(s.child.id());
    assert!(peak < 150 * 1024, "peak {peak} kB");
}
