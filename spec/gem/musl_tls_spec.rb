# frozen_string_literal: true

require "open3"
require "rbconfig"
require_relative "../../tools/musl/toolchain"
require_relative "../../tools/platform/check_glibc_floor"

# core::unwind's catch_depth is a thread-local touched twice per call. On
# x86_64 glibc it is initial-exec TLS written by hand (the fast path the
# per-call benchmark measures), which takes its 8 bytes from the spare static
# TLS glibc keeps for dlopen()ed libraries. musl keeps none: its loader
# refuses such a library ("initial-exec TLS resolves to dynamic definition"),
# which made every musl gem fail to load. Each kind of library is checked
# here where it is cheap (about 20 s to build the musl C library once);
# `rake musl:audit` and `rake musl:test` check the musl gems themselves.
RSpec.describe "catch_depth's thread-local storage" do
  root = File.expand_path("../..", __dir__)

  def run(*command, env: {})
    Bundler.with_unbundled_env { Open3.capture2e(env, *command) }
  end

  it "keeps the initial-exec fast path on x86_64 glibc, which loads with the least spare static TLS glibc allows",
     if: RUBY_PLATFORM.start_with?("x86_64-linux") && !RUBY_PLATFORM.include?("musl") do
    extension = File.join(root, "lib/my_lib/my_lib.#{RbConfig::CONFIG['DLEXT']}")
    expect(`readelf --dynamic #{extension}`).to match(/\(FLAGS\)\s+.*\bSTATIC_TLS\b/)
    # nns=1 and optional_static_tls=0: no surplus for other namespaces and
    # none of the optional 512 bytes, only glibc's fixed reserve.
    script = 'require "my_lib"; MyLib.add_numbers(1, 2) == 3 or exit 2; ' \
             'begin; MyLib::Testing.panic!("x"); rescue MyLib::PanicError; end; ' \
             'Thread.new { MyLib.add_numbers(3, 4) }.value == 7 or exit 3; print "ok"'
    output, status = run(RbConfig.ruby, "-I", File.join(root, "lib"), "-e", script,
                         env: { "GLIBC_TUNABLES" => "glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0" })
    expect([output, status.exitstatus]).to eq(["ok", 0])
  end

  describe "on x86_64 musl", if: RUBY_PLATFORM.start_with?("x86_64-linux") do
    target_dir = File.join(root, "target/musl")
    library = File.join(target_dir, MyLibMusl.rust_target("x86_64"), "release/libmy_lib.so")

    # The C library (no Ruby needed): the same core::unwind as the extension.
    # Skipped only where bin/setup's musl and python-tools groups were left
    # out (`bin/setup --only-core`), as spec/gem/glibc_floor_spec.rb does.
    before(:context) do
      missing = []
      missing << "musl-gcc (musl-tools)" unless system("musl-gcc --version", out: File::NULL, err: File::NULL)
      missing << "cargo-zigbuild (python tools)" unless File.executable?(File.join(GlibcFloor::VENV, "bin/cargo-zigbuild"))
      targets = begin
        run("rustup", "target", "list", "--installed").first
      rescue SystemCallError
        "" # no rustup
      end
      missing << "the Rust target #{MyLibMusl.rust_target('x86_64')}" unless targets.to_s.include?(MyLibMusl.rust_target("x86_64"))
      skip "#{missing.join(', ')} missing; run bin/setup" unless missing.empty?

      command = [ENV.fetch("CARGO", "cargo"), "build", "--locked", "--release", "--quiet", "--lib",
                 "--no-default-features", "--target", MyLibMusl.rust_target("x86_64"),
                 "--manifest-path", File.join(root, "ext/my_lib/Cargo.toml"), "--target-dir", target_dir]
      output, status = run(*command, env: MyLibMusl.cargo_env("x86_64").merge(GlibcFloor.zigbuild_env))
      raise "building the musl C library failed (bin/setup installs the musl target):\n#{output}" unless status.success?

      checker = File.join(target_dir, "dlopen_check")
      output, status = run("musl-gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread", "-o", checker,
                           File.join(root, "tools/musl/dlopen_check.c"))
      raise "musl-gcc failed (bin/setup installs musl-tools):\n#{output}" unless status.success?
    end

    it "has no initial-exec TLS and needs nothing but musl's libc" do
      expect(MyLibMusl::ElfAudit.problems(library, "x86_64")).to eq([])
      # The release's floor check (release:check_gems) agrees.
      report = CheckGlibcFloor.check_object("libmy_lib.so", library, libc: :musl)
      expect(report).to be_ok, report.to_s
    end

    it "loads with dlopen() under musl's loader and calls through the boundary on old and new threads" do
      output, status = run(File.join(target_dir, "dlopen_check"), library)
      expect([output, status.exitstatus]).to eq(["dlopen_check: ok\n", 0])
    end
  end
end
