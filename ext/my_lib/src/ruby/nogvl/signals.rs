//! Blocking every signal on the worker threads.
//!
//! A process signal goes to any thread that does not block it. Ruby's
//! handler, run on a worker, would run on a thread Ruby does not know, and
//! could call the unblocking function of a call that has already returned.
//! So, as native-thread libraries do, workers are started with every
//! signal blocked: a new thread inherits the mask of the thread that
//! starts it, so the starting thread blocks them all for the moment of the
//! start ([`block_all`]), and restores its own mask after. A signal that
//! comes in that moment stays pending, and is delivered once it is
//! restored (or to another thread).
//!
//! (glibc never blocks the two signals it uses itself, `SIGCANCEL` and
//! `SIGSETXID`, whose handlers are its own; `SIGKILL` and `SIGSTOP` cannot
//! be blocked.)

/// Restores the calling thread's signal mask when dropped.
#[cfg(unix)]
pub struct Blocked(Option<libc::sigset_t>);

/// Blocks every signal on this thread until the result is dropped.
#[cfg(unix)]
pub fn block_all() -> Blocked {
    let mut all = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
    let mut previous = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: `sigfillset` initialises `all`; `pthread_sigmask` reads it
    // and, when it succeeds (returns 0), writes the previous mask into
    // `previous`, which is read only then. Both pointers are to live
    // locals of the right type.
    unsafe {
        libc::sigfillset(all.as_mut_ptr());
        if libc::pthread_sigmask(libc::SIG_SETMASK, all.as_ptr(), previous.as_mut_ptr()) == 0 {
            Blocked(Some(previous.assume_init()))
        } else {
            Blocked(None)
        }
    }
}

#[cfg(unix)]
impl Drop for Blocked {
    fn drop(&mut self) {
        if let Some(previous) = &self.0 {
            // SAFETY: `previous` is the mask `pthread_sigmask` reported,
            // read only; the old mask is not asked for.
            unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, previous, std::ptr::null_mut()) };
        }
    }
}

/// Where threads have no signal mask, there is nothing to block.
#[cfg(not(unix))]
pub struct Blocked;

#[cfg(not(unix))]
pub fn block_all() -> Blocked {
    Blocked
}
