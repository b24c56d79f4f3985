# frozen_string_literal: true

# The GitHub Actions workflows (.github/workflows), checked offline, and the
# tasks their steps call that no other file defines:
#
#   rake workflows:check        the gate's check of every workflow: hygiene
#                               (below), actionlint, zizmor --offline, and
#                               spec/gem/workflows_spec.rb (the release
#                               builds with our rake tasks, never its own
#                               commands)
#   rake workflows:hygiene      tools/workflow_hygiene.rb: actions pinned by
#                               commit with the version in a comment,
#                               persist-credentials: false, read-only
#                               top-level permissions, id-token only in a
#                               protected environment, timeout-minutes
#   rake workflows:check_tag    on a tag (GITHUB_REF_TYPE=tag), that it is
#                               v<MyLib::VERSION>
#   rake workflows:install_gem  `gem install my_lib` from pkg/index/ (every
#                               gem of the release, indexed by
#                               release:verify), by name: RubyGems picks the
#                               platform (MY_LIB_GEM_PLATFORM=ruby forces the
#                               source gem); checks which it picked
#   rake workflows:push_gems    pkg/SHA256SUMS checked, then each gem signed
#                               with sigstore-cli and pushed with `gem push
#                               --attestation`, platform gems first and the
#                               source gem last (MY_LIB_DRY_RUN=1: printed only)
#
# actionlint and zizmor come from PyPI into bin/setup's virtualenv
# MY_LIB_TOOLS (tools/python-tools.txt, pinned by hash).

require "digest"
require "open3"
require "rbconfig"
require "tmpdir"
require_relative "../tools/workflow_hygiene"

workflows_root = File.expand_path("..", __dir__)
workflows_version = GEMSPEC.version.to_s
workflows_files = -> { Dir[File.join(workflows_root, ".github/workflows/*.{yml,yaml}")].sort }
workflows_venv = ENV.fetch("MY_LIB_TOOLS", "/opt/my_lib-tools")
# A tool of the virtualenv, or of PATH; stops with one line naming bin/setup.
workflows_tool = lambda do |name|
  candidates = [File.join(workflows_venv, "bin", name),
                *ENV.fetch("PATH", "").split(File::PATH_SEPARATOR).map { |dir| File.join(dir, name) }]
  candidates.find { |path| File.file?(path) && File.executable?(path) } ||
    abort("workflows: #{name} is not in #{workflows_venv}/bin nor on PATH; run bin/setup (or rake setup:tools)")
end
workflows_pkg = File.join(workflows_root, "pkg")
workflows_source_gem = "my_lib-#{workflows_version}.gem"

