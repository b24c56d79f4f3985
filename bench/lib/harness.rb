# frozen_string_literal: true

module Bench
  # Timing with the rigour the figures need on a shared, noisy machine: every
  # figure is the median of several rounds, and in each round the contenders
  # run one after the other, in an order that changes from round to round,
  # so a burst of load from another process hits them all alike. Ratios are
  # taken within a round, then their median across rounds is reported.
  module Harness
    module_function

    def now = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

    def median(values)
      sorted = values.sort
      mid = sorted.size / 2
      sorted.size.odd? ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0
    end

    # Runs `rounds` rounds of every contender (a name => callable Hash); each
    # callable returns the nanoseconds one measurement took. The first
    # `warmup` rounds are discarded. Returns name => [ns of each kept round].
    def interleaved(contenders, rounds:, warmup: 1, seed: 9)
      random = Random.new(seed)
      samples = contenders.keys.to_h { |name| [name, []] }
      (warmup + rounds).times do |round|
        contenders.to_a.shuffle(random: random).each do |name, measure|
          ns = measure.call
          samples[name] << ns if round >= warmup
        end
      end
      samples
    end

    # The median over rounds of `numerator / denominator`, each round's
    # figures divided by each other.
    def median_ratio(numerator, denominator)
      median(numerator.zip(denominator).map { |a, b| a.fdiv(b) })
    end
  end
end
