# frozen_string_literal: true

# Precompiled platform gems, built with RbSys::ExtensionTask's
# cross-compilation (rake-compiler's `native:<platform>`, as rb-sys-dock
# drives it), and load-tested on the architecture and Ruby they are for:
#
#   pkg/my_lib-<version>-x86_64-linux-gnu.gem   lib/my_lib/{3.1,3.2,3.3,3.4,4.0}/my_lib.so
#   pkg/my_lib-<version>-aarch64-linux-gnu.gem  lib/my_lib/{3.1,3.2,3.3,3.4,4.0}/my_lib.so
#
# Named -linux-gnu, never plain -linux, as rake-compiler-dock advises: a
# plain -linux gem beside a -linux-musl one installs on musl and fails there.
#
# The Rubies (docs/PLATFORMS.md): the host's 3.1 (x86_64); 3.3 and 3.4 from
# Debian trixie roots (Ruby 3.4 from experimental), made by mmdebstrap and
# cached in MY_LIB_PLATFORM_CACHE (default /var/cache/my_lib) by
# support/roots.rb; Debian bookworm's arm64 3.1 (libruby3.1:arm64 and
# ruby3.1-dev:arm64 for the build, the extracted ruby3.1:arm64 binary run by
# qemu-aarch64 for the tests); 3.2 and 4.0 built from source
# (MyLibRoots::RubyPrefix, tools/platform/build_ruby.sh), for aarch64 by
# cross-compilation, as rake-compiler's cross-ruby does. bin/setup installs
# what they need.
#
#   rake platform:gems          both platform gems, into pkg/
#   rake platform:test          build, check the layout, install each gem into an
#                               empty GEM_HOME with no cargo on PATH and call every
#                               class, on every Ruby it is for
#   rake platform:gate          the gate's (rake ci's) share: the x86_64-linux-gnu
#                               gem for Ruby 3.1 and 3.3 only, into
#                               tmp/platform/gate/, checked the same way
#   rake platform:spec_ruby32   the whole RSpec suite on Ruby 3.2 (built from source)
#   rake platform:spec_ruby33   the whole RSpec suite on Ruby 3.3, in the amd64 trixie root
#   rake platform:spec_ruby34   the same on Ruby 3.4
#   rake platform:spec_ruby40   the whole RSpec suite on Ruby 4.0 (built from source)
#   rake platform:all           all of the above but the gate (rake release:verify runs it)

require "fileutils"
require "open3"
require "rbconfig"
require "rb_sys"
require "rubygems/package"
require "shellwords"
require "tmpdir"
require "yaml"
require_relative "../tools/glibc_floor"
require_relative "support/roots"

platform_root = File.expand_path("..", __dir__)
arm64_ruby_dir = File.join(MyLibRoots::CACHE, "bookworm-arm64-ruby3.1")
# The trixie roots, as mmdebstrap makes them (see support/roots.rb), each
# with both Rubies: trixie's default Ruby 3.3 and Ruby 3.4 from experimental,
# co-installed (one root: half the provisioning time and disk of two).
# Sources: trixie is the default release, so nothing comes from sid or
# experimental unless asked by release. sid's and experimental's Release
# files may be older than their Valid-Until on a mirror that lags.
trixie_sources = ["deb http://deb.debian.org/debian trixie main",
                  "deb [check-valid-until=no] http://deb.debian.org/debian sid main",
                  "deb [check-valid-until=no] http://deb.debian.org/debian experimental main"]
