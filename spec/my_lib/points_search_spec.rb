# frozen_string_literal: true

require "open3"

# nearest and within decide on exact distances (checked against Rational
# arithmetic on the same doubles), answer the same through the index as by
# a scan, and survive an index build that runs out of memory.
RSpec.describe MyLib::Points, "search" do
  def exact_squared(from, to)
    (to.x.to_r - from.x.to_r)**2 + (to.y.to_r - from.y.to_r)**2
  end

  def oracle_nearest(list, target, k)
    list.each_with_index.sort_by { |point, i| [exact_squared(target, point), i] }.first(k).map(&:first)
  end

  def oracle_within(list, center, radius)
    list.select { |point| exact_squared(center, point) <= radius.to_r**2 }
  end

  # Enough queries that the last ones go through the index.
  def queries = 25

  it "leaves out the grid points at exactly √13 from within(center, Math.sqrt(13)) (issue 15)" do
    grid = (-5..5).to_a.product((-5..5).to_a)
    points = described_class.new(grid)
    center = MyLib::Point.new(0, 0)
    expected = oracle_within(points.to_a, center, Math.sqrt(13))
    expect(expected.size).to eq(37) # 45 points at most √13 in exact arithmetic, less the 8 at √13
    answers = Array.new(queries) { points.within(center, Math.sqrt(13)).to_a }
    expect(answers.uniq).to eq([expected])
    expect(points.within(center, Math.sqrt(13).next_float).size).to eq(45)
  end

  it "orders nearest by exact distance, ties by position, at offsets of 1e9 with features of 1e-7" do
    rng = Random.new(15)
    base = 1e9
    list = Array.new(400) { MyLib::Point.new(base + (rng.rand(200) * 1e-7), base + (rng.rand(200) * 1e-7)) }
    points = described_class.new(list)
    target = MyLib::Point.new(base + 1e-5, base + 1e-5)
    expected = oracle_nearest(list, target, 50)
    answers = Array.new(queries) { points.nearest(target, 50) }
    expect(answers.uniq).to eq([expected])
    radius = Math.sqrt(exact_squared(target, expected.last))
    within = oracle_within(list, target, radius)
    expect(Array.new(queries) { points.within(target, radius).to_a }.uniq).to eq([within])
  end

  it "finds every point with nearest(point, n) and n + 1, in exact order" do
    rng = Random.new(3)
    list = Array.new(300) { MyLib::Point.new(rng.rand(-3..3), rng.rand(-3..3)) } # many exact ties
    points = described_class.new(list)
    target = MyLib::Point.new(0.5, 0)
    expected = oracle_nearest(list, target, 300)
    expect(Array.new(queries) { points.nearest(target, 301) }.uniq).to eq([expected])
  end

  describe "out of memory", :valgrind_skip, rbs_skip: "runs a child process under a memory limit", rlimit_as: true do
    # 6,000,000 points (96 MB). Under RLIMIT_AS with 80 MB to spare, the
    # index (144 MB) cannot be built, nor nearest(p, n)'s candidates (96 MB)
    # or within(p, Infinity)'s copy; scans can. (Less room is eaten by
    # Ruby's own growth and cached worker-thread stacks over the 90 queries:
    # with 48 MB, Ruby itself died, "[FATAL] failed to allocate memory".)
    # Prints the queries' outcomes.
    let(:script) do
      <<~RUBY
        require "my_lib"
        $stdout.sync = true
        packed = Array.new(12_000_000) { |i| (i * 7919 % 10_007) * 0.5 }.pack("d*")
        points = MyLib::Points.from_packed(packed)
        reference = MyLib::Points.from_packed(packed)
        packed = nil
        GC.start
        center = MyLib::Point.new(1000, 1000)
        expected = [reference.nearest(center, 3), reference.within(center, 2).to_a]
        in_use = File.read("/proc/self/status")[/^VmSize:\\s+(\\d+) kB/, 1].to_i * 1024
        Process.setrlimit(:AS, in_use + (80 << 20))
        outcomes = Array.new(45) do
          [points.nearest(center, 3), points.within(center, 2).to_a] == expected ? "same" : "different"
        rescue NoMemoryError
          "NoMemoryError"
        end
        puts outcomes.tally.map { |outcome_and_count| outcome_and_count.join(": ") }.join(", ")
        [-> { points.nearest(center, points.size) }, -> { points.within(center, Float::INFINITY) }].each do |query|
          query.call
          puts "answered"
        rescue NoMemoryError
          puts "NoMemoryError"
        end
        puts points.nearest(center, 3) == expected.first ? "still scanning" : "broken"
      RUBY
    end

    before { skip "needs /proc and RLIMIT_AS" unless File.exist?("/proc/self/status") && Process.const_defined?(:RLIMIT_AS) }

    it "goes back to scanning when the index cannot be built, and raises NoMemoryError for results too big" do
      lib = File.expand_path("../../lib", __dir__)
      stdout, stderr, status = Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, "-I", lib, "-e", script)
      expect([stdout, stderr, status.exitstatus]).to eq(
        [%(same: 45\nNoMemoryError\nNoMemoryError\nstill scanning\n), "", 0]
      )
    end
  end
end
