//! Handing the work to a Fiber scheduler (`RB_NOGVL_OFFLOAD_SAFE`, Ruby
//! 3.4+).
//!
//! `rb_nogvl` with that flag, called from a non-blocking fiber, calls the
//! scheduler's `blocking_operation_wait` with a Proc that runs the
//! function (here: the work itself) with `rb_nogvl` on whichever Ruby
//! thread calls it; the calling fiber waits, and the event loop serves the
//! other fibers meanwhile. The contract: the scheduler returns, or raises,
//! only once the Proc has returned, or never ran. Cancelling is the
//! scheduler's part: when the waiting fiber is stopped (`task.stop`,
//! `Timeout`), it interrupts (kills) the thread running the Proc, whose
//! unblocking function sets the work's [`CancelFlag`].
//!
//! What the scheduler's thread touches is an [`Offloaded`] behind an `Arc`
//! the calling frame holds, never that frame itself: should the waiting
//! fiber be abandoned and collected while the Proc runs, the frame's
//! reference is never dropped, and the Proc finishes into memory nobody
//! else uses. (Ruby's own arguments to the Proc live on that fiber's
//! stack; that part is Ruby's.) A scheduler that returns while the Proc
//! is still running breaks the contract: the state is then leaked rather
//! than freed under it, and the call raises `PanicError`.
//!
//! The work runs as on a worker: plain Rust, no Ruby call, no thread-local
//! state but the panic-depth count of its own `catch_panic`. On the
//! scheduler's thread no interrupt comes that raises nothing (those, like
//! signals and `Thread#wakeup`, go to the calling thread, whose event loop
//! runs them), so cancelling on any is right there.

use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use magnus::{
    Error, Ruby, Value,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
};

use super::inline::cancel_work;
use super::{Call, Outcome};
use crate::core::cancel::{CancelFlag, Cancelled};
use crate::ruby::errors;

/// The work's outcome; `None` when there is no scheduler to hand it to, or
/// the scheduler's thread was interrupted with nothing raised here (its
/// pool closing): then the caller runs it its usual way.
pub fn run<R, W>(ruby: &Ruby, call: &Arc<Call<R, W>>) -> Result<Option<Outcome<R>>, Error>
where
    R: Send + 'static,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send + Sync + 'static,
{
    // SAFETY: reads the current thread's scheduler, `nil` unless the
    // current fiber is non-blocking; calls no method, cannot raise.
    let scheduler = unsafe { Value::from_raw(rb_sys::rb_fiber_scheduler_current()) };
    // Without the method, `rb_nogvl` would run the work right here,
    // where an interrupt that raises nothing would cancel it.
    if scheduler.is_nil() || !scheduler.respond_to("blocking_operation_wait", false)? {
        return Ok(None);
    }
    let offloaded = Arc::new(Offloaded {
        call: Arc::clone(call),
        cancel: CancelFlag::new(),
        started: AtomicBool::new(false),
        finished: AtomicBool::new(false),
    });
    let data = Arc::as_ptr(&offloaded).cast_mut().cast::<c_void>();
    let flag = (&raw const offloaded.cancel).cast_mut().cast::<c_void>();
    // SAFETY: `trampoline::<R, W>` and `cancel_work` receive parts of
    // `offloaded`, which this frame holds a reference to until the
    // scheduler has returned (or for ever, if this fiber is abandoned), and
    // beyond if the Proc is still running then (see below). `rb_nogvl` is
    // called with the GVL, from this method's thread; `protect` catches
    // what the scheduler raises.
    let waited = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_nogvl(
            Some(trampoline::<R, W>),
            data,
            Some(cancel_work),
            flag,
            (rb_sys::RB_NOGVL_INTR_FAIL | rb_sys::RB_NOGVL_OFFLOAD_SAFE) as c_int,
        );
        ruby.qnil().as_raw()
    });
    let finished = offloaded.finished.load(Ordering::Acquire);
    if offloaded.started.load(Ordering::Acquire) && !finished {
        // The Proc is running on, against the contract: it keeps the state.
        std::mem::forget(offloaded);
        return Err(errors::panic_error(
            ruby,
            "the Fiber scheduler returned before the work it ran".to_owned(),
        ));
    }
    waited?;
    if !finished {
        return Ok(None);
    }
    // SAFETY: the Proc has finished (seen with `Acquire`, after its
    // `Release`), and ran nowhere else: the outcome is ours.
    Ok(match unsafe { call.take_outcome() } {
        Some(Ok(Err(Cancelled))) | None => None,
        outcome => outcome,
    })
}

/// What the scheduler's thread touches.
struct Offloaded<R, W> {
    call: Arc<Call<R, W>>,
    /// The scheduler's unblocking function sets this; a flag of its own,
    /// not the call's, so that the call can still run its usual way after.
    cancel: CancelFlag,
    /// Set by the trampoline before it runs the work.
    started: AtomicBool,
    /// Set by the trampoline, with `Release`, once the outcome is stored.
    finished: AtomicBool,
}

/// Runs the work on the scheduler's thread, catching any panic.
///
/// # Safety
///
/// `data` points to a live `Offloaded<R, W>`, whose call's outcome nothing
/// else touches until `finished` is set.
unsafe extern "C" fn trampoline<R, W>(data: *mut c_void) -> *mut c_void
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
{
    // SAFETY: `run` passes its `Offloaded`, alive while this runs.
    let offloaded = unsafe { &*data.cast_const().cast::<Offloaded<R, W>>() };
    offloaded.started.store(true, Ordering::Release);
    // SAFETY: only this Proc runs the work of this call now (the caller
    // runs it its usual way only once this has finished, or never
    // started), and the caller reads the outcome only after `finished`.
    unsafe { offloaded.call.run_with(&offloaded.cancel) };
    offloaded.finished.store(true, Ordering::Release);
    std::ptr::null_mut()
}
