# frozen_string_literal: true

require "open3"
require "rbconfig"

# Out of memory never aborts: every MyLib::Points operation whose result
# needs memory in proportion to the input raises NoMemoryError when
# RLIMIT_AS leaves less room than that, the process lives, the Points stays
# usable, and the same call works once the limit is lifted. Operations that
# need no such memory still answer under the limit. Each case runs in a
# child Ruby: 2**20 points (i, sin i) (16 MiB; no three collinear, so
# simplify(0), within(inf) and nearest(k = n) return them all), then the
# limit, leaving ROOM (8 MiB) of address space.
RSpec.describe "MyLib::Points under RLIMIT_AS", rbs_skip: "runs a child process", rlimit_as: true do
  script = <<~'RUBY'
    require "my_lib"
    ROOM = 8 << 20
    n = 1 << 20
    pairs = Array.new(n) { |i| [i.to_f, Math.sin(i)] }
    points = MyLib::Points.new(pairs)
    packed = points.to_packed
    origin = MyLib::Point.new(0, 0)
    first = MyLib::Point.new(0, 0)
    last = MyLib::Point.new(n - 1, Math.sin(n - 1))
    whole = ->(result) { result.length == n && result.first == first && result.to_a.last == last }
    ys = -> { pairs.map(&:last) }
    length = -> { pairs.each_cons(2).sum { |(x0, y0), (x1, y1)| Math.hypot(x1 - x0, y1 - y0) } }
    calls = {
      "new" => [-> { MyLib::Points.new(pairs) }, whole],
      "from_packed" => [-> { MyLib::Points.from_packed(packed) }, whole],
      "slice" => [-> { points[1, n - 1] }, ->(r) { r.length == n - 1 && r.at(-1) == last }],
      "to_packed" => [-> { points.to_packed }, ->(r) { r == packed }],
      "Marshal.dump" => [-> { Marshal.dump(points) }, ->(r) { Marshal.load(r) == points }],
      "to_a" => [-> { points.to_a }, ->(r) { r.length == n && r.last == last }],
      "hash" => [-> { points.hash }, ->(r) { r == MyLib::Points.from_packed(packed).hash }],
      "nearest_all" => [-> { points.nearest(origin, n) }, ->(r) { r.length == n && r.first == first && r.last == last }],
      "within" => [-> { points.within(origin, Float::INFINITY) }, whole],
      "simplify" => [-> { points.simplify(0) }, whole],
      "centroid" => [-> { points.centroid }, ->(r) { r.x == (n - 1) / 2.0 && (r.y - ys.call.sum / n).abs < 1e-12 }],
      "bounding_box" => [-> { points.bounding_box },
                         ->(r) { r == [MyLib::Point.new(0, ys.call.min), MyLib::Point.new(n - 1, ys.call.max)] }],
      "path_length" => [-> { points.path_length }, ->(r) { (r - length.call).abs < 1e-6 }],
      # 25 queries: the 21st builds the index, which, failing, must leave
      # the query to the scan.
      "nearest_25" => [-> { Array.new(25) { points.nearest(last) } }, ->(r) { r.uniq == [last] }],
      "eq_each_length" => [-> { [points == points.dup, points.each { |point| break point if point.x == 9 }, points.length] },
                           ->(r) { r == [true, MyLib::Point.new(9, Math.sin(9)), n] }],
      "at_first_last_inspect" => [-> { [points.at(5), points.first(2), points.last, points.inspect] },
                                  ->(r) { r[0] == MyLib::Point.new(5, Math.sin(5)) && r[1].length == 2 && r[2] == last }],
    }
    call, check = calls.fetch(ARGV.fetch(0))
    GC.start
    in_use = File.read("/proc/self/status")[/^VmSize:\s+(\d+) kB/, 1].to_i * 1024
    _, hard = Process.getrlimit(:AS)
    Process.setrlimit(:AS, in_use + ROOM, hard)
    # Only the call runs under the limit; its result is checked after.
    begin
      result = call.call
    rescue NoMemoryError
      failed = true
    end
    Process.setrlimit(:AS, hard, hard)
    puts failed ? "NoMemoryError" : "under the limit: #{check.call(result)}"
    puts "after: #{check.call(call.call)}"
    puts "intact: #{points.length == n && points.at(-1) == last && points.to_packed == packed}"
  RUBY

  def run_limited(script, operation)
    lib = File.expand_path("../../lib", __dir__)
    Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, "-I", lib, "-e", script, operation)
  end

  before { skip "needs /proc and RLIMIT_AS" unless File.exist?("/proc/self/status") && Process.const_defined?(:RLIMIT_AS) }

  # nearest_all and within depend on the search branch's fallible queries,
  # simplify on the simplify branch's fallible simplification.
  %w[new from_packed slice to_packed Marshal.dump to_a hash nearest_all within simplify].each do |operation|
    it "#{operation} raises NoMemoryError, the process lives, and the call works once memory is back" do
      stdout, stderr, status = run_limited(script, operation)
      expect([stdout, stderr, status.exitstatus]).to eq(["NoMemoryError\nafter: true\nintact: true\n", "", 0])
    end
  end

  %w[centroid bounding_box path_length nearest_25 eq_each_length at_first_last_inspect].each do |operation|
    it "#{operation} needs no memory in proportion to the points, and answers under the limit" do
      stdout, stderr, status = run_limited(script, operation)
      expect([stdout, stderr, status.exitstatus]).to eq(["under the limit: true\nafter: true\nintact: true\n", "", 0])
    end
  end
end
