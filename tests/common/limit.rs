//! A watchdog for property tests: each case runs on its own thread and must finish in time,
//! so a hang fails the test instead of stalling it.

use std::sync::mpsc;
use std::time::Duration;

/// Each case must finish within this, even in a debug build on a busy machine.
pub const LIMIT: Duration = Duration::from_secs(2);

/// Runs `f` on its own thread: Err when it panics or has not finished within `LIMIT`.
pub fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (tx, rx) = mpsc::channel();
    let started = std::time::Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(v) => Ok(v),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("still running after {LIMIT:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(format!("panicked after {:?}", started.elapsed()))
        }
    }
}
