# frozen_string_literal: true

# Makes .gem files from what Debian packages, with no rubygems.org, and
# installs them with RubyGems into the GEM_HOME of a Ruby built from source
# (rakelib/support/roots.rb's MyLibRoots::RubyPrefix runs it with the host's
# /usr/bin/ruby):
#
#   pack_gems.rb DIR RUBY_COMMAND... -- [--KIND NAME]...
#
# The .gem files are written to DIR, then `RUBY_COMMAND -S gem install --local`
# installs them all from there (dependencies resolved among them), in an
# environment holding only PATH (the Ruby's bin first), HOME and LANG.
#
# Kinds:
#   --debian GEM     a pure-Ruby gem as the host's Debian packages install it:
#                    its gemspec and gem directory (with the files of its
#                    package under /usr/lib/ruby/vendor_ruby when that has no
#                    lib/), or for a default gem of the host's Ruby, its files
#                    in that Ruby's lib/.
#   --sid PACKAGE    the same from sid's .deb of PACKAGE (apt-get download,
#                    checked by apt against sid's signed index), without any
#                    compiled extension: for io-event, whose pure-Ruby
#                    selectors are its fallback.
#   --source PACKAGE a C-extension gem from the upstream sources of the
#                    installed version of PACKAGE (its Debian orig tarball,
#                    checked against the SHA-256 in apt's signed Sources
#                    index), packed with the gemspec Debian installed;
#                    RubyGems compiles it for the target Ruby (ffi).
#   --ruby-gem GEM   a bundled gem of the host's Ruby with its C extension's
#                    sources, from the orig tarball (Ruby's release tarball)
#                    of its Debian source package, the newest one deb-src
#                    lists, packed with the gemspec Debian installed (rbs,
#                    whose extension Debian builds for 3.1 only).

require "fileutils"
require "open3"
require "rubygems/package"
require "tmpdir"

def capture(*command, **options)
  output, status = Open3.capture2(*command, **options)
  abort "pack_gems: #{command.join(' ')} failed" unless status.success?
  output
end

def files_under(tree)
  Dir.glob("**/*", File::FNM_DOTMATCH, base: tree).select { |file| File.file?(File.join(tree, file)) }.sort
end

# Packs `spec` with every file of `tree` into DIR.
def pack(spec, tree, dir, keep_extensions: false)
  # Specification#files adds these: a default gem's name files its tree lacks.
  spec.extra_rdoc_files = []
  spec.test_files = []
  spec.files = files_under(tree)
  spec.executables = spec.executables.select { |name| File.file?(File.join(tree, spec.bindir, name)) }
  unless keep_extensions
    spec.extensions = []
    spec.require_paths = ["lib"]
  end
  gem = File.join(dir, spec.file_name)
  Dir.chdir(tree) { Gem::DefaultUserInteraction.use_ui(Gem::SilentUI.new) { Gem::Package.build(spec, true, false, gem) } }
  puts "pack_gems: #{File.basename(gem)}"
end

def copy_tree(from, to)
  FileUtils.mkdir_p(to)
  FileUtils.cp_r(File.join(from, "."), to, preserve: true) if File.directory?(from)
end

# The upstream tree of the Debian source package of `package`, unpacked in
# `work`: of the installed version, or with exact: false of the newest one
# apt's deb-src lines know (an update of the binary package may come from a
# suite, such as bookworm-security, whose sources are not listed).
def upstream_tree(package, work, exact: true)
  # One line per installed architecture of `package` (libruby3.1 is there
  # for amd64 and arm64): the same source.
  source, version = capture("dpkg-query", "-W", "-f=${source:Package} ${source:Version}\n", package).lines.first.split
  uris = capture("apt-get", "source", "--print-uris", "--only-source", exact ? "#{source}=#{version}" : source)
  uri, file, _size, hash = uris.lines.grep(/\.orig\.tar\./).first&.split
  abort "pack_gems: no orig tarball for #{source} #{version} (deb-src lines for it?)" unless hash
  archive = File.join(work, file)
  capture("/usr/lib/apt/apt-helper", "download-file", uri.delete("'"), archive, hash)
  unpacked = File.join(work, "src")
  FileUtils.mkdir_p(unpacked)
  capture("tar", "--extract", "--file", archive, "--directory", unpacked)
  Dir[File.join(unpacked, "*/")].fetch(0)
end

