# frozen_string_literal: true

require "digest"
require "fileutils"
require "open3"
require "rake"
require_relative "../../rakelib/support/roots"

# The musl Rubies of rakelib/musl.rake: built from the Ruby sources in
# MY_LIB_RUBY_SOURCES (default /work/shared/rubies) by tools/musl/build_ruby.sh
# and kept in MY_LIB_PLATFORM_CACHE (default /var/cache/my_lib) as
# musl-<arch>-ruby<minor>/, with a stamp (my_lib-recipe) of the recipe they
# were built from: rebuilt only when missing, of another recipe, or broken.
module MyLibMusl
  ROOT = File.expand_path("../..", __dir__)
  SOURCES = ENV.fetch("MY_LIB_RUBY_SOURCES", "/work/shared/rubies")
  BUILD_SCRIPT = File.join(ROOT, "tools/musl/build_ruby.sh")
  HOST_ARCH = "x86_64"
  DEBIAN_ARCH = { "x86_64" => "amd64", "aarch64" => "arm64" }.freeze

  # A musl Ruby prefix. `baseruby`: for a cross build, the musl Ruby of the
  # same version on the host, which Ruby's cross build runs.
  class RubyPrefix
    include Rake::FileUtilsExt

    attr_reader :arch, :minor, :tarball, :baseruby, :path

    def initialize(arch:, minor:, tarball:, baseruby: nil, cache: MyLibRoots::CACHE)
      @arch = arch
      @minor = minor
      @tarball = File.join(SOURCES, tarball)
      @baseruby = baseruby
      @path = File.join(cache, "musl-#{arch}-ruby#{minor}")
    end

    def name = "#{arch}-#{minor}"
    def cross? = arch != HOST_ARCH
    def host = cross? ? "#{arch}-linux-musl" : nil
    def platform = "#{arch}-linux-musl"
    def bin(program) = File.join(path, "bin", program)

    # The command that runs this Ruby: aarch64 under qemu-aarch64 (its
    # loader, /lib/ld-musl-aarch64.so.1, is Debian's musl:arm64).
    def command = cross? ? ["qemu-aarch64", bin("ruby")] : [bin("ruby")]

    def rbconfig
      Dir[File.join(path, "lib/ruby", "#{minor}.0", "#{arch}-linux*", "rbconfig.rb")].fetch(0) do
        raise "musl: no rbconfig.rb in #{path}"
      end
    end

    # What the stamp records: the script's and the tarball's digests, the
    # host, Debian's musl version, and for a cross build its baseruby's
    # recipe; no path of this checkout.
    def recipe
      musl = Open3.capture2("dpkg-query", "-W", "-f=${Version}", "musl-dev:#{DEBIAN_ARCH.fetch(arch)}").first
      lines = ["script sha256:#{Digest::SHA256.file(BUILD_SCRIPT).hexdigest}",
               "#{File.basename(tarball)} sha256:#{Digest::SHA256.file(tarball).hexdigest}",
               "host #{host || 'native'}", "musl-dev #{musl}"]
      lines << "baseruby #{Digest::SHA256.hexdigest(baseruby.recipe)}" if baseruby
      lines.join("\n")
    end

    def stamp = File.join(path, "my_lib-recipe")

    def works?
      check = "require 'zlib'; require 'psych'; exit(RUBY_VERSION.start_with?('#{minor}.') && " \
              "RUBY_PLATFORM.end_with?('linux-musl') && RUBY_PATCHLEVEL == 0)"
      # With PATH alone: under `bundle exec`, RUBYOPT=-rbundler/setup would
      # make this Ruby resolve the checkout's Gemfile, and fail.
      system({ "PATH" => "/usr/bin:/bin" }, *command, "-e", check, unsetenv_others: true, out: File::NULL, err: File::NULL)
    end

    def valid? = File.exist?(stamp) && File.read(stamp) == recipe && works?

    # Builds it unless valid; aborts if the new one does not work. Under an
    # exclusive lock (musl-<arch>-ruby<minor>.lock): a second rake waits for
    # the build under way instead of starting over in the same prefix.
    def provide
      baseruby&.provide
      File.open("#{path}.lock", File::RDWR | File::CREAT, 0o644) do |lock|
        lock.flock(File::LOCK_EX)
        if valid?
          puts "musl: #{path} (Ruby #{minor}, #{arch}) is ready"
        else
          build
        end
      end
    end

    private

    def build
      FileUtils.mkdir_p(File.dirname(path))
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      args = [tarball, File.join(SOURCES, "SHA256SUMS"), path]
      args += [host, baseruby.bin("ruby")] if cross?
      sh "nice", "-n", "10", BUILD_SCRIPT, *args
      abort "musl: the new Ruby in #{path} does not run (#{command.join(' ')})" unless works?
      File.write(stamp, recipe)
      puts format("musl: built Ruby %s for %s-linux-musl in %.1f min", minor, arch,
                  (Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) / 60)
    end
  end

  X86_64_40 = RubyPrefix.new(arch: "x86_64", minor: "4.0", tarball: "ruby-4.0.0-99e9ca1f40.tar.gz")
  X86_64_32 = RubyPrefix.new(arch: "x86_64", minor: "3.2", tarball: "ruby-3.2.0.tar.gz")
end
