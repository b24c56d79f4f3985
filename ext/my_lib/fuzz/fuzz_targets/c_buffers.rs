//! The buffer functions, driven by an arbitrary sequence of operations
//! against a model (a `Vec<u8>` per live buffer): `my_lib_buffer_alloc`,
//! `_len`, `_write` (including from the buffer itself, overlapping), `_read`,
//! `_free`, the tutorial's `allocate_buffer`/`free_buffer`, with arbitrary
//! offsets and lengths (near `usize::MAX` included), NULL and misaligned
//! buffer pointers, NULL data and outputs.
//!
//! Contract checked, call by call: the status and the last error (status and
//! exact message); a new buffer is 16-byte aligned, zeroed, of its length;
//! len 0 is `MY_LIB_STATUS_INVALID_ARGUMENT`, a size no allocation can have
//! `MY_LIB_STATUS_ALLOCATION_FAILED` (not an abort); writes and reads succeed
//! exactly when `offset + len` fits (no overflow), a failed write changes no
//! byte, a read's view is `buffer + offset` with the model's bytes; failed
//! calls leave their outputs untouched; NULL and misaligned pointers are
//! rejected, and a misaligned free frees nothing. Every buffer is freed in
//! the end, so ASan/LeakSanitizer check the sized-block bookkeeping.
//!
//! Sizes that reach the allocator stay small (under 4 KiB): libFuzzer counts
//! a huge malloc as a crash. The "impossible" sizes tested are those past
//! `isize::MAX - 16`, which fail before any allocation.

#![no_main]

mod common;

use std::ptr;

use libfuzzer_sys::{arbitrary, fuzz_target};
use my_lib::c_abi::buffer::{
    MyLibByteSlice, my_lib_buffer_alloc, my_lib_buffer_free, my_lib_buffer_len, my_lib_buffer_read,
    my_lib_buffer_write,
};
use my_lib::c_abi::status::MyLibStatus;
use my_lib::c_abi::tutorial::{allocate_buffer, free_buffer};

const MAX_LIVE: usize = 8;
const MAX_SIZE: usize = 4096;

/// An offset or a length: mostly small, so that accesses land near the
/// buffer's end, sometimes any `usize`, to reach the overflow checks.
#[derive(Debug, Clone, Copy, arbitrary::Arbitrary)]
enum Number {
    Small(u16),
    NearMax(u8),
    Any(usize),
}

impl Number {
    fn get(self) -> usize {
        match self {
            Number::Small(n) => usize::from(n) % (MAX_SIZE + 2),
            Number::NearMax(n) => usize::MAX - usize::from(n),
            Number::Any(n) => n,
        }
    }
}

#[derive(Debug, arbitrary::Arbitrary)]
enum Op {
    Alloc {
        len: u16,
        tutorial: bool,
    },
    /// A size past `isize::MAX - 16`: `isize::MAX - k` or `usize::MAX - k`.
    AllocImpossible {
        k: u8,
        top: bool,
        tutorial: bool,
    },
    AllocNullOutput,
    Len {
        which: u8,
    },
    Write {
        which: u8,
        offset: Number,
        data: Vec<u8>,
        null_data: bool,
    },
    /// Writes `len` bytes of the buffer, from `from`, at `to`.
    WriteFromItself {
        which: u8,
        from: u16,
        len: u16,
        to: Number,
    },
    Read {
        which: u8,
        offset: Number,
        len: Number,
        null_output: bool,
    },
    Free {
        which: u8,
        tutorial: bool,
    },
    /// `buffer + by` for `by` in 1..16: never a buffer, rejected by every call.
    Misaligned {
        which: u8,
        by: u8,
    },
    Null {
        offset: Number,
        len: Number,
    },
}

struct Live {
    ptr: *mut u8,
    model: Vec<u8>,
}

fn empty_view() -> MyLibByteSlice<'static> {
    MyLibByteSlice::from_raw_parts(ptr::null(), 0)
}

fn out_of_bounds(offset: usize, len: usize, size: usize) -> String {
    format!(
        "range {offset}...{} (length {len}) is outside a buffer of {size} bytes",
        offset.saturating_add(len)
    )
}

/// The buffer's whole content, read through the C ABI.
fn contents(buffer: *const u8) -> Vec<u8> {
    // SAFETY: `buffer` is live.
    let len = unsafe { my_lib_buffer_len(buffer) };
    let mut view = empty_view();
    // SAFETY: `buffer` is live; `view` is writable.
    let status = unsafe { my_lib_buffer_read(buffer, 0, len, &mut view) };
    common::assert_ok(status);
    // SAFETY: a successful read views `view.len` live bytes.
    unsafe { std::slice::from_raw_parts(view.ptr, view.len) }.to_vec()
}

