//! `MyLib::Buffer`: a fixed-size byte buffer whose memory Rust owns.
//!
//! The bytes are a `Box<[u8]>` from [`core::buffer`], owned by the Ruby
//! object and freed by `close`/`free` or, failing that, when the object is
//! collected. Ruby's GC sees them twice: `ObjectSpace.memsize_of` reports
//! them (`DataTypeFunctions::size`), and they count as external memory
//! (`rb_gc_adjust_memory_usage`), so large buffers make Ruby collect sooner.
//!
//! A Buffer is mutable and not shareable: only the Ractor that made it can
//! reach it. Frozen Buffers raise `FrozenError` on every change.
//!
//! [`core::buffer`]: crate::core::buffer

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

use magnus::{
    DataTypeFunctions, Error, Module, Object, RClass, RModule, RString, Ruby, TypedData, Value,
    method, prelude::*, typed_data::Obj,
};

use super::{boundary::guard, convert, errors};
use crate::core::buffer::{self as core_buffer, AllocError, OutOfBounds};

/// A Ruby `MyLib::Buffer`: `None` once closed.
#[derive(TypedData)]
#[magnus(class = "MyLib::Buffer", free_immediately, size)]
pub struct Buffer {
    bytes: RefCell<Option<GcAccounted>>,
}

/// `Buffer.allocate`: an open, empty buffer, which `initialize` then sizes.
impl Default for Buffer {
    fn default() -> Self {
        Buffer::holding(GcAccounted::empty())
    }
}

impl DataTypeFunctions for Buffer {
    /// The object plus the bytes it owns, for `ObjectSpace.memsize_of`.
    fn size(&self) -> usize {
        let owned = self
            .bytes
            .try_borrow()
            .map_or(0, |bytes| bytes.as_ref().map_or(0, |bytes| bytes.len()));
        std::mem::size_of::<Self>() + owned
    }
}

/// Bytes counted by Ruby's GC as external memory for as long as they live.
struct GcAccounted(Box<[u8]>);

impl GcAccounted {
    fn new(ruby: &Ruby, bytes: Box<[u8]>) -> Self {
        ruby.gc_adjust_memory_usage(signed(bytes.len()));
        GcAccounted(bytes)
    }

    /// Zero bytes: nothing to account for, so no Ruby handle is needed.
    fn empty() -> Self {
        GcAccounted(Box::default())
    }
}

impl Drop for GcAccounted {
    /// Gives the bytes back to the GC's count, as `ruby_xfree` would. This
    /// runs when a buffer is closed and, for an open one, when the GC frees
    /// it; `rb_gc_adjust_memory_usage` with a negative amount only lowers a
    /// counter, so it is safe inside the GC's free step.
    fn drop(&mut self) {
        if let Ok(ruby) = Ruby::get() {
            ruby.gc_adjust_memory_usage(-signed(self.0.len()));
        }
    }
}

impl Deref for GcAccounted {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl DerefMut for GcAccounted {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

/// A Rust allocation never exceeds `isize::MAX` bytes, so this is lossless.
fn signed(len: usize) -> isize {
    isize::try_from(len).unwrap_or(isize::MAX)
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Buffer", ruby.class_object())?;
    class.define_alloc_func::<Buffer>();
    class.define_singleton_method("from", method!(Buffer::from_string, 1))?;
    class.define_method("initialize", method!(Buffer::initialize, 1))?;
    class.define_method("initialize_copy", method!(Buffer::initialize_copy, 1))?;
    class.define_method("size", method!(Buffer::size, 0))?;
    class.define_method("[]", method!(Buffer::get, 1))?;
    class.define_method("[]=", method!(Buffer::set, 2))?;
    class.define_method("read", method!(Buffer::read, 2))?;
    class.define_method("write", method!(Buffer::write, 2))?;
    class.define_method("fill", method!(Buffer::fill, 1))?;
    class.define_method("to_s", method!(Buffer::to_s, 0))?;
    class.define_method("==", method!(Buffer::eq, 1))?;
    class.define_method("inspect", method!(Buffer::inspect, 0))?;
    class.define_method("close", method!(Buffer::close, 0))?;
    class.define_method("free", method!(Buffer::close, 0))?;
    class.define_method("closed?", method!(Buffer::is_closed, 0))?;
    Ok(())
}

impl Buffer {
    fn holding(bytes: GcAccounted) -> Self {
        Buffer {
            bytes: RefCell::new(Some(bytes)),
        }
    }

