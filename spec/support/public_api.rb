# frozen_string_literal: true

# MyLib's public API as Ruby sees it at run time, shared by the specs that
# must cover all of it (the signatures and docs, and the GC.stress calls).
module MyLibPublicApi
  # "MyLib::Point#x" / "MyLib::Point.new" for every public method, plus
  # `initialize` where a class defines it (private, but part of the API),
  # sorted. Exception classes are left out: their methods are Ruby's.
  def self.names
    namespaces = [MyLib] + MyLib.constants.map { |name| MyLib.const_get(name) }.grep(Module)
    namespaces.reject { |mod| mod <= Exception }.flat_map do |mod|
      singleton = mod.singleton_methods(false).map { |m| "#{mod}.#{m}" }
      instance = mod.public_instance_methods(false).map { |m| "#{mod}##{m}" }
      initializer = mod.private_method_defined?(:initialize, false) ? ["#{mod}#initialize"] : []
      singleton + instance + initializer
    end.sort
  end
end
