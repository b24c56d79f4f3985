# frozen_string_literal: true

# The gem in a Rails 6.1 app under load: tests/rails, booted in Puma with
# 8 threads, then as 2 workers forked after my_lib loaded (preload_app!). It
# needs Debian's ruby-railties, ruby-actionpack and puma (see bin/setup).

require_relative "../tests/rails/load/load_test"

rails_app = File.expand_path("../tests/rails", __dir__)

namespace :rails do
  desc "Resolve the Gemfile of the Rails app in tests/rails against the installed gems"
  task :bundle do
    Bundler.with_unbundled_env do
      sh "bundle", "_#{Bundler::VERSION}_", "install", "--local", "--quiet", chdir: rails_app
    end
  end

  desc "Drive the Rails app in Puma (8 threads, then 2 preloaded workers) with 2,000 checked requests each"
  task load: %i[compile rails:bundle] do
    RailsLoadTest::MODES.each_key do |mode|
      RailsLoadTest.run(mode, log_path: File.expand_path("../tmp/rails/puma-#{mode}.log", __dir__))
    end
  end
end
