# frozen_string_literal: true

# `rake bench` (and `rake bench:smoke`): my_lib against a reference C
# extension, ruby-ffi, NArray, pure Ruby and its own Rust core, every figure
# a ratio measured side by side in this one run. Prints Markdown tables and
# writes the figures as JSON.
#
#   ruby -Ilib -I<reference extension dir> bench/run.rb --core <core_bench program> --json <path> [--smoke]
require "json"
require "optparse"
require "etc"
require "my_lib"
require "my_lib_reference"
require_relative "lib/per_call_cases"
require_relative "lib/bulk"
require_relative "lib/gvl"
require_relative "lib/fiber_offload"
require_relative "lib/memory"
require_relative "lib/report"
require_relative "lib/worst_case"
require_relative "lib/worst_case_search"
require_relative "lib/worst_case_ruby"

options = { smoke: false }
OptionParser.new do |parser|
  parser.on("--smoke", "tiny sizes: checks the harness, measures nothing worth reading") { options[:smoke] = true }
  parser.on("--core PROGRAM", "the Rust core benchmark (bench/core_bench)") { |path| options[:core] = path }
  parser.on("--json PATH", "where to write the figures") { |path| options[:json] = path }
end.parse!
core = options.fetch(:core) { abort "bench/run.rb: --core is required" }
json_path = options.fetch(:json) { abort "bench/run.rb: --json is required" }

sizes = if options[:smoke]
          { rounds: 3, bulk_count: 2_000, bulk_rounds: 1, gvl_count: 2_000, gvl_calls: 4, memory_count: 10_000,
            worst_case: { small: 2_000, large: 8_000, rounds: 1, old_cap_ms: 200 } }
        else
          { rounds: 31, bulk_count: 1_000_000, bulk_rounds: 5, gvl_count: 1_000_000, gvl_calls: 40,
            memory_count: 1_000_000, worst_case: { small: 50_000, large: 200_000, rounds: 5, old_cap_ms: 3_000 } }
        end

def machine
  model = File.read("/proc/cpuinfo")[/^model name\s*:\s*(.+)$/, 1]
  { cpu: model, cpus: Etc.nprocessors, ruby: RUBY_DESCRIPTION, load_average: File.read("/proc/loadavg").split.first(3) }
end

results = { smoke: options[:smoke], machine: machine }
warn "bench: per call…"
results[:per_call] = Bench::PerCallCases.run(rounds: sizes[:rounds], target_ns: options[:smoke] ? 200_000 : 2_000_000)
warn "bench: bulk, #{sizes[:bulk_count]} points…"
results[:bulk_count] = sizes[:bulk_count]
results[:bulk] = Bench::Bulk.new(count: sizes[:bulk_count], rounds: sizes[:bulk_rounds], core_program: core).run
worst_case = sizes[:worst_case]
warn "bench: worst case, simplify(0) on #{worst_case[:small]} and #{worst_case[:large]} points…"
results[:worst_case_old_cap_ms] = worst_case[:old_cap_ms]
results[:worst_case] = Bench::WorstCase.new(core_program: core, **worst_case).run
warn "bench: worst case, nearest and within on #{worst_case[:small]} and #{worst_case[:large]} points…"
search_sizes = worst_case.slice(:small, :large, :rounds)
results[:worst_case_search] = Bench::WorstCaseSearch.new(core_program: core, **search_sizes).run
warn "bench: worst case through Ruby…"
results[:worst_case_ruby] = Bench::WorstCaseRuby.new(**search_sizes, core_simplify: results[:worst_case],
                                                                      core_search: results[:worst_case_search]).run
warn "bench: GVL…"
results[:gvl] = Bench::Gvl.new(count: sizes[:gvl_count], calls: sizes[:gvl_calls], rounds: sizes[:bulk_rounds]).run
warn "bench: memory…"
results[:memory] = Bench::Memory.run(count: sizes[:memory_count], load_path: File.expand_path("../lib", __dir__))
if Bench::FiberOffload.available?
  warn "bench: Fiber scheduler offload…"
  results[:fiber_offload] = Bench::FiberOffload.new(count: sizes[:gvl_count], rounds: sizes[:bulk_rounds]).run
end
results[:machine][:load_average_after] = File.read("/proc/loadavg").split.first(3)
results[:targets] = Bench::Report.targets(results)

File.write(json_path, JSON.pretty_generate(results))
puts Bench::Report.tables(results)
puts Bench::FiberOffload.table(results[:fiber_offload]) if results[:fiber_offload]
puts "\nFigures written to #{json_path}"
