# frozen_string_literal: true

require "fileutils"
require "find"
require "open3"
require "rbconfig"
require "tmpdir"

# ext/my_lib/extconf.rb and the Makefile it writes with rb_sys, driven the
# way RubyGems and rake-compiler drive them, with a stand-in for cargo so
# that every make rule runs in milliseconds. The real build is exercised by
# `rake compile` and by spec/gem/packaging_spec.rb's `gem install`.
RSpec.describe "ext/my_lib/extconf.rb", posix: true do
  CRATE_DIR = File.expand_path("../../ext/my_lib", __dir__)
  # The build settings a test sets only on purpose.
  CLEAN_ENV = %w[RUSTFLAGS CARGO CARGO_TARGET_DIR RB_SYS_CARGO_TARGET_DIR RB_SYS_CARGO_PROFILE
                 RB_SYS_CARGO_MANIFEST_DIR RB_SYS_FORCE_INSTALL_RUST_TOOLCHAIN SOURCE_DATE_EPOCH]
              .to_h { |name| [name, nil] }.freeze

  around do |example|
    Dir.mktmpdir("my_lib-extconf") do |dir|
      @dir = dir
      example.run
    end
  end

  # A stand-in for cargo: reports `version`; on `rustc` it writes, where the
  # real cargo would put the library, a file recording what it was given.
  def fake_cargo(version: "1.95.0", exit_status: 0)
    path = File.join(@dir, "fake-cargo")
    File.write(path, <<~SH)
      #!/bin/sh
      if [ "$1" = "--version" ]; then echo "cargo #{version} (fake)"; exit #{exit_status}; fi
      args="$*"
      while [ $# -gt 0 ]; do
        case "$1" in
          --target-dir) target="$2"; shift ;;
          --profile) profile="$2"; shift ;;
          --manifest-path) manifest="$2"; shift ;;
          --) break ;;
        esac
        shift
      done
      [ -f "$manifest" ] || { echo "no manifest at $manifest" >&2; exit 1; }
      [ "$profile" = dev ] && profile=debug
      mkdir -p "$target/$profile"
      # Like cargo, leave a fresh library (same inputs) untouched.
      library="$target/$profile/libmy_lib.${FAKE_SOEXT:-so}"
      printf '%s\\n' "RUSTFLAGS=${RUSTFLAGS-<unset>}" "ARGS=$args" > "$library.new"
      if cmp -s "$library.new" "$library"; then rm "$library.new"; else mv "$library.new" "$library"; fi
    SH
    File.chmod(0o755, path)
    path
  end

  def build_dir = @build_dir ||= File.join(@dir, "build")

  # Runs extconf.rb in the build directory, with a clean environment and
  # rb_sys found wherever this Ruby's gems are (MyLibBuildGems).
  def extconf(env = {}, ruby_args = [])
    FileUtils.mkdir_p(build_dir)
    gem_path = MyLibBuildGems.gem_path
    Bundler.with_unbundled_env do
      Open3.capture3(CLEAN_ENV.merge("GEM_PATH" => gem_path).merge(env), RbConfig.ruby, *ruby_args,
                     File.join(CRATE_DIR, "extconf.rb"), chdir: build_dir)
    end
  end

  # Runs make in the build directory, without what `rake` exports for its
  # own build (RB_SYS_CARGO_PROFILE and the like).
  def make(*args, env: {})
    Open3.capture2e(CLEAN_ENV.merge(env), "make", *args, chdir: build_dir)
  end

  def built = File.read(File.join(build_dir, "my_lib.so"), mode: "rb")

  # A siteconf.rb that points the install directory at `lib_dir`, as
  # RubyGems (relative) and rake-compiler (absolute) do.
  def siteconf(lib_dir)
    path = File.join(build_dir, "siteconf.rb")
    FileUtils.mkdir_p(build_dir)
    File.write(path, <<~RUBY)
      require "rbconfig"
      %w[sitearchdir sitelibdir].each do |dir|
        RbConfig::MAKEFILE_CONFIG[dir] = RbConfig::CONFIG[dir] = #{lib_dir.dump}
      end
    RUBY
    path
  end

  # What `gem install` does: extconf.rb with SOURCE_DATE_EPOCH set and a
  # relative install directory, then `make clean`, `make`, `make install`.
  # Returns the installed library's path.
  def gem_install_build(env = {})
    env = { "CARGO" => fake_cargo, "SOURCE_DATE_EPOCH" => "1" }.merge(env)
    _, stderr, status = extconf(env, ["-r", siteconf(".gem-dest")])
    expect(status).to be_success, stderr
    ["clean", nil, "install"].each do |target|
      output, status = make(*target, "DESTDIR=", env: env)
      expect(status).to be_success, output
    end
    File.join(build_dir, ".gem-dest/my_lib/my_lib.so")
  end

  describe "when cargo is missing or unusable" do
    it "fails with one actionable line when cargo is missing" do
      _, stderr, status = extconf("CARGO" => File.join(@dir, "no-such-cargo"))
      expect(status.exitstatus).to eq(1)
      expect(stderr.lines.size).to eq(1)
      expect(stderr).to include("cargo not found", "rustup.rs", "CARGO=")
    end

    it "fails with one actionable line when cargo is older than the crate's rust-version" do
      rust_version = File.read(File.join(CRATE_DIR, "Cargo.toml"))[/rust-version = "(.+)"/, 1]
      _, stderr, status = extconf("CARGO" => fake_cargo(version: "1.60.0"))
      expect(status.exitstatus).to eq(1)
      expect(stderr.lines.size).to eq(1)
      expect(stderr).to include("cargo 1.60.0 is older than the Rust #{rust_version}", "rustup update")
    end

    it "fails with one line when cargo does not run" do
      _, stderr, status = extconf("CARGO" => fake_cargo(exit_status: 3))
      expect(status.exitstatus).to eq(1)
      expect(stderr.lines.size).to eq(1)
      expect(stderr).to include("--version` failed")
    end

    it "leaves a missing cargo to rb_sys when RB_SYS_FORCE_INSTALL_RUST_TOOLCHAIN asks it to install one" do
      _, stderr, status = extconf("CARGO" => File.join(@dir, "no-such-cargo"),
                                  "RB_SYS_FORCE_INSTALL_RUST_TOOLCHAIN" => "true")
      expect(status).to be_success, stderr
    end
  end

  describe "cargo profiles (RB_SYS_CARGO_PROFILE)" do
    it "builds release by default, with the locked dependencies" do
      extconf("CARGO" => fake_cargo)
      output, status = make
      expect(status).to be_success, output
      expect(built).to include("--profile release", "--locked")
      expect(File).to exist(File.join(build_dir, "target/release/libmy_lib.so"))
    end

    it "builds the fast dev profile with RB_SYS_CARGO_PROFILE=dev, at configure or at make time" do
      extconf("CARGO" => fake_cargo, "RB_SYS_CARGO_PROFILE" => "dev")
      expect(make.last).to be_success
      expect(built).to include("--profile dev")
      expect(File).to exist(File.join(build_dir, "target/debug/libmy_lib.so"))

      extconf("CARGO" => fake_cargo)
      expect(make(env: { "RB_SYS_CARGO_PROFILE" => "dev" }).last).to be_success
      expect(built).to include("--profile dev")
    end

    it "installs the profile just built, also when cargo leaves an earlier build of it untouched" do
      extconf("CARGO" => fake_cargo)
      [nil, "dev", nil].each do |profile|
        output, status = make(env: { "RB_SYS_CARGO_PROFILE" => profile })
        expect(status).to be_success, output
        expect(built).to include("--profile #{profile || "release"}")
      end
    end

    it "always builds release under `gem install`" do
      extconf("CARGO" => fake_cargo, "SOURCE_DATE_EPOCH" => "1", "RB_SYS_CARGO_PROFILE" => "dev")
      expect(make(env: { "RB_SYS_CARGO_PROFILE" => "dev" }).last).to be_success
      expect(built).to include("--profile release")
    end
  end

  describe "RUSTFLAGS" do
    it "is not exported when unset or empty, so cargo applies .cargo/config.toml's rustflags" do
      extconf("CARGO" => fake_cargo)
      make
      expect(built).to include("RUSTFLAGS=<unset>")
      make("clean")
      make(env: { "RUSTFLAGS" => "" })
      expect(built).to include("RUSTFLAGS=<unset>")
    end

    it "reaches cargo exactly as given, `$ORIGIN` included" do
      flags = "-C link-arg=-Wl,-rpath,$ORIGIN/../lib -C target-cpu=native"
      extconf("CARGO" => fake_cargo, "RUSTFLAGS" => flags)
      output, status = make(env: { "RUSTFLAGS" => flags })
      expect(status).to be_success, output
      expect(built.lines.first.chomp.delete_prefix("RUSTFLAGS=").strip).to eq(flags)
    end
  end

  describe "the cargo target directory" do
    it "is ./target by default, and `gem install` removes it after installing" do
      installed = gem_install_build
      expect(File.read(installed)).to include("--profile release", "--target-dir target ")
      expect(Dir.children(build_dir)).not_to include("target", ".rb-sys")
    end

    it "is the user's RB_SYS_CARGO_TARGET_DIR or CARGO_TARGET_DIR, which clean and install keep" do
      %w[RB_SYS_CARGO_TARGET_DIR CARGO_TARGET_DIR].each do |variable|
        shared = File.join(@dir, "shared-#{variable}")
        gem_install_build(variable => shared)
        expect(File).to exist(File.join(shared, "release/libmy_lib.so"))
        output, status = make("clean")
        expect(status).to be_success, output
        expect(File).to exist(File.join(shared, "release/libmy_lib.so"))
      end
    end
  end

  describe "installing" do
    it "replaces the installed library by renaming, and only when it changed" do
      lib_dir = File.join(@dir, "lib")
      extconf({ "CARGO" => fake_cargo }, ["-r", siteconf(lib_dir)])
      expect(make("install", "target_prefix=").last).to be_success
      installed = File.join(lib_dir, "my_lib.so")
      first = File.stat(installed)

      expect(make("install", "target_prefix=").last).to be_success
      expect(File.stat(installed).ino).to eq(first.ino) # unchanged: not touched

      output, status = make("install", "target_prefix=", env: { "RUSTFLAGS" => "-C opt-level=1" })
      expect(status).to be_success, output
      expect(File.stat(installed).ino).not_to eq(first.ino) # changed: a new file, renamed into place
      expect(File.read(installed)).to include("opt-level=1")
      expect(File.stat(installed).mode & 0o777).to eq(0o755)
      expect(Dir.children(lib_dir)).to eq(["my_lib.so"])
    end
  end

  describe "with a space and a `$` in every path" do
    # Every file and directory below `root`, but those under `except`.
    def tree(root, except)
      Find.find(root).reject { |path| path == except || path.start_with?("#{except}/") }.sort
    end

    it "builds, installs and cleans without touching anything outside the build directory" do
      parent = File.join(@dir, "my $HOME dir")
      @build_dir = File.join(parent, "ext build")
      # The words make or the shell would split these paths into.
      %w[my ext build $HOME HOME dir].each { |word| FileUtils.mkdir_p(File.join(@dir, word, "keep")) }
      %w[ext my].each { |word| FileUtils.mkdir_p(File.join(parent, word, "keep")) }
      lib_dir = File.join(parent, "lib")
      FileUtils.mkdir_p(lib_dir)
      fake_cargo
      before = tree(@dir, @build_dir)

      # As rake-compiler does: the install directory is an absolute path.
      _, stderr, status = extconf({ "CARGO" => fake_cargo }, ["-r", siteconf(lib_dir)])
      expect(status).to be_success, stderr
      %w[all install clean distclean].each do |target|
        output, status = make(target, "target_prefix=")
        expect(status).to be_success, "make #{target}:\n#{output}"
      end
      expect(Dir.children(lib_dir)).to eq(["my_lib.so"])
      FileUtils.rm(File.join(lib_dir, "my_lib.so"))

      # As `gem install` does: make clean, make, make install, then gemclean.
      expect(File).to exist(gem_install_build)

      after = tree(@dir, @build_dir)
      expect(after - before).to be_empty, "created outside the build directory: #{after - before}"
      expect(before - after).to be_empty, "deleted outside the build directory: #{before - after}"
      expect(Dir.children(build_dir)).not_to include("target")
    end
  end

  it "stops with one line, and writes no Makefile, when a path cannot be carried in a Makefile" do
    # Only reachable as "../the lib": the space is not in the shared prefix.
    _, stderr, status = extconf({ "CARGO" => fake_cargo }, ["-r", siteconf(File.join(@dir, "the lib"))])
    expect(status.exitstatus).to eq(1)
    expect(stderr.lines.size).to eq(1)
    expect(stderr).to include("install directory", "../the lib")
    expect(File).not_to exist(File.join(build_dir, "Makefile"))
  end

  describe "on macOS" do
    # Loads before mkmf: what a darwin Ruby's RbConfig says about libraries.
    def pretend_darwin
      path = File.join(@dir, "pretend_darwin.rb")
      File.write(path, <<~RUBY)
        require "rbconfig"
        [RbConfig::CONFIG, RbConfig::MAKEFILE_CONFIG].each do |config|
          config.merge!("SOEXT" => "dylib", "DLEXT" => "bundle", "target_os" => "darwin23", "host_os" => "darwin23")
        end
      RUBY
      path
    end

    it "copies cargo's lib<name>.dylib to my_lib.bundle" do
      _, stderr, status = extconf({ "CARGO" => fake_cargo }, ["-r", pretend_darwin])
      expect(status).to be_success, stderr
      output, status = make(env: { "FAKE_SOEXT" => "dylib" })
      expect(status).to be_success, output
      expect(File).to exist(File.join(build_dir, "target/release/libmy_lib.dylib"))
      expect(File.read(File.join(build_dir, "my_lib.bundle"))).to include("--profile release")
    end
  end
end
