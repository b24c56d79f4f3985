//! Running the work on the calling thread, when no worker can be had: the
//! system refused a thread (`RLIMIT_NPROC`, no address space for its
//! stack).
//!
//! The work still runs without the GVL, so other threads run meanwhile,
//! and it stays cancellable: Ruby's unblocking function sets its
//! [`CancelFlag`], the core stops within a chunk, and the interrupt runs
//! with the GVL back (under `rb_protect`). The cost of having no worker:
//! an interrupt that raises nothing (a signal whose trap returned,
//! `Thread#wakeup`) cannot tell the work to go on, so the work starts over
//! after it, as `rb_thread_call_without_gvl` users must.
//!
//! Harmless interrupts that come faster than the work takes (a
//! `Thread#wakeup` loop, a `trap("CHLD")` with busy children) would start
//! it over for ever. So after [`RESTARTS`] of them, the last attempt runs
//! without an unblocking function, to its end. The trade-off: the call
//! costs at most `RESTARTS + 1` times the work, but an interrupt that
//! comes during that last attempt, `Thread#kill` included, is run only
//! when it ends, up to one run of the work later. (`Zlib` does pass an
//! unblocking function, but it only sets a flag read between two calls
//! into zlib, so there too an interrupt waits for the zlib call under
//! way.)

use std::ffi::{c_int, c_void};
use std::sync::Arc;

use magnus::{Error, Ruby};

use super::Outcome;
use crate::core::cancel::{CancelFlag, Cancelled};
use crate::core::unwind::catch_panic;

/// How many times an interrupt that raised nothing may start the work
/// over before the last attempt runs to its end. Each restart wastes up to
/// one run of the work.
const RESTARTS: u32 = 3;

/// Runs `work` on this thread without the GVL, until it ends without being
/// cancelled; returns its outcome, or the exception of an interrupt.
///
/// When Ruby will not release the GVL twice in a row (it defers every
/// interrupt while raising, see the parent module), the work runs with the
/// GVL held: no interrupt could be delivered meanwhile anyway.
pub fn run<R, W>(ruby: &Ruby, work: &W) -> Result<Outcome<R>, Error>
where
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
{
    let mut refused_before = false;
    let mut restarts = 0;
    loop {
        // The last attempt (see the module documentation) cannot be
        // stopped: Ruby gets no unblocking function to call.
        let unblocking: Option<unsafe extern "C" fn(*mut c_void)> =
            (restarts < RESTARTS).then_some(cancel_work);
        // The flag the unblocking function sets, which another thread (one
        // calling `Thread#raise`) may touch: owned by an `Arc`, not by this
        // frame, like everything another thread sees.
        let cancel = Arc::new(CancelFlag::new());
        let mut here = Here {
            work,
            cancel: &cancel,
            outcome: None,
        };
        // SAFETY: `run_here::<R, W>` receives `&mut here`, which only this
        // thread touches: without `RB_NOGVL_OFFLOAD_SAFE`, `rb_nogvl` runs
        // it here, synchronously, or not at all. `cancel_work` receives the
        // `CancelFlag` of `cancel`, alive for this call, during which alone
        // Ruby calls it: not declared async-signal-safe, so Ruby calls it
        // under its interrupt lock, never from a signal handler after the
        // call (see the parent module). `RB_NOGVL_INTR_FAIL`: `rb_nogvl`
        // runs no interrupt, so it cannot raise. Called with the GVL.
        unsafe {
            rb_sys::rb_nogvl(
                Some(run_here::<R, W>),
                (&raw mut here).cast::<c_void>(),
                unblocking,
                Arc::as_ptr(&cancel).cast_mut().cast::<c_void>(),
                rb_sys::RB_NOGVL_INTR_FAIL as c_int,
            );
        }
        let refused = match here.outcome {
            // Stopped by the unblocking function: run the interrupt, and
            // start over if it raised nothing.
            Some(Ok(Err(Cancelled))) => {
                restarts += 1;
                false
            }
            Some(outcome) => return Ok(outcome),
            None if refused_before => return Ok(catch_panic(|| work(&CancelFlag::new()))),
            None => true,
        };
        ruby.thread_check_ints()?;
        refused_before = refused;
    }
}

/// What [`run_here`] needs, and where it leaves the outcome.
struct Here<'a, R, W> {
    work: &'a W,
    cancel: &'a CancelFlag,
    outcome: Option<Outcome<R>>,
}

/// Runs the work without the GVL, catching any panic.
///
/// # Safety
///
/// `data` points to a live `Here<R, W>`, used by nothing else during this
/// call.
unsafe extern "C" fn run_here<R, W>(data: *mut c_void) -> *mut c_void
where
    W: Fn(&CancelFlag) -> Result<R, Cancelled>,
{
    // SAFETY: `run` passes `&mut Here`, exclusively ours for this call.
    let here = unsafe { &mut *data.cast::<Here<'_, R, W>>() };
    here.outcome = Some(catch_panic(|| (here.work)(here.cancel)));
    std::ptr::null_mut()
}

/// The unblocking function: stop the work at its next check. Only stores
/// to an atomic, which is async-signal-safe.
///
/// # Safety
///
/// `data` points to a live `CancelFlag`.
pub(super) unsafe extern "C" fn cancel_work(data: *mut c_void) {
    // SAFETY: `run` passes the flag it holds for the whole `rb_nogvl`
    // call, during which alone Ruby calls this; `CancelFlag` is `Sync`.
    unsafe { &*data.cast_const().cast::<CancelFlag>() }.cancel();
}
