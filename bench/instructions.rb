# frozen_string_literal: true

# `rake bench:instructions`: machine instructions per call of my_lib and of
# the reference C extension, counted by callgrind. Unlike time, the count
# does not depend on what else the machine runs, so small changes to the
# per-call path show up. A count is the difference between runs of
# 220,000 and 20,000 calls (which cancels Ruby's start-up), divided by
# 200,000, minus the same for the empty loop.
#
#   ruby -Ilib -I<reference extension dir> bench/instructions.rb
#   ruby ... bench/instructions.rb --child <call> <contender> <iterations>
require "open3"
require "rbconfig"
require "tmpdir"
require "my_lib"
require "my_lib_reference"
require_relative "lib/per_call_cases"

CONTENDERS = %i[my_lib c_extension].freeze
# Where this process found the extensions, for the child processes.
LOAD_PATHS = %w[my_lib/my_lib.so my_lib_reference.so].map do |file|
  $LOAD_PATH.find { |path| File.exist?(File.join(path, file)) }
end
EMPTY = "empty"

def child(call, contender, iterations)
  code, subject =
    if call == EMPTY
      ["it_", nil]
    else
      kase = Bench::PerCallCases.cases.find { |c| c.call == call && c.contender.to_s == contender }
      [kase.code, kase.subject&.call]
    end
  Object.class_eval("def measured(iterations, it_) = iterations.times { #{code} }", __FILE__, __LINE__)
  GC.disable
  measured(iterations, subject)
end

def instructions(call, contender, iterations)
  Dir.mktmpdir("my_lib-callgrind") do |dir|
    out = File.join(dir, "callgrind.out")
    _, status = Open3.capture2e("valgrind", "--tool=callgrind", "--callgrind-out-file=#{out}", RbConfig.ruby,
                                *LOAD_PATHS.flat_map { |path| ["-I", path] }, __FILE__, "--child",
                                call, contender.to_s, iterations.to_s)
    raise "callgrind failed for #{call} (#{contender}): #{status}" unless status.success?

    Integer(File.read(out)[/^totals:\s+(\d+)/, 1])
  end
end

def per_call(call, contender)
  (instructions(call, contender, 220_000) - instructions(call, contender, 20_000)) / 200_000.0
end

if ARGV.first == "--child"
  child(ARGV[1], ARGV[2], Integer(ARGV[3]))
else
  empty = per_call(EMPTY, :none)
  puts "| call | my_lib | C extension | my_lib/C |", "| --- | --- | --- | --- |"
  Bench::PerCallCases.cases.map(&:call).uniq.each do |call|
    mine, theirs = CONTENDERS.map { |contender| (per_call(call, contender) - empty).round }
    puts "| #{call} | #{mine} | #{theirs} | #{(mine.to_f / theirs).round(3)} |"
  end
end
