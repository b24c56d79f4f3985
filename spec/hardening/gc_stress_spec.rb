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

  # "Module#method" => a call of it, checking its result.
  CALLS = {
    "MyLib.add_numbers" => -> { MyLib.add_numbers(2, 3) == 5 },
    "MyLib.greet" => lambda do
      MyLib.greet("caf\xE9".b.force_encoding("ISO-8859-1")) == "Hello, café!" &&
        (MyLib.greet("\xFF".b.force_encoding("UTF-8")) rescue $!.is_a?(MyLib::InvalidByteSequenceError))
    end,
    "MyLib.greeting" => -> { MyLib.greeting.equal?(MyLib.greeting) && MyLib.greeting == "Hello from Rust" },
    "MyLib::Testing.panic!" => -> { (MyLib::Testing.panic!("stressed") rescue $!.message) == "stressed" },
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
