# frozen_string_literal: true

require "json"
require "open3"

module Bench
  # The worst-case section (issues 15 and 22): `simplify(0)` in the Rust
  # core on adversarial paths (an outward spiral, a growing sawtooth, exact
  # ties, f64 extremes, lines at an angle straight up to rounding, a line
  # with noise below the float filter's error…) at two sizes, against a
  # random walk and against the old straightforward algorithm (kept as the
  # test oracle). bench/core_bench does the timing (`--worst-case`, CPU
  # time of the process), every family at both sizes once a round, so
  # ratios are taken within a round; the old algorithm is quadratic
  # on some families (98 s on 100,000 points of the sawtooth), so it runs
  # once per size and is cancelled after `old_cap_ms`.
  class WorstCase
    def initialize(core_program:, small:, large:, rounds:, old_cap_ms:)
      @core_program = core_program
      @arguments = [small, large, rounds, old_cap_ms].map(&:to_s)
    end

    # [{family:, small_points:, large_points:, small_ms:, large_ms:, growth:,
    #   large_per_random_walk:, old_small_ms:, old_large_ms:, old_per_my_lib:,
    #   decision_ns:, decision_per_random_walk:}] (one exact segment-distance
    #   comparison on the family's points, against the random walk's)
    # (old times nil where the old algorithm was cancelled).
    def run
      output, status = Open3.capture2(@core_program, "--worst-case", *@arguments)
      raise "#{@core_program} --worst-case failed: #{status}" unless status.success?

      JSON.parse(output).map { |row| summarize(row) }
    end

    private

    def summarize(row)
      old_large = ms(row["old_large_ns"])
      { family: row["family"], small_points: row["small_points"], large_points: row["large_points"],
        small_ms: ms(row["small_ns"]), large_ms: ms(row["large_ns"]), growth: row["growth"].round(2),
        small_per_random_walk: row["small_per_random_walk"].round(2),
        large_per_random_walk: row["large_per_random_walk"].round(2),
        old_small_ms: ms(row["old_small_ns"]), old_large_ms: old_large,
        old_per_my_lib: old_large && row["old_large_ns"].fdiv(row["large_ns"]).round(1),
        decision_ns: row["decision_ns"].round(1), decision_per_random_walk: row["decision_per_random_walk"].round(2) }
    end

    def ms(ns) = ns && (ns / 1e6).round(3)
  end
end
