# frozen_string_literal: true

require "digest"
require "fileutils"
require "open3"
require "tmpdir"
require_relative "../../rakelib/support/roots"

# The cached roots of rakelib/support/roots.rb, without mmdebstrap: a root is
# valid only when its stamp holds today's recipe and its check succeeds.
RSpec.describe MyLibRoots::Root, posix: true do
  around do |example|
    Dir.mktmpdir("roots-spec-") do |cache|
      @cache = cache
      example.run
    end
  end

  # A root of recipe `options` whose check is `check`, run on the host.
  def root(options: ["--variant=minbase"], check: ["true"], scripts: [])
    MyLibRoots::Root.new("test-root", suite: "trixie", options: options, check: check, scripts: scripts,
                                      chroot: false, cache: @cache)
  end

  def stamp(root, text)
    FileUtils.mkdir_p(File.join(root.path, "etc"))
    File.write(File.join(root.path, "etc/my_lib-root"), text)
  end

  it "is valid when its stamp holds the recipe and its check succeeds" do
    made = root
    expect(made.path).to eq(File.join(@cache, "test-root"))
    expect(made.valid?).to be(false) # nothing there yet
    stamp(made, made.recipe)
    expect(made.valid?).to be(true)
  end

  it "is not valid when its check fails" do
    broken = root(check: ["false"])
    stamp(broken, broken.recipe)
    expect(broken.valid?).to be(false)
  end

  it "is not valid when it was made by another recipe" do
    stamp(root(options: ["--variant=minbase", "--include=ruby3.3"]), root(options: ["--variant=minbase"]).recipe)
    expect(root(options: ["--variant=minbase", "--include=ruby3.3"]).valid?).to be(false)
  end

  it "counts a recipe script's contents in the recipe, so a changed script remakes the root" do
    script = File.join("tmp", "roots-spec-#{Process.pid}.rb")
    path = File.join(MyLibRoots::CHECKOUT, script)
    FileUtils.mkdir_p(File.dirname(path))
    begin
      File.write(path, "puts 1\n")
      before = root(scripts: [{ path: script, run: ["ruby3.4"], args: ["--build", "ruby-ffi"] }])
      stamp(before, before.recipe)
      expect(before.valid?).to be(true)
      expect(before.recipe).to include("ruby3.4 #{script} --build ruby-ffi sha256:")
      File.write(path, "puts 2\n")
      expect(before.valid?).to be(false)
    ensure
      FileUtils.rm_f(path)
    end
  end

  it "runs a command with exactly the environment given, chrooted only for a chroot root" do
    expect(root.command(["ruby", "-v"], env: { "LANG" => "C.UTF-8" }))
      .to eq(["env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "ruby", "-v"])
    chrooted = MyLibRoots::Root.new("test-root", suite: "trixie", check: ["true"], cache: @cache)
    expect(chrooted.command(["ruby", "-v"], env: { "PATH" => "/opt/bin" }))
      .to eq(["chroot", chrooted.path, "env", "-i", "PATH=/opt/bin", "ruby", "-v"])
  end
end

# The Rubies built from source (support/roots.rb's RubyPrefix), without
# building one: the recipe, the stamps, the check that no Debian gem
# directory is on the Ruby's Gem.path, and build_ruby.sh's checksum.
RSpec.describe MyLibRoots::RubyPrefix do
  around do |example|
    Dir.mktmpdir("ruby-prefix-spec-") do |dir|
      @dir = dir
      @sources = File.join(dir, "sources")
      FileUtils.mkdir_p(@sources)
      File.write(File.join(@sources, "ruby-9.9.tar.gz"), "not a tarball")
      example.run
    end
  end

  # The tarballs of @sources as they are (MyLibRubySources knows only the
  # pinned ones).
  def sources
    directory = @sources
    Object.new.tap do |provider|
      provider.define_singleton_method(:provide) { |name| File.join(directory, name) }
      provider.define_singleton_method(:sums) { File.join(directory, "SHA256SUMS") }
    end
  end

  def prefix(**options)
    MyLibRoots::RubyPrefix.new("ruby-9.9-amd64", tarball: "ruby-9.9.tar.gz", cache: File.join(@dir, "cache"),
                                                 sources: sources, **options)
  end

  # A prefix whose bin/ruby is `ruby` (a link), stamped with `made`'s recipe.
  def fake(made, ruby:)
    FileUtils.mkdir_p(File.join(made.path, "bin"))
    File.symlink(ruby, File.join(made.path, "bin/ruby"))
    File.write(File.join(made.path, "my_lib-ruby-build"), made.build_recipe)
    File.write(File.join(made.path, "my_lib-ruby"), made.recipe)
  end

  it "records the tarball's, the patches' and the build script's SHA-256, the baseruby, the host and the gems in its recipe" do
    made = prefix(gems: [%w[debian rake], %w[sid ruby-async]])
    tarball = Digest::SHA256.hexdigest("not a tarball")
    expect(made.build_recipe).to include("ruby ruby-9.9.tar.gz sha256:#{tarball}", "script tools/platform/build_ruby.sh sha256:",
                                         "baseruby /usr/bin/ruby", "host native")
    expect(made.recipe).to start_with(made.build_recipe)
    expect(made.recipe).to include("debian rake", "sid ruby-async", "script tools/platform/pack_gems.rb sha256:")
    before = made.build_recipe
    File.write(File.join(@sources, "ruby-9.9.tar.gz"), "another tarball")
    expect(made.build_recipe).not_to eq(before)
    cross = prefix(host: "aarch64-linux-gnu", baseruby: made)
    expect(cross.build_recipe).to include("baseruby #{made.path}", "host aarch64-linux-gnu")
    expect(cross.ruby).to eq(["qemu-aarch64", "-L", "/", File.join(cross.path, "bin/ruby")])
    patch = "tools/platform/patches/ruby-4.0-cross-gem-prelude.patch"
    patched = prefix(host: "aarch64-linux-gnu", baseruby: made, patches: [patch])
    digest = Digest::SHA256.file(File.join(MyLibRoots::CHECKOUT, patch)).hexdigest
    expect(patched.build_recipe.lines(chomp: true) - cross.build_recipe.lines(chomp: true))
      .to eq(["patch #{patch} sha256:#{digest}"])
  end

  it "is valid only with both stamps, a Ruby that runs, and nothing but its own gem directories on Gem.path" do
    expect(prefix.valid?).to be(false) # nothing there
    own = prefix
    # A Ruby whose Gem.path is its own: a script standing in for bin/ruby
    # that answers the check as such a Ruby would.
    script = File.join(@dir, "own-ruby")
    File.write(script, "#!/bin/sh\nexec /usr/bin/ruby -e 'module Gem; def self.path = [#{File.join(own.path, 'lib/ruby/gems/9.9.0').dump}]; end' \"$@\"\n")
    File.chmod(0o755, script)
    fake(own, ruby: script)
    expect(own.valid?).to be(true)
    # Whatever the caller's environment: under `bundle exec`, RUBYOPT loads
    # Bundler, which this Ruby must not (a check that failed there once had
    # a built Ruby rebuilt).
    begin
      rubyopt = ENV.fetch("RUBYOPT", nil)
      ENV["RUBYOPT"] = "-rno_such_library"
      expect(own.valid?).to be(true)
    ensure
      ENV["RUBYOPT"] = rubyopt
    end
    File.write(File.join(own.path, "my_lib-ruby"), "another recipe")
    expect(own.valid?).to be(false)
  end

  it "is not valid when a gem of its recipe does not activate (by gem name: ruby-<gem> for a Debian package)" do
    script = File.join(@dir, "ruby-with-rake")
    made = prefix(gems: [%w[debian rake], %w[source ruby-rake]])
    File.write(script, "#!/bin/sh\nexec /usr/bin/ruby -e 'module Gem; def self.path = [#{File.join(made.path, 'lib').dump}]; end' \"$@\"\n")
    File.chmod(0o755, script)
    fake(made, ruby: script)
    expect(made.valid?).to be(true) # rake is installed on the host
    missing = prefix(gems: [%w[debian no-such-gem]])
    FileUtils.rm_rf(missing.path)
    fake(missing, ruby: script)
    expect(missing.valid?).to be(false)
  end

  it "is not valid when Debian's gem directories are on its Gem.path (the host's Ruby is)" do
    debian = prefix
    fake(debian, ruby: "/usr/bin/ruby")
    expect(debian.valid?).to be(false)
  end

  it "builds nothing from a tarball whose SHA-256 is not the one in SHA256SUMS" do
    File.write(File.join(@sources, "SHA256SUMS"), "#{'0' * 64}  ruby-9.9.tar.gz\n")
    _, stderr, status = Open3.capture3(File.join(MyLibRoots::CHECKOUT, "tools/platform/build_ruby.sh"),
                                       File.join(@sources, "ruby-9.9.tar.gz"), File.join(@sources, "SHA256SUMS"),
                                       File.join(@dir, "prefix"), "/usr/bin/ruby")
    expect(status.success?).to be(false)
    expect(stderr).to include("ruby-9.9.tar.gz: SHA-256 #{Digest::SHA256.hexdigest('not a tarball')}, not #{'0' * 64}")
    expect(File.exist?(File.join(@dir, "prefix"))).to be(false)
  end
end
