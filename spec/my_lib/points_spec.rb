# frozen_string_literal: true

require "json"
require "objspace"

RSpec.describe MyLib::Points do
  def pt(x, y) = MyLib::Point.new(x, y)

  let(:path) { described_class.new([[0, 0], [3, 4], pt(3, 10)]) }

  describe "building" do
    it "takes Points and [x, y] pairs of Integers, Floats and Rationals" do
      points = described_class.new([pt(1, 2), [3, 4.5], [Rational(1, 2), -1]])
      expect(points.to_a).to eq([pt(1, 2), pt(3, 4.5), pt(0.5, -1)])
      expect(points.length).to eq(3)
      expect(points.size).to eq(3)
      expect(described_class.new([])).to be_empty
    end

    it "is frozen, Enumerable and shareable between Ractors" do
      expect(path).to be_frozen
      expect(path).to be_a(Enumerable)
      expect(Ractor.shareable?(path)).to be(true)
      expect { path.instance_variable_set(:@x, 1) }.to raise_error(FrozenError)
    end

    it "copies the Array: changing it later changes nothing" do
      pairs = [[1, 2], [3, 4]]
      points = described_class.new(pairs)
      pairs[0][0] = 99
      pairs << [5, 6]
      expect(points.to_a).to eq([pt(1, 2), pt(3, 4)])
    end

    it "round-trips packed doubles exactly, NaN payloads and -0.0 included", :rbs_skip do
      doubles = [1.5, -0.0, Float::INFINITY, 1e-310, Float::NAN, 2.0**1000, -3.25, 0.1]
      packed = doubles.pack("d*")
      points = described_class.from_packed(packed)
      expect(points.length).to eq(4)
      expect(points.to_packed).to eq(packed.b)
      expect(points.to_packed.encoding).to eq(Encoding::BINARY)
      expect(points.at(0)).to eq(pt(1.5, -0.0))
    end

    it "reads packed strings of any encoding and leaves them as they were" do
      packed = [1.0, 2.0].pack("d*").force_encoding(Encoding::UTF_8)
      expect(described_class.from_packed(packed).first).to eq(pt(1, 2))
      expect(described_class.from_packed("").length).to eq(0)
    end

    it "rejects a packed string whose length is not a multiple of 16" do
      [1, 8, 15, 17, 33].each do |bytes|
        expect { described_class.from_packed("x" * bytes) }.to raise_error(
          ArgumentError, "packed points take 16 bytes each (two doubles), but #{bytes} bytes is not a multiple of 16"
        )
      end
    end

    it "rejects what is not an Array of points, naming the element", :rbs_skip do
      expect { described_class.new("no") }
        .to raise_error(TypeError, "points must be an Array of MyLib::Points or [x, y] pairs, not String")
      expect { described_class.new([[1, 2], [3]]) }
        .to raise_error(TypeError, "points[1] must be a MyLib::Point or an [x, y] pair, not Array")
      expect { described_class.new([[1, 2], [3, "4"]]) }
        .to raise_error(TypeError, "points[1][1] must be an Integer, Float or Rational, not String")
      expect { described_class.new([nil]) }
        .to raise_error(TypeError, "points[0] must be a MyLib::Point or an [x, y] pair, not NilClass")
      expect { described_class.from_packed(nil) }.to raise_error(TypeError, "packed must be a String, not NilClass")
      expect { described_class.new([[2**1100, 0]]) }.to raise_error(RangeError, "points[0][0] is out of the range of Float")
    end

    it "has no allocator and no public way to change it" do
      expect { described_class.allocate }.to raise_error(TypeError)
      expect(described_class.public_instance_methods(false).grep(/=\z|<<|push|delete|clear/))
        .to contain_exactly(:==)
    end
  end

  describe "reading" do
    it "indexes like an Array" do
      expect(path[0]).to eq(pt(0, 0))
      expect(path[-1]).to eq(pt(3, 10))
      expect(path[3]).to be_nil
      expect(path[-4]).to be_nil
      expect(path.at(1)).to eq(pt(3, 4))
      expect(path.at(2**70)).to be_nil
      expect(path[1, 5].to_a).to eq([pt(3, 4), pt(3, 10)])
      expect(path[3, 1].to_a).to eq([])
      expect(path[4, 1]).to be_nil
      expect(path[0, -1]).to be_nil
      expect(path[1..].to_a).to eq([pt(3, 4), pt(3, 10)])
      expect(path[..-2].to_a).to eq([pt(0, 0), pt(3, 4)])
      expect(path[0...1].to_a).to eq([pt(0, 0)])
      expect(path[2..0].to_a).to eq([])
      expect(path[5..]).to be_nil
      expect(path.first).to eq(pt(0, 0))
      expect(path.first(2)).to eq([pt(0, 0), pt(3, 4)])
      expect(path.last(2)).to eq([pt(3, 4), pt(3, 10)])
      expect(path.last(9).length).to eq(3)
      expect(path.last).to eq(pt(3, 10))
    end

    it "rejects non-Integer indexes", :rbs_skip do
      expect { path.at(1.5) }.to raise_error(TypeError, "index must be an Integer, not Float")
      expect { path["0", 1] }.to raise_error(TypeError, "start must be an Integer, not String")
      expect { path[(0.5)..] }.to raise_error(TypeError, /range bounds must be Integers/)
      expect { path[0, nil] }.to raise_error(TypeError, "length must be an Integer, not NilClass")
      expect { path.first(nil) }.to raise_error(TypeError, "count must be an Integer, not NilClass")
      expect { path.last("2") }.to raise_error(TypeError, "count must be an Integer, not String")
    end

    it "enumerates Points in order, with a sized Enumerator" do
      expect(path.map(&:y)).to eq([0.0, 4.0, 10.0])
      expect(path.each.size).to eq(3)
      expect(path.each_slice(2).to_a.length).to eq(2)
      expect(path.each { nil }).to equal(path)
      expect(path.entries).to eq(path.to_a)
    end

    it "compares and hashes by its points, as Point does" do
      same = described_class.new([[0, 0], [3.0, 4.0], [3, 10]])
      expect(path).to eq(same)
      expect(path).to eql(same)
      expect(path.hash).to eq(same.hash)
      expect({ path => 1 }[same]).to eq(1)
      expect(described_class.new([[-0.0, 0]]).hash).to eq(described_class.new([[0.0, 0]]).hash)
      expect(path).not_to eq(described_class.new([[0, 0], [3, 4]]))
      expect(path).not_to eq(path.to_a)
      expect(described_class.new([[Float::NAN, 0]])).not_to eq(described_class.new([[Float::NAN, 0]]))
    end

    it "inspects, serializes to JSON and marshals" do
      expect(path.inspect).to eq("#<MyLib::Points length=3 [(0.0, 0.0), (3.0, 4.0), (3.0, 10.0)]>")
      long = described_class.new(Array.new(5) { |i| [i, i] })
      expect(long.to_s).to eq("#<MyLib::Points length=5 [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), ...]>")
      expect(JSON.parse(path.to_json)).to eq([{ "x" => 0.0, "y" => 0.0 }, { "x" => 3.0, "y" => 4.0 },
                                              { "x" => 3.0, "y" => 10.0 }])
      expect(Marshal.load(Marshal.dump(path))).to eq(path)
      expect(path.dup).to equal(path)
      expect(path.clone).to equal(path)
      expect { path.clone(freeze: false) }.to raise_error(ArgumentError)
    end

    it "reports 16 bytes a point to ObjectSpace, plus a constant" do
      small = ObjectSpace.memsize_of(described_class.from_packed("\0" * 16 * 10))
      large = ObjectSpace.memsize_of(described_class.from_packed("\0" * 16 * 100_010))
      expect(large - small).to eq(16 * 100_000)
      expect(small).to be < 16 * 10 + 200
    end
  end

  describe "summaries" do
    it "computes the centroid, bounding box and path length" do
      expect(path.centroid.x).to eq(2.0)
      expect(path.centroid.y).to be_within(1e-12).of(14.0 / 3)
      expect(path.bounding_box).to eq([pt(0, 0), pt(3, 10)])
      expect(path.path_length).to eq(11.0)
    end

    it "takes the centroid of huge coordinates without overflow" do
      expect(described_class.new([[1e308, 1e308]] * 2).centroid).to eq(pt(1e308, 1e308))
      expect(described_class.new([[Float::MAX, -Float::MAX]] * 2).centroid).to eq(pt(Float::MAX, -Float::MAX))
      # The naive mean overflows:
      expect((1e308 + 1e308) / 2).to eq(Float::INFINITY)
    end

    it "keeps the centroid accurate over many points" do
      mean = described_class.from_packed([0.1, 0.1].pack("d*") * 1_000_000).centroid
      expect(mean.x).to be_within(4 * 0.1 * Float::EPSILON).of(0.1)
    end

    it "has no centroid or bounding box for no points, and a path length of 0" do
      empty = described_class.new([])
      expect(empty.centroid).to be_nil
      expect(empty.bounding_box).to be_nil
      expect(empty.path_length).to eq(0.0)
      one = described_class.new([[1, 2]])
      expect([one.centroid, one.bounding_box, one.path_length]).to eq([pt(1, 2), [pt(1, 2), pt(1, 2)], 0.0])
    end

    it "ignores NaN coordinates in the bounding box" do
      points = described_class.new([[Float::NAN, 5], [2, Float::NAN], [-1, 0]])
      expect(points.bounding_box).to eq([pt(-1, 0), pt(2, 5)])
    end

    it "gives the same answers without the GVL as with it" do
      points = described_class.from_packed(Array.new(2 * 60_000) { |i| Math.sin(i) * 1000 }.pack("d*"))
      released = %i[centroid bounding_box path_length].map { |m| points.public_send(m) }
      begin
        MyLib::Points.gvl_release_threshold = nil
        held = %i[centroid bounding_box path_length].map { |m| points.public_send(m) }
      ensure
        MyLib::Points.gvl_release_threshold = 50_000
      end
      expect(released).to eq(held)
    end
  end

  describe "searching" do
    let(:points) { described_class.new([[0, 2], [1, 0], [-1, 0], [0, 0.5], [Float::NAN, 0]]) }
    let(:origin) { pt(0, 0) }

    it "finds the nearest point, or the k nearest closest first, ties by position" do
      expect(points.nearest(origin)).to eq(pt(0, 0.5))
      expect(points.nearest(origin, 3)).to eq([pt(0, 0.5), pt(1, 0), pt(-1, 0)])
      expect(points.nearest(origin, 10).length).to eq(4) # the NaN point is never found
      expect(points.nearest(origin, 0)).to eq([])
      expect(described_class.new([]).nearest(origin)).to be_nil
      expect(described_class.new([]).nearest(origin, 2)).to eq([])
    end

    it "finds the points within a radius, boundary included, in order" do
      expect(points.within(origin, 1).to_a).to eq([pt(1, 0), pt(-1, 0), pt(0, 0.5)])
      expect(points.within(origin, 0).to_a).to eq([])
      expect(points.within(pt(0, 0.5), 0).to_a).to eq([pt(0, 0.5)])
      expect(points.within(origin, Float::INFINITY).length).to eq(4)
      expect(points.within(origin, Rational(1, 2)).to_a).to eq([pt(0, 0.5)])
    end

    it "answers the same before and after it builds its index" do
      random = Random.new(42)
      cloud = described_class.new(Array.new(3000) { [random.rand(-50..50), random.rand(-50..50)] })
      pairs = cloud.to_a.map(&:to_a)
      queries = Array.new(30) { pt(random.rand(-60.0..60.0), random.rand(-60.0..60.0)) }
      before = ObjectSpace.memsize_of(cloud)
      answers = queries.map { |q| [cloud.nearest(q, 5), cloud.within(q, 7).to_a] }
      # By now the index exists: 24 bytes a point, and its boxed 24-byte header.
      expect(ObjectSpace.memsize_of(cloud) - before).to eq((24 * 3000) + 24)
      answers.each_with_index do |(nearest, within), i|
        q = queries[i]
        by_distance = pairs.each_with_index.sort_by { |(x, y), position| [Math.hypot(x - q.x, y - q.y), position] }
        expect(nearest).to eq(by_distance.first(5).map { |(x, y), _| pt(x, y) })
        expect(within).to eq(pairs.select { |x, y| Math.hypot(x - q.x, y - q.y) <= 7 }.map { |x, y| pt(x, y) })
        expect(cloud.nearest(q, 5)).to eq(nearest)
        expect(cloud.within(q, 7).to_a).to eq(within)
      end
    end

    it "rejects a negative or non-Integer k and a negative or NaN radius", :rbs_skip do
      expect { points.nearest(origin, -1) }.to raise_error(ArgumentError, "k must not be negative, got -1")
      expect { points.nearest(origin, 1.5) }.to raise_error(TypeError, "k must be an Integer, not Float")
      expect { points.nearest([0, 0]) }.to raise_error(TypeError, "point must be a MyLib::Point, not Array")
      expect { points.within(origin, -0.5) }.to raise_error(ArgumentError, "radius must not be negative, got -0.5")
      expect { points.within(origin, Float::NAN) }.to raise_error(ArgumentError, "radius must be a number, got NaN")
      expect { points.within(origin, "1") }
        .to raise_error(TypeError, "radius must be an Integer, Float or Rational, not String")
    end
  end

  describe "#simplify" do
    it "drops the points within the tolerance, keeping the ends" do
      zigzag = described_class.new([[0, 0], [1, 0.1], [2, -0.1], [3, 5], [4, 6], [5, 7]])
      expect(zigzag.simplify(0.5).to_a).to eq([pt(0, 0), pt(2, -0.1), pt(3, 5), pt(5, 7)])
      expect(zigzag.simplify(1e9).to_a).to eq([pt(0, 0), pt(5, 7)])
      expect(zigzag.simplify(0).length).to eq(5) # (4, 6) lies on the line
      expect(described_class.new([[1, 1]]).simplify(0).to_a).to eq([pt(1, 1)])
      expect(described_class.new([]).simplify(1).length).to eq(0)
    end

    it "rejects a negative or NaN tolerance", :rbs_skip do
      expect { path.simplify(-1) }.to raise_error(ArgumentError, "tolerance must not be negative, got -1.0")
      expect { path.simplify(Float::NAN) }.to raise_error(ArgumentError, "tolerance must be a number, got NaN")
      expect { path.simplify(nil) }.to raise_error(TypeError, "tolerance must be an Integer, Float or Rational, not NilClass")
    end
  end

  describe ".gvl_release_threshold" do
    after { described_class.gvl_release_threshold = 50_000 }

    it "defaults to 50,000 points and can be set to an Integer or nil" do
      expect(described_class.gvl_release_threshold).to eq(50_000)
      expect(described_class.gvl_release_threshold = 0).to eq(0)
      expect(described_class.gvl_release_threshold).to eq(0)
      expect(path.centroid.x).to eq(2.0)
      described_class.gvl_release_threshold = nil
      expect(described_class.gvl_release_threshold).to be_nil
    end

    it "rejects anything else", :rbs_skip do
      expect { described_class.gvl_release_threshold = -1 }.to raise_error(ArgumentError)
      expect { described_class.gvl_release_threshold = 1.5 }.to raise_error(TypeError)
    end
  end
end
