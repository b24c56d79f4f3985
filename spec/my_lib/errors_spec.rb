# frozen_string_literal: true

require "open3"
require "rbconfig"

RSpec.describe "MyLib errors and panics" do
  it "has a hierarchy under StandardError and EncodingError" do
    expect(MyLib::Error.superclass).to eq(StandardError)
    expect(MyLib::PanicError.superclass).to eq(MyLib::Error)
    expect(MyLib::ClosedError.superclass).to eq(MyLib::Error)
    expect(MyLib::InvalidByteSequenceError.superclass).to eq(EncodingError)
  end

  describe "MyLib::Testing.panic!" do
    it "raises PanicError carrying the panic's message" do
      expect { MyLib::Testing.panic!("boom") }.to raise_error(MyLib::PanicError, "boom")
      expect { MyLib::Testing.panic!("") }.to raise_error(MyLib::PanicError, "")
      expect { MyLib::Testing.panic!("ünïcødé 🦀") }.to raise_error(MyLib::PanicError, "ünïcødé 🦀")
    end

    it "is rescued by a bare rescue, as a StandardError" do
      rescued = begin
        MyLib::Testing.panic!("boom")
      rescue => e
        e
      end
      expect(rescued).to be_a(MyLib::Error)
    end

    it "leaves the library working, however often it happens" do
      100.times { expect { MyLib::Testing.panic!("again") }.to raise_error(MyLib::PanicError) }
      expect(MyLib.greet("still here")).to eq("Hello, still here!")
      expect(MyLib.add_numbers(1, 1)).to eq(2)
    end

    it "raises TypeError for a non-String message", rbs_skip: "passes arguments its signature rejects" do
      expect { MyLib::Testing.panic!(nil) }.to raise_error(TypeError)
    end
  end

  describe "in a separate process" do
    script = <<~RUBY
      require "my_lib"
      begin
        MyLib::Testing.panic!("boom")
      rescue MyLib::PanicError => e
        puts "rescued: \#{e.message}"
      end
      puts MyLib.greet("after")
    RUBY

    def run_ruby(script, env = {})
      lib = File.expand_path("../../lib", __dir__)
      # Without RUBYOPT: the runtime type checker of `rake rbs:spec` logs to stderr.
      Open3.capture3({ "RUBYOPT" => nil, "MY_LIB_DEBUG_PANIC" => nil }.merge(env), RbConfig.ruby, "-I", lib, "-e", script)
    end

    it "does not print a caught panic, and the process carries on" do
      stdout, stderr, status = run_ruby(script)
      expect(stderr).to be_empty
      expect(stdout).to eq("rescued: boom\nHello, after!\n")
      expect(status).to be_success
    end

    it "prints caught panics when MY_LIB_DEBUG_PANIC=1" do
      stdout, stderr, status = run_ruby(script, "MY_LIB_DEBUG_PANIC" => "1")
      expect(stderr).to include("boom")
      expect(stdout).to start_with("rescued: boom\n")
      expect(status).to be_success
    end
  end
end
