//! The panic boundary: the one way an exported function runs its body.
//!
//! [`run`] clears the thread's last error, runs the body under
//! [`catch_panic`], and records a failure (a returned [`Failure`] or a caught
//! panic) as the new last error. [`status`] and [`value_or`] turn its result
//! into what the C function returns. Nothing a body does can unwind into the
//! host.

use super::failure::Failure;
use super::last_error;
use super::status::MyLibStatus;
use crate::core::unwind::catch_panic;

/// Runs the body of an exported function; see the module documentation.
pub(crate) fn run<T>(body: impl FnOnce() -> Result<T, Failure>) -> Result<T, MyLibStatus> {
    last_error::clear();
    let failure = match catch_panic(body) {
        Ok(Ok(value)) => return Ok(value),
        Ok(Err(failure)) => failure,
        Err(panic) => Failure::from(panic),
    };
    let status = failure.status;
    last_error::record(failure);
    Err(status)
}

/// For functions that return a status: `MY_LIB_STATUS_OK` or the failure's.
pub(crate) fn status(body: impl FnOnce() -> Result<(), Failure>) -> MyLibStatus {
    run(body).err().unwrap_or(MyLibStatus::Ok)
}

/// For functions that return a value: the body's, or the documented
/// `fallback` (NULL, 0, NaN…) when it fails.
pub(crate) fn value_or<T>(fallback: T, body: impl FnOnce() -> Result<T, Failure>) -> T {
    run(body).unwrap_or(fallback)
}

/// For the readers of the last error, which must not clear it: the body's
/// value, or `fallback` if it panicked (the panic is not recorded, as that
/// would replace the error being read).
pub(crate) fn keeping_last_error<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_panic(body).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;

    #[test]
    fn success_clears_a_previous_error() {
        last_error::record(Failure::invalid_argument("stale"));
        assert_eq!(value_or(0, || Ok(5)), 5);
        assert_eq!(last_failure(), None);
        assert_eq!(status(|| Ok(())), MyLibStatus::Ok);
    }

    #[test]
    fn failures_are_returned_and_recorded() {
        let failure = Failure::null_pointer("out");
        assert_eq!(status(|| Err(failure.clone())), MyLibStatus::NullPointer);
        assert_eq!(last_failure(), Some(failure.clone()));
        assert_eq!(value_or(-1, || Err(failure.clone())), -1);
        assert_eq!(last_failure(), Some(failure));
    }

    #[test]
    fn panics_become_the_panic_status_with_their_message() {
        assert_eq!(status(|| panic!("status body")), MyLibStatus::Panic);
        assert_eq!(
            last_failure(),
            Some(Failure {
                status: MyLibStatus::Panic,
                message: "Rust panic: status body".into()
            })
        );
        let fallback = value_or(f64::NAN, || -> Result<f64, Failure> {
            panic!("value body")
        });
        assert!(fallback.is_nan());
        assert_eq!(last_failure().unwrap().message, "Rust panic: value body");
    }

    #[test]
    fn readers_keep_the_last_error_even_when_they_panic() {
        let failure = Failure::invalid_argument("kept");
        last_error::record(failure.clone());
        assert_eq!(keeping_last_error(1, || 2), 2);
        assert_eq!(keeping_last_error(1, || -> i32 { panic!("reader") }), 1);
        assert_eq!(last_failure(), Some(failure));
        last_error::clear();
    }
}
