# frozen_string_literal: true

require_relative "my_lib/version"

# Load the native extension: first the layout of a precompiled (fat) platform
# gem, lib/my_lib/<ruby major.minor>/my_lib.so, then the one built from source,
# lib/my_lib/my_lib.so. When neither loads, the error gives each one's reason:
# "cannot load such file" for a missing file, but the loader's own error (the
# file is for another architecture, lacks a symbol, is truncated...) for one
# that exists, which the fallback's "cannot load such file" must not hide.
native_load_errors = []
native_loaded = ["my_lib/#{RUBY_VERSION[/\A\d+\.\d+/]}/my_lib", "my_lib/my_lib"].any? do |feature|
  require feature
  true
rescue LoadError => e
  native_load_errors << e
  false
end
unless native_loaded
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
