# frozen_string_literal: true

# Plain `bundle exec rspec` builds the extension and the C library first when
# they are missing or stale, saying so in one line (spec/support/native_build.rb).
require_relative "support/native_build"
MyLibNativeBuild.ensure_built

require "my_lib"

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
