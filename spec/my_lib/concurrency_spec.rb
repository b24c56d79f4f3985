# frozen_string_literal: true

RSpec.describe "MyLib under threads and fork" do
  it "gives each of many threads its own correct results" do
    results = Array.new(8) do |t|
      Thread.new do
        Array.new(500) do |i|
          point = MyLib::Point.new(t, i)
          buffer = MyLib::Buffer.from("t#{t}i#{i}")
          [MyLib.add_numbers(t, i), MyLib.greet("#{t}-#{i}"), point.distance_to(MyLib::Point.new(0, 0)), buffer.read]
        end
      end
    end.map(&:value)

    results.each_with_index do |rows, t|
      rows.each_with_index do |(sum, greeting, distance, bytes), i|
        expect([sum, greeting, bytes]).to eq([t + i, "Hello, #{t}-#{i}!", "t#{t}i#{i}"])
        expect(distance).to be_within(1e-9).of(Math.hypot(t, i))
      end
    end
  end

  it "turns panics in many threads into exceptions, each with its own message" do
    messages = Array.new(4) do |t|
      Thread.new do
        MyLib::Testing.panic!("thread #{t}")
      rescue MyLib::PanicError => e
        e.message
      end
    end.map(&:value)
    expect(messages).to eq(Array.new(4) { |t| "thread #{t}" })
  end

  it "keeps working in a forked child, panics included", fork: true do
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      panic = begin
        MyLib::Testing.panic!("in the child")
      rescue MyLib::PanicError => e
        e.message
      end
      writer.puts [MyLib.greet("child"), MyLib.greeting, MyLib::Buffer.new(3).size, panic].join("|")
      writer.close
      exit!(0)
    end
    writer.close
    _, status = Process.wait2(pid)
    expect(status).to be_success
    expect(reader.read.chomp).to eq("Hello, child!|Hello from Rust|3|in the child")
  ensure
    reader&.close
  end
end
