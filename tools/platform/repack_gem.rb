# frozen_string_literal: true

# Re-packs a gem under another platform name:
#
#   ruby repack_gem.rb IN.gem PLATFORM OUT.gem
#
# rakelib/platform.rake builds its platform gems with the host's RubyGems,
# and Debian 12's (3.3.15) reads "x86_64-linux-gnu" as plain "x86_64-linux":
# it cannot write a -linux-gnu gem. So the gem is re-packed by a newer
# RubyGems (the trixie root's), which keeps the "gnu". Contents and every
# other field of the specification stay as they are.

require "rubygems/package"
require "tmpdir"

input, platform, output = ARGV
abort "usage: ruby repack_gem.rb IN.gem PLATFORM OUT.gem" unless output

spec = Gem::Package.new(input).spec
spec.platform = platform
unless spec.platform.to_s == platform
  abort "repack_gem: RubyGems #{Gem::VERSION} names the platform #{platform.inspect} " \
        "#{spec.platform.to_s.inspect}; run this with a newer one"
end
Dir.mktmpdir("repack-gem-") do |contents|
  Gem::Package.new(input).extract_files(contents)
  Dir.chdir(contents) { Gem::Package.build(spec, false, false, File.expand_path(output)) }
end
puts "repack_gem: #{File.basename(output)} (RubyGems #{Gem::VERSION})"
