# frozen_string_literal: true

# Fuzzing with cargo-fuzz (libFuzzer, nightly): the targets in
# ext/my_lib/fuzz/fuzz_targets drive every C function that takes pointers,
# lengths or strings, and the core's text conversions, and assert their
# documented contracts. cargo-fuzz builds them with AddressSanitizer (and
# LeakSanitizer), debug assertions and overflow checks.
#
#   rake fuzz:smoke   each target for FUZZ_SMOKE_SECONDS (default 5), from its
#                     seeds alone; part of the default task
#   rake fuzz:all     each target for FUZZ_SECONDS (default 60), continuing
#                     from the corpus earlier runs grew in tmp/fuzz/corpus/
#   rake fuzz:run[c_buffers]  one target (FUZZ_SECONDS)
#
# Needs the nightly toolchain and cargo-fuzz: `cargo install cargo-fuzz --locked`.
#
# The committed seeds, ext/my_lib/fuzz/seeds/<target>/, are written by
# ext/my_lib/fuzz/generate_seeds.py. They are passed to libFuzzer as a second,
# read-only corpus directory: libFuzzer writes new inputs only to the first,
# a scratch directory under tmp/fuzz/, and crash inputs to
# tmp/fuzz/artifacts/<target>/, so runs never touch the tracked tree. Replay
# a crash with `cargo +nightly fuzz run --fuzz-dir ext/my_lib/fuzz
# --target-dir target/fuzz <target> tmp/fuzz/artifacts/<target>/crash-...`.

require "fileutils"
require "open3"

fuzz_root = File.expand_path("..", __dir__)
fuzz_dir = File.join(fuzz_root, "ext/my_lib/fuzz")
# Its own target directory: instrumented builds of my_lib that nothing else shares.
fuzz_target_dir = File.join(fuzz_root, "target/fuzz")
fuzz_scratch = File.join(fuzz_root, "tmp/fuzz")
fuzz_cargo = ["cargo", "+nightly", "fuzz"]
fuzz_paths = ["--fuzz-dir", fuzz_dir, "--target-dir", fuzz_target_dir]
# The [[bin]] names of fuzz/Cargo.toml: a new target needs no change here.
fuzz_targets = File.read(File.join(fuzz_dir, "Cargo.toml")).scan(/^\[\[bin\]\]\s*\nname = "([^"]+)"/).flatten

fuzz_check_tools = lambda do
  _, status = Open3.capture2e(*fuzz_cargo, "--version")
  next if status.success?

  abort "fuzz: `cargo +nightly fuzz` is not available. Install it with " \
        "`cargo install cargo-fuzz --locked` (and `rustup toolchain install nightly`)."
end

# Runs `target` for `seconds` with `corpus` as its writable corpus; returns
# its final stats, or raises if libFuzzer found a crash (or could not run).
fuzz_run = lambda do |target, corpus, seconds|
  seeds = File.join(fuzz_dir, "seeds", target)
  artifacts = File.join(fuzz_scratch, "artifacts", target)
  FileUtils.mkdir_p([corpus, artifacts])
  command = [*fuzz_cargo, "run", *fuzz_paths, target, corpus, seeds, "--",
             "-max_total_time=#{seconds}", "-timeout=10", "-print_final_stats=1",
             "-artifact_prefix=#{artifacts}/"]
  puts command.join(" ")
  stats = {}
  status = Open3.popen2e(*command) do |_stdin, output, wait|
    output.each_line do |line|
      $stdout.print line unless line.start_with?("#") # libFuzzer's progress lines
      stats[Regexp.last_match(1)] = Regexp.last_match(2).to_i if line =~ /^stat::(\w+):\s+(\d+)/
    end
    wait.value
  end
  raise "fuzz: #{target} failed (exit #{status.exitstatus}); crash inputs are in #{artifacts}" unless status.success?

  stats
end

fuzz_targets_for = lambda do |seconds, corpus_root, fresh:|
  fuzz_check_tools.call
  sh(*fuzz_cargo, "build", *fuzz_paths) # all targets at once, before the clock starts
  results = fuzz_targets.to_h do |target|
    corpus = File.join(corpus_root, target)
    FileUtils.rm_rf(corpus) if fresh
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    begin
      stats = fuzz_run.call(target, corpus, seconds)
      [target, stats.merge("wall" => Process.clock_gettime(Process::CLOCK_MONOTONIC) - started)]
    rescue RuntimeError => e
      warn e.message
      [target, nil]
    end
  end
  puts "\nfuzz: #{seconds} s per target"
  results.each do |target, stats|
    if stats
      printf("  %-16s %10d runs  %8d exec/s  peak RSS %4d MB  %5.1f s  no crash\n", target,
             stats["number_of_executed_units"], stats["average_exec_per_sec"], stats["peak_rss_mb"], stats["wall"])
    else
      printf("  %-16s CRASHED or failed: see above\n", target)
    end
  end
  failed = results.select { |_, stats| stats.nil? }.keys
  abort "fuzz: failing targets: #{failed.join(', ')}" unless failed.empty?
end

namespace :fuzz do
  desc "Fuzz each target for FUZZ_SECONDS (default 60) from its seeds and earlier runs' corpus; fails on any crash"
  task :all do
    fuzz_targets_for.call(Integer(ENV.fetch("FUZZ_SECONDS", "60")), File.join(fuzz_scratch, "corpus"), fresh: false)
  end

  desc "Fuzz each target briefly, FUZZ_SMOKE_SECONDS (default 5), from its seeds alone (part of the default task)"
  task :smoke do
    fuzz_targets_for.call(Integer(ENV.fetch("FUZZ_SMOKE_SECONDS", "5")), File.join(fuzz_scratch, "smoke"), fresh: true)
  end

  desc "Fuzz one target for FUZZ_SECONDS (default 60): rake fuzz:run[c_buffers]"
  task :run, [:target] do |_, args|
    target = args[:target]
    abort "fuzz:run: name a target, one of #{fuzz_targets.join(', ')}" unless fuzz_targets.include?(target)
    fuzz_check_tools.call
    stats = fuzz_run.call(target, File.join(fuzz_scratch, "corpus", target), Integer(ENV.fetch("FUZZ_SECONDS", "60")))
    puts "fuzz: #{target}: #{stats['number_of_executed_units']} runs, #{stats['average_exec_per_sec']} exec/s, no crash"
  end
end
