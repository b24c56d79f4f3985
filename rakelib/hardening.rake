# frozen_string_literal: true

# Proof of the boundary under the conditions real applications create:
# GC stress over the whole suite, leak checks by RSS and by valgrind. The
# test command (`rake`) runs a short version of each: the GC.stress subset
# and a small RSS leak check are part of `rake spec` (spec/hardening), and
# `memcheck:smoke` is in the default task.

require "fileutils"
require "rbconfig"

hardening_root = File.expand_path("..", __dir__)
memcheck_dir = File.join(hardening_root, "tmp/memcheck")

# Runs rspec on `files` under valgrind memcheck, then keeps the findings with
# my_lib frames (tools/memcheck_filter.rb).
memcheck = lambda do |files|
  FileUtils.rm_rf(memcheck_dir)
  FileUtils.mkdir_p(memcheck_dir)
  valgrind = %W[valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
                --errors-for-leak-kinds=definite,indirect --undef-value-errors=no --num-callers=40 --xml=yes
                --xml-file=#{memcheck_dir}/%p.xml --trace-children=no]
  # Examples that count allocations or stress the GC take hours under valgrind.
  sh(*valgrind, RbConfig.ruby, "-S", "rspec", "--tag", "~valgrind_skip", *files)
  sh RbConfig.ruby, File.join(hardening_root, "tools/memcheck_filter.rb"), memcheck_dir
end

# tools/rss_leak_check.rb at `scale` (1.0: the full check) for `rounds`.
rss_leak_check = lambda do |scale, rounds|
  sh RbConfig.ruby, "-I", File.join(hardening_root, "lib"), File.join(hardening_root, "tools/rss_leak_check.rb"),
     scale.to_s, rounds.to_s
end

namespace :spec do
  desc "Run the whole RSpec suite with GC.stress on (MY_LIB_GC_STRESS=1); over an hour here"
  task gc_stress: :compile do
    sh({ "MY_LIB_GC_STRESS" => "1" }, RbConfig.ruby, "-S", "rspec")
  end
end

namespace :leaks do
  desc "Create and drop 1e6 Points, 1e5 1-KiB Buffers and 1e6 greet strings a round; fail on RSS growth after warm-up"
  task(rss: :compile) { rss_leak_check.call(1.0, 6) }

  desc "leaks:rss at a tenth of the size (`rake` runs a smaller one, spec/hardening/leaks_spec.rb)"
  task(smoke: :compile) { rss_leak_check.call(0.1, 5) }
end

namespace :memcheck do
  desc "The Ruby API specs under valgrind memcheck; fail on any leak or memory error with my_lib frames"
  task all: :compile do
    memcheck.call(Dir[File.join(hardening_root, "spec/{my_lib,hardening}/*_spec.rb")].sort)
  end

  desc "A short memcheck run over the Point, Buffer and text specs (part of `rake`)"
  task smoke: :compile do
    memcheck.call(%w[point buffer text arithmetic].map { |name| File.join(hardening_root, "spec/my_lib/#{name}_spec.rb") })
  end
end
