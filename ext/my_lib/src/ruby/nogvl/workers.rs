//! The worker threads: a small process-wide cache of parked native
//! threads, so that a call does not pay a thread start (measured: about
//! 30 µs a call on the loaded build machine).
//!
//! A call takes an idle worker or spawns one ([`hand_over`]). A worker that
//! has run its job puts itself back in the cache, then tells the job it
//! has finished, drops its reference to it, and waits for the next; a
//! worker the cache has no room for (or cannot lock) exits instead. No
//! caller ever waits for a worker to come back: a call stopped by an
//! interrupt returns at once, and its worker stops within a chunk, on its
//! own. Workers are detached native threads (no `JoinHandle` kept).
//!
//! A worker blocks every signal before it runs anything (it is started
//! with all of them blocked; see [`super::signals`]), so the process's
//! signals reach Ruby's threads only, never a thread Ruby's handler does
//! not expect.
//!
//! After `fork` (Puma's `preload_app!`, Unicorn, Resque, a trap), the
//! child has none of these threads, only the cache's record of them, which
//! names the parent's pid: the child finds a different pid and forgets the
//! record, without dropping it (the channels inside may have been locked by
//! a thread that no longer exists), so it never hands a job to a parent's
//! worker. The cache is only ever `try_lock`ed: should `fork` happen while
//! another thread held the lock, the child just spawns and never caches.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

use super::signals;

/// A job for a worker: shared with the caller (behind an `Arc`), so that
/// it outlives whichever of the two is done with it first.
pub trait Job: Send + Sync {
    /// Runs the work and keeps its outcome. Called once, on the worker.
    fn run(&self);
    /// Says that the outcome is ready: the worker's last use of the job
    /// before it drops its reference.
    fn finish(&self);
}

/// A worker, parked on its job channel.
struct Worker {
    jobs: SyncSender<Arc<dyn Job>>,
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

/// The idle workers of process `pid` (the caller's), if the cache can be
/// had at once; a record left from the parent process is forgotten first.
fn idle(pid: u32) -> Option<MutexGuard<'static, Idle>> {
    let mut idle = IDLE.try_lock().ok()?;
    if idle.pid != pid {
        std::mem::forget(std::mem::take(&mut idle.workers));
        idle.pid = pid;
    }
    Some(idle)
}

/// Starts running `job` on an idle worker of process `pid` (this one), or
/// on a new one. On `NoWorker`, nothing ran the job, and nothing will.
pub fn hand_over(job: Arc<dyn Job>, pid: u32) -> Result<(), NoWorker> {
    let cached = idle(pid).and_then(|mut idle| idle.workers.pop());
    let job = match cached {
        // Never blocks: an idle worker's one-job channel is empty.
        Some(worker) => match worker.jobs.try_send(job) {
            Ok(()) => return Ok(()),
            // Neither happens (a cached worker is alive, and idle);
            // should one, a new worker runs the job.
            Err(mpsc::TrySendError::Full(job) | mpsc::TrySendError::Disconnected(job)) => job,
        },
        None => job,
    };
    spawn(job, pid)
}

/// Starts a worker with `job` waiting in its channel. If the system refuses
/// the thread, the channel, with the job in it, is dropped unread.
fn spawn(job: Arc<dyn Job>, pid: u32) -> Result<(), NoWorker> {
    let (jobs, inbox) = mpsc::sync_channel(1);
    jobs.try_send(job).map_err(|_| NoWorker)?;
    // The new thread inherits this thread's signal mask: all blocked from
    // its first instruction, until it exits. This thread's own mask is
    // restored when `blocked` is dropped, at the end of this function.
    let blocked = signals::block_all();
    let spawned = thread::Builder::new()
        .name("my_lib worker".to_owned())
        .spawn(move || serve(&inbox, &jobs, pid));
    drop(blocked);
    spawned.map(drop).map_err(|_| NoWorker)
}

/// A worker's life: run each job sent; after each, cache itself, tell the
/// job it has finished, and drop it; exit when the cache has no room.
///
/// The worker holds the sending end of its own channel (`own`, cloned into
/// the cache), so `recv` fails only if the channel is broken.
fn serve(inbox: &Receiver<Arc<dyn Job>>, own: &SyncSender<Arc<dyn Job>>, pid: u32) {
    while let Ok(job) = inbox.recv() {
        job.run();
        // Cached before `finish`: the caller's next call, which may come
        // at once, finds this worker idle instead of starting another.
        // A job sent meanwhile waits in the channel until `recv`.
        let cached = cache(own, pid);
        job.finish();
        drop(job);
        if !cached {
            return;
        }
    }
}

/// Puts the worker whose channel `own` sends to back in the cache of
/// process `pid`; `false` when the cache is full or busy.
fn cache(own: &SyncSender<Arc<dyn Job>>, pid: u32) -> bool {
    let Some(mut idle) = idle(pid) else {
        return false;
    };
    if idle.workers.len() >= MAX_IDLE || idle.workers.try_reserve(1).is_err() {
        return false;
    }
    idle.workers.push(Worker { jobs: own.clone() });
    true
}
