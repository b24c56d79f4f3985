# frozen_string_literal: true

# The licences of what we ship. Every compiled library (the platform gems'
# extensions, the C tarballs' libmy_lib) statically links magnus, rb-sys, the
# Rust standard library and other crates, so every gem and tarball carries
# THIRD_PARTY_LICENSES.md beside our LICENSE:
#
#   rake licenses:generate    write THIRD_PARTY_LICENSES.md: cargo-about
#                             (about.toml, about.hbs) over the crates the
#                             library links, then the Rust standard
#                             library's notice (COPYRIGHT-library.html of the
#                             release toolchain, RELEASE_RUST_TOOLCHAIN, as
#                             text). Commit the result.
#   rake licenses:check       (rake ci) cargo deny check licenses bans
#                             sources (deny.toml), and THIRD_PARTY_LICENSES.md
#                             is what licenses:generate writes today
#   rake licenses:advisories  cargo deny check advisories: needs the RustSec
#                             database from the network (GitHub's CI only)
#   rake setup:tools          cargo-deny, cargo-about and the PyPI tools, at
#                             the versions of tools/install_tools.sh
#
# cargo-deny and cargo-about are installed by bin/setup (tools/install_tools.sh).

require "cgi"
require "fileutils"
require "open3"
require "tmpdir"

licenses_root = File.expand_path("..", __dir__)
# The toolchain the release builds with (.github/workflows/release.yml's
# RUST_TOOLCHAIN; spec/gem/workflows_spec.rb checks they agree): its standard
# library is the one linked into what we ship.
RELEASE_RUST_TOOLCHAIN = "1.95.0"
THIRD_PARTY_LICENSES = File.join(licenses_root, "THIRD_PARTY_LICENSES.md")
# The features of what we ship: the Ruby extension (ruby) and the C library
# (tutorial-aliases).
LICENSES_FEATURES = "ruby,tutorial-aliases"
licenses_manifest = File.join(licenses_root, "ext/my_lib/Cargo.toml")

# `cargo <subcommand>` found, or one line naming bin/setup.
licenses_cargo_tool = lambda do |subcommand|
  _, status = Open3.capture2e(CARGO, subcommand, "--version")
  abort "licenses: cargo #{subcommand} is not installed; run bin/setup (or rake setup:tools)" unless status.success?
end

# The Rust standard library's notice, as plain text, from the release
# toolchain's rustc component (share/doc/rust/COPYRIGHT-library.html).
licenses_std_notice = lambda do
  sysroot, status = Open3.capture2("rustup", "run", RELEASE_RUST_TOOLCHAIN, "rustc", "--print", "sysroot")
  unless status.success?
    abort "licenses: the Rust #{RELEASE_RUST_TOOLCHAIN} toolchain is not installed; run bin/setup " \
          "(rustup toolchain install #{RELEASE_RUST_TOOLCHAIN} --profile minimal)"
  end
  html_file = File.join(sysroot.strip, "share/doc/rust/COPYRIGHT-library.html")
  abort "licenses: no #{html_file}" unless File.exist?(html_file)
  html = File.read(html_file, encoding: "UTF-8")
  text = html.gsub(%r{<(style|script|head)\b.*?</\1>}mi, "")
             .gsub(%r{<br\s*/?>|</(?:p|li|h\d|pre|div|tr|dt|dd|summary)>}i, "\n")
             .gsub(/<[^>]+>/, "")
  text = CGI.unescapeHTML(text).lines.map(&:rstrip).join("\n").gsub(/\n{3,}/, "\n\n").strip
  <<~MARKDOWN

    ## The Rust standard library (Rust #{RELEASE_RUST_TOOLCHAIN})

    Its notice, COPYRIGHT-library.html of the Rust #{RELEASE_RUST_TOOLCHAIN} toolchain, as text:

    ```text
    #{text}
    ```
  MARKDOWN
end

# The whole file, as licenses:generate writes it.
licenses_render = lambda do
  licenses_cargo_tool.call("about")
  # --offline: the licence texts from the crates' own sources (fetched from
  # crates.io first), never from their git repositories: the same file on
  # every machine.
  sh CARGO, "fetch", "--locked", "--manifest-path", licenses_manifest, verbose: false
  crates, errors, status = Open3.capture3(
    CARGO, "about", "generate", "--locked", "--offline", "--fail", "--manifest-path", licenses_manifest,
    "--config", File.join(licenses_root, "about.toml"), "--no-default-features", "--features", LICENSES_FEATURES,
    File.join(licenses_root, "about.hbs"), chdir: licenses_root
  )
  abort "licenses: cargo about failed:\n#{errors}" unless status.success?
  "#{crates.rstrip}\n#{licenses_std_notice.call}"
end

namespace :licenses do
  desc "Write THIRD_PARTY_LICENSES.md (cargo-about, and the Rust #{RELEASE_RUST_TOOLCHAIN} standard library's notice)"
  task :generate do
    File.write(THIRD_PARTY_LICENSES, licenses_render.call)
    puts "licenses: wrote #{THIRD_PARTY_LICENSES} (#{File.size(THIRD_PARTY_LICENSES)} bytes)"
  end

  desc "cargo deny check licenses bans sources, and THIRD_PARTY_LICENSES.md up to date (offline but for crates.io)"
  task :check do
    licenses_cargo_tool.call("deny")
    sh CARGO, "deny", "--manifest-path", File.join(licenses_root, "Cargo.toml"), "check", "licenses", "bans", "sources"
    unless File.exist?(THIRD_PARTY_LICENSES) && File.read(THIRD_PARTY_LICENSES) == licenses_render.call
      abort "licenses: THIRD_PARTY_LICENSES.md is not what `rake licenses:generate` writes today " \
            "(Cargo.lock, about.hbs or the Rust toolchain changed): run it and commit the file"
    end
    puts "licenses: THIRD_PARTY_LICENSES.md is up to date"
  end

  desc "cargo deny check advisories (the RustSec database, from the network)"
  task :advisories do
    licenses_cargo_tool.call("deny")
    sh CARGO, "deny", "--manifest-path", File.join(licenses_root, "Cargo.toml"), "check", "advisories"
  end
end

namespace :setup do
  desc "Install cargo-deny, cargo-about, actionlint and zizmor at their pinned versions (tools/install_tools.sh)"
  task :tools do
    sh "bash", File.join(licenses_root, "tools/install_tools.sh")
  end
end
