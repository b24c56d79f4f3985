# frozen_string_literal: true

module Bench
  # What a Ruby programmer writes without native code, with the same checks
  # as my_lib: the baseline the per-call figures are compared with.
  module PureRuby
    INT32_MIN = -2**31
    INT32_MAX = 2**31 - 1

    def self.add_numbers(a, b)
      check_operand(a, "a")
      check_operand(b, "b")
      sum = a + b
      raise RangeError, "#{a} + #{b} overflows a 32-bit signed integer" if sum < INT32_MIN || sum > INT32_MAX

      sum
    end

    def self.check_operand(value, argument)
      raise TypeError, "#{argument} must be an Integer, not #{value.class}" unless value.is_a?(Integer)
      return unless value < INT32_MIN || value > INT32_MAX

      raise RangeError, "#{argument} = #{value} is outside a 32-bit signed integer"
    end

    # A frozen point with Float coordinates, from Integers, Floats or Rationals.
    class Point
      attr_reader :x, :y

      def initialize(x, y)
        @x = PureRuby.real(x, "x")
        @y = PureRuby.real(y, "y")
        freeze
      end
    end

    def self.real(value, argument)
      case value
      when Float then value
      when Integer, Rational then value.to_f
      else raise TypeError, "#{argument} must be an Integer, Float or Rational, not #{value.class}"
      end
    end
  end
end
