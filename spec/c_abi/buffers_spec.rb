# frozen_string_literal: true

require_relative "support/my_lib_c_api"

RSpec.describe "C ABI through ffi: buffers" do
  let(:c) { MyLibCApi }
  let(:out) { FFI::MemoryPointer.new(:pointer) }

  def allocate(len)
    expect(c.my_lib_buffer_alloc(len, out)).to eq(:ok)
    out.read_pointer
  end

  it "allocates zeroed buffers that are written and read back" do
    buffer = allocate(8)
    expect(c.my_lib_buffer_len(buffer)).to eq(8)
    expect(buffer.address % 16).to eq(0)
    expect(buffer.read_bytes(8)).to eq("\0" * 8)

    data = FFI::MemoryPointer.from_string("abc")
    expect(c.my_lib_buffer_write(buffer, 2, MyLibCApi::ByteSlice.of(data, 3))).to eq(:ok)
    buffer.put_bytes(0, "Z") # the host may write the bytes directly too

    view = MyLibCApi::ByteSlice.new
    expect(c.my_lib_buffer_read(buffer, 0, 8, view)).to eq(:ok)
    expect(view.bytes).to eq("Z\0abc\0\0\0".b)
  ensure
    c.my_lib_buffer_free(buffer)
  end

  it "checks bounds and writes nothing out of them" do
    buffer = allocate(4)
    data = FFI::MemoryPointer.from_string("xy")
    expect(c.my_lib_buffer_write(buffer, 3, MyLibCApi::ByteSlice.of(data, 2))).to eq(:out_of_bounds)
    expect(c.last_error).to eq([:out_of_bounds, "range 3...5 (length 2) is outside a buffer of 4 bytes"])
    expect(buffer.read_bytes(4)).to eq("\0" * 4)
    view = MyLibCApi::ByteSlice.new
    expect(c.my_lib_buffer_read(buffer, c::SIZE_MAX, 2, view)).to eq(:out_of_bounds)
    expect(view[:ptr]).to be_null
  ensure
    c.my_lib_buffer_free(buffer)
  end

  it "fails on zero and impossible sizes instead of aborting" do
    expect(c.my_lib_buffer_alloc(0, out)).to eq(:invalid_argument)
    expect(c.my_lib_buffer_alloc(c::SIZE_MAX, out)).to eq(:allocation_failed)
    expect(c.last_error).to eq([:allocation_failed, "failed to allocate #{c::SIZE_MAX} bytes"])
    expect(c.my_lib_buffer_alloc(1, nil)).to eq(:null_pointer)
  end

  it "rejects NULL pointers" do
    expect(c.my_lib_buffer_len(nil)).to eq(0)
    expect(c.my_lib_last_error_status).to eq(:null_pointer)
    expect(c.my_lib_buffer_write(nil, 0, MyLibCApi::ByteSlice.of(nil, 0))).to eq(:null_pointer)
    expect(c.my_lib_buffer_read(nil, 0, 0, MyLibCApi::ByteSlice.new)).to eq(:null_pointer)
    c.my_lib_buffer_free(nil)
    expect(c.last_error).to eq([:ok, nil])
  end

  describe "the tutorial's allocate_buffer and free_buffer, from the Ruby-free library" do
    include_context "the Ruby-free library"
    let(:tutorial) { MyLibTutorialCApi }

    it "allocate and free, returning NULL for 0 and absurd sizes" do
      buffer = tutorial.allocate_buffer(16)
      expect(buffer).not_to be_null
      buffer.put_bytes(0, "\xAB".b * 16)
      expect(tutorial.my_lib_buffer_len(buffer)).to eq(16)
      tutorial.free_buffer(buffer)
      tutorial.free_buffer(nil)

      expect(tutorial.allocate_buffer(0)).to be_null
      expect(tutorial.allocate_buffer(c::SIZE_MAX)).to be_null
    end

    # The extension, loaded RTLD_GLOBAL first, defines the same my_lib_
    # names: were libmy_lib.so's aliases to call its my_lib_ functions
    # through their exported symbols, the extension's copies would run, and
    # the failure would land in the extension's last error, not this one's.
    it "record their failures in libmy_lib.so's last error, not the extension's" do
      expect(c.my_lib_buffer_len(nil)).to eq(0)
      expect(c.my_lib_last_error_status).to eq(:null_pointer)

      expect(tutorial.allocate_buffer(0)).to be_null
      expect(tutorial.my_lib_last_error_status).to eq(:invalid_argument)
      expect(tutorial.allocate_buffer(c::SIZE_MAX)).to be_null
      expect(tutorial.my_lib_last_error_status).to eq(:allocation_failed)
      tutorial.free_buffer(nil)
      expect(tutorial.my_lib_last_error_status).to eq(:ok)

      expect(c.my_lib_last_error_status).to eq(:null_pointer), "the extension's last error is left alone"
    end
  end
end
