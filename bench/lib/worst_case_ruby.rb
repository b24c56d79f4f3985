# frozen_string_literal: true

module Bench
  # The worst-case families of issue 22 through the Ruby API, in process CPU
  # time, beside the Rust core's figures for the same points: `simplify(0)`
  # per family, and `nearest`/`within` per query (the first calls scan; after
  # 20 the Points object has built its k-d tree). Each figure is the median
  # of per-round ratios to the random walk's, so the Ruby call's own cost
  # shows as ratios nearer 1 than the core's, never as larger ones.
  class WorstCaseRuby
    MASK = (1 << 64) - 1
    SUBNORMAL = 5.43230922487e-312

    SIMPLIFY_FAMILIES = {
      "random walk" => ->(walk, _n) { walk },
      "constant sawtooth (ties)" => ->(_walk, n) { sawtooth(n, 1.0, 1.0) },
      "circle, closed (ties)" => ->(_walk, n) { closed_circle(n) },
      "sawtooth [i 1e300, ±1e-300]" => ->(_walk, n) { sawtooth(n, 1e300, 1e-300) },
      "sawtooth [i 1e100, ±1e100]" => ->(_walk, n) { sawtooth(n, 1e100, 1e100) },
      "walk 1e-70, one [MAX, 0]" => ->(walk, _n) { walk[0...-2].map { |c| c * 1e-70 } + [Float::MAX, 0.0] },
      "sawtooth [i 1e-70, ±1e-70]" => ->(_walk, n) { sawtooth(n, 1e-70, 1e-70) },
      "sawtooth [0.1 i, ±0.1]" => ->(_walk, n) { sawtooth(n, 0.1, 0.1) }
    }.freeze

    SEARCH_FAMILIES = {
      "random walk" => [1.0, ->(walk) { walk }],
      "walk x 1e160" => [1e160, ->(walk) { walk.map { |c| c * 1e160 } }],
      "walk x 1e-160" => [1e-160, ->(walk) { walk.map { |c| c * 1e-160 } }],
      "walk of subnormals" => [SUBNORMAL, ->(walk) { walk.map { |c| c * SUBNORMAL } }],
      "1 % near the query, 99 % over ±1e200" =>
        [1.0, ->(walk) { walk.each_slice(2).with_index.flat_map { |p, i| (i % 100).zero? ? p : p.map { |c| c * 1e198 } } }],
      "all duplicates" => [1.0, ->(walk) { [1.5, -2.5] * (walk.size / 2) }]
    }.freeze

    def self.sawtooth(n, x, y) = Array.new(n) { |i| [i * x, i.even? ? y : -y] }.flatten

    def self.closed_circle(n)
      round = (1...(n - 1)).flat_map { |i| [Math.cos(i * 0.37), Math.sin(i * 0.37)] }
      [0.0, 0.0] + round + [0.0, 0.0]
    end

    # The core's random walk (SplitMix64 from 15, `x += rand - 0.5`), as a
    # flat array of coordinates.
    def self.random_walk(n)
      state = 15
      unit = lambda do
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        ((z ^ (z >> 31)) >> 11).fdiv(1 << 53)
      end
      x = y = 0.0
      Array.new(n) { [x += unit.call - 0.5, y += unit.call - 0.5] }.flatten
    end

    def initialize(small:, large:, rounds:, core_simplify:, core_search:)
      @sizes = [small, large]
      @rounds = rounds
      @core_simplify = core_simplify.to_h { |row| [row[:family], row] }
      @core_search = core_search.to_h { |row| [[row["family"], row["operation"]], row] }
    end

    def run
      walks = @sizes.to_h { |n| [n, self.class.random_walk(n)] }
      { simplify: simplify_rows(walks), search: search_rows(walks) }
    end

    private

    def cpu_ns = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond)

    def timed(calls = 1)
      started = cpu_ns
      calls.times { |i| yield i }
      (cpu_ns - started).fdiv(calls)
    end

    def points(coordinates) = MyLib::Points.from_packed(coordinates.pack("d*"))

    # {name => {n => [ns per round]}}, ratios to the walk per round.
    def ratios(samples, name, n) = samples[name][n].zip(samples.values.first[n]).map { |a, b| a / b }

    def median(values) = values.sort[values.size / 2]

    def simplify_rows(walks)
      inputs = SIMPLIFY_FAMILIES.transform_values { |make| @sizes.to_h { |n| [n, points(make.call(walks[n], n))] } }
      samples = SIMPLIFY_FAMILIES.keys.to_h { |name| [name, @sizes.to_h { |n| [n, []] }] }
      @rounds.times do
        inputs.each { |name, by_size| by_size.each { |n, path| samples[name][n] << timed { path.simplify(0) } } }
      end
      SIMPLIFY_FAMILIES.keys.map do |name|
        core = @core_simplify[name] || {}
        { family: name, small_per_random_walk: median(ratios(samples, name, @sizes[0])).round(2),
          large_per_random_walk: median(ratios(samples, name, @sizes[1])).round(2),
          core_large_per_random_walk: core[:large_per_random_walk] }
      end
    end

    SEARCH_OPERATIONS = ["nearest(p), scan", "nearest(p), indexed", "within(r), scan", "within(r), indexed"].freeze

    # ns per query of each operation on a fresh Points (scans first, then
    # indexed once 40 calls have built the tree).
    def per_query(coordinates, unit)
      path = points(coordinates)
      target = ->(i) { MyLib::Point.new(coordinates[(i * 7919 * 2) % coordinates.size] + (0.25 * unit), coordinates[((i * 7919 * 2) % coordinates.size) + 1] - (0.125 * unit)) }
      radius = 2.0 * unit
      nearest_scan = timed(5) { |i| path.nearest(target.call(i)) }
      35.times { |i| path.nearest(target.call(i)) }
      nearest_indexed = timed(2000) { |i| path.nearest(target.call(i)) }
      fresh = points(coordinates)
      within_scan = timed(5) { |i| fresh.within(target.call(i), radius) }
      35.times { |i| fresh.within(target.call(i), radius) }
      within_indexed = timed(200) { |i| fresh.within(target.call(i), radius) }
      [nearest_scan, nearest_indexed, within_scan, within_indexed]
    end

    def search_rows(walks)
      samples = SEARCH_FAMILIES.keys.to_h { |name| [name, @sizes.to_h { |n| [n, []] }] }
      @rounds.times do
        SEARCH_FAMILIES.each do |name, (unit, make)|
          @sizes.each { |n| samples[name][n] << per_query(make.call(walks[n]), unit) }
        end
      end
      SEARCH_FAMILIES.keys.product(SEARCH_OPERATIONS.each_with_index.to_a).map do |name, (operation, k)|
        per_walk = lambda do |n|
          median(samples[name][n].zip(samples["random walk"][n]).map { |mine, walk| mine[k] / walk[k] }).round(2)
        end
        core = @core_search[[name, operation]] || {}
        { family: name, operation: operation, small_per_random_walk: per_walk.call(@sizes[0]),
          large_per_random_walk: per_walk.call(@sizes[1]),
          core_large_per_random_walk: core["large_per_random_walk"]&.round(2) }
      end
    end
  end
end
