# frozen_string_literal: true

# What a new contributor does on a fresh clone: `bin/setup`, then the demo
# and `bundle exec rspec` (which builds the C library spec/c_abi loads; the
# specs of the inner loop, `spec:quick`). A
# spec cannot see that break on a machine that already has everything, so
# this task runs them in a clean copy of the checkout.

require "fileutils"
require "rbconfig"
require "tmpdir"

namespace :setup do
  desc "Run bin/setup, the demo and bundle exec rspec in a clean clone (tracked and new files; no build output)"
  task :clean_clone do
    root = File.expand_path("..", __dir__)
    files = Dir.chdir(root) { `git ls-files -z --cached --others --exclude-standard` }.split("\x0")
    abort "setup:clean_clone: git ls-files failed" unless $?.success?

    Dir.mktmpdir("my_lib-clean-clone") do |dir|
      clone = File.join(dir, "my_lib")
      files.each do |file|
        source = File.join(root, file)
        next unless File.file?(source) # a tracked file this change deletes

        FileUtils.mkdir_p(File.dirname(File.join(clone, file)))
        FileUtils.cp(source, File.join(clone, file), preserve: true)
      end
      sh "git", "-C", clone, "init", "--quiet"
      sh "git", "-C", clone, "add", "--all"
      sh "git", "-C", clone, "-c", "user.name=setup", "-c", "user.email=setup@localhost", "commit", "--quiet",
         "--message", "clean clone"

      # Outside this Bundler process, as a user's shell would be. The cargo
      # cache outside the clone only saves recompiling the dependencies.
      env = { "CARGO_TARGET_DIR" => File.join(root, "target/other-checkouts") }
      Bundler.with_unbundled_env do
        sh env, "bin/setup", chdir: clone
        sh env, "bundle", "exec", "ruby", "examples/demo.rb", chdir: clone, out: File::NULL
        # The inner loop's specs: those left out build the crate from
        # scratch or interrupt 10M-point calls, and `rake ci` runs them in
        # its own `spec` (so as not to run them twice).
        sh env, "bundle", "exec", "rspec", "--exclude-pattern", SPECS_LEFT_OUT_OF_THE_INNER_LOOP, chdir: clone
      end
      puts "setup:clean_clone: bin/setup, the demo and bundle exec rspec passed in a clean clone"
    end
  end
end
