# frozen_string_literal: true

require "open3"
require "rbconfig"

# Out of memory never aborts, whatever memory is left: each bulk operation
# runs in a child Ruby under RLIMIT_AS with a sweep of room left above what
# the child uses, from a few KiB to a few MiB, on the issue's 40,000-point
# sawtooth [i * 1e100, +-1e100]. Each call either answers or raises
# NoMemoryError; the child must never die of a signal (SIGABRT was the
# bug: an allocation that aborts instead of failing).
RSpec.describe "MyLib::Points under RLIMIT_AS, from a few KiB to a few MiB free", rbs_skip: "runs a child process" do
  script = <<~'RUBY'
    require "my_lib"
    n = 40_000
    pairs = Array.new(n) { |i| [i * 1e100, i.even? ? 1e100 : -1e100] }
    points = MyLib::Points.new(pairs)
    packed = points.to_packed
    calls = {
      "new" => -> { MyLib::Points.new(pairs) },
      "from_packed" => -> { MyLib::Points.from_packed(packed) },
      "slice" => -> { points[1, n - 1] },
      "to_packed" => -> { points.to_packed },
      "centroid" => -> { points.centroid },
      "bounding_box" => -> { points.bounding_box },
      "path_length" => -> { points.path_length },
      "simplify" => -> { points.simplify(0) },
      "within" => -> { points.within(MyLib::Point.new(0, 0), Float::INFINITY) },
      "nearest" => -> { points.nearest(MyLib::Point.new(0, 0), 100) },
    }
    call = calls.fetch(ARGV.fetch(0))
    _, hard = Process.getrlimit(:AS)
    [4, 16, 64, 256, 368, 1024, 4096].each do |kib|
      GC.start
      in_use = File.read("/proc/self/status")[/^VmSize:\s+(\d+) kB/, 1].to_i * 1024
      Process.setrlimit(:AS, in_use + (kib << 10), hard)
      outcome = begin
        call.call
        "answered"
      rescue NoMemoryError
        "NoMemoryError"
      ensure
        Process.setrlimit(:AS, hard, hard)
      end
      puts "#{kib} KiB: #{%w[answered NoMemoryError].include?(outcome)}"
    end
  RUBY

  before { skip "needs /proc and RLIMIT_AS" unless File.exist?("/proc/self/status") && Process.const_defined?(:RLIMIT_AS) }

  %w[new from_packed slice to_packed centroid bounding_box path_length simplify within nearest].each do |operation|
    it "#{operation} answers or raises NoMemoryError, never aborts" do
      lib = File.expand_path("../../lib", __dir__)
      stdout, stderr, status = Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, "-I", lib, "-e", script, operation)
      expected = [4, 16, 64, 256, 368, 1024, 4096].map { |kib| "#{kib} KiB: true\n" }.join
      expect([stdout, stderr, status.termsig, status.exitstatus]).to eq([expected, "", nil, 0])
    end
  end
end
