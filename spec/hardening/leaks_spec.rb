# frozen_string_literal: true

require "open3"
require "rbconfig"

# A smaller `rake leaks:rss`: MyLib objects made and dropped in rounds must
# not grow the process's memory once malloc has warmed up.
RSpec.describe "Making and dropping MyLib objects", rbs_skip: "runs a child process" do
  before { skip "needs /proc" unless File.exist?("/proc/self/status") }

  it "does not grow RSS after warm-up (Points, Buffers, greet strings)" do
    root = File.expand_path("../..", __dir__)
    stdout, stderr, status = Open3.capture3({ "MAX_GROWTH_KIB" => "4096" }, RbConfig.ruby, "-I",
                                            File.join(root, "lib"), File.join(root, "tools/rss_leak_check.rb"),
                                            "0.05", "5")
    expect(status).to be_success, stdout + stderr
    expect(stdout).to match(/50000 Points, 5000 Buffers, 50000 greet strings a round; growth after warm-up -?\d+ KiB/)
  end
end
