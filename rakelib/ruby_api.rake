# frozen_string_literal: true

# Checks of the Ruby API beyond `rake spec`: its RBS signatures, the specs
# under RBS's runtime type checker, and its YARD documentation.

require "rbconfig"
require "tmpdir"

namespace :rbs do
  desc "Validate sig/my_lib.rbs against RBS's core signatures"
  task :validate do
    sh RbConfig.ruby, "-rrbs", "-rrbs/cli", "-e", "RBS::CLI.new(stdout: $stdout, stderr: $stderr).run(ARGV)",
       "--", "-I", "sig", "validate", "--silent"
  end

  # Examples tagged `rbs_skip` pass arguments the signatures reject on
  # purpose (to test TypeError), count allocations, use Ractors, run child
  # processes under a memory limit, or make calls on 10,000,000 points whose
  # every result the checker would walk, none of which fits the checker's
  # hooks; every other example runs checked.
  desc "Run the Ruby API specs with every call into MyLib type-checked against sig/"
  task spec: :compile do
    env = {
      "RUBYOPT" => [ENV.fetch("RUBYOPT", nil), "-rrbs/test/setup"].compact.join(" "),
      "RBS_TEST_TARGET" => "MyLib::*",
      "RBS_TEST_OPT" => "-I sig",
      "RBS_TEST_LOGLEVEL" => "error"
    }
    sh env, RbConfig.ruby, "-S", "rspec", "--tag", "~rbs_skip", "spec/my_lib"
  end
end

namespace :yard do
  desc "Build the YARD docs into a scratch directory; fail on any warning or undocumented object"
  task :check do
    Dir.mktmpdir("my_lib-yard") do |output|
      sh RbConfig.ruby, "-S", "yard", "doc", "--fail-on-warning", "--no-save", "--no-cache", "--quiet",
         "--output-dir", output
    end
    stats = `#{RbConfig.ruby} -S yard stats --list-undoc --no-save --no-cache`
    abort "yard stats failed" unless $?.success?
    abort "Undocumented objects:\n#{stats}" unless stats.include?("100.00% documented")
  end
end

desc "Every check of the Ruby API: signatures, type-checked specs, docs"
task "ruby_api:check" => %w[rbs:validate rbs:spec yard:check]
