//! [`SetOnce`]: a value set at most once, by whichever thread gets there
//! first, with no thread ever waiting for another.
//!
//! `std::sync::OnceLock` waits: `set` runs a `Once`, and a thread that comes
//! while another is inside it waits until that one is done. After `fork`
//! the thread that was inside exists only in the parent, so in the child
//! every later `set` or `get_or_init` on that cell waits for ever. The Ruby
//! layer's work, which a forked child may take over while the parent's
//! worker thread is half-way through it (see `ruby/nogvl.rs`), therefore
//! publishes its lazily built values through this type instead: one
//! compare-and-swap of a pointer, so there is no moment at which the cell
//! is "being set".

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// A `T` set at most once and then only read, from any number of threads.
///
/// Ownership: owns the value it was set to (a `Box` it was given), freed
/// with the cell; a value offered to a cell that already has one is freed
/// at once. Thread-safety: `Sync` when `T` is `Send + Sync`, as `OnceLock`;
/// neither [`get`](Self::get) nor [`set`](Self::set) ever waits for
/// another thread.
pub struct SetOnce<T> {
    /// Null, or a pointer from `Box::into_raw`, never changed again.
    value: AtomicPtr<T>,
    /// The cell owns a `T`, which it drops.
    _owns: PhantomData<T>,
}

// SAFETY: moving the cell to another thread moves the `T` it owns there,
// where it is dropped: `T: Send`.
unsafe impl<T: Send> Send for SetOnce<T> {}

// SAFETY: through `&SetOnce<T>`, threads share `&T` (`get`, `set`), which
// needs `T: Sync`; and `set` moves a `T` made on the calling thread into
// the cell, which drops it on whichever thread drops the cell: `T: Send`.
// The pointer itself is only ever touched atomically.
unsafe impl<T: Send + Sync> Sync for SetOnce<T> {}

impl<T> SetOnce<T> {
    /// An empty cell.
    pub const fn new() -> Self {
        SetOnce {
            value: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// The value, once set.
    pub fn get(&self) -> Option<&T> {
        let value = self.value.load(Ordering::Acquire);
        // SAFETY: `value` is null or came from `Box::into_raw` in `set`,
        // stored with `Release`, which this `Acquire` load saw: the `T` it
        // points to is fully written. It is never changed, and freed only
        // by `drop`, which needs `&mut self`, so it outlives `&self`.
        unsafe { value.as_ref() }
    }

    /// Sets the cell to `value` unless it has a value already; either way
    /// returns the value the cell now holds (and drops `value` if that is
    /// not it).
    pub fn set(&self, value: Box<T>) -> &T {
        let ours = Box::into_raw(value);
        // `Release` on success publishes the `T` to every `Acquire` load
        // that sees the pointer; `Acquire` on failure sees the winner's.
        let held = match self.value.compare_exchange(
            ptr::null_mut(),
            ours,
            Ordering::Release,
            Ordering::Acquire,
        ) {
            Ok(_) => ours,
            Err(theirs) => {
                // SAFETY: `ours` came from `Box::into_raw` just above, and
                // the failed exchange did not publish it: nobody else has
                // it, so it is freed once, here.
                drop(unsafe { Box::from_raw(ours) });
                theirs
            }
        };
        // SAFETY: `held` is the cell's value, non-null: ours, just
        // published, or the one another thread published, which the
        // `Acquire` of the failed exchange saw. Freed only by `drop`, which
        // needs `&mut self`, so it outlives `&self`.
        unsafe { &*held }
    }
}

impl<T> Default for SetOnce<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for SetOnce<T> {
    fn drop(&mut self) {
        let value = *self.value.get_mut();
        if !value.is_null() {
            // SAFETY: a non-null value came from `Box::into_raw` in `set`,
            // and is freed only here, once; `&mut self` means no `&T` from
            // `get` or `set` is still alive.
            drop(unsafe { Box::from_raw(value) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use std::thread;

    /// Counts its drops.
    struct Counted {
        id: usize,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn counted(id: usize, drops: &Arc<AtomicUsize>) -> Box<Counted> {
        Box::new(Counted {
            id,
            drops: Arc::clone(drops),
        })
    }

    #[test]
    fn the_first_value_set_is_kept_and_the_others_dropped() {
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = SetOnce::new();
        assert!(cell.get().is_none());
        assert_eq!(cell.set(counted(1, &drops)).id, 1);
        assert_eq!(cell.set(counted(2, &drops)).id, 1);
        assert_eq!(drops.load(Ordering::Relaxed), 1, "the second is dropped");
        assert_eq!(cell.get().map(|value| value.id), Some(1));
        drop(cell);
        assert_eq!(drops.load(Ordering::Relaxed), 2, "the first with the cell");
    }

    #[test]
    fn an_empty_cell_drops_nothing() {
        drop(SetOnce::<Counted>::default());
    }

    #[test]
    fn racing_threads_all_get_the_one_value_kept() {
        const THREADS: usize = 4;
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = SetOnce::new();
        let kept: Vec<usize> = thread::scope(|scope| {
            let racers: Vec<_> = (0..THREADS)
                .map(|id| {
                    let (cell, value) = (&cell, counted(id, &drops));
                    scope.spawn(move || cell.set(value).id)
                })
                .collect();
            racers
                .into_iter()
                .map(|racer| racer.join().unwrap())
                .collect()
        });
        let winner = cell.get().unwrap().id;
        assert!(kept.iter().all(|&id| id == winner), "{kept:?}");
        assert_eq!(drops.load(Ordering::Relaxed), THREADS - 1);
        drop(cell);
        assert_eq!(drops.load(Ordering::Relaxed), THREADS);
    }

    #[test]
    fn is_send_and_sync_for_a_send_and_sync_value() {
        fn shareable<T: Send + Sync>() {}
        shareable::<SetOnce<Vec<u8>>>();
    }
}
