# frozen_string_literal: true

# The C ABI's checks beyond `cargo test` and RSpec: real C, Python, Java and
# C# hosts, and Miri. `rake c_abi:all` runs them all.
#
# They need, besides Rust: gcc, valgrind, python3, default-jdk-headless,
# libjna-java, mono-mcs and mono-runtime (Debian packages), and the nightly
# toolchain with Miri:
#   rustup toolchain install nightly
#   rustup component add miri rust-src --toolchain nightly

c_abi_root = File.expand_path("..", __dir__)
c_abi_cargo = ENV.fetch("CARGO", "cargo")
# Its own target directory: `cargo build` with and without the `ruby` feature
# would otherwise overwrite each other's target/release/libmy_lib.so.
c_abi_target = File.join(c_abi_root, "target/c_abi")
c_abi_library_dir = File.join(c_abi_target, "release")

# JNA, from Debian's libjna-java.
MY_LIB_JNA_JAR = "/usr/share/java/jna.jar"

# The functions libmy_lib.so exports (nm -D): the Java and C# tests must call
# each one, so that a new export without a test fails them.
c_abi_exported_functions = lambda do
  symbols = `nm -D --defined-only #{File.join(c_abi_library_dir, 'libmy_lib.so')}`
  abort "c_abi: nm failed" unless $?.success?
  symbols.lines.map(&:split).select { |_, type, _| type == "T" }.map(&:last).sort
end

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
  # `c_abi:lib`, which builds libmy_lib.so without Ruby into
  # target/c_abi/release, is in c_library.rake with the packages it makes.

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

  # Not under valgrind: the limit would starve valgrind's own allocations.
  desc "Under RLIMIT_AS, the C points functions return ALLOCATION_FAILED and never abort (tests/c/test_memory.c)"
  task memory: :lib do
    sh compile_c_test.call("test_memory")
  end

  desc "Call every exported function from Java through JNA (tests/java), from two Java threads too"
  task java: :lib do
    classes = File.join(c_abi_target, "java")
    sh "javac", "-Xlint:all", "-Werror", "-cp", MY_LIB_JNA_JAR, "-d", classes,
       File.join(c_abi_root, "tests/java/MyLibTest.java")
    sh "java", "-cp", [MY_LIB_JNA_JAR, classes].join(File::PATH_SEPARATOR),
       "-Dmy_lib.library=#{File.join(c_abi_library_dir, 'libmy_lib.so')}",
       "-Dmy_lib.exports=#{c_abi_exported_functions.call.join(',')}", "MyLibTest"
  end

  desc "Call every exported function from C# through P/Invoke under Mono (tests/csharp), from two threads too"
  task csharp: :lib do
    program = File.join(c_abi_target, "csharp/MyLibTest.exe")
    FileUtils.mkdir_p(File.dirname(program))
    sh "mcs", "-warnaserror+", "-warn:4", "-out:#{program}", File.join(c_abi_root, "tests/csharp/MyLibTest.cs")
    sh({ "LD_LIBRARY_PATH" => c_abi_library_dir }, "mono", "--debug", program, *c_abi_exported_functions.call)
  end

  desc "Run the Python ctypes tests (tests/python) against libmy_lib.so"
  task python: :lib do
    sh "python3", "-B", "-m", "unittest", "discover", "--start-directory", File.join(c_abi_root, "tests/python"),
       "--verbose"
  end

  # The tutorial aliases' tests run too: the unit tests compile them whatever
  # the features (see `tutorial-aliases` in Cargo.toml).
  desc "Run the core and C ABI tests under Miri (nightly), which fails on undefined behaviour"
  #
  # The geometry of core::points (exact predicates, simplify, the searches,
  # the k-d tree, the summaries) has no `unsafe`, so Miri can find nothing
  # there that the ordinary debug tests (overflow checks on) and the
  # AddressSanitizer run do not; its property tests against exact oracles
  # took over 20 minutes under Miri. Miri runs everything else, packed.rs
  # (the one `unsafe` of core::points) included.
  MIRI_SKIPPED_SAFE_MODULES = %w[core::points::exact core::points::simplify core::points::search
                                 core::points::spatial_index core::points::summary].freeze
  task :miri do
    # Miri perturbs the results of libm functions such as hypot by a few ULPs
    # on purpose; the tests compare exact distances, which glibc computes.
    sh({ "MIRIFLAGS" => "-Zmiri-deterministic-floats" },
       "cargo", "+nightly", "miri", "test", "--locked", "--no-default-features",
       "--manifest-path", File.join(c_abi_root, "Cargo.toml"), "--",
       *MIRI_SKIPPED_SAFE_MODULES.flat_map { |prefix| ["--skip", prefix] })
  end

  desc "Run every C ABI host test: C under valgrind, C under RLIMIT_AS, Python, Java, C#, Miri"
  task all: %i[c threads memory python java csharp miri]
end

# spec/c_abi/symbols_spec.rb inspects the library built without Ruby.
task spec: "c_abi:lib"
