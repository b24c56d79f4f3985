# frozen_string_literal: true

# What a release ships, verified as a user gets it (docs/PLATFORMS.md,
# docs/DEVELOPMENT.md "Before a release"): every gem and C tarball, on every
# Ruby, libc and architecture we can run here. Not part of `rake ci` (the
# gate builds one platform gem for one Ruby: platform:gate); run it for any
# change to the build, the gemspec, lib/my_lib.rb's loading, or unsafe/TLS
# code.
#
#   rake release:verify           build everything into pkg/, then for each
#                                 gem: its contents, every .so's floor (glibc
#                                 2.17, or musl's loader and libc only), an
#                                 install of `my_lib` by name from pkg/index/
#                                 (all the gems and their index, a file://
#                                 source: RubyGems picks the platform as from
#                                 rubygems.org), and the portable RSpec subset
#                                 against the installed gem (x86_64 Rubies;
#                                 under qemu, tools/platform/exercise.rb);
#                                 then the distro roots' suites (3.2, 3.3, 3.4,
#                                 4.0), rails:load_sid and musl:test. Leaves
#                                 pkg/SHA256SUMS.
#   rake release:installed_spec   the portable RSpec subset on the running Ruby
#                                 against its installed my_lib gem (the release
#                                 workflow runs it on macOS, Windows, Alpine)

require "digest"
require "fileutils"
require "rbconfig"
require "rubygems/package"
require "tmpdir"

release_root = File.expand_path("..", __dir__)
release_version = GEMSPEC.version.to_s
# The specs that need nothing but the installed gem and rspec: spec/my_lib and
# spec/hardening, without the API-surface spec (it reads sig/ and lib/ of the
# checkout, with rbs and YARD), the Fiber scheduler spec (async) and the
# 10M-point cancellation spec (two minutes; the gate runs it).
RELEASE_PORTABLE_SPECS = lambda do |root|
  left_out = %w[spec/my_lib/api_surface_spec.rb spec/my_lib/fiber_scheduler_spec.rb
                spec/my_lib/points_cancellation_spec.rb]
  Dir.glob("spec/{my_lib,hardening}/**/*_spec.rb", base: root).sort - left_out
end

# The first RubyGems that tells -linux-gnu from -linux-musl.
RELEASE_RUBYGEMS_FOR_GNU = "3.3.22"

# A copy of spec/ (and the one tool a spec runs, tools/rss_leak_check.rb)
# without the checkout's lib/, in `dir`.
release_spec_copy = lambda do |dir|
  FileUtils.rm_rf(dir)
  FileUtils.mkdir_p(File.join(dir, "tools"))
  FileUtils.cp_r(File.join(release_root, "spec"), dir)
  FileUtils.cp(File.join(release_root, "tools/rss_leak_check.rb"), File.join(dir, "tools"))
  FileUtils.cp(File.join(release_root, ".rspec"), dir)
  FileUtils.rm_f(File.join(dir, "spec/examples.txt"))
  raise "release: #{dir} has a lib/" if File.exist?(File.join(dir, "lib"))
end

# Every file of this version in pkg/ that a release ships.
release_artifacts = lambda do
  Dir[File.join(release_root, "pkg", "my_lib-#{release_version}{.gem,-*.gem,-*-c.tar.gz}")].sort
end

