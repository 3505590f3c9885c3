//! Console: log lines of a long-running `serve`, written so that a closed terminal or pipe
//! never stops the server. `println!`/`eprintln!` panic when the write fails (a `serve`
//! piped into `head`, or whose terminal went away), which killed the rebuild thread.

use std::fmt;
use std::io::Write;

/// One line to stdout; a failed write is dropped.
pub fn out(line: fmt::Arguments) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// One line to stderr; a failed write is dropped.
pub fn err(line: fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Text as it is (already holding its newlines) to stderr; a failed write is dropped.
pub fn err_text(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