ruby34_packages = "ruby3.4/experimental,ruby3.4-dev/experimental,libruby3.4/experimental"
# amd64: the Rubies and, for the RSpec suite, the gems and tools of bin/setup
# (cargo comes from the host, bind-mounted). From sid: the rb_sys gem, as on
# the host (trixie's is 0.9.87), and async with io-event for the Fiber
# scheduler specs; sid's io-event is built against sid's libruby3.3, so Ruby
# 3.3 comes from sid too. Debian builds C extensions for 3.3 only:
# tools/platform/rebuild_c_gems.rb builds ffi (spec/c_abi) for 3.4 from its
# Debian sources (hence the deb-src lines, libffi-dev and xz-utils), and installs
# io-event for 3.4 without its extension (pure-Ruby selectors: its sources
# are not reachable here). narray stays 3.3-only: only the benchmarks load it.
trixie_amd64 = MyLibRoots::Root.new(
  "trixie-amd64-ruby3.4",
  suite: "trixie",
  options: ["--variant=minbase", "--aptopt=APT::Default-Release \"trixie\"",
            "--include=ruby3.3/sid,ruby3.3-dev/sid,libruby3.3/sid,ruby,ruby-dev,bundler,rake,rake-compiler," \
            "ruby-rspec,ruby-ffi,ruby-narray,ruby-rb-sys/sid,ruby-async/sid,ruby-io-event/sid,yard,gcc,libc6-dev," \
            "libclang-dev,make,git,binutils,#{ruby34_packages},libffi-dev,pkgconf,xz-utils"],
  sources: [*trixie_sources, "deb-src http://deb.debian.org/debian trixie main",
            "deb-src [check-valid-until=no] http://deb.debian.org/debian sid main"],
  scripts: [{ path: "tools/platform/rebuild_c_gems.rb", run: ["ruby3.4"],
              args: ["--build", "ruby-ffi", "--without-extension", "ruby-io-event"] }],
  check: ["sh", "-c", %w[3.3 3.4].map { |minor| "ruby#{minor} -e 'require \"ffi\"; require \"async\"'" }.join(" && ")]
)
# arm64: the Rubies unpacked only (--variant=extract): their maintainer
# scripts cannot run here, as no binfmt_misc handler runs arm64 programs;
# qemu-aarch64 -L runs their binaries directly.
trixie_arm64_ruby = ->(root, minor) { ["qemu-aarch64", "-L", root, File.join(root, "usr/bin/ruby#{minor}")] }
trixie_arm64 = MyLibRoots::Root.new(
  "trixie-arm64-ruby3.4",
  suite: "trixie",
  options: ["--variant=extract", "--architectures=arm64", "--aptopt=APT::Default-Release \"trixie\"",
            "--include=ruby3.3,ruby3.3-dev,#{ruby34_packages}"],
  sources: trixie_sources,
  chroot: false,
  check: lambda do |root|
    runs = %w[3.3 3.4].map { |minor| "#{trixie_arm64_ruby.call(root, minor).join(' ')} --disable-gems -e 'exit 0'" }
    ["sh", "-c", runs.join(" && ")]
  end
)
# Rubies built from source (support/roots.rb's RubyPrefix): 3.2 and 4.0,
# which Debian does not package, from the tarballs of MY_LIB_RUBY_SOURCES.
# The x86_64 ones get the gems the RSpec suite needs, made from Debian's
# packages by tools/platform/pack_gems.rb; the aarch64 ones, cross-built with
# the x86_64 one of the same version as their baseruby, only run the
# platform gems' test under qemu.
suite_gems = [*%w[rake rake-compiler rake-compiler-dock rb_sys rspec rspec-core rspec-expectations rspec-mocks
                  rspec-support diff-lcs yard webrick].map { |gem| ["debian", gem] },
              %w[source ruby-ffi], %w[ruby-gem rbs]]
# Ruby 4.0 no longer has ostruct, logger, irb, reline and rdoc as default
# gems (bundled gems, which a source build without gems/bundled_gems lacks):
# the host's 3.1 default gems. And async (the Fiber scheduler specs, 3.4+)
# from sid, io-event without its extension.
ruby40_gems = [*suite_gems, *%w[ostruct logger irb reline rdoc].map { |gem| ["debian", gem] },
               *%w[ruby-fiber-annotation ruby-fiber-storage ruby-fiber-local ruby-console ruby-traces ruby-metrics
                   ruby-io-event ruby-async].map { |package| ["sid", package] }]
