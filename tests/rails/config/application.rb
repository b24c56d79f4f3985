# frozen_string_literal: true

ENV["BUNDLE_GEMFILE"] ||= File.expand_path("../Gemfile", __dir__)
require "bundler/setup"

# Only the railties the app uses: no Active Record, mailers, jobs or assets.
require "rails"
require "action_controller/railtie"

# Requires every gem of the Gemfile, my_lib included, as a generated app does.
Bundler.require(*Rails.groups)

require_relative "../lib/worker_pid_header"

module MyLibRailsApp
  # Run with RAILS_ENV=production (the Puma configs set it) and
  # SECRET_KEY_BASE in the environment.
  class Application < Rails::Application
    # The defaults of the Rails that runs it: 6.1 on Debian 12, 7.2 in the
    # sid root of `rake rails:load_rails72`.
    config.load_defaults Rails.gem_version.segments.first(2).join(".")
    config.api_only = true
    config.eager_load = true
    config.cache_store = :memory_store
    config.logger = ActiveSupport::Logger.new($stdout)
    config.log_level = :info
    config.middleware.insert_before 0, WorkerPidHeader
    # Outermost: every request and response is checked against the Rack
    # specification of the Rack that runs (Rack 3 wants lower-case header
    # names, a body that responds to each or call, ...); a breach raises, and
    # the load test counts the 500.
    config.middleware.insert_before 0, Rack::Lint
  end
end
