# frozen_string_literal: true

require "fileutils"
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
