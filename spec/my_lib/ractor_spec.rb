# frozen_string_literal: true

RSpec.describe "MyLib in Ractors", rbs_skip: "the runtime type checker's hooks are not Ractor-safe" do
  around do |example|
    experimental = Warning[:experimental]
    Warning[:experimental] = false # "Ractor is experimental"
    example.run
  ensure
    Warning[:experimental] = experimental
  end

  # A Ractor's block value: Ractor#value from Ruby 4.0 on, where Ractor#take
  # is gone (and #value is not there before).
  def result_of(ractor)
    ractor.respond_to?(:value) ? ractor.value : ractor.take
  end

  it "runs every part of the API inside a non-main Ractor" do
    results = result_of(Ractor.new do
      buffer = MyLib::Buffer.from("abc")
      buffer[0] = 0x41
      point = MyLib::Point.new(3, 4)
      [
        MyLib.greeting, MyLib.greet("Ractor"), MyLib.add_numbers(2, 3),
        point.distance_to(MyLib::Point.new(0, 0)), (point * 2).to_a, buffer.read
      ]
    end)
    expect(results).to eq(["Hello from Rust", "Hello, Ractor!", 5, 5.0, [6.0, 8.0], "Abc"])
  end

  it "shares Points between Ractors without copying them" do
    point = MyLib::Point.new(1, 2)
    ractor = Ractor.new(point) { |received| [received.object_id, received + received] }
    id, sum = result_of(ractor)
    expect(id).to eq(point.object_id)
    expect(sum).to eq(MyLib::Point.new(2, 4))
    expect(Ractor.shareable?(sum)).to be(true)
  end

  it "shares the one greeting String" do
    expect(result_of(Ractor.new { MyLib.greeting.object_id })).to eq(MyLib.greeting.object_id)
  end

  it "keeps Buffers, which are mutable, out of sharing" do
    expect(Ractor.shareable?(MyLib::Buffer.new(1).freeze)).to be(false)
    expect { Ractor.make_shareable(MyLib::Buffer.from("secret")) }
      .to raise_error(Ractor::Error, "can not make shareable object for #<MyLib::Buffer size=6>")
  end

  it "raises errors and panics inside the Ractor" do
    ractor = Ractor.new do
      MyLib::Testing.panic!("in a Ractor")
    rescue MyLib::PanicError => e
      e.message
    end
    expect(result_of(ractor)).to eq("in a Ractor")
    failing = Ractor.new do
      MyLib.add_numbers(2**31, 0)
    rescue RangeError => e
      [e.class, e.message]
    end
    expect(result_of(failing)).to eq([RangeError, "a = 2147483648 is outside a 32-bit signed integer (-2147483648 to 2147483647)"])
  end
end
