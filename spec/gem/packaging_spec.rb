# frozen_string_literal: true

require "fileutils"
require "open3"
require "rbconfig"
require "rubygems/package"
require "tmpdir"

RSpec.describe "The my_lib gem", posix: true do
  root = File.expand_path("../..", __dir__)

  # One `gem build` for the whole group: it is the artifact under test.
  before(:context) do
    @workdir = Dir.mktmpdir("my_lib-gem")
    @gem_path = File.join(@workdir, "my_lib.gem")
    output, status = Open3.capture2e("gem", "build", "my_lib.gemspec", "--output", @gem_path, chdir: root)
    raise "gem build failed:\n#{output}" unless status.success?
  end

  after(:context) { FileUtils.rm_rf(@workdir) }

  let(:package) { Gem::Package.new(@gem_path) }
  let(:files) { package.contents }

  it "builds, with the metadata users and tools read" do
    spec = package.spec
    expect(spec.name).to eq("my_lib")
    expect(spec.version.to_s).to eq(MyLib::VERSION)
    expect(spec.required_ruby_version).to eq(Gem::Requirement.new(">= 3.1"))
    expect(spec.extensions).to eq(["ext/my_lib/extconf.rb"])
    expect(spec.metadata).to include("homepage_uri", "source_code_uri", "changelog_uri")
    expect(spec.platform.to_s).to eq("ruby")
  end

  it "packages what a source install needs" do
    expect(files).to include(
      "Cargo.toml", "Cargo.lock", "ext/my_lib/Cargo.toml", "ext/my_lib/extconf.rb", "ext/my_lib/src/lib.rs",
      "lib/my_lib.rb", "lib/my_lib/version.rb", "README.md", "CHANGELOG.md", "LICENSE", "THIRD_PARTY_LICENSES.md"
    )
    expect(files.grep(%r{\Aext/my_lib/src/.+\.rs\z}).size).to eq(Dir[File.join(root, "ext/my_lib/src/**/*.rs")].size)
    expect(files.grep(%r{\Asig/})).not_to be_empty
  end

  it "packages nothing else: no target/, no specs, no compiled library" do
    expect(files.grep(%r{(\A|/)target/})).to be_empty
    expect(files.grep(%r{\Aext/my_lib/fuzz/})).to be_empty
    expect(files.grep(%r{\A(spec|tmp|pkg|bin|examples|\.ci)/})).to be_empty
    expect(files.grep(/\.(so|bundle|dll|o|a)\z/)).to be_empty
    allowed = %r{\A(Cargo\.(toml|lock)|ext/my_lib/.+|lib/.+\.rb|sig/.+\.rbs|README\.md|CHANGELOG\.md|LICENSE|
                 THIRD_PARTY_LICENSES\.md)\z}x
    expect(files.reject { |f| f.match?(allowed) }).to be_empty
  end

  it "depends on the rb_sys gem, which builds it from source" do
    expect(package.spec.dependencies.map { |d| [d.name, d.type, d.requirement.to_s] })
      .to eq([["rb_sys", :runtime, "~> 0.9.130"]])
  end

  # The real thing, as a user does it: RubyGems runs extconf.rb, `make clean`,
  # `make` and `make install`, then rb_sys's clean-up. The GEM_HOME is empty,
  # and its path has a space and a `$` in it; rb_sys comes from wherever
  # this Ruby's gems are (MyLibBuildGems: Debian's, the bundle's, a GEM_HOME).
  it "installs from source with `gem install` into an empty GEM_HOME, and loads from the installed copy" do
    gem_home = File.join(@workdir, "gem home $HOME")
    env = {
      "GEM_HOME" => gem_home, "GEM_PATH" => MyLibBuildGems.gem_path(gem_home),
      # A target directory of our own choosing (the gem install must keep it),
      # shared between runs so that the dependencies compile only once.
      "RB_SYS_CARGO_TARGET_DIR" => File.join(root, "target/other-checkouts"), "CARGO_TARGET_DIR" => nil
    }
    output, status = Bundler.with_unbundled_env do
      Open3.capture2e(env, "gem", "install", "--local", "--no-document", @gem_path, chdir: @workdir)
    end
    expect(status).to be_success, output
    build_log = File.read(Dir[File.join(gem_home, "extensions/*/*/my_lib-*/gem_make.out")].fetch(0))
    expect(build_log).to include("--profile release", "--target-dir ")

    installed = File.join(gem_home, "gems", "my_lib-#{MyLib::VERSION}")
    expect(File).to exist(File.join(installed, "lib/my_lib", MyLibPlatform.extension_file_name))
    expect(Dir.glob("**/{target,.rb-sys}", base: installed)).to be_empty
    expect(File).to exist(File.join(root, "target/other-checkouts/release"))

    script = "require 'my_lib'; print $LOADED_FEATURES.grep(/#{Regexp.escape(MyLibPlatform.extension_file_name)}/)" \
             '.first, "|", MyLib::NATIVE_VERSION'
    stdout, stderr, status = Bundler.with_unbundled_env do
      Open3.capture3(env, RbConfig.ruby, "-e", script, chdir: @workdir)
    end
    expect(status).to be_success, stderr
    loaded_from, version = stdout.split("|")
    expect(loaded_from).to start_with(gem_home)
    expect(version).to eq(MyLib::VERSION)
  end

  # The source gem is the fallback where no platform gem fits: a user without
  # Rust must learn from `gem install`'s output what to install, in one line,
  # not from a Ruby backtrace or mkmf's log.
  it "fails to install without cargo on PATH, with one line that says to install Rust" do
    gem_home = File.join(@workdir, "gem home without cargo")
    path = ENV.fetch("PATH").split(File::PATH_SEPARATOR).reject { |dir| File.executable?(File.join(dir, "cargo")) }
    env = { "GEM_HOME" => gem_home, "GEM_PATH" => MyLibBuildGems.gem_path(gem_home),
            "PATH" => path.join(File::PATH_SEPARATOR), "CARGO" => nil }
    output, status = Bundler.with_unbundled_env do
      Open3.capture2e(env, "gem", "install", "--local", "--no-document", @gem_path, chdir: @workdir)
    end
    expect(status).not_to be_success
    ours = output.lines.grep(/\bmy_lib: /)
    expect(ours.size).to eq(1), output
    expect(ours.first).to include("cargo not found", "install Rust", "https://rustup.rs")
    expect(output).not_to match(/\.rb:\d+:in |mkmf\.log/)
  end
end
