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

/// The `len` elements at `ptr`. An empty slice needs no memory, so when
/// `len == 0` any `ptr`, NULL included, gives `&[]`.
///
/// # Safety
///
/// When `len > 0` and `ptr` passes the checks of [`required`], `ptr` must
/// point to `len` initialised `T`s in one allocation, not written to during
/// `'a`.
pub(crate) unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    argument: &str,
) -> Result<&'a [T], Failure> {
    if len == 0 {
        return Ok(&[]);
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
    // SAFETY: `ptr` is non-NULL and aligned (checked by `required`), the
    // slice spans at most isize::MAX bytes (checked above), and the caller
    // guarantees `len` initialised elements that stay unmodified for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr.as_ptr(), len) })
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
        // SAFETY: len is 0, so no memory is read.
        let empty: &[u64] = unsafe { slice(ptr::null(), 0, "points") }.unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn slices_check_null_and_size() {
        let values = [1_u64, 2, 3];
        // SAFETY: `values` holds 3 initialised u64s, alive for the test.
        let whole = unsafe { slice(values.as_ptr(), 3, "values") }.unwrap();
        assert_eq!(whole, &values);

        // SAFETY: NULL is rejected before any read.
        let null = unsafe { slice(ptr::null::<u64>(), 1, "values") }.unwrap_err();
        assert_eq!(null, Failure::null_pointer("values"));

        // SAFETY: the length is rejected before any read.
        let huge = unsafe { slice(values.as_ptr(), usize::MAX / 4, "values") }.unwrap_err();
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
