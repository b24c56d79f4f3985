# frozen_string_literal: true

require "open3"
require "rbconfig"

RSpec.describe "examples/demo.rb" do
  root = File.expand_path("../..", __dir__)
  demo = File.join(root, "examples/demo.rb")

  # Every public method of the API, as `receiver.method` names; MyLib::Testing
  # exists for test suites and is left out of the tour.
  def public_api
    MyLib.constants.map { |name| MyLib.const_get(name) }
         .select { |value| value.is_a?(Class) && !(value <= Exception) }
         .flat_map do |klass|
      klass.singleton_methods(false).map { |m| [klass, m] } +
        klass.public_instance_methods(false).map { |m| [klass, m] }
    end + MyLib.singleton_methods(false).map { |m| [MyLib, m] }
  end

  # Whether the demo's source calls `method`: by name, or in operator form
  # (`a + b`, `buffer[0]`, `buffer[0] = 1`, `Points.gvl_release_threshold = 0`).
  def mentions?(source, method)
    case method
    when :[] then source.match?(/\w\[[^\]]+\](?!\s*=[^=])/)
    when :[]= then source.match?(/\w\[[^\]]+\]\s*=[^=]/)
    when /\A\w+=\z/ then source.match?(/\.#{method.to_s.chomp("=")}\s*=[^=~]/)
    when /\A\W+\z/ then source.include?(" #{method} ")
    else source.match?(/\b#{Regexp.escape(method.to_s)}(?![\w?!=])/)
    end
  end

  it "runs and prints a result from every public function" do
    stdout, stderr, status = Open3.capture3(RbConfig.ruby, "-I", File.join(root, "lib"), demo, chdir: root)
    expect(status).to be_success, stderr
    expect(stderr).to be_empty
    expect(stdout.lines.size).to be >= public_api.map(&:last).uniq.size

    source = File.read(demo)
    missing = public_api.reject { |_, method| mentions?(source, method) }
    expect(missing.map { |klass, m| "#{klass}##{m}" }).to eq([])
  end
end
