# frozen_string_literal: true

require "digest"
require "fileutils"
require "open3"
require "rake"
require_relative "../../rakelib/support/roots"

# The musl Rubies of rakelib/musl.rake, built by tools/musl/build_ruby.sh from
# - 3.2 and 4.0: the `git archive` tarballs in MY_LIB_RUBY_SOURCES (default
#   /work/shared/rubies), checked against its SHA256SUMS (made from their
#   commits where missing: rakelib/support/ruby_sources.rb);
# - 3.1, 3.3 and 3.4: Ruby's release tarballs as Debian's source packages
#   carry them (<package>_<version>.orig.tar.xz: ruby3.1 of bookworm, ruby3.3
#   of trixie, ruby3.4 of experimental), downloaded once into
#   MY_LIB_PLATFORM_CACHE/ruby-sources and checked against the URL and
#   SHA-256 pinned here (from `apt-get source --print-uris`);
# and kept in MY_LIB_PLATFORM_CACHE (default /var/cache/my_lib) as
# musl-<arch>-ruby<minor>/, with a stamp (my_lib-recipe) of the recipe they
# were built from: rebuilt only when missing, of another recipe, or broken.
#
# The aarch64 ones are cross-built from the same tarballs on the x86_64 ones
# of the same version (their baseruby), by Debian's aarch64-linux-musl-gcc
# (musl-dev:arm64) over CROSS_GCC, and run under qemu-aarch64 with Debian's
# musl:arm64 loader. 4.0's cross build takes the aarch64 glibc 4.0's patch
# (MyLibRubySources::CROSS_PATCHES), applied by MyLibRoots.with_patches.
module MyLibMusl
  ROOT = File.expand_path("../..", __dir__)
  BUILD_SCRIPT = File.join(ROOT, "tools/musl/build_ruby.sh")
  # The gcc that Debian's <arch>-linux-musl-gcc runs (its REALGCC) for a
  # cross build, by the target's architecture.
  CROSS_GCC = { "aarch64" => "tools/musl/aarch64-linux-gnu-gcc-no-outline-atomics" }.freeze
  HOST_ARCH = "x86_64"
  DEBIAN_ARCH = { "x86_64" => "amd64", "aarch64" => "arm64" }.freeze
  DOWNLOADS = File.join(MyLibRoots::CACHE, "ruby-sources")

  # A Ruby release tarball from Debian's archive, pinned by its SHA-256.
  # `sha1` names the same file on snapshot.debian.org, which keeps every
  # file the archive ever served: the pool drops an upload once no suite
  # lists it (experimental has moved past 3.4.5 already).
  DebianTarball = Struct.new(:url, :sha256, :sha1) do
    def name = File.basename(url)
    def urls = [url, "https://snapshot.debian.org/file/#{sha1}"]
    def path = File.join(DOWNLOADS, name)
    # The SHA256SUMS build_ruby.sh checks the tarball against: the pin.
    def sums = "#{path}.SHA256SUMS"

    # Downloads it unless it is there with the pinned SHA-256 (a partial or
    # wrong file is replaced), from the pool or else from the snapshot;
    # aborts if no download matches.
    def fetch
      FileUtils.mkdir_p(DOWNLOADS)
      File.write(sums, "#{sha256}  #{name}\n") unless File.exist?(sums) && File.read(sums) == "#{sha256}  #{name}\n"
      return if File.exist?(path) && Digest::SHA256.file(path).hexdigest == sha256

      partial = "#{path}.partial"
      failures = urls.map do |source|
        next "#{source}: download failed" unless
          system("curl", "--fail", "--silent", "--show-error", "--location", "--retry", "3", "--output", partial, source)

        actual = Digest::SHA256.file(partial).hexdigest
        next "#{source}: SHA-256 #{actual}, not the pinned #{sha256}" unless actual == sha256

        File.rename(partial, path)
        return
      end
      abort "musl: no source of #{name} gave it:\n  #{failures.join("\n  ")}"
    end
  end

  # A musl Ruby prefix. `tarball`: a file name of MyLibRubySources (a `git archive`
  # tarball) or a DebianTarball. `baseruby`: for a cross build, the musl Ruby
  # of the same version on the host, which Ruby's cross build runs.
  # `patches`: files (relative to the checkout) applied to the tarball's tree
  # with `patch -p1` before the build.
  class RubyPrefix
    include Rake::FileUtilsExt

    attr_reader :arch, :minor, :tarball, :baseruby, :patches, :path

    def initialize(arch:, minor:, tarball:, baseruby: nil, patches: [], cache: MyLibRoots::CACHE)
      @arch = arch
      @minor = minor
      @tarball = tarball
      @baseruby = baseruby
      @patches = patches
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

    # The tarball's path, and the SHA256SUMS build_ruby.sh checks it against.
    def source
      return [tarball.path, tarball.sums] if tarball.is_a?(DebianTarball)

      [MyLibRubySources.provide(tarball), MyLibRubySources.sums]
    end

    # What the stamp records: the script's and the tarball's digests (a
    # Debian tarball's: its pin), the host, Debian's musl version, and for a
    # cross build its baseruby's recipe, the cross gcc's and binutils'
    # versions (Debian's, in their --version), its REALGCC's and its
    # patches' digests; no path of this checkout.
    def recipe
      musl = Open3.capture2("dpkg-query", "-W", "-f=${Version}", "musl-dev:#{DEBIAN_ARCH.fetch(arch)}").first
      file = source.first
      digest = tarball.is_a?(DebianTarball) ? tarball.sha256 : Digest::SHA256.file(file).hexdigest
      checkout_file = ->(relative) { "#{relative} sha256:#{Digest::SHA256.file(File.join(ROOT, relative)).hexdigest}" }
      lines = ["script sha256:#{Digest::SHA256.file(BUILD_SCRIPT).hexdigest}",
               "#{File.basename(file)} sha256:#{digest}",
               "host #{host || 'native'}", "musl-dev #{musl}"]
      lines << "baseruby #{Digest::SHA256.hexdigest(baseruby.recipe)}" if baseruby
      if cross?
        lines.concat(%w[gcc ld].map { |tool| "#{tool} #{first_line_of("#{arch}-linux-gnu-#{tool}", '--version')}" })
        lines << "realgcc #{checkout_file.call(CROSS_GCC.fetch(arch))}"
      end
      lines.concat(@patches.map { |patch| "patch #{checkout_file.call(patch)}" })
      lines.join("\n")
    end

    def stamp = File.join(path, "my_lib-recipe")

    def works?
      # RUBY_PATCHLEVEL -1 would be a development build, of another ABI.
      check = "require 'zlib'; require 'psych'; exit(RUBY_VERSION.start_with?('#{minor}.') && " \
              "RUBY_PLATFORM.end_with?('linux-musl') && RUBY_PATCHLEVEL >= 0)"
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

    def first_line_of(*command)
      output, status = Open3.capture2(*command)
      abort "musl: #{command.join(' ')} failed; run bin/setup" unless status.success?
      output.lines.first.chomp
    end

    def build
      FileUtils.mkdir_p(File.dirname(path))
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      tarball.fetch if tarball.is_a?(DebianTarball)
      env = cross? ? { "REALGCC" => File.join(ROOT, CROSS_GCC.fetch(arch)) } : {}
      MyLibRoots.with_patches(*source, @patches) do |file, sums|
        sh env, "nice", "-n", "10", BUILD_SCRIPT, file, sums, path, *([host, baseruby.bin("ruby")] if cross?)
      end
      abort "musl: the new Ruby in #{path} does not run (#{command.join(' ')})" unless works?
      File.write(stamp, recipe)
      puts format("musl: built Ruby %s for %s-linux-musl in %.1f min", minor, arch,
                  (Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) / 60)
    end
  end

  debian = "http://deb.debian.org/debian/pool/main/r"
  TARBALLS = {
    "3.1" => DebianTarball.new(
      "#{debian}/ruby3.1/ruby3.1_3.1.2.orig.tar.xz", "350013ef6640f15c42eae48d25c035999dcbb32e4be038d27ad891cb48d685a5",
      "9a0840a5a26dcdbd9e9eebe3354598375a4a6b6d"
    ),
    "3.2" => MyLibRubySources::BY_MINOR.fetch("3.2"),
    "3.3" => DebianTarball.new(
      "#{debian}/ruby3.3/ruby3.3_3.3.8.orig.tar.xz", "e2e1233ad275b7623a05edf23a01192626d1da454bdfe353a28a87acd8ef015c",
      "4a0bba7c1d1e718391014b226d308cc1336eba5e"
    ),
    # experimental's older upload: the pool answers 404 for 3.4.11's
    # orig.tar.xz, which experimental's Sources also lists.
    "3.4" => DebianTarball.new(
      "#{debian}/ruby3.4/ruby3.4_3.4.5.orig.tar.xz", "141fb3b0192b8196361b3b4d6c29fc9b10c0798dbe54ada1539d9f1c311bfcbf",
      "e3568b11bfd954a822850de8ce2e01f7dc5753bd"
    ),
    "4.0" => MyLibRubySources::BY_MINOR.fetch("4.0")
  }.freeze
  X86_64 = TARBALLS.map { |minor, tarball| RubyPrefix.new(arch: "x86_64", minor: minor, tarball: tarball) }.freeze
  AARCH64 = X86_64.map do |baseruby|
    RubyPrefix.new(arch: "aarch64", minor: baseruby.minor, tarball: baseruby.tarball, baseruby: baseruby,
                   patches: MyLibRubySources::CROSS_PATCHES.fetch(baseruby.minor, []))
  end.freeze
end
