# frozen_string_literal: true

require "open3"
require "rbconfig"

# What this platform can run, decided once, for the whole suite: CI runs it
# on Linux, macOS and Windows (.github/workflows/ci.yml). A spec that needs
# something only some platforms have says so with metadata, and elsewhere it
# is skipped with the reason, visibly:
#
#   elf: true         reads ELF objects (readelf, nm -D, ldd, SONAMEs): Linux
#   fork: true        Process.fork: not on Windows
#   rlimit_as: true   Process.setrlimit(:AS) and /proc: Linux
#   posix: true       /bin/sh scripts and make (extconf's Makefile, stand-in
#                     cargos): not on Windows
#   debian: true      Debian's packages and tools that bin/setup installs
#                     (dpkg, mmdebstrap, the zig virtualenv, gcc cross tools)
#
# The C library's file name and the tools that read a shared library also
# live here, so that specs name no platform's spelling.
module MyLibPlatform
  ROOT = File.expand_path("../..", __dir__)
  HOST_OS = RbConfig::CONFIG["host_os"]

  module_function

  def linux? = HOST_OS.include?("linux")
  def darwin? = HOST_OS.include?("darwin")
  def windows? = HOST_OS.match?(/mswin|mingw|cygwin/)

  # The library `rake c_abi:lib` builds (the C ABI without Ruby): cargo's
  # name for a cdylib on this platform.
  def c_library_file_name
    if darwin? then "libmy_lib.dylib"
    elsif windows? then "my_lib.dll"
    else "libmy_lib.so"
    end
  end

  def c_library_path = File.join(ROOT, "target/c_abi/release", c_library_file_name)

  # The Ruby extension's file name: my_lib.so, my_lib.bundle on macOS.
  def extension_file_name = "my_lib.#{RbConfig::CONFIG['DLEXT']}"

  # The functions `library` exports: nm -D on ELF; nm -gU on Mach-O, whose
  # C names carry a leading underscore.
  def exported_symbols(library)
    command = darwin? ? ["nm", "-gU", library] : ["nm", "-D", "--defined-only", library]
    stdout, stderr, status = Open3.capture3(*command)
    raise "#{command.first} failed on #{library}: #{stderr}" unless status.success?

    names = stdout.lines.map { |line| line.split.last }.compact
    darwin? ? names.map { |name| name.delete_prefix("_") } : names
  end

  # Why a tag cannot run here, or nil when it can.
  def unavailable(tag)
    case tag
    when :elf then "reads ELF objects (readelf, nm -D, ldd): Linux only" unless linux?
    when :fork then "needs Process.fork, which #{RUBY_PLATFORM} lacks" unless Process.respond_to?(:fork)
    when :rlimit_as
      "needs Process.setrlimit(:AS) and /proc: Linux only" unless
        linux? && Process.const_defined?(:RLIMIT_AS) && File.exist?("/proc/self/status")
    when :posix then "runs /bin/sh scripts and make: not on Windows" if windows? || !File.executable?("/bin/sh")
    when :debian then "needs Debian's packages and bin/setup's tools" unless File.exist?("/etc/debian_version")
    end
  end

  TAGS = %i[elf fork rlimit_as posix debian].freeze
end

RSpec.configure do |config|
  MyLibPlatform::TAGS.each do |tag|
    config.before(:context, tag => true) do
      reason = MyLibPlatform.unavailable(tag)
      skip(reason) if reason
    end
    config.before(:each, tag => true) do
      reason = MyLibPlatform.unavailable(tag)
      skip(reason) if reason
    end
  end
end

# Where the gems a source build needs (rb_sys and its dependencies) live:
# Debian's system gem directories here, the bundle's path on GitHub
# (setup-ruby's vendor/bundle), a from-source Ruby's own GEM_HOME. A child
# Ruby outside Bundler that builds my_lib (gem install, extconf.rb) is given
# them on GEM_PATH, whichever it is.
module MyLibBuildGems
  module_function

  # The gem directories of `name` and of its runtime dependencies, as this
  # process resolved them (Bundler's, under bundle exec).
  def dirs(name = "rb_sys", seen = {})
    return [] if seen[name]

    seen[name] = true
    spec = Gem.loaded_specs[name] || Gem::Specification.find_all_by_name(name).max_by(&:version)
    raise "#{name} is not installed: run bin/setup (or bundle install)" unless spec

    [spec.base_dir, *spec.runtime_dependencies.flat_map { |dependency| dirs(dependency.name, seen) }].uniq
  end

  # A GEM_PATH for such a child: `first` (a GEM_HOME of the test's), then
  # the build gems' directories, then Ruby's own gem path outside Bundler.
  def gem_path(*first)
    system_path = Bundler.with_unbundled_env { `#{RbConfig.ruby} -e 'print Gem.path.join(File::PATH_SEPARATOR)'` }
    [*first, *dirs, *system_path.split(File::PATH_SEPARATOR)].uniq.join(File::PATH_SEPARATOR)
  end
end
