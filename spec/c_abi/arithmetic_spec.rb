# frozen_string_literal: true

require_relative "support/my_lib_c_api"

RSpec.describe "C ABI through ffi: arithmetic, status and last error" do
  let(:c) { MyLibCApi }
  let(:sum) { FFI::MemoryPointer.new(:int32) }

  it "adds with each overflow behaviour" do
    expect(c.my_lib_wrapping_add(2, 3)).to eq(5)
    expect(c.my_lib_wrapping_add(c::INT32_MAX, 1)).to eq(c::INT32_MIN)
    expect(c.my_lib_saturating_add(-3, 2)).to eq(-1)
    expect(c.my_lib_saturating_add(c::INT32_MAX, 1)).to eq(c::INT32_MAX)
    expect(c.my_lib_saturating_add(c::INT32_MIN, -1)).to eq(c::INT32_MIN)
  end

  describe "the tutorial's add_numbers and safe_add, from the Ruby-free library" do
    include_context "the Ruby-free library"
    let(:tutorial) { MyLibTutorialCApi }

    it "wrap and saturate, with no error sentinel" do
      expect(tutorial.add_numbers(2, 3)).to eq(5)
      expect(tutorial.add_numbers(c::INT32_MAX, 1)).to eq(c::INT32_MIN)
      expect(tutorial.safe_add(-3, 2)).to eq(-1)
      expect(tutorial.safe_add(c::INT32_MIN, -1)).to eq(c::INT32_MIN)
    end
  end

  it "returns a status, the sum through an out-parameter, and clears the last error" do
    c.my_lib_checked_add(1, 1, nil)
    expect(c.my_lib_checked_add(40, 2, sum)).to eq(:ok)
    expect(sum.read_int32).to eq(42)
    expect(c.last_error).to eq([:ok, nil])
  end

  it "reports overflow as a status and a message, leaving the output alone" do
    sum.write_int32(7)
    expect(c.my_lib_checked_add(c::INT32_MAX, 1, sum)).to eq(:overflow)
    expect(sum.read_int32).to eq(7)
    expect(c.last_error).to eq(
      [:overflow, "2147483647 + 1 overflows a 32-bit signed integer (-2147483648 to 2147483647)"]
    )
  end

  it "rejects a NULL out-parameter" do
    expect(c.my_lib_checked_add(1, 2, nil)).to eq(:null_pointer)
    expect(c.last_error).to eq([:null_pointer, "out_sum is NULL"])
  end

  it "keeps one last error per thread" do
    c.my_lib_checked_add(1, 2, nil)
    expect(Thread.new { c.last_error }.value).to eq([:ok, nil])
    expect(c.my_lib_last_error_status).to eq(:null_pointer)
  end
end
