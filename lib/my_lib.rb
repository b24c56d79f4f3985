# frozen_string_literal: true

require_relative "my_lib/version"

# Load the native extension: first the layout of a precompiled (fat) platform
# gem, lib/my_lib/<ruby major.minor>/my_lib.so, then the one built from source,
# lib/my_lib/my_lib.so. When neither loads, the error gives each one's reason:
# "cannot load such file" for a missing file, but the loader's own error (the
# file is for another architecture, lacks a symbol, is truncated...) for one
# that exists, which the fallback's "cannot load such file" must not hide.
# A platform gem on a Ruby between the ones it carries (3.2 in a gem for 3.1
# and 3.3, which its required_ruby_version admits) has neither file: that
# error is one line naming the carried Rubies.
native_minor = RUBY_VERSION[/\A\d+\.\d+/]
native_load_errors = []
native_loaded = ["my_lib/#{native_minor}/my_lib", "my_lib/my_lib"].any? do |feature|
  require feature
  true
rescue LoadError => e
  native_load_errors << e
  false
end
unless native_loaded
  native_file = "my_lib.#{RbConfig::CONFIG['DLEXT']}"
  carried = Dir.glob("*/#{native_file}", base: File.join(__dir__, "my_lib")).map { |path| File.dirname(path) }
               .grep(/\A\d+\.\d+\z/).sort_by { |minor| Gem::Version.new(minor) }
  if !carried.empty? && !carried.include?(native_minor) && !File.exist?(File.join(__dir__, "my_lib", native_file))
    listed = carried.size == 1 ? carried.first : "#{carried[0..-2].join(', ')} and #{carried.last}"
    raise LoadError, "my_lib #{MyLib::VERSION} has no native extension for Ruby #{native_minor}: this gem carries " \
                     "it for Ruby #{listed} only; use one of those, or install the source gem " \
                     "(`gem install my_lib --platform ruby`, which needs Rust)"
  end

  # original_message: without did_you_mean's "Did you mean?", which would
  # point at the other candidate.
  reasons = native_load_errors.map do |error|
    "\n  #{error.respond_to?(:original_message) ? error.original_message : error.message}"
  end.join
  raise LoadError, "my_lib's native extension could not be loaded:#{reasons}\n" \
                   "In a checkout, run `bin/setup` (or `bundle exec rake compile`); " \
                   "otherwise reinstall the gem with `gem install my_lib` and read its build output."
end

require_relative "my_lib/errors"
require_relative "my_lib/functions"
require_relative "my_lib/point"
require_relative "my_lib/points"
require_relative "my_lib/buffer"
require_relative "my_lib/testing"
