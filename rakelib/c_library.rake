# frozen_string_literal: true

# The C library as a product: libmy_lib.so built without Ruby, with a SONAME
# and a versioned file name, shipped as pkg/my_lib-<version>-<arch>-linux-c.tar.gz
# for x86_64 and, cross-compiled, aarch64. The tarball is a prefix (extract it
# into /usr/local with --strip-components=1): lib/ (the library and its
# links), include/my_lib.h, lib/pkgconfig/my_lib.pc, and share/doc/my_lib/
# (LICENSE, THIRD_PARTY_LICENSES.md for the crates and Rust standard library
# linked in, and docs/C_LIBRARY.md as README.md). The tests install each
# tarball into a temporary prefix and build tests/c with `pkg-config --cflags
# --libs my_lib` alone; the aarch64 programs run under qemu-user.
#
# Both tarballs' libraries are linked by cargo-zigbuild against glibc 2.17
# (see tools/glibc_floor.rb), checked by tools/platform/check_glibc_floor.rb,
# and the x86_64 one is tested on Debian 11's glibc 2.31 in a cached root.
# `rake c_abi:lib`, the checkout's own library for the specs and
# benchmarks, is cargo's plain host build.
#
# Needs, besides Rust: cargo-zigbuild and ziglang (the venv of
# tools/glibc_floor.rb), gcc, pkg-config, tar, mmdebstrap; for aarch64 the
# Rust target aarch64-unknown-linux-gnu, gcc-aarch64-linux-gnu (which brings
# the arm64 libc) and qemu-user. bin/setup installs them all.

require "fileutils"
require "open3"
require "rbconfig"
require "tmpdir"
require_relative "../tools/glibc_floor"

c_library_root = File.expand_path("..", __dir__)
c_library_version = GEMSPEC.version.to_s
c_library_target_dir = File.join(c_library_root, "target/c_abi")

# The ABI version in the SONAME follows semver, as cargo-c names Rust C
# libraries: 1.x.y is libmy_lib.so.1; under 0.x every minor release may
# break the ABI, so 0.1.y is libmy_lib.so.0.1.
c_library_abi_version = lambda do
  major, minor = c_library_version.split(".")
  major == "0" ? "0.#{minor}" : major
end.call
c_library_soname = "libmy_lib.so.#{c_library_abi_version}"
c_library_file_name = "libmy_lib.so.#{c_library_version}"

# The platforms a tarball is made for: the Rust target, the GNU triple of
# its cross tools (aarch64-linux-gnu-gcc, the libc in /usr/aarch64-linux-gnu),
# and how qemu-user runs its programs on another host.
c_library_platforms = {
  "x86_64-linux" => { rust: "x86_64-unknown-linux-gnu", gnu: "x86_64-linux-gnu", qemu: "qemu-x86_64" },
  "aarch64-linux" => { rust: "aarch64-unknown-linux-gnu", gnu: "aarch64-linux-gnu", qemu: "qemu-aarch64" }
}
c_library_host_platform = "#{RbConfig::CONFIG['host_cpu']}-linux"

# `cargo rustc` building libmy_lib.so without Ruby (with the tutorial
# aliases), for the target of `target_args` (none: the host), its SONAME
# set by a linker argument to this crate's cdylib alone: `cargo rustc`
# passes the flags after `--` to the final rustc call only, so neither the
# dependencies nor the Ruby extension (built by rb_sys, with the `ruby`
# feature, into target/) see it.
c_library_rustc_args = lambda do |*target_args, link_args: ["-C", "link-arg=-Wl,-soname,#{c_library_soname}"]|
  ["rustc", "--locked", "--release", "--lib", "--crate-type", "cdylib", *target_args,
   "--no-default-features", "--features", "tutorial-aliases",
   "--manifest-path", File.join(c_library_root, "ext/my_lib/Cargo.toml"), "--target-dir", c_library_target_dir,
   "--", *link_args]
end

# The host's own library (`rake c_abi:lib`) on each OS CI runs the suite on:
# its file name as cargo writes it, and the linker arguments that name it.
# ELF: the SONAME. macOS: the install name (@rpath/, as cargo-c sets it; ld64
# has no -soname). Windows: a DLL, named by its file alone.
c_library_host_os = RbConfig::CONFIG["host_os"]
c_library_dev_library, c_library_dev_link_args =
  if c_library_host_os.include?("darwin")
    ["libmy_lib.dylib", ["-C", "link-arg=-Wl,-install_name,@rpath/libmy_lib.dylib"]]
  elsif c_library_host_os.match?(/mswin|mingw|cygwin/)
    ["my_lib.dll", []]
  else
    ["libmy_lib.so", ["-C", "link-arg=-Wl,-soname,#{c_library_soname}"]]
  end

