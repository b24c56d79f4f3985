# frozen_string_literal: true

require "open3"

# Debian ships every gem we develop with, and moves their versions under us
# (a security update took Ruby's bundled rbs from 2.7.0 back to 2.1.0). So
# nothing here may pin a gem the distribution controls.
RSpec.describe "The development dependencies" do
  root = File.expand_path("../..", __dir__)

  it "do not commit a Gemfile.lock: bin/setup resolves one against the gems installed today" do
    tracked, status = Open3.capture2("git", "ls-files", "Gemfile.lock", chdir: root)
    skip "not a git checkout" unless status.success?
    expect(tracked).to be_empty
    expect(File.read(File.join(root, ".gitignore"))).to include("/Gemfile.lock")
  end

  it "state only the oldest version each gem must have, never an upper bound or a pin" do
    dependencies = Bundler::Dsl.evaluate(File.join(root, "Gemfile"), nil, {}).dependencies
    development = dependencies.reject { |dependency| dependency.name == "my_lib" }
    expect(development.map(&:name)).to include("rbs", "rspec", "rake-compiler")
    development.each do |dependency|
      expect(dependency.requirement.requirements.map(&:first)).to all(eq(">=")), dependency.to_s
    end
  end
end
