# frozen_string_literal: true

require "open3"
require "rbconfig"
require "tmpdir"
require_relative "../../tools/platform/check_glibc_floor"

# The glibc floor (2.17) of what we ship: every .so in pkg/'s platform gems
# and C tarballs, read by tools/platform/check_glibc_floor.rb (the checker
# `rake glibc:check` and the release workflow run). The checker itself is
# tested first, on libraries built here: one linked against this machine's
# glibc must fail, the same source linked by zig against 2.17 must pass.
RSpec.describe "the glibc floor", :glibc, elf: true, debian: true do
  root = File.expand_path("../..", __dir__)
  checker = File.join(root, "tools/platform/check_glibc_floor.rb")
  version = Gem::Specification.load(File.join(root, "my_lib.gemspec")).version.to_s

  # hypot is the call that made our libraries need GLIBC_2.35.
  c_source = <<~C
    #include <math.h>
    double distance(double x, double y) { return hypot(x, y); }
  C

  around do |example|
    Dir.mktmpdir("glibc-floor-spec") do |dir|
      @dir = dir
      File.write(File.join(dir, "distance.c"), c_source)
      example.run
    end
  end

  def build_library(name, *command, env: {})
    library = File.join(@dir, name)
    output, status = Open3.capture2e(env, *command, "-shared", "-fPIC", "-O2", File.join(@dir, "distance.c"), "-lm",
                                     "-o", library)
    raise "building #{name} failed: #{output}" unless status.success?

    library
  end

  describe "the checker" do
    it "fails a library linked against this machine's glibc, naming the version and the symbol" do
      library = build_library("libhost.so", "gcc", "-fno-builtin")
      host_glibc = Gem::Version.new(`ldd --version`.lines.first.to_s[/(\d+\.\d+)\s*\z/, 1] || "0")
      if host_glibc < Gem::Version.new("2.35")
        skip "this machine's glibc (#{host_glibc}) is older than 2.35, where hypot got its version"
      end

      report = CheckGlibcFloor.check_object("libhost.so", library)
      expect(report).not_to be_ok
      expect(report.problems.join).to include("GLIBC_2.35 above 2.17 (hypot)")
      output, status = Open3.capture2e(RbConfig.ruby, checker, library)
      expect(status.exitstatus).to eq(1), output
      expect(output).to match(/^FAIL  #{Regexp.escape(library)}: GLIBC_2\.35/)
    end

    it "passes the same library linked by zig against glibc 2.17" do
      zigbuild = File.join(GlibcFloor::VENV, "bin/cargo-zigbuild")
      skip "cargo-zigbuild is not in #{GlibcFloor::VENV}; run bin/setup" unless File.executable?(zigbuild)

      target = GlibcFloor.zig_target("x86_64-unknown-linux-gnu")
      library = build_library("libzig.so", zigbuild, "zig", "cc", "--", "-target", target, env: GlibcFloor.zigbuild_env)
      report = CheckGlibcFloor.check_object("libzig.so", library)
      expect(report).to be_ok, report.to_s
      expect(report.glibc_versions.keys.map { |v| Gem::Version.new(v) }.max).to be <= Gem::Version.new("2.17")
    end

    it "fails a NEEDED library beyond glibc's and libgcc_s" do
      library = build_library("libextra.so", "gcc", "-Wl,--no-as-needed", "-lstdc++")
      report = CheckGlibcFloor.check_object("libextra.so", library)
      expect(report.problems.join).to match(/NEEDED libstdc\+\+\.so\.6 beyond glibc/)
    end

    it "fails any GLIBC version and glibc's libraries in an object for musl" do
      library = build_library("libglibc.so", "gcc", "-fno-builtin")
      problems = CheckGlibcFloor.check_object("libglibc.so", library, libc: :musl).problems.join("; ")
      expect(problems).to match(/GLIBC_[\d.]+ in a musl build \(hypot\)/)
      expect(problems).to match(/NEEDED libm\.so\.6 beyond musl's libc/)
    end

    it "accepts musl's libc in an object for musl, by any of its names, and nothing else, libgcc_s included" do
      allowed = %w[libc.so libc.musl-x86_64.so.1 ld-musl-aarch64.so.1]
      refused = %w[libgcc_s.so.1 libc.so.6 libm.so]
      needed = CheckGlibcFloor::ALLOWED_NEEDED.fetch(:musl)
      expect(allowed.reject { |name| needed.any? { |pattern| pattern.match?(name) } }).to eq([])
      expect(refused.select { |name| needed.any? { |pattern| pattern.match?(name) } }).to eq([])
    end

    it "accepts libruby only in an extension for that Ruby's version" do
      libruby = RbConfig::CONFIG.values_at("libdir", "archlibdir").compact
                                .map { |dir| File.join(dir, RbConfig::CONFIG["LIBRUBY_SO"]) }
                                .find { |path| File.exist?(path) }
      skip "this Ruby has no shared libruby" unless libruby && RbConfig::CONFIG["ENABLE_SHARED"] == "yes"

      library = build_library("libwithruby.so", "gcc", "-Wl,--no-as-needed", libruby)
      minor = RUBY_VERSION[/\A\d+\.\d+/]
      needed = CheckGlibcFloor.needed(library).grep(/libruby/)
      expect(needed).not_to be_empty
      [nil, "9.9"].each do |other|
        problems = CheckGlibcFloor.check_object("x", library, ruby_minor: other).problems.join
        expect(problems).to include("NEEDED #{needed.first}")
      end
      expect(CheckGlibcFloor.check_object("x", library, ruby_minor: minor).problems.join).not_to include("NEEDED")
    end

    it "exits 2 on a file with no shared object" do
      output, status = Open3.capture2e(RbConfig.ruby, checker, File.join(@dir, "distance.c"))
      expect(status.exitstatus).to eq(2)
      expect(output).to include("not an ELF file")
    end
  end

  # The artifacts themselves, when they have been built (rake c_library:all,
  # rake platform:gems); both rake tasks also run the checker themselves.
  artifacts = Dir[File.join(root, "pkg/my_lib-#{version}-*-c.tar.gz")] +
              Dir[File.join(root, "pkg/my_lib-#{version}-*-linux*.gem")]
  describe "pkg/'s platform gems and C tarballs" do
    if artifacts.empty?
      it("are checked once built") { skip "no platform gem or C tarball of #{version} in pkg/" }
    else
      artifacts.sort.each do |artifact|
        it "#{File.basename(artifact)}: no .so needs more than glibc 2.17, nor another library" do
          output, status = Open3.capture2e(RbConfig.ruby, checker, artifact)
          expect(status).to be_success, output
          expect(output).to match(/^ok    /)
        end
      end
    end
  end
end
