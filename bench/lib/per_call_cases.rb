# frozen_string_literal: true

require_relative "per_call"
require_relative "ffi_my_lib"
require_relative "pure_ruby"

module Bench
  # The per-call section: each call by my_lib, the reference C extension
  # (bench/reference_ext), ruby-ffi on the C ABI and pure Ruby.
  module PerCallCases
    # ruby-ffi reads Point#x from an FFI::Struct: a memory read, not a call
    # into the C ABI, so the ffi target does not apply to it.
    FFI_WITHOUT_C_CALL = ["Point#x"].freeze

    def self.cases
      [
        *calls("MyLib.add_numbers(1, 2)",
               my_lib: "MyLib.add_numbers(1, 2)",
               c_extension: "MyLibReference.add_numbers(1, 2)",
               ffi: "Bench::FfiMyLib.checked_add(1, 2)",
               ffi_bare: "Bench::FfiMyLib.add_numbers(1, 2)",
               pure_ruby: "Bench::PureRuby.add_numbers(1, 2)"),
        *calls("MyLib::Point.new(1.5, 2.5)",
               my_lib: "MyLib::Point.new(1.5, 2.5)",
               c_extension: "MyLibReference::Point.new(1.5, 2.5)",
               ffi: "Bench::FfiMyLib.my_lib_point_new(1.5, 2.5)",
               pure_ruby: "Bench::PureRuby::Point.new(1.5, 2.5)"),
        *calls("Point#x", subjects: {
                 my_lib: -> { MyLib::Point.new(1.5, 2.5) },
                 c_extension: -> { MyLibReference::Point.new(1.5, 2.5) },
                 ffi: -> { Bench::FfiMyLib.my_lib_point_new(1.5, 2.5) },
                 pure_ruby: -> { Bench::PureRuby::Point.new(1.5, 2.5) }
               }, my_lib: "it_.x", c_extension: "it_.x", ffi: "it_[:x]", pure_ruby: "it_.x")
      ]
    end

    def self.ratio(result, mine)
      if result[:contender] == :c_extension
        { my_lib_per_c_extension: Harness.median_ratio(mine[:samples], result[:samples]).round(3) }
      else
        { "#{result[:contender]}_per_my_lib": Harness.median_ratio(result[:samples], mine[:samples]).round(3) }
      end
    end

    def self.calls(call, subjects: {}, **codes)
      codes.map do |contender, code|
        PerCall::Case.new(call: call, contender: contender, code: code, subject: subjects[contender])
      end
    end

    # [{call:, my_lib_ns:, <contender>_ns:, my_lib_per_c_extension:,
    # <other contender>_per_my_lib:}], each ratio the median of the rounds'
    # ratios.
    def self.run(rounds:, target_ns:)
      results = PerCall.new(cases, rounds: rounds, target_ns: target_ns).run
      results.group_by { |r| r[:call] }.map do |call, by_call|
        mine = by_call.find { |r| r[:contender] == :my_lib }
        row = { call: call, ffi_calls_c: !FFI_WITHOUT_C_CALL.include?(call), my_lib_ns: mine[:ns].round(2) }
        by_call.each do |r|
          next if r.equal?(mine)

          row[:"#{r[:contender]}_ns"] = r[:ns].round(2)
          row.merge!(ratio(r, mine))
        end
        row
      end
    end
  end
end