# Links the SONAME to the file beside `library`, as ldconfig would in an
# install, so programs linked against the build directory (tests/c) run
# from it. Returns `library`.
c_library_link_soname = lambda do |library|
  FileUtils.ln_sf("libmy_lib.so", File.join(File.dirname(library), c_library_soname))
  library
end

# The library the specs, benchmarks and hosts load in this checkout
# (`rake c_abi:lib`): cargo's own host build into target/c_abi/release, which
# needs nothing but Rust (the RSpec suite runs it in the Ruby 3.3 root too).
c_library_dev_build = lambda do
  sh CARGO, *c_library_rustc_args.call(link_args: c_library_dev_link_args)
  library = File.join(c_library_target_dir, "release", c_library_dev_library)
  library.end_with?(".so") ? c_library_link_soname.call(library) : library
end

# The library a tarball ships for platform `name`: linked by cargo-zigbuild
# against glibc GlibcFloor::VERSION (the target x86_64-unknown-linux-gnu.2.17:
# zig's glibc stubs, never the build machine's glibc), into
# target/c_abi/<Rust target>/release.
c_library_build = lambda do |name|
  rust_target = c_library_platforms.fetch(name)[:rust]
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  sh GlibcFloor.zigbuild_env, GlibcFloor.cargo_zigbuild,
     *c_library_rustc_args.call("--target", GlibcFloor.zigbuild_target(rust_target))
  puts format("c_library: cargo-zigbuild for %s took %.1f s", rust_target,
              Process.clock_gettime(Process::CLOCK_MONOTONIC) - started)
  c_library_link_soname.call(File.join(c_library_target_dir, rust_target, "release/libmy_lib.so"))
end

# The SONAME recorded in an ELF shared library's dynamic section.
c_library_soname_of = lambda do |library|
  dynamic, status = Open3.capture2("readelf", "-dW", library)
  abort "c_library: readelf failed on #{library}" unless status.success?
  dynamic[/\(SONAME\)\s+Library soname: \[([^\]]+)\]/, 1]
end

c_library_tarball = ->(name) { File.join(c_library_root, "pkg/my_lib-#{c_library_version}-#{name}-c.tar.gz") }

# Lays out the package of platform `name` in a scratch directory and tars it
# reproducibly (sorted, owned by root, dated by the last commit).
c_library_package = lambda do |name, library|
  soname = c_library_soname_of.call(library)
  abort "c_library: #{library} has SONAME #{soname.inspect}, not #{c_library_soname}" unless soname == c_library_soname

  top = "my_lib-#{c_library_version}-#{name}-c"
  Dir.mktmpdir("my_lib-c-package") do |staging|
    prefix = File.join(staging, top)
    FileUtils.mkdir_p(%w[include lib/pkgconfig share/doc/my_lib].map { |dir| File.join(prefix, dir) })
    FileUtils.cp(library, File.join(prefix, "lib", c_library_file_name))
    FileUtils.ln_s(c_library_file_name, File.join(prefix, "lib", c_library_soname))
    FileUtils.ln_s(c_library_soname, File.join(prefix, "lib/libmy_lib.so"))
    FileUtils.cp(File.join(c_library_root, "include/my_lib.h"), File.join(prefix, "include"))
    FileUtils.cp(%w[LICENSE THIRD_PARTY_LICENSES.md].map { |file| File.join(c_library_root, file) },
                 File.join(prefix, "share/doc/my_lib"))
    FileUtils.cp(File.join(c_library_root, "docs/C_LIBRARY.md"), File.join(prefix, "share/doc/my_lib/README.md"))
    File.write(File.join(prefix, "lib/pkgconfig/my_lib.pc"), <<~PC)
      # Relocatable: the prefix is found from this file's own place.
      prefix=${pcfiledir}/../..
      libdir=${prefix}/lib
      includedir=${prefix}/include

      Name: my_lib
      Description: Points, byte buffers and text from a Rust core, as a C library
      URL: #{GEMSPEC.homepage}
      Version: #{c_library_version}
      Libs: -L${libdir} -lmy_lib
      Cflags: -I${includedir}
    PC

    tarball = c_library_tarball.call(name)
    FileUtils.mkdir_p(File.dirname(tarball))
    commit_time = `git -C #{c_library_root} log -1 --format=%ct 2>/dev/null`.strip
    mtime = commit_time.empty? ? [] : ["--mtime=@#{commit_time}"]
    sh "tar", "--create", "--file", tarball, "--use-compress-program", "gzip -9n", "--sort=name", "--owner=0",
       "--group=0", "--numeric-owner", *mtime, "--directory", staging, top
    puts "c_library: #{tarball} (#{File.size(tarball)} bytes)"
  end
