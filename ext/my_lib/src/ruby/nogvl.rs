//! Running bulk work without the GVL, so other Ruby threads run meanwhile,
//! and so that `Thread#kill`, `Thread#raise`, `Timeout.timeout` and signals
//! can stop it.
//!
//! [`without_gvl`] runs the work on a worker thread of its own (a scoped
//! native thread, not a Ruby thread), while the calling Ruby thread waits
//! for it inside `rb_nogvl`, without the GVL. Ruby's unblocking function
//! only wakes the waiting thread. The waiting thread, GVL back, runs the
//! interrupt (`rb_thread_check_ints`, under `rb_protect`):
//!
//! * if it raises (`Thread#kill`, `Thread#raise`, `Timeout`, Ctrl-C), the
//!   work's [`CancelFlag`] is set; the core checks it once per chunk of
//!   points, so the worker stops within microseconds; it is joined and the
//!   exception returned;
//! * if it raises nothing (a signal whose handler returned, an untrapped
//!   SIGCHLD, `Thread#wakeup`, the timer), the waiting thread goes back to
//!   waiting, and the work, which never stopped, loses nothing.
//!
//! Why a worker thread rather than calling back into Ruby from the work
//! (`rb_thread_call_with_gvl`): on its way back out, that function runs
//! pending interrupts again, unprotected (`blocking_region_begin(...,
//! FALSE)` in thread.c of Ruby 3.1 to 3.4), so an exception arriving in
//! that window (a trap handler that raises, a `Thread#raise` from a thread
//! the timer switched to) would `longjmp` over the work's Rust frames.
//! Here, every Ruby call happens on the calling thread, in frames holding
//! no destructor that matters, under `rb_protect`. The price is a thread
//! start per call: `centroid` of 1,000 points with the GVL released takes
//! 57 µs instead of 0.5 µs (measured on the shared 2-core build machine,
//! load 11), which is why only work of [`release_threshold`] points or more
//! (20–150 µs of it) is run this way.
//!
//! When `rb_nogvl` cannot release the GVL: it returns at once, without
//! waiting, when an interrupt is pending (`RB_NOGVL_INTR_FAIL`). Usually
//! `rb_thread_check_ints` then runs it and the next attempt succeeds. But
//! while Ruby is raising an exception and runs user code (an overridden
//! `Exception#backtrace`), it defers every interrupt (`ec->raised_flag`):
//! `rb_thread_check_ints` consumes nothing and the GVL can never be
//! released. The waiting thread then keeps the GVL and waits for the
//! worker up to 1 ms at a time, running the interrupts between waits; the
//! worker always progresses, so this ends, and the call stays cancellable
//! whenever Ruby can deliver an interrupt at all. (Raising instead would
//! fail a correct call made from perfectly legal code.)
//!
//! The rules that keep this sound:
//!
//! * The work is a `Send` closure: no Ruby handle (`&Ruby`, `Value`,
//!   `Obj`) can be in it, so it makes no Ruby call. What it reads is plain
//!   Rust data the caller snapshotted (an `Arc` of points, which Ruby can
//!   neither change nor free), and what it returns is dropped or turned
//!   into Ruby objects by the caller, with the GVL. It does not depend on
//!   which thread runs it: the panic-depth count of
//!   [`catch_panic`](crate::core::unwind::catch_panic) is per thread, and the
//!   worker runs its own `catch_panic`.
//! * A panic in the work is caught on the worker, and becomes
//!   `MyLib::PanicError` once the GVL is back.
//! * `rb_nogvl` with `RB_NOGVL_INTR_FAIL`, unlike
//!   `rb_thread_call_without_gvl`, never runs interrupts itself, so it
//!   cannot raise (`longjmp`) over the Rust frames that call it.
//! * The unblocking function only stores to an atomic and unparks the
//!   waiting thread. On Linux the standard library unparks with an atomic
//!   swap and a `futex` wake, no lock and no allocation, which is
//!   async-signal-safe, so there (only) it is declared
//!   `RB_NOGVL_UBF_ASYNC_SAFE`, which spares Ruby a helper thread on each
//!   call from a lone main thread (measured: 29 µs a call).
//!
//! Small inputs are not worth releasing the GVL for: [`run_bulk`] does the
//! work in place below [`release_threshold`] points.
//!
//! On Ruby 3.4 and later (known when compiling: `ruby_gte_3_4`), a call
//! made from a non-blocking fiber whose scheduler implements
//! `blocking_operation_wait` is offloaded to it instead (see [`offload`]),
//! so that the scheduler's other fibers run meanwhile.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use magnus::{Error, Ruby};