    /// Runs `read` over the bytes, or raises `MyLib::ClosedError`.
    fn with_bytes<R>(
        &self,
        ruby: &Ruby,
        read: impl FnOnce(&[u8]) -> Result<R, Error>,
    ) -> Result<R, Error> {
        match self.bytes.borrow().as_deref() {
            Some(bytes) => read(bytes),
            None => Err(errors::closed_error(ruby, "MyLib::Buffer")),
        }
    }

    /// Runs `change` over the bytes of `buffer`, or raises `FrozenError` or
    /// `MyLib::ClosedError`.
    fn with_bytes_mut<R>(
        ruby: &Ruby,
        buffer: Obj<Buffer>,
        change: impl FnOnce(&mut [u8]) -> Result<R, Error>,
    ) -> Result<R, Error> {
        buffer.check_frozen()?;
        match buffer.bytes.borrow_mut().as_deref_mut() {
            Some(bytes) => change(bytes),
            None => Err(errors::closed_error(ruby, "MyLib::Buffer")),
        }
    }

    /// Replaces the bytes of `buffer` (after `FrozenError` checks).
    fn replace(buffer: Obj<Buffer>, bytes: GcAccounted) -> Result<(), Error> {
        buffer.check_frozen()?;
        *buffer.bytes.borrow_mut() = Some(bytes);
        Ok(())
    }

    /// `Buffer.new(size)`: `size` zero bytes.
    fn initialize(ruby: &Ruby, rb_self: Obj<Buffer>, size: Value) -> Result<(), Error> {
        guard(ruby, || {
            let size = convert::size(ruby, size, "size")?;
            let bytes = core_buffer::zeroed(size).map_err(|error| no_memory(ruby, error))?;
            Buffer::replace(rb_self, GcAccounted::new(ruby, bytes))
        })
    }

    /// `Buffer.from(string)`: a copy of the String's bytes, whatever its
    /// encoding.
    fn from_string(ruby: &Ruby, class: RClass, string: RString) -> Result<Obj<Buffer>, Error> {
        guard(ruby, || {
            let bytes = {
                // SAFETY: the slice is read by `copied` alone, which runs no
                // Ruby code, so the String cannot change or be collected
                // meanwhile (it is also on the stack, as `string`).
                let source = unsafe { string.as_slice() };
                core_buffer::copied(source)
            }
            .map_err(|error| no_memory(ruby, error))?;
            let buffer = Buffer::holding(GcAccounted::new(ruby, bytes));
            Ok(ruby.obj_wrap_as(buffer, class))
        })
    }

    /// `dup` and `clone`: the copy owns a copy of the bytes.
    fn initialize_copy(ruby: &Ruby, rb_self: Obj<Buffer>, original: &Buffer) -> Result<(), Error> {
        guard(ruby, || {
            let bytes = original.with_bytes(ruby, |bytes| {
                core_buffer::copied(bytes).map_err(|error| no_memory(ruby, error))
            })?;
            Buffer::replace(rb_self, GcAccounted::new(ruby, bytes))
        })
    }

    fn size(ruby: &Ruby, rb_self: &Buffer) -> Result<usize, Error> {
        guard(ruby, || rb_self.with_bytes(ruby, |bytes| Ok(bytes.len())))
    }

    /// `buffer[index]`: the byte at `index`, counting from the end when
    /// negative, as Array does; `IndexError` outside the buffer.
    fn get(ruby: &Ruby, rb_self: &Buffer, index: Value) -> Result<u8, Error> {
        guard(ruby, || {
            rb_self.with_bytes(ruby, |bytes| {
                let index = byte_index(ruby, index, bytes.len())?;
                Ok(bytes[index])
            })
        })
    }

    /// `buffer[index] = byte`, with `byte` an Integer in `0..255`.
    fn set(ruby: &Ruby, rb_self: Obj<Buffer>, index: Value, byte: Value) -> Result<u8, Error> {
        guard(ruby, || {
            let byte = byte_value(ruby, byte)?;
            Buffer::with_bytes_mut(ruby, rb_self, |bytes| {
                let index = byte_index(ruby, index, bytes.len())?;
                bytes[index] = byte;
                Ok(byte)
            })
        })
    }

    /// `read(offset, length)`: a binary String of `length` bytes.
    fn read(ruby: &Ruby, rb_self: &Buffer, offset: Value, length: Value) -> Result<RString, Error> {
        guard(ruby, || {
            let offset = convert::size(ruby, offset, "offset")?;
            let length = convert::size(ruby, length, "length")?;
            rb_self.with_bytes(ruby, |bytes| {
                let slice = core_buffer::read(bytes, offset, length)
                    .map_err(|error| out_of_bounds(ruby, error))?;
                Ok(ruby.enc_str_new(slice, ruby.ascii8bit_encoding()))
            })
        })
    }

