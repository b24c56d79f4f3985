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

require "fileutils"
require "open3"
require "rbconfig"
require_relative "../tools/glibc_floor"

glibc_root = File.expand_path("..", __dir__)
glibc_version = GEMSPEC.version.to_s
glibc_checker = File.join(glibc_root, "tools/platform/check_glibc_floor.rb")
glibc_cache = ENV.fetch("MY_LIB_PLATFORM_CACHE", "/var/cache/my_lib")
bullseye_root = File.join(glibc_cache, "bullseye-amd64-c")
# c_library.rake's test in that root finds it here.
GLIBC_BULLSEYE_ROOT = bullseye_root
# Debian 11's glibc 2.31 and its C toolchain. The recipe is written into the
# root (etc/my_lib-root) and a root made by another recipe is remade.
bullseye_recipe = ["--variant=minbase", "--include=gcc,libc6-dev,make,pkg-config", "bullseye",
                   "deb http://deb.debian.org/debian bullseye main"]
bullseye_glibc = "2.31"

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

# The root is valid when today's recipe made it and its gcc and glibc are
# there: `ldd --version` names the glibc release.
bullseye_valid = lambda do
  stamp = File.join(bullseye_root, "etc/my_lib-root")
  next false unless File.exist?(stamp) && File.read(stamp) == bullseye_recipe.join(" ")

  probe = "gcc --version >/dev/null && pkg-config --version >/dev/null && ldd --version"
  output, status = Open3.capture2e("chroot", bullseye_root, "/usr/bin/env", "-i", "PATH=/usr/bin:/bin",
                                   "sh", "-c", probe)
  status.success? && output.lines.first.to_s.include?(" #{bullseye_glibc}")
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

  desc "Make (or check) the cached Debian 11 root #{File.basename(bullseye_root)} (glibc #{bullseye_glibc}) " \
       "in MY_LIB_PLATFORM_CACHE"
  task :bullseye_root do
    if bullseye_valid.call
      puts "glibc: #{bullseye_root} is ready"
      next
    end
    staging = "#{bullseye_root}.new"
    FileUtils.rm_rf(staging)
    FileUtils.mkdir_p(glibc_cache)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    suite = bullseye_recipe.index("bullseye")
    sh "mmdebstrap", *bullseye_recipe[0..suite], staging, *bullseye_recipe[(suite + 1)..]
    File.write(File.join(staging, "etc/my_lib-root"), bullseye_recipe.join(" "))
    FileUtils.rm_rf(bullseye_root)
    File.rename(staging, bullseye_root)
    abort "glibc: the new root #{bullseye_root} lacks gcc or glibc #{bullseye_glibc}" unless bullseye_valid.call
    puts format("glibc: made %s in %.0f s", bullseye_root, Process.clock_gettime(Process::CLOCK_MONOTONIC) - started)
  end
end

# platform:test builds the platform gems, installs and exercises them; then
# this checks every one of them (an action runs after the prerequisites).
task("platform:test") { Rake::Task["glibc:check_gems"].invoke }