use super::{boundary::guard, errors};
use crate::core::cancel::{CancelFlag, Cancelled};
use crate::core::unwind::{Panic, catch_panic};

/// From how many points (of work) the bulk operations release the GVL,
/// unless changed with `MyLib::Points.gvl_release_threshold=`.
///
/// Releasing costs a worker thread's start (measured: `centroid` of 1,000
/// points 57 µs released, 0.5 µs held, on the loaded build machine), and
/// with other threads waiting, retaking the GVL can wait for their time
/// slice (up to 100 ms). So only work long enough to be worth running
/// beside other threads releases it: 50,000 points is 20–150 µs of work,
/// depending on the operation.
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
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
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

/// Runs `work` on a worker thread while this thread waits without the GVL;
/// see the module documentation. Returns its result, the exception of an
/// interrupt, or `PanicError`.
///
/// If no thread can be started (a process or memory limit), the work runs
/// on this thread with the GVL held, to completion: slower for the other
/// threads, but the same result.
pub fn without_gvl<R, W>(ruby: &Ruby, work: W) -> Result<R, Error>
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
{
    #[cfg(ruby_gte_3_4)]
    if let Some(result) = offload::run(ruby, &work)? {
        return result;
    }
    let progress = Progress::new();
    let (waited, outcome) = thread::scope(|scope| {
        let worker = thread::Builder::new().spawn_scoped(scope, || {
            let outcome = catch_panic(|| work(&progress.cancel));
            progress.finish();
            outcome
        });
        match worker {
            Ok(worker) => {
                let waited = wait_for_worker(ruby, &progress);
                if waited.is_err() {
                    progress.cancel.cancel();
                }
                // The worker stops within one chunk of points once
                // cancelled: joining it keeps the GVL that briefly. It
                // cannot panic (`catch_panic` and `finish` cannot).
                let outcome = worker.join().unwrap_or_else(|_| {
                    Err(Panic {
                        message: "the worker thread panicked".to_owned(),
                    })
                });
                (waited, outcome)
            }
            Err(_) => (Ok(()), catch_panic(|| work(&CancelFlag::new()))),
        }
    });
    waited?;
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(Cancelled)) => Err(errors::panic_error(
            ruby,
            "the work was cancelled though no interrupt raised".to_owned(),
        )),
        Err(panic) => Err(errors::panic_error(ruby, panic.message)),
    }
}

/// What the calling thread and the worker share. Owned by
/// [`without_gvl`]'s frame, which outlives the worker (joined) and every
/// `rb_nogvl` call made with it.
struct Progress {
    /// Set once an interrupt raised: the work stops at its next check.
    cancel: CancelFlag,
    /// Set by the worker when its outcome is ready.
    finished: AtomicBool,
    /// Set by the unblocking function: an interrupt is waiting to be run.
    interrupted: AtomicBool,
    /// Set by [`wait_released`] when `rb_nogvl` did call it.
    released: AtomicBool,
    /// The calling thread, which waits in [`wait_released`].
    waiter: Thread,
}

impl Progress {
    fn new() -> Self {
        Progress {
            cancel: CancelFlag::new(),
            finished: AtomicBool::new(false),
            interrupted: AtomicBool::new(false),
            released: AtomicBool::new(false),
            waiter: thread::current(),
        }
    }

    /// The worker's last word: its outcome is ready.
    fn finish(&self) {
        self.finished.store(true, Ordering::Release);
        self.waiter.unpark();
    }

    fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Waits (parked) until the worker has finished or `timeout` has passed.
    fn wait_finished(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.is_finished() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            thread::park_timeout(left);
        }
    }
}

/// How long the calling thread, when Ruby will not let it release the GVL,
/// waits for the worker before looking at the interrupts again.
const HELD_WAIT: Duration = Duration::from_millis(1);

