# frozen_string_literal: true

# Puma's cluster mode, Unicorn and Resque fork after `require "my_lib"`, often
# with objects already made. The child must use them, and its own, correctly.
RSpec.describe "MyLib in a forked child", rbs_skip: "forks", fork: true do
  before { skip "no fork on this platform" unless Process.respond_to?(:fork) }

  it "uses Buffers, Points and text made before the fork, and new ones" do
    buffer = MyLib::Buffer.from("parent")
    point = MyLib::Point.new(3, 4)
    greeting = MyLib.greeting
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      buffer.write(0, "child!")
      report = [
        buffer.read, point.distance_to(MyLib::Point.new(0, 0)), MyLib.greeting.equal?(greeting),
        MyLib.greet("child"), MyLib::Buffer.new(3).fill(1).read.bytes,
        (MyLib::Testing.panic!("in the child") rescue $!.class.name) # rubocop:disable Style/RescueModifier
      ]
      buffer.close
      report << buffer.closed?
      writer.write(Marshal.dump(report))
      writer.close
      exit!(0)
    end
    writer.close
    report = Marshal.load(reader.read) # rubocop:disable Security/MarshalLoad
    _, status = Process.wait2(pid)
    expect(status).to be_success
    expect(report).to eq(["child!", 5.0, true, "Hello, child!", [1, 1, 1], "MyLib::PanicError", true])
    # The parent's copy is its own: the child's write and close did not reach it.
    expect(buffer.read).to eq("parent")
    expect(buffer).not_to be_closed
  end

  # Bulk calls that release the GVL run on cached worker threads, which do
  # not survive fork: the child must not hand its work to the parent's.
  it "runs bulk calls without the GVL in the child after the parent ran some" do
    threshold = MyLib::Points.gvl_release_threshold
    MyLib::Points.gvl_release_threshold = 0
    points = MyLib::Points.new([[0, 0], [2, 0], [2, 2], [0, 2]])
    # Several at once, so that several workers are cached.
    Array.new(4) { Thread.new { 20.times { points.centroid } } }.each(&:join)
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      report = [points.centroid, points.path_length, MyLib::Points.new([[1, 1], [3, 5]]).centroid]
      report << Array.new(3) { Thread.new { points.bounding_box } }.map(&:value)
      writer.write(Marshal.dump(report))
      writer.close
      exit!(0)
    end
    writer.close
    # A child that waits for a worker it does not have never writes: give up.
    ready = IO.select([reader], nil, nil, 30)
    Process.kill(:KILL, pid) unless ready
    report = ready && Marshal.load(reader.read) # rubocop:disable Security/MarshalLoad
    _, status = Process.wait2(pid)
    expect(status).to be_success
    box = [MyLib::Point.new(0, 0), MyLib::Point.new(2, 2)]
    expect(report).to eq([MyLib::Point.new(1, 1), 6.0, MyLib::Point.new(2, 3), [box, box, box]])
    expect(points.centroid).to eq(MyLib::Point.new(1, 1))
  ensure
    MyLib::Points.gvl_release_threshold = threshold
  end
end
