# frozen_string_literal: true

require_relative "harness"

module Bench
  # The GVL section: the same bulk work done by one Ruby thread, then split
  # between two, with the GVL released (the default for large inputs) and
  # held (for contrast). Throughput gain = one thread's time / two threads'.
  # Released needs `count` at least MyLib::Points.gvl_release_threshold.
  class Gvl
    WORK = %i[path_length centroid bounding_box].freeze

    def initialize(count:, calls:, rounds:)
      @points = MyLib::Points.from_packed(Bulk.packed_points(count))
      @calls = calls
      @rounds = rounds
    end

    # [{gvl:, calls:, one_thread_ms:, two_threads_ms:, speedup:,
    #   two_threads_cpu_per_wall:, other_thread_loops_per_ms:}]
    #
    # On a machine other processes keep busy, two threads get less than two
    # cores: two_threads_cpu_per_wall (the process's CPU time over the wall
    # time of the two-thread run) says how much they got. Independent of
    # that load, other_thread_loops_per_ms counts how far a plain Ruby
    # thread gets while the main thread runs the bulk work: it runs only
    # when the bulk work has released the GVL.
    def run
      contenders = {}
      cpu = Hash.new { |h, k| h[k] = [] }
      { released: false, held: true }.each do |gvl, hold|
        contenders[[gvl, 1]] = -> { with_gvl(hold) { time_threads(1).first } }
        contenders[[gvl, 2]] = lambda {
          with_gvl(hold) { time_threads(2).tap { |wall, cpu_ns| cpu[gvl] << cpu_ns.fdiv(wall) }.first }
        }
        contenders[[gvl, :other]] = -> { with_gvl(hold) { other_thread_loops } }
      end
      samples = Harness.interleaved(contenders, rounds: @rounds, warmup: 1)
      %i[released held].map do |gvl|
        one = samples[[gvl, 1]]
        two = samples[[gvl, 2]]
        { gvl: gvl, calls: @calls * WORK.size, one_thread_ms: ms(one), two_threads_ms: ms(two),
          speedup: Harness.median_ratio(one, two).round(2),
          two_threads_cpu_per_wall: Harness.median(cpu[gvl].drop(1)).round(2),
          other_thread_loops_per_ms: Harness.median(samples[[gvl, :other]]).round }
      end
    end

    private

    # The wall and CPU time `threads` threads take to share @calls rounds of WORK.
    def time_threads(threads)
      started = Harness.now
      cpu_started = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond)
      Array.new(threads) { Thread.new { work(@calls / threads) } }.each(&:join)
      [Harness.now - started, Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond) - cpu_started]
    end

    def work(calls) = calls.times { WORK.each { |operation| @points.public_send(operation) } }

    # Loop iterations per millisecond of a Ruby thread counting while this
    # one runs the bulk work.
    def other_thread_loops
      loops = 0
      counter = Thread.new { loop { loops += 1 } }
      Thread.pass until loops.positive?
      started = Harness.now
      counted = loops
      work(@calls / 2)
      counted = loops - counted
      elapsed = Harness.now - started
      counter.kill.join
      counted * 1_000_000 / elapsed
    end

    # With the GVL held: `gvl_release_threshold = nil` (never release).
    def with_gvl(hold)
      threshold = MyLib::Points.gvl_release_threshold
      MyLib::Points.gvl_release_threshold = nil if hold
      yield
    ensure
      MyLib::Points.gvl_release_threshold = threshold
    end

    def ms(samples) = (Harness.median(samples) / 1e6).round(2)
  end
end