end

# The C host tests a package is checked with, and their extra gcc flags.
c_library_c_tests = { "test_my_lib" => [], "test_threads" => ["-pthread"] }

# Unpacks the tarball of platform `name` into a temporary prefix, builds each
# C host test with the platform's gcc and `pkg-config --cflags
# --libs my_lib` alone (PKG_CONFIG_LIBDIR is the prefix's: no other .pc, and
# no path into the source tree), and runs it, under qemu-user when the
# platform is not the host's. Then yields the run environment, the prefix
# and pkg-config's flags to `block`.
c_library_install_and_test = lambda do |name, &block|
  platform = c_library_platforms.fetch(name)
  Dir.mktmpdir("my_lib-c-prefix") do |prefix|
    sh "tar", "--extract", "--file", c_library_tarball.call(name), "--directory", prefix, "--strip-components=1"
    %w[LICENSE THIRD_PARTY_LICENSES.md].each do |notice|
      abort "c_library: the #{name} tarball has no share/doc/my_lib/#{notice}" \
        unless File.file?(File.join(prefix, "share/doc/my_lib", notice))
    end
    pkg_config_env = { "PKG_CONFIG_LIBDIR" => File.join(prefix, "lib/pkgconfig"), "PKG_CONFIG_PATH" => nil }
    flags, status = Open3.capture2(pkg_config_env, "pkg-config", "--cflags", "--libs", "my_lib")
    abort "c_library: pkg-config found no my_lib in #{prefix}" unless status.success?
    abort "c_library: pkg-config gave #{flags.strip}, a path into the source tree" if flags.include?(c_library_root)

    run_env = { "LD_LIBRARY_PATH" => File.join(prefix, "lib") }
    runner = []
    if name != c_library_host_platform
      # The cross toolchain's libc, in its sysroot, for qemu's loader and for
      # the loader's search, which would otherwise fall back to
      # /lib/<triple> when that exists (a multiarch libc6:arm64, of another
      # build: its loader and libc mismatched, threads hang).
      sysroot = "/usr/#{platform[:gnu]}"
      run_env["LD_LIBRARY_PATH"] += ":#{sysroot}/lib"
      runner = [platform[:qemu], "-L", sysroot]
    end
    c_library_c_tests.each do |test, extra_flags|
      program = File.join(prefix, test)
      sh "#{platform[:gnu]}-gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", *extra_flags,
         File.join(c_library_root, "tests/c/#{test}.c"), *flags.split, "-o", program
      needed = `readelf -dW #{program}`[/\(NEEDED\)\s+Shared library: \[(libmy_lib[^\]]*)\]/, 1]
      unless needed == c_library_soname
        abort "c_library: #{test} needs #{needed.inspect}, not the SONAME #{c_library_soname}"
      end
      sh run_env, *runner, program
    end
    block&.call(run_env, prefix, flags.split)
  end
end

# Builds and runs the C host tests as above, but inside the Debian 11 root
# `root` (a MyLibRoots::Root with glibc 2.31, `glibc:bullseye_root`) with its
# own gcc and pkg-config, against the x86_64 tarball installed there: the
# library must link and load on a glibc older than the build machine's.
c_library_bullseye_test = lambda do |root|
  scratch = Dir.mktmpdir("my_lib-c-bullseye-", File.join(root.path, "tmp"))
  begin
    inside = scratch.delete_prefix(root.path)
    tarball = c_library_tarball.call("x86_64-linux")
    FileUtils.cp(tarball, scratch)
    FileUtils.cp(c_library_c_tests.keys.map { |test| File.join(c_library_root, "tests/c/#{test}.c") }, scratch)
    builds = c_library_c_tests.map do |test, extra_flags|
      "gcc -std=c11 -Wall -Wextra -Werror -pedantic #{extra_flags.join(' ')} #{test}.c " \
        "$(pkg-config --cflags --libs my_lib) -o #{test}\n./#{test}"
    end
    script = <<~SH
      set -e
      cd #{inside}
      mkdir prefix
      tar --extract --file #{File.basename(tarball)} --directory prefix --strip-components=1
      export PKG_CONFIG_LIBDIR=#{inside}/prefix/lib/pkgconfig LD_LIBRARY_PATH=#{inside}/prefix/lib
      echo "c_library: in #{root.name}, $(ldd --version | head -n 1)"
      #{builds.join("\n")}
    SH
    root.run(["sh", "-c", script], env: { "LANG" => "C.UTF-8" })
  ensure
    FileUtils.rm_rf(scratch)
  end
end

