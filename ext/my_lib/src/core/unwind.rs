//! Stopping panics before they reach a foreign caller.
//!
//! A panic must never unwind into C or Ruby frames. Both surfaces run their
//! work through [`catch_panic`], which turns a panic into a [`Panic`] value
//! holding its message, to be reported as a status code (C) or as a
//! `MyLib::PanicError` (Ruby).
//!
//! Caught panics are silent: the standard hook would print every one to
//! stderr, which is noise in a server's logs once the panic is reported as an
//! error. Set `MY_LIB_DEBUG_PANIC=1` to have them printed (with a backtrace if
//! `RUST_BACKTRACE` asks for one). Panics outside [`catch_panic`] are printed
//! as usual. The hook belongs to this library's copy of `std` alone; other
//! Rust libraries loaded in the same process keep their own.

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// A panic caught by [`catch_panic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message (`"Box<dyn Any>"` when the payload is not a string).
    pub message: String,
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rust panic: {}", self.message)
    }
}

impl std::error::Error for Panic {}

/// How many [`catch_panic`] calls are active on each thread: the panic hook
/// stays quiet while it is non-zero. It is touched twice on every call, so
/// its cost is part of the per-call overhead of every boundary.
///
/// On x86_64 glibc, an initial-exec thread-local written by hand (below).
/// Only there: the model relies on the spare static TLS that glibc reserves
/// for libraries loaded with `dlopen`, and musl reserves none. musl's loader
/// refuses such a library outright ("initial-exec TLS resolves to dynamic
/// definition"), so on musl (and everywhere else) `catch_depth` is a
/// `thread_local!`, whose dynamic model every loader supports.
/// `spec/gem/musl_tls_spec.rb` checks both: the musl library has no
/// static-TLS relocation and loads with `dlopen` under musl's loader, and the
/// glibc extension loads with the least spare static TLS glibc can be set to
/// keep; `rake musl:audit` checks every musl gem.
#[cfg(all(
    target_arch = "x86_64",
    target_os = "linux",
    target_env = "gnu",
    not(miri)
))]
mod catch_depth {
    use std::arch::{asm, global_asm};

    // An 8-byte, zero-initialised thread-local in the initial-exec TLS
    // model: its offset from the thread pointer (%fs) is fixed when the
    // library is loaded, so an access is a load of that offset from the GOT
    // and one %fs-relative instruction. Rust's `thread_local!` in a shared
    // library uses the general-dynamic model: a call to `__tls_get_addr` on
    // every access. Hidden: each library or program that links this crate
    // has its own, none exports it. (A library with initial-exec TLS takes
    // its 8 bytes from the static TLS space glibc reserves for libraries
    // loaded with dlopen, as Ruby extensions and ctypes libraries are.)
    global_asm!(
        ".pushsection .tbss.my_lib_catch_depth,\"awT\",@nobits",
        ".globl my_lib_catch_depth",
        ".hidden my_lib_catch_depth",
        ".type my_lib_catch_depth,@object",
        ".size my_lib_catch_depth,8",
        ".p2align 3",
        "my_lib_catch_depth:",
        ".zero 8",
        ".popsection",
    );

    /// Adds `delta` (wrapping, so `usize::MAX` subtracts one) to this
    /// thread's depth.
    #[inline(always)]
    pub fn add(delta: usize) {
        // SAFETY: reads the GOT entry the linker made for the symbol above
        // (its offset from the thread pointer) and adds to the 8 bytes at
        // that offset in this thread's TLS block, which only this thread
        // accesses; no memory the compiler knows of is touched.
        unsafe {
            asm!(
                "mov {offset}, qword ptr [rip + my_lib_catch_depth@GOTTPOFF]",
                "add qword ptr fs:[{offset}], {delta}",
                offset = out(reg) _,
                delta = in(reg) delta,
                options(nostack),
            );
        }
    }

    pub fn get() -> usize {
        let depth: usize;
        // SAFETY: as in `add`, reading instead of adding.
        unsafe {
            asm!(
                "mov {depth}, qword ptr [rip + my_lib_catch_depth@GOTTPOFF]",
                "mov {depth}, qword ptr fs:[{depth}]",
                depth = out(reg) depth,
                options(nostack, readonly, preserves_flags),
            );
        }
        depth
    }
}

