# frozen_string_literal: true

# The gem in a Rails app under load: tests/rails, booted in Puma with 8
# threads, then as 2 workers forked after my_lib loaded (preload_app!).
#
#   rake rails:load       on the host: Debian 12's Rails 6.1, Puma 5, Rack 2
#                         (ruby-railties, ruby-actionpack and puma; see bin/setup)
#   rake rails:load_sid   the same in a cached Debian sid root, on the newest
#                         Rails Debian ships: Rails 7.2, Puma 8, Rack 3 and
#                         Ruby 3.3 today (the run prints the versions)

require_relative "../tests/rails/load/load_test"
require_relative "support/roots"

rails_app = File.expand_path("../tests/rails", __dir__)

# The sid root: Ruby, Rails, Puma and Rack, the gems of the gem's own Gemfile
# (rake runs there too), and what building the extension needs (cargo comes
# from the host, bind-mounted). sid's Release file may be older than its
# Valid-Until on a mirror that lags.
sid_rails = MyLibRoots::Root.new(
  "sid-amd64-rails",
  suite: "sid",
  options: ["--variant=minbase",
            "--include=ruby,ruby-dev,ruby-railties,ruby-actionpack,puma,ruby-rack,bundler,rake,rake-compiler," \
            "ruby-rb-sys,ruby-rspec,ruby-ffi,ruby-narray,yard,gcc,libc6-dev,libclang-dev,make,git,binutils"],
  sources: ["deb [check-valid-until=no] http://deb.debian.org/debian sid main"],
  check: ["ruby", "-e", "require 'rails'; require 'puma'; require 'rb_sys'"]
)
cargo_home = ENV.fetch("CARGO_HOME", File.join(Dir.home, ".cargo"))
rustup_home = ENV.fetch("RUSTUP_HOME", File.join(Dir.home, ".rustup"))

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

  MyLibRoots.define_task(:sid_root, sid_rails)

  desc "rails:load on Debian sid's Rails 7.2, Puma 8 and Rack 3, in a copy of the checkout inside a cached sid root"
  task load_sid: :sid_root do
    build = "/var/cache/my_lib-build"
    sid_rails.with_checkout(File.join(build, "src"), target: File.join(build, "target")) do |checkout|
      env = { "PATH" => "#{cargo_home}/bin:/usr/bin:/bin", "HOME" => Dir.home, "CARGO_HOME" => cargo_home,
              "RUSTUP_HOME" => rustup_home, "LANG" => "C.UTF-8", "CARGO_NET_OFFLINE" => "true",
              "BUNDLE_SILENCE_ROOT_WARNING" => "1" }
      command = "cd #{checkout} && bundle install --local --quiet && bundle exec rake rails:load"
      sid_rails.run(["sh", "-c", command], env: env, binds: ["/proc", "/dev", cargo_home, rustup_home])
    end
  end
end
