# frozen_string_literal: true

require_relative "my_lib/version"

# Load the native extension: first the layout of a precompiled (fat) platform
# gem, lib/my_lib/<ruby major.minor>/my_lib.so, then the one built from source,
# lib/my_lib/my_lib.so.
begin
  ruby_minor = RUBY_VERSION[/\A\d+\.\d+/]
  require "my_lib/#{ruby_minor}/my_lib"
rescue LoadError
  begin
    require "my_lib/my_lib"
  rescue LoadError => e
    raise LoadError, "my_lib's native extension could not be loaded (#{e.message}). " \
                     "In a checkout, run `bin/setup` (or `bundle exec rake compile`); " \
                     "otherwise reinstall the gem with `gem install my_lib` and read its build output."
  end
end

require_relative "my_lib/errors"
require_relative "my_lib/functions"
require_relative "my_lib/point"
require_relative "my_lib/buffer"
require_relative "my_lib/testing"
