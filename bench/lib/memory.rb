# frozen_string_literal: true

require "json"
require "open3"
require "rbconfig"
require "tmpdir"
require_relative "bulk"

module Bench
  # The memory section: 1,000,000 points held by my_lib's Points, NArray and
  # an Array of pairs. Each is measured in a fresh Ruby process (this file,
  # run as a program), so one's garbage does not hide another's peak.
  module Memory
    KINDS = %w[my_lib_from_packed my_lib_new narray pure_ruby].freeze

    # [{holder:, memsize_bytes_per_point:, retained_rss_bytes_per_point:,
    #   peak_rss_bytes_per_point:}]
    def self.run(count:, load_path:)
      Dir.mktmpdir("my_lib-bench") do |dir|
        points_file = File.join(dir, "points.bin")
        File.binwrite(points_file, Bulk.packed_points(count))
        KINDS.map do |kind|
          output, status = Open3.capture2(RbConfig.ruby, "-I", load_path, __FILE__, kind, points_file)
          raise "memory probe #{kind} failed: #{status}" unless status.success?

          JSON.parse(output, symbolize_names: true)
        end
      end
    end

    def self.status_kb(field) = File.read("/proc/self/status")[/^#{field}:\s+(\d+) kB/, 1].to_i * 1024

    # Measures one holder: the input is read first and kept alive, the
    # peak (VmHWM) is reset, then the holder is built from it.
    def self.probe(kind, points_file)
      require "my_lib"
      require "objspace"
      require_relative "narray_points"
      require_relative "pure_ruby_points"
      packed = File.binread(points_file)
      count = packed.bytesize / 16
      input = kind == "my_lib_new" ? packed.unpack("d*").each_slice(2).to_a : packed
      GC.start
      File.write("/proc/self/clear_refs", "5") # resets VmHWM to the current RSS
      before = status_kb("VmRSS")
      holder = build(kind, input)
      GC.start
      per_point = ->(bytes) { (bytes.to_f / count).round(2) }
      { holder: kind, count: count, memsize_bytes_per_point: per_point.call(memsize(holder)),
        retained_rss_bytes_per_point: per_point.call(status_kb("VmRSS") - before),
        peak_rss_bytes_per_point: per_point.call(status_kb("VmHWM") - before) }.tap { input.clear }
    end

    def self.build(kind, input)
      case kind
      when "my_lib_from_packed" then MyLib::Points.from_packed(input)
      when "my_lib_new" then MyLib::Points.new(input)
      when "narray" then NArrayPoints.from_packed(input)
      when "pure_ruby" then PureRubyPoints.from_packed(input)
      end
    end

    # What ObjectSpace reports for the holder and, for an Array of pairs,
    # for each pair too.
    def self.memsize(holder)
      size = ObjectSpace.memsize_of(holder)
      size += holder.sum { |pair| ObjectSpace.memsize_of(pair) } if holder.is_a?(Array)
      size
    end
  end
end

puts JSON.generate(Bench::Memory.probe(ARGV.fetch(0), ARGV.fetch(1))) if $PROGRAM_NAME == __FILE__
