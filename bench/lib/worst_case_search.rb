# frozen_string_literal: true

require "json"
require "open3"

module Bench
  # The worst-case section for `nearest` and `within` (issue 22): per-query
  # process CPU time in the Rust core on points at extreme magnitudes and on
  # duplicates, by scan and through the k-d tree, against the same queries
  # on a random walk (bench/core_bench `--worst-case-search`).
  class WorstCaseSearch
    def initialize(core_program:, small:, large:, rounds:)
      @core_program = core_program
      @arguments = [small, large, rounds].map(&:to_s)
    end

    # [{"family", "operation", "small_ns", "large_ns", "small_per_random_walk",
    #   "large_per_random_walk", "growth", ...}]
    def run
      output, status = Open3.capture2(@core_program, "--worst-case-search", *@arguments)
      raise "#{@core_program} --worst-case-search failed: #{status}" unless status.success?

      JSON.parse(output)
    end
  end
end
