//! Running bulk work without the GVL, so other Ruby threads run meanwhile,
//! and so that `Thread#kill`, `Thread#raise`, `Timeout.timeout` and signals
//! can stop it.
//!
//! [`without_gvl`] hands the work to `rb_nogvl` with an
//! unblocking function that sets the work's [`CancelFlag`]; the core checks
//! it once per chunk of points, so an interrupted call returns within
//! microseconds. Once the GVL is back, the interrupt is run
//! (`rb_thread_check_ints`, under `rb_protect`), which raises the pending
//! exception; if it raises none (a signal whose trap handler returned, a
//! `Thread#wakeup`), the work starts again.
//!
//! The rules that keep this sound:
//!
//! * The work is a `Send` closure: no Ruby handle (`&Ruby`, `Value`,
//!   `Obj`) can be in it, so it makes no Ruby call without the GVL. What it
//!   reads is plain Rust data the caller snapshotted (an `Arc` of points,
//!   which Ruby can neither change nor free), and what it returns is dropped
//!   or turned into Ruby objects by the caller, with the GVL.
//! * A panic in the work is caught inside the trampoline, never unwinds
//!   into Ruby's C frames, and becomes `MyLib::PanicError` once the GVL is
//!   back.
//! * `rb_nogvl` with `RB_NOGVL_INTR_FAIL`, unlike
//!   `rb_thread_call_without_gvl`, never runs interrupts itself, so it
//!   cannot raise (longjmp) over the Rust frames that call it; the
//!   interrupts run in `thread_check_ints`, which returns them as an `Err`.
//! * The unblocking function only stores to an atomic, which is safe even
//!   in a signal handler (`RB_NOGVL_UBF_ASYNC_SAFE`).
//!
//! Small inputs are not worth releasing the GVL for: [`run_bulk`] does the
//! work in place below [`release_threshold`] points.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

use magnus::{Error, Ruby};

use super::{boundary::guard, errors};
use crate::core::cancel::{CancelFlag, Cancelled};
use crate::core::unwind::{Panic, catch_panic};

/// From how many points (of work) the bulk operations release the GVL,
/// unless changed with `MyLib::Points.gvl_release_threshold=`.
///
/// Measured here: releasing and retaking an uncontended GVL adds 0.1 µs to
/// a call (`centroid` of 1,000 points: 0.65 µs released, 0.53 µs held), but
/// with other threads waiting, retaking it can wait for their time slice
/// (up to 100 ms). So only work long enough to be worth running beside
/// other threads releases it: 50,000 points is 20–150 µs of work, depending
/// on the operation.
const DEFAULT_RELEASE_THRESHOLD: usize = 50_000;

/// `usize::MAX` means never: `gvl_release_threshold = nil`.
static RELEASE_THRESHOLD: AtomicUsize = AtomicUsize::new(DEFAULT_RELEASE_THRESHOLD);

/// From how many points bulk work releases the GVL (`None`: never).
pub fn release_threshold() -> Option<usize> {
    match RELEASE_THRESHOLD.load(Ordering::Relaxed) {
        usize::MAX => None,
        points => Some(points),
    }
}

/// Sets [`release_threshold`] for every thread (`None`: never release).
pub fn set_release_threshold(points: Option<usize>) {
    RELEASE_THRESHOLD.store(points.unwrap_or(usize::MAX), Ordering::Relaxed);
}

/// Runs `work`, over `size` points, without the GVL when `size` reaches
/// [`release_threshold`], in place (under [`guard`]) below it.
pub fn run_bulk<R, W>(ruby: &Ruby, size: usize, work: W) -> Result<R, Error>
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send,
{
    if release_threshold().is_some_and(|threshold| size >= threshold) {
        without_gvl(ruby, work)
    } else {
        // Nobody else holds this flag, so the work runs to completion.
        guard(ruby, || {
            work(&CancelFlag::new()).map_err(|Cancelled| {
                errors::panic_error(
                    ruby,
                    "a cancel flag only this call holds was set".to_owned(),
                )
            })
        })
    }
}

/// Runs `work` with the GVL released; see the module documentation.
/// Returns its result, the exception of an interrupt, or `PanicError`.
pub fn without_gvl<R, W>(ruby: &Ruby, work: W) -> Result<R, Error>
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send,
{
    loop {
        let cancel = CancelFlag::new();
        let mut call = Call {
            work: &work,
            cancel: &cancel,
            outcome: None,
        };
        // SAFETY: `trampoline::<R, W>` receives `&mut call`, a live
        // `Call<R, W>` that outlives this synchronous call, and `unblock`
        // receives `&cancel`, a live `CancelFlag`; Ruby calls the
        // unblocking function only while the work may be running, that is
        // during this call. With `RB_NOGVL_INTR_FAIL`, `rb_nogvl` runs no
        // interrupt, so it cannot raise: it returns at once, without
        // calling the work, when one is pending. `RB_NOGVL_UBF_ASYNC_SAFE`
        // declares `unblock` safe to call from a signal handler (it only
        // stores to an atomic), which spares Ruby from starting a helper
        // thread on each call made from a lone main thread (measured: 29 µs
        // a call with it, ~1 µs without). It must be called with the GVL,
        // which a method body holds.
        unsafe {
            rb_sys::rb_nogvl(
                Some(trampoline::<R, W>),
                (&raw mut call).cast::<c_void>(),
                Some(unblock),
                (&raw const cancel).cast_mut().cast::<c_void>(),
                (rb_sys::RB_NOGVL_INTR_FAIL | rb_sys::RB_NOGVL_UBF_ASYNC_SAFE) as c_int,
            );
        }
        match call.outcome {
            Some(Ok(Ok(value))) => return Ok(value),
            Some(Err(panic)) => return Err(errors::panic_error(ruby, panic.message)),
            // Interrupted before the work started (`None`) or during it:
            // run the interrupt, which raises for kill, raise and Timeout.
            Some(Ok(Err(Cancelled))) | None => ruby.thread_check_ints()?,
        }
    }
}

/// What the trampoline needs, and where it leaves the outcome.
struct Call<'a, R, W> {
    work: &'a W,
    cancel: &'a CancelFlag,
    outcome: Option<Result<Result<R, Cancelled>, Panic>>,
}

/// Runs the work without the GVL, catching any panic.
///
/// # Safety
///
/// `data` points to a live `Call<R, W>`, used by nothing else during this
/// call.
unsafe extern "C" fn trampoline<R, W>(data: *mut c_void) -> *mut c_void
where
    W: Fn(&CancelFlag) -> Result<R, Cancelled>,
{
    // SAFETY: the caller (`without_gvl`, through Ruby) passes `&mut Call`,
    // exclusively ours for this call.
    let call = unsafe { &mut *data.cast::<Call<'_, R, W>>() };
    call.outcome = Some(catch_panic(|| (call.work)(call.cancel)));
    std::ptr::null_mut()
}

/// Ruby's unblocking function: asks the work to stop. Called by Ruby, from
/// another thread or a signal handler, when this one is interrupted; only
/// sets an atomic flag, which is async-signal-safe.
///
/// # Safety
///
/// `data` points to the live `CancelFlag` of the running call.
unsafe extern "C" fn unblock(data: *mut c_void) {
    // SAFETY: `without_gvl` passes its `CancelFlag`, alive for the whole
    // `rb_nogvl` call, during which alone Ruby calls
    // this; `CancelFlag` is `Sync`, so a shared reference from another
    // thread is fine.
    let cancel = unsafe { &*data.cast_const().cast::<CancelFlag>() };
    cancel.cancel();
}
