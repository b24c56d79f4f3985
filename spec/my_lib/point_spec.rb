# frozen_string_literal: true

require "json"

RSpec.describe MyLib::Point do
  def point(x, y) = described_class.new(x, y)

  describe ".new" do
    it "accepts Integers, Floats and Rationals, stored as Floats" do
      pt = point(1, Rational(1, 2))
      expect([pt.x, pt.y]).to eql([1.0, 0.5])
      expect(point(1.25, -3).to_a).to eql([1.25, -3.0])
    end

    it "keeps 0, -1 and the 32-bit limits exactly" do
      expect(point(0, -1).to_a).to eql([0.0, -1.0])
      expect(point(2**31 - 1, -2**31).to_a).to eql([2_147_483_647.0, -2_147_483_648.0])
    end

    it "accepts NaN and the infinities" do
      pt = point(Float::NAN, -Float::INFINITY)
      expect(pt.x).to be_nan
      expect(pt.y).to eq(-Float::INFINITY)
    end

    it "raises RangeError for an Integer beyond Float" do
      expect { point(10**400, 0) }.to raise_error(RangeError, "x is out of the range of Float")
    end

    it "raises TypeError for other types", rbs_skip: "passes arguments its signature rejects" do
      expect { point(nil, 1) }.to raise_error(TypeError, "x must be an Integer, Float or Rational, not NilClass")
      expect { point(1, "2") }.to raise_error(TypeError, /\Ay must be .* not String\z/)
      expect { point(Complex(1, 0), 1) }.to raise_error(TypeError, /not Complex/)
    end

    it "makes frozen, Ractor-shareable instances" do
      pt = point(1, 2)
      expect(pt).to be_frozen
      expect(Ractor.shareable?(pt)).to be(true)
      expect { pt.instance_variable_set(:@x, 3) }.to raise_error(FrozenError)
    end

    it "makes instances of subclasses, whose arithmetic gives Points" do
      subclass = Class.new(described_class)
      pt = subclass.new(1, 2)
      expect(pt).to be_an_instance_of(subclass).and be_frozen
      expect((pt + pt).class).to eq(described_class)
    end

    it "has no allocator, so no half-made Point can exist" do
      expect { described_class.allocate }.to raise_error(TypeError, /allocator undefined/)
    end
  end

  describe "equality and hashing" do
    it "compares coordinates as Floats" do
      expect(point(1, 2)).to eq(point(1.0, 2.0))
      expect(point(1, 2)).to eql(point(Rational(2, 2), 2))
      expect(point(1, 2)).not_to eq(point(2, 1))
    end

    it "is never equal to other kinds of objects" do
      expect(point(1, 2)).not_to eq([1.0, 2.0])
      expect(point(1, 2)).not_to eq({ x: 1.0, y: 2.0 })
      expect(point(1, 2).eql?(nil)).to be(false)
    end

    it "treats -0.0 as 0.0, in == and in hash" do
      expect(point(-0.0, 0)).to eq(point(0.0, -0.0))
      expect(point(-0.0, 0).hash).to eq(point(0.0, -0.0).hash)
    end

    it "makes a NaN coordinate equal to nothing, as Float does" do
      nan = point(Float::NAN, 0)
      expect(nan == nan).to be(false)
      expect(nan).not_to eql(point(Float::NAN, 0))
      expect(nan.hash).to eq(point(Float::NAN, 0).hash)
    end

    it "works as a Hash key and with uniq" do
      table = { point(1, 2) => :a, point(3, 4) => :b }
      expect(table[point(1.0, 2.0)]).to eq(:a)
      expect([point(1, 2), point(1.0, 2.0), point(2, 1)].uniq.size).to eq(2)
      expect(point(1, 2).hash).to be_an(Integer)
      expect(point(1, 2).hash).not_to eq(point(2, 1).hash)
    end
  end

  describe "conversions and pattern matching" do
    it "converts to an Array and a Hash" do
      expect(point(1, 2).to_a).to eql([1.0, 2.0])
      expect(point(1, 2).deconstruct).to eql([1.0, 2.0])
      expect(point(1, 2).to_h).to eql({ x: 1.0, y: 2.0 })
    end

    it "matches Array and Hash patterns" do
      result = case point(3, 4)
               in { x: Float => x, y: } then [x, y]
               end
      expect(result).to eq([3.0, 4.0])
      expect(point(1, 2).deconstruct_keys([:x])).to include(x: 1.0)
      expect(point(1, 2).deconstruct_keys(nil)).to eql({ x: 1.0, y: 2.0 })
      expect(point(5, 6).then { |pt| pt in [5.0, Float] }).to be(true)
      expect(point(5, 6).then { |pt| pt in { z: _ } }).to be(false)
    end

    it "inspects like a value, with Ruby's Float formatting" do
      expect(point(1, 2.5).inspect).to eq("#<MyLib::Point x=1.0, y=2.5>")
      expect(point(Float::NAN, Float::INFINITY).to_s).to eq("#<MyLib::Point x=NaN, y=Infinity>")
      expect(point(1e20, -0.0).inspect).to eq("#<MyLib::Point x=1.0e+20, y=-0.0>")
    end
  end

  describe "arithmetic" do
    it "adds and subtracts Points into new frozen Points" do
      sum = point(1, 2) + point(3, 4)
      expect(sum).to eq(point(4, 6)).and be_frozen
      expect(point(1, 2) - point(3, 4)).to eq(point(-2, -2))
    end

    it "scales by Integers, Floats and Rationals" do
      expect(point(1, 2) * 3).to eq(point(3, 6))
      expect(point(1, 2) * 0.5).to eq(point(0.5, 1))
      expect(point(1, 2) * Rational(1, 4)).to eq(point(0.25, 0.5))
      expect(point(1, 2) * -1).to eq(point(-1, -2))
      expect((point(1, 2) * Float::INFINITY).x).to eq(Float::INFINITY)
    end

    it "raises TypeError for wrong operands", rbs_skip: "passes arguments its signature rejects" do
      expect { point(1, 2) + 1 }.to raise_error(TypeError, "other must be a MyLib::Point, not Integer")
      expect { point(1, 2) - nil }.to raise_error(TypeError, /not NilClass/)
      expect { point(1, 2) * point(1, 2) }.to raise_error(TypeError, /factor must be .* not MyLib::Point/)
      expect { point(1, 2).distance_to([0, 0]) }.to raise_error(TypeError, /not Array/)
    end

    it "measures distances without overflow" do
      expect(point(0, 0).distance_to(point(3, 4))).to eq(5.0)
      expect(point(0, 0).distance_to(point(0, 0))).to eq(0.0)
      expect(point(0, 0).distance_to(point(1e300, 1e300))).to be_finite
      expect(point(0, 0).distance_to(point(Float::NAN, 0))).to be_nan
    end
  end

  describe "JSON" do
    it "renders as {\"x\":..,\"y\":..}" do
      expect(point(1, 2).as_json).to eql({ "x" => 1.0, "y" => 2.0 })
      expect(point(1, 2).as_json(only: :x)).to eql({ "x" => 1.0, "y" => 2.0 })
      expect(point(1, 2).to_json).to eq('{"x":1.0,"y":2.0}')
      expect(JSON.generate([point(1, 2)])).to eq('[{"x":1.0,"y":2.0}]')
      expect(JSON.parse(JSON.pretty_generate(point: point(-1, 0)))).to eq({ "point" => { "x" => -1.0, "y" => 0.0 } })
    end

    it "refuses NaN, as JSON does for Floats" do
      expect { point(Float::NAN, 0).to_json }.to raise_error(JSON::GeneratorError)
    end
  end

  describe "Marshal" do
    it "round-trips, frozen, keeping -0.0, infinities and NaN" do
      [point(1, 2), point(-0.0, Float::INFINITY), point(2**31 - 1, -2**31)].each do |original|
        copy = Marshal.load(Marshal.dump(original))
        expect(copy).to eq(original).and be_frozen
        expect(copy.to_a.map { |c| 1 / c }).to eq(original.to_a.map { |c| 1 / c }) # the sign of zeros
      end
      expect(Marshal.load(Marshal.dump(point(Float::NAN, 1))).x).to be_nan
    end

    it "round-trips inside other objects" do
      data = { route: [point(0, 0), point(1, 1)] }
      expect(Marshal.load(Marshal.dump(data))).to eq(data)
    end

    it "rejects data of the wrong size" do
      expect { described_class._load("short") }.to raise_error(ArgumentError, /16 bytes, not 5/)
    end

    it "rejects data that is not a String", rbs_skip: "passes arguments its signature rejects" do
      expect { described_class._load(42) }
        .to raise_error(TypeError, "a marshaled MyLib::Point is a String, not Integer")
    end
  end

  describe "copies" do
    it "are the Point itself, as for other immutable values" do
      pt = point(1, 2)
      expect(pt.dup).to equal(pt)
      expect(pt.clone).to equal(pt)
      expect(pt.clone(freeze: true)).to equal(pt)
      expect { pt.clone(freeze: false) }.to raise_error(ArgumentError, "can't unfreeze MyLib::Point")
    end
  end

  it "survives GC stress and compaction", rbs_skip: "GC.stress with the checker's allocations takes minutes" do
    GC.stress = true
    points = Array.new(50) { |i| point(i, -i) * 2 }
    GC.stress = false
    GC.compact
    expect(points.map(&:to_a)).to eq(Array.new(50) { |i| [2.0 * i, -2.0 * i] })
  ensure
    GC.stress = false
  end
end
