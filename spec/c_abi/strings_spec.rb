# frozen_string_literal: true

require_relative "support/my_lib_c_api"

RSpec.describe "C ABI through ffi: strings" do
  let(:c) { MyLibCApi }

  it "returns static, NUL-terminated strings" do
    expect(c.my_lib_greeting).to eq("Hello from Rust")
    expect(c.my_lib_version).to eq(MyLib::VERSION)
  end

  describe "the tutorial's get_greeting, from the Ruby-free library" do
    include_context "the Ruby-free library"

    it "returns the static, NUL-terminated greeting" do
      expect(MyLibTutorialCApi.get_greeting).to eq("Hello from Rust")
    end
  end

  it "returns an owned string that is freed through the library" do
    owned = c.my_lib_greet("Ruby")
    expect(owned).not_to be_null
    expect(owned.read_string.force_encoding(Encoding::UTF_8)).to eq("Hello, Ruby!")
    c.my_lib_string_free(owned)
    c.my_lib_string_free(nil)
    expect(c.last_error).to eq([:ok, nil])
  end

  it "can leave the freeing to Ruby's GC with an AutoPointer bound to my_lib_string_free" do
    owned = FFI::AutoPointer.new(c.my_lib_greet("wörld"), c.method(:my_lib_string_free))
    expect(owned.read_string.force_encoding(Encoding::UTF_8)).to eq("Hello, wörld!")
    owned.free # what the GC would do; explicit here so the spec sees it happen
    expect(c.last_error).to eq([:ok, nil])
  end

  it "returns NULL with the reason as the last error" do
    expect(c.my_lib_greet(nil)).to be_null
    expect(c.last_error).to eq([:null_pointer, "name is NULL"])
    expect(c.my_lib_greet("caf\xC3".b)).to be_null
    expect(c.last_error).to eq([:invalid_utf8, "invalid UTF-8 byte sequence \\xC3 at byte 3"])
  end
end
