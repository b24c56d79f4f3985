# frozen_string_literal: true

if ENV["MY_LIB_INSTALLED_GEM"] == "1"
  # Against an installed my_lib gem (rake release:installed_spec, in a copy of
  # spec/ without the checkout's lib/): nothing is built, and `require
  # "my_lib"` must load the gem RubyGems activates, never a checkout's lib/.
  require "my_lib"
  installed = Gem.loaded_specs["my_lib"]
  abort "MY_LIB_INSTALLED_GEM=1: my_lib was not loaded from an installed gem" unless installed
  extension = $LOADED_FEATURES.grep(%r{/my_lib\.(so|bundle|dll)\z}).first
  unless extension&.start_with?(File.join(File.realpath(installed.full_gem_path), ""))
    abort "MY_LIB_INSTALLED_GEM=1: the extension #{extension.inspect} is not from #{installed.full_gem_path}"
  end
  puts "spec_helper: my_lib #{installed.version} (#{installed.platform}) from #{extension}"
else
  # Plain `bundle exec rspec` builds the extension and the C library first when
  # they are missing or stale, saying so in one line (spec/support/native_build.rb).
  require_relative "support/native_build"
  MyLibNativeBuild.ensure_built

  require "my_lib"
end

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.expect_with(:rspec) { |c| c.syntax = :expect }
  config.example_status_persistence_file_path = "spec/examples.txt"
  config.order = :random
  Kernel.srand config.seed

  # MY_LIB_GC_STRESS=1 runs every example with GC.stress on: a collection at
  # every allocation, so that a Ruby object Rust forgot to keep alive (or a
  # value used across an allocation) fails at once. `rake spec:gc_stress`.
  if ENV["MY_LIB_GC_STRESS"] == "1"
    config.around do |example|
      GC.stress = true
      example.run
    ensure
      GC.stress = false
    end
  end
end
