# frozen_string_literal: true

# A tour of my_lib: every public method, with what it returns.
#
#   bin/setup && bundle exec ruby examples/demo.rb

require "my_lib"
require "objspace"

# Ractors work with MyLib; the tour needs no reminder that they are new.
Warning[:experimental] = false

# Prints `code  # => value`, or the exception the code raises.
def show(code, binding_ = TOPLEVEL_BINDING)
  result = binding_.eval(code)
  puts format("%-48s # => %s", code, result.inspect)
rescue StandardError, EncodingError, NoMemoryError => e
  puts format("%-48s # !! %s: %s", code, e.class, e.message)
end

def section(title)
  puts "", "== #{title}"
end

section "Text"
show "MyLib.greeting"
show "MyLib.greeting.frozen?"
show "MyLib.greeting.equal?(MyLib.greeting)"
show 'MyLib.greet("Ruby")'
show 'MyLib.greet("café".encode("ISO-8859-1"))'
show 'MyLib.greet("a\0b")'
show 'MyLib.greet("ab\xFFc")'

section "32-bit arithmetic"
show "MyLib.add_numbers(2, 3)"
show "MyLib.add_numbers(-2**31, 2**31 - 1)"
show "MyLib.add_numbers(2**31 - 1, 1)"
show "MyLib.add_numbers(1.5, 1)"

section "Points: frozen value objects"
$a = MyLib::Point.new(0, 0)
$b = MyLib::Point.new(3, Rational(8, 2))
show "$b = MyLib::Point.new(3, Rational(8, 2))"
show "$b.x"
show "$b.y"
show "$b.to_s"
show "$a.distance_to($b)"
show "$b + $b"
show "$b - MyLib::Point.new(1, 1)"
show "$b * 0.5"
show "$b == MyLib::Point.new(3.0, 4.0)"
show "$b.eql?(MyLib::Point.new(3, 4))"
show "{ $b => :home }[MyLib::Point.new(3, 4)]"
show "$b.hash == MyLib::Point.new(3, 4).hash"
show "$b.to_a"
show "$b.to_h"
show "$b.deconstruct"
show "$b.deconstruct_keys([:x])"
show 'case $b; in { x:, y: } then "x=#{x}, y=#{y}"; end'
show "$b.as_json"
show "$b.to_json"
show "Marshal.load(Marshal.dump($b)) == $b"
show "MyLib::Point._load($b._dump(-1))"
show "$b.dup.equal?($b)"
show "$b.clone.equal?($b)"
show "$b.frozen? && Ractor.shareable?($b)"
show "Ractor.new($b) { |point| point.distance_to(MyLib::Point.new(0, 0)) }.take"
show "MyLib::Point.new(nil, 1)"

section "Point sets: arrays of points that Rust owns"
show "$path = MyLib::Points.new([[0, 0], [3, 4], [6, 8.1], MyLib::Point.new(6, 14)])"
show '$packed = MyLib::Points.from_packed([0.0, 0.0, 1.0, 1.0, 2.0, 0.0].pack("d*"))'
show '$packed.to_packed.unpack("d*")'
show "$path.length"
show "$path.size"
show "$path.empty?"
show "$path.at(1)"
show "$path[-1]"
show "$path[1, 2]"
show "$path.slice(2..)"
show "$path.first"
show "$path.last(2)"
show "$path.each.size"
show "$path.each.with_index.map { |point, i| point.y * i }"
show "$path.to_a == $path.entries"
show "$path.centroid"
show "$path.bounding_box"
show "$path.path_length"
show "$path.nearest(MyLib::Point.new(4, 5))"
show "$path.nearest(MyLib::Point.new(0, 0), 2)"
show "$path.within(MyLib::Point.new(4, 5), 2.5)"
show "$path.simplify(0.5)"
show "$path.simplify(3)"
show "$path == MyLib::Points.new($path.to_a)"
show "$path.eql?(MyLib::Points.new($path.to_a))"
show "$path.hash == MyLib::Points.new($path.to_a).hash"
show "$packed.inspect"
show '"#{$packed}"'
show "$packed[0, 1].as_json"
show "$packed[0, 1].to_json"
show "Marshal.load(Marshal.dump($path)) == $path"
show "MyLib::Points._load($packed._dump(-1))"
show "$path.dup.equal?($path)"
show "$path.clone.equal?($path)"
show "$path.frozen? && Ractor.shareable?($path)"
show "Ractor.new($path) { |points| points.path_length }.take"
show "MyLib::Points.gvl_release_threshold"
show "MyLib::Points.gvl_release_threshold = 0"
show "Thread.new { $path.centroid }.value"
show "MyLib::Points.gvl_release_threshold = 50_000"
show "MyLib::Points.new([[1, 2], [3]])"
show 'MyLib::Points.from_packed("12345")'

section "Buffers: bytes owned by Rust"
$buffer = MyLib::Buffer.new(8)
show "$buffer = MyLib::Buffer.new(8)"
show "$buffer[0] = 0xFF"
show "$buffer[0]"
show "$buffer[-1]"
show "$buffer[8]"
show '$buffer.write(1, "abc")'
show "$buffer.read(1, 3)"
show "$buffer.fill(0x2A).read"
show '"#{$buffer}"'
show "$buffer.size"
show 'MyLib::Buffer.from("hi") == MyLib::Buffer.from("hi")'
show "ObjectSpace.memsize_of(MyLib::Buffer.new(1 << 20))"
show "$buffer.closed?"
show "$buffer.close"
show "$buffer.closed?"
show "$buffer.size"
show "MyLib::Buffer.new(4).free"
show "MyLib::Buffer.new(-1)"
show "MyLib::Buffer.new(2**62)"

section "Panics become exceptions, and the process carries on"
show 'MyLib::Testing.panic!("boom")'
show 'MyLib::Testing.panic_without_gvl!("boom")'
show "MyLib.add_numbers(1, 1)"

section "The C ABI, through the ffi gem (see include/my_lib.h)"
begin
  require "ffi"

  # Binds a few functions of the C API from the extension Ruby just loaded.
  module MyLibC
    extend FFI::Library
    ffi_lib $LOADED_FEATURES.grep(%r{/my_lib\.so\z}).first

    # The C layout of MyLibPoint: two doubles.
    class Point < FFI::Struct
      layout :x, :double, :y, :double
    end

    enum :status, %i[ok null_pointer invalid_argument overflow invalid_utf8 out_of_bounds allocation_failed panic]
    attach_function :my_lib_checked_add, %i[int32 int32 pointer], :status
    attach_function :my_lib_last_error_message, [], :string
    attach_function :my_lib_greet, [:string], :pointer
    attach_function :my_lib_string_free, [:pointer], :void
    attach_function :my_lib_point_new, %i[double double], Point.by_value
  end

  $sum = FFI::MemoryPointer.new(:int32)
  show "MyLibC.my_lib_checked_add(2, 3, $sum)"
  show "$sum.read_int32"
  show "MyLibC.my_lib_checked_add(2**31 - 1, 1, $sum)"
  show "MyLibC.my_lib_last_error_message"
  show '(s = MyLibC.my_lib_greet("C")).read_string.tap { MyLibC.my_lib_string_free(s) }'
  show "MyLibC.my_lib_point_new(1.5, -2.0).values"
rescue LoadError
  puts "(install the ffi gem to see this part)"
end
