# frozen_string_literal: true

require "digest"
require "open3"
require "tmpdir"
require_relative "../../rakelib/support/ruby_sources"

# rakelib/support/ruby_sources.rb: the Ruby 3.2 and 4.0 tarballs, made from
# their commits where missing (the release workflow's runner), checked by the
# SHA-256 of their tar stream. Here against a repository of the spec's own,
# fetched over file:// as the workflow fetches GitHub's.
RSpec.describe MyLibRubySources do
  around do |example|
    Dir.mktmpdir("ruby-sources-spec-") do |dir|
      @dir = dir
      example.run
    end
  end

  def git(*args)
    output, status = Open3.capture2e("git", "-C", File.join(@dir, "repository"), *args)
    raise output unless status.success?

    output
  end

  # A repository with one commit; its id and the SHA-256 of `git archive`'s
  # tar of it with prefix ruby-9.9/.
  def repository
    FileUtils.mkdir_p(File.join(@dir, "repository/tool"))
    File.write(File.join(@dir, "repository/version.h"), "#define RUBY_PATCHLEVEL -1\n")
    File.write(File.join(@dir, "repository/tool/run.sh"), "#!/bin/sh\n")
    File.chmod(0o755, File.join(@dir, "repository/tool/run.sh"))
    git("init", "--quiet")
    git("add", ".")
    git("-c", "user.name=spec", "-c", "user.email=spec@example.invalid", "commit", "--quiet", "-m", "9.9.0")
    commit = git("rev-parse", "HEAD").strip
    tar, = Open3.capture2("git", "-C", File.join(@dir, "repository"), "archive", "--format=tar", "--prefix=ruby-9.9/",
                          commit, binmode: true)
    [commit, Digest::SHA256.hexdigest(tar)]
  end

  it "makes a missing tarball from its commit alone, checked by its tar stream, and lists it in SHA256SUMS" do
    commit, tar_sha256 = repository
    tarball = described_class::Tarball.new("ruby-9.9.tar.gz", commit, "ruby-9.9/", tar_sha256)
    path = File.join(@dir, "sources/ruby-9.9.tar.gz")
    FileUtils.mkdir_p(File.dirname(path))
    File.write(File.join(@dir, "sources/SHA256SUMS"), "#{'0' * 64}  other.tar.gz\n#{'1' * 64}  ruby-9.9.tar.gz\n")

    described_class.archive(tarball, path, repository: "file://#{File.join(@dir, 'repository')}")

    expect(described_class.tar_sha256(path)).to eq(tar_sha256)
    expect(File.read(File.join(@dir, "sources/SHA256SUMS")).lines)
      .to eq(["#{'0' * 64}  other.tar.gz\n", "#{Digest::SHA256.file(path).hexdigest}  ruby-9.9.tar.gz\n"])
    listing, = Open3.capture2("tar", "--list", "--verbose", "--gzip", "--file", path)
    expect(listing).to include("ruby-9.9/version.h", "ruby-9.9/tool/run.sh")
    expect(listing.lines.grep(%r{ruby-9.9/tool/run.sh}).first).to start_with("-rwx")
  end

  it "refuses a commit whose tar stream is not the pinned one, and writes nothing" do
    commit, = repository
    tarball = described_class::Tarball.new("ruby-9.9.tar.gz", commit, "ruby-9.9/", "0" * 64)
    path = File.join(@dir, "sources/ruby-9.9.tar.gz")
    expect do
      described_class.archive(tarball, path, repository: "file://#{File.join(@dir, 'repository')}")
    end.to raise_error(SystemExit).and output(/tar SHA-256 \h{64}, not the pinned 0{64}/).to_stderr
    expect(File.exist?(path)).to be(false)
  end

  it "pins the tarballs this machine has" do
    present = described_class::TARBALLS.select { |tarball| File.exist?(File.join(described_class::DIRECTORY, tarball.name)) }
    skip "no Ruby source tarball in #{described_class::DIRECTORY}" if present.empty?

    present.each do |tarball|
      expect(described_class.tar_sha256(File.join(described_class::DIRECTORY, tarball.name))).to eq(tarball.tar_sha256)
    end
  end
end
