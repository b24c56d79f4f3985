# frozen_string_literal: true

require "open3"

# Debian ships every gem we develop with, and moves their versions under us
# (a security update took Ruby's bundled rbs from 2.7.0 back to 2.1.0). So
# nothing here may pin a gem the distribution controls.
RSpec.describe "The development dependencies" do
  root = File.expand_path("../..", __dir__)

  # The gem's own Gemfile, and that of the Rails app of rake rails:load.
  { "Gemfile" => %w[rbs rspec rake-compiler], "tests/rails/Gemfile" => %w[railties actionpack puma] }
    .each do |gemfile, some_gems|
      it "#{gemfile}: no lock is committed, one is resolved against the gems installed today" do
        lock = "#{gemfile}.lock"
        tracked, status = Open3.capture2("git", "ls-files", lock, chdir: root)
        skip "not a git checkout" unless status.success?
        expect(tracked).to be_empty
        expect(File.read(File.join(root, ".gitignore")).lines(chomp: true)).to include("/#{lock}")
      end

      it "#{gemfile}: states only the oldest version each gem must have, never an upper bound or a pin" do
        dependencies = Bundler::Dsl.evaluate(File.join(root, gemfile), nil, {}).dependencies
        others = dependencies.reject { |dependency| dependency.name == "my_lib" }
        expect(others.map(&:name)).to include(*some_gems)
        others.each do |dependency|
          expect(dependency.requirement.requirements.map(&:first)).to all(eq(">=")), dependency.to_s
        end
      end
    end
end
