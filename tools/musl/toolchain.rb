# frozen_string_literal: true

require "fileutils"
require "open3"
require_relative "../glibc_floor"

# What building and checking my_lib for musl takes, shared by
# rakelib/musl.rake and spec/gem/musl_tls_spec.rb.
#
# Linking: Rust's musl targets link a cdylib (with `-C
# target-feature=-crt-static`, as rb-sys sets for musl) against libgcc_s for
# the unwinder, which Alpine has only after `apk add libgcc` and Debian has
# not at all for musl. zig's `zig cc -target <arch>-linux-musl` (from
# cargo-zigbuild's venv, as tools/glibc_floor.rb uses it for glibc) links
# its own libunwind in statically instead, and musl's libc.so by name: the
# library needs nothing but musl's libc (checked by `ElfAudit`).
module MyLibMusl
  ROOT = File.expand_path("../..", __dir__) unless const_defined?(:ROOT)
  WRAPPER_DIR = File.join(ROOT, "tmp/musl")

  module_function

  # x86_64-unknown-linux-musl for "x86_64".
  def rust_target(arch) = "#{arch}-unknown-linux-musl"

  # A linker for `arch`-linux-musl: a script running cargo-zigbuild's
  # `zig cc` with zig's musl target. Returns its path.
  def linker(arch)
    GlibcFloor.zig_cc_wrapper(File.join(WRAPPER_DIR, "zigcc-#{arch}-linux-musl.sh"), "#{arch}-linux-musl",
                              "tools/musl/toolchain.rb: links for musl with zig (its own static libunwind).")
  end

  # RUSTFLAGS for a musl cdylib linked by `linker(arch)` (with --target, only
  # the library's own crates see them, not build scripts).
  def cargo_env(arch)
    flags = [ENV["RUSTFLAGS"], "-C target-feature=-crt-static", "-C linker=#{linker(arch)}"]
    { "RUSTFLAGS" => flags.compact.reject(&:empty?).join(" ") }
  end

  # What a shared object for musl must be, read with readelf (which reads
  # any architecture's ELF): the right machine; NEEDED nothing but musl's
  # libc; no RUNPATH; no glibc symbol version; and no static TLS: no initial-exec
  # (TPOFF/TPREL) relocation and no DF_STATIC_TLS, which musl's loader
  # refuses in a dlopen()ed library ("initial-exec TLS resolves to dynamic
  # definition").
  module ElfAudit
    MACHINES = { "x86_64" => "Advanced Micro Devices X86-64", "aarch64" => "AArch64" }.freeze
    STATIC_TLS_RELOCATIONS = /\b(R_(?:X86_64_(?:GOT)?TPOFF(?:32|64)|AARCH64_TLS_TPREL(?:64)?|AARCH64_TLSIE_\w+))\b/

    module_function

    def readelf(*args, file)
      output, status = Open3.capture2e("readelf", "--wide", *args, file)
      raise "musl: readelf #{args.join(' ')} #{file} failed: #{output}" unless status.success?

      output
    end

    # The problems of the shared object `file` for `arch`-linux-musl (empty
    # when there are none).
    def problems(file, arch)
      problems = []
      machine = readelf("--file-header", file)[/^\s*Machine:\s*(.+)$/, 1]
      problems << "machine #{machine.inspect}, not #{MACHINES.fetch(arch)}" unless machine == MACHINES.fetch(arch)
      dynamic = readelf("--dynamic", file)
      needed = dynamic.scan(/\(NEEDED\)\s+Shared library: \[(.+?)\]/).flatten
      allowed = ["libc.so", "libc.musl-#{arch}.so.1"]
      problems << "NEEDED #{(needed - allowed).join(', ')} (only musl's libc allowed)" unless (needed - allowed).empty?
      problems << "no NEEDED libc" if (needed & allowed).empty?
      # A search path baked in at build time (say, a build machine's
      # temporary directory) is searched on every user's machine.
      paths = dynamic.scan(/\((?:RPATH|RUNPATH)\)\s+Library r\w*path: \[(.*?)\]/).flatten
      problems << "RUNPATH/RPATH #{paths.join(', ')}" unless paths.empty?
      versions = readelf("--version-info", file).scan(/\b(GLIBC\w*_[\d.]+)/).flatten.uniq
      problems << "glibc symbol versions #{versions.join(', ')}" unless versions.empty?
      problems << "DF_STATIC_TLS set (initial-exec TLS)" if dynamic.match?(/\(FLAGS\)\s+.*\bSTATIC_TLS\b/)
      relocations = readelf("--relocs", file).scan(STATIC_TLS_RELOCATIONS).map(&:first).uniq
      problems << "initial-exec TLS relocations #{relocations.join(', ')}" unless relocations.empty?
      problems
    end
  end
end
