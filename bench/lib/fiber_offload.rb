# frozen_string_literal: true

require_relative "harness"
require_relative "../../spec/support/offloading_scheduler"

module Bench
  # Ruby 3.4+: a bulk call made from a fiber under a Fiber scheduler, handed
  # to the scheduler's blocking_operation_wait (RB_NOGVL_OFFLOAD_SAFE) or not
  # (the same call in a blocking fiber, `Fiber.blocking`), beside a ticker
  # fiber that sleeps 1 ms at a time. Counts the ticks during the call and
  # the worst gap between two, each way. The scheduler is the minimal one of
  # spec/support (a thread per operation).
  class FiberOffload
    def self.available? = RUBY_VERSION >= "3.4"

    def initialize(count:, rounds:)
      @points = MyLib::Points.from_packed(Array.new(2 * count) { rand }.pack("d*"))
      @count = count
      @rounds = rounds
    end

    # {count:, offloaded: {call_ms:, ticks:, worst_gap_ms:}, blocking: {...}}, medians over the rounds.
    def run
      samples = { offloaded: [], blocking: [] }
      @rounds.times do
        samples.each_key { |way| samples[way] << measure(way) }
      end
      samples.transform_values { |runs| median_run(runs) }.merge(count: @count)
    end

    def self.table(figures)
      rows = %i[offloaded blocking].map do |way|
        run = figures.fetch(way)
        "| #{way} | #{run[:call_ms]} | #{run[:ticks]} | #{run[:worst_gap_ms]} |"
      end
      ["", "### Fiber scheduler: simplify(0) of #{figures[:count]} points beside a 1 ms ticker fiber", "",
       "| call | call (ms) | ticks during the call | worst gap between ticks (ms) |", "|---|---|---|---|",
       *rows].join("\n")
    end

    private

    def measure(way)
      Thread.new do
        scheduler = OffloadingScheduler.new
        Fiber.set_scheduler(scheduler)
        stamps = []
        ticker = Fiber.schedule { loop { sleep 0.001; stamps << Harness.now } } # rubocop:disable Style/Semicolon
        call = nil
        Fiber.schedule do
          started = Harness.now
          way == :offloaded ? @points.simplify(0) : Fiber.blocking { @points.simplify(0) }
          call = [started, Harness.now]
        ensure
          ticker.raise(StopIteration)
        end
        scheduler.run
        summary(call, stamps)
      end.value
    end

    def summary((started, finished), stamps)
      during = stamps.select { |stamp| stamp.between?(started, finished) }
      gaps = [started, *during, finished].each_cons(2).map { |a, b| b - a }
      { call_ms: ((finished - started) / 1e6).round(1), ticks: during.size,
        worst_gap_ms: (gaps.max / 1e6).round(1) }
    end

    def median_run(runs)
      runs.first.keys.to_h { |key| [key, Harness.median(runs.map { |run| run[key] })] }
    end
  end
end
