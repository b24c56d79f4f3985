//! The status code shared by every fallible function of the C ABI.

/// The outcome of a fallible my_lib function.
///
/// Functions that can fail return a `MyLibStatus` (or, when they return a
/// pointer, NULL), and record the failure's status and a message as the
/// calling thread's last error: see `my_lib_last_error_status` and
/// `my_lib_last_error_message`. The numeric values are part of the ABI and
/// never change; new codes may be added at the end.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyLibStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullPointer = 1,
    /// An argument is outside the function's domain: an empty input where one
    /// is required, a misaligned pointer, overlapping memory, or a slice
    /// larger than the address space.
    InvalidArgument = 2,
    /// The exact result of an integer operation does not fit its type.
    Overflow = 3,
    /// Text that must be UTF-8 is not.
    InvalidUtf8 = 4,
    /// A byte range reaches outside a buffer.
    OutOfBounds = 5,
    /// Memory could not be allocated.
    AllocationFailed = 6,
    /// my_lib panicked (a bug in my_lib); the panic was stopped at the
    /// boundary and its message is the last error.
    Panic = 7,
    /// An output array given with its capacity is too small for the result:
    /// nothing was written to it, and the length the result needs was
    /// stored in the function's length out-parameter.
    OutputTooSmall = 8,
}

#[cfg(test)]
mod tests {
    use super::MyLibStatus;

    #[test]
    fn codes_are_the_documented_abi() {
        let codes = [
            (MyLibStatus::Ok, 0),
            (MyLibStatus::NullPointer, 1),
            (MyLibStatus::InvalidArgument, 2),
            (MyLibStatus::Overflow, 3),
            (MyLibStatus::InvalidUtf8, 4),
            (MyLibStatus::OutOfBounds, 5),
            (MyLibStatus::AllocationFailed, 6),
            (MyLibStatus::Panic, 7),
            (MyLibStatus::OutputTooSmall, 8),
        ];
        for (status, code) in codes {
            assert_eq!(status as i32, code, "{status:?}");
        }
        assert_eq!(
            std::mem::size_of::<MyLibStatus>(),
            std::mem::size_of::<std::ffi::c_int>()
        );
    }
}