# The snippet for each host language in docs/C_LIBRARY.md (examples/hosts): its code
# fence, and how to run it from the installed package with the environment
# `env`, `flags` being pkg-config's. Each prints the same four lines.
c_library_snippets = {
  "C" => ["hello.c", "c", lambda { |source, scratch, env, flags|
    sh "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", source, *flags, "-o", File.join(scratch, "hello")
    [env, File.join(scratch, "hello")]
  }],
  "Python" => ["hello.py", "python", ->(source, _, env, _) { [env, "python3", "-B", source] }],
  "Java" => ["Hello.java", "java", ->(source, _, env, _) { [env, "java", "-cp", MY_LIB_JNA_JAR, source] }],
  "C#" => ["Hello.cs", "csharp", lambda { |source, scratch, env, _|
    sh "mcs", "-warnaserror+", "-out:#{File.join(scratch, 'Hello.exe')}", source
    [env, "mono", File.join(scratch, "Hello.exe")]
  }],
  "Ruby" => ["hello_ffi.rb", "ruby", ->(source, _, env, _) { [env, RbConfig.ruby, source] }]
}

# Runs each snippet of docs/C_LIBRARY.md against the package installed at `prefix` (the
# libraries found through `env`'s LD_LIBRARY_PATH) and checks what it
# prints, and that the guide shows the file verbatim.
c_library_check_snippets = lambda do |env, prefix, flags|
  guide = File.read(File.join(c_library_root, "docs/C_LIBRARY.md"))
  c_library_snippets.each do |language, (file, fence, command)|
    source = File.join(c_library_root, "examples/hosts", file)
    unless guide.include?("```#{fence}\n#{File.read(source)}```\n")
      abort "c_library: docs/C_LIBRARY.md does not show examples/hosts/#{file} verbatim in a ```#{fence} block"
    end
    expected = <<~OUTPUT
      Hello, #{language}!
      40 + 2 = 42
      error 3: 2147483647 + 1 overflows a 32-bit signed integer (-2147483648 to 2147483647)
      distance 5.0
    OUTPUT
    output, status = Open3.capture2(*command.call(source, prefix, env, flags))
    abort "c_library: the #{language} snippet failed (#{status})" unless status.success?
    abort "c_library: the #{language} snippet printed:\n#{output}\nnot:\n#{expected}" unless output == expected
    puts "c_library: the #{language} snippet of docs/C_LIBRARY.md works against the installed package"
  end
end

namespace :c_abi do
  # With the tutorial's six unprefixed names (feature `tutorial-aliases`),
  # which only this library exports: the Ruby extension, loaded with
  # RTLD_GLOBAL, exports the my_lib_ names alone.
  desc "Build libmy_lib.so (SONAME #{c_library_soname}; libmy_lib.dylib on macOS, my_lib.dll on Windows) " \
       "without Ruby into target/c_abi/release"
  task(:lib) { c_library_dev_build.call }
end

namespace :c_library do
  desc "Package pkg/my_lib-#{c_library_version}-#{c_library_host_platform}-c.tar.gz " \
       "(the C library, header, .pc, license, note)"
  task :package do
    c_library_package.call(c_library_host_platform, c_library_build.call(c_library_host_platform))
  end

  desc "Install the host's tarball into a temporary prefix; build tests/c with pkg-config alone; " \
       "run the snippets of docs/C_LIBRARY.md"
  task test: :package do
    c_library_install_and_test.call(c_library_host_platform, &c_library_check_snippets)
  end

  (c_library_platforms.keys - [c_library_host_platform]).each do |name|
    arch = name.split("-").first

    desc "Cross-compile and package pkg/my_lib-#{c_library_version}-#{name}-c.tar.gz"
    task "package_#{arch}" do
      c_library_package.call(name, c_library_build.call(name))
    end

    desc "Install the #{name} tarball into a temporary prefix; cross-build tests/c with pkg-config, run under qemu"
    task "test_#{arch}" => "package_#{arch}" do
      c_library_install_and_test.call(name)
    end
  end

  desc "Install the x86_64 tarball in the Debian 11 root (glibc 2.31); build tests/c there with pkg-config; run it"
  task test_bullseye: ["glibc:bullseye_root", c_library_host_platform == "x86_64-linux" ? :package : :package_x86_64] do
    c_library_bullseye_test.call(GLIBC_BULLSEYE_ROOT)
  end

  cross_tests = (c_library_platforms.keys - [c_library_host_platform]).map { |name| "test_#{name.split('-').first}" }
  desc "Package and test the C library for every platform, check its glibc floor, test on glibc 2.31 (part of `rake`)"
  task all: [:test, *cross_tests, "glibc:check_c_tarballs", :test_bullseye]
end
