//! Signals and the hand-over: every signal blocked on the worker threads,
//! and a look at Ruby's signal buffer for a main thread that waits.
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
//!
//! Ruby 3.1 and 3.2 call the unblocking function from their signal handler
//! only while the main thread is the only thread: with any other thread
//! alive, Ctrl-C waited for the work to end (80–90 s for `simplify(0)` on
//! 10,000,000 points; `Zlib` waits the same way). The main thread's waiting
//! loop wakes every 10 ms anyway; there it also asks Ruby whether a signal
//! is waiting to be handled ([`trap_pending`]), and if one is, goes back to
//! the GVL, whose interrupt check runs the trap (or raises `Interrupt`) as
//! for a lone thread. Ruby 3.3 and later, whose timer thread calls the
//! unblocking function, need none of this, and lose nothing by it.

use std::ffi::c_int;
use std::sync::OnceLock;

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
        // A fault's own signal stays deliverable: blocked, Linux would kill
        // the process without Rust's stack-overflow message.
        for fault in [libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE, libc::SIGILL] {
            libc::sigdelset(all.as_mut_ptr(), fault);
        }
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

/// Ruby's `rb_thread_check_trap_pending`, looked up when first needed: it
/// reads the count of signals received and not yet handled (an atomic
/// counter, so it needs no GVL), but it is not in Ruby's public headers
/// ("hidden API for tcl/tk wrapper"). Looked up rather than
/// linked, so that a Ruby without it loads this library all the same, and
/// only waits for the work on Ctrl-C as before.
type TrapPendingFn = unsafe extern "C" fn() -> c_int;

static TRAP_PENDING: OnceLock<Option<TrapPendingFn>> = OnceLock::new();

/// Looks Ruby's function up, once (with the GVL, before any wait uses it).
pub fn watch_traps() {
    TRAP_PENDING.get_or_init(look_up_trap_pending);
}

#[cfg(unix)]
fn look_up_trap_pending() -> Option<TrapPendingFn> {
    // SAFETY: `dlsym` with `RTLD_DEFAULT` and a NUL-terminated name only
    // searches the symbols already loaded; it runs no code of theirs.
    let symbol =
        unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"rb_thread_check_trap_pending".as_ptr()) };
    if symbol.is_null() {
        return None;
    }
    // SAFETY: the symbol is Ruby's `int rb_thread_check_trap_pending(void)`
    // (thread.c of Ruby 2.x to 3.4), a C function of that very type.
    Some(unsafe { std::mem::transmute::<*mut std::ffi::c_void, TrapPendingFn>(symbol) })
}

#[cfg(not(unix))]
fn look_up_trap_pending() -> Option<TrapPendingFn> {
    None
}

/// Whether the process has received a signal Ruby has not handled yet;
/// `false` when Ruby's function is not there. Callable without the GVL:
/// it calls only [`watch_traps`]' function, which reads an atomic counter.
pub fn trap_pending() -> bool {
    // SAFETY: the function takes nothing and only reads an atomic counter
    // (`signal_buff.size`, an `rb_atomic_t`), so it needs no GVL; Ruby
    // exports it for Tcl/Tk's wrapper, with no promise to keep it, hence
    // the lookup.
    TRAP_PENDING
        .get()
        .copied()
        .flatten()
        .is_some_and(|pending| unsafe { pending() } != 0)
}
