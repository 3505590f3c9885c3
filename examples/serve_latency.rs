//! Measures `stagedoor serve --watch` from save to reload event: it starts the server on a
//! site, listens to the events channel like an open page does, then edits files (appending a
//! line, later restoring them) and times each edit until the `reload` event arrives.
//!
//! `cargo run --release --example serve_latency -- STAGEDOOR_BIN SITE FILE… [--rounds N]`
//! (tests/bench/serve.sh picks the files and runs it on example-site and a 10,000-page site).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

struct Server {
    child: Child,
    base: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &Path, site: &Path) -> Result<Server> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--watch", "--port", "0"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = BufReader::new(child.stdout.take().context("stdout")?);
    let (tx, log) = mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().context("stderr")?);
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = stdout.lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.find(" at http://")
                .map(|at| line[at + 4..].trim().to_string())
        })
        .context("the server did not print its address")?;
    // Keep reading: a closed pipe would fail the server's next line of output.
    std::thread::spawn(move || lines.for_each(drop));
    println!(
        "initial build and start: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(Server { child, base, log })
}

/// The names of the events on the server's events channel, as they arrive.
fn events(base: &str) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let url = format!("{base}__stagedoor/events");
    std::thread::spawn(move || {
        let Ok(mut resp) = ureq::get(&url).call() else {
            return;
        };
        let reader = BufReader::new(resp.body_mut().as_reader());
        for line in reader.lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ")
                && tx.send(e.to_string()).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<String>, wanted: &str) -> Result<()> {
    loop {
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(e) if e == wanted => return Ok(()),
            Ok(_) => {}
            Err(_) => bail!("no {wanted} event within 120 s"),
        }
    }
}

/// The server's own timing of the latest rebuild ("rebuilt (page) in 4 ms, …").
fn last_rebuild(log: &mpsc::Receiver<String>) -> String {
    let mut last = String::new();
    while let Ok(line) = log.recv_timeout(Duration::from_millis(20)) {
        if line.starts_with("rebuilt") {
            last = line;
        }
    }
    last
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut rounds = 10;
    if let Some(at) = args.iter().position(|a| a == "--rounds") {
        rounds = args.get(at + 1).context("--rounds N")?.parse()?;
        args.drain(at..at + 2);
    }
    if args.len() < 3 {
        bail!("usage: serve_latency STAGEDOOR_BIN SITE FILE… [--rounds N]");
    }
    let bin = PathBuf::from(&args[0]);
    let site = PathBuf::from(&args[1]);
    let server = start(&bin, &site)?;
    let rx = events(&server.base);
    wait_for(&rx, "status")?;
    println!("| edited file | rounds | median ms | p90 ms | max ms | server's last rebuild |");
    println!("|---|---|---|---|---|---|");
    for file in &args[2..] {
        let path = PathBuf::from(file);
        let original = std::fs::read(&path).with_context(|| format!("reading {file}"))?;
        let mut times = Vec::new();
        for round in 0..rounds {
            // Let the previous rebuild (and its search refresh) settle, as between real saves.
            std::thread::sleep(Duration::from_millis(300));
            last_rebuild(&server.log);
            let mut edited = original.clone();
            edited.extend_from_slice(edit_for(&path, round).as_bytes());
            let t0 = Instant::now();
            std::fs::write(&path, &edited)?;
            wait_for(&rx, "reload")?;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
        let server_says = last_rebuild(&server.log);
        std::fs::write(&path, &original)?;
        wait_for(&rx, "reload")?;
        times.sort_by(f64::total_cmp);
        println!(
            "| {} | {rounds} | {:.0} | {:.0} | {:.0} | {server_says} |",
            path.strip_prefix(&site).unwrap_or(&path).display(),
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            times[times.len() - 1],
        );
    }
    Ok(())
}

/// A change that keeps the file valid: a Markdown paragraph, or a YAML comment.
fn edit_for(path: &Path, round: usize) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => format!("\n\nEdited while serving, round {round}.\n"),
        _ => format!("\n# edited while serving, round {round}\n"),
    }
}
