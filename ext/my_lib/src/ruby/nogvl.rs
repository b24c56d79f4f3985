//! Running bulk work without the GVL, so other Ruby threads run meanwhile,
//! and so that `Thread#kill`, `Thread#raise`, `Timeout.timeout` and signals
//! can stop it.
//!
//! [`without_gvl`] runs the work on a worker thread (a native thread, not a
//! Ruby thread, parked between calls in a small cache: see [`workers`]),
//! while the calling Ruby thread waits
//! for it inside `rb_nogvl`, without the GVL. Ruby's unblocking function
//! only wakes the waiting thread. The waiting thread, GVL back, runs the
//! interrupt (`rb_thread_check_ints`, under `rb_protect`):
//!
//! * if it raises (`Thread#kill`, `Thread#raise`, `Timeout`, Ctrl-C), the
//!   work's [`CancelFlag`] is set; the core checks it once per chunk of
//!   points, so the worker stops within microseconds; the exception is
//!   returned at once;
//! * if it raises nothing (a signal whose handler returned, an untrapped
//!   SIGCHLD, `Thread#wakeup`, the timer), the waiting thread goes back to
//!   waiting, and the work, which never stopped, loses nothing.
//!
//! Every call that released the GVL ends, once the work is over, with the
//! interrupt check Ruby's own blocking regions end with
//! (`rb_thread_check_ints` is `RUBY_VM_CHECK_INTS_BLOCKING`, which also
//! looks at the queue of pending interrupts), under `rb_protect`: a
//! `Thread#kill` queued behind a `Thread#raise` is delivered at the latest
//! when the call returns, even if nothing woke the waiting thread.
//!
//! Why a worker thread rather than calling back into Ruby from the work
//! (`rb_thread_call_with_gvl`): on its way back out, that function runs
//! pending interrupts again, unprotected (`blocking_region_begin(...,
//! FALSE)` in thread.c of Ruby 3.1 to 3.4), so an exception arriving in
//! that window (a trap handler that raises, a `Thread#raise` from a thread
//! the timer switched to) would `longjmp` over the work's Rust frames.
//! Here, every Ruby call happens on the calling thread, in frames holding
//! no destructor that matters, under `rb_protect`. The price is a hand-over
//! to a parked worker and back, about 6 µs a call: `centroid` of 1,000
//! points with the GVL released takes 5.6 µs instead of 0.4 µs, and of
//! 50,000 points 23 µs instead of 17 µs (best of 500 and 200 calls, shared
//! 2-core build machine, load 3–9; `bench/handover.rb`). Starting a thread
//! per call, as this did before, cost about 30 µs (25 µs and 46 µs for the
//! same two). That is why only work of [`release_threshold`] points or
//! more (17–120 µs of it) is run this way.
//!
//! # Nothing shared lives in a Ruby frame
//!
//! A Ruby frame need not end the way Rust expects. A signal trap runs in
//! whichever fiber made the call, while it waits; a trap that calls
//! `Fiber.yield` parks that fiber, and a parked fiber nobody resumes is
//! freed by the GC, its stack given back to the pool for the next fiber,
//! without its Rust frames ever being unwound. So what a worker (or a
//! Fiber scheduler's thread) reads or writes, the work with its inputs,
//! its outcome and the flags of the hand-over, is one [`Call`] behind an
//! `Arc`: the calling frame holds one reference, the worker another. A
//! worker whose caller vanished finishes into the `Call`, drops its
//! reference, and writes nowhere else. (The vanished frame's reference is
//! never dropped, as none of that frame's destructors run: that `Call`,
//! with the work's snapshot of the points and the outcome, stays
//! allocated. A leak per abandoned fiber is the price; never memory someone
//! else uses.)
//!
//! # No call that neither finishes nor stops
//!
//! * Without a worker (the system refuses a thread: `RLIMIT_NPROC`, no
//!   address space for a stack), the work runs on the calling thread, still
//!   without the GVL and still cancellable (see [`inline`]).
//! * After `fork` in a signal trap during a call, the child has no worker:
//!   the call sees that its pid changed and hands the same work, as a new
//!   [`Call`], to a worker of its own, instead of waiting for a thread that
//!   is not there. The parent's worker may have been anywhere in the work
//!   at the fork, so the work must never wait for state another thread may
//!   hold: no lock, no `Once` (`OnceLock`), only atomics (see
//!   [`Call::sharing_work`]). The old `Call` is never freed in the child:
//!   the child reads its `finished` flag and drops its own references to
//!   it, but its reference count also holds the parent worker's, which
//!   nothing in the child drops; so its outcome, which that worker may have
//!   been half-way through writing, is never read nor dropped.
//! * Workers block every signal, so a process signal is always handled by
//!   a Ruby thread, never by a thread Ruby does not know; and a main thread
//!   waiting for a worker also stops for a signal Ruby's handler woke
//!   nobody for (Ctrl-C beside other threads on Ruby 3.1; see [`signals`]).
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
//! * The work is a `Send + Sync + 'static` closure: no Ruby handle
//!   (`&Ruby`, `Value`, `Obj`) can be in it, so it makes no Ruby call, and
//!   it borrows nothing from the caller. What it reads is plain Rust data
//!   it owns (an `Arc` of points, which Ruby can neither change nor free;
//!   the one thing it may set, their index, it sets with a
//!   compare-and-swap), and what it returns is dropped or turned into Ruby
//!   objects by the caller, with the GVL. It never waits for another
//!   thread (no lock, no `Once`): a forked child may run it from where the
//!   parent's worker left it (see [`Call::sharing_work`]). It does not
//!   depend on which thread runs it: the
//!   panic-depth count of
//!   [`catch_panic`](crate::core::unwind::catch_panic) is per thread, and
//!   the worker runs its own `catch_panic`.
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
//! * Ruby 3.1 and 3.2 call a main thread's async-safe unblocking function
//!   from their signal handler without any lock, on whichever thread the
//!   signal lands, so they may call it after the call has returned, with
//!   an argument read before. The main thread's unblocking function
//!   ([`unblock_main`]) therefore takes no argument and touches only
//!   statics, which live as long as the process; the calls of other
//!   threads, whose unblocking function Ruby calls only under its
//!   interrupt lock while the call lasts, keep theirs per call. The rarer
//!   paths (no worker, the Fiber scheduler offload) declare nothing
//!   async-safe.
//!
//! Small inputs are not worth releasing the GVL for: [`run_bulk`] does the
//! work in place below [`release_threshold`] points.
//!
//! On Ruby 3.4 and later (known when compiling: `ruby_gte_3_4`), a call
//! made from a non-blocking fiber whose scheduler implements
//! `blocking_operation_wait` is offloaded to it instead (see [`offload`]),
//! so that the scheduler's other fibers run meanwhile.

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use magnus::{Error, Ruby};

