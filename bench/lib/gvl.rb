# frozen_string_literal: true

require_relative "harness"

module Bench
  # The GVL section: the same bulk work done by one Ruby thread, then split
  # between two, with the GVL released (the default for large inputs) and
  # held (for contrast). Throughput gain = one thread's time / two threads'.
  class Gvl
    WORK = %i[path_length centroid bounding_box].freeze

    def initialize(count:, calls:, rounds:)
      @points = MyLib::Points.from_packed(Bulk.packed_points(count))
      @calls = calls
      @rounds = rounds
    end

    # [{gvl:, one_thread_ms:, two_threads_ms:, speedup:}]
    def run
      contenders = {}
      { released: false, held: true }.each do |gvl, hold|
        contenders[[gvl, 1]] = -> { with_gvl(hold) { time_threads(1) } }
        contenders[[gvl, 2]] = -> { with_gvl(hold) { time_threads(2) } }
      end
      samples = Harness.interleaved(contenders, rounds: @rounds, warmup: 1)
      %i[released held].map do |gvl|
        one = samples[[gvl, 1]]
        two = samples[[gvl, 2]]
        { gvl: gvl, calls: @calls * WORK.size, one_thread_ms: ms(one), two_threads_ms: ms(two),
          speedup: Harness.median_ratio(one, two).round(2) }
      end
    end

    private

    # The time `threads` threads take to share @calls rounds of WORK.
    def time_threads(threads)
      started = Harness.now
      Array.new(threads) do
        Thread.new { (@calls / threads).times { WORK.each { |operation| @points.public_send(operation) } } }
      end.each(&:join)
      Harness.now - started
    end

    def with_gvl(hold, &)
      hold ? MyLib::Points.with_gvl_held(&) : yield
    end

    def ms(samples) = (Harness.median(samples) / 1e6).round(2)
  end
end
