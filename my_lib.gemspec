# frozen_string_literal: true

require_relative "lib/my_lib/version"

Gem::Specification.new do |spec|
  spec.name = "my_lib"
  spec.version = MyLib::VERSION
  spec.authors = ["The my_lib developers"]
  spec.summary = "Points, byte buffers and text from a Rust core, as real Ruby objects"
  spec.description = <<~TEXT.tr("\n", " ").strip
    my_lib is a Ruby native extension written in Rust with magnus and rb-sys.
    Rust panics become Ruby exceptions, memory is visible to Ruby's GC, and the
    same core is exported as a C ABI (include/my_lib.h) for other languages.
  TEXT
  spec.homepage = "https://github.com/my-lib/my_lib"
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.1"

  spec.metadata = {
    "homepage_uri" => spec.homepage,
    "source_code_uri" => spec.homepage,
    "changelog_uri" => "#{spec.homepage}/blob/main/CHANGELOG.md",
    "bug_tracker_uri" => "#{spec.homepage}/issues",
    "rubygems_mfa_required" => "true"
  }

  # Exactly what a source install needs: the Rust workspace, the extension's
  # crate, the Ruby code and signatures, and the docs. Never target/, spec/ or
  # a compiled library. Tracked files only, so local build litter stays out.
  # THIRD_PARTY_LICENSES.md: the licences of the crates and of Rust's standard
  # library that every compiled my_lib links (rake licenses:generate); the
  # platform gems are made from this list too, so they carry it.
  packaged = %r{\A(?:Cargo\.(?:toml|lock)|ext/my_lib/(?!target/|fuzz/).+|lib/.+\.rb|sig/.+\.rbs|README\.md|CHANGELOG\.md|
                LICENSE|THIRD_PARTY_LICENSES\.md)\z}x
  tracked = Dir.chdir(__dir__) { `git ls-files -z 2>/dev/null`.split("\x0") }
  tracked = Dir.glob("**/*", base: __dir__) if tracked.empty? # outside a git checkout
  spec.files = tracked.grep(packaged).reject { |path| path.end_with?(".so") }
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/my_lib/extconf.rb"]

  # A source install builds the extension with the rb_sys gem's
  # create_rust_makefile. Precompiled platform gems drop this dependency.
  spec.add_dependency "rb_sys", "~> 0.9.130"
end
