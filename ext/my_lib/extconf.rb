# frozen_string_literal: true

# Writes the Makefile that builds my_lib's native extension, with the rb_sys
# gem's create_rust_makefile: the same build every Rust gem uses, and the one
# rake-compiler and RbSys::ExtensionTask know how to cross-compile.
#
# RubyGems (`gem install my_lib`) runs this script, then `make clean`, `make`
# and `make install`; rake-compiler (`rake compile`) runs it in
# tmp/<platform>/my_lib/<ruby>/. The settings are rb_sys's:
#
#   RB_SYS_CARGO_PROFILE     `release` (default) or `dev` (fast, unoptimised);
#                            `gem install` always builds `release`
#   RB_SYS_CARGO_TARGET_DIR  where cargo builds (CARGO_TARGET_DIR is honoured
#                            too). Default: ./target beside the Makefile,
#                            removed after `gem install`. A directory you set
#                            is your cache: nothing here deletes it.
#   CARGO                    the cargo to run (default: `cargo` on PATH)
#   RUSTFLAGS                passed to cargo as given (`$ORIGIN` included); when
#                            unset, cargo reads `rustflags` from .cargo/config.toml
#   RB_SYS_FORCE_INSTALL_RUST_TOOLCHAIN=true  lets rb_sys download Rust when
#                            cargo is missing; otherwise a missing cargo stops
#                            the build with one line that says what to do.
#
# rb_sys 0.9.130 writes absolute paths into the Makefile unquoted, exports an
# empty RUSTFLAGS, and lets make expand `$` inside RUSTFLAGS. With a space in
# the build path, `make clean` ran `rm -fr /tmp/my dir/...` and deleted the
# sibling /tmp/my. So this script writes its own definitions around rb_sys's
# Makefile (see `safe_makefile`): every path is relative to the build
# directory, and a path make cannot carry stops the build instead.

require "mkmf"
require "pathname"
require "rb_sys/mkmf"
require "shellwords"

CRATE_DIR = __dir__

# Stops the build with one line on stderr, without mkmf's generic
# "Could not create Makefile" epilogue, which would bury the cause.
def fail_with(message)
  warn "my_lib: #{message}"
  exit!(1)
end

# The crate's `rust-version` (the oldest Rust it builds with).
def minimum_rust_version
  File.read(File.join(CRATE_DIR, "Cargo.toml"))[/^rust-version\s*=\s*"([\d.]+)"/, 1] or
    fail_with("no rust-version in #{CRATE_DIR}/Cargo.toml")
end

# Stops with one actionable line unless `cargo` runs and is recent enough.
def check_cargo!(cargo, minimum)
  version_line = IO.popen([*Shellwords.split(cargo), "--version"], err: %i[child out], &:read)
  found = version_line[/\Acargo (\d+\.\d+(?:\.\d+)?)/, 1]
  if !$?.success? || found.nil?
    fail_with "`#{cargo} --version` failed (#{version_line.lines.first.to_s.strip[0, 80]}); install Rust #{minimum}+ from " \
              "https://rustup.rs or set CARGO to a working cargo, then retry."
  end
  return if Gem::Version.new(found) >= Gem::Version.new(minimum)

  fail_with "cargo #{found} is older than the Rust #{minimum} this gem needs; run `rustup update` " \
            "(or set CARGO to a newer cargo), then retry."
rescue SystemCallError
  fail_with "cargo not found (CARGO=#{cargo}); install Rust #{minimum}+ from https://rustup.rs " \
            "or set CARGO=/path/to/cargo, then retry."
end

# Characters a path may hold to be written into a Makefile as it is: make
# splits words at blanks, expands `$` and matches `%`, and the shell would
# read quotes and the rest.
MAKE_SAFE_PATH = %r{\A[\w.+,@/=~-]+\z}

# `path` relative to the build directory, checked to be safe in a Makefile.
def makefile_path(path, what)
  relative = Pathname.new(File.expand_path(path)).relative_path_from(Pathname.pwd).to_s
  return relative if relative.match?(MAKE_SAFE_PATH)

  fail_with "the #{what} #{File.expand_path(path).inspect} cannot be reached from the build directory " \
            "without a space, `$` or quote (#{relative.inspect}); build from a path without them."
end

# The cargo target directory the user chose, if any.
USER_TARGET_DIR = ENV["RB_SYS_CARGO_TARGET_DIR"] || ENV["CARGO_TARGET_DIR"]

