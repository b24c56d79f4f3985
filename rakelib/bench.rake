# frozen_string_literal: true

# Benchmarks (bench/): my_lib against a reference C extension, ruby-ffi on
# the C ABI, NArray, pure Ruby and its own Rust core without Ruby, and
# simplify's worst cases against the algorithm it replaced. Every
# figure is a ratio measured side by side in one run (see bench/lib/harness.rb).
#
#   rake bench         the full run (a few minutes): prints Markdown tables and
#                      writes tmp/bench/results.json; compares, asserts nothing
#   rake bench:smoke   the same harness at tiny sizes (seconds), then checks that
#                      the JSON is well-formed; part of the default task
#   rake bench:instructions  instructions per call under callgrind (valgrind),
#                      which unlike time does not depend on the machine's load
#
# Needs ruby-narray and ruby-ffi (bin/setup installs them) and, for
# bench:instructions, valgrind.

require "json"
require "rbconfig"

bench_root = File.expand_path("..", __dir__)
bench_scratch = File.join(bench_root, "tmp/bench")
# The reference C extension is built here with mkmf, never installed.
bench_reference_dir = File.join(bench_scratch, "reference_ext")
bench_core_manifest = File.join(bench_root, "bench/core_bench/Cargo.toml")
# Its own target directory: the core benchmark is another workspace.
bench_core_target = File.join(bench_root, "target/bench")
bench_core_program = File.join(bench_core_target, "release/core_bench")

bench_ruby = lambda do |*args|
  sh RbConfig.ruby, "-I", File.join(bench_root, "lib"), "-I", bench_reference_dir, *args
end

namespace :bench do
  desc "Build the reference C extension (bench/reference_ext) into tmp/bench/reference_ext"
  task :reference_ext do
    FileUtils.mkdir_p(bench_reference_dir)
    Dir.chdir(bench_reference_dir) do
      sh RbConfig.ruby, File.join(bench_root, "bench/reference_ext/extconf.rb"), out: File::NULL
      sh "make", "--quiet"
    end
  end

  desc "Build the benchmark of the Rust core without Ruby (bench/core_bench), in release"
  task :core do
    # Under rake, CARGO_TARGET_DIR points at the extension's target dir.
    sh({ "CARGO_TARGET_DIR" => nil }, "cargo", "build", "--locked", "--release", "--quiet",
       "--manifest-path", bench_core_manifest, "--target-dir", bench_core_target)
  end

  task prerequisites: ["compile", "c_abi:lib", "bench:reference_ext", "bench:core"]

  desc "Check the benchmark harness at tiny sizes, and that its JSON is well-formed (not a timed test)"
  task smoke: :prerequisites do
    json = File.join(bench_scratch, "smoke.json")
    bench_ruby.call(File.join(bench_root, "bench/run.rb"), "--smoke", "--core", bench_core_program, "--json", json)
    problems = Bench::SmokeCheck.problems(JSON.parse(File.read(json)))
    abort "bench:smoke: #{json} is malformed:\n  #{problems.join("\n  ")}" unless problems.empty?
    puts "bench:smoke: the harness ran every section and #{json} is well-formed"
  end

  desc "Instructions per call of my_lib and the reference C extension, under callgrind"
  task instructions: %w[compile bench:reference_ext] do
    bench_ruby.call(File.join(bench_root, "bench/instructions.rb"))
  end
end

desc "Run the benchmarks (a few minutes): tables on stdout, figures in tmp/bench/results.json"
task bench: "bench:prerequisites" do
  bench_ruby.call(File.join(bench_root, "bench/run.rb"), "--core", bench_core_program,
                  "--json", File.join(bench_scratch, "results.json"))
end

module Bench
  # What bench:smoke checks in the JSON: every section present, every figure
  # a finite number, every target evaluated (whether met or not).
  module SmokeCheck
    SECTIONS = {
      "per_call" => %w[my_lib_ns c_extension_ns my_lib_per_c_extension ffi_ns ffi_per_my_lib pure_ruby_ns
                       pure_ruby_per_my_lib],
      "bulk" => %w[my_lib_ms rust_core_ms my_lib_per_rust_core narray_ms narray_per_my_lib pure_ruby_ms
                   pure_ruby_per_my_lib],
      "gvl" => %w[one_thread_ms two_threads_ms speedup],
      "memory" => %w[memsize_bytes_per_point retained_rss_bytes_per_point peak_rss_bytes_per_point],
      "worst_case" => %w[small_ms large_ms growth small_per_random_walk large_per_random_walk]
    }.freeze

    def self.problems(results)
      problems = SECTIONS.flat_map do |section, fields|
        rows = results[section]
        next ["#{section}: missing or empty"] unless rows.is_a?(Array) && !rows.empty?

        rows.each_with_index.flat_map do |row, i|
          fields.reject { |field| row[field].is_a?(Numeric) && row[field].finite? }
                .map { |field| "#{section}[#{i}].#{field}: #{row[field].inspect} is not a finite number" }
        end
      end
      targets = results["targets"]
      problems << "targets: missing" unless targets.is_a?(Array) && !targets.empty?
      (targets || []).each do |target|
        problems << "target #{target["name"]}: not evaluated" unless [true, false].include?(target["met"])
      end
      problems
    end
  end
end
