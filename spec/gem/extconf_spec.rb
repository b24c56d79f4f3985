# frozen_string_literal: true

require "fileutils"
require "open3"
require "rbconfig"
require "tmpdir"

RSpec.describe "ext/my_lib/extconf.rb" do
  let(:extconf) { File.expand_path("../../ext/my_lib/extconf.rb", __dir__) }

  around do |example|
    Dir.mktmpdir("my_lib-extconf") do |dir|
      @dir = dir
      example.run
    end
  end

  # A stand-in for cargo: reports `version`, and on `build` writes a fake
  # library where the real cargo would put it (the path after --target-dir).
  def fake_cargo(version: "1.95.0", exit_status: 0)
    path = File.join(@dir, "fake-cargo")
    File.write(path, <<~SH)
      #!/bin/sh
      if [ "$1" = "--version" ]; then echo "cargo #{version} (fake)"; exit #{exit_status}; fi
      while [ $# -gt 0 ]; do
        case "$1" in
          --target-dir) target="$2"; shift ;;
          --profile) profile="$2"; shift ;;
        esac
        shift
      done
      [ "$profile" = dev ] && profile=debug
      mkdir -p "$target/$profile" && echo "RUSTFLAGS=$RUSTFLAGS RUBY=$RUBY" > "$target/$profile/libmy_lib.so"
    SH
    File.chmod(0o755, path)
    path
  end

  def run_extconf(env = {}, *args)
    build_dir = File.join(@dir, "build")
    FileUtils.mkdir_p(build_dir)
    Open3.capture3({ "RUSTFLAGS" => nil, "CARGO_TARGET_DIR" => nil }.merge(env),
                   RbConfig.ruby, extconf, *args, chdir: build_dir)
  end

  def makefile
    File.read(File.join(@dir, "build", "Makefile"))
  end

  def make(*args)
    Open3.capture2e("make", *args, chdir: File.join(@dir, "build"))
  end

  it "fails with one actionable line when cargo is missing" do
    _, stderr, status = run_extconf("CARGO" => File.join(@dir, "no-such-cargo"))
    expect(status.exitstatus).to eq(1)
    expect(stderr.lines.size).to eq(1)
    expect(stderr).to include("cargo not found", "rustup.rs", "CARGO=")
  end

  it "fails with one actionable line when cargo is older than the crate's rust-version" do
    rust_version = File.read(File.expand_path("../../ext/my_lib/Cargo.toml", __dir__))[/rust-version = "(.+)"/, 1]
    _, stderr, status = run_extconf("CARGO" => fake_cargo(version: "1.60.0"))
    expect(status.exitstatus).to eq(1)
    expect(stderr.lines.size).to eq(1)
    expect(stderr).to include("cargo 1.60.0 is older than the Rust #{rust_version}", "rustup update")
  end

  it "fails with one line when cargo does not run" do
    _, stderr, status = run_extconf("CARGO" => fake_cargo(exit_status: 3))
    expect(status.exitstatus).to eq(1)
    expect(stderr.lines.size).to eq(1)
    expect(stderr).to include("--version` failed")
  end

  it "builds the release profile into ./target and installs where require finds it" do
    _, stderr, status = run_extconf("CARGO" => fake_cargo)
    expect(status).to be_success, stderr
    expect(makefile).to include("--profile $(CARGO_PROFILE)", "CARGO_PROFILE = release")

    output, status = make
    expect(status).to be_success, output
    built = File.join(@dir, "build", "target", "release", "libmy_lib.so")
    expect(File.read(File.join(@dir, "build", "my_lib.so"))).to eq(File.read(built))

    # RubyGems runs `make install` with sitearchdir set to the gem's lib dir.
    gem_lib = File.join(@dir, "gem", "lib")
    output, status = make("install", "sitearchdir=#{gem_lib}", "sitelibdir=#{gem_lib}")
    expect(status).to be_success, output
    expect(Dir.children(gem_lib)).to eq(["my_lib"])
    expect(Dir.children(File.join(gem_lib, "my_lib"))).to eq(["my_lib.so"])
    # The build's own cargo cache is not left behind in the installed gem.
    expect(File).not_to exist(File.join(@dir, "build", "target"))

    output, status = make("clean")
    expect(status).to be_success, output
    expect(File).not_to exist(File.join(@dir, "build", "target"))
    expect(File).not_to exist(File.join(@dir, "build", "my_lib.so"))
  end

  it "switches to a fast dev build with MY_LIB_CARGO_PROFILE=dev or --with-cargo-profile=dev" do
    run_extconf("CARGO" => fake_cargo, "MY_LIB_CARGO_PROFILE" => "dev")
    expect(makefile).to include("CARGO_PROFILE = dev", "/target/debug/libmy_lib.so")

    run_extconf({ "CARGO" => fake_cargo }, "--with-cargo-profile=dev")
    expect(makefile).to include("CARGO_PROFILE = dev")
    expect(make.last).to be_success

    _, stderr, status = run_extconf("CARGO" => fake_cargo, "MY_LIB_CARGO_PROFILE" => "fastest")
    expect(status).not_to be_success
    expect(stderr).to include('unknown cargo profile "fastest"')
  end

  it "passes RUSTFLAGS and the building Ruby through to cargo" do
    run_extconf("CARGO" => fake_cargo, "RUSTFLAGS" => "-C target-cpu=native")
    make
    expect(File.read(File.join(@dir, "build", "my_lib.so")))
      .to include("RUSTFLAGS=-C target-cpu=native", "RUBY=#{RbConfig.ruby}")

    # ...and a RUSTFLAGS given to make wins over the one seen by extconf.rb.
    make("RUSTFLAGS=-C debuginfo=0")
    expect(File.read(File.join(@dir, "build", "my_lib.so"))).to include("RUSTFLAGS=-C debuginfo=0")
  end

  it "honours CARGO_TARGET_DIR" do
    target = File.join(@dir, "shared-target")
    run_extconf("CARGO" => fake_cargo, "CARGO_TARGET_DIR" => target)
    expect(make.last).to be_success
    expect(File).to exist(File.join(target, "release", "libmy_lib.so"))
    expect(File).not_to exist(File.join(@dir, "build", "target"))

    # A shared target directory is the user's cache: install keeps it.
    gem_lib = File.join(@dir, "gem", "lib")
    expect(make("install", "sitearchdir=#{gem_lib}").last).to be_success
    expect(File).to exist(File.join(target, "release", "libmy_lib.so"))
  end
end
