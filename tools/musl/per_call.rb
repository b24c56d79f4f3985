# frozen_string_literal: true

# The per-call section of the benchmarks (bench/lib/per_call.rb) for the Rubies
# that have neither ffi nor the reference C extension, such as the musl
# Rubies: my_lib against pure Ruby (bench/lib/pure_ruby.rb), each figure the
# loop-subtracted ns per call, median over rounds. Prints one line a call:
#
#   ruby per_call.rb [ROUNDS]     (with my_lib loadable: an installed gem, or -I lib)
#
# Run by `rake musl:per_call` on each musl Ruby, beside the host's glibc Ruby.

require "my_lib"
require_relative "../../bench/lib/per_call"
require_relative "../../bench/lib/pure_ruby"

rounds = Integer(ARGV.fetch(0, "7"))
cases = {
  "MyLib.add_numbers(1, 2)" => ["MyLib.add_numbers(1, 2)", "Bench::PureRuby.add_numbers(1, 2)", nil],
  "MyLib::Point.new(1.5, 2.5)" => ["MyLib::Point.new(1.5, 2.5)", "Bench::PureRuby::Point.new(1.5, 2.5)", nil],
  "Point#x" => ["it_.x", "it_.x", [-> { MyLib::Point.new(1.5, 2.5) }, -> { Bench::PureRuby::Point.new(1.5, 2.5) }]]
}.flat_map do |call, (mine, pure, subjects)|
  [Bench::PerCall::Case.new(call: call, contender: :my_lib, code: mine, subject: subjects&.first),
   Bench::PerCall::Case.new(call: call, contender: :pure_ruby, code: pure, subject: subjects&.last)]
end
extension = $LOADED_FEATURES.grep(%r{/my_lib\.#{RbConfig::CONFIG['DLEXT']}\z}).first
puts "per call on ruby #{RUBY_VERSION} [#{RUBY_PLATFORM}], #{extension}:"
Bench::PerCall.new(cases, rounds: rounds).run.group_by { |result| result[:call] }.each do |call, (mine, pure)|
  puts format("  %-28s my_lib %7.2f ns   pure Ruby %7.2f ns   pure Ruby / my_lib %5.2f",
              call, mine[:ns], pure[:ns], Bench::Harness.median_ratio(pure[:samples], mine[:samples]))
end
