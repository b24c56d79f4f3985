# frozen_string_literal: true

require "digest"
require "fileutils"
require "open3"
require "rake"
require "shellwords"
require "tmpdir"
require_relative "ruby_sources"

# Cached Debian roots for the rake tasks: each is made by mmdebstrap from a
# recipe and kept in MY_LIB_PLATFORM_CACHE (default /var/cache/my_lib), and
# remade only when it is missing, of another recipe, or broken.
#
#   root = MyLibRoots::Root.new("sid-amd64-rails", suite: "sid",
#                               options: ["--variant=minbase", "--include=ruby,puma"],
#                               check: ["ruby", "-e", "exit 0"])
#   MyLibRoots.define_task(:sid_root, root)            # rake <namespace>:sid_root
#   root.run(["ruby", "app.rb"], env: { "LANG" => "C.UTF-8" }, binds: ["/proc", "/dev"])
#
# A root is valid when its stamp (etc/my_lib-root) holds today's recipe and its
# check command succeeds. A new root is made beside the old one and renamed
# into place, so a root that is there is always complete. Every bind mount is
# undone in an ensure, and nothing under a directory is deleted while
# something is still mounted there.
module MyLibRoots
  CACHE = ENV.fetch("MY_LIB_PLATFORM_CACHE", "/var/cache/my_lib")
  # The checkout the scripts of a recipe are read from.
  CHECKOUT = File.expand_path("../..", __dir__)

  extend Rake::FileUtilsExt

  # A cached root.
  # - name: its directory under CACHE.
  # - suite, options, sources: mmdebstrap's arguments (sources are whole
  #   sources.list lines; none: the suite's own mirror).
  # - scripts: { path: (relative to the checkout), run: [interpreter...],
  #   args: [...] } hashes, each script copied into the new root and run
  #   there (in the order given, with only PATH and LANG in the environment)
  #   after the packages are installed, while apt's lists are still there. Their SHA-256 is part of the recipe, so a
  #   changed script remakes the root.
  # - check: the command that must succeed for the root to count as valid (or
  #   a lambda that makes it from the root's path):
  #   run chrooted with PATH=/usr/bin:/bin, or as it is on the host when
  #   chroot is false (an extract-only root of another architecture, run by
  #   qemu).
  # - cache: the directory it is kept in.
  class Root
    include Rake::FileUtilsExt

    attr_reader :name, :path

    def initialize(name, suite:, check:, options: [], sources: [], scripts: [], chroot: true, cache: CACHE)
      @name = name
      @cache = cache
      @path = File.join(cache, name)
      @suite = suite
      @options = options
      @sources = sources
      @scripts = scripts
      @check = check
      @chroot = chroot
    end

    # What the stamp records: the mmdebstrap arguments and each script's
    # digest, without any path of this checkout (every checkout shares the
    # roots).
    def recipe
      scripts = @scripts.map do |script|
        digest = Digest::SHA256.file(File.join(CHECKOUT, script.fetch(:path))).hexdigest
        ["script", *script.fetch(:run), script.fetch(:path), *script.fetch(:args, []), "sha256:#{digest}"].join(" ")
      end
      [*@options, @suite, *@sources, *scripts].join("\n")
    end

    def valid?
      stamp = File.join(path, "etc/my_lib-root")
      File.exist?(stamp) && File.read(stamp) == recipe &&
        system(*command(check_command), out: File::NULL, err: File::NULL)
    end

    # Makes the root unless it is valid; aborts if the new one fails its check.
    def provide
      if valid?
        puts "roots: #{path} is ready"
        return
      end
      build
      abort "roots: the new root #{path} fails its check: #{check_command.join(' ')}" unless valid?
    end

    # The command line that runs `argv` with exactly `env` (PATH defaults to
    # /usr/bin:/bin), chrooted into this root when it is a chroot root.
    def command(argv, env: {})
      line = ["env", "-i", *{ "PATH" => "/usr/bin:/bin" }.merge(env).map { |key, value| "#{key}=#{value}" }, *argv]
      @chroot ? ["chroot", path, *line] : line
    end

    # Runs `argv` in the root (see #command) with each host directory of
    # `binds` bind-mounted at the same path inside.
    def run(argv, env: {}, binds: [])
      with_binds(binds) { sh(*command(argv, env: env)) }
    end

    # Runs the block with each host directory of `binds` bind-mounted at the
    # same path inside the root; unmounts them all however the block ends.
    def with_binds(binds)
      mounted = []
      begin
        binds.each do |dir|
          point = File.join(path, dir)
          FileUtils.mkdir_p(point)
          sh "mount", "--bind", dir, point
          mounted << point
        end
        yield
      ensure
        mounted.reverse_each { |point| system("umount", point) || system("umount", "--lazy", point) }
      end
    end

    # Runs the block with a copy of this checkout (tracked and new, unignored
    # files, with their mtimes, committed to a fresh git repository as the
    # specs expect) at `dir` inside the root, and returns its value; the copy
    # is removed however the block ends. `dir` is always the same path for a
    # given use (cargo fingerprints a workspace member by its path), and its
    # target/ links to `target`, a directory the root keeps, so that cargo's
    # builds survive from one run to the next. The block gets `dir` as seen
    # from inside the root.
    def with_checkout(dir, target:)
      files = Dir.chdir(CHECKOUT) { `git ls-files -z --cached --others --exclude-standard` }.split("\x0")
      raise "roots: git ls-files failed" unless $?.success?

      files = files.select { |file| File.file?(File.join(CHECKOUT, file)) } # not the tracked files a change deletes
      copy = File.join(path, dir)
      FileUtils.mkdir_p(File.join(path, target))
      MyLibRoots.remove_tree(copy)
      FileUtils.mkdir_p(copy)
      begin
        Open3.pipeline_w(["tar", "--create", "--null", "--files-from=-", "--file=-", { chdir: CHECKOUT }],
                         ["tar", "--extract", "--preserve-permissions", "--file=-", { chdir: copy }]) do |input, waits|
          input.write(files.join("\x0"))
          input.close
          raise "roots: copying the checkout failed" unless waits.all? { |wait| wait.value.success? }
        end
        git = ["git", "-C", copy, "-c", "user.name=roots", "-c", "user.email=roots@localhost"]
        sh(*git, "init", "--quiet")
        sh(*git, "add", "--all")
        sh(*git, "commit", "--quiet", "--message", "copy of the checkout")
        File.symlink(target, File.join(copy, "target"))
        yield dir
      ensure
        MyLibRoots.remove_tree(copy)
      end
    end

    private

    def check_command
      @check.respond_to?(:call) ? @check.call(path) : @check
    end

    def build
      staging = "#{path}.new"
      MyLibRoots.remove_tree(staging)
      FileUtils.mkdir_p(@cache)
      hooks = @scripts.flat_map do |script|
        inside = File.join("/tmp", File.basename(script.fetch(:path)))
        run = [*script.fetch(:run), inside, *script.fetch(:args, [])].map { |word| Shellwords.escape(word) }.join(" ")
        ["--customize-hook=copy-in #{Shellwords.escape(File.join(CHECKOUT, script.fetch(:path)))} /tmp",
         "--customize-hook=chroot \"$1\" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 #{run}",
         "--customize-hook=rm -f \"$1#{inside}\""]
      end
      sh "mmdebstrap", *@options, *hooks, @suite, staging, *@sources
      # The merged /usr links, which an extract-only root lacks: without them
      # programs of another architecture run by qemu -L would load the
      # host's libc of that architecture from /lib.
      %w[bin lib sbin].each do |dir|
        link = File.join(staging, dir)
        File.symlink("usr/#{dir}", link) unless File.exist?(link) || File.symlink?(link)
      end
      File.write(File.join(staging, "etc/my_lib-root"), recipe)
      MyLibRoots.remove_tree(path)
      File.rename(staging, path)
    end
  end

  # A Ruby built from source into a cached prefix (CACHE/<name>), for the
  # Rubies Debian does not package: tools/platform/build_ruby.sh builds and
  # installs it from a tarball of MY_LIB_RUBY_SOURCES (default
  # /work/shared/rubies, checked against its SHA256SUMS; made from its
  # commit where missing: support/ruby_sources.rb), then the gems of
  # `gems` are installed into its own GEM_HOME from local .gem files made by
  # tools/platform/pack_gems.rb (from Debian's packages; nothing is
  # downloaded), as setup-ruby lays a Ruby out on GitHub's runners: no Debian
  # gem directory is on its Gem.path.
  #
  #   ruby40 = MyLibRoots::RubyPrefix.new("ruby-4.0-amd64", tarball: "ruby-4.0.0-99e9ca1f40.tar.gz",
  #                                       gems: %w[rake rspec])
  #   MyLibRoots.define_task(:ruby40, ruby40)
  #   ruby40.ruby # => ["/var/cache/my_lib/ruby-4.0-amd64/bin/ruby"]
  #
  # Two stamps: <prefix>/my_lib-ruby-build (the build's recipe: the tarball's
  # SHA-256, build_ruby.sh's, the baseruby and the host) and
  # <prefix>/my_lib-ruby (that and the gems' recipe). A prefix whose build
  # stamp is current only has its gems reinstalled. Each is written last, so a
  # prefix a build left half-made is never valid. A lock file beside the
  # prefix keeps two checkouts from building the same Ruby at once.
  # - host: nil, or the GNU triple to cross-compile for (aarch64-linux-gnu);
  #   such a Ruby runs under qemu-user (#ruby).
  # - baseruby: a RubyPrefix (the host build of the same version, which a
  #   cross build needs) or nil for the host's /usr/bin/ruby.
  # - gems: [[kind, name], ...] for pack_gems.rb (see there), [] for none.
  # - sources: where tarballs come from: #provide(name) gives a tarball's
  #   path, #sums the SHA256SUMS beside it (MyLibRubySources).
  # - patches: patch files (relative to the checkout, applied with `patch
  #   -p1`) that fix the tarball's tree for this build (see #with_source);
  #   each one's SHA-256 is part of the build's recipe.
  class RubyPrefix
    include Rake::FileUtilsExt

    BUILD_SCRIPT = "tools/platform/build_ruby.sh"
    GEMS_SCRIPT = "tools/platform/pack_gems.rb"

    attr_reader :name, :path, :host

    def initialize(name, tarball:, host: nil, baseruby: nil, gems: [], patches: [], cache: CACHE,
                   sources: MyLibRubySources)
      @name = name
      @path = File.join(cache, name)
      @cache = cache
      @tarball_name = tarball
      @sources = sources
      @host = host
      @baseruby = baseruby
      @gems = gems
      @patches = patches
    end

    # The command that runs this Ruby's ruby (under qemu-user for another
    # architecture).
    def ruby
      bin = File.join(path, "bin/ruby")
      @host ? ["qemu-#{@host.split('-').first}", "-L", "/", bin] : [bin]
    end

    # The environment this Ruby runs in: its own bin first on PATH, nothing
    # of the caller's RUBYOPT, GEM_HOME or Bundler.
    def env(home: Dir.home)
      { "PATH" => "#{File.join(path, 'bin')}:/usr/bin:/bin", "HOME" => home, "LANG" => "C.UTF-8" }
    end

    def build_recipe
      digest = ->(file) { "sha256:#{Digest::SHA256.file(file).hexdigest}" }
      ["ruby #{@tarball_name} #{digest.call(tarball)}",
       *@patches.map { |patch| "patch #{patch} #{digest.call(File.join(CHECKOUT, patch))}" },
       "script #{BUILD_SCRIPT} #{digest.call(File.join(CHECKOUT, BUILD_SCRIPT))}",
       "baseruby #{@baseruby ? @baseruby.path : '/usr/bin/ruby'}", "host #{@host || 'native'}"].join("\n")
    end

    def recipe
      gems = @gems.map { |kind, gem| "#{kind} #{gem}" }
      script = "script #{GEMS_SCRIPT} sha256:#{Digest::SHA256.file(File.join(CHECKOUT, GEMS_SCRIPT)).hexdigest}"
      [build_recipe, *(gems.empty? ? [] : [script, *gems])].join("\n")
    end

    def valid?
      stamp_is?("my_lib-ruby", recipe) && check
    end

    # Builds (or only reinstalls the gems of) this Ruby unless it is valid;
    # aborts if the result fails its check.
    # With gems: false, only the Ruby itself (a cross build's baseruby needs
    # no gems).
    def provide(gems: true)
      @baseruby&.provide(gems: false)
      FileUtils.mkdir_p(@cache)
      File.open("#{path}.lock", File::RDWR | File::CREAT, 0o644) do |lock|
        lock.flock(File::LOCK_EX)
        if valid? || (!gems && stamp_is?("my_lib-ruby-build", build_recipe) && runs?)
          puts "roots: #{path} is ready"
          next
        end
        unless gems
          build
          next
        end
        File.delete(File.join(path, "my_lib-ruby")) if File.exist?(File.join(path, "my_lib-ruby"))
        build unless stamp_is?("my_lib-ruby-build", build_recipe) && runs?
        install_gems
        File.write(File.join(path, "my_lib-ruby"), recipe)
        abort "roots: the new Ruby #{path} fails its check" unless valid?
      end
    end

    private

    # The tarball's path, from `sources` (MyLibRubySources: made from its
    # commit first if it is missing, and checked against its pin).
    def tarball
      @tarball ||= @sources.provide(@tarball_name)
    end

    def stamp_is?(stamp, content)
      file = File.join(path, stamp)
      File.exist?(file) && File.read(file) == content
    end

    # Outside the caller's environment: under `bundle exec`, RUBYOPT would
    # have this Ruby load Bundler and resolve the caller's Gemfile.
    def runs?
      system(env, *ruby, "-e", "exit 0", out: File::NULL, err: File::NULL, unsetenv_others: true)
    end

    # Runs, and Gem.path holds nothing but this prefix's own directories.
    def check
      return false unless runs?

      script = "exit Gem.path.all? { |dir| dir.start_with?(#{File.join(path, '').dump}) || dir.start_with?(ENV['HOME']) }"
      # Every gem given activates (a Debian package ruby-<gem> for kinds sid
      # and source).
      requires = @gems.map { |_, name| "gem #{name.delete_prefix('ruby-').dump}" }
      system(env, *ruby, "-e", [*requires, script].join("; "), out: File::NULL, err: File::NULL, unsetenv_others: true)
    end

    def build
      MyLibRoots.remove_tree(path)
      baseruby = @baseruby ? File.join(@baseruby.path, "bin/ruby") : "/usr/bin/ruby"
      with_source do |tarball, sums|
        sh clean_env, "nice", "-n", "10", File.join(CHECKOUT, BUILD_SCRIPT), tarball, sums, path, baseruby, *@host,
           unsetenv_others: true
      end
      File.write(File.join(path, "my_lib-ruby-build"), build_recipe)
    end

    # Yields the tarball build_ruby.sh builds and the SHA256SUMS it checks it
    # against: the pinned tarball of MY_LIB_RUBY_SOURCES, with the patches
    # applied (MyLibRoots.with_patches).
    def with_source(&block)
      MyLibRoots.with_patches(tarball, @sources.sums, @patches, &block)
    end

    # The build and the gems' packing run in a clean environment: under
    # `bundle exec`, RUBYOPT would have every Ruby they run (the baseruby,
    # miniruby, the host's Ruby reading Debian's gemspecs) load Bundler.
    def clean_env
      { "PATH" => "/usr/bin:/bin", "HOME" => Dir.home, "LANG" => "C", "TMPDIR" => Dir.tmpdir }
    end

    def install_gems
      return if @gems.empty?

      Dir.mktmpdir("ruby-gems-") do |dir|
        sh clean_env, "nice", "-n", "10", "/usr/bin/ruby", File.join(CHECKOUT, GEMS_SCRIPT), dir, *ruby, "--",
           *@gems.flat_map { |kind, gem| ["--#{kind}", gem] }, unsetenv_others: true
      end
    end
  end

  module_function

  # Yields a Ruby source tarball and the SHA256SUMS to check it against:
  # without patches, `tarball` and `sums` as they are; with them (paths
  # relative to the checkout, applied with `patch -p1`), a tarball (gzip, in a
  # temporary directory) of its tree with the patches applied, made only once
  # `tarball` matches its line in `sums`, and a SHA256SUMS beside it.
  def with_patches(tarball, sums, patches)
    return yield(tarball, sums) if patches.empty?

    name = File.basename(tarball)
    pinned = File.readlines(sums).map(&:split).find { |_, file| file&.delete_prefix("*") == name }&.first
    actual = Digest::SHA256.file(tarball).hexdigest
    abort "roots: #{tarball}: SHA-256 #{actual}, not #{pinned || "listed in #{sums}"}" unless pinned == actual

    Dir.mktmpdir("ruby-source-") do |dir|
      tree = File.join(dir, "ruby")
      FileUtils.mkdir_p(tree)
      sh "tar", "--extract", "--file", tarball, "--directory", tree, "--strip-components=1"
      patches.each do |patch|
        sh "patch", "--directory", tree, "--strip=1", "--forward", "--input", File.join(CHECKOUT, patch)
      end
      patched = File.join(dir, name.sub(/\.tar\.\w+\z/, "-patched.tar.gz"))
      sh "tar", "--create", "--gzip", "--file", patched, "--directory", dir, "ruby"
      File.write(File.join(dir, "SHA256SUMS"), "#{Digest::SHA256.file(patched).hexdigest}  #{File.basename(patched)}\n")
      yield patched, File.join(dir, "SHA256SUMS")
    end
  end

  # Every mount point at or under `dir`.
  def mounts_under(dir)
    prefix = File.join(File.realpath(dir), "")
    File.readlines("/proc/self/mountinfo").map { |line| line.split[4].gsub("\\040", " ") }
        .select { |point| File.join(point, "").start_with?(prefix) }
  end

  def unmount_all_under(dir)
    return unless File.directory?(dir)

    mounts_under(dir).sort.reverse_each { |point| sh "umount", point }
    leftover = mounts_under(dir)
    raise "roots: still mounted under #{dir}: #{leftover.join(', ')}" unless leftover.empty?
  end

  # Deletes `dir`, after unmounting whatever is mounted under it.
  def remove_tree(dir)
    unmount_all_under(dir)
    FileUtils.rm_rf(dir)
  end

  # Defines the rake task `name` (in the current namespace) that makes or
  # checks `root`.
  def define_task(name, root)
    what = root.is_a?(RubyPrefix) ? "Ruby built from source" : "Debian root"
    Rake.application.last_description = "Make (or check) the cached #{what} #{root.name}, in MY_LIB_PLATFORM_CACHE"
    Rake::Task.define_task(name) { root.provide }
  end
end
