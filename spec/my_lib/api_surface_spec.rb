# frozen_string_literal: true

require "logger" # Logger::ERROR below; Ruby 3.3 no longer loads it for YARD
require "open3"
require "rbconfig"
require "yard"
require_relative "../support/public_api"

# The signatures (sig/my_lib.rbs) and the YARD docs (lib/my_lib/*.rb) describe
# methods that Rust defines; this keeps all three in step.
RSpec.describe "The public API surface", rbs_skip: "the runtime type checker adds aliases of every method" do
  root = File.expand_path("../..", __dir__)

  def runtime_methods = MyLibPublicApi.names

  # The method names that sig/my_lib.rbs declares. Parsed in a child process:
  # RBS 2.7's C parser keeps class references in C statics that GC.compact
  # (run by other specs here) can move away from under it.
  def signed_methods(root)
    script = <<~'RUBY'
      signed = []
      walk = lambda do |decl, prefix|
        name = "#{prefix}#{decl.name}"
        decl.members.each do |member|
          case member
          when RBS::AST::Members::MethodDefinition
            signed << "#{name}#{member.kind == :singleton ? "." : "#"}#{member.name}"
          when RBS::AST::Declarations::Class, RBS::AST::Declarations::Module
            walk.call(member, "#{name}::")
          end
        end
      end
      # rbs 2 (Ruby 3.1) returns the declarations; rbs 3 (Ruby 3.3) returns
      # [buffer, directives, declarations].
      parsed = RBS::Parser.parse_signature(File.read(ARGV.fetch(0)))
      parsed = parsed.last if parsed.first.is_a?(RBS::Buffer)
      parsed.each { |decl| walk.call(decl, "") }
      puts signed
    RUBY
    stdout, stderr, status = Open3.capture3(RbConfig.ruby, "-rrbs", "-e", script, File.join(root, "sig/my_lib.rbs"))
    raise "parsing sig/my_lib.rbs failed: #{stderr}" unless status.success?

    stdout.lines.map(&:chomp)
  end

  it "matches sig/my_lib.rbs" do
    expect(signed_methods(root).sort).to eq(runtime_methods)
  end

  it "matches the YARD documentation, which has an example for every method" do
    YARD::Registry.clear
    YARD::Logger.instance.enter_level(Logger::ERROR) do
      YARD.parse(Dir[File.join(root, "lib/**/*.rb")])
    end
    documented = YARD::Registry.all(:method).reject { |m| m.visibility == :private && m.name != :initialize }
    expect(documented.map(&:path).sort).to eq(runtime_methods)
    missing_examples = documented.reject { |m| m.has_tag?(:example) }.map(&:path)
    expect(missing_examples).to be_empty
  ensure
    YARD::Registry.clear
  end
end
