# frozen_string_literal: true

require "objspace"

RSpec.describe MyLib::Buffer do
  describe ".new" do
    it "is zero-filled" do
      buffer = described_class.new(4)
      expect(buffer.size).to eq(4)
      expect(buffer.read).to eq("\0\0\0\0".b)
      expect(buffer).not_to be_closed
    end

    it "can be empty" do
      buffer = described_class.new(0)
      expect(buffer.size).to eq(0)
      expect(buffer.read).to eq("")
      expect(buffer.read(0, 0)).to eq("")
      expect { buffer[0] }.to raise_error(IndexError)
      expect { buffer[-1] }.to raise_error(IndexError)
    end

    it "raises ArgumentError for a negative size" do
      expect { described_class.new(-1) }.to raise_error(ArgumentError, "size must not be negative, got -1")
    end

    it "raises NoMemoryError, never aborts, for sizes no allocator can meet" do
      expect { described_class.new(2**62) }.to raise_error(NoMemoryError, "failed to allocate #{2**62} bytes")
      expect { described_class.new(2**63) }.to raise_error(NoMemoryError)
      expect { described_class.new(2**64) }.to raise_error(RangeError, /larger than any memory/)
    end

    it "raises TypeError for a size that is not an Integer", rbs_skip: "passes arguments its signature rejects" do
      expect { described_class.new(1.5) }.to raise_error(TypeError, "size must be an Integer, not Float")
      expect { described_class.new(nil) }.to raise_error(TypeError)
      expect { described_class.new("4") }.to raise_error(TypeError)
    end
  end

  describe ".from" do
    it "copies the bytes of a String, whatever its encoding" do
      expect(described_class.from("hello").read).to eq("hello")
      expect(described_class.from("é").size).to eq(2)
      expect(described_class.from("hi".encode("UTF-16LE")).read).to eq("h\0i\0".b)
      expect(described_class.from("\xFF\x00".b).read).to eq("\xFF\x00".b)
      expect(described_class.from("").size).to eq(0)
    end

    it "owns its copy" do
      source = +"abc"
      buffer = described_class.from(source)
      source.replace("xyz")
      expect(buffer.read).to eq("abc")
    end

    it "makes instances of subclasses" do
      subclass = Class.new(described_class)
      expect(subclass.from("a")).to be_an_instance_of(subclass)
    end

    it "raises TypeError for non-Strings", rbs_skip: "passes arguments its signature rejects" do
      expect { described_class.from(nil) }.to raise_error(TypeError)
      expect { described_class.from([1, 2]) }.to raise_error(TypeError)
    end
  end

  describe "byte access" do
    let(:buffer) { described_class.from("\x01\x02\x03\x04".b) }

    it "reads bytes, negative indexes counting from the end" do
      expect(buffer[0]).to eq(1)
      expect(buffer[3]).to eq(4)
      expect(buffer[-1]).to eq(4)
      expect(buffer[-4]).to eq(1)
    end

    it "raises IndexError outside the buffer" do
      expect { buffer[4] }.to raise_error(IndexError, "index 4 outside of a buffer of 4 bytes (-4...4)")
      expect { buffer[-5] }.to raise_error(IndexError, /index -5 outside/)
      expect { buffer[2**64] }.to raise_error(IndexError)
      expect { buffer[4] = 0 }.to raise_error(IndexError)
    end

    it "writes bytes 0..255" do
      buffer[0] = 0
      buffer[-1] = 255
      expect(buffer.read).to eq("\x00\x02\x03\xFF".b)
      expect(buffer.send(:[]=, 1, 7)).to eq(7)
    end

    it "raises RangeError for values outside 0..255" do
      expect { buffer[0] = 256 }.to raise_error(RangeError, "byte 256 is outside 0..255")
      expect { buffer[0] = -1 }.to raise_error(RangeError, "byte -1 is outside 0..255")
      expect(buffer[0]).to eq(1)
    end

    it "raises TypeError for non-Integer indexes and bytes", rbs_skip: "passes arguments its signature rejects" do
      expect { buffer[1.0] }.to raise_error(TypeError, "index must be an Integer, not Float")
      expect { buffer[0] = "a" }.to raise_error(TypeError, "byte must be an Integer, not String")
      expect { buffer[nil] = 1 }.to raise_error(TypeError)
    end
  end

  describe "#read and #write" do
    let(:buffer) { described_class.new(8) }

    it "writes a String's bytes and reads them back as a binary String" do
      expect(buffer.write(2, "héllo")).to eq(6)
      read = buffer.read(2, 6)
      expect(read).to eq("héllo".b)
      expect(read.encoding).to eq(Encoding::BINARY)
      expect(buffer.write(8, "")).to eq(0)
      expect(buffer.read(8, 0)).to eq("")
    end

    it "raises IndexError for ranges that leave the buffer, writing nothing" do
      expect { buffer.write(6, "abc") }
        .to raise_error(IndexError, "range 6...9 (length 3) is outside a buffer of 8 bytes")
      expect(buffer.read).to eq("\0".b * 8)
      expect { buffer.read(7, 2) }.to raise_error(IndexError, /outside a buffer of 8 bytes/)
      expect { buffer.read(9, 0) }.to raise_error(IndexError)
      expect { buffer.read(2**63, 2**63) }.to raise_error(IndexError)
    end

    it "raises ArgumentError for negative offsets and lengths" do
      expect { buffer.read(-1, 1) }.to raise_error(ArgumentError, "offset must not be negative, got -1")
      expect { buffer.read(0, -1) }.to raise_error(ArgumentError, "length must not be negative, got -1")
      expect { buffer.write(-1, "a") }.to raise_error(ArgumentError)
    end

    it "raises TypeError for wrong types", rbs_skip: "passes arguments its signature rejects" do
      expect { buffer.read(0.0, 1) }.to raise_error(TypeError)
      expect { buffer.write(0, 65) }.to raise_error(TypeError)
    end
  end

  describe "#fill" do
    it "sets every byte and returns the buffer" do
      buffer = described_class.new(3)
      expect(buffer.fill(0x2A)).to equal(buffer)
      expect(buffer.read).to eq("***")
      expect(described_class.new(0).fill(255).size).to eq(0)
    end

    it "raises RangeError for values outside 0..255" do
      expect { described_class.new(1).fill(256) }.to raise_error(RangeError)
    end
  end

  describe "#read with no arguments" do
    it "is a binary copy of every byte" do
      buffer = described_class.from("ab")
      copy = buffer.read
      expect(copy).to eq("ab")
      expect(copy.encoding).to eq(Encoding::BINARY)
      copy << "c"
      expect(buffer.read).to eq("ab")
    end

    it "reads from an offset to the end when given no length" do
      buffer = described_class.from("hello")
      expect(buffer.read(2)).to eq("llo")
      expect(buffer.read(5)).to eq("")
      expect { buffer.read(6) }.to raise_error(IndexError, "range 6...6 (length 0) is outside a buffer of 5 bytes")
    end

    it "takes at most two arguments", rbs_skip: "passes arguments its signature rejects" do
      expect { described_class.new(1).read(0, 1, 2) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 0..2)")
    end
  end

  describe "#to_s" do
    it "describes the buffer as #inspect does, never with its content" do
      buffer = described_class.from("secret")
      expect(buffer.to_s).to eq("#<MyLib::Buffer size=6>")
      expect("buffer: #{buffer}").to eq("buffer: #<MyLib::Buffer size=6>")
      buffer.close
      expect(buffer.to_s).to eq("#<MyLib::Buffer closed>")
    end
  end

  describe "#==" do
    it "compares bytes" do
      expect(described_class.from("ab")).to eq(described_class.from("ab"))
      expect(described_class.from("ab")).not_to eq(described_class.from("ba"))
      expect(described_class.new(0)).to eq(described_class.from(""))
      expect(described_class.from("ab")).not_to eq("ab")
    end

    it "is false, not an error, when either buffer is closed" do
      closed = described_class.from("ab")
      closed.close
      expect(closed == described_class.from("ab")).to be(false)
      expect(described_class.from("ab") == closed).to be(false)
      expect(closed == described_class.new(0).tap(&:close)).to be(false)
      expect(closed == closed).to be(true) # rubocop:disable Lint/BinaryOperatorWithIdenticalOperands
      expect([closed, described_class.from("ab")]).to include(described_class.from("ab"))
      expect([closed]).not_to include(described_class.from("ab"))
    end
  end

  describe "#inspect" do
    it "shows the size, never the content" do
      expect(described_class.from("secret").inspect).to eq("#<MyLib::Buffer size=6>")
      buffer = described_class.new(1)
      buffer.close
      expect(buffer.inspect).to eq("#<MyLib::Buffer closed>")
    end
  end

  describe "closing" do
    let(:buffer) { described_class.from("abc") }

    it "releases the memory; close and free can be repeated" do
      expect(buffer.close).to be_nil
      expect(buffer).to be_closed
      expect(buffer.close).to be_nil
      expect(buffer.free).to be_nil
      other = described_class.new(1)
      other.free
      expect(other).to be_closed
    end

    it "raises ClosedError on any later use" do
      buffer.close
      uses = {
        size: -> { buffer.size }, get: -> { buffer[0] }, set: -> { buffer[0] = 1 },
        read: -> { buffer.read(0, 1) }, write: -> { buffer.write(0, "a") }, fill: -> { buffer.fill(0) },
        read_all: -> { buffer.read }, dup: -> { buffer.dup }
      }
      uses.each do |name, use|
        expect(&use).to raise_error(MyLib::ClosedError, "MyLib::Buffer is closed"), name.to_s
      end
    end
  end

  describe "freezing" do
    let(:buffer) { described_class.from("abc").freeze }

    it "forbids every change but allows reading" do
      expect { buffer[0] = 1 }.to raise_error(FrozenError)
      expect { buffer.write(0, "x") }.to raise_error(FrozenError)
      expect { buffer.fill(0) }.to raise_error(FrozenError)
      expect { buffer.close }.to raise_error(FrozenError)
      expect(buffer.read).to eq("abc")
      expect(buffer.read(1, 2)).to eq("bc")
    end

    it "is kept by clone and dropped by dup" do
      expect(buffer.clone).to be_frozen
      copy = buffer.dup
      copy[0] = 0x41
      expect(copy.read).to eq("Abc")
    end
  end

  describe "copies" do
    it "own their bytes" do
      original = described_class.from("abc")
      copy = original.dup
      copy[0] = 0x78
      expect(original.read).to eq("abc")
      expect(copy.read).to eq("xbc")
      expect(original.clone).to eq(original)
    end

    it "are made only from Buffers, converted inside the panic boundary",
       rbs_skip: "passes arguments its signature rejects" do
      expect { described_class.new(1).send(:initialize_copy, 42) }
        .to raise_error(TypeError, "original must be a MyLib::Buffer, not Integer")
    end
  end

  describe "memory and the GC" do
    it "reports the memory it owns to ObjectSpace.memsize_of" do
      size = 1 << 20
      buffer = described_class.new(size)
      expect(ObjectSpace.memsize_of(buffer)).to be >= size
      buffer.close
      expect(ObjectSpace.memsize_of(buffer)).to be < size
      expect(ObjectSpace.memsize_of(described_class.new(0))).to be > 0
    end

    it "counts its memory towards the next collection until closed" do
      size = 8 << 20
      GC.disable
      before = GC.stat(:malloc_increase_bytes)
      buffer = described_class.new(size)
      expect(GC.stat(:malloc_increase_bytes) - before).to be >= size
      buffer.close
      expect(GC.stat(:malloc_increase_bytes) - before).to be < size
    ensure
      GC.enable
    end

    it "makes Ruby collect when large buffers pile up" do
      before = GC.count
      32.times do
        described_class.new(8 << 20)
        # An ordinary Ruby allocation, where the GC checks its counters: a
        # malloc'd String (Ruby 3.3 embeds up to 640 bytes in the object).
        +"x" * 4096
      end
      expect(GC.count).to be > before
    end

    it "survives GC stress and compaction", rbs_skip: "GC.stress with the checker's allocations takes minutes" do
      GC.stress = true
      buffers = Array.new(20) { |i| described_class.new(i).fill(i) }
      buffers.each_slice(2) { |even, _odd| even.close }
      GC.stress = false
      GC.compact
      expect(buffers.reject(&:closed?).map(&:read)).to eq((1...20).step(2).map { |i| i.chr * i })
    ensure
      GC.stress = false
    end
  end
end