ruby_sources = MyLibRubySources::BY_MINOR
RUBY_PREFIXES = {
  "3.2" => MyLibRoots::RubyPrefix.new("ruby-3.2-amd64", tarball: ruby_sources["3.2"], gems: suite_gems),
  "4.0" => MyLibRoots::RubyPrefix.new("ruby-4.0-amd64", tarball: ruby_sources["4.0"], gems: ruby40_gems)
}.freeze
ARM64_RUBY_PREFIXES = ruby_sources.to_h do |minor, tarball|
  [minor, MyLibRoots::RubyPrefix.new("ruby-#{minor}-arm64", tarball: tarball, host: "aarch64-linux-gnu",
                                                          baseruby: RUBY_PREFIXES.fetch(minor),
                                                          patches: MyLibRubySources::CROSS_PATCHES.fetch(minor, []))]
end.freeze
# A Ruby to test with: the command that runs it, the root it runs in (nil:
# on the host), and a directory to put first on PATH (its gem, bundle...).
TargetRuby = Struct.new(:command, :root, :bin)
arm64_ruby31 = TargetRuby.new(["qemu-aarch64", "-L", "/", File.join(arm64_ruby_dir, "usr/bin/ruby3.1")], nil)
# What a platform gem carries for one Ruby: its API version, the target
# Ruby's rbconfig.rb and mkmf.rb (lambdas: a prefix's are there only once it
# is built), the root its rbconfig's paths are under, the Ruby to test with,
# and the task that provides it.
CarriedRuby = Struct.new(:minor, :rbconfig, :mkmf, :root, :ruby, :provider)
debian_ruby = lambda do |minor, triple, root, ruby, provider|
  CarriedRuby.new(minor, -> { File.join(root, "usr/lib/#{triple}/ruby/#{minor}.0/rbconfig.rb") },
                  -> { File.join(root, "usr/lib/ruby/#{minor}.0/mkmf.rb") }, root, ruby, provider)
end
prefix_ruby = lambda do |minor, prefix, provider|
  lib = File.join(prefix.path, "lib/ruby/#{minor}.0")
  ruby = TargetRuby.new(prefix.ruby, nil, File.join(prefix.path, "bin"))
  CarriedRuby.new(minor, -> { Dir[File.join(lib, "*-linux/rbconfig.rb")].fetch(0) }, -> { File.join(lib, "mkmf.rb") },
                  "/", ruby, provider)
end
# Each platform gem and the Rubies it carries, in order.
platform_gems = {
  "x86_64-linux-gnu" => [
    debian_ruby.call("3.1", "x86_64-linux-gnu", "/", TargetRuby.new([RbConfig.ruby], nil), nil),
    prefix_ruby.call("3.2", RUBY_PREFIXES["3.2"], "platform:ruby32"),
    *%w[3.3 3.4].map do |minor|
      debian_ruby.call(minor, "x86_64-linux-gnu", trixie_amd64.path, TargetRuby.new(["ruby#{minor}"], trixie_amd64),
                       "platform:trixie_amd64_root")
    end,
    prefix_ruby.call("4.0", RUBY_PREFIXES["4.0"], "platform:ruby40")
  ],
  "aarch64-linux-gnu" => [
    debian_ruby.call("3.1", "aarch64-linux-gnu", "/", arm64_ruby31, "platform:arm64_ruby"),
    prefix_ruby.call("3.2", ARM64_RUBY_PREFIXES["3.2"], "platform:arm64_ruby32"),
    *%w[3.3 3.4].map do |minor|
      debian_ruby.call(minor, "aarch64-linux-gnu", trixie_arm64.path,
                       TargetRuby.new(trixie_arm64_ruby.call(trixie_arm64.path, minor), nil), "platform:trixie_arm64_root")
    end,
    prefix_ruby.call("4.0", ARM64_RUBY_PREFIXES["4.0"], "platform:arm64_ruby40")
  ]
}
PLATFORM_RUBIES = platform_gems.freeze # for release.rake
# The gate's gem (rake ci): x86_64-linux-gnu for the host's Ruby 3.1 and the
# trixie root's 3.3, the two the gate has anyway. Two, not one: rake-compiler
# lays out a gem for a single Ruby differently (lib/my_lib/my_lib.so), and
# the gate is to test the layout we ship (lib/my_lib/<minor>/my_lib.so).
gate_platform = "x86_64-linux-gnu"
gate_rubies = platform_gems.fetch(gate_platform).select { |carried| %w[3.1 3.3].include?(carried.minor) }
# The command line that runs `command` with exactly `env` (PATH included) on
# `ruby`: in its root, or on the host.
in_ruby_root = lambda do |ruby, env, command|
  ruby.root ? ruby.root.command(command, env: env) : ["env", "-i", *env.map { |k, v| "#{k}=#{v}" }, *command]