    /// `write(offset, string)`: copies the String's bytes in at `offset`,
    /// all or nothing, and returns how many were written.
    fn write(
        ruby: &Ruby,
        rb_self: Obj<Buffer>,
        offset: Value,
        string: RString,
    ) -> Result<usize, Error> {
        guard(ruby, || {
            let offset = convert::size(ruby, offset, "offset")?;
            Buffer::with_bytes_mut(ruby, rb_self, |bytes| {
                // SAFETY: the slice is read by `core_buffer::write` alone,
                // which runs no Ruby code, so the String cannot change or be
                // collected meanwhile; it cannot overlap `bytes`, which Rust
                // allocated.
                let source = unsafe { string.as_slice() };
                core_buffer::write(bytes, offset, source)
                    .map_err(|error| out_of_bounds(ruby, error))?;
                Ok(source.len())
            })
        })
    }

    /// `fill(byte)`: sets every byte; returns the buffer.
    fn fill(ruby: &Ruby, rb_self: Obj<Buffer>, byte: Value) -> Result<Obj<Buffer>, Error> {
        guard(ruby, || {
            let byte = byte_value(ruby, byte)?;
            Buffer::with_bytes_mut(ruby, rb_self, |bytes| {
                bytes.fill(byte);
                Ok(())
            })?;
            Ok(rb_self)
        })
    }

    /// A binary String holding a copy of every byte.
    fn to_s(ruby: &Ruby, rb_self: &Buffer) -> Result<RString, Error> {
        guard(ruby, || {
            rb_self.with_bytes(ruby, |bytes| {
                Ok(ruby.enc_str_new(bytes, ruby.ascii8bit_encoding()))
            })
        })
    }

    /// `other` is a Buffer with the same bytes.
    fn eq(ruby: &Ruby, rb_self: &Buffer, other: Value) -> Result<bool, Error> {
        guard(ruby, || {
            let Ok(other) = <&Buffer>::try_convert(other) else {
                return Ok(false);
            };
            rb_self.with_bytes(ruby, |mine| {
                other.with_bytes(ruby, |theirs| Ok(mine == theirs))
            })
        })
    }

    /// `#<MyLib::Buffer size=16>` or `#<MyLib::Buffer closed>`; never the
    /// content, which may be large or secret.
    fn inspect(ruby: &Ruby, rb_self: Obj<Buffer>) -> Result<String, Error> {
        guard(ruby, || {
            let state = match rb_self.bytes.borrow().as_deref() {
                Some(bytes) => format!("size={}", bytes.len()),
                None => "closed".to_owned(),
            };
            Ok(format!("#<{} {state}>", rb_self.class()))
        })
    }

    /// `close` and `free`: releases the memory now. Closing twice is
    /// harmless.
    fn close(ruby: &Ruby, rb_self: Obj<Buffer>) -> Result<(), Error> {
        guard(ruby, || {
            rb_self.check_frozen()?;
            rb_self.bytes.borrow_mut().take();
            Ok(())
        })
    }

    fn is_closed(ruby: &Ruby, rb_self: &Buffer) -> Result<bool, Error> {
        guard(ruby, || Ok(rb_self.bytes.borrow().is_none()))
    }
}

/// An Integer index into `len` bytes, negative ones counting from the end.
fn byte_index(ruby: &Ruby, index: Value, len: usize) -> Result<usize, Error> {
    let index = convert::integer(ruby, index, "index")?;
    let resolved = index.to_i64().ok().and_then(|index| {
        let position = if index < 0 {
            len.checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
        } else {
            usize::try_from(index).ok()?
        };
        (position < len).then_some(position)
    });
    resolved.ok_or_else(|| {
        Error::new(
            ruby.exception_index_error(),
            format!("index {index} outside of a buffer of {len} bytes (-{len}...{len})"),
        )
    })
}

/// An Integer in `0..255`: `TypeError` for other types, `RangeError` outside.
fn byte_value(ruby: &Ruby, value: Value) -> Result<u8, Error> {
    let integer = convert::integer(ruby, value, "byte")?;
    integer.to_u8().map_err(|_| {
        Error::new(
            ruby.exception_range_error(),
            format!("byte {integer} is outside 0..255"),
        )
    })
}

fn no_memory(ruby: &Ruby, error: AllocError) -> Error {
    Error::new(ruby.exception_no_mem_error(), error.to_string())
}

fn out_of_bounds(ruby: &Ruby, error: OutOfBounds) -> Error {
    Error::new(ruby.exception_index_error(), error.to_string())
}
