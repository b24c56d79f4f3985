#!/bin/sh
# Builds and installs a Ruby from a `git archive` tarball of ruby/ruby (see
# /work/shared/rubies/README.md) as its release would be: the recipe of
# rakelib/support/roots.rb's MyLibRoots::RubyPrefix, which runs it as
#
#   build_ruby.sh TARBALL SHA256SUMS PREFIX BASERUBY [HOST]
#
# - TARBALL is checked against its line in SHA256SUMS first.
# - RUBY_PATCHLEVEL is set to 0 in version.h, as in the release tarball (the
#   git tree says -1, a development build: ABI "X.Y.0+N", RUBY_DEVEL, and
#   every extension would have to export ruby_abi_version). configure reads
#   it, so this is done before autogen.sh and configure.
# - gems/bundled_gems is emptied: `make install` would download them.
# - YJIT and ZJIT are left out (their Rust build doubles the build time; no
#   spec depends on them).
# - HOST (e.g. aarch64-linux-gnu) cross-compiles, as rake-compiler's
#   cross-ruby recipe does (--host, --build, a baseruby of the same version),
#   with Debian's cross gcc and the target's libyaml and zlib from multiarch.
#
# Needs autoconf, bison, gcc, make, libyaml-dev, zlib1g-dev, libffi-dev and
# libssl-dev (bin/setup's "rubies" group). JOBS sets make's -j (default 2).
set -eu

tarball=$1 sums=$2 prefix=$3 baseruby=$4 host=${5:-}
name=$(basename "$tarball")
expected=$(awk -v name="$name" '$2 == name || $2 == "*" name { print $1 }' "$sums")
actual=$(sha256sum "$tarball" | cut -d ' ' -f 1)
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "build_ruby: $tarball: SHA-256 $actual, not ${expected:-listed in $sums}" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/build-ruby-XXXXXX")
trap 'rm -rf "$work"' EXIT
tar --extract --gzip --file "$tarball" --directory "$work" --strip-components=1
cd "$work"

sed -i 's/^#define RUBY_PATCHLEVEL -1$/#define RUBY_PATCHLEVEL 0/' version.h
grep -q '^#define RUBY_PATCHLEVEL 0$' version.h || { echo "build_ruby: no RUBY_PATCHLEVEL -1 in version.h" >&2; exit 1; }
: >gems/bundled_gems

./autogen.sh
set -- --prefix="$prefix" --disable-install-doc --enable-shared --with-baseruby="$baseruby" \
  --disable-yjit --disable-zjit
if [ -n "$host" ]; then
  set -- "$@" --host="$host" --build="$(gcc -dumpmachine)"
fi
./configure "$@"
make -j"${JOBS:-2}"
make install