end
# rake-compiler reads its cross Rubies from ~/.rake-compiler/config.yml: the
# gem builds run with HOME here, so the user's own config is never touched.
cross_home = File.join(platform_root, "tmp/platform/home")
version = GEMSPEC.version.to_s
gem_file = ->(platform) { File.join(platform_root, "pkg/my_lib-#{version}-#{platform}.gem") }
# rake-compiler builds each -gnu gem under rb-sys's name for the platform,
# x86_64-linux: x86_64-linux-gnu is Debian's own RUBY_PLATFORM, for which
# rake-compiler would add the host's `rake compile` build
# (lib/my_lib/my_lib.so) to the gem. The gem is then re-packed as -gnu.
build_platform = ->(platform) { platform.delete_suffix("-gnu") }
# "3.1, 3.3 and 3.4"
in_words = ->(items) { items.size > 1 ? "#{items[0..-2].join(', ')} and #{items.last}" : items.join }
cargo_home = ENV.fetch("CARGO_HOME", File.join(Dir.home, ".cargo"))
rustup_home = ENV.fetch("RUSTUP_HOME", File.join(Dir.home, ".rustup"))

arm64_libruby_version = lambda do
  output, status = Open3.capture2("dpkg-query", "-W", "-f=${Version}", "libruby3.1:arm64")
  status.success? ? output : abort("platform: libruby3.1:arm64 is not installed; run bin/setup")
end