def debian_gem(name, work, dir)
  spec = Gem::Specification.find_by_name(name)
  tree = File.join(work, spec.full_name)
  copy_tree(spec.full_gem_path, tree)
  if spec.default_gem?
    spec.files.each do |file|
      from = File.join(RbConfig::CONFIG["rubylibdir"], file.delete_prefix("lib/"))
      next unless File.file?(from)

      FileUtils.mkdir_p(File.dirname(File.join(tree, file)))
      FileUtils.cp(from, File.join(tree, file))
    end
  elsif files_under(File.join(tree, "lib")).empty? # Debian's gem directory has no lib/ of its own
    package = capture("dpkg-query", "-S", spec.loaded_from).split(": ").first.split(", ").first
    capture("dpkg-query", "-L", package).lines(chomp: true).each do |file|
      relative = file[%r{\A/usr/lib/ruby/vendor_ruby/(.+)\z}, 1]
      next unless relative && File.file?(file)

      FileUtils.mkdir_p(File.dirname(File.join(tree, "lib", relative)))
      FileUtils.cp(file, File.join(tree, "lib", relative))
    end
  end
  pack(spec, tree, dir)
end

def sid_gems(package, work, dir)
  download = File.join(work, "deb")
  FileUtils.mkdir_p(download)
  capture("apt-get", "download", "#{package}/sid", chdir: download)
  root = File.join(work, "root")
  capture("dpkg-deb", "--extract", Dir[File.join(download, "*.deb")].fetch(0), root)
  specs = Dir[File.join(root, "usr/{share,lib/*}/rubygems-integration/**/specifications/*.gemspec")]
  abort "pack_gems: #{package} from sid installs no gemspec" if specs.empty?
  specs.each do |path|
    spec = Gem::Specification.load(path)
    tree = File.join(work, spec.full_name)
    copy_tree(Dir[File.join(root, "usr/{share,lib/*}/rubygems-integration/**/gems", spec.full_name)].first.to_s, tree)
    copy_tree(File.join(root, "usr/lib/ruby/vendor_ruby"), File.join(tree, "lib"))
    pack(spec, tree, dir)
  end
end

def source_gem(package, work, dir)
  path = capture("dpkg-query", "-L", package).lines(chomp: true)
                                              .grep(%r{/rubygems-integration/[^/]+/specifications/[^/]+\.gemspec\z}).first
  abort "pack_gems: #{package} installs no gemspec" unless path
  spec = Gem::Specification.load(path)
  tree = upstream_tree(package, work)
  missing = spec.extensions.reject { |extconf| File.file?(File.join(tree, extconf)) }
  abort "pack_gems: #{package}'s sources have no #{missing.join(', ')}" unless missing.empty?
  spec.require_paths = ["lib"]
  pack(spec, tree, dir, keep_extensions: true)
end

def ruby_gem(name, work, dir)
  libruby = "libruby#{RbConfig::CONFIG['MAJOR']}.#{RbConfig::CONFIG['MINOR']}"
  tree = upstream_tree(libruby, work, exact: false)
  # A Ruby release tarball has its bundled gems unpacked in .bundle/gems/.
  gem_tree = Dir[File.join(tree, ".bundle/gems", "#{name}-[0-9]*/")].fetch(0) do
    abort "pack_gems: no .bundle/gems/#{name}-* in #{libruby}'s sources"
  end
  spec = Gem::Specification.find_by_name(name, File.basename(gem_tree).delete_prefix("#{name}-"))
  missing = spec.extensions.reject { |extconf| File.file?(File.join(gem_tree, extconf)) }
  abort "pack_gems: #{name}'s sources have no #{missing.join(', ')}" unless missing.empty?
  spec.require_paths = ["lib"]
  pack(spec, gem_tree, dir, keep_extensions: true)
end

dir = ARGV.shift
separator = ARGV.index("--") or abort "usage: pack_gems.rb DIR RUBY_COMMAND... -- [--KIND NAME]..."
ruby = ARGV[0...separator]
ARGV[(separator + 1)..].each_slice(2) do |kind, name|
  Dir.mktmpdir("pack-gems-") do |work|
    case kind
    when "--debian" then debian_gem(name, work, dir)
    when "--sid" then sid_gems(name, work, dir)
    when "--source" then source_gem(name, work, dir)
    when "--ruby-gem" then ruby_gem(name, work, dir)
    else abort "pack_gems: unknown kind #{kind.inspect}"
    end
  end
end

gems = Dir[File.join(dir, "*.gem")].map { |gem| File.basename(gem) }.sort
bin = File.dirname(ruby.last)
env = { "PATH" => "#{bin}:/usr/bin:/bin", "HOME" => dir, "LANG" => "C.UTF-8" }
system(env, *ruby, "-S", "gem", "install", "--local", "--no-document", *gems, chdir: dir, unsetenv_others: true) or
  abort "pack_gems: installing #{gems.join(' ')} failed"
