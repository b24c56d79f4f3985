# frozen_string_literal: true

# my_lib: points, byte buffers and text from a Rust core, as Ruby objects.
#
# The native extension defines everything here except what reads better in
# Ruby (JSON and Marshal support for {Point}); the module functions below are
# Rust, in ext/my_lib/src/ruby/text.rs and arithmetic.rs.
#
# @example
#   require "my_lib"
#   MyLib.greet("Ruby")        #=> "Hello, Ruby!"
#   MyLib.add_numbers(2, 3)    #=> 5
module MyLib
  # @!parse
  #   # The version of the compiled Rust core, which must equal {VERSION}.
  #   NATIVE_VERSION = "0.1.0"

  # @!method self.greeting
  #   The greeting of the Rust core: always the same frozen UTF-8 String
  #   object, so calling this allocates nothing.
  #   @return [String] "Hello from Rust", frozen
  #   @example
  #     MyLib.greeting                          #=> "Hello from Rust"
  #     MyLib.greeting.equal?(MyLib.greeting)   #=> true

  # @!method self.greet(name)
  #   A personal greeting, as a new UTF-8 String.
  #
  #   UTF-8, US-ASCII and binary Strings are read as UTF-8 bytes; Strings in
  #   other encodings are transcoded to UTF-8. NUL characters are kept.
  #   @param name [String] any String that is valid text (or responds to +to_str+)
  #   @return [String] <tt>"Hello, #{name}!"</tt> in UTF-8
  #   @raise [MyLib::InvalidByteSequenceError] when +name+ holds bytes that are
  #     not valid in its encoding; the message gives their offset
  #   @raise [Encoding::UndefinedConversionError] when a character has no
  #     UTF-8 equivalent
  #   @raise [TypeError] when +name+ is not a String
  #   @example
  #     MyLib.greet("Ruby")                          #=> "Hello, Ruby!"
  #     MyLib.greet("café".encode("ISO-8859-1"))   #=> "Hello, café!"
  #     MyLib.greet("a\0b")                          #=> "Hello, a\u0000b!"

  # @!method self.add_numbers(a, b)
  #   Adds two Integers in the 32-bit signed range of the C ABI.
  #
  #   Ruby Integers never overflow, so a result outside 32 bits is an error
  #   rather than a wrapped value.
  #   @param a [Integer] in -2**31..2**31-1
  #   @param b [Integer] in -2**31..2**31-1
  #   @return [Integer] a + b
  #   @raise [TypeError] when an argument is not an Integer (a Float is not
  #     truncated)
  #   @raise [RangeError] when an operand or the sum is outside
  #     -2147483648..2147483647; the message names the limits
  #   @example
  #     MyLib.add_numbers(2, 3)            #=> 5
  #     MyLib.add_numbers(2**31 - 1, 1)    # raises RangeError
end
