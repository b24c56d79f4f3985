# frozen_string_literal: true

# Precompiled platform gems, built with RbSys::ExtensionTask's
# cross-compilation (rake-compiler's `native:<platform>`, as rb-sys-dock
# drives it), and load-tested on the architecture and Ruby they are for:
#
#   pkg/my_lib-<version>-x86_64-linux.gem   lib/my_lib/3.1/ and 3.3/my_lib.so
#   pkg/my_lib-<version>-aarch64-linux.gem  lib/my_lib/3.1/my_lib.so
#
# The Rubies: the host's 3.1 (x86_64); 3.3 from a Debian trixie root made by
# mmdebstrap and cached in MY_LIB_PLATFORM_CACHE (default /var/cache/my_lib),
# rebuilt only when missing or broken; Debian bookworm's arm64 3.1
# (libruby3.1:arm64 and ruby3.1-dev:arm64 for the build, the extracted
# ruby3.1:arm64 binary run by qemu-aarch64 for the tests). bin/setup installs
# what they need.
#
#   rake platform:gems          both platform gems, into pkg/
#   rake platform:test          build, check the layout, install each gem into an
#                               empty GEM_HOME with no cargo on PATH and call every
#                               class, on every Ruby it is for
#   rake platform:spec_ruby33   the whole RSpec suite on Ruby 3.3, in the trixie root
#   rake platform:actionlint    actionlint on .github/workflows/*.yml
#   rake platform:all           all of the above (part of the default task)

require "digest"
require "fileutils"
require "open3"
require "rbconfig"
require "rb_sys"
require "rubygems/package"
require "tmpdir"
require "yaml"
require_relative "../tools/glibc_floor"

platform_root = File.expand_path("..", __dir__)
platform_cache = ENV.fetch("MY_LIB_PLATFORM_CACHE", "/var/cache/my_lib")
trixie_root = File.join(platform_cache, "trixie-amd64-ruby3.3")
trixie_arm64_root = File.join(platform_cache, "trixie-arm64-ruby3.3")
arm64_ruby_dir = File.join(platform_cache, "bookworm-arm64-ruby3.1")
# The trixie roots, as mmdebstrap makes them. amd64: Ruby 3.3 and, for the
# RSpec suite, the gems and tools of bin/setup (cargo comes from the host,
# bind-mounted); as on the host, the rb_sys gem comes from sid (trixie's is
# 0.9.87), and trixie is the default release, so nothing else does. sid's
# Release file may be older than its Valid-Until on a mirror that lags.
# arm64: Ruby 3.3 unpacked only (--variant=extract): its maintainer scripts
# cannot run here, as no binfmt_misc handler runs arm64 programs; qemu-aarch64
# -L runs its ruby3.3 directly.
trixie_recipes = {
  trixie_root => ["--variant=minbase", "--aptopt=APT::Default-Release \"trixie\"",
                  "--include=ruby3.3,ruby3.3-dev,ruby,ruby-dev,bundler,rake,rake-compiler,ruby-rspec,ruby-ffi,ruby-narray," \
                  "ruby-rb-sys/sid,yard,gcc,libc6-dev,libclang-dev,make,git,binutils",
                  "trixie", "deb http://deb.debian.org/debian trixie main",
                  "deb [check-valid-until=no] http://deb.debian.org/debian sid main"],
  trixie_arm64_root => ["--variant=extract", "--architectures=arm64", "--include=ruby3.3,ruby3.3-dev", "trixie"]
}
arm64_ruby31 = ["qemu-aarch64", "-L", "/", File.join(arm64_ruby_dir, "usr/bin/ruby3.1")]
arm64_ruby33 = ["qemu-aarch64", "-L", trixie_arm64_root, File.join(trixie_arm64_root, "usr/bin/ruby3.3")]
# A Ruby to test with: the command that runs it, and the root it must be
# chrooted into (nil: none). Each root's Ruby 3.3:
trixie_rubies = {
  trixie_root => [["ruby3.3"], trixie_root],
  trixie_arm64_root => [arm64_ruby33, nil]
}
# Each platform gem and the Rubies it carries: [API version, the target
# Ruby's rbconfig.rb, the root its paths are under, the Ruby to test with].
platform_gems = {
  "x86_64-linux" => [
    ["3.1", "/usr/lib/x86_64-linux-gnu/ruby/3.1.0/rbconfig.rb", "/", [[RbConfig.ruby], nil]],
    ["3.3", File.join(trixie_root, "usr/lib/x86_64-linux-gnu/ruby/3.3.0/rbconfig.rb"), trixie_root,
     trixie_rubies[trixie_root]]
  ],
  "aarch64-linux" => [
    ["3.1", "/usr/lib/aarch64-linux-gnu/ruby/3.1.0/rbconfig.rb", "/", [arm64_ruby31, nil]],
    ["3.3", File.join(trixie_arm64_root, "usr/lib/aarch64-linux-gnu/ruby/3.3.0/rbconfig.rb"), trixie_arm64_root,
     trixie_rubies[trixie_arm64_root]]
  ]
}
# The command line that runs `command` with exactly `env` (PATH included),
# under the Ruby's chroot if it has one.
in_ruby_root = lambda do |chroot, env, command|
  ["env", "-i", *env.map { |k, v| "#{k}=#{v}" }, *command].then { |line| chroot ? ["chroot", chroot, *line] : line }
