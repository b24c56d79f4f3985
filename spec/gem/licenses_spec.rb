# frozen_string_literal: true

require "open3"

# THIRD_PARTY_LICENSES.md (rake licenses:generate) names the licence of every
# crate the shipped libraries link, and carries the Rust standard library's
# notice. Read here against Cargo.lock and cargo's own view of what links:
# `cargo tree` with normal dependencies only (no build scripts, no
# dev-dependencies, no proc-macros), for every target, with the features we
# ship (the Ruby extension's and the C library's).
RSpec.describe "THIRD_PARTY_LICENSES.md" do
  root = File.expand_path("../..", __dir__)
  file = File.join(root, "THIRD_PARTY_LICENSES.md")

  let(:text) { File.read(file) }
  # "name version" of every crate the file lists.
  let(:listed) { text.scan(/^- (\S+) (\S+): \S+/).map { |name, version| "#{name} #{version}" } }
  let(:locked) do
    File.read(File.join(root, "Cargo.lock")).scan(/^name = "([^"]+)"\nversion = "([^"]+)"/)
        .map { |name, version| "#{name} #{version}" }
  end

  it "lists every crate in Cargo.lock that the shipped libraries link" do
    linked, errors, status = Open3.capture3(
      ENV.fetch("CARGO", "cargo"), "tree", "--locked", "--manifest-path",
      File.join(root, "ext/my_lib/Cargo.toml"), "--edges", "normal,no-proc-macro", "--target", "all",
      "--no-default-features", "--features", "ruby,tutorial-aliases", "--prefix", "none", "--format", "{p}"
    )
    expect(status).to be_success, errors
    crates = linked.lines.map { |line| line.sub(/ \(.*\)\s*\z/, "").strip }
                   .map { |line| line.sub(/ v(\S+)\z/, ' \1') }.uniq - ["my_lib #{MyLib::VERSION}"]
    expect(crates).to include(a_string_starting_with("magnus "), a_string_starting_with("rb-sys "))
    expect(crates).to all(satisfy { |crate| locked.include?(crate) })
    expect(crates - listed).to be_empty, "not in THIRD_PARTY_LICENSES.md (run rake licenses:generate): " \
                                         "#{crates - listed}"
  end

  it "lists nothing that is not in Cargo.lock, and not my_lib itself" do
    expect(listed).not_to be_empty
    expect(listed - locked).to be_empty
    expect(listed.grep(/\Amy_lib /)).to be_empty
  end

  it "carries the licence text of each licence it names, and the Rust standard library's notice" do
    ids = text.scan(/^- \S+ \S+: (\S+)/).flatten.uniq
    ids.each { |id| expect(text).to match(/^### .+ \(#{Regexp.escape(id)}\)$/) }
    toolchain = File.read(File.join(root, "rakelib/licenses.rake"))[/RELEASE_RUST_TOOLCHAIN = "([^"]+)"/, 1]
    expect(text).to include("## The Rust standard library (Rust #{toolchain})",
                            "The Rust Standard Library is dual-licensed under Apache 2.0 and MIT terms")
  end
end
