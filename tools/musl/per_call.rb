# frozen_string_literal: true

# The per-call section of the benchmarks (bench/lib/per_call.rb) for Rubies
# without ffi, such as the musl Rubies: my_lib against the reference C
# extension (bench/reference_ext, built for the Ruby at hand) and pure Ruby
# (bench/lib/pure_ruby.rb). Each figure is the loop-subtracted ns per call,
# the median over rounds; my_lib/C is the median of the rounds' ratios, the
# figure to compare across Rubies and C libraries. Prints one line a call:
#
#   ruby -I<reference extension dir> per_call.rb [ROUNDS]
#
# with my_lib loadable (an installed gem, or -I lib). Run by
# `rake musl:per_call` on each musl Ruby, beside the host's glibc Ruby.

require "my_lib"
require "my_lib_reference"
require_relative "../../bench/lib/per_call"
require_relative "../../bench/lib/pure_ruby"

rounds = Integer(ARGV.fetch(0, "9"))
point = ->(klass) { -> { klass::Point.new(1.5, 2.5) } }
calls = {
  "MyLib.add_numbers(1, 2)" => { my_lib: "MyLib.add_numbers(1, 2)", c_extension: "MyLibReference.add_numbers(1, 2)",
                                 pure_ruby: "Bench::PureRuby.add_numbers(1, 2)" },
  "MyLib::Point.new(1.5, 2.5)" => { my_lib: "MyLib::Point.new(1.5, 2.5)",
                                    c_extension: "MyLibReference::Point.new(1.5, 2.5)",
                                    pure_ruby: "Bench::PureRuby::Point.new(1.5, 2.5)" },
  "Point#x" => { my_lib: "it_.x", c_extension: "it_.x", pure_ruby: "it_.x" }
}
subjects = { my_lib: point.call(MyLib), c_extension: point.call(MyLibReference), pure_ruby: point.call(Bench::PureRuby) }
cases = calls.flat_map do |call, codes|
  codes.map do |contender, code|
    Bench::PerCall::Case.new(call: call, contender: contender, code: code,
                             subject: call == "Point#x" ? subjects.fetch(contender) : nil)
  end
end
extension = $LOADED_FEATURES.grep(%r{/my_lib\.#{RbConfig::CONFIG['DLEXT']}\z}).first
puts "per call on ruby #{RUBY_VERSION} [#{RUBY_PLATFORM}], #{extension} (#{rounds} rounds):"
Bench::PerCall.new(cases, rounds: rounds).run.group_by { |result| result[:call] }.each do |call, results|
  mine, theirs, pure = %i[my_lib c_extension pure_ruby].map { |contender| results.find { |r| r[:contender] == contender } }
  puts format("  %-28s my_lib %6.2f ns  C ext %6.2f ns  my_lib/C %5.3f  pure Ruby %7.2f ns", call, mine[:ns],
              theirs[:ns], Bench::Harness.median_ratio(mine[:samples], theirs[:samples]), pure[:ns])
end
