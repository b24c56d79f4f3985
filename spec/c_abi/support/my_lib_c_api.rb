# frozen_string_literal: true

require "ffi"
require "rbconfig"

# The C ABI (include/my_lib.h) bound with the ffi gem, from the extension
# that `require "my_lib"` loaded: the library the gem ships is also a C
# library, callable from Ruby without the MyLib classes. It binds the my_lib_
# API only: the extension does not export the tutorial's six aliases (see
# MyLibTutorialCApi below).
module MyLibCApi
  extend FFI::Library

  EXTENSION = $LOADED_FEATURES.find { |path| path.end_with?("/my_lib.#{RbConfig::CONFIG["DLEXT"]}") } ||
              raise(LoadError, 'the my_lib extension is not loaded: `require "my_lib"` first')
  ffi_lib EXTENSION

  # MyLibStatus.
  enum :status, %i[ok null_pointer invalid_argument overflow invalid_utf8 out_of_bounds allocation_failed panic
                   output_too_small]

  # MyLibPoint: returned and passed by value.
  class Point < FFI::Struct
    layout :x, :double, :y, :double

    def to_a = [self[:x], self[:y]]
  end

  # MyLibBoundingBox: the smallest and the largest coordinates.
  class BoundingBox < FFI::Struct
    layout :min, Point, :max, Point
  end

  # MyLibByteSlice: a borrowed {ptr, len} view of bytes.
  class ByteSlice < FFI::Struct
    layout :ptr, :pointer, :len, :size_t

    def self.of(memory, len = memory.size)
      new.tap do |slice|
        slice[:ptr] = memory
        slice[:len] = len
      end
    end

    def bytes = self[:ptr].read_bytes(self[:len])
  end

  # MyLibPointSlice: a borrowed {ptr, len} view of an array of points.
  class PointSlice < FFI::Struct
    layout :ptr, :pointer, :len, :size_t

    # The slice and the memory it points into, which must outlive its use.
    def self.of(points)
      memory = FFI::MemoryPointer.new(Point, [points.size, 1].max)
      points.each_with_index do |(x, y), i|
        point = Point.new(memory + (i * Point.size))
        point[:x] = x
        point[:y] = y
      end
      slice = new.tap do |s|
        s[:ptr] = memory
        s[:len] = points.size
      end
      [slice, memory]
    end

    # The first `len` points at `memory`, as [x, y] pairs.
    def self.read(memory, len)
      Array.new(len) { |i| Point.new(memory + (i * Point.size)).to_a }
    end
  end

  attach_function :my_lib_last_error_status, [], :status
  attach_function :my_lib_last_error_message, [], :string
  attach_function :my_lib_version, [], :string

  attach_function :my_lib_wrapping_add, %i[int32 int32], :int32
  attach_function :my_lib_saturating_add, %i[int32 int32], :int32
  attach_function :my_lib_checked_add, %i[int32 int32 pointer], :status

  attach_function :my_lib_greeting, [], :string
  # Returns an owned char *: kept as a pointer, to be freed by my_lib_string_free.
  attach_function :my_lib_greet, [:string], :pointer
  attach_function :my_lib_string_free, [:pointer], :void

  attach_function :my_lib_buffer_alloc, %i[size_t pointer], :status
  attach_function :my_lib_buffer_len, [:pointer], :size_t
  attach_function :my_lib_buffer_write, [:pointer, :size_t, ByteSlice.by_value], :status
  attach_function :my_lib_buffer_read, %i[pointer size_t size_t pointer], :status
  attach_function :my_lib_buffer_free, [:pointer], :void

  attach_function :my_lib_point_new, %i[double double], Point.by_value
  attach_function :my_lib_point_distance, [Point.by_value, Point.by_value], :double
  attach_function :my_lib_points_centroid, [PointSlice.by_value, :pointer], :status
  attach_function :my_lib_points_path_length, [PointSlice.by_value, :pointer], :status
  attach_function :my_lib_points_bounding_box, [PointSlice.by_value, :pointer], :status
  attach_function :my_lib_points_nearest, [PointSlice.by_value, Point.by_value, :size_t, :pointer, :pointer], :status
  attach_function :my_lib_points_within,
                  [PointSlice.by_value, Point.by_value, :double, :pointer, :size_t, :pointer], :status
  attach_function :my_lib_points_simplify, [PointSlice.by_value, :double, :pointer, :size_t, :pointer], :status

  SIZE_MAX = (2**(8 * FFI.type_size(:size_t))) - 1
  INT32_MAX = (2**31) - 1
  INT32_MIN = -(2**31)

  def self.last_error = [my_lib_last_error_status, my_lib_last_error_message]
end

# The tutorial's six functions, which only the Ruby-free library exports
# (built by `rake c_abi:lib`, with the cargo feature tutorial-aliases), bound
# from that library, with its my_lib_buffer_len and its last error. ffi opens
# it RTLD_LOCAL, so its names stay out of the process's global scope; and it
# makes no reference to its own my_lib_ functions that the extension, loaded
# RTLD_GLOBAL first, could take over (see buffers_spec.rb and
# symbols_spec.rb). When the library is missing or lacks a function, loading
# this file still succeeds: the examples that need the library fail with
# `unavailable`, the reason.
module MyLibTutorialCApi
  extend FFI::Library

  enum :status, MyLibCApi.enum_type(:status).symbols

  LIBRARY = MyLibPlatform.c_library_path

  class << self
    # Why the functions could not be bound, or nil.
    attr_reader :unavailable
  end

  begin
    ffi_lib LIBRARY

    attach_function :add_numbers, %i[int32 int32], :int32
    attach_function :get_greeting, [], :string
    attach_function :allocate_buffer, [:size_t], :pointer
    attach_function :free_buffer, [:pointer], :void
    attach_function :make_point, %i[double double], MyLibCApi::Point.by_value
    attach_function :safe_add, %i[int32 int32], :int32

    attach_function :my_lib_buffer_len, [:pointer], :size_t
    attach_function :my_lib_last_error_status, [], :status
  rescue LoadError => e # a missing library, or FFI::NotFoundError: a missing function
    @unavailable = "#{e.message}; build it with `bundle exec rake c_abi:lib`"
  end
end

# Fails each example, saying how to build the library, when the Ruby-free
# library could not be bound.
RSpec.shared_context "the Ruby-free library" do
  before do
    expect(MyLibTutorialCApi.unavailable).to be_nil, MyLibTutorialCApi.unavailable
  end
end