end
# rake-compiler reads its cross Rubies from ~/.rake-compiler/config.yml: the
# gem builds run with HOME here, so the user's own config is never touched.
cross_home = File.join(platform_root, "tmp/platform/home")
version = GEMSPEC.version.to_s
gem_file = ->(platform) { File.join(platform_root, "pkg/my_lib-#{version}-#{platform}.gem") }
cargo_home = ENV.fetch("CARGO_HOME", File.join(Dir.home, ".cargo"))
rustup_home = ENV.fetch("RUSTUP_HOME", File.join(Dir.home, ".rustup"))

# --- mounts: every bind mount is undone in an ensure, and nothing under a
# directory is deleted while something is mounted there.

mounts_under = lambda do |dir|
  prefix = File.join(File.realpath(dir), "")
  File.readlines("/proc/self/mountinfo").map { |line| line.split[4].gsub("\\040", " ") }
      .select { |point| File.join(point, "").start_with?(prefix) }
end

unmount_all_under = lambda do |dir|
  next unless File.directory?(dir)

  mounts_under.call(dir).sort.reverse_each { |point| sh "umount", point }
  leftover = mounts_under.call(dir)
  raise "platform: still mounted under #{dir}: #{leftover.join(', ')}" unless leftover.empty?
end

remove_tree = lambda do |dir|
  unmount_all_under.call(dir)
  FileUtils.rm_rf(dir)
end

# Runs the block with each host directory of `binds` bind-mounted at the same
# path inside `root`; unmounts them all however the block ends.
with_binds = lambda do |root, binds, &block|
  mounted = []
  begin
    binds.each do |dir|
      point = File.join(root, dir)
      FileUtils.mkdir_p(point)
      sh "mount", "--bind", dir, point
      mounted << point
    end
    block.call
  ensure
    mounted.reverse_each { |point| system("umount", point) || system("umount", "--lazy", point) }
  end
end

# --- the Rubies

# A root is valid when it was made by today's recipe and its Ruby runs. A
# fresh one is made beside the old one and renamed into place, so a root that
# is there is always complete.
trixie_valid = lambda do |root|
  stamp = File.join(root, "etc/my_lib-root")
  ruby, chroot = trixie_rubies.fetch(root)
  File.exist?(stamp) && File.read(stamp) == trixie_recipes.fetch(root).join(" ") &&
    system(*in_ruby_root.call(chroot, { "PATH" => "/usr/bin:/bin" }, [*ruby, "--disable-gems", "-e", "exit 0"]),
           out: File::NULL, err: File::NULL)
end

build_trixie_root = lambda do |root|
  staging = "#{root}.new"
  remove_tree.call(staging)
  FileUtils.mkdir_p(platform_cache)
  recipe = trixie_recipes.fetch(root)
  suite = recipe.index("trixie")
  sh "mmdebstrap", *recipe[0..suite], staging, *recipe[(suite + 1)..]
  # The merged /usr links, which an extract-only root lacks: without them
  # arm64 programs would load the host's (older) arm64 libc from /lib.
  %w[bin lib sbin].each do |dir|
    link = File.join(staging, dir)
    File.symlink("usr/#{dir}", link) unless File.exist?(link) || File.symlink?(link)
  end
  File.write(File.join(staging, "etc/my_lib-root"), recipe.join(" "))
  remove_tree.call(root)
  File.rename(staging, root)
end

arm64_libruby_version = lambda do
  output, status = Open3.capture2("dpkg-query", "-W", "-f=${Version}", "libruby3.1:arm64")
  status.success? ? output : abort("platform: libruby3.1:arm64 is not installed; run bin/setup")
end

