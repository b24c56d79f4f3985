# frozen_string_literal: true

# Bad inputs of the Ruby API that the per-class specs do not try, each with
# the exact error it gets (docs/RELIABILITY.md lists them all).
RSpec.describe "More bad input at the Ruby surface", rbs_skip: "passes arguments its signatures reject" do
  it "MyLib::Testing.panic! with an invalid UTF-8 message raises EncodingError, not a panic" do
    expect { MyLib::Testing.panic!("\xFF".b.force_encoding("UTF-8")) }
      .to raise_error(EncodingError, "invalid byte sequence in UTF-8")
  end

  it "MyLib.greet rejects a to_str that returns no String, and names the bytes of invalid UTF-16LE" do
    liar = Object.new.tap { |o| o.define_singleton_method(:to_str) { 42 } }
    expect { MyLib.greet(liar) }.to raise_error(TypeError, "can't convert Object to String (Object#to_str gives Integer)")
    expect { MyLib.greet("\x00\xD8".b.force_encoding("UTF-16LE")) }
      .to raise_error(MyLib::InvalidByteSequenceError, "invalid UTF-16LE byte sequence \\x00 \\xD8 at byte 0")
  end

  it "Point#* takes only real numbers that fit a Float" do
    point = MyLib::Point.new(1, 2)
    expect { point * nil }.to raise_error(TypeError, "factor must be an Integer, Float or Rational, not NilClass")
    expect { point * "2" }.to raise_error(TypeError, "factor must be an Integer, Float or Rational, not String")
    expect { point * 10**400 }.to raise_error(RangeError, "factor is out of the range of Float")
  end

  it "Point#deconstruct_keys with neither an Array nor nil gives every key, which pattern matching allows" do
    expect(MyLib::Point.new(1, 2).deconstruct_keys(5)).to eq(x: 1.0, y: 2.0)
  end

  it "raises ArgumentError for a wrong number of arguments" do
    expect { MyLib.add_numbers(1) }.to raise_error(ArgumentError, /wrong number of arguments \(given 1, expected 2\)/)
    expect { MyLib::Point.new(1) }.to raise_error(ArgumentError, /wrong number of arguments \(given 1, expected 2\)/)
  end

  describe "MyLib::Buffer" do
    let(:buffer) { MyLib::Buffer.new(8) }

    it "rejects offsets larger than any memory, and offsets or lengths that are not Integers" do
      too_far = "offset 18446744073709551616 is larger than any memory (18446744073709551615 bytes)"
      expect { buffer.read(2**64) }.to raise_error(RangeError, too_far)
      expect { buffer.write(2**64, "a") }.to raise_error(RangeError, too_far)
      expect { buffer.read(nil) }.to raise_error(TypeError, "offset must be an Integer, not NilClass")
      expect { buffer.read(0, nil) }.to raise_error(TypeError, "length must be an Integer, not NilClass")
    end

    it "fills only with a byte" do
      expect { buffer.fill(-1) }.to raise_error(RangeError, "byte -1 is outside 0..255")
      expect { buffer.fill("a") }.to raise_error(TypeError, "byte must be an Integer, not String")
      expect(buffer.read).to eq("\0".b * 8)
    end

    it "cannot be cloned once closed, nor freed while frozen" do
      expect { buffer.tap(&:close).clone }.to raise_error(MyLib::ClosedError)
      frozen = MyLib::Buffer.new(1).freeze
      expect { frozen.free }.to raise_error(FrozenError)
      expect(frozen).not_to be_closed
    end

    it "is a usable empty buffer from allocate, and initialize again replaces the bytes" do
      expect(MyLib::Buffer.allocate.size).to eq(0)
      buffer.fill(1)
      buffer.send(:initialize, 5)
      expect(buffer.read).to eq("\0".b * 5)
    end
  end
end
