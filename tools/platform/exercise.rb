# frozen_string_literal: true

# Loads my_lib from an installed platform gem and calls every class and
# module of its API once. Run by `rake platform:test:*` with the Ruby under
# test (the host's, the trixie root's, or the emulated arm64 one), outside
# Bundler, with no cargo on PATH:
#
#   ruby exercise.rb GEM_HOME
#
# It fails (exit 1) unless the extension came from
# GEM_HOME/gems/my_lib-<version>-<platform>/lib/my_lib/<ruby minor>/my_lib.<DLEXT>,
# unless every check holds, and when MyLib has a class or module that no
# check below calls (a new class must be added here).

gem_home = File.realpath(ARGV.fetch(0))
require "my_lib"

failures = []
checked = []
check = lambda do |name, &block|
  checked << name
  result = block.call
  failures << "#{name}: returned #{result.inspect}" unless result
rescue StandardError, EncodingError => e
  failures << "#{name}: raised #{e.class}: #{e.message}"
end
# The block's code must raise `error` (with a message matching `message`).
raises = lambda do |error, message = //, &block|
  block.call
  false
rescue error => e
  e.message.match?(message)
end

# The gem RubyGems activated for `require "my_lib"`.
spec = Gem.loaded_specs.fetch("my_lib")
minor = RUBY_VERSION[/\A\d+\.\d+/]
dlext = RbConfig::CONFIG["DLEXT"]
extension = $LOADED_FEATURES.grep(%r{/my_lib\.#{dlext}\z}).first
expected = File.join(spec.full_gem_path, "lib/my_lib", minor, "my_lib.#{dlext}")
check.call("the extension is the platform gem's lib/my_lib/#{minor}/my_lib.#{dlext}, from GEM_HOME") do
  spec.platform.to_s != "ruby" && spec.full_gem_path.start_with?(File.join(gem_home, "")) &&
    extension && File.realpath(extension) == File.realpath(expected)
end

check.call("MyLib.greeting, MyLib.greet") do
  MyLib.greeting == "Hello from Rust" && MyLib.greet("café".encode("ISO-8859-1")) == "Hello, café!"
end
check.call("MyLib::InvalidByteSequenceError") do
  raises.call(MyLib::InvalidByteSequenceError, /byte 2/) { MyLib.greet("ab\xFFc") }
end
check.call("MyLib.add_numbers") do
  MyLib.add_numbers(2, 3) == 5 && raises.call(RangeError, /overflows/) { MyLib.add_numbers(2**31 - 1, 1) }
end

check.call("MyLib::Point") do
  a = MyLib::Point.new(0, 0)
  b = MyLib::Point.new(3, Rational(8, 2))
  a.distance_to(b) == 5.0 && (b + b).to_a == [6.0, 8.0] && (b * 0.5).to_h == { x: 1.5, y: 2.0 } &&
    Marshal.load(Marshal.dump(b)) == b && b.frozen? && Ractor.shareable?(b)
end

check.call("MyLib::Points") do
  points = MyLib::Points.new([[0, 0], [3, 4], [3, 10], MyLib::Point.new(1, 0)])
  points.length == 4 && points.path_length == 11.0 + Math.sqrt(104) &&
    points.centroid == MyLib::Point.new(1.75, 3.5) &&
    points.bounding_box == [MyLib::Point.new(0, 0), MyLib::Point.new(3, 10)] &&
    points.nearest(MyLib::Point.new(0, 0)) == MyLib::Point.new(0, 0) &&
    points.within(MyLib::Point.new(0, 0), 1).length == 2 &&
    MyLib::Points.from_packed(points.to_packed) == points &&
    MyLib::Points.new([[0, 0], [1, 0.1], [2, 0]]).simplify(0.5).to_a == [MyLib::Point.new(0, 0), MyLib::Point.new(2, 0)]
end

check.call("MyLib::Buffer, MyLib::ClosedError") do
  buffer = MyLib::Buffer.new(8)
  buffer[0] = 0xFF
  buffer.write(1, "abc")
  ok = buffer.read(0, 4) == "\xFFabc".b && buffer.fill(0x2A).read == "********" && buffer.to_s == "#<MyLib::Buffer size=8>"
  buffer.close
  ok && raises.call(MyLib::ClosedError) { buffer.size }
end

check.call("MyLib::Testing, MyLib::PanicError < MyLib::Error") do
  raises.call(MyLib::PanicError, /\Aboom\z/) { MyLib::Testing.panic!("boom") } &&
    MyLib::PanicError.ancestors.include?(MyLib::Error) && MyLib.add_numbers(1, 1) == 2
end

# Every class and module of MyLib appears in some check's name.
untested = MyLib.constants.map { |name| MyLib.const_get(name) }.grep(Module).map(&:name)
                .reject { |name| checked.any? { |check_name| check_name.match?(/#{Regexp.escape(name)}\b/) } }
failures << "no check calls #{untested.join(', ')}: add one to #{__FILE__}" unless untested.empty?

label = "my_lib #{MyLib::VERSION} (#{spec.platform} gem) on ruby #{RUBY_VERSION} [#{RUBY_PLATFORM}]"
unless failures.empty?
  warn "platform gem check FAILED: #{label}", *failures.map { |failure| "  #{failure}" }
  exit 1
end
puts "platform gem check: #{label}: all #{checked.size} checks OK, loaded from #{extension}"
