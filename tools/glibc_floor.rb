# frozen_string_literal: true

require "fileutils"

# The glibc floor of every shared object we ship (the platform gems' Ruby
# extensions and the C tarballs' libmy_lib.so): each links against zig's
# glibc 2.17 stubs instead of the build machine's glibc, through
# cargo-zigbuild's `zig cc` (as maturin builds manylinux wheels), so it
# needs no symbol version above GLIBC_2.17 and loads on RHEL 7 and newer.
#
# The tools, `cargo-zigbuild` and `ziglang` from PyPI, live in bin/setup's
# virtualenv of Python tools, MY_LIB_TOOLS (default /opt/my_lib-tools),
# installed by tools/install_tools.sh at the versions and SHA-256 pinned in
# tools/python-tools.txt (pip install --require-hashes).
#
# tools/platform/check_glibc_floor.rb verifies what the build promises.
module GlibcFloor
  # The oldest glibc our shared objects load on.
  VERSION = "2.17"
  VENV = ENV.fetch("MY_LIB_TOOLS", "/opt/my_lib-tools")
  ROOT = File.expand_path("..", __dir__)
  # The `zig cc` linker wrappers are written here, one per Rust target.
  WRAPPER_DIR = File.join(ROOT, "tmp/glibc_floor")

  module_function

  # The cargo-zigbuild executable, after checking that it and zig run; stops
  # the build with one line naming bin/setup when they are missing.
  def cargo_zigbuild
    executable = File.join(VENV, "bin/cargo-zigbuild")
    python = File.join(VENV, "bin/python3")
    unless File.executable?(executable) && system(python, "-m", "ziglang", "version", out: File::NULL, err: File::NULL)
      abort "glibc: cargo-zigbuild and ziglang are missing from #{VENV} (MY_LIB_TOOLS); run bin/setup"
    end
    executable
  end

  # cargo-zigbuild's spelling of the Rust target `rust_target` with the
  # floor: x86_64-unknown-linux-gnu.2.17.
  def zigbuild_target(rust_target)
    "#{rust_target}.#{VERSION}"
  end

  # zig's spelling of the same target: x86_64-linux-gnu.2.17.
  def zig_target(rust_target)
    arch, _vendor, os, abi = rust_target.split("-")
    unless os == "linux" && abi == "gnu"
      raise ArgumentError, "glibc: #{rust_target} is not a <arch>-<vendor>-linux-gnu target"
    end

    "#{arch}-#{os}-#{abi}.#{VERSION}"
  end

  # The environment for a `cargo zigbuild` run: zig found through the venv's
  # python3 (`python3 -m ziglang`), whatever python3 comes first on PATH.
  def zigbuild_env
    { "PATH" => "#{File.join(VENV, 'bin')}#{File::PATH_SEPARATOR}#{ENV.fetch('PATH')}" }
  end

  # A linker for `rust_target` that links against glibc VERSION: a script
  # running cargo-zigbuild's `zig cc` with zig's target. Returns its path.
  def linker(rust_target)
    zig_cc_wrapper(File.join(WRAPPER_DIR, "zigcc-#{zigbuild_target(rust_target)}.sh"), zig_target(rust_target),
                   "tools/glibc_floor.rb: links against glibc #{VERSION} with zig.")
  end

  # Writes (when missing or different) and returns `path`: a script running
  # cargo-zigbuild's `zig cc` (which also drops the arguments zig does not
  # take, as its own wrappers do) for `zig_target`, with zig found through
  # the venv. `written_by` goes into its comment. Also used for musl
  # (tools/musl/toolchain.rb).
  def zig_cc_wrapper(path, zig_target, written_by)
    if path.match?(/\s/)
      abort "zig cc: the linker wrapper's path #{path.inspect} has a blank, which RUSTFLAGS cannot carry; " \
            "build from a path without one"
    end
    script = <<~SH
      #!/bin/sh
      # Written by #{written_by}
      PATH=#{File.join(VENV, 'bin')}:$PATH
      export PATH
      exec #{cargo_zigbuild} zig cc -- -g -fno-sanitize=all -target #{zig_target} "$@"
    SH
    unless File.exist?(path) && File.read(path) == script
      FileUtils.mkdir_p(File.dirname(path))
      File.write(path, script)
      File.chmod(0o755, path)
    end
    path
  end

  # The environment for rb_sys's build of the Ruby extension for
  # `rust_target` (cargo is run with --target, CARGO_BUILD_TARGET): rb_sys
  # passes `-C linker=<RbConfig's CC>` to rustc after `--`, and cargo puts
  # RUSTFLAGS after those arguments, so this linker is the one rustc uses.
  # Only the extension's own crates see it: with --target, build scripts
  # and proc-macros are built without RUSTFLAGS.
  def cargo_env(rust_target)
    flags = [ENV["RUSTFLAGS"], "-C linker=#{linker(rust_target)}"].compact.reject(&:empty?)
    { "RUSTFLAGS" => flags.join(" ") }
  end
end
