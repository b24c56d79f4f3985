#!/bin/sh
# Builds and installs a Ruby linked against musl, from a `git archive`
# tarball of ruby/ruby (see /work/shared/rubies/README.md) as its release
# would be, or from a Ruby release tarball (Debian's .orig.tar.xz) as it is.
# Run by `rake musl:ruby` (rakelib/musl.rake, tools/musl/rubies.rb), which
# caches the result in MY_LIB_PLATFORM_CACHE:
#
#   build_ruby.sh TARBALL SHA256SUMS PREFIX [HOST BASERUBY]
#
# - TARBALL (gzip or xz) is checked against its line in SHA256SUMS first.
# - The C compiler is Debian's musl-gcc wrapper (musl-tools); with HOST
#   (aarch64-linux-musl) it cross-compiles with aarch64-linux-musl-gcc
#   (musl-dev:arm64, over gcc-aarch64-linux-gnu), with BASERUBY, a Ruby of
#   the same version (the x86_64 musl one), as Ruby's cross build requires.
# - zlib and libyaml come from Debian's source packages (`apt-get source`:
#   deb-src lines needed), built static and PIC with the same compiler, so
#   the Ruby needs no library but musl's libc.
# - A git tree (RUBY_PATCHLEVEL -1 in version.h: a development build with
#   another ABI version) gets RUBY_PATCHLEVEL 0, as in the release tarball,
#   and its configure from autogen.sh; a release tree has both already.
# - gems/bundled_gems is emptied: `make install` would download (git tree)
#   or build and install (release tree) the bundled gems, which none of the
#   musl Rubies carries.
# - Left out: YJIT and ZJIT (Rust), openssl, readline, libffi (fiddle).
#   Without openssl `gem install` cannot check signatures: the musl tasks
#   install with --local and no security policy.
#
# Needs musl-tools, autoconf, bison, dpkg-dev, make (and for HOST
# musl-dev:arm64, gcc-aarch64-linux-gnu): bin/setup's musl group.
# JOBS sets make's -j (default 2).
set -eu

tarball=$1 sums=$2 prefix=$3 host=${4:-} baseruby=${5:-/usr/bin/ruby}
name=$(basename "$tarball")
expected=$(awk -v name="$name" '$2 == name || $2 == "*" name { print $1 }' "$sums")
actual=$(sha256sum "$tarball" | cut -d ' ' -f 1)
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "musl build_ruby: $tarball: SHA-256 $actual, not ${expected:-listed in $sums}" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/musl-ruby-XXXXXX")
trap 'rm -rf "$work"' EXIT
deps=$work/deps
mkdir -p "$work/src" "$work/bin" "$deps/lib" "$deps/include"
jobs=${JOBS:-2}

if [ -n "$host" ]; then
  # aarch64-linux-musl-gcc is gcc-aarch64-linux-gnu with musl's specs; the
  # binutils are that gcc's, under the names configure looks for.
  gnu_host=$(echo "$host" | sed 's/-musl$/-gnu/')
  for tool in ar as ld nm objcopy objdump ranlib readelf strip; do
    ln -s "$(command -v "$gnu_host-$tool")" "$work/bin/$host-$tool"
  done
  PATH=$work/bin:$PATH
  export PATH
  CC=$host-gcc AR=$host-ar RANLIB=$host-ranlib
else
  CC=musl-gcc AR=ar RANLIB=ranlib
fi
export CC AR RANLIB
rm -rf "$prefix"

# zlib and libyaml: Debian's sources (upstream's, with Debian's patches).
cd "$work/src"
apt-get source --quiet zlib libyaml >sources.log 2>&1 || { cat sources.log; exit 1; }
cd "$work/src"/zlib-*/
CFLAGS="-O2 -fPIC" ./configure --static --prefix="$deps" >build.log 2>&1 &&
  make -j"$jobs" libz.a >>build.log 2>&1 && make install >>build.log 2>&1 || { tail -30 build.log; exit 1; }
# libyaml's tree has no configure script (autoreconf would need libtool);
# its sources need only the version macros, as its CMakeLists.txt sets them.
cd "$work/src"/libyaml-*/
major=$(sed -n 's/^set (YAML_VERSION_MAJOR \([0-9]*\))$/\1/p' CMakeLists.txt)
minor=$(sed -n 's/^set (YAML_VERSION_MINOR \([0-9]*\))$/\1/p' CMakeLists.txt)
patch=$(sed -n 's/^set (YAML_VERSION_PATCH \([0-9]*\))$/\1/p' CMakeLists.txt)
version=$major.$minor.$patch
for source in src/*.c; do
  "$CC" -O2 -fPIC -Iinclude -DYAML_VERSION_MAJOR="$major" -DYAML_VERSION_MINOR="$minor" \
    -DYAML_VERSION_PATCH="$patch" -DYAML_VERSION_STRING="\"$version\"" -c "$source" -o "${source%.c}.o"
done
"$AR" rc "$deps/lib/libyaml.a" src/*.o
"$RANLIB" "$deps/lib/libyaml.a"
cp include/yaml.h "$deps/include/"

# Ruby.
mkdir "$work/ruby"
tar --extract --file "$tarball" --directory "$work/ruby" --strip-components=1
cd "$work/ruby"
if grep -q '^#define RUBY_PATCHLEVEL -1$' version.h; then
  sed -i 's/^#define RUBY_PATCHLEVEL -1$/#define RUBY_PATCHLEVEL 0/' version.h
  ./autogen.sh >build.log 2>&1 || { tail -30 build.log; exit 1; }
elif [ ! -x configure ]; then
  echo "musl build_ruby: $name is neither a git tree (RUBY_PATCHLEVEL -1) nor a release tree (configure)" >&2
  exit 1
fi
: >gems/bundled_gems
# The static zlib and libyaml by CPPFLAGS and LDFLAGS, not --with-opt-dir,
# which would write -Wl,-rpath,<this temporary directory> into RbConfig's
# LDFLAGS and DLDFLAGS, and so into every extension built for this Ruby,
# ours included (rake musl:audit refuses any RUNPATH).
set -- --prefix="$prefix" --disable-install-doc --enable-shared --disable-yjit --disable-zjit \
  --with-baseruby="$baseruby" CC="$CC" CPPFLAGS="-I$deps/include" LDFLAGS="-L$deps/lib"
if [ -n "$host" ]; then
  set -- "$@" --host="$host" --build="$(gcc -dumpmachine)"
fi
echo "musl build_ruby: configure $*"
./configure "$@" >>build.log 2>&1 || { tail -40 build.log; exit 1; }
make -j"$jobs" >>build.log 2>&1 || { tail -60 build.log; exit 1; }
make install >>build.log 2>&1 || { tail -60 build.log; exit 1; }
echo "musl build_ruby: installed $(basename "$tarball") for ${host:-$(uname -m)-linux-musl} in $prefix"
