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
//!   points, so the worker stops within microseconds; it is waited for and
//!   the exception returned;
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
//! no destructor that matters, under `rb_protect`. The price is a hand-over
//! to a parked worker and back, about 6 µs a call: `centroid` of 1,000
//! points with the GVL released takes 5.6 µs instead of 0.4 µs, and of
//! 50,000 points 23 µs instead of 17 µs (best of 500 and 200 calls, shared
//! 2-core build machine, load 3–9). Starting a thread per call, as this did
//! before, cost about 30 µs (25 µs and 46 µs for the same two). That is why
//! only work of [`release_threshold`] points or more (17–120 µs of it) is
//! run this way.
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
//! * The work is a `Sync` closure: no Ruby handle (`&Ruby`, `Value`,
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

use std::cell::UnsafeCell;
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
/// If the system refuses a new thread (a thread limit, or no address space
/// for its stack), the work runs on this thread with the GVL held, to
/// completion: slower for the other threads, but the same result. (The
/// few small allocations of a worker's start are not fallible.)
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
    let task = Task {
        work: &work,
        progress: &progress,
        outcome: UnsafeCell::new(None),
    };
    // SAFETY: `task` lives in this frame until its end, and after a
    // successful hand-over this frame does not end, not even by a panic,
    // before `progress.is_finished()`: `finishing`, made at once and
    // dropped before `task` (declared after it), waits for that when
    // dropped. `finish`, the worker's last use of the task, sets it. No
    // Ruby exception can `longjmp` over this frame: `wait_for_worker` runs
    // interrupts under `rb_protect`.
    let outcome = match unsafe { workers::hand_over(Task::job(&task)) } {
        Ok(worker) => {
            let finishing = Finishing(&progress);
            let waited = wait_for_worker(ruby, &progress);
            drop(finishing);
            workers::give_back(worker);
            waited?;
            // SAFETY: the worker has finished (seen with `Acquire`, after
            // its `Release` in `finish`, which follows its write): the
            // outcome is written, and nothing else touches it any more.
            unsafe { &mut *task.outcome.get() }.take()
        }
        Err(workers::NoWorker) => Some(catch_panic(|| work(&CancelFlag::new()))),
    };
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

/// Stops the worker if it has not finished (an interrupt raised, or a
/// panic unwinds), and waits until it has: the join of a scoped thread.
/// The worker stops within one chunk of points once cancelled, so waiting
/// keeps the GVL that briefly.
struct Finishing<'a>(&'a Progress);

impl Drop for Finishing<'_> {
    fn drop(&mut self) {
        if !self.0.is_finished() {
            self.0.cancel.cancel();
            self.0.wait_finished(None);
        }
    }
}

/// One call's work, as a worker runs it: borrowed from [`without_gvl`]'s
/// frame, which waits for [`Progress::finish`] before it ends.
struct Task<'a, R, W> {
    work: &'a W,
    progress: &'a Progress,
    /// Written by the worker alone, before `finish`; read by the caller
    /// alone, after it.
    outcome: UnsafeCell<Option<Outcome<R>>>,
}

/// What the work returned, or the panic it raised.
type Outcome<R> = Result<Result<R, Cancelled>, Panic>;

impl<R, W> Task<'_, R, W>
where
    R: Send,
    W: Fn(&CancelFlag) -> Result<R, Cancelled> + Sync,
{
    /// The task, type-erased, for a worker.
    fn job(task: &Self) -> workers::Job {
        workers::Job {
            task: std::ptr::from_ref(task).cast::<()>(),
            run: Self::run,
        }
    }

    /// Runs on the worker: the work, caught, then `finish`.
    ///
    /// # Safety
    ///
    /// `task` points to a live `Task<R, W>` whose `outcome` nobody else
    /// touches until its `progress` is finished, and which stays alive
    /// until then.
    unsafe fn run(task: *const ()) {
        // SAFETY: as the caller promises; `W: Sync` and `Progress` is
        // `Sync`, so sharing them with this thread is fine, and `R: Send`
        // lets the outcome made here be taken on the calling thread.
        let task = unsafe { &*task.cast::<Self>() };
        let outcome = catch_panic(|| (task.work)(&task.progress.cancel));
        // SAFETY: the caller reads `outcome` only once finished, below.
        unsafe { *task.outcome.get() = Some(outcome) };
        task.progress.finish();
    }
}

/// The worker threads: a small process-wide cache of parked native
/// threads, so that a call does not pay a thread start (measured: about
/// 30 µs a call on the loaded build machine).
///
/// A call takes an idle worker or spawns one ([`hand_over`]), and gives it
/// back once the job has finished ([`give_back`]); a worker given back to a
/// full cache, or one that cannot be cached, exits. Workers are detached
/// native threads (no `JoinHandle` kept): what replaces the scoped thread's
/// join is [`Progress`]'s `finished` flag, set as the very last thing the
/// worker does with a job, and waited for by the job's owner before the job
/// can go away. The worker then waits for its next job, touching nothing
/// of the last one.
///
/// After `fork` (Puma's `preload_app!`, Unicorn, Resque), the child has
/// none of these threads, only the cache's record of them, which names the
/// parent's pid: the child finds a different pid and forgets the record,
/// without dropping it (the channels inside may have been locked by a
/// thread that no longer exists), so it never waits on a parent's worker.
/// The cache is only ever `try_lock`ed: should `fork` happen while another
/// thread held the lock, the child just spawns and never caches.
mod workers {
    use std::sync::Mutex;
    use std::sync::mpsc::{self, Receiver, SyncSender};
    use std::thread;

