# frozen_string_literal: true

require "open3"
require "rbconfig"

# The Ruby layer never calls Ruby while it holds a Buffer's bytes (Ruby may
# switch threads or run arbitrary code there), and never lets a Ruby
# exception jump over Rust frames. These are the failures that broke those
# rules: each used to raise MyLib::PanicError ("already borrowed").
RSpec.describe "MyLib::Buffer under contention and failure" do
  describe "Ruby code run while a buffer is in use", rbs_skip: "passes arguments its signature rejects" do
    # A class whose name, were it asked for by the TypeError message, would
    # use `buffer`.
    def reentrant_index(&use)
      klass = Class.new
      klass.define_singleton_method(:to_s) do
        use.call
        "Reentrant"
      end
      klass.new
    end

    # Error messages run no user code at all (spec/my_lib/error_messages_spec.rb):
    # they name an anonymous class by its address.
    it "runs none while an error message is built" do
      buffer = MyLib::Buffer.new(4)
      sizes = []
      index = reentrant_index { sizes << buffer.size }
      message = /\Aindex must be an Integer, not #<Class:0x\h+>\z/
      expect { buffer[index] = 1 }.to raise_error(TypeError, message)
      expect { buffer[index] }.to raise_error(TypeError, message)
      expect(sizes).to eq([])

      closing = reentrant_index { buffer.close }
      expect { buffer[closing] }.to raise_error(TypeError, message)
      expect(buffer).not_to be_closed
    end
  end

  describe "threads sharing one buffer", rbs_skip: "hundreds of thousands of calls; slow under the type checker" do
    it "never turns contention into a panic" do
      buffer = MyLib::Buffer.new(16)
      calls = 40_000
      panics = Queue.new
      count_panics = lambda do |&call|
        call.call
      rescue IndexError
        nil
      rescue MyLib::PanicError => e
        panics << e.message
      end
      workers = Array.new(4) do |t|
        Thread.new do
          calls.times do |i|
            count_panics.call { t.even? ? buffer[1000 + i] = 1 : buffer[-1000 - i] }
          end
        end
      end
      workers += Array.new(2) do |t|
        Thread.new do
          calls.times { count_panics.call { t.zero? ? buffer.size : buffer[0] = 1 } }
        end
      end
      workers.each(&:join)
      messages = Array.new(panics.size) { panics.pop }
      expect(messages.tally).to eq({})
    end

    it "lets one thread close buffers that others are reading" do
      failures = Queue.new
      shared = MyLib::Buffer.new(8)
      # Not an Integer: the TypeError names its class, whose `to_s` lets
      # another thread run, as Ruby may do in any call.
      index = Class.new { define_singleton_method(:to_s) { Thread.pass || "Passing" } }.new
      readers = Array.new(3) do
        Thread.new do
          5_000.times do
            shared[index]
          rescue TypeError, MyLib::ClosedError
            nil
          rescue MyLib::PanicError => e
            failures << e.message
          end
        end
      end
      closer = Thread.new do
        5_000.times do
          closing = shared
          shared = MyLib::Buffer.new(8)
          closing.close
          Thread.pass
        rescue MyLib::PanicError => e
          failures << e.message
        end
      end
      (readers << closer).each(&:join)
      expect(Array.new(failures.size) { failures.pop }.tally).to eq({})
    end
  end

  describe "running out of memory", rbs_skip: "runs a child process", rlimit_as: true do
    # A child Ruby whose address space leaves room for `room` times `size`
    # bytes: the buffer, then what `read` allocates, the copy it takes of
    # the bytes under the borrow and the String it makes from that copy.
    script = <<~'RUBY'
      require "my_lib"
      size = Integer(ARGV.fetch(0))
      room = Float(ARGV.fetch(1))
      in_use = File.read("/proc/self/status")[/^VmSize:\s+(\d+) kB/, 1].to_i * 1024
      Process.setrlimit(:AS, in_use + (size * room).to_i)
      buffer = MyLib::Buffer.new(size)
      begin
        buffer.read(0, size)
        puts "read"
      rescue NoMemoryError
        puts "NoMemoryError"
      end
      begin
        buffer.read(0, 3)
        buffer.close
        puts "closed: #{buffer.closed?}"
      rescue MyLib::Error => e
        puts "#{e.class}: #{e.message}"
      end
    RUBY

    def run_limited(script, room)
      lib = File.expand_path("../../lib", __dir__)
      Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, "-I", lib, "-e", script, (512 << 20).to_s, room.to_s)
    end

    before { skip "needs /proc and RLIMIT_AS" unless File.exist?("/proc/self/status") && Process.const_defined?(:RLIMIT_AS) }

    it "raises NoMemoryError when the copy cannot be had, and the buffer stays usable" do
      stdout, stderr, status = run_limited(script, 1.5)
      expect([stdout, stderr, status.success?]).to eq(["NoMemoryError\nclosed: true\n", "", true])
    end

    it "raises NoMemoryError when the String cannot be had, and the buffer stays usable" do
      stdout, stderr, status = run_limited(script, 2.5)
      expect([stdout, stderr, status.success?]).to eq(["NoMemoryError\nclosed: true\n", "", true])
    end
  end
end
