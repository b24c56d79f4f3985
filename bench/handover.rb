# frozen_string_literal: true

# The cost of the GVL hand-over (ext/my_lib/src/ruby/nogvl.rs), for builds
# compared side by side: each round runs one child Ruby per build, in turn,
# so that the machine's load falls on all of them alike.
#
#   ruby bench/handover.rb [LIB_DIR ...]   (default: this checkout's lib)
#
# Each child times `centroid` calls, best of 500 and median (µs a call):
# of 50,000 points released (the default threshold) and held (threshold
# nil), and of 1,000 points released (threshold 0), which is nearly all
# hand-over. The released minus the held time of the 50,000 points is the
# hand-over's cost.
require "json"
require "rbconfig"

CHILD = <<~'RUBY'
  require "my_lib"
  require "json"
  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
  def per_call(points, calls)
    times = Array.new(calls) { started = now; points.centroid; now - started }.sort
    [times.first / 1000.0, times[calls / 2] / 1000.0]
  end
  large = MyLib::Points.from_packed(Array.new(100_000) { rand }.pack("d*"))
  small = MyLib::Points.from_packed(Array.new(2_000) { rand }.pack("d*"))
  per_call(large, 50) # warm-up: a worker in the cache
  released = per_call(large, 500)
  MyLib::Points.gvl_release_threshold = nil
  held = per_call(large, 500)
  MyLib::Points.gvl_release_threshold = 0
  small_released = per_call(small, 500)
  puts JSON.generate(released: released, held: held, small_released: small_released)
RUBY

libs = ARGV.empty? ? [File.expand_path("../lib", __dir__)] : ARGV.map { |dir| File.expand_path(dir) }
rounds = Integer(ENV.fetch("ROUNDS", "5"))
samples = Hash.new { |h, k| h[k] = [] }
rounds.times do
  libs.each do |lib|
    output = IO.popen([RbConfig.ruby, "-I", lib, "-e", CHILD], &:read)
    abort "bench/handover.rb: the child for #{lib} failed" unless $?.success?
    samples[lib] << JSON.parse(output, symbolize_names: true)
  end
end

median = ->(values) { values.sort[values.size / 2] }
puts "| build | 50,000 released (best / median µs) | 50,000 held | hand-over (best) | 1,000 released |"
puts "|---|---|---|---|---|"
libs.each do |lib|
  runs = samples[lib]
  best = ->(key) { runs.map { |run| run[key][0] }.min }
  mid = ->(key) { median.call(runs.map { |run| run[key][1] }) }
  puts format("| %s | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f / %.1f |", lib, best.call(:released), mid.call(:released),
              best.call(:held), mid.call(:held), best.call(:released) - best.call(:held),
              best.call(:small_released), mid.call(:small_released))
end
puts "(#{rounds} rounds, load average #{File.read('/proc/loadavg').split.first(3).join(' ')})" if File.exist?("/proc/loadavg")
