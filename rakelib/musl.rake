# frozen_string_literal: true

# Precompiled gems for musl Linux (Alpine and the like), built by
# rake-compiler's cross-compilation from the rbconfig.rb of musl Rubies built
# here, and tested on those Rubies:
#
#   pkg/my_lib-<version>-x86_64-linux-musl.gem    lib/my_lib/{3.1,3.2,3.3,3.4,4.0}/my_lib.so
#   pkg/my_lib-<version>-aarch64-linux-musl.gem   lib/my_lib/{3.1,3.2,3.3,3.4,4.0}/my_lib.so
#
# Named -linux-musl: RubyGems picks it on a musl Ruby, and never a -gnu or
# plain -linux gem there. The aarch64 Rubies are cross-built (on the x86_64
# ones) and run under qemu-aarch64 (tools/musl/rubies.rb).
#
#   rake musl:ruby    build (or check) the musl Rubies, cached in MY_LIB_PLATFORM_CACHE
#                     (tools/musl/build_ruby.sh; 5 to 15 minutes each the first time);
#                     musl:ruby33 and the like build (or check) one (x86_64),
#                     musl:ruby33_aarch64 and the like one for aarch64 (and its baseruby)
#   rake musl:gems    the musl gem(s), into pkg/
#   rake musl:audit   each gem's layout, and each .so: needs only musl's libc (no
#                     libgcc_s), no RUNPATH, no glibc symbol version, no
#                     initial-exec TLS (tools/musl/toolchain.rb's ElfAudit)
#   rake musl:test    install each gem with `gem install --local` on each musl Ruby
#                     it is for, call every class (tools/platform/exercise.rb),
#                     then run spec/my_lib there (x86_64; under qemu, aarch64 runs
#                     exercise.rb only, as platform:test does for aarch64-linux-gnu:
#                     the specs' child processes would run without qemu)
#   rake musl:per_call  per-call figures on each x86_64 musl Ruby beside the host's
#                     glibc Ruby (tools/musl/per_call.rb; prints, asserts nothing;
#                     qemu's figures would measure qemu)
#
# Not part of `rake ci` (the Rubies take too long to build): release:verify
# runs musl:audit and musl:test. The cheap check of the gate is
# spec/gem/musl_tls_spec.rb. bin/setup's musl group installs what these need.

require "fileutils"
require "open3"
require "rbconfig"
require "rubygems/package"
require "tmpdir"
require "yaml"
require_relative "../tools/musl/rubies"
require_relative "../tools/musl/toolchain"

musl_root = File.expand_path("..", __dir__)
musl_version = GEMSPEC.version.to_s
# Each musl gem and the Rubies it carries (tools/musl/rubies.rb): each pair
# is tested here by musl:test, or it is not shipped (docs/PLATFORMS.md, ¹).
# MY_LIB_MUSL_RUBIES=3.3,3.4 narrows every musl task to those Rubies: a
# quicker check of those pairs (the gem it builds carries only them). Two at
# least: rake-compiler lays out a gem for a lone Ruby differently
# (lib/my_lib/my_lib.so), which is not the layout shipped.
musl_only = ENV["MY_LIB_MUSL_RUBIES"]&.split(",")
musl_all_gems = {
  "x86_64-linux-musl" => MyLibMusl::X86_64,
  "aarch64-linux-musl" => MyLibMusl::AARCH64
}.freeze
musl_gems = musl_all_gems.transform_values do |rubies|
  musl_only ? rubies.select { |ruby| musl_only.include?(ruby.minor) } : rubies
end
musl_gems.each do |platform, rubies|
  next if rubies.size >= 2

  abort "musl: MY_LIB_MUSL_RUBIES=#{ENV['MY_LIB_MUSL_RUBIES']} selects #{rubies.size} Ruby of #{platform} " \
        "(#{musl_all_gems.fetch(platform).map(&:minor).join(', ')}); select two or more"
