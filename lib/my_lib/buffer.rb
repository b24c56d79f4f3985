# frozen_string_literal: true

module MyLib
  # A fixed-size, zero-filled byte buffer whose memory is owned by Rust.
  #
  # Ruby's GC knows about that memory: +ObjectSpace.memsize_of(buffer)+
  # includes it, and it counts towards the next collection, so large buffers
  # are collected promptly. {#close} (or {#free}) releases it at once; any use
  # after that raises {MyLib::ClosedError}. A frozen Buffer cannot be changed
  # or closed. Buffers are not shareable between Ractors.
  #
  # The bytes come out only through named readers, {#read} and {#[]}:
  # {#to_s} and {#inspect} describe the buffer without its content, which may
  # be large or secret, so string interpolation, logs and Ruby's own error
  # messages never show it.
  #
  # Threads may share a Buffer: each call sees the bytes as a whole, and no
  # Ruby code (so no other thread) runs while a call holds them. A call that
  # found them held anyway would raise +ThreadError+ ("MyLib::Buffer is in use
  # by another call") rather than crash; that is not expected to happen.
  #
  # The methods are written in Rust (ext/my_lib/src/ruby/buffer.rs) and
  # documented here.
  #
  # @example
  #   buffer = MyLib::Buffer.new(4)
  #   buffer[0] = 0xFF
  #   buffer.write(1, "abc")
  #   buffer.read    #=> "\xFFabc"
  #   "#{buffer}"    #=> "#<MyLib::Buffer size=4>"
  #   buffer.close
  class Buffer
    # @!method self.from(string)
    #   A Buffer holding a copy of the String's bytes, whatever its encoding.
    #   @param string [String]
    #   @return [Buffer]
    #   @raise [TypeError] when +string+ is not a String
    #   @example
    #     MyLib::Buffer.from("hi").read   #=> "hi"

    # @!method initialize(size)
    #   A Buffer of +size+ zero bytes. Memory is requested lazily zeroed from
    #   the system, and a request that cannot be met is an error, never an abort.
    #   @param size [Integer] 0 or more
    #   @raise [TypeError] when +size+ is not an Integer
    #   @raise [ArgumentError] when +size+ is negative
    #   @raise [NoMemoryError] when the memory cannot be allocated
    #   @example
    #     MyLib::Buffer.new(3).read   #=> "\x00\x00\x00"

    # @!method size
    #   @return [Integer] the number of bytes
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     MyLib::Buffer.new(8).size   #=> 8

    # @!method [](index)
    #   The byte at +index+; negative indexes count from the end, as for Array.
    #   @param index [Integer]
    #   @return [Integer] 0..255
    #   @raise [IndexError] when +index+ is outside the buffer
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     MyLib::Buffer.from("ab")[-1]   #=> 98

    # @!method []=(index, byte)
    #   Sets the byte at +index+; negative indexes count from the end.
    #   @param index [Integer]
    #   @param byte [Integer] 0..255
    #   @return [Integer] +byte+
    #   @raise [IndexError] when +index+ is outside the buffer
    #   @raise [RangeError] when +byte+ is outside 0..255
    #   @raise [FrozenError] when the buffer is frozen
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     buffer = MyLib::Buffer.new(2)
    #     buffer[1] = 65
    #     buffer.read   #=> "\x00A"

    # @!method read(offset = 0, length = size - offset)
    #   The bytes, as a new String: all of them with no arguments, those from
    #   +offset+ to the end with one. This is how the content comes out of a
    #   Buffer ({#to_s} only describes it).
    #   @param offset [Integer] 0 or more
    #   @param length [Integer] 0 or more
    #   @return [String] a binary (ASCII-8BIT) copy of +length+ bytes from +offset+
    #   @raise [IndexError] when the range leaves the buffer
    #   @raise [ArgumentError] when +offset+ or +length+ is negative, or given
    #     more than two arguments
    #   @raise [NoMemoryError] when the copy cannot be allocated
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     buffer = MyLib::Buffer.from("hello")
    #     buffer.read         #=> "hello"
    #     buffer.read(1, 3)   #=> "ell"
    #     buffer.read(3)      #=> "lo"

    # @!method write(offset, string)
    #   Copies the bytes of +string+ in at +offset+: all of them, or none.
    #   @param offset [Integer] 0 or more
    #   @param string [String] any encoding; its bytes are copied
    #   @return [Integer] the number of bytes written
    #   @raise [IndexError] when the bytes would not fit
    #   @raise [FrozenError] when the buffer is frozen
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     buffer = MyLib::Buffer.new(4)
    #     buffer.write(2, "hi")   #=> 2
    #     buffer.read             #=> "\x00\x00hi"

    # @!method fill(byte)
    #   Sets every byte to +byte+.
    #   @param byte [Integer] 0..255
    #   @return [self]
    #   @raise [RangeError] when +byte+ is outside 0..255
    #   @raise [FrozenError] when the buffer is frozen
    #   @raise [MyLib::ClosedError] after {#close}
    #   @example
    #     MyLib::Buffer.new(3).fill(0x2A).read   #=> "***"

    # @!method to_s
    #   The same as {#inspect}: the class and size, never the content. Use
    #   {#read} for the bytes.
    #   @return [String]
    #   @example
    #     "got #{MyLib::Buffer.from("secret")}"   #=> "got #<MyLib::Buffer size=6>"

    # @!method ==(other)
    #   Whether +other+ is a Buffer with the same bytes. A closed Buffer is
    #   equal only to itself, so +Array#include?+ works with closed Buffers.
    #   @param other [Object]
    #   @return [Boolean]
    #   @example
    #     MyLib::Buffer.from("ab") == MyLib::Buffer.from("ab")   #=> true
    #     MyLib::Buffer.from("ab").tap(&:close) == MyLib::Buffer.from("ab")   #=> false

    # @!method inspect
    #   The class and size, never the content (which may be large or secret).
    #   @return [String]
    #   @example
    #     MyLib::Buffer.new(16).inspect            #=> "#<MyLib::Buffer size=16>"
    #     MyLib::Buffer.new(1).tap(&:close).inspect #=> "#<MyLib::Buffer closed>"

    # @!method close
    #   Releases the memory now rather than at garbage collection. Closing a
    #   closed Buffer does nothing.
    #   @return [nil]
    #   @raise [FrozenError] when the buffer is frozen
    #   @example
    #     buffer = MyLib::Buffer.new(1024)
    #     buffer.close
    #     buffer.closed?   #=> true

    # @!method free
    #   The same as {#close}.
    #   @return [nil]
    #   @raise [FrozenError] when the buffer is frozen
    #   @example
    #     MyLib::Buffer.new(1024).free   #=> nil

    # @!method closed?
    #   @return [Boolean] whether {#close} or {#free} was called
    #   @example
    #     MyLib::Buffer.new(1).closed?   #=> false
  end
end
