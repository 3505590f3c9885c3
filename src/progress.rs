//! Progress: a spinner per stage on a terminal (indicatif); silent in CI or when piped.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub trait Progress: Sync {
    /// A new stage starts; the previous one is finished.
    fn stage(&self, name: &str);
    fn finish(&self);
    /// A line for the user while the build goes on (on stderr, above a spinner).
    fn note(&self, line: &str) {
        crate::console::err(format_args!("{line}"));
    }
}

pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str) {}
    fn finish(&self) {}
}

pub struct Spinner {
    bar: ProgressBar,
}

/// Whether progress is worth drawing: stderr is a terminal and `CI` is not set.
fn interactive() -> bool {
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    !in_ci && std::io::stderr().is_terminal()
}

/// A bar for an upload (files, bytes, rate) on a terminal; None in CI or when piped.
pub fn transfer_bar() -> Option<ProgressBar> {
    if !interactive() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} {elapsed:.dim}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

impl Spinner {
    /// A spinner when stderr is a terminal and `CI` is not set; None otherwise.
    pub fn for_terminal() -> Option<Self> {
        if !interactive() {
            return None;
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(80));
        Some(Spinner { bar })
    }
}

impl Progress for Spinner {
    fn stage(&self, name: &str) {
        self.bar.set_message(name.to_string());
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn note(&self, line: &str) {
        self.bar
            .suspend(|| crate::console::err(format_args!("{line}")));
    }
}