namespace :workflows do
  desc "Check every workflow: actions pinned by commit, persist-credentials: false, least permissions, timeouts"
  task :hygiene do
    files = workflows_files.call
    abort "workflows: no workflow in .github/workflows" if files.empty?
    problems = files.flat_map { |file| WorkflowHygiene.problems(file) }
    abort "workflows: #{problems.size} problem(s):\n  #{problems.join("\n  ")}" unless problems.empty?
    puts "workflows: #{files.map { |file| File.basename(file) }.join(', ')}: pinned, no persisted credentials, " \
         "least permissions, timeouts"
  end

  desc "Run actionlint (from MY_LIB_TOOLS) on every workflow"
  task :actionlint do
    sh workflows_tool.call("actionlint"), *workflows_files.call
  end

  # Offline: no audit that asks GitHub's API (e.g. whether a pinned commit
  # belongs to a tag), which only the network can answer.
  desc "Run zizmor --offline (from MY_LIB_TOOLS) on every workflow; findings fail unless justified inline"
  task :zizmor do
    sh workflows_tool.call("zizmor"), "--offline", "--no-progress", "--min-severity", "informational",
       *workflows_files.call
  end

  desc "The spec that the release builds with our rake tasks, not commands of its own (spec/gem/workflows_spec.rb)"
  task :spec do
    sh RbConfig.ruby, "-S", "rspec", "spec/gem/workflows_spec.rb", chdir: workflows_root
  end

  desc "Check every workflow offline: hygiene, actionlint, zizmor, and spec/gem/workflows_spec.rb"
  task check: %i[hygiene actionlint zizmor spec]

  desc "On a tag (GITHUB_REF_TYPE=tag, GITHUB_REF_NAME), check that it is v<MyLib::VERSION>"
  task :check_tag do
    if ENV["GITHUB_REF_TYPE"] == "tag"
      tag = ENV.fetch("GITHUB_REF_NAME")
      abort "workflows: tag #{tag} does not match MyLib::VERSION #{workflows_version} (v#{workflows_version})" \
        unless tag == "v#{workflows_version}"
      puts "workflows: releasing my_lib #{workflows_version} from tag #{tag}"
    else
      puts "workflows: not a tag: a dry run of my_lib #{workflows_version}"
    end
  end

  desc "gem install my_lib from pkg/ by name (RubyGems picks the platform; MY_LIB_GEM_PLATFORM=ruby: the source gem)"
  task :install_gem do
    gems = Dir[File.join(workflows_pkg, "my_lib-#{workflows_version}{,-*}.gem")].sort
    abort "workflows: no my_lib #{workflows_version} gem in #{workflows_pkg}" if gems.empty?
    forced = ENV["MY_LIB_GEM_PLATFORM"].to_s
    platforms = gems.map { |gem| Gem::Package.new(gem).spec.platform }.reject { |platform| platform.to_s == "ruby" }
    # The platform gem RubyGems should choose here, if one fits.
    fitting = platforms.select do |platform|
      Gem::Platform.respond_to?(:match_gem?) ? Gem::Platform.match_gem?(platform, "my_lib") : Gem::Platform.match(platform)
    end
    # From pkg/index/ (release:verify's index of all the gems), as a remote
    # source, in a directory with no gem file (RubyGems would prefer one):
    # `--local` on pkg/ would offer RubyGems a single my_lib of the version,
    # whichever platform it read first.
    index = File.join(workflows_pkg, "index")
    abort "workflows: no gem index in #{index}; rake release:verify writes it" unless File.exist?(File.join(index, "specs.4.8.gz"))
    source = "file://#{index.start_with?('/') ? '' : '/'}#{index}/"
    args = ["install", "--no-document", "--clear-sources", "--source", source, "my_lib", "--version", workflows_version]
    args += ["--platform", forced] unless forced.empty?
    Dir.mktmpdir("install-gem-") do |empty|
      run = -> { sh RbConfig.ruby, "-S", "gem", *args, chdir: empty }
      defined?(Bundler) ? Bundler.with_unbundled_env(&run) : run.call
    end
    # Outside any bundle, whose my_lib would be the checkout's.
    ask = -> { Open3.capture2(RbConfig.ruby, "-e", 'print Gem::Specification.find_by_name("my_lib").platform') }
    installed, status = defined?(Bundler) ? Bundler.with_unbundled_env(&ask) : ask.call
    abort "workflows: my_lib is not installed" unless status.success?
    expected = forced.empty? ? fitting.map(&:to_s) : [forced]
    expected = ["ruby"] if expected.empty?
    abort "workflows: RubyGems installed my_lib for #{installed}, not #{expected.join(' or ')}" \
      unless expected.include?(installed)
    puts "workflows: installed my_lib #{workflows_version} (#{installed}) on #{RUBY_DESCRIPTION}"
  end

  desc "Check pkg/SHA256SUMS, then sign each gem (sigstore-cli) and `gem push --attestation` it, source gem last " \
       "(MY_LIB_DRY_RUN=1: print only)"
  task :push_gems do
    sums_file = File.join(workflows_pkg, "SHA256SUMS")
    abort "workflows: no #{sums_file}" unless File.exist?(sums_file)
    sums = File.readlines(sums_file, chomp: true).reject(&:empty?).to_h do |line|
      digest, name = line.split(/\s+\*?/, 2)
      [name, digest]
    end
    sums.each do |name, digest|
      path = File.join(workflows_pkg, name)
      abort "workflows: #{name} is in SHA256SUMS but not in pkg/" unless File.exist?(path)
      abort "workflows: #{name}'s SHA-256 is not the one verified" unless Digest::SHA256.file(path).hexdigest == digest
    end
    gems = sums.keys.grep(/\Amy_lib-.*\.gem\z/)
    unlisted = Dir.children(workflows_pkg).grep(/\.gem\z/) - gems
    abort "workflows: #{unlisted.join(', ')} in pkg/ but not in SHA256SUMS" unless unlisted.empty?
    abort "workflows: no source gem #{workflows_source_gem} in SHA256SUMS" unless gems.include?(workflows_source_gem)
    platform_gems = (gems - [workflows_source_gem]).sort
    abort "workflows: no platform gem in SHA256SUMS" if platform_gems.empty?
    stray = platform_gems.reject { |gem| gem.start_with?("my_lib-#{workflows_version}-") }
    abort "workflows: #{stray.join(', ')} are not my_lib #{workflows_version}" unless stray.empty?

    dry_run = ENV["MY_LIB_DRY_RUN"] == "1"
    if !dry_run && Gem.rubygems_version < Gem::Version.new("3.6")
      abort "workflows: gem push --attestation needs RubyGems 3.6 or later, not #{Gem.rubygems_version}"
    end
    (platform_gems + [workflows_source_gem]).each do |gem|
      bundle = "#{gem}.sigstore.json"
      commands = [["sigstore-cli", "sign", gem, "--bundle", bundle], ["gem", "push", gem, "--attestation", bundle]]
      commands.each do |command|
        if dry_run
          puts "workflows: dry run: would run #{command.join(' ')}"
        else
          sh(*command, chdir: workflows_pkg)
        end
      end
    end
  end
end
