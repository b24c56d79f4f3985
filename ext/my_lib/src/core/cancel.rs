//! Cooperative cancellation of long computations.
//!
//! The bulk operations of [`crate::core::points`] take a [`CancelFlag`] and
//! check it once per [`CHUNK`] points (an atomic load), returning
//! [`Cancelled`] soon after another thread has called [`CancelFlag::cancel`].
//! The Ruby layer sets it once an interrupt has raised an exception, so
//! that `Thread#kill`, `Thread#raise` and `Timeout.timeout` stop a call
//! running without the GVL (an interrupt that raises nothing leaves it
//! alone, and the work goes on); the C ABI passes a flag nobody sets.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// How many points an operation handles between two looks at its flag:
/// small enough that a cancelled call stops within microseconds (a chunk is
/// a few µs of work), large enough that the check costs nothing measurable.
pub const CHUNK: usize = 4096;

/// A flag one thread sets to ask a computation running on another to stop.
///
/// Ownership: owned by whoever starts the computation, borrowed by it and by
/// the thread that may cancel it. Thread-safety: `Sync`; `cancel` may be
/// called from any thread, any number of times, and needs no allocation or
/// lock, so it is safe from an unblocking function.
#[derive(Debug, Default)]
pub struct CancelFlag(AtomicBool);

impl CancelFlag {
    /// A flag that is not set.
    pub const fn new() -> Self {
        CancelFlag(AtomicBool::new(false))
    }

    /// Asks the computation to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`cancel`](Self::cancel) has been called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once the flag is set: the check the computations
    /// make with `?` between chunks.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A computation stopped because its [`CancelFlag`] was set; it returned no
/// partial result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the computation was cancelled")
    }
}

impl std::error::Error for Cancelled {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_checks_clear_until_cancelled() {
        let flag = CancelFlag::new();
        assert_eq!(flag.check(), Ok(()));
        flag.cancel();
        assert!(flag.is_cancelled());
        assert_eq!(flag.check(), Err(Cancelled));
        flag.cancel();
        assert_eq!(flag.check(), Err(Cancelled));
    }

    #[test]
    fn another_thread_can_cancel() {
        let flag = CancelFlag::new();
        std::thread::scope(|scope| {
            scope.spawn(|| flag.cancel());
        });
        assert!(flag.is_cancelled());
    }
}