fn allocated(live: &mut Vec<Live>, ptr: *mut u8, len: usize) {
    assert!(!ptr.is_null());
    assert_eq!(ptr.addr() % 16, 0, "buffers are 16-byte aligned");
    // SAFETY: `ptr` is a live buffer.
    assert_eq!(unsafe { my_lib_buffer_len(ptr) }, len);
    assert_eq!(contents(ptr), vec![0; len], "new buffers are zeroed");
    live.push(Live {
        ptr,
        model: vec![0; len],
    });
}

fn pick(live: &[Live], which: u8) -> Option<usize> {
    (!live.is_empty()).then(|| usize::from(which) % live.len())
}

fuzz_target!(|ops: Vec<Op>| {
    let mut live: Vec<Live> = Vec::new();
    for op in ops.into_iter().take(64) {
        match op {
            Op::Alloc { len, tutorial } => {
                if live.len() == MAX_LIVE {
                    continue;
                }
                let len = usize::from(len) % (MAX_SIZE + 1);
                let mut buffer = ptr::null_mut();
                if tutorial {
                    buffer = allocate_buffer(len);
                } else {
                    // SAFETY: `buffer` is a live, writable pointer.
                    let status = unsafe { my_lib_buffer_alloc(len, &mut buffer) };
                    if len == 0 {
                        common::assert_failed(
                            status,
                            MyLibStatus::InvalidArgument,
                            "len must be at least 1",
                        );
                    } else {
                        assert_eq!(status, MyLibStatus::Ok);
                    }
                }
                if len == 0 {
                    assert!(buffer.is_null());
                    common::assert_last_error(
                        MyLibStatus::InvalidArgument,
                        "len must be at least 1",
                    );
                } else {
                    assert_eq!(common::last_error(), None);
                    allocated(&mut live, buffer, len);
                }
            }
            Op::AllocImpossible { k, top, tutorial } => {
                let k = usize::from(k);
                let len = if top {
                    usize::MAX - k
                } else {
                    isize::MAX as usize - k % 16
                };
                let message = format!("failed to allocate {len} bytes");
                let sentinel = ptr::dangling_mut::<u8>();
                if tutorial {
                    assert!(allocate_buffer(len).is_null());
                    common::assert_last_error(MyLibStatus::AllocationFailed, &message);
                } else {
                    let mut buffer = sentinel;
                    // SAFETY: `buffer` is a live, writable pointer.
                    let status = unsafe { my_lib_buffer_alloc(len, &mut buffer) };
                    common::assert_failed(status, MyLibStatus::AllocationFailed, &message);
                    assert_eq!(buffer, sentinel, "a failed alloc wrote its output");
                }
            }
            Op::AllocNullOutput => {
                // SAFETY: NULL is allowed by the contract (and rejected).
                let status = unsafe { my_lib_buffer_alloc(1, ptr::null_mut()) };
                common::assert_failed(status, MyLibStatus::NullPointer, "out_buffer is NULL");
            }
            Op::Len { which } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                // SAFETY: a live buffer.
                assert_eq!(
                    unsafe { my_lib_buffer_len(live[i].ptr) },
                    live[i].model.len()
                );
                assert_eq!(common::last_error(), None);
            }
            Op::Write {
                which,
                offset,
                data,
                null_data,
            } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                let (offset, size) = (offset.get(), live[i].model.len());
                let slice = MyLibByteSlice::from_raw_parts(
                    if null_data {
                        ptr::null()
                    } else {
                        data.as_ptr()
                    },
                    data.len(),
                );
                // SAFETY: a live buffer; `data` is live (or NULL, rejected).
                let status = unsafe { my_lib_buffer_write(live[i].ptr, offset, slice) };
                let fits = offset
                    .checked_add(data.len())
                    .is_some_and(|end| end <= size);
                if null_data && !data.is_empty() {
                    common::assert_failed(status, MyLibStatus::NullPointer, "data.ptr is NULL");
                } else if fits {
                    common::assert_ok(status);
                    live[i].model[offset..offset + data.len()].copy_from_slice(&data);
                } else {
                    let message = out_of_bounds(offset, data.len(), size);
                    common::assert_failed(status, MyLibStatus::OutOfBounds, &message);
                }
                assert_eq!(contents(live[i].ptr), live[i].model);
            }
            Op::WriteFromItself {
                which,
                from,
                len,
                to,
            } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                let size = live[i].model.len();
                let from = usize::from(from) % size;
                let len = usize::from(len) % (size - from + 1);
                let to = to.get();
                let source = MyLibByteSlice::from_raw_parts(live[i].ptr.wrapping_add(from), len);
                // SAFETY: a live buffer; the source is `len` of its own bytes.
                let status = unsafe { my_lib_buffer_write(live[i].ptr, to, source) };
                if to.checked_add(len).is_some_and(|end| end <= size) {
                    common::assert_ok(status);
                    live[i].model.copy_within(from..from + len, to);
                } else {
                    common::assert_failed(
                        status,
                        MyLibStatus::OutOfBounds,
                        &out_of_bounds(to, len, size),
                    );
                }
                assert_eq!(contents(live[i].ptr), live[i].model);
            }
            Op::Read {
                which,
                offset,
                len,
                null_output,
            } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                let (offset, len, size) = (offset.get(), len.get(), live[i].model.len());
                let mut view = MyLibByteSlice::from_raw_parts(ptr::dangling(), 7);
                let untouched = view;
                let output = if null_output {
                    ptr::null_mut()
                } else {
                    &raw mut view
                };
                // SAFETY: a live buffer; `view` is writable (or NULL, rejected).
                let status = unsafe { my_lib_buffer_read(live[i].ptr, offset, len, output) };
                if null_output {
                    common::assert_failed(status, MyLibStatus::NullPointer, "out_bytes is NULL");
                } else if offset.checked_add(len).is_some_and(|end| end <= size) {
                    common::assert_ok(status);
                    assert_eq!(view.ptr, live[i].ptr.wrapping_add(offset).cast_const());
                    assert_eq!(view.len, len);
                    // SAFETY: a successful read views `len` live bytes.
                    let bytes = unsafe { std::slice::from_raw_parts(view.ptr, view.len) };
                    assert_eq!(bytes, &live[i].model[offset..offset + len]);
                } else {
                    common::assert_failed(
                        status,
                        MyLibStatus::OutOfBounds,
                        &out_of_bounds(offset, len, size),
                    );
                }
                if status != MyLibStatus::Ok {
                    assert_eq!(view, untouched, "a failed read wrote its output");
                }
            }
            Op::Free { which, tutorial } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                let buffer = live.swap_remove(i);
                // SAFETY: a live buffer, freed once and then forgotten.
                unsafe {
                    if tutorial {
                        free_buffer(buffer.ptr);
                    } else {
                        my_lib_buffer_free(buffer.ptr);
                    }
                }
                assert_eq!(common::last_error(), None);
            }
            Op::Misaligned { which, by } => {
                let Some(i) = pick(&live, which) else {
                    continue;
                };
                let bad = live[i].ptr.wrapping_add(1 + usize::from(by) % 15);
                let message = "buffer was not returned by my_lib_buffer_alloc (misaligned)";
                let data = [1u8];
                let mut view = empty_view();
                // SAFETY: the misaligned pointer is rejected before use.
                unsafe {
                    assert_eq!(my_lib_buffer_len(bad), 0);
                    common::assert_last_error(MyLibStatus::InvalidArgument, message);
                    let slice = MyLibByteSlice::from_raw_parts(data.as_ptr(), 1);
                    let status = my_lib_buffer_write(bad, 0, slice);
                    common::assert_failed(status, MyLibStatus::InvalidArgument, message);
                    let status = my_lib_buffer_read(bad, 0, 0, &mut view);
                    common::assert_failed(status, MyLibStatus::InvalidArgument, message);
                    my_lib_buffer_free(bad);
                    common::assert_last_error(MyLibStatus::InvalidArgument, message);
                }
                assert_eq!(view, empty_view());
                // Still live and unchanged.
                assert_eq!(contents(live[i].ptr), live[i].model);
            }
            Op::Null { offset, len } => {
                let (offset, len) = (offset.get(), len.get());
                let data = [0u8; 1];
                let mut view = empty_view();
                // SAFETY: NULL buffers are rejected before use.
                unsafe {
                    assert_eq!(my_lib_buffer_len(ptr::null()), 0);
                    common::assert_last_error(MyLibStatus::NullPointer, "buffer is NULL");
                    let slice = MyLibByteSlice::from_raw_parts(data.as_ptr(), len.min(1));
                    let status = my_lib_buffer_write(ptr::null_mut(), offset, slice);
                    common::assert_failed(status, MyLibStatus::NullPointer, "buffer is NULL");
                    let status = my_lib_buffer_read(ptr::null(), offset, len, &mut view);
                    common::assert_failed(status, MyLibStatus::NullPointer, "buffer is NULL");
                    my_lib_buffer_free(ptr::null_mut());
                    assert_eq!(common::last_error(), None);
                    free_buffer(ptr::null_mut());
                    assert_eq!(common::last_error(), None);
                }
                assert_eq!(view, empty_view());
            }
        }
    }
    for buffer in live {
        // SAFETY: every buffer still live, freed once.
        unsafe { my_lib_buffer_free(buffer.ptr) };
        assert_eq!(common::last_error(), None);
    }
});
