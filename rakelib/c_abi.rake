# frozen_string_literal: true

# The C ABI's checks beyond `cargo test` and RSpec: real C and Python hosts,
# and Miri. `rake c_abi:all` runs them all.
#
# They need, besides Rust: gcc, valgrind and python3 (Debian packages of those
# names), and the nightly toolchain with Miri:
#   rustup toolchain install nightly
#   rustup component add miri rust-src --toolchain nightly

c_abi_root = File.expand_path("..", __dir__)
c_abi_cargo = ENV.fetch("CARGO", "cargo")
# Its own target directory: `cargo build` with and without the `ruby` feature
# would otherwise overwrite each other's target/release/libmy_lib.so.
c_abi_target = File.join(c_abi_root, "target/c_abi")
c_abi_library_dir = File.join(c_abi_target, "release")

# Compiles one C host test, tests/c/<name>.c, against include/my_lib.h and
# libmy_lib.so (found at run time through its rpath); returns the program.
compile_c_test = lambda do |name, *extra_flags|
  program = File.join(c_abi_target, name)
  sh "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", *extra_flags,
     "-I", File.join(c_abi_root, "include"), File.join(c_abi_root, "tests/c/#{name}.c"),
     "-L", c_abi_library_dir, "-lmy_lib", "-Wl,-rpath,#{c_abi_library_dir}", "-o", program
  program
end

namespace :c_abi do
  # With the tutorial's six unprefixed names (feature `tutorial-aliases`),
  # which only this library exports: the Ruby extension, loaded with
  # RTLD_GLOBAL, exports the my_lib_ names alone.
  desc "Build libmy_lib.so without Ruby into target/c_abi/release, for C, Python and other hosts"
  task :lib do
    sh c_abi_cargo, "build", "--locked", "--release", "--no-default-features", "--features", "tutorial-aliases",
       "--manifest-path", File.join(c_abi_root, "Cargo.toml"), "--target-dir", c_abi_target
  end

  # cbindgen reads the source, whatever the features: the header declares the
  # tutorial aliases too. Their cfg has no [defines] entry in cbindgen.toml, so
  # they are declared unconditionally, each documented as libmy_lib.so's only.
  desc "Regenerate include/my_lib.h with cbindgen (then review and commit it)"
  task :header do
    sh({ "MY_LIB_BLESS_HEADER" => "1" },
       c_abi_cargo, "test", "--locked", "--no-default-features", "--lib",
       "--manifest-path", File.join(c_abi_root, "Cargo.toml"), "c_abi::header")
  end

  desc "Compile tests/c against include/my_lib.h and libmy_lib.so, and run it under valgrind"
  task c: :lib do
    sh "valgrind", "--leak-check=full", "--error-exitcode=1", compile_c_test.call("test_my_lib")
  end

  desc "Call the C ABI from 8 native threads at once (tests/c/test_threads.c); each keeps its own last error"
  task threads: :lib do
    sh compile_c_test.call("test_threads", "-pthread")
  end

  desc "Run the Python ctypes tests (tests/python) against libmy_lib.so"
  task python: :lib do
    sh "python3", "-B", "-m", "unittest", "discover", "--start-directory", File.join(c_abi_root, "tests/python"),
       "--verbose"
  end

  # The tutorial aliases' tests run too: the unit tests compile them whatever
  # the features (see `tutorial-aliases` in Cargo.toml).
  desc "Run the core and C ABI tests under Miri (nightly), which fails on undefined behaviour"
  task :miri do
    # Miri perturbs the results of libm functions such as hypot by a few ULPs
    # on purpose; the tests compare exact distances, which glibc computes.
    sh({ "MIRIFLAGS" => "-Zmiri-deterministic-floats" },
       "cargo", "+nightly", "miri", "test", "--locked", "--no-default-features",
       "--manifest-path", File.join(c_abi_root, "Cargo.toml"))
  end

  desc "Run every C ABI host test: C under valgrind, Python, Miri"
  task all: %i[c threads python miri]
end

# spec/c_abi/symbols_spec.rb inspects the library built without Ruby.
task spec: "c_abi:lib"