use super::{boundary::guard, errors};
use crate::core::cancel::{CancelFlag, Cancelled};
use crate::core::unwind::{Panic, catch_panic};

mod inline;
#[cfg(ruby_gte_3_4)]
mod offload;
mod signals;
mod workers;

/// From how many points (of work) the bulk operations release the GVL,
/// unless changed with `MyLib::Points.gvl_release_threshold=`.
///
/// Releasing costs a hand-over to a worker thread and back, about 6 µs a
/// call, and with other threads waiting, retaking the GVL can wait for
/// their time slice (up to 100 ms). So only work long enough to be worth
/// running beside other threads releases it. Measured, best of 200 calls,
/// held / released, on the shared 2-core build machine (load 3–9):
///
/// | points | `centroid` | `bounding_box` | `path_length` |
/// | --- | --- | --- | --- |
/// | 50,000 | 17 / 23 µs | 71 / 77 µs | 122 / 128 µs |
/// | 200,000 | 66 / 73 µs | 284 / 291 µs | 488 / 495 µs |
/// | 1,000,000 | 342 / 348 µs | 1,447 / 1,472 µs | 2,446 / 2,473 µs |
///
/// At 50,000 points the cheapest operation pays a third more, the others
/// under a tenth; below it, the overhead soon outweighs the work (20,000
/// points: `centroid` 6.6 / 12.2 µs). With a thread start per call (before
/// the worker cache) it was about 30 µs (50,000 points: `centroid` 17 / 47
/// µs), which this threshold was chosen against; it stays.
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
    R: Send + 'static,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send + Sync + 'static,
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