# Definitions that go before rb_sys's Makefile: rb_sys assigns these with
# `?=`, so ours win (and a value given on the make command line still wins).
def makefile_preamble(cargo)
  <<~MAKE
    # Written by #{File.basename(__FILE__)} before rb_sys's Makefile: paths relative to
    # this directory, so that a space or `$` in the build path cannot split them.
    CARGO ?= #{cargo.gsub("$", "$$")}
    RB_SYS_BUILD_DIR = .rb-sys
    RB_SYS_CARGO_MANIFEST_DIR = #{makefile_path(CRATE_DIR, "crate directory")}
    RB_SYS_CARGO_TARGET_DIR = #{makefile_path(USER_TARGET_DIR || "target", "cargo target directory")}
    # RUSTFLAGS from the environment, literally: make would expand `$ORIGIN`.
    ifeq ($(origin RUSTFLAGS),environment)
    RUSTFLAGS := $(value RUSTFLAGS)
    endif
  MAKE
end

# `$(INSTALL_PROG) FILE DIR`, as mkmf calls it, done atomically (see below).
ATOMIC_INSTALL = "sh -c 'dest=\"$$2/$$(basename \"$$1\")\"; cmp -s \"$$1\" \"$$dest\" || " \
                 "{ cp \"$$1\" \"$$dest.tmp\" && chmod 755 \"$$dest.tmp\" && mv -f \"$$dest.tmp\" \"$$dest\"; }' install"

# Definitions that go after rb_sys's Makefile, and so replace its own.
def makefile_postamble
  install_dir = RbConfig::CONFIG["sitearchdir"]
  lines = ["", "# Written by #{File.basename(__FILE__)} after rb_sys's Makefile."]
  lines << <<~MAKE
    # rb_sys always exports RUSTFLAGS; an empty one would make cargo ignore the
    # `rustflags` of .cargo/config.toml.
    ifeq ($(strip $(RUSTFLAGS)),)
    unexport RUSTFLAGS
    endif
  MAKE
  lines << <<~MAKE
    # Copy cargo's library every time: when it is already fresh (say, back to
    # a profile built before) cargo leaves an older file than ours, which
    # make's mtime test would take for up to date.
    .PHONY: $(DLLIB)
  MAKE
  lines << <<~MAKE
    # Install the library by copy, then rename, and only when it changed: a
    # process that has the old one loaded keeps an intact mapping, where
    # install(1) would rewrite the file under it.
    INSTALL_PROG = #{ATOMIC_INSTALL}
  MAKE
  if File.absolute_path?(install_dir)
    lines << <<~MAKE
      # `make install` copies into #{install_dir}; reach it by a relative path.
      ifeq ($(DESTDIR),)
      sitearchdir = #{makefile_path(install_dir, "install directory")}
      endif
    MAKE
  end
  if USER_TARGET_DIR
    lines << <<~MAKE
      # The cargo target directory is the user's cache: clean leaves it alone.
      CLEANOBJS = $(RB_SYS_BUILD_DIR)
      CLEANLIBS = $(DLLIB)
    MAKE
  end
  lines.join("\n") + "\n"
end

# rb_sys's Makefile, between our preamble and postamble. Both are made
# first, so a path that cannot be carried stops the build before any
# Makefile exists.
def safe_makefile(cargo)
  preamble = makefile_preamble(cargo)
  postamble = makefile_postamble
  yield
  File.write("Makefile", preamble + File.read("Makefile") + postamble)
end

cargo = ENV.fetch("CARGO", "cargo")
force_install = ENV.fetch("RB_SYS_FORCE_INSTALL_RUST_TOOLCHAIN", "false") != "false"
check_cargo!(cargo, minimum_rust_version) unless force_install

safe_makefile(cargo) do
  create_rust_makefile("my_lib/my_lib") do |r|
    # RB_SYS_CARGO_PROFILE (default `release`) is read by rb_sys itself.
    r.extra_cargo_args = ["--locked"]
    # Never download a toolchain behind the user's back; see check_cargo!.
    r.auto_install_rust_toolchain = false
    # After `gem install`, drop the build's own target dir (~150 MB), never
    # one the user chose.
    r.clean_after_install = r.rubygems_invoked? && USER_TARGET_DIR.nil?
    r.rubygems_clean_dirs += ["target"]
  end
end
