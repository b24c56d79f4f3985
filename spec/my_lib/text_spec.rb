# frozen_string_literal: true

RSpec.describe "MyLib text functions" do
  describe ".greeting" do
    it "is the Rust greeting as a frozen UTF-8 String" do
      expect(MyLib.greeting).to eq("Hello from Rust")
      expect(MyLib.greeting).to be_frozen
      expect(MyLib.greeting.encoding).to eq(Encoding::UTF_8)
      expect(MyLib.greeting).to be_valid_encoding
    end

    it "returns the same object every time" do
      expect(MyLib.greeting).to equal(MyLib.greeting)
    end

    it "allocates nothing per call", rbs_skip: "the runtime checker allocates on every call" do
      MyLib.greeting
      before = GC.stat(:total_allocated_objects)
      1000.times { MyLib.greeting }
      expect(GC.stat(:total_allocated_objects) - before).to be < 10
    end

    it "survives compaction and stress as the same object" do
      id = MyLib.greeting.object_id
      GC.verify_compaction_references(double_heap: true, toward: :empty)
      GC.compact
      GC.stress = true
      expect(MyLib.greeting).to eq("Hello from Rust")
    ensure
      GC.stress = false
      expect(MyLib.greeting.object_id).to eq(id)
    end

    it "cannot be modified" do
      expect { MyLib.greeting << "!" }.to raise_error(FrozenError)
    end
  end

  describe ".greet" do
    it "greets by name with a new, unfrozen UTF-8 String" do
      result = MyLib.greet("Ruby")
      expect(result).to eq("Hello, Ruby!")
      expect(result.encoding).to eq(Encoding::UTF_8)
      expect(result).not_to be_frozen
      expect(MyLib.greet("Ruby")).not_to equal(result)
    end

    it "accepts the empty String, multibyte text and frozen Strings" do
      expect(MyLib.greet("")).to eq("Hello, !")
      expect(MyLib.greet("日本語 🦀")).to eq("Hello, 日本語 🦀!")
      expect(MyLib.greet("frozen".freeze)).to eq("Hello, frozen!")
    end

    it "keeps embedded NUL bytes" do
      result = MyLib.greet("a\0b")
      expect(result).to eq("Hello, a\0b!")
      expect(result.bytesize).to eq(11)
    end

    it "reads US-ASCII and binary Strings as UTF-8 bytes" do
      expect(MyLib.greet("ascii".encode("US-ASCII"))).to eq("Hello, ascii!")
      expect(MyLib.greet("café".b)).to eq("Hello, café!")
    end

    it "transcodes other encodings to UTF-8" do
      expect(MyLib.greet("café".encode("ISO-8859-1"))).to eq("Hello, café!")
      expect(MyLib.greet("日本".encode("Shift_JIS"))).to eq("Hello, 日本!")
      expect(MyLib.greet("hi".encode("UTF-16LE"))).to eq("Hello, hi!")
      expect(MyLib.greet("hi".encode("UTF-16LE")).encoding).to eq(Encoding::UTF_8)
    end

    it "accepts objects that convert implicitly with to_str" do
      name = Object.new
      def name.to_str = "implicit"
      expect(MyLib.greet(name)).to eq("Hello, implicit!")
    end

    it "raises InvalidByteSequenceError naming the invalid UTF-8 bytes and their position" do
      expect { MyLib.greet("ab\xFFc") }
        .to raise_error(MyLib::InvalidByteSequenceError, "invalid UTF-8 byte sequence \\xFF at byte 2")
      expect { MyLib.greet("\xC3(") }.to raise_error(MyLib::InvalidByteSequenceError, /\\xC3 at byte 0\z/)
      expect { MyLib.greet("x\xE6\x97") }.to raise_error(MyLib::InvalidByteSequenceError, /\\xE6 \\x97 at byte 1\z/)
      expect { MyLib.greet("ok\xFF".b) }.to raise_error(MyLib::InvalidByteSequenceError, /at byte 2/)
      expect { MyLib.greet(String.new("a\xFF", encoding: "US-ASCII")) }.to raise_error(EncodingError, /at byte 1/)
    end

    it "raises InvalidByteSequenceError naming the encoding for other invalid Strings" do
      invalid = String.new("日本".encode("Shift_JIS").b + "\x82".b, encoding: "Shift_JIS")
      expect { MyLib.greet(invalid) }
        .to raise_error(MyLib::InvalidByteSequenceError, "invalid Shift_JIS byte sequence \\x82 at byte 4")
      expect { MyLib.greet(String.new("\xFF\xFEa", encoding: "EUC-JP")) }
        .to raise_error(MyLib::InvalidByteSequenceError, /invalid EUC-JP byte sequence \\xFF at byte 0/)
    end

    it "lets Ruby report characters that have no UTF-8 equivalent" do
      expect { MyLib.greet(String.new("\x81", encoding: "Windows-1252")) }
        .to raise_error(Encoding::UndefinedConversionError)
    end

    it "raises TypeError for non-Strings", rbs_skip: "passes arguments its signature rejects" do
      expect { MyLib.greet(nil) }.to raise_error(TypeError)
      expect { MyLib.greet(:symbol) }.to raise_error(TypeError)
      expect { MyLib.greet(42) }.to raise_error(TypeError)
    end
  end
end