/// Runs `work` without the GVL (on a worker thread, or on this thread
/// when there is none; see the module documentation), then runs pending
/// interrupts. Returns its result, the exception of an interrupt, or
/// `PanicError`.
///
/// `work` must never wait for state another thread may hold (a lock, a
/// `Once`): after a `fork` during the call, the child runs it again beside
/// whatever the parent's worker left half-done (see
/// [`Call::sharing_work`]).
pub fn without_gvl<R, W>(ruby: &Ruby, work: W) -> Result<R, Error>
where
    R: Send + 'static,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send + Sync + 'static,
{
    let call = Arc::new(Call::new(work));
    let outcome = released(ruby, &call)?;
    // What Ruby's own blocking regions end with; a `Thread#kill` queued
    // behind an already delivered interrupt is seen here, if not before.
    ruby.thread_check_ints()?;
    match outcome {
        Some(Ok(Ok(value))) => Ok(value),
        Some(Ok(Err(Cancelled))) => Err(errors::panic_error(
            ruby,
            "the work was cancelled though no interrupt raised".to_owned(),
        )),
        Some(Err(panic)) => Err(errors::panic_error(ruby, panic.message)),
        None => Err(errors::panic_error(
            ruby,
            "the worker finished without an outcome".to_owned(),
        )),
    }
}

/// The work's outcome, run by a Fiber scheduler, a worker, or (without
/// either) this thread; or the exception of an interrupt.
fn released<R, W>(ruby: &Ruby, call: &Arc<Call<R, W>>) -> Result<Option<Outcome<R>>, Error>
where
    R: Send + 'static,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send + Sync + 'static,
{
    #[cfg(ruby_gte_3_4)]
    if let Some(outcome) = offload::run(ruby, call)? {
        return Ok(Some(outcome));
    }
    let mut call = Arc::clone(call);
    loop {
        let job: Arc<dyn workers::Job> = call.clone();
        match workers::hand_over(job, call.progress.pid) {
            Ok(()) => match wait_for_worker(ruby, &call.progress)? {
                // SAFETY: the worker has finished (seen with `Acquire`,
                // after its `Release` in `finish`, which follows its write
                // of the outcome); it touches the outcome no more.
                Waited::Finished => return Ok(unsafe { call.take_outcome() }),
                // This is the child of a fork in a trap: the same work
                // goes to a worker of this process, as a call of its own.
                // Replacing `call` drops this frame's reference to the old
                // one (as `without_gvl` drops its own later), which never
                // frees it: its count also holds the parent worker's
                // reference (held by that worker, or waiting in its
                // channel), not yet dropped at the fork, as the worker
                // drops it only after `finish`, which `Forked` says it had
                // not reached; and no thread in this process will drop it.
                // So the old outcome, perhaps half-written at the fork, is
                // never read nor dropped here.
                Waited::Forked => call = Arc::new(Call::sharing_work(&call)),
            },
            Err(workers::NoWorker) => return inline::run(ruby, &*call.work).map(Some),
        }
    }
}

/// What the work returned, or the panic it raised.
type Outcome<R> = Result<Result<R, Cancelled>, Panic>;

/// One call: the work, and what the calling thread and the thread running
/// the work share.
///
/// Ownership: behind an `Arc`, one reference held by the calling frame,
/// one by the worker running it (see [`workers`]), which drops it after
/// [`Progress::finish`]. Never borrowed from a Ruby frame (see the module
/// documentation). The work itself is behind an `Arc` of its own, which a
/// forked child's new call shares with the call the fork interrupted.
struct Call<R, W> {
    work: Arc<W>,
    progress: Progress,
    /// Written by the one thread running the work, before it signals that
    /// it has finished; read by the caller only once it has.
    outcome: UnsafeCell<Option<Outcome<R>>>,
}

