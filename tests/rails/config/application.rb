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
    config.load_defaults 6.1
    config.api_only = true
    config.eager_load = true
    config.cache_store = :memory_store
    config.logger = ActiveSupport::Logger.new($stdout)
    config.log_level = :info
    config.middleware.insert_before 0, WorkerPidHeader
  end
end