namespace :release do
  desc "Run the portable RSpec subset on this Ruby against the installed my_lib gem (MY_LIB_INSTALLED_GEM=1; " \
       "never builds; outside Bundler)"
  task :installed_spec do
    copy = File.join(release_root, "tmp/release/installed_spec-#{RUBY_VERSION}")
    release_spec_copy.call(copy)
    env = { "MY_LIB_INSTALLED_GEM" => "1", "RUBYOPT" => nil, "RUBYLIB" => nil }
    command = [RbConfig.ruby, "-S", "rspec", *RELEASE_PORTABLE_SPECS.call(copy)]
    run = -> { sh env, *command, chdir: copy }
    defined?(Bundler) ? Bundler.with_unbundled_env(&run) : run.call
  end

  # The steps of verify_install, run with `line` (how a command runs on that Ruby).
  verify_steps = lambda do |line, visible, scratch, platform, ruby, portable, gem_home|
    sh(*line.call(["sh", "-c", "! command -v cargo >/dev/null || { echo 'cargo is on PATH' >&2; exit 1; }"], visible))
    # RubyGems older than 3.3.22 (Debian 12's 3.3.15, Ruby 3.1's) cannot
    # pick a -linux-gnu gem by name (it takes the source gem): there, as
    # PLATFORMS.md tells users, the gem file is installed.
    rubygems = IO.popen(line.call([*ruby.command, "-e", "print Gem::VERSION"], visible), &:read)
    by_name = Gem::Version.new(rubygems) >= Gem::Version.new(RELEASE_RUBYGEMS_FOR_GNU)
    file = File.join(visible, "repository/gems/my_lib-#{release_version}-#{platform}.gem")
    # By name, from the release's gem index as a remote source (`file://`),
    # as from rubygems.org: `--local` would not test the choice, since a
    # directory of gem files offers RubyGems one my_lib of a version,
    # whichever platform it reads first ("Could not find a valid gem" when
    # that is another architecture's). Run where no gem file lies, which
    # RubyGems would prefer to the source.
    install = if by_name
                ["--clear-sources", "--source", "file://#{visible}/repository/", "my_lib"]
              else
                ["--local", file]
              end
    puts "release: RubyGems #{rubygems}: gem install #{by_name ? 'my_lib by name from the index' : File.basename(file)}"
    prefix = PLATFORM_GEM_INSTALL_PREFIX.call { |args| line.call([*ruby.command, *args], visible) }
    sh(*line.call([*prefix, *ruby.command, "-S", "gem", "install", "--no-document", *install], visible))
    chosen = Dir[File.join(scratch, "gem home/specifications/my_lib-*.gemspec")].map { |f| File.basename(f, ".gemspec") }
    # The old RubyGems names an installed -gnu gem without the "-gnu".
    wanted = ["my_lib-#{release_version}-#{platform}", *("my_lib-#{release_version}-#{platform.delete_suffix('-gnu')}" unless by_name)]
    unless chosen.size == 1 && wanted.include?(chosen.first)
      abort "release: #{ruby.command.last} installed #{chosen.inspect}, not my_lib-#{release_version}-#{platform}"
    end
    if portable
      specs = RELEASE_PORTABLE_SPECS.call(File.join(scratch, "tests"))
      sh(*line.call([*ruby.command, "-S", "rspec", *specs], File.join(visible, "tests")))
    else
      sh(*line.call([*ruby.command, File.join(visible, "exercise.rb"), gem_home], visible))
    end
  end

  # Installs `my_lib` by name (by file on a RubyGems older than 3.3.22) with
  # `ruby` (a TargetRuby of platform.rake) into an empty GEM_HOME from a
  # copy of `repository` (every gem of the release, the source gem too, and
  # their index) with no cargo on PATH, checks that RubyGems chose
  # `platform`'s gem, and runs the portable subset
  # against it (`exercise.rb` instead where rspec is not installed: the
  # emulated arm64 Rubies).
  verify_install = lambda do |repository, platform, ruby, portable|
    chroot = ruby.root&.path
    scratch = Dir.mktmpdir("release-verify-", chroot && File.join(chroot, "tmp"))
    begin
      visible = chroot ? scratch.delete_prefix(chroot) : scratch
      FileUtils.cp_r(File.join(repository, "."), File.join(scratch, "repository"))
      FileUtils.cp(File.join(release_root, "tools/platform/exercise.rb"), scratch)
      release_spec_copy.call(File.join(scratch, "tests"))
      gem_home = File.join(visible, "gem home")
      path = chroot ? "/usr/bin:/bin" : ENV.fetch("PATH").split(":").reject { |d| File.executable?(File.join(d, "cargo")) }.join(":")
      path = "#{ruby.bin}:#{path}" if ruby.bin
      # GEM_HOME alone: GEM_PATH unset keeps the Ruby's own gem directories
      # (rspec) after it.
      env = { "GEM_HOME" => gem_home, "HOME" => visible, "LANG" => "C.UTF-8", "PATH" => path,
              "MY_LIB_INSTALLED_GEM" => "1" }
      line = lambda do |command, dir|
        inner = ["sh", "-c", "cd \"$0\" && exec \"$@\"", dir, *command]
        ruby.root ? ruby.root.command(inner, env: env) : ["env", "-i", *env.map { |k, v| "#{k}=#{v}" }, *inner]
      end
      binds = ->(&block) { ruby.root ? ruby.root.with_binds(["/proc", "/dev"], &block) : block.call }
      Bundler.with_unbundled_env { binds.call { verify_steps.call(line, visible, scratch, platform, ruby, portable, gem_home) } }
    ensure
      FileUtils.rm_rf(scratch)
    end
  end

  # Writes the gem index of `repository` (its gems in repository/gems/), as
  # rubygems.org serves one, with the RubyGems of Ruby 3.2.0 built here
  # (3.4.1): it knows -linux-gnu (3.3.22 and later; Debian 12's 3.3.15
  # records those gems as x86_64-linux, whose file a newer client then fails
  # to download) and still has the indexer (a gem of its own from 3.5).
  write_index = lambda do |repository|
    Rake::Task["platform:ruby32"].invoke
    index = 'require "rubygems/indexer"; Gem::Indexer.new(ARGV.fetch(0), build_modern: true).generate_index'
    Bundler.with_unbundled_env do
      sh({ "RUBYOPT" => nil, "RUBYLIB" => nil, "GEM_HOME" => nil, "GEM_PATH" => nil },
         *RUBY_PREFIXES.fetch("3.2").ruby, "-e", index, repository, out: File::NULL)
    end
  end

  desc "Check each gem of this version in pkg/ as it is (release:verify's per-gem part, without building): " \
       "contents, floor, install by name from pkg/index/ (all the gems, indexed), the portable specs against it " \
       "(exercise.rb on aarch64)"
  task :check_gems do
    artifacts = release_artifacts.call
    gems = artifacts.grep(/\.gem\z/)
    platform_gems = gems.reject { |gem| File.basename(gem) == "my_lib-#{release_version}.gem" }
    abort "release: no platform gem of #{release_version} in pkg/" if platform_gems.empty?
    puts "release: checking #{artifacts.map { |file| File.basename(file) }.join(', ')}"

    # Contents, and the floor of every shared object (glibc 2.17, or for a
    # -linux-musl gem musl's libc and loader only): the gems and tarballs.
    platform_gems.each do |gem|
      platform = Gem::Package.new(gem).spec.original_platform.to_s
      rubies = PLATFORM_RUBIES[platform]
      minors = rubies ? rubies.map(&:minor) : Gem::Package.new(gem).contents.grep(%r{\Alib/my_lib/(\d+\.\d+)/}) { $1 }
      PLATFORM_CHECK_GEM_CONTENTS.call(gem, platform, minors)
    end
    sh RbConfig.ruby, File.join(release_root, "tools/platform/check_glibc_floor.rb"), *platform_gems,
       *artifacts.grep(/\.tar\.gz\z/)

    # RubyGems' choice among all the gems, and the installed gem's tests, on
    # every Ruby of every -linux-gnu gem (the -linux-musl ones: musl:test),
    # from pkg/index/: the release's gems and their index, which the release
    # workflow's install jobs use too (workflows:install_gem).
    repository = File.join(release_root, "pkg/index")
    FileUtils.rm_rf(repository)
    FileUtils.mkdir_p(File.join(repository, "gems"))
    FileUtils.cp(gems, File.join(repository, "gems"))
    write_index.call(repository)
    # MY_LIB_RELEASE_PLATFORMS=x86_64-linux-gnu,... checks only those.
    only = ENV["MY_LIB_RELEASE_PLATFORMS"]&.split(",")
    PLATFORM_RUBIES.each do |platform, rubies|
      next if only && !only.include?(platform)

      abort "release: no #{platform} gem in pkg/" unless gems.any? { |gem| gem.end_with?("-#{platform}.gem") }
      rubies.each do |carried|
        Rake::Task[carried.provider].invoke if carried.provider
        portable = carried.ruby.command.first != "qemu-aarch64"
        puts "release: #{platform}, Ruby #{carried.minor}: install from the index of all the gems, " \
             "#{portable ? 'the portable specs' : 'exercise.rb'}"
        verify_install.call(repository, platform, carried.ruby, portable)
      end
    end
  end

  musl_tasks = %w[musl:gems musl:test].select { |name| Rake::Task.task_defined?(name) }

  # The variables that narrow the checks to some platforms or Rubies (quicker
  # runs by hand) would let release:verify pass, and write SHA256SUMS for,
  # gems that were not all built or checked: it refuses them before any
  # build.
  task :whole_matrix do
    narrowing = %w[MY_LIB_MUSL_RUBIES MY_LIB_RELEASE_PLATFORMS].select { |name| ENV.key?(name) }
    abort "release: #{narrowing.join(' and ')} set, which narrows the matrix; unset for release:verify" unless narrowing.empty?
  end

  desc "Build every gem and C tarball into pkg/ and verify each as users get it, on every Ruby, libc and " \
       "architecture here; write pkg/SHA256SUMS (not part of rake ci)"
  task verify: ["release:whole_matrix", "build", "platform:gems", *musl_tasks.grep(/gems/), "c_library:all"] do
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    warn "release: musl:gems and musl:test are not defined here; the -linux-musl gems are not verified" if musl_tasks.empty?
    Rake::Task["release:check_gems"].invoke
    %w[platform:test workflows:check platform:spec_ruby32 platform:spec_ruby33 platform:spec_ruby34
       platform:spec_ruby40 rails:load_sid].each { |name| Rake::Task[name].invoke }
    musl_tasks.grep(/test/).each { |name| Rake::Task[name].invoke }

    sums = release_artifacts.call.map { |file| "#{Digest::SHA256.file(file).hexdigest}  #{File.basename(file)}\n" }
    File.write(File.join(release_root, "pkg/SHA256SUMS"), sums.join)
    puts "release: pkg/SHA256SUMS (#{sums.size} files); verified in " \
         "#{((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) / 60).round(1)} min after the builds"
  end
end