// SAFETY: `work` is an `Arc<W>`, which is `Sync` when `W: Send + Sync`
// (threads share the `W`, and whichever drops the last reference drops
// it); `Progress` holds atomics and a `Thread` handle, all `Sync`.
// `outcome` is written only by the one thread running the work, before the
// `Release` store that says it has finished, and read (taken) only by the
// caller after an `Acquire` load saw that store: never by two threads at
// once. `R: Send` lets the outcome made on one thread be taken on another.
unsafe impl<R: Send, W: Send + Sync> Sync for Call<R, W> {}

impl<R, W> Call<R, W>
where
    W: Fn(&CancelFlag) -> Result<R, Cancelled>,
{
    fn new(work: W) -> Self {
        Call {
            work: Arc::new(work),
            progress: Progress::new(),
            outcome: UnsafeCell::new(None),
        }
    }

    /// A new call of `interrupted`'s work, made by this process (the child
    /// of a fork during `interrupted`): its own progress and outcome, for a
    /// worker of this process. Called with the GVL.
    ///
    /// The work (the closure and what it owns: the `Arc` of points, and
    /// the index built over them) is shared with `interrupted`, whose
    /// worker exists only in the parent and may have been anywhere in it at
    /// the fork: the child's copy of memory is what that thread left,
    /// mid-step. That is sound only because the work never waits for state
    /// another thread may hold: no lock, no `Once` (`OnceLock::set` left
    /// running by that worker would make the child's worker, and every
    /// later query, wait for ever), only atomics, whose every state is
    /// complete (the index is published by one compare-and-swap:
    /// [`SetOnce`](crate::core::set_once::SetOnce)). It may allocate: the
    /// C library's `fork` leaves `malloc` usable in the child, as Ruby
    /// itself needs.
    fn sharing_work(interrupted: &Call<R, W>) -> Self {
        Call {
            work: Arc::clone(&interrupted.work),
            progress: Progress::new(),
            outcome: UnsafeCell::new(None),
        }
    }

    /// Runs the work, catching any panic, and stores its outcome.
    ///
    /// # Safety
    ///
    /// Only one thread runs this at a time, and nobody reads the outcome
    /// until that thread has signalled (with `Release`) that it finished.
    unsafe fn run_with(&self, cancel: &CancelFlag) {
        let outcome = catch_panic(|| (self.work)(cancel));
        // SAFETY: as the caller promises, nobody else touches `outcome` now.
        unsafe { *self.outcome.get() = Some(outcome) };
    }

    /// Takes the outcome.
    ///
    /// # Safety
    ///
    /// The thread that ran the work has finished with it, and this was
    /// seen with an `Acquire` load of the flag it stored with `Release`.
    unsafe fn take_outcome(&self) -> Option<Outcome<R>> {
        // SAFETY: as the caller promises, nobody else touches it any more.
        unsafe { &mut *self.outcome.get() }.take()
    }
}

impl<R, W> workers::Job for Call<R, W>
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Send + Sync,
{
    fn run(&self) {
        // SAFETY: a worker runs a job once (`hand_over` gives it to one
        // worker), and the caller takes the outcome only once `finish`
        // (the worker's next step) has stored `finished`.
        unsafe { self.run_with(&self.progress.cancel) };
    }

    fn finish(&self) {
        self.progress.finish();
    }
}

