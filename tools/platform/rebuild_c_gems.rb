# frozen_string_literal: true

# Debian builds the C extensions of its ruby-* packages for its default Ruby
# only (3.3 in trixie and sid), so Ruby 3.4 from experimental finds neither
# their gems nor their extensions. Run inside a Debian root by the Ruby to
# install them for, as part of the root's recipe (rakelib/platform.rake):
#
#   ruby3.4 rebuild_c_gems.rb --build ruby-ffi --without-extension ruby-io-event
#
# --build PACKAGE: the upstream sources of exactly the installed version (the
#   source package's orig tarball, checked against the SHA-256 of apt's signed
#   Sources index), packed as a gem with the gemspec Debian installed for its
#   default Ruby, and installed by RubyGems, which compiles the extension for
#   the running Ruby. Debian's own patches are not applied: the registry
#   mirror reachable here does not serve every source package's
#   .debian.tar.xz, while it serves the orig tarballs of the ones built here.
# --without-extension PACKAGE: the gem's Ruby files as Debian installed them,
#   without the extension, for a gem that works without it (io-event falls
#   back to its pure-Ruby selectors, with a warning). Its sources cannot be
#   fetched here.
#
# Both install into this Ruby's rubygems-integration directory, which Debian's
# RubyGems searches.

require "open3"
require "rubygems/installer"
require "rubygems/package"
require "tmpdir"

def capture(*command)
  output, status = Open3.capture2(*command)
  abort "rebuild_c_gems: #{command.join(' ')} failed" unless status.success?
  output
end

# The gemspec Debian installed for its default Ruby.
def debian_specification(package)
  path = capture("dpkg-query", "-L", package).lines(chomp: true)
                                             .grep(%r{/rubygems-integration/[^/]+/specifications/[^/]+\.gemspec\z}).first
  abort "rebuild_c_gems: #{package} installs no gemspec" unless path
  Gem::Specification.load(path)
end

# The upstream tree of the installed version of `package`, unpacked in `work`.
def upstream_tree(package, work)
  source, version = capture("dpkg-query", "-W", "-f=${source:Package} ${source:Version}", package).split
  uris = capture("apt-get", "source", "--print-uris", "--only-source", "#{source}=#{version}")
  uri, file, _size, hash = uris.lines.grep(/\.orig\.tar\./).first&.split
  abort "rebuild_c_gems: no orig tarball for #{source} #{version}" unless hash
  archive = File.join(work, file)
  capture("/usr/lib/apt/apt-helper", "download-file", uri.delete("'"), archive, hash)
  capture("tar", "--extract", "--file", archive, "--directory", work)
  Dir[File.join(work, "*/")].fetch(0)
end

# Installs `spec` with every file of `tree`: Debian's gemspec lists only the
# files it installed, without the C sources.
def install(spec, tree, work, install_dir)
  spec.files = Dir.glob("**/*", File::FNM_DOTMATCH, base: tree).select { |file| File.file?(File.join(tree, file)) }
  spec.executables = [] # Debian's package installs them already
  gem = File.join(work, spec.file_name)
  Dir.chdir(tree) { Gem::Package.build(spec, false, false, gem) }
  Gem::Installer.at(gem, install_dir: install_dir, ignore_dependencies: true, document: [], force: true).install
  puts "rebuild_c_gems: #{spec.full_name} for Ruby #{RUBY_VERSION} in #{install_dir}" \
       "#{' (without its extension)' if spec.extensions.empty?}"
end

abi = RbConfig::CONFIG["ruby_version"]
install_dir = Gem.path.find { |dir| dir.match?(%r{\A/usr/lib/[^/]+/rubygems-integration/#{Regexp.escape(abi)}\z}) }
abort "rebuild_c_gems: no /usr/lib/<triple>/rubygems-integration/#{abi} in Gem.path #{Gem.path}" unless install_dir

ARGV.each_slice(2) do |mode, package|
  spec = debian_specification(package)
  Dir.mktmpdir("rebuild-#{package}-") do |work|
    case mode
    when "--build"
      tree = upstream_tree(package, work)
      missing = spec.extensions.reject { |extconf| File.file?(File.join(tree, extconf)) }
      abort "rebuild_c_gems: #{package}'s sources have no #{missing.join(', ')}" unless missing.empty?
      install(spec, tree, work, install_dir)
    when "--without-extension"
      spec.extensions = []
      install(spec, spec.full_gem_path, work, install_dir)
    else
      abort "rebuild_c_gems: unknown mode #{mode.inspect} (--build or --without-extension PACKAGE)"
    end
  end
end