/// Elsewhere (musl, other architectures, and Miri, which runs no assembly),
/// a `thread_local!` with a `const` initialiser: no lazy-initialisation
/// check and no destructor to register, so an access is the address
/// computation of the target's model for a shared library. On musl that is
/// a call to `__tls_get_addr`, which there is a few loads (musl allocates
/// every library's TLS when the library is loaded, or the thread created).
#[cfg(not(all(
    target_arch = "x86_64",
    target_os = "linux",
    target_env = "gnu",
    not(miri)
)))]
mod catch_depth {
    use std::cell::Cell;

    thread_local! {
        static DEPTH: Cell<usize> = const { Cell::new(0) };
    }

    /// Adds `delta` (wrapping, so `usize::MAX` subtracts one) to this
    /// thread's depth.
    pub fn add(delta: usize) {
        DEPTH.with(|depth| depth.set(depth.get().wrapping_add(delta)));
    }

    pub fn get() -> usize {
        DEPTH.with(Cell::get)
    }
}

/// Whether caught panics should still be printed (`MY_LIB_DEBUG_PANIC` set
/// and not `0`), read on every panic so it can be switched at run time.
fn debug_panics() -> bool {
    std::env::var_os("MY_LIB_DEBUG_PANIC").is_some_and(|v| !v.is_empty() && v != "0")
}

fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let caught = catch_depth::get() > 0;
            if !caught || debug_panics() {
                previous(info);
            }
        }));
    });
}

/// Decrements the thread's catch depth when dropped, even while unwinding.
struct DepthGuard;

impl DepthGuard {
    fn enter() -> Self {
        catch_depth::add(1);
        DepthGuard
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        catch_depth::add(usize::MAX);
    }
}

/// Runs `work`, returning its result, or the [`Panic`] it raised.
///
/// `work` is treated as unwind-safe: callers must not observe state that a
/// panic left half-updated, beyond what memory safety already guarantees.
///
/// ```
/// # use my_lib::core::unwind::catch_panic;
/// assert_eq!(catch_panic(|| 1 + 1), Ok(2));
/// assert_eq!(catch_panic(|| -> i32 { panic!("boom") }).unwrap_err().message, "boom");
/// ```
pub fn catch_panic<R>(work: impl FnOnce() -> R) -> Result<R, Panic> {
    install_quiet_hook();
    let _depth = DepthGuard::enter();
    panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| Panic {
        message: payload_message(payload.as_ref()),
    })
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_value_when_nothing_panics() {
        assert_eq!(catch_panic(|| "fine"), Ok("fine"));
    }

    #[test]
    fn captures_static_and_formatted_messages() {
        let err = catch_panic(|| panic!("static")).unwrap_err();
        assert_eq!(err.message, "static");
        let n = 42;
        let err = catch_panic(|| panic!("formatted {n}")).unwrap_err();
        assert_eq!(err.message, "formatted 42");
        assert_eq!(err.to_string(), "Rust panic: formatted 42");
    }

    #[test]
    fn non_string_payloads_get_a_placeholder() {
        let err = catch_panic(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert_eq!(err.message, "Box<dyn Any>");
    }

    #[test]
    fn depth_counts_the_active_catches_of_this_thread_only() {
        catch_panic(|| {
            assert_eq!(catch_depth::get(), 1);
            catch_panic(|| assert_eq!(catch_depth::get(), 2)).unwrap();
            std::thread::spawn(|| assert_eq!(catch_depth::get(), 0))
                .join()
                .unwrap();
        })
        .unwrap();
    }

    #[test]
    fn depth_is_restored_after_a_panic_and_nesting() {
        let _ = catch_panic(|| catch_panic(|| panic!("inner")));
        assert_eq!(catch_depth::get(), 0);
        let _ = catch_panic(|| panic!("outer"));
        assert_eq!(catch_depth::get(), 0);
    }
}