end
musl_gem_file = ->(platform) { File.join(musl_root, "pkg/my_lib-#{musl_version}-#{platform}.gem") }
# rake-compiler reads its cross Rubies from ~/.rake-compiler/config.yml: the
# gem builds run with HOME here, so the user's own config is never touched.
musl_cross_home = File.join(musl_root, "tmp/musl/home")
musl_cargo_home = ENV.fetch("CARGO_HOME", File.join(Dir.home, ".cargo"))
musl_rustup_home = ENV.fetch("RUSTUP_HOME", File.join(Dir.home, ".rustup"))
# rb-sys's bindgen reads Ruby's headers with libclang, which must see musl's
# C headers, not glibc's.
musl_bindgen_args = lambda do |arch|
  clang_include = Dir["/usr/lib/llvm-*/lib/clang/*/include"].max_by { |dir| dir[/llvm-(\d+)/, 1].to_i }
  abort "musl: no clang include directory (libclang-dev)" unless clang_include
  musl_include = "/usr/include/#{arch}-linux-musl"
  unless File.directory?(musl_include)
    abort "musl: no #{musl_include}; run bin/setup (musl-dev:#{MyLibMusl::DEBIAN_ARCH.fetch(arch)})"
  end
  "-nostdinc -isystem #{clang_include} -isystem #{musl_include}"
end
# "3.2 and 4.0"
musl_in_words = ->(items) { items.size > 1 ? "#{items[0..-2].join(', ')} and #{items.last}" : items.join }
musl_minors = ->(rubies) { rubies.map(&:minor) }