/// `rb_nogvl` flags. `RB_NOGVL_UBF_ASYNC_SAFE` only where [`unblock`] is
/// async-signal-safe (see the module documentation).
const NOGVL_FLAGS: u32 = if cfg!(target_os = "linux") {
    rb_sys::RB_NOGVL_INTR_FAIL | rb_sys::RB_NOGVL_UBF_ASYNC_SAFE
} else {
    rb_sys::RB_NOGVL_INTR_FAIL
};

/// Waits until the worker has finished, without the GVL whenever Ruby lets
/// it go; runs every interrupt on the way, and returns the exception of the
/// first that raises.
///
/// Each turn of the loop either waits for the worker with the GVL released
/// until an interrupt, or (when Ruby cannot release it) waits up to
/// [`HELD_WAIT`] with it held: the worker progresses all the while, so the
/// loop ends.
fn wait_for_worker(ruby: &Ruby, progress: &Progress) -> Result<(), Error> {
    while !progress.is_finished() {
        progress.interrupted.store(false, Ordering::Relaxed);
        progress.released.store(false, Ordering::Relaxed);
        let data = (progress as *const Progress).cast_mut().cast::<c_void>();
        // SAFETY: `wait_released` and `unblock` receive `progress`, alive
        // for this whole synchronous call (Ruby calls the unblocking
        // function only during it); both only read it, touching nothing
        // but atomics and the `Thread` handle, which are `Sync`. With
        // `RB_NOGVL_INTR_FAIL`, `rb_nogvl` runs no interrupt, so it cannot
        // raise: it returns at once, without calling `wait_released`, when
        // one is pending. It must be called with the GVL, which this
        // thread holds (a method body).
        unsafe {
            rb_sys::rb_nogvl(
                Some(wait_released),
                data,
                Some(unblock),
                data,
                NOGVL_FLAGS as c_int,
            );
        }
        if progress.is_finished() {
            break;
        }
        ruby.thread_check_ints()?;
        if !progress.released.load(Ordering::Relaxed) {
            progress.wait_finished(HELD_WAIT);
        }
    }
    Ok(())
}

/// Runs without the GVL: parks the calling thread until the worker has
/// finished or an interrupt has come.
///
/// # Safety
///
/// `data` points to a live `Progress`, whose `waiter` is this thread.
unsafe extern "C" fn wait_released(data: *mut c_void) -> *mut c_void {
    // SAFETY: `wait_for_worker` passes its `Progress`, alive for the call.
    let progress = unsafe { &*data.cast_const().cast::<Progress>() };
    progress.released.store(true, Ordering::Relaxed);
    while !progress.is_finished() && !progress.interrupted.load(Ordering::Relaxed) {
        thread::park();
    }
    std::ptr::null_mut()
}

/// Ruby's unblocking function: an interrupt is waiting, wake the calling
/// thread so that it runs it. Called by Ruby, from another thread or (on
/// Linux) a signal handler; only stores to an atomic and unparks, which is
/// async-signal-safe there.
///
/// # Safety
///
/// `data` points to the live `Progress` of the running call.
unsafe extern "C" fn unblock(data: *mut c_void) {
    // SAFETY: `wait_for_worker` passes its `Progress`, alive for the whole
    // `rb_nogvl` call, during which alone Ruby calls this; `Progress` is
    // `Sync`, so a shared reference from another thread is fine.
    let progress = unsafe { &*data.cast_const().cast::<Progress>() };
    progress.interrupted.store(true, Ordering::Relaxed);
    progress.waiter.unpark();
}

/// Handing the work to a Fiber scheduler (`RB_NOGVL_OFFLOAD_SAFE`, Ruby
/// 3.4+).
///
/// `rb_nogvl` with that flag, called from a non-blocking fiber, calls the
/// scheduler's `blocking_operation_wait` with a Proc that runs the
/// function (here: the work itself) with `rb_nogvl` on whichever Ruby
/// thread calls it; the calling fiber waits, and the event loop serves the
/// other fibers meanwhile. The contract, which Ruby relies on as much as
/// this does (its arguments live on the calling fiber's stack): the
/// scheduler returns, or raises, only once the Proc has returned, or never
/// ran. Cancelling is the scheduler's part: when the waiting fiber is
/// stopped (`task.stop`, `Timeout`), it interrupts (kills) the thread
/// running the Proc, whose unblocking function sets the work's
/// [`CancelFlag`].
///
/// The work runs as on the worker of [`without_gvl`](super::without_gvl):
/// plain Rust, no Ruby call, no thread-local state but the panic-depth
/// count of its own `catch_panic`. On the scheduler's thread no interrupt
/// comes that raises nothing (those, like signals and `Thread#wakeup`, go
/// to the calling thread, whose event loop runs them), so cancelling on
/// any is right there.
#[cfg(ruby_gte_3_4)]
mod offload {
    use super::*;
    use magnus::{
        Value,
        prelude::*,
        rb_sys::{AsRawValue, FromRawValue},
    };

