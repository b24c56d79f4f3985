# frozen_string_literal: true

require "json"
require_relative "../support/public_api"

# Every public method of MyLib, called with GC.stress on: a collection at
# every allocation, so that a Ruby object the Rust side makes or receives and
# fails to keep reachable is freed (and its slot reused) at once.
#
# Running the whole suite this way (`MY_LIB_GC_STRESS=1`, `rake
# spec:gc_stress`) takes over an hour here, as every allocation of RSpec
# itself then runs a full GC. So the test command runs this named subset,
# which covers every class and method: the last example checks that
# CALLS names exactly the public API.
RSpec.describe "MyLib under GC.stress", rbs_skip: "GC.stress with the type checker's allocations takes minutes",
                                          valgrind_skip: "GC.stress under valgrind takes hours" do
  point = MyLib::Point.new(3, 4)
  def self.pt(x, y) = MyLib::Point.new(x, y)
  path = MyLib::Points.new([[0, 0], [3, 4], [3, 10]])
  # Past its first 20 queries, so that the ones under GC.stress use its k-d tree.
  indexed = MyLib::Points.new(Array.new(100) { |i| [i, i % 7] }).tap { |set| 21.times { set.nearest(point) } }

  # The block's result with MyLib::Points.gvl_release_threshold set to
  # `threshold`, restored after.
  with_gvl_threshold = lambda do |threshold, &block|
    previous = MyLib::Points.gvl_release_threshold
    MyLib::Points.gvl_release_threshold = threshold
    block.call
  ensure
    MyLib::Points.gvl_release_threshold = previous
  end
  # Whether the block holds both with the GVL held and with it released
  # (the bulk operations make their Ruby results after taking it back).
  both_ways = ->(&block) { block.call && with_gvl_threshold.call(0, &block) }

  # "Module#method" => a call of it, checking its result.
  CALLS = {
    "MyLib.add_numbers" => -> { MyLib.add_numbers(2, 3) == 5 },
    "MyLib.greet" => lambda do
      MyLib.greet("caf\xE9".b.force_encoding("ISO-8859-1")) == "Hello, café!" &&
        (MyLib.greet("\xFF".b.force_encoding("UTF-8")) rescue $!.is_a?(MyLib::InvalidByteSequenceError))
    end,
    "MyLib.greeting" => -> { MyLib.greeting.equal?(MyLib.greeting) && MyLib.greeting == "Hello from Rust" },
    "MyLib::Testing.panic!" => -> { (MyLib::Testing.panic!("stressed") rescue $!.message) == "stressed" },
    "MyLib::Testing.panic_without_gvl!" => lambda do
      MyLib::Testing.panic_without_gvl!("stressed")
    rescue MyLib::PanicError => e
      e.message == "stressed"
    end,
    "MyLib::Point.new" => -> { MyLib::Point.new(1, Rational(1, 2)).to_a == [1.0, 0.5] },
    "MyLib::Point#x" => -> { point.x == 3.0 },
    "MyLib::Point#y" => -> { point.y == 4.0 },
    "MyLib::Point#+" => -> { point + point == MyLib::Point.new(6, 8) },
    "MyLib::Point#-" => -> { point - point == MyLib::Point.new(0, 0) },
    "MyLib::Point#*" => -> { point * 2 == MyLib::Point.new(6, 8) },
    "MyLib::Point#==" => -> { point == MyLib::Point.new(3.0, 4.0) && point != 3 },
    "MyLib::Point#eql?" => -> { point.eql?(MyLib::Point.new(3, 4)) },
    "MyLib::Point#hash" => -> { point.hash == MyLib::Point.new(3, 4).hash },
    "MyLib::Point#distance_to" => -> { point.distance_to(MyLib::Point.new(0, 0)) == 5.0 },
    "MyLib::Point#to_a" => -> { point.to_a == [3.0, 4.0] },
    "MyLib::Point#to_h" => -> { point.to_h == { x: 3.0, y: 4.0 } },
    "MyLib::Point#deconstruct" => -> { point.deconstruct == [3.0, 4.0] },
    "MyLib::Point#deconstruct_keys" => -> { point.deconstruct_keys([:x]) == { x: 3.0, y: 4.0 } },
    "MyLib::Point#inspect" => -> { point.inspect == "#<MyLib::Point x=3.0, y=4.0>" },
    "MyLib::Point#to_s" => -> { point.to_s == "#<MyLib::Point x=3.0, y=4.0>" },
    "MyLib::Point#as_json" => -> { point.as_json == { "x" => 3.0, "y" => 4.0 } },
    "MyLib::Point#to_json" => -> { JSON.parse(point.to_json) == { "x" => 3.0, "y" => 4.0 } },
    "MyLib::Point#_dump" => -> { Marshal.load(Marshal.dump(point)) == point },
    "MyLib::Point._load" => -> { MyLib::Point._load(point._dump(-1)) == point },
    # A frozen value object dups to itself.
    "MyLib::Point#dup" => -> { point.dup.equal?(point) },
    "MyLib::Point#clone" => -> { point.clone == point && point.clone.frozen? },
    "MyLib::Points.new" => -> { MyLib::Points.new([[1, Rational(1, 2)], point]).to_a == [pt(1, 0.5), point] },
    "MyLib::Points.from_packed" => lambda do
      MyLib::Points.from_packed([1.0, 2.0].pack("d*")).at(0) == pt(1, 2) &&
        (MyLib::Points.from_packed("x") rescue $!.is_a?(ArgumentError))
    end,
    "MyLib::Points.gvl_release_threshold" => -> { MyLib::Points.gvl_release_threshold == 50_000 },
    "MyLib::Points.gvl_release_threshold=" => lambda do
      with_gvl_threshold.call(7) { MyLib::Points.gvl_release_threshold == 7 } &&
        with_gvl_threshold.call(nil) { MyLib::Points.gvl_release_threshold.nil? }
    end,
    "MyLib::Points._load" => -> { MyLib::Points._load(path._dump(-1)) == path },
    "MyLib::Points#to_packed" => -> { path.to_packed.unpack("d*") == [0.0, 0.0, 3.0, 4.0, 3.0, 10.0] },
    "MyLib::Points#length" => -> { path.length == 3 },
    "MyLib::Points#size" => -> { path.size == 3 },
    "MyLib::Points#at" => -> { path.at(-1) == pt(3, 10) && path.at(3).nil? },
    "MyLib::Points#[]" => -> { path[1] == pt(3, 4) && path[1, 5].to_a == [pt(3, 4), pt(3, 10)] && path[..0].length == 1 },
    "MyLib::Points#slice" => -> { path.slice(1..).to_a == [pt(3, 4), pt(3, 10)] && path.slice(4, 1).nil? },
    "MyLib::Points#first" => -> { path.first == pt(0, 0) && path.first(2) == [pt(0, 0), pt(3, 4)] },
    "MyLib::Points#last" => -> { path.last == pt(3, 10) && path.last(5) == [pt(0, 0), pt(3, 4), pt(3, 10)] },
    "MyLib::Points#each" => lambda do
      seen = []
      path.each { |p| seen << p }.equal?(path) && seen == [pt(0, 0), pt(3, 4), pt(3, 10)] && path.each.size == 3
    end,
    "MyLib::Points#to_a" => -> { path.to_a == [pt(0, 0), pt(3, 4), pt(3, 10)] },
    "MyLib::Points#entries" => -> { path.entries == [pt(0, 0), pt(3, 4), pt(3, 10)] },
    "MyLib::Points#empty?" => -> { !path.empty? && MyLib::Points.new([]).empty? },
    "MyLib::Points#==" => -> { path == MyLib::Points.new([pt(0, 0), [3.0, 4], [3, 10]]) && path != path.to_a },
    "MyLib::Points#eql?" => -> { path.eql?(MyLib::Points.new([[0, 0], [3, 4], [3, 10]])) && !path.eql?(path[0, 2]) },
    "MyLib::Points#hash" => -> { path.hash == MyLib::Points.new([[0, 0], [3, 4], [3, 10]]).hash },
    "MyLib::Points#centroid" => -> { both_ways.call { path.centroid.to_a == [2.0, 14.0 / 3] } },
    "MyLib::Points#bounding_box" => -> { both_ways.call { path.bounding_box == [pt(0, 0), pt(3, 10)] } },
    "MyLib::Points#path_length" => -> { both_ways.call { path.path_length == 11.0 } },
    "MyLib::Points#nearest" => lambda do
      both_ways.call do
        path.nearest(pt(3, 5)) == pt(3, 4) && path.nearest(pt(0, 0), 2) == [pt(0, 0), pt(3, 4)] &&
          indexed.nearest(pt(50.2, 1), 2) == [pt(50, 1), pt(51, 2)]
      end
    end,
    "MyLib::Points#within" => lambda do
      both_ways.call do
        path.within(pt(3, 5), 1).to_a == [pt(3, 4)] && indexed.within(pt(50, 1), 1).to_a == [pt(50, 1)]
      end
    end,
    "MyLib::Points#simplify" => -> { both_ways.call { path.simplify(5).to_a == [pt(0, 0), pt(3, 10)] } },
    "MyLib::Points#inspect" => -> { indexed.inspect == "#<MyLib::Points length=100 [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), ...]>" },
    "MyLib::Points#to_s" => -> { path[0, 1].to_s == "#<MyLib::Points length=1 [(0.0, 0.0)]>" },
    "MyLib::Points#as_json" => -> { path[1, 1].as_json == [{ "x" => 3.0, "y" => 4.0 }] },
    "MyLib::Points#to_json" => -> { path[1, 1].to_json == '[{"x":3.0,"y":4.0}]' },
    "MyLib::Points#_dump" => -> { Marshal.load(Marshal.dump(path)) == path },
    "MyLib::Points#dup" => -> { path.dup.equal?(path) },
    "MyLib::Points#clone" => -> { path.clone.equal?(path) && (path.clone(freeze: false) rescue $!.is_a?(ArgumentError)) },
    "MyLib::Buffer#initialize" => -> { MyLib::Buffer.new(3).read == "\0\0\0".b },
    "MyLib::Buffer.from" => -> { MyLib::Buffer.from("bytes").read == "bytes" },
    "MyLib::Buffer#size" => -> { MyLib::Buffer.new(5).size == 5 },
    "MyLib::Buffer#[]" => -> { MyLib::Buffer.from("ab")[-1] == 98 && ((MyLib::Buffer.new(1)[9] rescue $!.class) == IndexError) },
    "MyLib::Buffer#[]=" => -> { MyLib::Buffer.new(2).tap { |b| b[1] = 7 }.read == "\0\x07".b },
    "MyLib::Buffer#read" => -> { MyLib::Buffer.from("abcd").read(1, 2) == "bc" },
    "MyLib::Buffer#write" => -> { MyLib::Buffer.new(4).tap { |b| b.write(1, "xy") }.read == "\0xy\0".b },
    "MyLib::Buffer#fill" => -> { MyLib::Buffer.new(3).fill(0x2A).read == "***" },
    "MyLib::Buffer#==" => -> { MyLib::Buffer.from("a") == MyLib::Buffer.from("a") },
    "MyLib::Buffer#inspect" => -> { MyLib::Buffer.new(8).inspect == "#<MyLib::Buffer size=8>" },
    "MyLib::Buffer#to_s" => -> { MyLib::Buffer.from("secret").to_s.then { |s| s.include?("size=6") && !s.include?("secret") } },
    "MyLib::Buffer#close" => -> { MyLib::Buffer.new(1).tap(&:close).closed? },
    "MyLib::Buffer#free" => -> { MyLib::Buffer.new(1).tap(&:free).closed? },
    "MyLib::Buffer#closed?" => -> { !MyLib::Buffer.new(1).closed? }
  }.freeze

  CALLS.each do |name, call|
    it "#{name} returns correct results" do
      results = begin
        GC.stress = true
        Array.new(3) { call.call }
      ensure
        GC.stress = false
      end
      expect(results).to all(be_truthy)
    end
  end

  it "calls every public method of MyLib" do
    expect(CALLS.keys.sort).to eq(MyLibPublicApi.names)
  end
end