namespace :musl do
  desc "Build (or check) the musl Rubies (#{musl_gems.values.flatten.map(&:name).join(', ')}) in MY_LIB_PLATFORM_CACHE"
  task :ruby do
    musl_gems.values.flatten.each(&:provide)
  end

  # One of them, 3.1 included: musl:ruby33 and the like, as platform:ruby32;
  # musl:ruby33_aarch64 for aarch64.
  musl_all_gems.each_value do |rubies|
    rubies.each do |ruby|
      desc "Build (or check) the musl Ruby #{ruby.minor} for #{ruby.arch} in MY_LIB_PLATFORM_CACHE"
      task("ruby#{ruby.minor.delete('.')}#{"_#{ruby.arch}" if ruby.cross?}") { ruby.provide }
    end
  end

  # rake-compiler's cross Rubies: each musl Ruby's rbconfig.rb, marked as a
  # cross build (so rb-sys reads the target's RbConfig from the environment,
  # not from the host's ruby), with mkmf.rb beside it, as platform.rake does
  # for the -gnu gems. Files are rewritten only when they change.
  task cross_config: :ruby do
    config = {}
    musl_gems.each do |platform, rubies|
      rubies.each do |ruby|
        arch_dir = File.join(musl_cross_home, "rubies", "#{platform}-#{ruby.minor}", "lib/ruby", "#{ruby.minor}.0")
        files = {
          File.join(arch_dir, platform, "rbconfig.rb") =>
            File.read(ruby.rbconfig).sub('CONFIG["CROSS_COMPILING"] = "no"', 'CONFIG["CROSS_COMPILING"] = "yes"'),
          File.join(arch_dir, "mkmf.rb") => File.read(File.join(ruby.path, "lib/ruby", "#{ruby.minor}.0", "mkmf.rb"))
        }
        files.each do |path, content|
          next if File.exist?(path) && File.read(path) == content

          FileUtils.mkdir_p(File.dirname(path))
          File.write(path, content)
        end
        config["rbconfig-#{platform}-#{ruby.minor}.0"] = files.keys.first
      end
    end
    config_path = File.join(musl_cross_home, ".rake-compiler/config.yml")
    FileUtils.mkdir_p(File.dirname(config_path))
    File.write(config_path, config.to_yaml) unless File.exist?(config_path) && YAML.load_file(config_path) == config
  end

  musl_gems.each do |platform, rubies|
    arch = platform.split("-").first
    desc "Build #{File.basename(musl_gem_file.call(platform))} (Ruby #{musl_in_words.call(musl_minors.call(rubies))}) " \
         "by cross-compilation"
    task "gem:#{platform}" => :cross_config do
      rust_target = MyLibMusl.rust_target(arch)
      env = {
        "HOME" => musl_cross_home, "CARGO_HOME" => musl_cargo_home, "RUSTUP_HOME" => musl_rustup_home,
        # rb-sys-dock's settings: the platform and the Rubies to build for.
        "RUBY_TARGET" => platform,
        "RUBY_CC_VERSION" => rubies.map { |ruby| "#{ruby.minor}.0" }.join(":"),
        "CARGO_BUILD_TARGET" => rust_target,
        "RB_SYS_CARGO_PROFILE" => "release", "RB_SYS_CARGO_TARGET_DIR" => nil, "RB_SYS_CARGO_MANIFEST_DIR" => nil,
        "BINDGEN_EXTRA_CLANG_ARGS_#{rust_target.tr('-', '_')}" => musl_bindgen_args.call(arch)
      }.merge(MyLibMusl.cargo_env(arch)) # linked by zig cc: no libgcc_s (tools/musl/toolchain.rb)
      gem = musl_gem_file.call(platform)
      FileUtils.rm_rf([gem, gem.delete_suffix(".gem")])
      # Outside Bundler: extconf.rb runs under the target's RUBY_PLATFORM.
      # `cross` first: it points lib/my_lib/my_lib.so at the cross build's
      # staging copy, not at `rake compile` (the host's own extension).
      Bundler.with_unbundled_env do
        sh env, RbConfig.ruby, "-S", "rake", "cross", "native:#{platform}", "gem", chdir: musl_root
      end
      FileUtils.rm_rf(gem.delete_suffix(".gem"))
      abort "musl: rake-compiler made no #{gem}" unless File.exist?(gem)
    end
  end

  desc "Build the #{musl_gems.keys.join(' and ')} gem#{'s' if musl_gems.size > 1} into pkg/"
  task gems: musl_gems.keys.map { |platform| "gem:#{platform}" }

  # The gem's layout (one extension per Ruby, no sources, a Ruby requirement
  # admitting exactly the Rubies it carries, the -linux-musl platform), and
  # every .so in it audited by MyLibMusl::ElfAudit. Returns the problems.
  audit_gem = lambda do |platform, rubies|
    gem = musl_gem_file.call(platform)
    return ["#{File.basename(gem)} is missing; run rake musl:gems"] unless File.exist?(gem)

    package = Gem::Package.new(gem)
    spec = package.spec
    files = package.contents
    minors = musl_minors.call(rubies)
    problems = []
    problems << "platform #{spec.original_platform}" unless spec.original_platform.to_s == platform
    extensions = files.grep(/\.so\z/).sort
    # rake-compiler puts a lone Ruby's extension in lib/my_lib/ itself.
    wanted = minors.size == 1 ? ["lib/my_lib/my_lib.so"] : minors.map { |minor| "lib/my_lib/#{minor}/my_lib.so" }.sort
    problems << "extensions #{extensions}, not #{wanted}" unless extensions == wanted
    sources = files.grep(%r{\Aext/|\.rs\z|(\A|/)Cargo\.(toml|lock)\z|extconf\.rb\z})
    problems << "build files #{sources}" unless sources.empty?
    problems << "no lib/my_lib.rb" unless files.include?("lib/my_lib.rb")
    problems << "dependencies #{spec.dependencies.map(&:to_s)}" unless spec.dependencies.empty?
    problems << "extensions to build #{spec.extensions}" unless spec.extensions.empty?
    wanted_requirement = Gem::Requirement.new(">= #{minors.min}", "< #{minors.max.succ}.dev")
    unless spec.required_ruby_version == wanted_requirement
      problems << "required_ruby_version #{spec.required_ruby_version}, not #{wanted_requirement}"
    end
    Dir.mktmpdir("musl-audit-") do |dir|
      package.extract_files(dir)
      extensions.each do |extension|
        MyLibMusl::ElfAudit.problems(File.join(dir, extension), platform.split("-").first).each do |problem|
          problems << "#{extension}: #{problem}"
        end
      end
    end
    problems
  end

  desc "Build and audit the musl gems: layout; each .so needs only musl's libc, no RUNPATH, no glibc versions, no initial-exec TLS"
  task audit: :gems do
    failed = false
    musl_gems.each do |platform, rubies|
      problems = audit_gem.call(platform, rubies)
      if problems.empty?
        puts "musl:audit: #{File.basename(musl_gem_file.call(platform))}: " \
             "#{Gem::Package.new(musl_gem_file.call(platform)).contents.grep(/\.so\z/).sort.join(', ')}: " \
             "NEEDED only musl's libc, no RUNPATH, no glibc symbol version, no static TLS; no sources, no dependencies"
      else
        warn "musl:audit: #{File.basename(musl_gem_file.call(platform))}:", *problems.map { |problem| "  #{problem}" }
        failed = true
      end
    end
    abort "musl:audit failed" if failed
  end

  # rspec from Debian's pure-Ruby gems (ruby-rspec, and diff-lcs, which
  # rspec-expectations loads to describe a failure), put on the musl Ruby's
  # load path with -I: the musl Rubies have no gems of their own.
  rspec_libs = lambda do
    dirs = %w[rspec-core rspec-expectations rspec-mocks rspec-support diff-lcs].map do |name|
      Dir["/usr/share/rubygems-integration/all/gems/#{name}-*/lib"].max or abort "musl: no Debian #{name} (ruby-rspec)"
    end
    [dirs, File.join(File.dirname(dirs.first), "exe/rspec")]
  end

  # Installs the musl gem with `gem install --local` into an empty GEM_HOME
  # in a scratch directory, with `ruby` (a MyLibMusl::RubyPrefix) and no cargo
  # on PATH, then yields a lambda that runs a command (prefixed with the
  # Ruby) in that environment, and the scratch directory.
  with_installed_gem = lambda do |platform, ruby, &block|
    Dir.mktmpdir("musl-gem-test-") do |scratch|
      gem_home = File.join(scratch, "gem home")
      FileUtils.cp(musl_gem_file.call(platform), scratch)
      path = ENV.fetch("PATH").split(File::PATH_SEPARATOR)
                .reject { |dir| File.executable?(File.join(dir, "cargo")) }.join(File::PATH_SEPARATOR)
      env = { "GEM_HOME" => gem_home, "GEM_PATH" => gem_home, "HOME" => scratch, "LANG" => "C.UTF-8",
              "PATH" => "#{File.join(ruby.path, 'bin')}#{File::PATH_SEPARATOR}#{path}", "MY_LIB_GEM_HOME" => gem_home,
              "MY_LIB_GEM_PLATFORM" => platform }
      in_env = ["env", "-i", *env.map { |key, value| "#{key}=#{value}" }]
      run_ruby = ->(*args, **options) { sh(*in_env, *ruby.command, *args, **options) }
      Bundler.with_unbundled_env do
        sh(*in_env, "sh", "-c", "! command -v cargo >/dev/null || { echo 'cargo is on PATH' >&2; exit 1; }")
        # RUBYLIB: OpenSSL::Digest for RubyGems' checksums, as the musl
        # Rubies have no openssl (tools/rubygems_openssl/openssl.rb).
        sh(*in_env, "RUBYLIB=#{File.join(musl_root, 'tools/rubygems_openssl')}", *ruby.command, ruby.bin("gem"),
           "install", "--local", "--no-document", File.join(scratch, File.basename(musl_gem_file.call(platform))))
        block.call(run_ruby, scratch, gem_home)
      end
    end
  end

  # Calls every class (tools/platform/exercise.rb), then, natively, runs
  # spec/my_lib: from a copy of spec/ with no lib/ beside it (its child
  # processes' `-I lib` finds nothing, and `require "my_lib"` loads the
  # installed gem), whose support/native_build.rb is
  # tools/musl/installed_gem.rb (nothing to build; it checks that the gem is
  # what is loaded).
  install_and_test = lambda do |platform, ruby, spec_args|
    with_installed_gem.call(platform, ruby) do |run_ruby, scratch, gem_home|
      run_ruby.call(File.join(musl_root, "tools/platform/exercise.rb"), gem_home)
      next if ruby.cross?

      FileUtils.cp_r(File.join(musl_root, "spec"), scratch)
      FileUtils.cp(File.join(musl_root, ".rspec"), scratch)
      FileUtils.cp(File.join(musl_root, "tools/musl/installed_gem.rb"), File.join(scratch, "spec/support/native_build.rb"))
      FileUtils.rm_f(File.join(scratch, "spec/examples.txt"))
      libs, rspec = rspec_libs.call
      run_ruby.call(*libs.flat_map { |dir| ["-I", dir] }, rspec, *spec_args, chdir: scratch)
    end
  end

  # spec/my_lib, less what needs gems the musl Rubies lack: the API surface
  # spec (YARD and the rbs gem's C parser; it checks documentation, not the
  # platform), and the Fiber scheduler spec's `async` group (the async gem).
  # (tools/musl/installed_gem.rb leaves that group out.)
  musl_spec_args = ["--exclude-pattern", "spec/my_lib/api_surface_spec.rb", "spec/my_lib"]

  namespace :test do
    musl_gems.each do |platform, rubies|
      desc "Audit the #{platform} gem, install it with gem install --local on Ruby " \
           "#{musl_in_words.call(musl_minors.call(rubies))} (musl), call every class" \
           "#{', run spec/my_lib' unless rubies.first.cross?}"
      task platform => ["musl:ruby", "musl:gem:#{platform}"] do
        problems = audit_gem.call(platform, rubies)
        abort "musl: #{File.basename(musl_gem_file.call(platform))}: #{problems.join('; ')}" unless problems.empty?
        rubies.each { |ruby| install_and_test.call(platform, ruby, musl_spec_args) }
      end
    end
  end

  desc "Build the musl gems, install each on every musl Ruby it is for, call every class, run spec/my_lib (x86_64)"
  task test: musl_gems.keys.map { |platform| "test:#{platform}" }

  native_musl_gems = musl_gems.reject { |_, rubies| rubies.first.cross? }
  desc "Per-call figures (tools/musl/per_call.rb: my_lib, the reference C extension, pure Ruby) on each x86_64 " \
       "musl Ruby, beside the host's glibc Ruby (prints; asserts nothing)"
  task per_call: ["compile", "bench:reference_ext", *native_musl_gems.keys.map { |platform| "gem:#{platform}" }] do
    rounds = ENV.fetch("ROUNDS", "9")
    script = File.join(musl_root, "tools/musl/per_call.rb")
    Bundler.with_unbundled_env do
      sh RbConfig.ruby, "-I", File.join(musl_root, "lib"), "-I", File.join(musl_root, "tmp/bench/reference_ext"),
         script, rounds
    end
    native_musl_gems.each do |platform, rubies|
      rubies.each do |ruby|
        with_installed_gem.call(platform, ruby) do |run_ruby, scratch, _gem_home|
          # The reference C extension, built by this Ruby's mkmf (musl-gcc).
          reference = File.join(scratch, "reference_ext")
          FileUtils.mkdir_p(reference)
          run_ruby.call(File.join(musl_root, "bench/reference_ext/extconf.rb"), chdir: reference, out: File::NULL)
          sh "make", "--quiet", chdir: reference
          run_ruby.call("-I", reference, script, rounds)
        end
      end
    end
  end
end