    /// The work's outcome, `None` when there is no scheduler to hand it to,
    /// or the scheduler's thread was interrupted with nothing raised here
    /// (its pool closing): then the caller runs it its usual way.
    pub fn run<R, W>(ruby: &Ruby, work: &W) -> Result<Option<Result<R, Error>>, Error>
    where
        R: Send,
        W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
    {
        // SAFETY: reads the current thread's scheduler, `nil` unless the
        // current fiber is non-blocking; calls no method, cannot raise.
        let scheduler = unsafe { Value::from_raw(rb_sys::rb_fiber_scheduler_current()) };
        // Without the method, `rb_nogvl` would run the work right here,
        // where an interrupt that raises nothing would cancel it.
        if scheduler.is_nil() || !scheduler.respond_to("blocking_operation_wait", false)? {
            return Ok(None);
        }
        let cancel = CancelFlag::new();
        let mut call = Call {
            work,
            cancel: &cancel,
            outcome: None,
        };
        let data = (&raw mut call).cast::<c_void>();
        let flag = (&raw const cancel).cast_mut().cast::<c_void>();
        // SAFETY: `trampoline::<R, W>` receives `&mut call` and `cancel`
        // receives `&cancel`, both alive for this synchronous call: the
        // scheduler returns (or raises, which `protect` catches) only once
        // the Proc running them has returned. `rb_nogvl` is called with the
        // GVL, from this method's thread.
        let waited = magnus::rb_sys::protect(|| unsafe {
            rb_sys::rb_nogvl(
                Some(trampoline::<R, W>),
                data,
                Some(cancel_work),
                flag,
                (rb_sys::RB_NOGVL_INTR_FAIL
                    | rb_sys::RB_NOGVL_UBF_ASYNC_SAFE
                    | rb_sys::RB_NOGVL_OFFLOAD_SAFE) as c_int,
            );
            ruby.qnil().as_raw()
        });
        if let Err(stopped) = waited {
            return Ok(Some(Err(stopped)));
        }
        Ok(match call.outcome {
            Some(Ok(Ok(value))) => Some(Ok(value)),
            Some(Err(panic)) => Some(Err(errors::panic_error(ruby, panic.message))),
            Some(Ok(Err(Cancelled))) | None => None,
        })
    }

    /// What the trampoline needs, and where it leaves the outcome.
    struct Call<'a, R, W> {
        work: &'a W,
        cancel: &'a CancelFlag,
        outcome: Option<Result<Result<R, Cancelled>, Panic>>,
    }

    /// Runs the work on the scheduler's thread, catching any panic.
    ///
    /// # Safety
    ///
    /// `data` points to a live `Call<R, W>`, used by nothing else during
    /// this call.
    unsafe extern "C" fn trampoline<R, W>(data: *mut c_void) -> *mut c_void
    where
        W: Fn(&CancelFlag) -> Result<R, Cancelled>,
    {
        // SAFETY: `run` passes `&mut Call`, exclusively ours for this call.
        let call = unsafe { &mut *data.cast::<Call<'_, R, W>>() };
        call.outcome = Some(catch_panic(|| (call.work)(call.cancel)));
        std::ptr::null_mut()
    }

    /// The unblocking function on the scheduler's thread: stop the work.
    /// Only stores to an atomic, which is async-signal-safe.
    ///
    /// # Safety
    ///
    /// `data` points to the live `CancelFlag` of the running call.
    unsafe extern "C" fn cancel_work(data: *mut c_void) {
        // SAFETY: `run` passes its `CancelFlag`, alive for the whole
        // offloaded call, during which alone Ruby calls this.
        unsafe { &*data.cast_const().cast::<CancelFlag>() }.cancel();
    }
}