/// What the calling thread and the worker share of a [`Call`].
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
    /// The process that made the call: after `fork`, the child finds its
    /// own pid differs, and knows the worker stayed in the parent.
    pid: u32,
    /// Whether the caller is the main thread, which runs signal traps: it
    /// also stops waiting when a signal is pending (see [`signals`]).
    watches_traps: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            cancel: CancelFlag::new(),
            finished: AtomicBool::new(false),
            interrupted: AtomicBool::new(false),
            released: AtomicBool::new(false),
            waiter: thread::current(),
            pid: std::process::id(),
            watches_traps: is_main_thread(),
        }
    }

    /// The worker's last word on its outcome: it is ready. The caller may
    /// then return; the waiter is unparked through a handle of the
    /// worker's own, which may reach a caller that has moved on (a
    /// spurious wake-up, which every `park` loop allows for).
    fn finish(&self) {
        let waiter = self.waiter.clone();
        self.finished.store(true, Ordering::Release);
        waiter.unpark();
    }

    fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Waits (parked) until the worker has finished or `timeout` has
    /// passed.
    fn wait_finished(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.is_finished() {
            match deadline.checked_duration_since(Instant::now()) {
                Some(left) => thread::park_timeout(left),
                None => return,
            }
        }
    }
}

/// Whether this is Ruby's main thread (with the GVL); if so, makes sure
/// [`signals::trap_pending`] can be asked.
fn is_main_thread() -> bool {
    // SAFETY: both read the current Ractor's thread records; called with
    // the GVL (from `Progress::new`, in a method body), they cannot raise.
    let main = unsafe { rb_sys::rb_thread_main() == rb_sys::rb_thread_current() };
    if main {
        signals::watch_traps();
    }
    main
}

/// How long the calling thread, when Ruby will not let it release the GVL,
/// waits for the worker before looking at the interrupts again.
const HELD_WAIT: Duration = Duration::from_millis(1);

/// The longest a parked wait lasts before it looks at its flags again,
/// however it was (not) woken. The `waiter` the worker and the unblocking
/// function unpark is the native thread that started the call; under
/// Ruby's M:N thread scheduler (non-main Ractors, `RUBY_MN_THREADS=1`) the
/// Ruby thread may resume on another native thread after running an
/// interrupt, which no unpark would reach: it then notices within this
/// time instead of waiting forever.
const PARK_LIMIT: Duration = Duration::from_millis(10);

/// The main thread's interrupt flag and handle, for [`unblock_main`]:
/// statics, so that a late call from a signal handler (Ruby 3.1, 3.2)
/// touches nothing that was freed. A stale `true` only makes the next wait
/// look at the interrupts once more.
static MAIN_INTERRUPTED: AtomicBool = AtomicBool::new(false);
static MAIN_WAITER: OnceLock<Thread> = OnceLock::new();

/// `rb_nogvl` flags of the worker hand-over. `RB_NOGVL_UBF_ASYNC_SAFE` only
/// where the unblocking functions are async-signal-safe (see the module
/// documentation).
const NOGVL_FLAGS: u32 = if cfg!(target_os = "linux") {
    rb_sys::RB_NOGVL_INTR_FAIL | rb_sys::RB_NOGVL_UBF_ASYNC_SAFE
} else {
    rb_sys::RB_NOGVL_INTR_FAIL
};

/// How [`wait_for_worker`] ended, when no interrupt raised.
enum Waited {
    /// The worker has finished: its outcome is ready.
    Finished,
    /// A signal trap forked, and this is the child: the worker is in the
    /// parent, and nothing will ever finish here.
    Forked,
}

