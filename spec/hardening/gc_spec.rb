# frozen_string_literal: true

# The Ruby values Rust keeps between calls (the error classes, the pinned
# greeting String) must survive compaction: Rust holds their addresses, so
# were they not pinned, compaction would move them and leave Rust pointing
# at freed or reused slots. `verify_compaction_references` moves every
# movable object, doubling the heap so that there is room to move to.
RSpec.describe "MyLib after GC compaction", rbs_skip: "compaction with the type checker's hooks is not what we test" do
  def compact_everything
    GC.verify_compaction_references(double_heap: true, toward: :empty)
  end

  # Ruby 3.1 never moves class objects (measured: same address before and
  # after), so here only the greeting can fail this way; a Ruby that moves
  # classes would fail the first example if the classes were not pinned.
  it "raises its own error classes, the same objects as the constants" do
    greeting = MyLib.greeting
    compact_everything

    expect { MyLib::Testing.panic!("after compaction") }
      .to raise_error(an_instance_of(MyLib::PanicError).and(having_attributes(message: "after compaction")))
    closed = MyLib::Buffer.new(1).tap(&:close)
    expect { closed.size }.to raise_error(an_instance_of(MyLib::ClosedError))
    expect { MyLib.greet("\xFF".b.force_encoding("UTF-8")) }
      .to raise_error(an_instance_of(MyLib::InvalidByteSequenceError))
    expect(MyLib.greeting).to equal(greeting)
  end

  it "returns the pinned greeting, intact, after its neighbours have moved" do
    before = MyLib.greeting
    id = before.object_id
    compact_everything
    after = MyLib.greeting
    expect(after.object_id).to eq(id)
    expect(after).to eq("Hello from Rust").and be_frozen
    expect(after.encoding).to eq(Encoding::UTF_8)
  end

  it "keeps Points and Buffers made before compaction usable after it" do
    points = Array.new(1_000) { |i| MyLib::Point.new(i, -i) }
    buffers = Array.new(100) { |i| MyLib::Buffer.from("buffer #{i}") }
    compact_everything
    expect(points.each_with_index.all? { |point, i| point.to_a == [i.to_f, -i.to_f] }).to be(true)
    expect(buffers.each_with_index.all? { |buffer, i| buffer.read == "buffer #{i}" }).to be(true)
    expect(MyLib::Point.new(1, 2) + points[3]).to eq(MyLib::Point.new(4, -1))
  end
end