    /// A type-erased job: `run(task)` runs it.
    pub struct Job {
        pub task: *const (),
        /// # Safety
        ///
        /// Called once, with `task`, on the worker; see [`hand_over`].
        pub run: unsafe fn(*const ()),
    }

    // SAFETY: `task` points to a `Task` whose shared parts are `Sync` and
    // whose result is `Send` (the bounds on `Task::job`); its owner keeps
    // it alive until the worker's last use of it (see `hand_over`).
    unsafe impl Send for Job {}

    /// A worker, parked on its job channel.
    pub struct Worker {
        jobs: SyncSender<Job>,
    }

    /// No worker thread could be had (the system refused one).
    pub struct NoWorker;

    /// The idle workers of process `pid`.
    struct Idle {
        pid: u32,
        workers: Vec<Worker>,
    }

    static IDLE: Mutex<Idle> = Mutex::new(Idle {
        pid: 0,
        workers: Vec::new(),
    });

    /// At most this many idle workers are kept: as many calls as a
    /// typical threaded server (Puma's default of 5 threads, Sidekiq's 5)
    /// runs at the same time, with room. A fixed number rather than the
    /// CPUs': `available_parallelism` reads cgroup files into allocated
    /// strings, and an allocation failing there (under `RLIMIT_AS`) would
    /// abort. An idle worker is a parked thread: its stack is address
    /// space, hardly any memory.
    const MAX_IDLE: usize = 8;

    /// The idle workers, if the cache can be had at once; a record left
    /// from the parent process is forgotten first.
    fn idle() -> Option<std::sync::MutexGuard<'static, Idle>> {
        let mut idle = IDLE.try_lock().ok()?;
        let pid = std::process::id();
        if idle.pid != pid {
            std::mem::forget(std::mem::take(&mut idle.workers));
            idle.pid = pid;
        }
        Some(idle)
    }

    /// Starts running `job` on an idle worker, or on a new one.
    ///
    /// # Safety
    ///
    /// What `job` points to must stay alive, and be used as its `run`
    /// requires, until that `run` has signalled completion (its last use of
    /// it); if this returns `NoWorker`, nothing ran it.
    pub unsafe fn hand_over(job: Job) -> Result<Worker, NoWorker> {
        let cached = idle().and_then(|mut idle| idle.workers.pop());
        let job = match cached {
            // Never blocks: an idle worker's one-job channel is empty.
            Some(worker) => match worker.jobs.try_send(job) {
                Ok(()) => return Ok(worker),
                // Neither happens (a cached worker is alive, and idle);
                // should one, a new worker runs the job.
                Err(mpsc::TrySendError::Full(job) | mpsc::TrySendError::Disconnected(job)) => job,
            },
            None => job,
        };
        let (jobs, inbox) = mpsc::sync_channel(1);
        thread::Builder::new()
            .name("my_lib worker".to_owned())
            .spawn(move || serve(&inbox))
            .map_err(|_| NoWorker)?;
        jobs.try_send(job).map_err(|_| NoWorker)?;
        Ok(Worker { jobs })
    }

    /// Caches `worker`, whose job has finished, for the next call; or, when
    /// the cache is full or busy, lets it exit (dropping its channel).
    pub fn give_back(worker: Worker) {
        if let Some(mut idle) = idle()
            && idle.workers.len() < MAX_IDLE
            && idle.workers.try_reserve(1).is_ok()
        {
            idle.workers.push(worker);
        }
    }

    /// A worker's life: run each job sent, until its `Worker` is dropped.
    fn serve(inbox: &Receiver<Job>) {
        while let Ok(job) = inbox.recv() {
            // SAFETY: `hand_over`'s caller keeps the task alive and
            // unshared until `run` signals completion, its last use of it;
            // after that, this loop only waits for the next job.
            unsafe { (job.run)(job.task) };
        }
    }
}

/// What the calling thread and the worker share. Owned by
/// [`without_gvl`]'s frame, which outlives every `rb_nogvl` call made with
/// it and the worker's use of it (it waits until [`Progress::finish`]).
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

    /// The worker's last word: its outcome is ready. Once `finished` is
    /// stored, the caller may return and free `self`, so nothing of `self`
    /// is used after it: the waiter is unparked through a handle of its
    /// own. (That unpark may then reach a caller that has moved on; a
    /// spurious wake-up, which every `park` loop allows for.) This is what
    /// `std`'s scoped threads do at their end, too.
    fn finish(&self) {
        let waiter = self.waiter.clone();
        self.finished.store(true, Ordering::Release);
        waiter.unpark();
    }

    fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Waits (parked) until the worker has finished or `timeout`, if any,
    /// has passed.
    fn wait_finished(&self, timeout: Option<Duration>) {
        let deadline = timeout.map(|timeout| Instant::now() + timeout);
        while !self.is_finished() {
            match deadline {
                None => thread::park_timeout(PARK_LIMIT),
                Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) => thread::park_timeout(left),
                    None => return,
                },
            }
        }
    }
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
/// until an interrupt, or (when Ruby could not release it twice in a row)
/// waits up to [`HELD_WAIT`] with it held: the worker progresses all the
/// while, so the loop ends.
fn wait_for_worker(ruby: &Ruby, progress: &Progress) -> Result<(), Error> {
    // Whether the last attempt could not release the GVL either: one
    // failure is a pending interrupt, run below, after which the next
    // attempt releases it; only two in a row mean Ruby defers interrupts.
    let mut refused_before = false;
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
        let refused = !progress.released.load(Ordering::Relaxed);
        if refused && refused_before {
            progress.wait_finished(Some(HELD_WAIT));
        }
        refused_before = refused;
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
        thread::park_timeout(PARK_LIMIT);
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