namespace :platform do
  MyLibRoots.define_task(:trixie_amd64_root, trixie_amd64)
  MyLibRoots.define_task(:trixie_arm64_root, trixie_arm64)

  desc "Extract Debian's arm64 ruby3.1 binary (the version of libruby3.1:arm64) into MY_LIB_PLATFORM_CACHE"
  task :arm64_ruby do
    wanted = arm64_libruby_version.call
    stamp = File.join(arm64_ruby_dir, "version")
    next if File.exist?(stamp) && File.read(stamp) == wanted && File.executable?(arm64_ruby31.command.last)

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

  # The Rubies built from source, each a task that builds it (once; see
  # support/roots.rb) or checks it.
  RUBY_PREFIXES.each { |minor, prefix| MyLibRoots.define_task("ruby#{minor.delete('.')}", prefix) }
  ARM64_RUBY_PREFIXES.each { |minor, prefix| MyLibRoots.define_task("arm64_ruby#{minor.delete('.')}", prefix) }

  # rake-compiler's cross Rubies: each target's rbconfig.rb, marked as a
  # cross build (so rb-sys reads the target's RbConfig from the environment,
  # not from the host's ruby) with its paths under its root, and mkmf.rb
  # beside it, as rake-compiler expects. Files are rewritten only when they
  # change, so that rake-compiler's file tasks stay fresh. config.yml lists
  # the Rubies of `platform` given, the ones the next build is for.
  cross_config = lambda do |platform, rubies|
    config = {}
    rubies.each do |carried|
      minor = carried.minor
      source = File.read(carried.rbconfig.call)
      arch_dir = File.join(cross_home, "rubies", "#{platform}-#{minor}", "lib/ruby", "#{minor}.0")
      destdir = carried.root == "/" ? "" : carried.root
      cross_rbconfig = source.sub("DESTDIR = '' unless defined? DESTDIR", "DESTDIR = #{destdir.dump}")
                             .sub('CONFIG["CROSS_COMPILING"] = "no"', 'CONFIG["CROSS_COMPILING"] = "yes"')
      files = {
        File.join(arch_dir, RbConfig::CONFIG["arch"], "rbconfig.rb") => cross_rbconfig,
        File.join(arch_dir, "mkmf.rb") => File.read(carried.mkmf.call)
      }
      files.each do |path, content|
        next if File.exist?(path) && File.read(path) == content

        FileUtils.mkdir_p(File.dirname(path))
        File.write(path, content)
      end
      # rake-compiler names a version x.y.0, as rake-compiler-dock does: the
      # host's own 3.1.2 would share its tmp/ directory with `rake compile`.
      config["rbconfig-#{build_platform.call(platform)}-#{minor}.0"] = files.keys.first
    end
    config_path = File.join(cross_home, ".rake-compiler/config.yml")
    FileUtils.mkdir_p(File.dirname(config_path))
    File.write(config_path, config.to_yaml) unless File.exist?(config_path) && YAML.load_file(config_path) == config
  end

  # A directory with only the amd64 trixie root's clang's stdckdint.h.
  c23_headers = lambda do
    dir = File.join(platform_root, "tmp/platform/c23-include")
    header = Dir[File.join(trixie_amd64.path, "usr/lib/llvm-*/lib/clang/*/include/stdckdint.h")].max
    abort "platform: no clang stdckdint.h in #{trixie_amd64.path}" unless header
    copy = File.join(dir, "stdckdint.h")
    FileUtils.mkdir_p(dir)
    # Only when it changed: a new mtime would make cargo rerun rb-sys's bindgen.
    FileUtils.cp(header, copy) unless File.exist?(copy) && FileUtils.compare_file(header, copy)
    dir
  end

  # Builds the `platform` gem carrying `rubies` (CarriedRuby) into `output`.
  build_gem = lambda do |platform, rubies, output|
    cross_config.call(platform, rubies)
    rust_target = RbSys::ToolchainInfo.new(platform).rust_target
    env = {
      "HOME" => cross_home, "CARGO_HOME" => cargo_home, "RUSTUP_HOME" => rustup_home,
      # rb-sys-dock's settings: the platform and the Rubies to build for.
      "RUBY_TARGET" => build_platform.call(platform),
      "RUBY_CC_VERSION" => rubies.map { |carried| "#{carried.minor}.0" }.join(":"),
      "CARGO_BUILD_TARGET" => rust_target,
      "RB_SYS_CARGO_PROFILE" => "release", "RB_SYS_CARGO_TARGET_DIR" => nil, "RB_SYS_CARGO_MANIFEST_DIR" => nil,
      # Ruby 3.4's headers include C23's <stdckdint.h> when its build had
      # one (trixie's do), which Debian 12's clang 14 lacks: bindgen gets
      # the trixie root's clang's, alone in a directory of its own.
      "BINDGEN_EXTRA_CLANG_ARGS" => "-isystem #{c23_headers.call}"
    }.merge(GlibcFloor.cargo_env(rust_target)) # linked against glibc 2.17 (tools/glibc_floor.rb)
    # The gem and rake-compiler's package directory: a stale directory
    # (say, from before a Ruby was added) would be packaged as it is.
    built = gem_file.call(build_platform.call(platform))
    FileUtils.rm_rf([output, built, built.delete_suffix(".gem")])
    # Outside Bundler: extconf.rb runs under the target's RUBY_PLATFORM, for
    # which Bundler would look for platform gems (ffi) that are not there.
    Bundler.with_unbundled_env do
      # `cross` first: it points lib/my_lib/my_lib.so at the cross build's
      # staging copy, not at `rake compile` (the host's own extension).
      sh env, RbConfig.ruby, "-S", "rake", "cross", "native:#{build_platform.call(platform)}", "gem",
         chdir: platform_root
    end
    # Re-packed as -gnu by the trixie root's RubyGems: Debian 12's (3.3.15)
    # reads x86_64-linux-gnu as x86_64-linux and cannot write the name.
    Dir.mktmpdir("platform-repack-", File.join(trixie_amd64.path, "tmp")) do |scratch|
      FileUtils.cp([built, File.join(platform_root, "tools/platform/repack_gem.rb")], scratch)
      inside = scratch.delete_prefix(trixie_amd64.path)
      name = File.basename(gem_file.call(platform))
      trixie_amd64.run(["ruby3.3", File.join(inside, "repack_gem.rb"), File.join(inside, File.basename(built)),
                        platform, File.join(inside, name)])
      FileUtils.mkdir_p(File.dirname(output))
      FileUtils.cp(File.join(scratch, name), output)
    end
    FileUtils.rm_rf([built, built.delete_suffix(".gem")])
  end

  platform_gems.each do |platform, rubies|
    desc "Build #{File.basename(gem_file.call(platform))} (Ruby #{in_words.call(rubies.map(&:minor))}) by cross-compilation"
    task "gem:#{platform}" => [:trixie_amd64_root, *rubies.map(&:provider).compact.uniq] do
      build_gem.call(platform, rubies, gem_file.call(platform))
    end
  end

  desc "Build the #{platform_gems.keys.join(' and ')} platform gems into pkg/"
  task gems: platform_gems.keys.map { |platform| "gem:#{platform}" }

  # The archive itself: one extension per Ruby at lib/my_lib/<minor>/, no
  # sources, no build dependency, and a Ruby requirement that admits exactly
  # the Rubies it carries.
  check_gem_contents = lambda do |gem, platform, minors|
    package = Gem::Package.new(gem)
    spec = package.spec
    files = package.contents
    problems = []
    # As written in the gem: the host's RubyGems would read -linux-gnu as -linux.
    problems << "platform #{spec.original_platform}" unless spec.original_platform.to_s == platform
    extensions = files.grep(/\.so\z/).sort
    wanted = minors.map { |minor| "lib/my_lib/#{minor}/my_lib.so" }.sort
    problems << "extensions #{extensions}, not #{wanted}" unless extensions == wanted
    sources = files.grep(%r{\Aext/|\.rs\z|(\A|/)Cargo\.(toml|lock)\z|extconf\.rb\z})
    problems << "build files #{sources}" unless sources.empty?
    problems << "no lib/my_lib.rb" unless files.include?("lib/my_lib.rb")
    problems << "no THIRD_PARTY_LICENSES.md" unless files.include?("THIRD_PARTY_LICENSES.md")
    problems << "dependencies #{spec.dependencies.map(&:to_s)}" unless spec.dependencies.empty?
    problems << "extensions to build #{spec.extensions}" unless spec.extensions.empty?
    requirement = spec.required_ruby_version
    wanted_requirement = Gem::Requirement.new(">= #{minors.min}", "< #{minors.max.succ}.dev")
    problems << "required_ruby_version #{requirement}, not #{wanted_requirement}" unless requirement == wanted_requirement
    abort "platform: #{File.basename(gem)}: #{problems.join('; ')}" unless problems.empty?
    puts "platform: #{File.basename(gem)}: #{wanted.join(', ')}; requires ruby #{requirement}; no sources, no dependencies"
  end
  PLATFORM_CHECK_GEM_CONTENTS = check_gem_contents

  # PATH without any directory that has a cargo in it.
  path_without_cargo = lambda do
    ENV.fetch("PATH").split(File::PATH_SEPARATOR)
       .reject { |dir| File.executable?(File.join(dir, "cargo")) }.join(File::PATH_SEPARATOR)
  end

  # The words that start `gem install` on a Ruby: none, or for a Ruby built
  # without the openssl extension (the aarch64 Rubies cross-built here, as
  # there is no libssl-dev:arm64), whose RubyGems 4.0 computes a gem's
  # checksums with OpenSSL::Digest and installs nothing without it,
  # tools/rubygems_openssl (that class alone, on Ruby's digest extension: the
  # checksums are still verified) on RUBYLIB. The block gives the command
  # line that runs that Ruby with the arguments it is given.
  PLATFORM_GEM_INSTALL_PREFIX = lambda do |&ruby_line|
    next [] if system(*ruby_line.call(["-e", "require 'openssl'"]), err: File::NULL)

    ["env", "RUBYLIB=#{File.join(platform_root, 'tools/rubygems_openssl')}"]
  end

  # Installs the gem file `gem` into an empty GEM_HOME with the Ruby `ruby`
  # (a TargetRuby), with no cargo on PATH, and runs tools/platform/exercise.rb
  # with it.
  install_and_exercise = lambda do |gem, ruby|
    chroot = ruby.root&.path
    scratch = Dir.mktmpdir("platform-gem-test-", chroot && File.join(chroot, "tmp"))
    begin
      FileUtils.cp([gem, File.join(platform_root, "tools/platform/exercise.rb")], scratch)
      visible = chroot ? scratch.delete_prefix(chroot) : scratch
      gem_home = File.join(visible, "gem home")
      path = chroot ? "/usr/bin:/bin" : path_without_cargo.call
      path = "#{ruby.bin}:#{path}" if ruby.bin
      env = { "GEM_HOME" => gem_home, "GEM_PATH" => gem_home, "HOME" => visible, "LANG" => "C.UTF-8", "PATH" => path }
      Bundler.with_unbundled_env do
        sh(*in_ruby_root.call(ruby, env, ["sh", "-c", "! command -v cargo >/dev/null || { echo 'cargo is on PATH' >&2; exit 1; }"]))
        prefix = PLATFORM_GEM_INSTALL_PREFIX.call { |args| in_ruby_root.call(ruby, env, [*ruby.command, *args]) }
        sh(*in_ruby_root.call(ruby, env, [*prefix, *ruby.command, "-S", "gem", "install", "--local", "--no-document",
                                          File.join(visible, File.basename(gem))]))
        sh(*in_ruby_root.call(ruby, env, [*ruby.command, File.join(visible, "exercise.rb"), gem_home]))
      end
    ensure
      FileUtils.rm_rf(scratch)
    end
  end

  namespace :test do
    platform_gems.each do |platform, rubies|
      desc "Check the #{platform} gem, install it without cargo and call every class, " \
           "on Ruby #{in_words.call(rubies.map(&:minor))}"
      task platform => "gem:#{platform}" do
        check_gem_contents.call(gem_file.call(platform), platform, rubies.map(&:minor))
        rubies.each { |carried| install_and_exercise.call(gem_file.call(platform), carried.ruby) }
      end
    end
  end

  desc "Build, check, install and exercise every platform gem on every Ruby it is for"
  task test: platform_gems.keys.map { |platform| "test:#{platform}" }

  gate_gem = File.join(platform_root, "tmp/platform/gate", File.basename(gem_file.call(gate_platform)))
  desc "The gate's platform check: the #{gate_platform} gem for Ruby #{in_words.call(gate_rubies.map(&:minor))} only " \
       "(into tmp/platform/gate/), its contents, glibc floor, install without cargo and every class called"
  task gate: :trixie_amd64_root do
    build_gem.call(gate_platform, gate_rubies, gate_gem)
    check_gem_contents.call(gate_gem, gate_platform, gate_rubies.map(&:minor))
    sh RbConfig.ruby, File.join(platform_root, "tools/platform/check_glibc_floor.rb"), gate_gem
    gate_rubies.each { |carried| install_and_exercise.call(gate_gem, carried.ruby) }
  end

  # The whole RSpec suite on each Ruby of the amd64 trixie root, in a copy of
  # this checkout (tracked and new, unignored files, with their mtimes,
  # committed to a fresh git repository as the specs expect) in the root.
  # `ruby` there is the Ruby under test (a directory of links first on PATH),
  # and Bundler, rake and rspec run on it (not on /usr/bin/ruby, 3.3, which
  # the shebangs of Debian's scripts name). Its target/ is a link to a
  # directory the root keeps, one per Ruby, so cargo's builds survive from
  # one run to the next.
  # Whether the Gemfile leaves out the benchmarks' NArray, which has no
  # extension for 3.4 in Debian.
  { "3.3" => false, "3.4" => true }.each do |minor, without_benchmarks|
    desc "Run the whole RSpec suite on Ruby #{minor} in a copy of the checkout in the trixie root (cargo from the host)"
    task "spec_ruby#{minor.delete('.')}" => :trixie_amd64_root do
      build_dir = "/var/cache/my_lib-build"
      ruby_bin = File.join(build_dir, "ruby#{minor}-bin")
      FileUtils.mkdir_p(File.join(trixie_amd64.path, ruby_bin))
      %w[ruby gem].each do |program|
        link = File.join(trixie_amd64.path, ruby_bin, program)
        FileUtils.ln_sf("/usr/bin/#{program}#{minor}", link)
      end
      trixie_amd64.with_checkout(File.join(build_dir, "src"), target: File.join(build_dir, "target-#{minor}")) do |checkout|
        env = { "PATH" => "#{ruby_bin}:#{cargo_home}/bin:/usr/bin:/bin", "HOME" => Dir.home, "CARGO_HOME" => cargo_home,
                "RUSTUP_HOME" => rustup_home, "LANG" => "C.UTF-8", "CARGO_NET_OFFLINE" => "true",
                "BUNDLE_SILENCE_ROOT_WARNING" => "1" }
        env["MY_LIB_WITHOUT_BENCHMARKS"] = "1" if without_benchmarks
        env["SPEC_OPTS"] = ENV["SPEC_OPTS"] if ENV["SPEC_OPTS"] # e.g. --profile, or one file
        # `ruby -S rake`: Debian's /usr/bin/rake would run on /usr/bin/ruby (3.3).
        command = "cd #{checkout} && ruby -v && ruby -S bundle install --local --quiet && " \
                  "ruby -S bundle exec ruby -S rake spec"
        trixie_amd64.run(["sh", "-c", command], env: env, binds: ["/proc", "/dev", cargo_home, rustup_home])
      end
    end
  end

  # The RSpec suite on each Ruby built from source, on the host, in a copy
  # of this checkout (Root#with_checkout's copy, made by a cache-less
  # helper root) under tmp/platform/, with its own target directory. The
  # Ruby's own bin/ first on PATH, its GEM_HOME only (the gems of
  # pack_gems.rb), Bundler resolving the Gemfile locally against them: the
  # whole suite on both (SPEC_OPTS may narrow it).
  { "3.2" => nil, "4.0" => nil }.each do |minor, pattern|
    prefix = RUBY_PREFIXES.fetch(minor)
    what = pattern ? pattern.split.join(" and ") : "the whole RSpec suite"
    desc "Run #{what} on Ruby #{minor} (built from source, its own GEM_HOME) in a copy of the checkout"
    task "spec_ruby#{minor.delete('.')}" => "ruby#{minor.delete('.')}" do
      work = File.join(platform_root, "tmp/platform/ruby#{minor}")
      copy = MyLibRoots::Root.new("checkout", suite: "none", check: ["true"], cache: work)
      FileUtils.mkdir_p([copy.path, File.join(work, "target")])
      # target/ links to the absolute host path (a chroot root would see it
      # under its own path).
      copy.with_checkout("src", target: File.join(work, "target")) do |inside|
        checkout = File.join(copy.path, inside)
        env = prefix.env.merge("PATH" => "#{File.join(prefix.path, 'bin')}:#{cargo_home}/bin:/usr/bin:/bin",
                               "CARGO_HOME" => cargo_home, "RUSTUP_HOME" => rustup_home,
                               "CARGO_NET_OFFLINE" => "true", "MY_LIB_WITHOUT_BENCHMARKS" => "1",
                               "BUNDLE_SILENCE_ROOT_WARNING" => "1")
        env["SPEC_OPTS"] = ENV["SPEC_OPTS"] if ENV["SPEC_OPTS"]
        spec = pattern ? "SPEC=#{Shellwords.escape(pattern.split.map { |dir| "#{dir}/**/*_spec.rb" }.join(','))}" : ""
        command = "ruby -v && ruby -S bundle install --local --quiet && ruby -S bundle exec ruby -S rake spec #{spec}"
        sh env, "sh", "-c", command, chdir: checkout, unsetenv_others: true
      end
    end
  end

  desc "Every platform check: the workflow checks, the platform gems on every Ruby, the RSpec suite on Ruby 3.2, 3.3, 3.4 and 4.0"
  task all: ["workflows:check", *%i[test spec_ruby32 spec_ruby33 spec_ruby34 spec_ruby40]]
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
