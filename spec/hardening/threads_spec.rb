# frozen_string_literal: true

# Eight Ruby threads share one Buffer, Points and the text functions, as the
# threads of a Puma worker would. Nothing may raise PanicError, crash or
# corrupt a byte, and once a thread closes the buffer every thread sees
# ClosedError.
RSpec.describe "MyLib shared by 8 Ruby threads", rbs_skip: "a hundred thousand calls; slow under the type checker" do
  THREADS = 8

  it "reads, writes and indexes one Buffer from every thread without a panic or a lost write" do
    buffer = MyLib::Buffer.new(THREADS)
    errors = Queue.new
    workers = Array.new(THREADS) do |t|
      Thread.new do
        4_000.times do |i|
          value = (t * 31 + i) % 256
          buffer[t] = value # each thread owns byte t
          errors << "thread #{t} lost a write" unless buffer[t] == value && buffer.read(t, 1).ord == value
          begin
            i.even? ? buffer[THREADS + i] = 1 : buffer[-THREADS - 1 - i]
          rescue IndexError
            nil
          end
          errors << "size changed" unless buffer.size == THREADS
        rescue StandardError => e
          errors << "#{e.class}: #{e.message}"
        end
      end
    end
    workers.each(&:join)
    expect(Array.new(errors.size) { errors.pop }.tally).to eq({})
  end

  it "raises ClosedError, never PanicError, in every thread once another thread closes the buffer" do
    buffer = MyLib::Buffer.new(64)
    started = Queue.new
    outcomes = Array.new(THREADS) do |t|
      Thread.new do
        started << t
        loop do
          buffer[t] = 1
          buffer.read(0, 64)
          buffer.fill(t)
          Thread.pass
        end
      rescue MyLib::ClosedError, MyLib::Error, StandardError => e
        e.class
      end
    end
    THREADS.times { started.pop }
    sleep 0.05
    Thread.new { buffer.close }.join
    expect(outcomes.map(&:value)).to eq([MyLib::ClosedError] * THREADS)
    expect(buffer).to be_closed
  end

  it "shares Points and greet between threads with every result correct" do
    origin = MyLib::Point.new(0, 0)
    points = Array.new(100) { |i| MyLib::Point.new(i, i) }
    # Computed by one thread first: every thread must get the same bits.
    distances = points.map { |point| point.distance_to(origin) }
    results = Array.new(THREADS) do |t|
      Thread.new do
        2_000.times.count do |i|
          point = points[(t + i) % points.size]
          point.distance_to(origin).eql?(distances[(t + i) % points.size]) &&
            (point + origin) == point &&
            MyLib.greet("thread #{t}") == "Hello, thread #{t}!" &&
            MyLib.greeting.equal?(MyLib.greeting)
        end
      end
    end.map(&:value)
    expect(results).to eq([2_000] * THREADS)
  end
end
