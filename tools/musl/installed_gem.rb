# frozen_string_literal: true

# Stands in for spec/support/native_build.rb when `rake musl:test` runs
# spec/my_lib against an installed musl gem (rakelib/musl.rake): there is
# nothing to build, so `ensure_built` loads my_lib and stops the run unless it
# came from the platform gem installed in MY_LIB_GEM_HOME, for this Ruby.
module MyLibNativeBuild
  module_function

  def ensure_built
    require "my_lib"
    spec = Gem.loaded_specs.fetch("my_lib")
    gem_home = File.realpath(ENV.fetch("MY_LIB_GEM_HOME"))
    extension = $LOADED_FEATURES.grep(%r{/my_lib\.#{RbConfig::CONFIG['DLEXT']}\z}).first
    expected = File.join(spec.full_gem_path, "lib/my_lib", RUBY_VERSION[/\A\d+\.\d+/], "my_lib.#{RbConfig::CONFIG['DLEXT']}")
    unless spec.platform.to_s == ENV.fetch("MY_LIB_GEM_PLATFORM") && extension &&
           File.realpath(extension) == File.realpath(expected) && File.realpath(expected).start_with?(File.join(gem_home, ""))
      abort "installed_gem: my_lib was loaded from #{extension.inspect}, not from the #{ENV.fetch('MY_LIB_GEM_PLATFORM')} " \
            "gem in #{gem_home}"
    end
    puts "installed_gem: #{spec.full_name} on ruby #{RUBY_VERSION} [#{RUBY_PLATFORM}], loaded from #{extension}"
  end
end

# The Fiber scheduler spec's `async` group needs the async gem, which the
# musl Rubies do not have (the rest of that spec runs).
RSpec.configure do |config|
  config.filter_run_excluding(full_description: /\AMyLib::Points under a Fiber scheduler async /)
end
