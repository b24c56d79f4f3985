# frozen_string_literal: true

require "rbs"
require "yard"

# The signatures (sig/my_lib.rbs) and the YARD docs (lib/my_lib/*.rb) describe
# methods that Rust defines; this keeps all three in step.
RSpec.describe "The public API surface", rbs_skip: "the runtime type checker adds aliases of every method" do
  root = File.expand_path("../..", __dir__)

  # "MyLib::Point#x" / "MyLib::Point.new" for every public method at run time,
  # plus `initialize` where a class defines it (it is private, but documented).
  def runtime_methods
    namespaces = [MyLib] + MyLib.constants.map { |name| MyLib.const_get(name) }.grep(Module)
    namespaces.reject { |mod| mod <= Exception }.flat_map do |mod|
      singleton = mod.singleton_methods(false).map { |m| "#{mod}.#{m}" }
      instance = mod.public_instance_methods(false).map { |m| "#{mod}##{m}" }
      initializer = mod.private_method_defined?(:initialize, false) ? ["#{mod}#initialize"] : []
      singleton + instance + initializer
    end.sort
  end

  it "matches sig/my_lib.rbs" do
    declarations = RBS::Parser.parse_signature(File.read(File.join(root, "sig/my_lib.rbs")))
    signed = []
    walk = lambda do |decl, prefix|
      name = "#{prefix}#{decl.name}"
      decl.members.each do |member|
        case member
        when RBS::AST::Members::MethodDefinition
          separator = member.kind == :singleton ? "." : "#"
          signed << "#{name}#{separator}#{member.name}"
        when RBS::AST::Declarations::Class, RBS::AST::Declarations::Module
          walk.call(member, "#{name}::")
        end
      end
    end
    declarations.each { |decl| walk.call(decl, "") }
    expect(signed.sort).to eq(runtime_methods)
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
