# frozen_string_literal: true

require "ffi"

module Bench
  # my_lib's C ABI (include/my_lib.h) from Ruby through ruby-ffi, on the
  # Ruby-free library `rake c_abi:lib` builds: what calling the Rust core
  # without a native extension costs.
  module FfiMyLib
    extend FFI::Library

    LIBRARY = File.expand_path("../../target/c_abi/release/libmy_lib.so", __dir__)
    ffi_lib LIBRARY

    # MyLibPoint, returned by value.
    class Point < FFI::Struct
      layout :x, :double, :y, :double
    end

    OK = 0

    attach_function :my_lib_checked_add, %i[int32 int32 pointer], :int
    attach_function :my_lib_point_new, %i[double double], Point.by_value
    # The tutorial alias: a bare int32 addition, without the overflow check.
    attach_function :add_numbers, %i[int32 int32], :int32

    SUM = FFI::MemoryPointer.new(:int32)

    # MyLib.add_numbers's work over the C ABI: the checked addition, its
    # status turned into an exception. (ruby-ffi itself raises a TypeError
    # for a non-Integer and a RangeError for an operand outside int32.)
    # Not thread-safe: one output slot serves every call.
    def self.checked_add(a, b)
      status = my_lib_checked_add(a, b, SUM)
      raise RangeError, "#{a} + #{b} overflows a 32-bit signed integer" unless status == OK

      SUM.read_int32
    end
  end
end
