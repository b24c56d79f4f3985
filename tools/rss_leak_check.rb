# frozen_string_literal: true

# Creates and drops MyLib objects in rounds, and reports how the process's
# resident memory grows after a warm-up. malloc keeps freed memory for reuse,
# so the first rounds grow the heap without any leak; a leak shows as growth
# that goes on round after round.
#
#   ruby -Ilib tools/rss_leak_check.rb [SCALE] [ROUNDS]
#
# SCALE 1.0 is the full check (per round: 1,000,000 Points, 100,000 1-KiB
# Buffers, 1,000,000 greet strings); ROUNDS defaults to 6, the first 2 of
# which are warm-up. Prints one line a round and a summary; exits 1 when the
# growth after warm-up exceeds MAX_GROWTH_KIB (default 16384).

require "my_lib"

scale = Float(ARGV.fetch(0, "1.0"))
rounds = Integer(ARGV.fetch(1, "6"))
warm_up = 2
max_growth_kib = Integer(ENV.fetch("MAX_GROWTH_KIB", "16384"))

points = (1_000_000 * scale).to_i
buffers = (100_000 * scale).to_i
greetings = (1_000_000 * scale).to_i

def rss_kib = File.read("/proc/self/status")[/^VmRSS:\s+(\d+) kB/, 1].to_i

def one_round(points, buffers, greetings)
  origin = MyLib::Point.new(0, 0)
  points.times { |i| MyLib::Point.new(i, -i).distance_to(origin) }
  buffers.times do |i|
    buffer = MyLib::Buffer.new(1024)
    buffer[i % 1024] = 1
    buffer.close if i.even? # half closed at once, half left to the GC
  end
  greetings.times { |i| MyLib.greet("name #{i % 100}") }
  GC.start(full_mark: true, immediate_sweep: true)
end

samples = Array.new(rounds) do |round|
  one_round(points, buffers, greetings)
  rss_kib.tap { |rss| puts format("round %d: RSS %d KiB%s", round + 1, rss, round < warm_up ? " (warm-up)" : "") }
end
growth = samples.last - samples[warm_up - 1]
per_round = growth.fdiv(rounds - warm_up)
puts format("rss_leak_check: %d Points, %d Buffers, %d greet strings a round; " \
            "growth after warm-up %d KiB over %d rounds (%.1f KiB a round), limit %d KiB",
            points, buffers, greetings, growth, rounds - warm_up, per_round, max_growth_kib)
exit(growth <= max_growth_kib ? 0 : 1)
