//! Parallel work handed out in order, for consumers that take results in order.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// `f` of every item, as `par_iter().map()` would give them, but with the items claimed in
/// their order, one at a time, by a loop on each thread of the pool: item `i` is done about
/// when the items before it are, so a consumer that needs them in order (the search index,
/// fed docs sites as they are drawn) waits on only a few at a time. `f` may itself work in
/// parallel: a thread waiting for its own item's work helps with it.
pub fn map_in_order<I: Send, T: Send>(items: Vec<I>, f: impl Fn(usize, I) -> T + Sync) -> Vec<T> {
    let n = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let done: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    rayon::scope(|s| {
        for _ in 0..rayon::current_num_threads().min(n) {
            s.spawn(|_| {
                loop {
                    let next = lock(&queue).next();
                    let Some((i, item)) = next else { break };
                    let out = f(i, item);
                    lock(&done)[i] = Some(out);
                }
            });
        }
    });
    let done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.into_iter().flatten().collect()
}

/// `f` of every item, in order, on up to `threads` threads of their own instead of the pool's:
/// for work that mostly waits (on child processes) while the pool's threads may be waiting
/// for it, which on the pool could leave no thread free to do it.
pub fn map_on_own_threads<I: Sync, T: Send>(
    items: &[I],
    threads: usize,
    f: impl Fn(&I) -> T + Sync,
) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let claim = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads.min(items.len()))
            .map(|_| s.spawn(claim))
            .collect();
        let mut done = claim();
        for h in helpers {
            done.extend(joined(h));
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// A scoped thread's result; its panic, if it panicked, passed on to the caller.
pub fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The mutex's value, also after a thread panicked holding it: what it guards stays usable
/// (the panic itself reaches the caller through rayon).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_item_is_mapped_once_and_results_keep_their_order() {
        let calls = AtomicUsize::new(0);
        let items: Vec<usize> = (0..500).collect();
        let out = map_in_order(items, |i, x| {
            calls.fetch_add(1, Ordering::Relaxed);
            assert_eq!(i, x);
            x * 2
        });
        assert_eq!(out, (0..500).map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::Relaxed), 500);
        assert!(map_in_order(Vec::<u8>::new(), |_, x| x).is_empty());
    }

    #[test]
    fn own_threads_map_every_item_once_in_order_and_off_the_pool() {
        let calls = AtomicUsize::new(0);
        let items: Vec<usize> = (0..300).collect();
        for threads in [1, 3, 1000] {
            calls.store(0, Ordering::Relaxed);
            let out = map_on_own_threads(&items, threads, |&x| {
                calls.fetch_add(1, Ordering::Relaxed);
                assert!(rayon::current_thread_index().is_none(), "on a pool thread");
                x * 3
            });
            assert_eq!(out, (0..300).map(|x| x * 3).collect::<Vec<_>>());
            assert_eq!(calls.load(Ordering::Relaxed), 300);
        }
        assert!(map_on_own_threads(&[] as &[u8], 4, |&x| x).is_empty());
    }

    #[test]
    fn items_are_started_in_order() {
        let started = Mutex::new(Vec::new());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
        let pool = pool.expect("a pool");
        pool.install(|| {
            map_in_order((0..200).collect(), |i, _: usize| {
                lock(&started).push(i);
                // Work of its own, in parallel, as a docs site's pages are.
                rayon::join(|| i % 7, || i % 3);
            })
        });
        // Claimed in order; two threads may record theirs the other way round.
        let started = started.into_inner().expect("not poisoned");
        assert_eq!(started.len(), 200);
        for (place, &i) in started.iter().enumerate() {
            assert!(place.abs_diff(i) < 4, "item {i} started {place}th");
        }
    }
}
