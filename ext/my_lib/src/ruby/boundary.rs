//! The panic boundary between Ruby and Rust.
//!
//! magnus turns a panic that reaches it into Ruby's `fatal`, which no
//! `rescue` catches: the interpreter (a Rails worker, say) dies. Every method
//! of the Ruby API therefore runs its body through [`guard`], which catches
//! the panic first, silently unless `MY_LIB_DEBUG_PANIC=1` (see
//! [`crate::core::unwind`]), and raises a `MyLib::PanicError` instead.

use magnus::{Error, Ruby};

use super::errors;
use crate::core::unwind::catch_panic;

/// Runs `work`, turning a panic inside it into `MyLib::PanicError` carrying
/// the panic's message.
///
/// `work` must not leave Rust state half-updated where a later call could
/// see it if it panics; the Ruby API keeps its state in `RefCell`s, whose
/// borrows are released while unwinding.
///
/// The guard's own frames have destructors (the panic depth count, the
/// `catch_unwind`), so inside `work` every C-API call that can raise must
/// run under `rb_protect`; unprotected ones belong after `guard` returns (see
/// the [module documentation](super)). Arguments are converted inside
/// `work`, so that a panic while converting is caught too.
///
/// The error returned carries its exception already made (see
/// [`errors::materialize`]), so that an interrupt arriving while it is made
/// is returned rather than aborting the process.
pub fn guard<T>(ruby: &Ruby, work: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_panic(work)
        .unwrap_or_else(|panic| Err(errors::panic_error(ruby, panic.message)))
        .map_err(|error| errors::materialize(ruby, error))
}
