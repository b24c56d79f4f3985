# frozen_string_literal: true

require "open3"
require_relative "support/my_lib_c_api"

# Ruby loads extensions with RTLD_GLOBAL, so every symbol the extension exports
# is visible to the whole process: it must export its Ruby entry points and
# the my_lib_ C API, and nothing else. The tutorial's six generic names, which
# could collide with another library's, are only in the library built
# without Ruby.
RSpec.describe "C ABI symbol hygiene", elf: true do
  repository = File.expand_path("../..", __dir__)
  header = File.join(repository, "include/my_lib.h")
  no_ruby_library = MyLibTutorialCApi::LIBRARY
  tutorial_names = %w[add_numbers get_greeting allocate_buffer free_buffer make_point safe_add]

  # The functions include/my_lib.h declares: `name(...);` outside comments.
  declared = File.read(header)
                 .gsub(%r{/\*.*?\*/}m, "")
                 .gsub(%r{//[^\n]*}, "")
                 .scan(/\b(\w+)\s*\([^;{}]*\)\s*;/)
                 .flatten

  def exported_symbols(library)
    stdout, stderr, status = Open3.capture3("nm", "-D", "--defined-only", library)
    raise "nm failed on #{library}: #{stderr}" unless status.success?

    stdout.lines.map { |line| line.split.last }
  end

  # The dynamic relocations of `library` that name one of `names`: each one
  # is a reference the dynamic linker resolves by name, so another library of
  # the process that defines the same name (the Ruby extension, loaded first
  # with RTLD_GLOBAL, say) would be called instead of this library's own.
  def relocations_naming(library, names)
    stdout, stderr, status = Open3.capture3("readelf", "-rW", library)
    raise "readelf failed on #{library}: #{stderr}" unless status.success?

    stdout.lines.select { |line| names.include?(line.split[4]) }.map(&:strip)
  end

  it "declares the my_lib_ API and the six tutorial aliases in the header" do
    expect(declared).to include(*tutorial_names)
    expect(declared - tutorial_names).to all(start_with("my_lib_"))
    expect(declared.size).to be > tutorial_names.size
  end

  describe "the Ruby extension" do
    it "exports exactly Init_my_lib, ruby_abi_version and the header's my_lib_ functions" do
      expect(exported_symbols(MyLibCApi::EXTENSION))
        .to match_array(declared.grep(/\Amy_lib_/) + %w[Init_my_lib ruby_abi_version])
    end

    it "exports none of the tutorial's names" do
      expect(exported_symbols(MyLibCApi::EXTENSION) & tutorial_names).to eq([])
    end

    it "calls its own functions directly, never through a relocation another library could interpose" do
      expect(relocations_naming(MyLibCApi::EXTENSION, declared)).to eq([])
    end
  end

  describe "the library built without Ruby (rake c_abi:lib)" do
    before do
      expect(File).to exist(no_ruby_library), "#{no_ruby_library} is missing: run `bundle exec rake c_abi:lib`"
    end

    it "exports exactly the header's functions, the tutorial aliases included" do
      expect(exported_symbols(no_ruby_library)).to match_array(declared)
    end

    # Were the aliases to call the exported my_lib_ functions through the GOT,
    # a process that also loaded the Ruby extension would run the extension's
    # copies, which record errors in the extension's thread-locals, not in
    # the ones this library's my_lib_last_error_message reads.
    it "calls its own functions directly, never through a relocation another library could interpose" do
      expect(relocations_naming(no_ruby_library, declared)).to eq([])
    end

    it "does not depend on libruby" do
      stdout, status = Open3.capture2("ldd", no_ruby_library)
      expect(status).to be_success
      expect(stdout).to include("libc.so")
      expect(stdout).not_to match(/libruby/)
    end
  end
end
