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
  # (bench/core_bench, a separate program), by NArray and by pure Ruby.
  class Bulk
    QUERY = [5_000.0, 0.0].freeze
    K = 10
    RADIUS = 5.0
    TOLERANCE = 1.0

    # An operation: its name in the report, its key in the core program's
    # output, how my_lib runs it (on Points, or on the packed String), and
    # how the pure-Ruby and NArray modules run it.
    Operation = Struct.new(:name, :core_key, :my_lib, :module_call, :ordered, keyword_init: true)

    def self.operation(name, core_key = name, ordered: true, my_lib:, module_call:)
      Operation.new(name: name, core_key: core_key, my_lib: my_lib, module_call: module_call, ordered: ordered)
    end

    OPERATIONS = [
      operation("from_packed", my_lib: ->(_, packed) { MyLib::Points.from_packed(packed) },
                               module_call: ->(m, _, packed) { m.from_packed(packed) }),
      operation("to_packed", my_lib: ->(points, _) { points.to_packed }, module_call: ->(m, data, _) { m.to_packed(data) }),
      operation("centroid", my_lib: ->(points, _) { points.centroid }, module_call: ->(m, data, _) { m.centroid(data) }),
      operation("bounding_box", my_lib: ->(points, _) { points.bounding_box },
                                module_call: ->(m, data, _) { m.bounding_box(data) }),
      operation("path_length", my_lib: ->(points, _) { points.path_length },
                               module_call: ->(m, data, _) { m.path_length(data) }),
      operation("nearest", my_lib: ->(points, _) { points.nearest(MyLib::Point.new(*QUERY)) },
                           module_call: ->(m, data, _) { m.nearest(data, QUERY, 1) }),
      operation("nearest (k = #{K})", "nearest_k", my_lib: ->(points, _) { points.nearest(MyLib::Point.new(*QUERY), K) },
                                                   module_call: ->(m, data, _) { m.nearest(data, QUERY, K) }),
      operation("within (radius #{RADIUS})", "within", ordered: false,
                my_lib: ->(points, _) { points.within(MyLib::Point.new(*QUERY), RADIUS) },
                module_call: ->(m, data, _) { m.within(data, QUERY, RADIUS) }),
      operation("simplify (tolerance #{TOLERANCE})", "simplify",
                my_lib: ->(points, _) { points.simplify(TOLERANCE) },
                module_call: ->(m, data, _) { m.simplify(data, TOLERANCE) })
    ].freeze

    # `count` points: x from 0 by 0.01, y a sine of amplitude 50 plus noise
    # in [-0.5, 0.5), from a fixed seed. Packed as pack("d*") packs them.
    def self.packed_points(count)
      random = Random.new(2024)
      Array.new(count) { |i| [i * 0.01, (50.0 * Math.sin(i * 0.0005)) + random.rand - 0.5] }.flatten.pack("d*")
    end

    def initialize(count:, rounds:, core_program:)
      @count = count
      @rounds = rounds
      @core_program = core_program
      @packed = self.class.packed_points(count)
    end

    # [{operation:, my_lib_ms:, rust_core_ms:, my_lib_per_rust_core:,
    #   narray_ms:, narray_per_my_lib:, pure_ruby_ms:, pure_ruby_per_my_lib:}]
    def run
      data = { my_lib: MyLib::Points.from_packed(@packed), narray: NArrayPoints.from_packed(@packed),
               pure_ruby: PureRubyPoints.from_packed(@packed) }
      check_agreement(data)
      samples = Hash.new { |h, k| h[k] = [] }
      core_samples = Hash.new { |h, k| h[k] = [] }
      Harness.interleaved(round_contenders(data, samples, core_samples), rounds: @rounds, warmup: 1)
      OPERATIONS.map { |operation| row(operation.name, samples, core_samples) }
    end

    private

    # One contender per implementation; each call runs every operation once
    # and records its time in `samples` (the core program reports its own).
    def round_contenders(data, samples, core_samples)
      contenders = %i[my_lib narray pure_ruby].to_h do |implementation|
        [implementation, lambda {
          OPERATIONS.each do |operation|
            samples[[operation.name, implementation]] << time { run_operation(implementation, operation, data) }
          end
          0
        }]
      end
      contenders[:rust_core] = lambda {
        run_core.each { |name, ns| core_samples[name] << ns }
        0
      }
      contenders
    end

    def run_operation(implementation, operation, data)
      case implementation
      when :my_lib then operation.my_lib.call(data[:my_lib], @packed)
      when :narray then operation.module_call.call(NArrayPoints, data[:narray], @packed)
      when :pure_ruby then operation.module_call.call(PureRubyPoints, data[:pure_ruby], @packed)
      end
    end

    def time
      GC.start
      started = Harness.now
      yield
      Harness.now - started
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

    def row(name, samples, core_samples)
      mine = samples[[name, :my_lib]]
      core = core_samples.fetch(name)
      narray = samples[[name, :narray]]
      pure = samples[[name, :pure_ruby]]
      { operation: name, my_lib_ms: ms(mine), rust_core_ms: ms(core),
        my_lib_per_rust_core: Harness.median_ratio(mine, core).round(3),
        narray_ms: ms(narray), narray_per_my_lib: Harness.median_ratio(narray, mine).round(1),
        pure_ruby_ms: ms(pure), pure_ruby_per_my_lib: Harness.median_ratio(pure, mine).round(1) }
    end

    def ms(samples) = (Harness.median(samples) / 1e6).round(3)

    # The implementations must compute the same thing, or the figures
    # compare nothing. Results are compared as [x, y] pairs.
    def check_agreement(data)
      OPERATIONS.each do |operation|
        results = %i[my_lib narray pure_ruby].to_h do |implementation|
          result = comparable(run_operation(implementation, operation, data))
          [implementation, operation.ordered ? result : result.sort]
        end
        next if results.values.each_cons(2).all? { |a, b| close?(a, b) }

        raise "the implementations disagree on #{operation.name}: #{results.transform_values { |r| summary(r) }}"
      end
    end

    def comparable(result)
      case result
      when MyLib::Points then result.to_a.map { |p| [p.x, p.y] }
      when MyLib::Point then [[result.x, result.y]]
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
