# frozen_string_literal: true

require "digest"
require "fileutils"
require "open3"
require "rbconfig"
require "tmpdir"

ROOT = File.expand_path("../..", __dir__)

RSpec.describe "Loading my_lib" do
  # Runs Ruby in a fresh process, outside Bundler, with only lib/ on the path.
  def fresh_ruby(*args)
    Bundler.with_unbundled_env do
      Open3.capture3(RbConfig.ruby, "-I", File.join(ROOT, "lib"), *args, chdir: ROOT)
    end
  end

  let(:loaded_extension) do
    $LOADED_FEATURES.find { |path| path.end_with?("/my_lib.#{RbConfig::CONFIG["DLEXT"]}") }
  end

  it "works with a plain `require` in a fresh Ruby process" do
    stdout, stderr, status = fresh_ruby("-e", 'require "my_lib"; print MyLib::NATIVE_VERSION')
    expect(status).to be_success, stderr
    expect(stdout).to eq(MyLib::VERSION)
  end

  it "reports the same version from Ruby and from Rust" do
    expect(MyLib::NATIVE_VERSION).to eq(MyLib::VERSION)
    cargo_version = File.read(File.join(ROOT, "ext/my_lib/Cargo.toml"))[/^version = "(.+)"/, 1]
    expect(cargo_version).to eq(MyLib::VERSION)
  end

  it "loads the extension just built from this checkout" do
    expect(loaded_extension).to eq(File.join(ROOT, "lib/my_lib", MyLibPlatform.extension_file_name))

    # It is the library cargo built for the profile in use, copied unchanged:
    # release, unless RB_SYS_CARGO_PROFILE says dev (`rake compile:dev`). Not
    # the newest file: cargo leaves a fresh build untouched, so after a switch
    # back to release the debug build can be newer than the one installed.
    target_dir = ENV.fetch("CARGO_TARGET_DIR", File.join(ROOT, "target"))
    profile_dir = ENV.fetch("RB_SYS_CARGO_PROFILE", "release") == "dev" ? "debug" : "release"
    built = File.join(target_dir, profile_dir, MyLibPlatform.c_library_file_name)
    skip "not built by `rake compile`" unless File.exist?(built)
    expect(Digest::SHA256.file(loaded_extension)).to eq(Digest::SHA256.file(built))

    # The sources this build compiled, from cargo's dep-info beside it: a file
    # behind a feature the extension leaves off (c_abi/tutorial.rs) is not one.
    compiled = File.read(built.sub(/\.\w+\z/, ".d")).split(/(?<!\\)\s+/).select { |f| f.end_with?(".rs") }
    expect(compiled).not_to be_empty
    newest_source = compiled.map { |f| File.mtime(f) }.max
    expect(File.mtime(built)).to be >= newest_source,
                                            "lib/my_lib/my_lib.so is older than the Rust sources: run `rake compile`"
  end

  it "prefers the precompiled layout lib/my_lib/<ruby minor>/my_lib.so" do
    Dir.mktmpdir do |dir|
      minor = RUBY_VERSION[/\A\d+\.\d+/]
      FileUtils.mkdir_p(File.join(dir, "my_lib", minor))
      File.write(File.join(dir, "my_lib", minor, "my_lib.rb"), "module MyLib; FROM = :precompiled; end")
      stdout, stderr, status = fresh_ruby("-I", dir, "-e", 'require "my_lib"; print MyLib::FROM')
      expect(status).to be_success, stderr
      expect(stdout).to eq("precompiled")
    end
  end

  it "says what to run when the extension is missing" do
    Dir.mktmpdir do |dir|
      FileUtils.cp_r(File.join(ROOT, "lib/."), dir)
      FileUtils.rm_f(Dir[File.join(dir, "my_lib", "**", "*.so")])
      stdout, stderr, status = Bundler.with_unbundled_env do
        Open3.capture3(RbConfig.ruby, "-I", dir, "-e", 'require "my_lib"')
      end
      expect(status).not_to be_success
      expect(stdout).to be_empty
      expect(stderr).to include("my_lib's native extension could not be loaded", "bin/setup", "gem install my_lib")
    end
  end

  # A platform gem carries lib/my_lib/<minor>/my_lib.so for some Rubies, and
  # its required_ruby_version admits the ones between them (3.2 in a gem for
  # 3.1, 3.3 and 3.4): there neither that file nor a source build's exists.
  # Simulated here by a gem layout without this Ruby's directory.
  it "names the carried Rubies in a one-line LoadError on a Ruby the platform gem has no extension for" do
    Dir.mktmpdir do |dir|
      FileUtils.cp_r(File.join(ROOT, "lib/."), dir)
      FileUtils.rm_f(Dir[File.join(dir, "my_lib", "**", "*.so")])
      carried = %w[3.1 3.3 3.4 3.10] - [RUBY_VERSION[/\A\d+\.\d+/]]
      carried.each do |minor|
        FileUtils.mkdir_p(File.join(dir, "my_lib", minor))
        File.write(File.join(dir, "my_lib", minor, "my_lib.so"), "never loaded\n")
      end
      stdout, stderr, status = Bundler.with_unbundled_env do
        Open3.capture3(RbConfig.ruby, "-I", dir, "-e",
                       'begin; require "my_lib"; rescue LoadError => e; abort "#{e.class}: #{e.message}"; end')
      end
      expect(status).not_to be_success
      expect(stdout).to be_empty
      listed = "#{carried[0..-2].join(', ')} and #{carried.last}"
      expect(stderr).to eq("LoadError: my_lib #{MyLib::VERSION} has no native extension for Ruby " \
                           "#{RUBY_VERSION[/\A\d+\.\d+/]}: this gem carries it for Ruby #{listed} only; use one " \
                           "of those, or install the source gem (`gem install my_lib --platform ruby`, which needs Rust)\n")
    end
  end

  # A precompiled extension that exists but cannot be loaded (built for
  # another architecture, missing a symbol, truncated): the loader's error is
  # the one that explains it, not the fallback's "cannot load such file". It
  # must be in the LoadError's message, which is what an application that
  # rescues it logs, not only in Ruby's report of the error's causes.
  it "says in its message why a precompiled extension that exists failed to load" do
    Dir.mktmpdir do |dir|
      FileUtils.cp_r(File.join(ROOT, "lib/."), dir)
      FileUtils.rm_f(Dir[File.join(dir, "my_lib", "**", "*.so")])
      precompiled = File.join(dir, "my_lib", RUBY_VERSION[/\A\d+\.\d+/], "my_lib.so")
      FileUtils.mkdir_p(File.dirname(precompiled))
      File.binwrite(precompiled, "not an ELF shared object\n" * 200)
      stdout, stderr, status = Bundler.with_unbundled_env do
        Open3.capture3(RbConfig.ruby, "-I", dir, "-e", 'begin; require "my_lib"; rescue LoadError => e; abort e.message; end')
      end
      expect(status).not_to be_success
      expect(stdout).to be_empty
      expect(stderr).to include("my_lib's native extension could not be loaded",
                                "#{precompiled}: invalid ELF header",
                                "cannot load such file -- my_lib/my_lib",
                                "bin/setup")
      expect(stderr).not_to include("Did you mean?")
    end
  end
end
