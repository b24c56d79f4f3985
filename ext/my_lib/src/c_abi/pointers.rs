//! Turning the host's raw pointers into Rust values, after every check that
//! can be made without trusting them: NULL, alignment and size. That a
//! pointer which passes them really points at valid memory is the calling
//! function's documented `# Safety` contract.

use std::ffi::{CStr, c_char};
use std::mem;
use std::ptr::NonNull;

use super::failure::Failure;

/// `ptr`, checked to be non-NULL and aligned for `T`; `argument` names it in
/// the failure.
pub(crate) fn required<T>(ptr: *mut T, argument: &str) -> Result<NonNull<T>, Failure> {
    let ptr = NonNull::new(ptr).ok_or_else(|| Failure::null_pointer(argument))?;
    if !ptr.is_aligned() {
        return Err(Failure::invalid_argument(format!(
            "{argument} is not aligned to {} bytes",
            mem::align_of::<T>()
        )));
    }
    Ok(ptr)
}

/// The `len` elements at `ptr`, checked to be non-NULL, aligned and at most
/// `isize::MAX` bytes, as a raw slice pointer: nothing is read, and no
/// lifetime is made up here. The `{ptr, len}` views (`MyLibByteSlice`,
/// `MyLibPointSlice`) turn it into a `&'a [T]` with their own lifetime `'a`,
/// or use it raw. An empty slice needs no memory, so when `len == 0` any
/// `ptr`, NULL included, gives an empty slice (dangling, aligned).
pub(crate) fn slice<T>(ptr: *const T, len: usize, argument: &str) -> Result<NonNull<[T]>, Failure> {
    if len == 0 {
        return Ok(NonNull::slice_from_raw_parts(NonNull::dangling(), 0));
    }
    let ptr = required(ptr.cast_mut(), argument)?;
    let too_large = len
        .checked_mul(mem::size_of::<T>())
        .is_none_or(|bytes| bytes > isize::MAX as usize);
    if too_large {
        return Err(Failure::invalid_argument(format!(
            "{argument} has {len} elements, more than fit in memory"
        )));
    }
    Ok(NonNull::slice_from_raw_parts(ptr, len))
}

/// The NUL-terminated string at `ptr`.
///
/// # Safety
///
/// A non-NULL `ptr` must point to a NUL-terminated string, not written to
/// during `'a`.
pub(crate) unsafe fn c_str<'a>(ptr: *const c_char, argument: &str) -> Result<&'a CStr, Failure> {
    let ptr = required(ptr.cast_mut(), argument)?;
    // SAFETY: `ptr` is non-NULL; the caller guarantees a NUL-terminated
    // string that stays unmodified for 'a.
    Ok(unsafe { CStr::from_ptr(ptr.as_ptr()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::status::MyLibStatus;
    use std::ptr;

    #[test]
    fn required_rejects_null_and_misaligned_pointers() {
        let mut value = 7_u64;
        let good = required(&raw mut value, "value").unwrap();
        assert_eq!(good.as_ptr(), &raw mut value);

        let null = required(ptr::null_mut::<u64>(), "out_sum").unwrap_err();
        assert_eq!(null, Failure::null_pointer("out_sum"));

        let misaligned = (&raw mut value).cast::<u8>().wrapping_add(1).cast::<u64>();
        let failure = required(misaligned, "out").unwrap_err();
        assert_eq!(failure.status, MyLibStatus::InvalidArgument);
        assert_eq!(failure.message, "out is not aligned to 8 bytes");
    }

    #[test]
    fn empty_slices_accept_any_pointer() {
        let empty = slice(ptr::null::<u64>(), 0, "points").unwrap();
        assert!(empty.is_empty());
        assert!(empty.cast::<u64>().is_aligned());
    }

    #[test]
    fn slices_check_null_alignment_and_size() {
        let values = [1_u64, 2, 3];
        let whole = slice(values.as_ptr(), 3, "values").unwrap();
        // SAFETY: `values` holds 3 initialised u64s, alive and unmodified
        // while the reference is used.
        assert_eq!(unsafe { whole.as_ref() }, &values);

        let null = slice(ptr::null::<u64>(), 1, "values").unwrap_err();
        assert_eq!(null, Failure::null_pointer("values"));

        let misaligned = values.as_ptr().cast::<u8>().wrapping_add(1).cast::<u64>();
        let failure = slice(misaligned, 1, "values").unwrap_err();
        assert_eq!(failure.message, "values is not aligned to 8 bytes");

        let huge = slice(values.as_ptr(), usize::MAX / 4, "values").unwrap_err();
        assert_eq!(huge.status, MyLibStatus::InvalidArgument);
        assert!(huge.message.contains("more than fit in memory"));
    }

    #[test]
    fn c_strings_check_null() {
        // SAFETY: a C string literal is NUL-terminated and static.
        let text = unsafe { c_str(c"hi".as_ptr(), "name") }.unwrap();
        assert_eq!(text, c"hi");
        // SAFETY: NULL is rejected before any read.
        let null = unsafe { c_str(ptr::null(), "name") }.unwrap_err();
        assert_eq!(null, Failure::null_pointer("name"));
    }
}
