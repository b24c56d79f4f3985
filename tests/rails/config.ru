# frozen_string_literal: true

require_relative "config/application"

Rails.application.initialize!
# In Puma's log, for the load test's report: the stack under test.
warn "my_lib test app: Rails #{Rails.version}, Rack #{Rack.release}, Ruby #{RUBY_VERSION}"
run Rails.application
