# frozen_string_literal: true

require "digest"
require "fileutils"
require "rake"
require "tmpdir"

# The source tarballs of the Rubies Debian does not package (3.2.0, 4.0.0),
# which support/roots.rb's RubyPrefix (glibc, both architectures) and
# tools/musl/rubies.rb build: `git archive` tarballs of ruby/ruby commits,
# kept in MY_LIB_RUBY_SOURCES (default /work/shared/rubies, with their
# SHA256SUMS; its README gives their provenance).
#
# Where a tarball is missing (the release workflow's fresh runner), it is
# made again from its commit: `git fetch` of that one commit, then `git
# archive`. Gzip output differs between tools, so the pin is the SHA-256
# of the uncompressed tar stream, which `git archive` makes byte for byte
# the same from the same commit and prefix (its pax header carries the
# commit id, every entry the commit's time). A tarball that is there is
# checked against the same pin, so this machine tests every pin each time a
# Ruby is built from it.
module MyLibRubySources
  DIRECTORY = ENV.fetch("MY_LIB_RUBY_SOURCES", "/work/shared/rubies")
  # The ruby/ruby fork the tarballs were archived from (its README); the
  # commits are ruby/ruby's own.
  REPOSITORY = "https://github.com/shyouhei/ruby.git"

  # A tarball: its file name, the commit and prefix `git archive` made it
  # with, and the SHA-256 of its tar stream.
  Tarball = Struct.new(:name, :commit, :prefix, :tar_sha256)
  TARBALLS = [
    Tarball.new("ruby-3.2.0.tar.gz", "07c19cf551e58e1b82af5efeb0047f10588fff9f", "ruby-3.2.0/",
                "a51a140a34435afd8fda966f2bd106759592a68b08aabc2bee7b863cd48da914"),
    Tarball.new("ruby-4.0.0-99e9ca1f40.tar.gz", "99e9ca1f40e7811fd4b162e6c4a7566d3d6bdf11", "ruby-4.0.0/",
                "6bfcd9472ffad4921f52b4291f1e89e5a003276e3ff0bd1ebaab1761301d693a")
  ].freeze
  # Each tarball's name by its Ruby's minor version ("3.2", "4.0").
  BY_MINOR = TARBALLS.to_h { |tarball| [tarball.prefix[/\Aruby-(\d+\.\d+)\./, 1], tarball.name] }.freeze
  # The patches (paths in the checkout) that a cross build of a minor version
  # takes, glibc's and musl's alike: 4.0's starts without RubyGems otherwise
  # (see the patch); 3.2's needs none.
  CROSS_PATCHES = { "4.0" => ["tools/platform/patches/ruby-4.0-cross-gem-prelude.patch"] }.freeze

  module_function

  # The SHA256SUMS beside the tarballs, which the build scripts check them
  # against.
  def sums = File.join(DIRECTORY, "SHA256SUMS")

  # The path of tarball `name`, there and matching its pin; made from its
  # commit first if missing. Aborts on a mismatch. Checked once a process.
  def provide(name)
    @provided ||= {}
    @provided[name] ||= begin
      tarball = TARBALLS.find { |candidate| candidate.name == name } or raise ArgumentError, "no pinned Ruby source #{name}"
      path = File.join(DIRECTORY, name)
      archive(tarball, path) unless File.exist?(path)
      actual = tar_sha256(path)
      unless actual == tarball.tar_sha256
        abort "ruby sources: #{path}: tar stream SHA-256 #{actual}, not the pinned #{tarball.tar_sha256} " \
              "(git archive of #{tarball.commit})"
      end
      path
    end
  end

  def tar_sha256(path)
    digest = Digest::SHA256.new
    IO.popen(["gzip", "--decompress", "--stdout", path], "rb") do |stream|
      while (chunk = stream.read(1 << 20))
        digest << chunk
      end
    end
    raise "ruby sources: gzip could not read #{path}" unless $?.success?

    digest.hexdigest
  end

  # Fetches the commit alone from `repository` into a scratch repository,
  # archives it with the pinned prefix, checks the tar stream, then writes
  # the tarball at `path` and its line of the SHA256SUMS beside it.
  def archive(tarball, path, repository: REPOSITORY)
    Dir.mktmpdir("ruby-source-") do |dir|
      git = ["git", "-C", dir]
      Rake.sh "git", "init", "--quiet", dir
      Rake.sh(*git, "fetch", "--quiet", "--depth=1", repository, tarball.commit)
      tar = File.join(dir, "source.tar")
      Rake.sh(*git, "archive", "--format=tar", "--prefix=#{tarball.prefix}", "--output=#{tar}", tarball.commit)
      actual = Digest::SHA256.file(tar).hexdigest
      unless actual == tarball.tar_sha256
        abort "ruby sources: git archive of #{tarball.commit}: tar SHA-256 #{actual}, not the pinned #{tarball.tar_sha256}"
      end
      Rake.sh "gzip", "--no-name", "--best", tar
      FileUtils.mkdir_p(File.dirname(path))
      FileUtils.mv("#{tar}.gz", path)
    end
    list = File.join(File.dirname(path), "SHA256SUMS")
    lines = File.exist?(list) ? File.readlines(list).reject { |line| line.split[1]&.delete_prefix("*") == tarball.name } : []
    File.write(list, [*lines, "#{Digest::SHA256.file(path).hexdigest}  #{tarball.name}\n"].join)
  end
end
