# frozen_string_literal: true

# The glibc floor (2.17) of everything we ship, checked, and the C library
# loaded on an old glibc for real:
#
#   rake glibc:check          tools/platform/check_glibc_floor.rb on every
#                             platform gem and C tarball of this version in pkg/
#   rake glibc:bullseye_root  make (or check) the cached Debian 11 root
#                             (glibc 2.31, gcc, pkg-config) in MY_LIB_PLATFORM_CACHE
#
# The build side is tools/glibc_floor.rb (cargo-zigbuild); c_library:all runs
# the tarballs' check and, in the root made here, c_library:test_bullseye;
# platform:test checks the gems it built.

require "rbconfig"
require_relative "../tools/glibc_floor"
require_relative "support/roots"

glibc_root = File.expand_path("..", __dir__)
glibc_version = GEMSPEC.version.to_s
glibc_checker = File.join(glibc_root, "tools/platform/check_glibc_floor.rb")
# Debian 11's glibc 2.31 and its C toolchain, cached by support/roots.rb;
# c_library.rake's test in that root finds it here.
GLIBC_BULLSEYE_ROOT = MyLibRoots::Root.new(
  "bullseye-amd64-c",
  suite: "bullseye",
  options: ["--variant=minbase", "--include=gcc,libc6-dev,make,pkg-config"],
  sources: ["deb http://deb.debian.org/debian bullseye main"],
  check: ["sh", "-c", "gcc --version >/dev/null && pkg-config --version >/dev/null && " \
                      "ldd --version | head -n 1 | grep -q ' 2\\.31$'"]
)

glibc_check = lambda do |files|
  sh RbConfig.ruby, glibc_checker, *files
end

# The C tarballs c_library.rake makes, and the platform gems platform.rake
# makes (one per `platform:gem:<platform>` task), of this version.
glibc_tarballs = -> { Dir[File.join(glibc_root, "pkg/my_lib-#{glibc_version}-*-c.tar.gz")].sort }
glibc_gems = lambda do
  Rake::Task.tasks.map(&:name).grep(/\Aplatform:gem:(.+)\z/) { Regexp.last_match(1) }
            .map { |platform| File.join(glibc_root, "pkg/my_lib-#{glibc_version}-#{platform}.gem") }
end

namespace :glibc do
  desc "Check the glibc floor (#{GlibcFloor::VERSION}) and NEEDED of every .so in pkg/'s platform gems and C tarballs"
  task :check do
    files = glibc_tarballs.call + glibc_gems.call.select { |gem| File.exist?(gem) }
    abort "glibc: no platform gem or C tarball of #{glibc_version} in pkg/; build them first" if files.empty?
    glibc_check.call(files)
  end

  desc "Check the glibc floor of the C tarballs in pkg/"
  task :check_c_tarballs do
    glibc_check.call(glibc_tarballs.call)
  end

  desc "Check the glibc floor of the platform gems (one per platform:gem:<platform> task) in pkg/"
  task :check_gems do
    glibc_check.call(glibc_gems.call)
  end

  MyLibRoots.define_task(:bullseye_root, GLIBC_BULLSEYE_ROOT)
end

# platform:test builds the platform gems, installs and exercises them; then
# this checks every one of them (an action runs after the prerequisites).
task("platform:test") { Rake::Task["glibc:check_gems"].invoke }
