# frozen_string_literal: true

# Checks that every shared object in the given files loads on glibc 2.17:
#
#   ruby tools/platform/check_glibc_floor.rb FILE...
#
# FILE is a gem (its .so files are read from the package, unpacked by
# RubyGems without network), a tarball (.tar.gz, .tgz: its regular ELF files)
# or a shared object. For each one it reads the symbol versions it needs and
# its NEEDED libraries with readelf (any architecture) and fails on
#   - a GLIBC_x version above 2.17 (or GLIBC_PRIVATE), naming the symbols;
#   - a NEEDED library other than libc, libm, libpthread, libdl, libgcc_s and
#     the dynamic loader (ld-linux*), and libruby only in a gem's extension
#     for Ruby X.Y (lib/<name>/X.Y/) and only that Ruby's libruby.
# A *-linux-musl gem's objects may need musl's libc (or its loader) and
# nothing else, libgcc_s included, and no GLIBC version at all.
# It prints one line per shared object and exits 1 when any fails, 2 when a
# file cannot be read or holds no shared object. `rake glibc:check`, the
# glibc spec and the release workflow run it.

require "open3"
require "rubygems/package"
require "tmpdir"
require_relative "../glibc_floor"

module CheckGlibcFloor
  FLOOR = Gem::Version.new(GlibcFloor::VERSION)
  # NEEDED libraries any of our shared objects may have: glibc's own and
  # GCC's unwinder, which every glibc system has.
  ALLOWED_NEEDED = {
    glibc: [/\Alibc\.so\.6\z/, /\Alibm\.so\.6\z/, /\Alibpthread\.so\.0\z/, /\Alibdl\.so\.2\z/, /\Alibgcc_s\.so\.1\z/,
            /\Ald-linux[-\w.]*\.so\.\d+\z/],
    # A -linux-musl gem: musl's libc alone, by the name it is linked against
    # (upstream musl's libc.so has no soname; Alpine's is libc.musl-<arch>.so.1)
    # or its loader's, which musl resolves to itself. No libgcc_s: Alpine
    # has it only after `apk add libgcc`, so the unwinder is linked in.
    musl: [/\Alibc\.so\z/, /\Alibc\.musl-\w+\.so\.1\z/, /\Ald-musl-\w+\.so\.1\z/]
  }.freeze
  NUMBERED = /\A\d+(\.\d+)*\z/

  # One shared object's verdict: `name` says where it came from.
  Report = Struct.new(:name, :glibc_versions, :needed, :problems) do
    def ok? = problems.empty?

    def to_s
      newest = glibc_versions.keys.grep(NUMBERED).max_by { |version| Gem::Version.new(version) }
      summary = "needs GLIBC_#{newest || 'none'}; NEEDED #{needed.join(', ')}"
      ok? ? "ok    #{name}: #{summary}" : "FAIL  #{name}: #{problems.join('; ')} (#{summary})"
    end
  end

  class Unreadable < StandardError; end

  module_function

  def readelf(*args, path)
    output, error, status = Open3.capture3("readelf", "-W", *args, path)
    raise Unreadable, "readelf #{args.join(' ')} #{path}: #{error.strip}" unless status.success?

    output
  end

  # { "2.14" => ["memcpy", ...] }: the GLIBC versions the object needs, each
  # with the undefined symbols bound to it (from the version-needs section,
  # so a version no symbol names is counted too).
  def glibc_versions(path)
    versions = Hash.new { |hash, key| hash[key] = [] }
    readelf("-V", path).scan(/Name: GLIBC_([\w.]+)/) { |(version)| versions[version] }
    readelf("--dyn-syms", path).each_line do |line|
      fields = line.split
      next unless fields[6] == "UND" && (match = fields[7].to_s.match(/\A([^@]+)@GLIBC_([\w.]+)\z/))

      versions[match[2]] << match[1]
    end
    versions.transform_values(&:uniq)
  end

  def needed(path)
    readelf("-d", path).scan(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/).flatten
  end

  # The libruby an extension for Ruby `minor` (say "3.3") may need: that
  # Ruby's shared library, as Debian (libruby-3.3.so.3.3) or Ruby's own
  # build (libruby.so.3.3) names it.
  def libruby_for(minor)
    /\Alibruby(?:-#{Regexp.escape(minor)})?\.so\.#{Regexp.escape(minor)}(?:\.\d+)*\z/
  end

  # Checks the shared object at `path`; `ruby_minor` is the Ruby it is an
  # extension for (nil: none, so no libruby is allowed), `libc` the C library
  # it is for (:musl: it may need no GLIBC version at all).
  def check_object(name, path, ruby_minor: nil, libc: :glibc)
    versions = glibc_versions(path)
    libraries = needed(path)
    problems = []
    too_new = versions.reject do |version, _|
      libc == :glibc && version.match?(NUMBERED) && Gem::Version.new(version) <= FLOOR
    end
    newest_first = too_new.sort_by { |version, _| version.match?(NUMBERED) ? Gem::Version.new(version) : FLOOR }.reverse
    newest_first.each do |version, symbols|
      named = symbols.empty? ? "" : " (#{symbols.first(4).join(', ')}#{symbols.size > 4 ? ', …' : ''})"
      where = libc == :glibc ? "above #{FLOOR}" : "in a musl build"
      problems << "GLIBC_#{version} #{where}#{named}"
    end
    allowed = ALLOWED_NEEDED.fetch(libc) + (ruby_minor ? [libruby_for(ruby_minor)] : [])
    unexpected = libraries.reject { |library| allowed.any? { |pattern| pattern.match?(library) } }
    unless unexpected.empty?
      beyond = libc == :glibc ? "glibc's libraries, libgcc_s and the loader" : "musl's libc"
      problems << "NEEDED #{unexpected.join(', ')} beyond #{beyond}" \
                  "#{ruby_minor ? " and Ruby #{ruby_minor}'s libruby" : ''}"
    end
    Report.new(name, versions, libraries, problems)
  end

  def elf?(path)
    File.file?(path) && !File.symlink?(path) && File.binread(path, 4) == "\x7FELF".b
  end

  # Every shared object in `file`, as [name, path on disk, Ruby minor or
  # nil, libc], yielded while the unpacked copy exists. A gem whose platform
  # is *-linux-musl is for musl; everything else for glibc.
  def each_object(file)
    raise Unreadable, "#{file}: no such file" unless File.file?(file)

    if file.end_with?(".gem")
      Dir.mktmpdir("glibc-floor-gem") do |dir|
        package = Gem::Package.new(file)
        package.extract_files(dir)
        libc = package.spec.platform.to_s.end_with?("-musl") ? :musl : :glibc
        objects = Dir.glob("**/*.so", base: dir).sort.select { |relative| elf?(File.join(dir, relative)) }
        raise Unreadable, "#{file}: no shared object in the gem" if objects.empty?

        objects.each do |relative|
          yield "#{file} #{relative}", File.join(dir, relative), relative[%r{/(\d+\.\d+)/[^/]+\z}, 1], libc
        end
      end
    elsif file.end_with?(".tar.gz", ".tgz")
      Dir.mktmpdir("glibc-floor-tar") do |dir|
        _, error, status = Open3.capture3("tar", "--extract", "--gzip", "--file", file, "--directory", dir)
        raise Unreadable, "#{file}: tar failed: #{error.strip}" unless status.success?

        objects = Dir.glob("**/*", base: dir).sort.select { |relative| elf?(File.join(dir, relative)) }
        raise Unreadable, "#{file}: no ELF file in the tarball" if objects.empty?

        objects.each { |relative| yield "#{file} #{relative}", File.join(dir, relative), nil, :glibc }
      end
    else
      raise Unreadable, "#{file}: not an ELF file" unless elf?(file)

      yield file, file, nil, :glibc
    end
  end

  # The reports for every shared object in `files`.
  def check_files(files)
    files.flat_map do |file|
      reports = []
      each_object(file) { |name, path, minor, libc| reports << check_object(name, path, ruby_minor: minor, libc: libc) }
      reports
    end
  end

  def main(files)
    if files.empty?
      warn "usage: ruby #{$PROGRAM_NAME} FILE... (gems, .tar.gz tarballs or shared objects)"
      return 2
    end
    reports = check_files(files)
    reports.each { |report| puts report }
    failed = reports.reject(&:ok?)
    if failed.empty?
      puts "glibc floor #{FLOOR}: #{reports.size} shared objects pass"
      0
    else
      warn "glibc floor #{FLOOR}: #{failed.size} of #{reports.size} shared objects fail"
      1
    end
  rescue Unreadable => e
    warn "glibc floor: #{e.message}"
    2
  end
end

exit CheckGlibcFloor.main(ARGV) if $PROGRAM_NAME == __FILE__
