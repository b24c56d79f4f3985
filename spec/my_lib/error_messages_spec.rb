# frozen_string_literal: true

require "timeout"

# Error messages and #inspect never run user code: they name a class as
# Ruby stores it, and format numbers themselves. Calling a user's `to_s`
# there used to lose an interrupt delivered meanwhile (magnus's Display
# swallows the exception and prints `rb_any_to_s` instead).
RSpec.describe "Error messages", rbs_skip: "passes arguments its signature rejects" do
  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

  # A class whose every way of naming itself or its instances is slow,
  # counted, and would fail: nothing here may call any of them.
  let(:calls) { [] }
  let(:hostile_class) do
    calls = self.calls
    klass = Class.new do
      %i[to_s inspect name].each do |method|
        define_singleton_method(method) do
          calls << method
          sleep 0.4
          raise "#{method} must not be called"
        end
      end
      define_method(:to_s) do
        calls << :instance_to_s
        sleep 0.4
        raise "to_s must not be called"
      end
      alias_method :inspect, :to_s
    end
    stub_const("Hostile", klass)
  end
  let(:hostile) { hostile_class.new }
  let(:buffer) { MyLib::Buffer.new(4) }
  let(:path) { MyLib::Points.new([[0, 0], [1, 1], [2, 0]]) }

  it "name the class without calling it, at every site" do
    sites = {
      -> { buffer[hostile] } => "index must be an Integer, not Hostile",
      -> { buffer[hostile] = 1 } => "index must be an Integer, not Hostile",
      -> { buffer[0] = hostile } => "byte must be an Integer, not Hostile",
      -> { buffer.read(hostile) } => "offset must be an Integer, not Hostile",
      -> { MyLib::Buffer.new(hostile) } => "size must be an Integer, not Hostile",
      -> { MyLib.add_numbers(hostile, 1) } => "a must be an Integer, not Hostile",
      -> { MyLib::Point.new(hostile, 1) } => "x must be an Integer, Float or Rational, not Hostile",
      -> { MyLib::Point.new(1, 2) + hostile } => "other must be a MyLib::Point, not Hostile",
      -> { MyLib::Points.new(hostile) } => "points must be an Array of MyLib::Points or [x, y] pairs, not Hostile",
      -> { MyLib::Points.new([hostile]) } => "points[0] must be a MyLib::Point or an [x, y] pair, not Hostile",
      -> { MyLib::Points.new([[0, hostile]]) } => "points[0][1] must be an Integer, Float or Rational, not Hostile",
      -> { MyLib::Points.from_packed(hostile) } => "packed must be a String, not Hostile",
      -> { path.simplify(hostile) } => "tolerance must be an Integer, Float or Rational, not Hostile",
      -> { path.nearest(hostile) } => "point must be a MyLib::Point, not Hostile"
    }
    sites.each { |site, message| expect(&site).to raise_error(TypeError, message) }
    expect(calls).to be_empty
  end

  it "name the real class of an object with a singleton class, and an anonymous class by address" do
    object = hostile
    object.define_singleton_method(:extra) { 1 }
    expect { buffer[object] }.to raise_error(TypeError, "index must be an Integer, not Hostile")
    expect { buffer[Class.new.new] }.to raise_error(TypeError, /\Aindex must be an Integer, not #<Class:0x\h{16}>\z/)
    expect(calls).to be_empty
  end

  it "print Integers themselves, even with Integer#to_s redefined" do
    Integer.alias_method(:original_to_s, :to_s)
    Integer.define_method(:to_s) { |*| raise "Integer#to_s must not be called" }
    Integer.alias_method(:inspect, :to_s)
    begin
      expect { buffer[2**70] }.to raise_error(IndexError, "index 1180591620717411303424 outside of a buffer of 4 bytes (-4...4)")
      expect { buffer[-5] }.to raise_error(IndexError, "index -5 outside of a buffer of 4 bytes (-4...4)")
      expect { buffer[0] = 256 }.to raise_error(RangeError, "byte 256 is outside 0..255")
      expect { MyLib::Buffer.new(-(2**64)) }
        .to raise_error(ArgumentError, "size must not be negative, got -18446744073709551616")
      expect { MyLib.add_numbers(2**31, 1) }
        .to raise_error(RangeError, "a = 2147483648 is outside a 32-bit signed integer (-2147483648 to 2147483647)")
    ensure
      Integer.alias_method(:to_s, :original_to_s)
      Integer.alias_method(:inspect, :original_to_s)
      Integer.remove_method(:original_to_s)
    end
    expect(2**70).to eq(1_180_591_620_717_411_303_424)
    expect((2**70).to_s).to eq("1180591620717411303424")
  end

  describe "#inspect" do
    it "prints Floats exactly as Float#inspect does (the oracle), without calling it" do
      edges = [0.0, -0.0, 1.0, -2.5, 0.1, 1e14, 1e15, 1e16, 1.5e15, 123_456_789_012_345.6, 1_234_567_890_123_456.8,
               12_345_678_901_234_567.0, 0.001, 0.0001, 0.00012, 0.00001, 1e-5, 1e100, -1e-100, 5e-324, 2.2250738585072014e-308,
               Float::MAX, -Float::MAX, Float::MIN, Float::EPSILON, Float::INFINITY, -Float::INFINITY, Float::NAN,
               1e308, 1e9 + 1e-6, 9_007_199_254_740_993.0, 100.0, 1e15 + 0.5]
      powers = (-330..310).flat_map { |e| [10.0**e, 2.0**e, 3 * (10.0**e), 1.25 * (10.0**e)] }
      random = Array.new(20_000) { [rand(2**64)].pack("Q").unpack1("d") }
      floats = edges + powers + random
      mismatches = floats.each_slice(2).filter_map do |x, y|
        y ||= 0.0
        expected = "#<MyLib::Point x=#{x.inspect}, y=#{y.inspect}>"
        actual = MyLib::Point.new(x, y).inspect
        [expected, actual] unless actual == expected
      end
      expect(mismatches.first(5)).to eq([])
    end

    it "names a subclass without calling its name or to_s" do
      calls = self.calls
      point_class = Class.new(MyLib::Point) { define_singleton_method(:name) { calls << :name } }
      point_class.define_singleton_method(:to_s) { calls << :to_s }
      stub_const("SubPoint", point_class)
      buffer_class = Class.new(MyLib::Buffer) { define_singleton_method(:to_s) { calls << :to_s } }
      stub_const("SubBuffer", buffer_class)
      expect(SubPoint.new(1, 2).inspect).to eq("#<SubPoint x=1.0, y=2.0>")
      expect(SubBuffer.new(3).inspect).to eq("#<SubBuffer size=3>")
      expect(calls).to be_empty
    end
  end

  # A call that fails with a TypeError, which only that is rescued.
  def fail_once(object)
    buffer[object]
  rescue TypeError
    nil
  end

  # A thread that makes failing calls until stopped; before the fix, each
  # spent 0.4 s in Hostile.to_s, where an interrupt was swallowed.
  def failing_calls_in_a_thread
    object = hostile
    started = Queue.new
    thread = Thread.new do
      Thread.current.report_on_exception = false
      started << true
      loop { fail_once(object) }
    end
    started.pop
    sleep 0.1
    thread
  end

  describe "interrupts while a message is built" do
    it "Thread#raise reaches the thread" do
      thread = failing_calls_in_a_thread
      stop = Class.new(StandardError)
      thread.raise(stop, "stop")
      # #join re-raises the thread's exception; nil after 3 s: it was lost.
      expect { expect(thread.join(3)).not_to be_nil, "the raise was lost" }.to raise_error(stop, "stop")
    ensure
      thread&.kill
    end

    it "Thread#kill ends the thread" do
      thread = failing_calls_in_a_thread
      thread.kill
      expect(thread.join(3)).to be(thread), "the kill was lost"
      expect(thread).not_to be_alive
    ensure
      thread&.kill
    end

    it "Timeout stops the block" do
      object = hostile
      cpu_started = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)
      outcome = Thread.new do
        Timeout.timeout(0.2) { loop { fail_once(object) } }
      rescue Timeout::Error => e
        e
      end
      expect(outcome.join(3)).not_to be_nil, "the Timeout was lost"
      expect(outcome.value).to be_a(Timeout::Error)
      # In CPU time, which load cannot stretch: 0.2 s of the loop, then the raise.
      expect(Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID) - cpu_started).to be < 1
    ensure
      outcome&.kill
    end
  end
end
