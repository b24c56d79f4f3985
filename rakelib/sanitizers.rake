# frozen_string_literal: true

# The crate's Rust unit tests (core and C ABI) under AddressSanitizer, with
# LeakSanitizer: heap and stack out-of-bounds accesses, use after free,
# double and mismatched frees, and leaks, in the library's unsafe code and in
# the tests' own use of the C ABI. Part of the default task.
#
# Needs the nightly toolchain with rust-src (for -Zbuild-std, which rebuilds
# the standard library with ASan so that every crate is instrumented):
#   rustup component add rust-src --toolchain nightly
#
# The build is the C library's: no Ruby, with the tutorial aliases. Doc tests
# are left out (--lib): rustdoc does not take the sanitizer's target flags.

sanitizers_root = File.expand_path("..", __dir__)
# Its own target directory: ASan and build-std builds share nothing with the others.
sanitizers_target_dir = File.join(sanitizers_root, "target/asan")
sanitizers_host = "x86_64-unknown-linux-gnu"

namespace :sanitizers do
  desc "Run the Rust unit tests under AddressSanitizer and LeakSanitizer (nightly, -Zbuild-std)"
  task :asan do
    env = {
      # Replaces any RUSTFLAGS of the caller's: every crate, std included,
      # must be built with the same sanitizer flags.
      "RUSTFLAGS" => "-Zsanitizer=address",
      # detect_leaks: LeakSanitizer runs at exit (on by default on x86_64
      # Linux; set so that it cannot be turned off by the caller's options).
      # allocator_may_return_null: a refused allocation returns NULL, as
      # glibc's does, rather than aborting; the tests check that a 1 EiB
      # buffer is an AllocError, not an abort.
      # halt_on_error, abort_on_error=0: fail with ASan's report and exit 1.
      "ASAN_OPTIONS" => "detect_leaks=1:allocator_may_return_null=1:halt_on_error=1:abort_on_error=0",
      "RUST_BACKTRACE" => "0"
    }
    sh env, "cargo", "+nightly", "test", "--locked", "-Zbuild-std", "--target", sanitizers_host,
       "--no-default-features", "--features", "tutorial-aliases", "--lib",
       "--manifest-path", File.join(sanitizers_root, "ext/my_lib/Cargo.toml"),
       "--target-dir", sanitizers_target_dir
  end
end
