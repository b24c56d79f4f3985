require "ffi"

module MyLibC
  extend FFI::Library
  ffi_lib "my_lib"

  class Point < FFI::Struct
    layout :x, :double, :y, :double
  end

  attach_function :my_lib_greet, [:string], :pointer # ours to free, with my_lib_string_free
  attach_function :my_lib_string_free, [:pointer], :void
  attach_function :my_lib_checked_add, %i[int32 int32 pointer], :int
  attach_function :my_lib_last_error_message, [], :string
  attach_function :my_lib_point_new, %i[double double], Point.by_value
  attach_function :my_lib_point_distance, [Point.by_value, Point.by_value], :double
end

greeting = MyLibC.my_lib_greet("Ruby")
puts greeting.read_string.force_encoding(Encoding::UTF_8)
MyLibC.my_lib_string_free(greeting)

sum = FFI::MemoryPointer.new(:int32)
puts "40 + 2 = #{sum.read_int32}" if MyLibC.my_lib_checked_add(40, 2, sum).zero?
status = MyLibC.my_lib_checked_add(2**31 - 1, 1, sum)
puts "error #{status}: #{MyLibC.my_lib_last_error_message}" unless status.zero?

a = MyLibC.my_lib_point_new(0, 0)
b = MyLibC.my_lib_point_new(3, 4)
puts format("distance %.1f", MyLibC.my_lib_point_distance(a, b))
