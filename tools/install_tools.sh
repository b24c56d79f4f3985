#!/usr/bin/env bash
# Installs the release and licence tools at pinned versions (bin/setup, and
# `rake setup:tools` on GitHub's runners):
#   cargo-deny, cargo-about   cargo install --locked (compiled: about 4 and 5
#                             minutes on 2 shared cores, measured on Debian 12)
#   tools/python-tools.txt    ziglang, cargo-zigbuild, zizmor, actionlint, by
#                             SHA-256, into the virtualenv MY_LIB_TOOLS
#                             (default /opt/my_lib-tools)
# Idempotent: a tool at its version is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DENY_VERSION=0.20.2
CARGO_ABOUT_VERSION=0.9.3
MY_LIB_TOOLS=${MY_LIB_TOOLS:-/opt/my_lib-tools}

as_root() {
  if [ "$(id -u)" -eq 0 ] || [ -w "$(dirname "$MY_LIB_TOOLS")" ]; then "$@"; else sudo "$@"; fi
}

# `cargo <tool> --version` prints "cargo-<tool> X.Y.Z".
version_of() { cargo "$1" --version 2>/dev/null | awk '{print $2}'; }

if [ "$(version_of deny)" != "$CARGO_DENY_VERSION" ]; then
  echo "install_tools: cargo install cargo-deny $CARGO_DENY_VERSION (compiles for minutes)"
  cargo install --locked --quiet cargo-deny --version "$CARGO_DENY_VERSION"
fi
if [ "$(version_of about)" != "$CARGO_ABOUT_VERSION" ]; then
  echo "install_tools: cargo install cargo-about $CARGO_ABOUT_VERSION (compiles for minutes)"
  cargo install --locked --quiet cargo-about --version "$CARGO_ABOUT_VERSION" --features cli
fi

python=python3; [ -x /usr/bin/python3 ] && python=/usr/bin/python3
[ -x "$MY_LIB_TOOLS/bin/python3" ] || as_root "$python" -m venv "$MY_LIB_TOOLS"
as_root "$MY_LIB_TOOLS/bin/python3" -m pip install --quiet --disable-pip-version-check --require-hashes \
  -r tools/python-tools.txt
