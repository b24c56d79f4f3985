# frozen_string_literal: true

require_relative "../../tools/musl/rubies"

# The musl Rubies of tools/musl/rubies.rb, by their recipes (no build): the
# stamp a cached prefix is checked against must name every input of its
# build, and adding the aarch64 Rubies must not have changed the x86_64
# ones' recipes (which would rebuild every cached x86_64 musl Ruby).
RSpec.describe MyLibMusl::RubyPrefix, debian: true do
  let(:x86_64) { MyLibMusl::X86_64.find { |ruby| ruby.minor == "3.1" } }
  let(:aarch64) { MyLibMusl::AARCH64.find { |ruby| ruby.minor == "3.1" } }

  it "builds the same Rubies for aarch64 as for x86_64, each cross-built on the x86_64 one of its version" do
    expect(MyLibMusl::AARCH64.map(&:minor)).to eq(MyLibMusl::X86_64.map(&:minor))
    expect(MyLibMusl::X86_64.map(&:minor)).to eq(%w[3.1 3.2 3.3 3.4 4.0])
    MyLibMusl::AARCH64.zip(MyLibMusl::X86_64).each do |cross, native|
      expect([cross.arch, cross.cross?, cross.baseruby, cross.tarball]).to eq(["aarch64", true, native, native.tarball])
      expect(cross.patches).to eq(MyLibRubySources::CROSS_PATCHES.fetch(cross.minor, []))
      expect(native.cross? || native.baseruby || !native.patches.empty?).to be(false)
    end
    expect(MyLibMusl::AARCH64.last.patches).to eq(["tools/platform/patches/ruby-4.0-cross-gem-prelude.patch"])
  end

  it "records an x86_64 build by its script, its tarball's pin, the host and Debian's musl, and nothing else" do
    expect(x86_64.recipe.lines.map { |line| line.split.first }).to eq(%w[script ruby3.1_3.1.2.orig.tar.xz host musl-dev])
    expect(x86_64.recipe).to include("ruby3.1_3.1.2.orig.tar.xz sha256:#{x86_64.tarball.sha256}", "host native")
  end

  it "records a cross build's baseruby, cross toolchain and REALGCC too, so that a change to any rebuilds it" do
    skip "aarch64-linux-gnu-gcc is missing; run bin/setup" unless system("command -v aarch64-linux-gnu-gcc >/dev/null")
    lines = aarch64.recipe.lines(chomp: true)
    expect(lines.map { |line| line.split.first }).to eq(%w[script ruby3.1_3.1.2.orig.tar.xz host musl-dev baseruby gcc ld realgcc])
    expect(lines).to include("host aarch64-linux-musl", "baseruby #{Digest::SHA256.hexdigest(x86_64.recipe)}",
                             a_string_starting_with("gcc aarch64-linux-gnu-gcc "),
                             "realgcc tools/musl/aarch64-linux-gnu-gcc-no-outline-atomics sha256:" +
                               Digest::SHA256.file(File.join(MyLibMusl::ROOT, MyLibMusl::CROSS_GCC.fetch("aarch64"))).hexdigest)
  end
end