namespace :platform do
  { trixie_root: trixie_root, trixie_arm64_root: trixie_arm64_root }.each do |name, root|
    desc "Make (or check) the cached Debian trixie root #{File.basename(root)}, in MY_LIB_PLATFORM_CACHE"
    task name do
      if trixie_valid.call(root)
        puts "platform: #{root} is ready"
      else
        build_trixie_root.call(root)
        abort "platform: the new root #{root} cannot run its Ruby" unless trixie_valid.call(root)
      end
    end
  end

  desc "Extract Debian's arm64 ruby3.1 binary (the version of libruby3.1:arm64) into MY_LIB_PLATFORM_CACHE"
  task :arm64_ruby do
    wanted = arm64_libruby_version.call
    stamp = File.join(arm64_ruby_dir, "version")
    next if File.exist?(stamp) && File.read(stamp) == wanted && File.executable?(arm64_ruby31.last)

    Dir.mktmpdir("platform-arm64-ruby") do |download|
      sh "apt-get", "download", "ruby3.1:arm64=#{wanted}", chdir: download
      staging = "#{arm64_ruby_dir}.new"
      FileUtils.rm_rf(staging)
      sh "dpkg-deb", "--extract", Dir[File.join(download, "*.deb")].fetch(0), staging
      File.write(File.join(staging, "version"), wanted)
      FileUtils.rm_rf(arm64_ruby_dir)
      File.rename(staging, arm64_ruby_dir)
    end
  end

  # rake-compiler's cross Rubies: each target's rbconfig.rb, marked as a
  # cross build (so rb-sys reads the target's RbConfig from the environment,
  # not from the host's ruby) with its paths under its root, and mkmf.rb
  # beside it, as rake-compiler expects. Files are rewritten only when they
  # change, so that rake-compiler's file tasks stay fresh.
  task cross_config: %i[trixie_root trixie_arm64_root] do
    config = {}
    platform_gems.each do |platform, rubies|
      rubies.each do |minor, rbconfig, root, _ruby|
        source = File.read(rbconfig)
        arch_dir = File.join(cross_home, "rubies", "#{platform}-#{minor}", "lib/ruby", "#{minor}.0")
        destdir = root == "/" ? "" : root
        cross_rbconfig = source.sub("DESTDIR = '' unless defined? DESTDIR", "DESTDIR = #{destdir.dump}")
                               .sub('CONFIG["CROSS_COMPILING"] = "no"', 'CONFIG["CROSS_COMPILING"] = "yes"')
        files = {
          File.join(arch_dir, RbConfig::CONFIG["arch"], "rbconfig.rb") => cross_rbconfig,
          File.join(arch_dir, "mkmf.rb") => File.read(File.join(root, "usr/lib/ruby", "#{minor}.0", "mkmf.rb"))
        }
        files.each do |path, content|
          next if File.exist?(path) && File.read(path) == content

          FileUtils.mkdir_p(File.dirname(path))
          File.write(path, content)
        end
        # rake-compiler names a version x.y.0, as rake-compiler-dock does: the
        # host's own 3.1.2 would share its tmp/ directory with `rake compile`.
        config["rbconfig-#{platform}-#{minor}.0"] = files.keys.first
      end
    end
    config_path = File.join(cross_home, ".rake-compiler/config.yml")
    FileUtils.mkdir_p(File.dirname(config_path))
    File.write(config_path, config.to_yaml) unless File.exist?(config_path) && YAML.load_file(config_path) == config
  end

  platform_gems.each do |platform, rubies|
    desc "Build #{File.basename(gem_file.call(platform))} (Ruby #{rubies.map(&:first).join(' and ')}) by cross-compilation"
    task "gem:#{platform}" => [:cross_config, :arm64_ruby] do
      rust_target = RbSys::ToolchainInfo.new(platform).rust_target
      env = {
        "HOME" => cross_home, "CARGO_HOME" => cargo_home, "RUSTUP_HOME" => rustup_home,
        # rb-sys-dock's settings: the platform and the Rubies to build for.
        "RUBY_TARGET" => platform, "RUBY_CC_VERSION" => rubies.map { |minor, _| "#{minor}.0" }.join(":"),
        "CARGO_BUILD_TARGET" => rust_target,
        "RB_SYS_CARGO_PROFILE" => "release", "RB_SYS_CARGO_TARGET_DIR" => nil, "RB_SYS_CARGO_MANIFEST_DIR" => nil
      }.merge(GlibcFloor.cargo_env(rust_target)) # linked against glibc 2.17 (tools/glibc_floor.rb)
      # The gem and rake-compiler's package directory: a stale directory
      # (say, from before a Ruby was added) would be packaged as it is.
      FileUtils.rm_rf([gem_file.call(platform), gem_file.call(platform).delete_suffix(".gem")])
      # Outside Bundler: extconf.rb runs under the target's RUBY_PLATFORM, for
      # which Bundler would look for platform gems (ffi) that are not there.
      Bundler.with_unbundled_env do
        # `cross` first: it points lib/my_lib/my_lib.so at the cross build's
        # staging copy, not at `rake compile` (the host's own extension).
        sh env, RbConfig.ruby, "-S", "rake", "cross", "native:#{platform}", "gem", chdir: platform_root
      end
    end
  end

  desc "Build the x86_64-linux and aarch64-linux platform gems into pkg/"
  task gems: platform_gems.keys.map { |platform| "gem:#{platform}" }

  # The archive itself: one extension per Ruby at lib/my_lib/<minor>/, no
  # sources, no build dependency, and a Ruby requirement that admits exactly
  # the Rubies it carries.
  check_gem_contents = lambda do |platform, minors|
    package = Gem::Package.new(gem_file.call(platform))
    spec = package.spec
    files = package.contents
    problems = []
    problems << "platform #{spec.platform}" unless spec.platform.to_s == platform
    extensions = files.grep(/\.so\z/).sort
    wanted = minors.map { |minor| "lib/my_lib/#{minor}/my_lib.so" }.sort
    problems << "extensions #{extensions}, not #{wanted}" unless extensions == wanted
    sources = files.grep(%r{\Aext/|\.rs\z|(\A|/)Cargo\.(toml|lock)\z|extconf\.rb\z})
    problems << "build files #{sources}" unless sources.empty?
    problems << "no lib/my_lib.rb" unless files.include?("lib/my_lib.rb")
    problems << "dependencies #{spec.dependencies.map(&:to_s)}" unless spec.dependencies.empty?
    problems << "extensions to build #{spec.extensions}" unless spec.extensions.empty?
    requirement = spec.required_ruby_version
    wanted_requirement = Gem::Requirement.new(">= #{minors.min}", "< #{minors.max.succ}.dev")
    problems << "required_ruby_version #{requirement}, not #{wanted_requirement}" unless requirement == wanted_requirement
    abort "platform: #{File.basename(gem_file.call(platform))}: #{problems.join('; ')}" unless problems.empty?
    puts "platform: #{File.basename(gem_file.call(platform))}: #{wanted.join(', ')}; requires ruby #{requirement}; no sources, no dependencies"
  end

  # PATH without any directory that has a cargo in it.
  path_without_cargo = lambda do
    ENV.fetch("PATH").split(File::PATH_SEPARATOR)
       .reject { |dir| File.executable?(File.join(dir, "cargo")) }.join(File::PATH_SEPARATOR)
  end

  # Installs the platform gem into an empty GEM_HOME with the Ruby `ruby`
  # (command, chroot), with no cargo on PATH, and runs
  # tools/platform/exercise.rb with it.
  install_and_exercise = lambda do |platform, (ruby, chroot)|
    scratch = Dir.mktmpdir("platform-gem-test-", chroot && File.join(chroot, "tmp"))
    begin
      FileUtils.cp([gem_file.call(platform), File.join(platform_root, "tools/platform/exercise.rb")], scratch)
      visible = chroot ? scratch.delete_prefix(chroot) : scratch
      gem_home = File.join(visible, "gem home")
      env = { "GEM_HOME" => gem_home, "GEM_PATH" => gem_home, "HOME" => visible, "LANG" => "C.UTF-8",
              "PATH" => chroot ? "/usr/bin:/bin" : path_without_cargo.call }
      Bundler.with_unbundled_env do
        sh(*in_ruby_root.call(chroot, env, ["sh", "-c", "! command -v cargo >/dev/null || { echo 'cargo is on PATH' >&2; exit 1; }"]))
        sh(*in_ruby_root.call(chroot, env, [*ruby, "-S", "gem", "install", "--local", "--no-document",
                                            File.join(visible, File.basename(gem_file.call(platform)))]))
        sh(*in_ruby_root.call(chroot, env, [*ruby, File.join(visible, "exercise.rb"), gem_home]))
      end
    ensure
      FileUtils.rm_rf(scratch)
    end
  end

  namespace :test do
    platform_gems.each do |platform, rubies|
      desc "Check the #{platform} gem, install it without cargo and call every class, on Ruby #{rubies.map(&:first).join(' and ')}"
      task platform => "gem:#{platform}" do
        check_gem_contents.call(platform, rubies.map(&:first))
        rubies.each { |_minor, _rbconfig, _root, ruby| install_and_exercise.call(platform, ruby) }
      end
    end
  end

  desc "Build, check, install and exercise every platform gem on every Ruby it is for"
  task test: platform_gems.keys.map { |platform| "test:#{platform}" }

  # A copy of this checkout (tracked and new, unignored files, with their
  # mtimes, committed to a fresh git repository as the specs expect) in the
  # root; its target/ is a link to a directory the root keeps, so
  # cargo's builds for Ruby 3.3 survive from one run to the next.
  desc "Run the whole RSpec suite on Ruby 3.3, in a copy of the checkout inside the trixie root (cargo from the host)"
  task spec_ruby33: :trixie_root do
    files = Dir.chdir(platform_root) { `git ls-files -z --cached --others --exclude-standard` }.split("\x0")
    abort "platform: git ls-files failed" unless $?.success?
    files = files.select { |file| File.file?(File.join(platform_root, file)) } # not the tracked files this change deletes
    kept_target = "/var/cache/my_lib-build/target"
    FileUtils.mkdir_p(File.join(trixie_root, kept_target))
    # Always the same path: cargo fingerprints a workspace member by its path,
    # so a new one would rebuild the crate.
    checkout = File.join(trixie_root, "var/cache/my_lib-build/src")
    remove_tree.call(checkout)
    FileUtils.mkdir_p(checkout)
    begin
      Open3.pipeline_w(["tar", "--create", "--null", "--files-from=-", "--file=-", { chdir: platform_root }],
                       ["tar", "--extract", "--preserve-permissions", "--file=-", { chdir: checkout }]) do |input, waits|
        input.write(files.join("\x0"))
        input.close
        abort "platform: copying the checkout failed" unless waits.all? { |wait| wait.value.success? }
      end
      git = ["git", "-C", checkout, "-c", "user.name=platform", "-c", "user.email=platform@localhost"]
      sh(*git, "init", "--quiet")
      sh(*git, "add", "--all")
      sh(*git, "commit", "--quiet", "--message", "copy for Ruby 3.3")
      File.symlink(kept_target, File.join(checkout, "target"))
      env = ["PATH=#{cargo_home}/bin:/usr/bin:/bin", "HOME=#{Dir.home}", "CARGO_HOME=#{cargo_home}",
             "RUSTUP_HOME=#{rustup_home}", "LANG=C.UTF-8", "CARGO_NET_OFFLINE=true", "BUNDLE_SILENCE_ROOT_WARNING=1",
             *("SPEC_OPTS=#{ENV['SPEC_OPTS']}" if ENV["SPEC_OPTS"])] # e.g. --profile, or one file
      command = "cd #{checkout.delete_prefix(trixie_root)} && bundle install --local --quiet && bundle exec rake spec"
      with_binds.call(trixie_root, ["/proc", "/dev", cargo_home, rustup_home]) do
        sh "chroot", trixie_root, "env", "-i", *env, "sh", "-c", command
      end
    ensure
      remove_tree.call(checkout)
    end
  end

  desc "Check every workflow in .github/workflows with actionlint"
  task :actionlint do
    workflows = Dir[File.join(platform_root, ".github/workflows/*.{yml,yaml}")].sort
    abort "platform: no workflows in .github/workflows" if workflows.empty?
    sh "actionlint", *workflows
  end

  desc "Every platform check: actionlint, the platform gems on every Ruby, the RSpec suite on Ruby 3.3"
  task all: %i[actionlint test spec_ruby33]
end

# In the gem builds above (this file is loaded by them too): each Ruby gets
# its own cargo target directory, target/platform/<platform>-<version>, set
# just before its extconf.rb runs. rb-sys's build script reruns whenever the
# RbConfig it reads changes, so Rubies sharing one directory would rebuild
# each other's dependencies every time.
if (cross_platform = ENV["RUBY_TARGET"]) && ENV["RUBY_CC_VERSION"]
  target_base = File.join(ENV.fetch("CARGO_TARGET_DIR", File.join(platform_root, "target")), "platform")
  ENV["RUBY_CC_VERSION"].split(":").each do |cross_version|
    makefile = "tmp/#{cross_platform}/my_lib/#{cross_version}/Makefile"
    next unless Rake::Task.task_defined?(makefile)

    task("platform:cargo_target_dir:#{cross_version}") do
      ENV["RB_SYS_CARGO_TARGET_DIR"] = File.join(target_base, "#{cross_platform}-#{cross_version}")
    end
    file makefile => "platform:cargo_target_dir:#{cross_version}"
  end
end
