# frozen_string_literal: true

# Builds the reference C extension the benchmarks compare my_lib with
# (`rake bench` compiles it into a scratch directory; it is never installed).
require "mkmf"

$CFLAGS << " -O2 -Wall -Werror"
create_makefile("my_lib_reference")
