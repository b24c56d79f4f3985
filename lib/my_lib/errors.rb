# frozen_string_literal: true

# The exception classes are defined by the native extension
# (ext/my_lib/src/ruby/errors.rs); this file documents them.

module MyLib
  # The base class of the errors specific to my_lib. Wrong types, ranges and
  # indexes raise Ruby's own TypeError, RangeError, IndexError and
  # ArgumentError instead, as core classes do.
  #
  # @example Rescue anything specific to my_lib
  #   begin
  #     buffer.read(0, 4)
  #   rescue MyLib::Error => e
  #     warn e.message
  #   end
  class Error < StandardError; end

  # A Rust panic (a bug in my_lib) caught before it could reach Ruby. The
  # message is the panic's message. The interpreter carries on; the panic is
  # not printed unless the environment variable +MY_LIB_DEBUG_PANIC=1+ is set.
  #
  # @example
  #   MyLib::Testing.panic!("boom")
  #   # raises MyLib::PanicError: boom
  class PanicError < Error; end

  # Use of a {MyLib::Buffer} after {MyLib::Buffer#close}.
  #
  # @example
  #   buffer = MyLib::Buffer.new(4)
  #   buffer.close
  #   buffer.size # raises MyLib::ClosedError: MyLib::Buffer is closed
  class ClosedError < Error; end

  # Bytes that are not valid text in their encoding. The message names the
  # bytes and their offset, for example
  # <tt>invalid UTF-8 byte sequence \xFF at byte 2</tt>.
  #
  # @example
  #   MyLib.greet("ab\xFFc")
  #   # raises MyLib::InvalidByteSequenceError: invalid UTF-8 byte sequence \xFF at byte 2
  class InvalidByteSequenceError < EncodingError; end
end