/// Waits until the worker has finished, without the GVL whenever Ruby lets
/// it go; runs every interrupt on the way, and returns the exception of the
/// first that raises (having cancelled the work: the worker stops within a
/// chunk, and drops its reference to the call).
///
/// Each turn of the loop either waits for the worker with the GVL released
/// until an interrupt, or (when Ruby could not release it twice in a row)
/// waits up to [`HELD_WAIT`] with it held: the worker progresses all the
/// while, so the loop ends.
fn wait_for_worker(ruby: &Ruby, progress: &Progress) -> Result<Waited, Error> {
    // Whether the last attempt could not release the GVL either: one
    // failure is a pending interrupt, run below, after which the next
    // attempt releases it; only two in a row mean Ruby defers interrupts.
    let mut refused_before = false;
    while !progress.is_finished() {
        progress.interrupted.store(false, Ordering::Relaxed);
        progress.released.store(false, Ordering::Relaxed);
        let data = (progress as *const Progress).cast_mut().cast::<c_void>();
        let unblocking: unsafe extern "C" fn(*mut c_void) = if progress.watches_traps {
            MAIN_INTERRUPTED.store(false, Ordering::Relaxed);
            MAIN_WAITER.get_or_init(thread::current);
            unblock_main
        } else {
            unblock
        };
        // SAFETY: `wait_released` (and `unblock`, off the main thread)
        // receive `progress`, part of a `Call` the caller holds a reference
        // to for this whole synchronous call (Ruby calls the unblocking
        // function of a thread other than the main one only under its
        // interrupt lock, during the call); both only read it, touching
        // nothing but atomics and the `Thread` handle, which are `Sync`.
        // `unblock_main` ignores its argument (see the module
        // documentation). With `RB_NOGVL_INTR_FAIL`,
        // `rb_nogvl` runs no interrupt, so it cannot raise: it returns at
        // once, without calling `wait_released`, when one is pending. It
        // must be called with the GVL, which this thread holds (a method
        // body).
        unsafe {
            rb_sys::rb_nogvl(
                Some(wait_released),
                data,
                Some(unblocking),
                data,
                NOGVL_FLAGS as c_int,
            );
        }
        if progress.is_finished() {
            break;
        }
        if let Err(exception) = ruby.thread_check_ints() {
            progress.cancel.cancel();
            return Err(exception);
        }
        // The interrupt may have been a trap that forked: only the thread
        // that called `fork` goes on in the child, not the worker. (A
        // worker that had finished before the fork left its outcome here.)
        if std::process::id() != progress.pid && !progress.is_finished() {
            return Ok(Waited::Forked);
        }
        let refused = !progress.released.load(Ordering::Relaxed);
        if refused && refused_before {
            progress.wait_finished(HELD_WAIT);
        }
        refused_before = refused;
    }
    Ok(Waited::Finished)
}

/// Runs without the GVL: parks the calling thread until the worker has
/// finished or an interrupt has come (on the main thread, also a signal).
///
/// # Safety
///
/// `data` points to a live `Progress`, whose `waiter` is this thread.
unsafe extern "C" fn wait_released(data: *mut c_void) -> *mut c_void {
    // SAFETY: `wait_for_worker` passes its `Progress`, alive for the call.
    let progress = unsafe { &*data.cast_const().cast::<Progress>() };
    progress.released.store(true, Ordering::Relaxed);
    let interrupted = || {
        progress.interrupted.load(Ordering::Relaxed)
            || (progress.watches_traps && MAIN_INTERRUPTED.load(Ordering::Relaxed))
    };
    while !progress.is_finished() && !interrupted() {
        thread::park_timeout(PARK_LIMIT);
        // A signal Ruby's handler woke nobody for (see `signals`).
        if progress.watches_traps && signals::trap_pending() {
            break;
        }
    }
    std::ptr::null_mut()
}

/// The main thread's unblocking function: as [`unblock`], through the
/// statics only, whenever Ruby calls it (see the module documentation).
/// Stores to an atomic and unparks: async-signal-safe on Linux.
unsafe extern "C" fn unblock_main(_: *mut c_void) {
    MAIN_INTERRUPTED.store(true, Ordering::Relaxed);
    if let Some(waiter) = MAIN_WAITER.get() {
        waiter.unpark();
    }
}

/// Ruby's unblocking function off the main thread: an interrupt is
/// waiting, wake the calling thread so that it runs it. Called by Ruby, from another thread or (on
/// Linux) a signal handler; only stores to an atomic and unparks, which is
/// async-signal-safe there.
///
/// # Safety
///
/// `data` points to the live `Progress` of the running call.
unsafe extern "C" fn unblock(data: *mut c_void) {
    // SAFETY: `wait_for_worker` passes its `Progress`, alive for the whole
    // `rb_nogvl` call, during which alone Ruby calls this (off the main
    // thread, under its interrupt lock); `Progress` is
    // `Sync`, so a shared reference from another thread is fine.
    let progress = unsafe { &*data.cast_const().cast::<Progress>() };
    progress.interrupted.store(true, Ordering::Relaxed);
    progress.waiter.unpark();
}
