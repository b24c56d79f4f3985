# frozen_string_literal: true

require "json"
require "open3"
require "tmpdir"
require_relative "harness"
require_relative "pure_ruby_points"
require_relative "narray_points"

module Bench
  # The bulk section: each Points operation on the same points (a noisy
  # sine wave, like a GPS track) by my_lib, by the Rust core without Ruby
  # (bench/core_bench, a separate program run once a round), by NArray and
  # by pure Ruby.
  #
  # my_lib answers a Points' first queries by scanning, and builds a k-d
  # tree once the Points has answered 20 (see ext/my_lib/src/ruby/points.rs):
  # the "scan" rows query a Points made just before (outside the timing),
  # the "k-d tree" rows one that has built its tree. NArray and pure Ruby
  # scan in both.
  class Bulk
    K = 10
    RADIUS = 50.0
    TOLERANCE = 2.0
    # A contender whose single call takes longer than this is timed in the
    # first round only (pure Ruby's simplify takes two minutes, NArray's 20 s).
    SLOW_NS = 2_000_000_000
    BEST_OF = 3
    BEST_OF_NS = 300_000_000

    # An operation: its name in the report, its key in the core program's
    # output, how my_lib runs it (on which Points: :fresh or :indexed), and
    # how the pure-Ruby and NArray modules run it.
    Operation = Struct.new(:name, :core_key, :points, :my_lib, :module_call, :ordered, keyword_init: true)

    def self.operation(name, core_key = name, points: :indexed, ordered: true, my_lib:, module_call:)
      Operation.new(name: name, core_key: core_key, points: points, my_lib: my_lib, module_call: module_call,
                    ordered: ordered)
    end

    def self.query = MyLib::Point.new(*QUERY)

    OPERATIONS = [
      operation("from_packed", my_lib: ->(_, packed) { MyLib::Points.from_packed(packed) },
                               module_call: ->(m, _, packed) { m.from_packed(packed) }),
      operation("to_packed", my_lib: ->(points, _) { points.to_packed }, module_call: ->(m, data, _) { m.to_packed(data) }),
      operation("centroid", my_lib: ->(points, _) { points.centroid }, module_call: ->(m, data, _) { m.centroid(data) }),
      operation("bounding_box", my_lib: ->(points, _) { points.bounding_box },
                                module_call: ->(m, data, _) { m.bounding_box(data) }),
      operation("path_length", my_lib: ->(points, _) { points.path_length },
                               module_call: ->(m, data, _) { m.path_length(data) }),
      operation("nearest (scan)", "nearest_scan", points: :fresh, my_lib: ->(points, _) { points.nearest(query) },
                                                  module_call: ->(m, data, _) { m.nearest(data, QUERY, 1).first }),
      operation("nearest (k-d tree)", "nearest_indexed", my_lib: ->(points, _) { points.nearest(query) },
                                                         module_call: ->(m, data, _) { m.nearest(data, QUERY, 1).first }),
      operation("nearest, k = #{K} (k-d tree)", "nearest_k_indexed",
                my_lib: ->(points, _) { points.nearest(query, K) },
                module_call: ->(m, data, _) { m.nearest(data, QUERY, K) }),
      operation("within #{RADIUS} (scan)", "within_scan", points: :fresh, ordered: false,
                my_lib: ->(points, _) { points.within(query, RADIUS) },
                module_call: ->(m, data, _) { m.within(data, QUERY, RADIUS) }),
      operation("within #{RADIUS} (k-d tree)", "within_indexed", ordered: false,
                my_lib: ->(points, _) { points.within(query, RADIUS) },
                module_call: ->(m, data, _) { m.within(data, QUERY, RADIUS) }),
      operation("simplify #{TOLERANCE}", "simplify",
                my_lib: ->(points, _) { points.simplify(TOLERANCE) },
                module_call: ->(m, data, _) { m.simplify(data, TOLERANCE) })
    ].freeze

    # `count` points: x from 0 by 1, y a sine of amplitude 500 and period
    # ~12,566 plus noise in [-0.5, 0.5), from a fixed seed; packed as
    # pack("d*") packs them.
    def self.packed_points(count)
      random = Random.new(2024)
      Array.new(count) { |i| [i.to_f, y_at(i) + random.rand - 0.5] }.flatten.pack("d*")
    end

    def self.y_at(i) = 500.0 * Math.sin(i * 0.0005)

    # On the wave, in the middle of the points of the full run.
    QUERY = [500_000.0, y_at(500_000)].freeze

    def initialize(count:, rounds:, core_program:)
      @count = count
      @rounds = rounds
      @core_program = core_program
      @packed = self.class.packed_points(count)
    end

    # [{operation:, my_lib_ms:, rust_core_ms:, my_lib_per_rust_core:,
    #   narray_ms:, narray_per_my_lib:, pure_ruby_ms:, pure_ruby_per_my_lib:}]
    def run
      data = { my_lib: indexed_points, narray: NArrayPoints.from_packed(@packed),
               pure_ruby: PureRubyPoints.from_packed(@packed) }
      samples = Hash.new { |h, k| h[k] = [] }
      first_results = {}
      contenders = %i[my_lib narray pure_ruby].to_h do |implementation|
        [implementation, -> { run_round(implementation, data, samples, first_results) }]
      end
      contenders[:rust_core] = -> { run_core.each { |name, ns| samples[[name, :rust_core]] << ns } }
      Harness.interleaved(contenders, rounds: @rounds + 1, warmup: 0)
      check_agreement(first_results)
      OPERATIONS.map { |operation| row(operation.name, samples) }
    end

    private

    # A Points that has answered enough queries to have built its k-d tree.
    def indexed_points
      MyLib::Points.from_packed(@packed).tap { |points| 25.times { points.nearest(self.class.query) } }
    end

    # Every operation once by `implementation`; the first round keeps the
    # results, for the agreement check.
    def run_round(implementation, data, samples, first_results)
      OPERATIONS.each do |operation|
        timings = samples[[operation.name, implementation]]
        next if timings.any? { |ns| ns > SLOW_NS }

        input = implementation == :my_lib && operation.points == :fresh ? MyLib::Points.from_packed(@packed) : data[implementation]
        result = nil
        timings << time { result = run_operation(implementation, operation, input) }
        first_results[[operation, implementation]] ||= result
      end
    end

    def run_operation(implementation, operation, input)
      case implementation
      when :my_lib then operation.my_lib.call(input, @packed)
      when :narray then operation.module_call.call(NArrayPoints, input, @packed)
      when :pure_ruby then operation.module_call.call(PureRubyPoints, input, @packed)
      end
    end

    # The fastest of up to BEST_OF calls (as many as fit in BEST_OF_NS),
    # each after a full GC: a call descheduled by another process, or
    # slowed by fresh pages, is dropped. The GC stays enabled during a call:
    # collecting the garbage pure Ruby and NArray make is part of their
    # cost. The full GC also leaves the caches cold; the core program evicts
    # them before each call too.
    def time
      calls = 0
      spent = 0
      best = nil
      while calls < BEST_OF && (calls.zero? || spent < BEST_OF_NS)
        GC.start
        started = Harness.now
        yield
        ns = Harness.now - started
        best = [best, ns].compact.min
        spent += ns
        calls += 1
      end
      best
    end

    # The Rust core program times each operation on the same packed points
    # (given in a file) and prints {core_key: nanoseconds}.
    def run_core
      Dir.mktmpdir("my_lib-bench") do |dir|
        points_file = File.join(dir, "points.bin")
        File.binwrite(points_file, @packed)
        output, status = Open3.capture2(@core_program, points_file, *QUERY.map(&:to_s), K.to_s, RADIUS.to_s,
                                        TOLERANCE.to_s)
        raise "#{@core_program} failed: #{status}" unless status.success?

        timings = JSON.parse(output)
        OPERATIONS.to_h { |operation| [operation.name, timings.fetch(operation.core_key)] }
      end
    end

    # The first round is the warm-up, dropped unless it is a contender's
    # only one (see SLOW_NS). Ratios are per round where both sides ran
    # every round; a contender timed once is compared with the other's median.
    def row(name, samples)
      mine, core, narray, pure = %i[my_lib rust_core narray pure_ruby].map do |implementation|
        timings = samples[[name, implementation]]
        timings.size > 1 ? timings.drop(1) : timings
      end
      { operation: name, my_lib_ms: ms(mine), rust_core_ms: ms(core),
        my_lib_per_rust_core: ratio(mine, core).round(3), narray_ms: ms(narray),
        narray_per_my_lib: ratio(narray, mine).round(1), pure_ruby_ms: ms(pure),
        pure_ruby_per_my_lib: ratio(pure, mine).round(1), pure_ruby_runs: pure.size }
    end

    def ratio(numerator, denominator)
      if numerator.size == denominator.size
        Harness.median_ratio(numerator, denominator)
      else
        Harness.median(numerator).fdiv(Harness.median(denominator))
      end
    end

    def ms(samples) = (Harness.median(samples) / 1e6).round(3)

    # The implementations must compute the same thing, or the figures
    # compare nothing. Results are compared as [x, y] pairs.
    def check_agreement(first_results)
      OPERATIONS.each do |operation|
        results = %i[my_lib narray pure_ruby].to_h do |implementation|
          result = comparable(first_results.fetch([operation, implementation]))
          [implementation, operation.ordered ? result : result.sort]
        end
        next if results.values.each_cons(2).all? { |a, b| close?(a, b) }

        raise "the implementations disagree on #{operation.name}: #{results.transform_values { |r| summary(r) }}"
      end
    end

    def comparable(result)
      case result
      when MyLib::Points then result.to_a.map { |p| [p.x, p.y] }
      when MyLib::Point then [result.x, result.y]
      when NArray then result.dim == 2 ? result.to_a : result.to_a.each_slice(2).to_a
      when Array then result.first.is_a?(MyLib::Point) ? result.map { |p| [p.x, p.y] } : result
      else result
      end
    end

    def close?(a, b)
      case a
      when Float then b.is_a?(Float) && (a - b).abs <= 1e-9 * [a.abs, b.abs, 1.0].max
      when Array then b.is_a?(Array) && a.size == b.size && a.zip(b).all? { |x, y| close?(x, y) }
      else a == b
      end
    end

    def summary(result) = result.is_a?(Array) ? "#{result.size} items, first #{result.first.inspect}" : result.inspect
  end
end
