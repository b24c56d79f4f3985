//! [`Failure`]: why an exported function failed, as a status and a message.

use super::status::MyLibStatus;
use crate::core::arithmetic::Overflow;
use crate::core::buffer::{AllocError, OutOfBounds};
use crate::core::text::InvalidUtf8;
use crate::core::unwind::Panic;

/// A failed call: the status the host receives and the message it can read
/// back as the thread's last error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: MyLibStatus,
    pub message: String,
}

impl Failure {
    /// The required pointer argument named `argument` was NULL.
    pub fn null_pointer(argument: &str) -> Self {
        Failure {
            status: MyLibStatus::NullPointer,
            message: format!("{argument} is NULL"),
        }
    }

    /// An argument outside the function's domain, explained by `message`.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Failure {
            status: MyLibStatus::InvalidArgument,
            message: message.into(),
        }
    }

    /// The output array `argument` holds `capacity` elements, and the
    /// result needs `needed`.
    pub fn output_too_small(argument: &str, capacity: usize, needed: usize) -> Self {
        Failure {
            status: MyLibStatus::OutputTooSmall,
            message: format!("{argument} has room for {capacity} points, the result has {needed}"),
        }
    }

    fn new(status: MyLibStatus, error: impl std::fmt::Display) -> Self {
        Failure {
            status,
            message: error.to_string(),
        }
    }
}

impl From<Overflow> for Failure {
    fn from(error: Overflow) -> Self {
        Failure::new(MyLibStatus::Overflow, error)
    }
}

impl From<InvalidUtf8> for Failure {
    fn from(error: InvalidUtf8) -> Self {
        Failure::new(MyLibStatus::InvalidUtf8, error)
    }
}

impl From<OutOfBounds> for Failure {
    fn from(error: OutOfBounds) -> Self {
        Failure::new(MyLibStatus::OutOfBounds, error)
    }
}

impl From<AllocError> for Failure {
    fn from(error: AllocError) -> Self {
        Failure::new(MyLibStatus::AllocationFailed, error)
    }
}

impl From<Panic> for Failure {
    fn from(panic: Panic) -> Self {
        Failure::new(MyLibStatus::Panic, panic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_to_their_status_and_keep_their_message() {
        let overflow = Failure::from(Overflow { a: i32::MAX, b: 1 });
        assert_eq!(overflow.status, MyLibStatus::Overflow);
        assert!(overflow.message.contains("2147483647 + 1 overflows"));

        let utf8 = Failure::from(InvalidUtf8 {
            position: 2,
            bytes: vec![0xFF],
        });
        assert_eq!(utf8.status, MyLibStatus::InvalidUtf8);
        assert_eq!(utf8.message, "invalid UTF-8 byte sequence \\xFF at byte 2");

        let bounds = Failure::from(OutOfBounds {
            offset: 4,
            len: 2,
            size: 5,
        });
        assert_eq!(bounds.status, MyLibStatus::OutOfBounds);

        let alloc = Failure::from(AllocError { requested: 9 });
        assert_eq!(alloc.status, MyLibStatus::AllocationFailed);
        assert_eq!(alloc.message, "failed to allocate 9 bytes");

        let panic = Failure::from(Panic {
            message: "boom".into(),
        });
        assert_eq!(panic.status, MyLibStatus::Panic);
        assert_eq!(panic.message, "Rust panic: boom");
    }

    #[test]
    fn argument_failures_name_the_problem() {
        let null = Failure::null_pointer("out_sum");
        assert_eq!(null.status, MyLibStatus::NullPointer);
        assert_eq!(null.message, "out_sum is NULL");
        let small = Failure::output_too_small("out_points", 2, 5);
        assert_eq!(small.status, MyLibStatus::OutputTooSmall);
        assert_eq!(
            small.message,
            "out_points has room for 2 points, the result has 5"
        );
        let invalid = Failure::invalid_argument("len must not be 0");
        assert_eq!(invalid.status, MyLibStatus::InvalidArgument);
        assert_eq!(invalid.message, "len must not be 0");
    }
}
