//! Many independent jobs over the machine's cores, with std threads only: no pool crate, no
//! global runtime. The bound is process-wide: all concurrent callers together borrow at most
//! `cores − 1` helper threads, and each caller works on its own thread too, so a burst of batch
//! requests cannot start cores × requests threads. A job that panics fails alone.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread;

/// Helper threads lent out right now, across every caller.
static HELPERS_IN_USE: AtomicUsize = AtomicUsize::new(0);

/// The machine's cores (1 if it cannot say).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A job that panicked, with the panic's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

/// `f` applied to every item, results in the items' order. Items are handed out one at a time,
/// so long and short jobs balance across the threads.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Result<R, Panicked>> {
    let helpers = Helpers::borrow(items.len().saturating_sub(1).min(cores() - 1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            let result = panic::catch_unwind(AssertUnwindSafe(|| f(item)))
                .map_err(|payload| Panicked(message(payload.as_ref())));
            done.push((i, result));
        }
    };
    let mut slots: Vec<Option<Result<R, Panicked>>> = (0..items.len()).map(|_| None).collect();
    thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers.count).map(|_| scope.spawn(work)).collect();
        let mut finished = vec![work()];
        // A helper cannot panic (every job is caught), so `join` fails only if that broke;
        // its items then stay empty and are reported below.
        finished.extend(handles.into_iter().filter_map(|h| h.join().ok()));
        for (i, result) in finished.into_iter().flatten() {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(result);
            }
        }
    });
    drop(helpers);
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(Panicked("a worker thread was lost".into()))))
        .collect()
}

/// A panic's payload as text.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a job panicked".to_string())
}

/// Helper threads borrowed from the process-wide allowance, returned on drop.
struct Helpers {
    count: usize,
}

impl Helpers {
    /// Up to `wanted` helpers, as many as are free (possibly none).
    fn borrow(wanted: usize) -> Helpers {
        let limit = cores() - 1;
        let mut count = 0;
        let _ = HELPERS_IN_USE.fetch_update(Ordering::AcqRel, Ordering::Acquire, |in_use| {
            count = wanted.min(limit.saturating_sub(in_use));
            Some(in_use + count)
        });
        Helpers { count }
    }
}

impl Drop for Helpers {
    fn drop(&mut self) {
        HELPERS_IN_USE.fetch_sub(self.count, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(&items, |x| x * x);
        for (x, square) in items.iter().zip(squares) {
            assert_eq!(square, Ok(x * x));
        }
    }

    #[test]
    fn a_panicking_job_fails_alone() {
        let items = [1, 2, 3];
        let results = map(&items, |&x| {
            if x == 2 {
                panic!("two");
            }
            x
        });
        assert_eq!(results[0], Ok(1));
        assert_eq!(results[1], Err(Panicked("two".to_string())));
        assert_eq!(results[2], Ok(3));
    }

    #[test]
    fn no_items_need_no_threads() {
        let results = map(&[] as &[u8], |x| *x);
        assert!(results.is_empty());
        assert_eq!(Helpers::borrow(0).count, 0);
    }
}
